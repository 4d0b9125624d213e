"""Access rules of the assistance domain: requests, offers, matches.

- Reading: public. Requests and offers exist to be found, and a match's reasons are made of public
  data (groups, topics, languages, the IRM's assessments); its status and history say who is
  working with whom, which open-government practice publishes. Requests (and their matches) of a
  group whose theme's plugin is disabled are hidden with the group.
- Posting a request: a person of a member, observer or anchor organisation of the group
  (MEMBER | ANCHOR), or staff; the service checks the organisation is a government or civil
  society's (NOT_GOVERNMENT_OR_CIVIL_SOCIETY) and, when staff names one, that it takes part in
  the group (NOT_A_MEMBER).
- Posting an offer: anyone signed in, for their organisation (staff for any).
- Closing a request, suggesting again: signed in; the service answers NOT_A_PARTY unless the
  viewer is a person of the requesting organisation, or staff. Closing an offer: the same, for
  the offering organisation.
- Moving a match and publishing its outcome: signed in; the service answers NOT_A_PARTY unless the
  viewer is a person of the requesting or the offering organisation (or staff), and WRONG_SIDE for
  a move the other side makes (core/assistance/moves.py). Two organisations per match is more
  than a rule's one subject says, hence user errors rather than FORBIDDEN (as commentEdit's
  NOT_AUTHOR); the database checks the same sides (core_0017).
"""

from __future__ import annotations

from sqlalchemy import select

from core.access.declare import Declaration, MutationRule, Scope
from core.access.rules import ANCHOR, MEMBER, SIGNED_IN, STAFF
from core.assistance.models import AssistanceMatch, AssistanceOffer, AssistanceRequest

GROUP = {"groupId": "WorkingGroup"}

DECLARATIONS: list[Declaration] = [
    Scope("AssistanceRequest", AssistanceRequest.id, group=AssistanceRequest.group_id),
    Scope("AssistanceOffer", AssistanceOffer.id),
    Scope(
        "AssistanceMatch",
        AssistanceMatch.id,
        group=select(AssistanceRequest.group_id)
        .where(AssistanceRequest.id == AssistanceMatch.request_id)
        .correlate_except(AssistanceRequest)
        .scalar_subquery(),
    ),
    MutationRule("assistanceRequestPost", MEMBER | ANCHOR | STAFF, GROUP),
    MutationRule("assistanceRequestClose", SIGNED_IN),
    MutationRule("assistanceOfferPost", SIGNED_IN),
    MutationRule("assistanceOfferClose", SIGNED_IN),
    MutationRule("assistanceMatchesSuggest", SIGNED_IN),
    MutationRule("assistanceMatchMove", SIGNED_IN),
    MutationRule("assistanceMatchPublishOutcome", SIGNED_IN),
]
