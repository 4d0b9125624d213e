"""`UserError.code` as an enum, `UserErrorCode`, built with the schema from the core's codes and
those every enabled plugin declares (hook ``ogp_wg_user_error_codes``), so front ends can generate
a type for it and switch over it.

Why an enum built at start-up rather than a string: a front end learns the codes from the schema
it generates types from, and an undeclared code is caught before a client sees it. Start-up stops
when a plugin declares a code badly or maps a constraint (``ogp_wg_constraint_errors``) to a code
nobody declared; the tests walk every mutation with generated bad input and check each code they
answer is declared (a code outside the enum would be a field error, not an answer).
"""

from __future__ import annotations

import copy
import enum
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import strawberry
from strawberry.types.field import StrawberryField

if TYPE_CHECKING:
    from core.plugins import PluginSet

HOOK = "ogp_wg_user_error_codes"
CODE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*")
ENUM_NAME = "UserErrorCode"
ENUM_DESCRIPTION = (
    "Why a mutation refused its input: the core's codes and those of the enabled plugins. A "
    "minor release or a newly enabled plugin may add codes, so keep a default branch."
)

CORE_CODES: dict[str, str] = {
    # any input (core.validation, core.storable, core.transactions, core.provenance)
    "REQUIRED": "A required input value is missing or blank.",
    "TOO_LONG": "A text is longer than its field allows.",
    "INVALID_CHARACTER": "A text holds a character no field can store (an unpaired surrogate).",
    "OUT_OF_RANGE": "A number or date lies outside the range its field allows.",
    "NOT_FOUND": "No object has that ID, or the caller may not see it.",
    "INVALID_URL": "Not an absolute http(s) URL.",
    "UNKNOWN_COUNTRY": "No country has that ISO 3166-1 alpha-2 code.",
    "CONSTRAINT_VIOLATION": "The write conflicts with a rule of the stored data.",
    "SOURCE_REQUIRED": "A row that is not illustrative needs its sourceUrl.",
    "DATE_IN_FUTURE": "A date (e.g. retrievedOn) lies in the future.",
    # working groups, anchors, memberships
    "INVALID_SLUG": "A slug has lowercase letters, digits and single hyphens only.",
    "DUPLICATE_SLUG": "Another working group already has this slug.",
    "UNKNOWN_THEME": "No enabled plugin serves this theme.",
    "ANCHOR_KIND_MISMATCH": "The organisation's kind cannot hold this anchor role.",
    "ANCHOR_ROLE_TAKEN": "Another organisation already holds this anchor role of the group.",
    "ALREADY_MEMBER": "The organisation is already a member of the group.",
    "NOT_A_MEMBER": "The organisation is not a member of the group.",
    # the group's life (core/groups: Steering Committee decisions, anchor terms)
    "ANCHORS_REQUIRED": "A PILOT or ACTIVE group needs a government and a civil-society anchor.",
    "DECISION_REQUIRED": "A group's status or anchor allowance changes only by a decision.",
    "TRANSITION_NOT_ALLOWED": "The Steering Committee cannot move a group between these statuses.",
    "ALLOWANCE_BELOW_CURRENT": "The group has more current anchors of a role than that.",
    "NOTHING_DECIDED": "A decision moves the group or changes its anchor allowance.",
    "DUPLICATE_ORGANIZATION": "The same organisation is named twice in a list.",
    # meetings and registrations
    "NAIVE_DATETIME": "A date-time has no UTC offset.",
    "ENDS_BEFORE_STARTS": "endsAt is not after startsAt.",
    "MEETING_TOO_LONG": "A meeting lasts at most 14 days (endsAt too long after startsAt).",
    "INVALID_TIMEZONE": "Not an IANA time zone name.",
    "INVALID_CAPACITY": "A capacity is negative.",
    "LOCATION_REQUIRED": "An in-person meeting needs a location.",
    "ONLINE_URL_REQUIRED": "A virtual meeting needs an onlineUrl.",
    "CAPACITY_BELOW_REGISTERED": "The new capacity is below the places already taken.",
    "MEETING_ENDED": "The meeting is over.",
    "MEETING_FULL": "Every place of the meeting is taken.",
    "DUPLICATE_REGISTRATION": "The person already has a registration for the meeting.",
    "NOT_CANCELLABLE": "The registration is already cancelled.",
    # comments and feedback
    "NOT_COMMENTABLE": "Comments are not taken on objects of that type.",
    "REPLY_TO_REPLY": "Threads are one level deep: reply to the top-level comment.",
    "TARGET_MISMATCH": "A reply is on the same target as the comment it answers.",
    "COMMENT_HIDDEN": "The comment is hidden: it cannot be edited or replied to.",
    "ALREADY_HIDDEN": "The comment is already hidden.",
    "NOT_HIDDEN": "The comment is not hidden.",
    "NOT_AUTHOR": "Only its author may edit a comment (staff included).",
    # priority areas and consensus (core/priorities)
    "TOO_MANY": "A list holds more items than it may.",
    "NOT_A_THEMATIC_RECORD": "The ID names an object that is not a record of the group's plugin.",
    "PRIORITY_AREA_WRONG_STATUS": "The priority area's status does not allow this change.",
    "CLOSING_DATE_PAST": "A discussion's closing date is not in the future.",
    "DISCUSSION_NOT_OPEN": "Positions are taken only while the area is UNDER_DISCUSSION.",
    "DISCUSSION_CLOSED": "The discussion's closing date has passed.",
    "REASON_REQUIRED": "An objection needs a reason.",
    "NO_OBJECTION": "The organisation has no standing objection to withdraw.",
    "POSITION_CONFLICT": "The organisation's position changed at the same time.",
    "MEETING_OF_ANOTHER_GROUP": "The meeting is not one of the priority area's group.",
    "REGISTRATION_NOT_OPEN": "Registration for the meeting has not opened yet.",
    "REGISTRATION_CLOSED": "Registration for the meeting has closed.",
    "REGISTRATION_WINDOW_INVALID": "registrationClosesAt is not after registrationOpensAt.",
    "MEETING_CANCELLED": "The meeting was cancelled.",
    "MEETING_NOT_STARTED": "The meeting has not started yet (attendance, minutes come after).",
    "NOT_ATTENDABLE": "The registration had no place (waitlisted, pre-registered, cancelled).",
    "TOO_MANY_LINKS": "The meeting already carries the most links it may.",
    # e-mail notifications
    "NO_EMAIL": "The person has no e-mail address to send a digest to.",
    # translations (core/translations)
    "ONE_RECORD_REQUIRED": "Name exactly one record to translate (e.g. groupId or meetingId).",
    "ORIGINAL_LANGUAGE": "A record is not translated into its own original language.",
    "NOT_TRANSLATABLE": "The field is not a translatable text of that kind of record.",
    "DUPLICATE_FIELD": "The same field is given twice.",
    "NO_TRANSLATION": "The record has no translation in that language.",
    # resources and declared expertise (core/knowledge)
    "INVALID_LICENCE": "Not an accepted SPDX licence identifier (e.g. CC-BY-4.0, NOASSERTION).",
    "LINK_OR_BODY_REQUIRED": "A resource needs a url or a body (or both).",
    "ALREADY_PUBLISHED": "The resource is published already (it stays published).",
    "RESOURCE_PUBLISHED": "A published resource is removed only by its group's anchors or staff.",
    "ONE_HOLDER_REQUIRED": "Name exactly one holder of the expertise: personId or organizationId.",
    "EXPERTISE_DECLARED": "The person or organisation has declared expertise already: update it.",
    # commitment evidence (core/commitments/evidence.py)
    "NOT_EVIDENCE_TYPE": "No enabled plugin declares objects of that type as commitment evidence.",
    "ALREADY_LINKED": "The record is already linked as evidence of the commitment.",
    "NOT_LINKED": "The record is not linked as evidence of the commitment.",
    # topics (core/topics.py), shared by commitments, resources, expertise, assistance
    "INVALID_TOPIC": "A topic is not a slug (lowercase letters, digits, single hyphens).",
    # action plans, commitments and IRM assessments (core/commitments)
    "INVALID_CYCLE": "An action plan's cycleEnd is not after its cycleStart.",
    "ACTION_PLAN_EXISTS": "The country already has an action plan starting that day.",
    "DUPLICATE_REFERENCE": "The action plan already has a commitment with that reference.",
    "TWO_POTENTIAL_SCALES": (
        "An IRM assessment rates potentialForResults or potentialImpact, not both."
    ),
    "GROUP_ALREADY_LINKED": "The commitment is already linked to the working group.",
    "GROUP_NOT_LINKED": "The commitment is not linked to the working group.",
    # technical assistance and peer exchange (core/assistance)
    "UNKNOWN_LANGUAGE": "Not an ISO 639-1 language code (e.g. es).",
    "NOT_GOVERNMENT_OR_CIVIL_SOCIETY": "Only a government or civil-society organisation asks.",
    "NEEDED_BY_PAST": "A request's neededBy date lies in the past.",
    "REQUEST_CLOSED": "The request is closed.",
    "NOT_A_PARTY": "You act for neither organisation of the request (or match).",
    "MATCH_WRONG_STATUS": "The match's status does not allow this move.",
    "WRONG_SIDE": "This move of the match is the other side's to make.",
    "MATCH_CONFLICT": "The request's matches changed at the same time; try again.",
    "OUTCOME_ALREADY_PUBLISHED": "The match's outcome is already a resource.",
    "OFFER_CLOSED": "The offer is closed.",
    "SAME_ORGANIZATION": "A request and an offer of the same organisation are never matched.",
}


