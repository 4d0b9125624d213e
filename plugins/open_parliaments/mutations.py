"""Mutations of the open parliaments area (the write side): record and correct its data.

Each mutation takes one input object and runs its write (services.py) in ONE transaction
(`core.mutation_payload`): any invalid input raises `Rejected(user_error(...))`, which rolls
everything back and comes out in the payload's `userErrors`. The database constraints (see
models.py) back every rule; the ones a race could still hit are mapped to the same user errors
(`services.CONSTRAINT_ERRORS`).

"Record" mutations are create-or-correct: a second record for the same thing (the legislature of
a country, a chamber of a kind, an organisation's endorsement, a PMO's legislature) is refused as a
duplicate unless `replace: true` says it is a correction, as the core's `anchorSet` does. An
openness indicator is always upserted: each record is a new check, and it may not be older than
the check it replaces.
"""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from core import UserError, mutation_payload, provenance
from plugins.open_parliaments.enums import (
    ChamberKind,
    MonitoringScope,
    OpennessIndicator,
    OpennessStatus,
)
from plugins.open_parliaments.services import (
    record_chamber,
    record_endorsement,
    record_indicator,
    record_legislature,
    record_monitoring_organization,
    remove_chamber,
)
from plugins.open_parliaments.types import (
    Chamber,
    ChamberOpennessIndicator,
    DeclarationEndorsement,
    Legislature,
    ParliamentaryMonitoringOrganization,
)

# --- legislatures and chambers -------------------------------------------------------------------