class UserErrorCodeError(Exception):
    """A plugin declared codes wrongly, or uses a code nobody declared (start-up stops)."""


def _declared(who: str, value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise UserErrorCodeError(
            f"{who} (hook {HOOK}) must return {{CODE: description}}, got {type(value).__name__}"
        )
    codes: dict[str, str] = {}
    for code, description in value.items():
        if not isinstance(code, str) or not CODE.fullmatch(code):
            raise UserErrorCodeError(
                f"{who} (hook {HOOK}) declares the code {code!r}: codes are SCREAMING_SNAKE_CASE"
            )
        if not isinstance(description, str) or not description.strip():
            raise UserErrorCodeError(
                f"{who} (hook {HOOK}) declares {code} without a description (a sentence)"
            )
        codes[code] = description.strip()
    return codes


def collect(plugins: PluginSet) -> dict[str, str]:
    """Every declared code with its description, sorted: the core's, then the enabled plugins'
    (plugin-key order; a code declared twice is one code and keeps its first description).

    Raises UserErrorCodeError for a bad declaration, or a constraint (``ogp_wg_constraint_errors``,
    the core's included) mapped to an undeclared code, naming the plugin and the constraint.
    """
    codes = dict(CORE_CODES)
    for key, value in plugins.call(HOOK):
        for code, description in _declared(f"plugin '{key}'", value).items():
            codes.setdefault(code, description)
    from core.transactions import _LEGACY  # deprecated registrations keep working until 0.3

    for error in _LEGACY.values():
        codes.setdefault(error.code, "Registered with core.register_constraint_error.")
    constraints = plugins.constraint_errors
    for name, error in sorted(constraints.by_name.items()):
        if error.code not in codes:
            owner = constraints.owners.get(name, "core")
            who = "the core" if owner == "core" else f"plugin '{owner}'"
            raise UserErrorCodeError(
                f"{who} maps the constraint '{name}' (hook ogp_wg_constraint_errors) to the user "
                f"error code {error.code}, which is not declared: add it to {HOOK}"
            )
    return dict(sorted(codes.items()))


def code_enum(codes: Mapping[str, str]) -> type[enum.Enum]:
    """The Strawberry enum ``UserErrorCode`` for `codes` ({CODE: description}); each value's
    Python value is its name, so a resolver's plain string (``UserError(code="REQUIRED")``)
    serializes as that enum value."""
    members = {code: strawberry.enum_value(code, description=text) for code, text in codes.items()}
    python_enum = enum.Enum(ENUM_NAME, members)  # type: ignore[misc]
    return strawberry.enum(python_enum, name=ENUM_NAME, description=ENUM_DESCRIPTION)


def typed_code_field(fields: list[StrawberryField], enum_type: type[enum.Enum]) -> list[Any]:
    """`UserError`'s fields with `code` typed as `enum_type` (a copy: the class is shared by
    every schema built in the process, each with its own enabled plugins)."""
    typed: list[Any] = []
    for field in fields:
        if field.python_name == "code":
            field = copy.copy(field)
            field.type = enum_type
        typed.append(field)
    return typed


__all__ = ["CORE_CODES", "UserErrorCodeError", "code_enum", "collect", "typed_code_field"]