@strawberry.input(description="A country's legislature, as IPU Parline describes it.")
class LegislatureRecordInput:
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 or alpha-3 code.")
    name: str = strawberry.field(description='Official English name, e.g. "Parliament of Georgia".')
    chambers: int = strawberry.field(description="1 (unicameral) or 2 (bicameral).")
    source_url: str | None = strawberry.field(default=None, description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(
        default=None, description=provenance.RETRIEVED_ON_HELP
    )
    illustrative: bool = strawberry.field(default=False, description=provenance.ILLUSTRATIVE_HELP)
    replace: bool = strawberry.field(
        default=False, description="Correct the legislature already recorded for the country."
    )


@strawberry.type
class LegislaturePayload:
    legislature: Legislature | None
    user_errors: list[UserError]


@strawberry.input(description="One chamber of a recorded legislature.")
class ChamberRecordInput:
    country: str = strawberry.field(description="ISO code of the legislature's country.")
    kind: ChamberKind = strawberry.field(
        description="UNICAMERAL in a one-chamber legislature; LOWER or UPPER in a bicameral one."
    )
    name: str = strawberry.field(description='Official English name, e.g. "House of Commons".')
    website: str | None = None
    source_url: str | None = strawberry.field(default=None, description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(
        default=None, description=provenance.RETRIEVED_ON_HELP
    )
    illustrative: bool = strawberry.field(default=False, description=provenance.ILLUSTRATIVE_HELP)
    replace: bool = strawberry.field(
        default=False, description="Correct the chamber of this kind already recorded."
    )


@strawberry.input
class ChamberRemoveInput:
    id: strawberry.ID = strawberry.field(
        description="The chamber to remove, with its openness indicators."
    )


@strawberry.type
class ParliamentaryChamberPayload:
    chamber: Chamber | None
    user_errors: list[UserError]


# --- openness indicators -------------------------------------------------------------------------


@strawberry.input(
    description="The result of checking one indicator on one chamber. Recording an indicator "
    "again replaces the earlier check (a correction, or a newer check)."
)
class OpennessIndicatorRecordInput:
    chamber_id: strawberry.ID
    indicator: OpennessIndicator
    status: OpennessStatus
    evidence_url: str = strawberry.field(description="The page that shows the status.")
    checked_on: date = strawberry.field(
        description="When it was checked: not in the future, not before the check it replaces."
    )
    note: str | None = strawberry.field(default=None, description="E.g. why it is PARTIAL.")
    source_url: str | None = strawberry.field(
        default=None, description=provenance.SOURCE_URL_HELP + " Default: evidenceUrl."
    )
    retrieved_on: date | None = strawberry.field(
        default=None, description=provenance.RETRIEVED_ON_HELP + " Default: checkedOn."
    )
    illustrative: bool = strawberry.field(default=False, description=provenance.ILLUSTRATIVE_HELP)


@strawberry.type
class ChamberOpennessIndicatorPayload:
    openness_indicator: ChamberOpennessIndicator | None
    user_errors: list[UserError]


# --- Declaration endorsements --------------------------------------------------------------------


@strawberry.input(description="An organisation's endorsement of the Declaration.")
class EndorsementRecordInput:
    organization_id: strawberry.ID
    endorsed_on: date = strawberry.field(
        description="Not in the future; may precede the launch (2012-09-15): the text "
        "circulated before it."
    )
    source_url: str | None = strawberry.field(
        default=None,
        description="Where the endorsement is published. " + provenance.SOURCE_URL_HELP,
    )
    retrieved_on: date | None = strawberry.field(
        default=None, description=provenance.RETRIEVED_ON_HELP
    )
    illustrative: bool = strawberry.field(default=False, description=provenance.ILLUSTRATIVE_HELP)
    note: str | None = None
    replace: bool = strawberry.field(
        default=False, description="Correct the organisation's endorsement already recorded."
    )


@strawberry.type
class DeclarationEndorsementPayload:
    endorsement: DeclarationEndorsement | None
    user_errors: list[UserError]


# --- parliamentary monitoring organisations ------------------------------------------------------


@strawberry.input(description="An organisation that monitors a country's legislature.")
class ParliamentaryMonitoringOrganizationRecordInput:
    organization_id: strawberry.ID
    country: str = strawberry.field(
        description="ISO code of the country whose (recorded) legislature it monitors."
    )
    scope: MonitoringScope
    website: str | None = strawberry.field(
        default=None, description="The monitoring website, if not the organisation's own."
    )
    source_url: str | None = strawberry.field(default=None, description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(
        default=None, description=provenance.RETRIEVED_ON_HELP
    )
    illustrative: bool = strawberry.field(default=False, description=provenance.ILLUSTRATIVE_HELP)
    replace: bool = strawberry.field(
        default=False, description="Correct the record of this organisation and legislature."
    )


@strawberry.type
class ParliamentaryMonitoringOrganizationPayload:
    monitoring_organization: ParliamentaryMonitoringOrganization | None
    user_errors: list[UserError]


# --- root mutation fields ------------------------------------------------------------------------


@strawberry.mutation(
    description="Record a country's legislature, or correct it with replace: true."
)
async def legislature_record(info: Info, input: LegislatureRecordInput) -> LegislaturePayload:
    return await mutation_payload(
        info,
        lambda c: record_legislature(c, input),
        LegislaturePayload,
        legislature=Legislature,
    )


@strawberry.mutation(description="Record a chamber of a legislature, or correct it.")
async def chamber_record(info: Info, input: ChamberRecordInput) -> ParliamentaryChamberPayload:
    return await mutation_payload(
        info,
        lambda c: record_chamber(c, input),
        ParliamentaryChamberPayload,
        chamber=Chamber,
    )


@strawberry.mutation(description="Remove a chamber recorded by mistake, with its indicators.")
async def chamber_remove(info: Info, input: ChamberRemoveInput) -> ParliamentaryChamberPayload:
    return await mutation_payload(
        info,
        lambda c: remove_chamber(c, input),
        ParliamentaryChamberPayload,
        chamber=Chamber,
    )


@strawberry.mutation(
    description="Record the check of an openness indicator on a chamber (replacing any earlier "
    "check of it)."
)
async def openness_indicator_record(
    info: Info, input: OpennessIndicatorRecordInput
) -> ChamberOpennessIndicatorPayload:
    return await mutation_payload(
        info,
        lambda c: record_indicator(c, input),
        ChamberOpennessIndicatorPayload,
        openness_indicator=ChamberOpennessIndicator,
    )


@strawberry.mutation(
    description="Record an organisation's endorsement of the Declaration on Parliamentary "
    "Openness, or correct it."
)
async def endorsement_record(
    info: Info, input: EndorsementRecordInput
) -> DeclarationEndorsementPayload:
    return await mutation_payload(
        info,
        lambda c: record_endorsement(c, input),
        DeclarationEndorsementPayload,
        endorsement=DeclarationEndorsement,
    )


@strawberry.mutation(
    description="Record an organisation as monitoring a country's legislature, or correct it."
)
async def parliamentary_monitoring_organization_record(
    info: Info, input: ParliamentaryMonitoringOrganizationRecordInput
) -> ParliamentaryMonitoringOrganizationPayload:
    return await mutation_payload(
        info,
        lambda c: record_monitoring_organization(c, input),
        ParliamentaryMonitoringOrganizationPayload,
        monitoring_organization=ParliamentaryMonitoringOrganization,
    )


MUTATION_FIELDS = [
    legislature_record,
    chamber_record,
    chamber_remove,
    openness_indicator_record,
    endorsement_record,
    parliamentary_monitoring_organization_record,
]
