"""GraphQL types of the open parliaments area: its records, its group type and
`Country.legislature`.

Every relation is declared with `@relation(load_fn)`; the loaders (loaders.py) read the rows of
ALL the parents at one level in ONE statement, and `core.from_row` maps a row to its type (each
field reads the column of its name; `<name>_pk` reads `<name>_id`).
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

import strawberry
from sqlalchemy import Enum, case, type_coerce

from core import (
    LIST_SIZE,
    MAX_PAGE_SIZE,
    computed,
    load_countries,
    load_organizations,
    provenance,
    relation,
    types,
)
from plugins.open_parliaments.enums import (
    INDICATORS,
    PROVISION_NUMBERS,
    ChamberKind,
    DeclarationSection,
    MonitoringScope,
    OpennessIndicator,
    OpennessStatus,
)
from plugins.open_parliaments.loaders import (
    load_chambers,
    load_chambers_by_legislature,
    load_endorsement_count,
    load_indicators_by_chamber,
    load_legislature_by_country,
    load_legislatures,
    load_member_endorsements,
    load_monitors_by_legislature,
)
from plugins.open_parliaments.models import DECLARATION_LAUNCHED

SECTION_HELP = "The section of the Declaration the indicator checks; null for the group's own."
PROVISION_HELP = "The Declaration's provision the indicator checks; null for the group's own."
PROVISION_NUMBER_HELP = (
    "The provision's number in the Declaration (Promoting a Culture of Openness: 1-9, 11, as its "
    "2012 draft commentary numbers them); null where the number was not confirmed and for the "
    "group's own indicators."
)
GROUP_OWN_HELP = (
    "True: the working group's own indicator (e.g. API), not a provision of the Declaration."
)

DECLARATION_URL = "https://www.openingparliament.org/declaration/"

# Base of this plugin's types: the core's `Node` interface gives each a global `id`, opaque and
# unique across types, for client caches and mutation inputs, which `node(id:)` fetches back
# through `NODE_LOADERS` (queries.py); `node_type` is the type name inside the ID.
_Identified = types.Node


@strawberry.type(description="A country's national legislature (IPU Parline), with its chambers.")
class Legislature(_Identified):
    node_type: ClassVar[str] = "Legislature"
    country_pk: strawberry.Private[int]
    name: str
    chambers: int = strawberry.field(
        description="Number of chambers (IPU Parline's structure of parliament): 1 unicameral, "
        "2 bicameral. The chambers themselves are `houses`."
    )
    source_url: str | None = strawberry.field(description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...

    @relation(
        load_chambers_by_legislature,
        default=[],
        description="The chambers recorded so far: the UNICAMERAL one, or LOWER then UPPER.",
        metadata={LIST_SIZE: 2},
    )
    def houses(self) -> list[Chamber]: ...

    @relation(
        load_monitors_by_legislature,
        default=[],
        description="Parliamentary monitoring organisations following this legislature "
        "(`first`: 1..100).",
    )
    def monitoring_organizations(
        self, first: int = MAX_PAGE_SIZE
    ) -> list[ParliamentaryMonitoringOrganization]: ...


@strawberry.type(name="ParliamentaryChamber", description="One chamber (house) of a legislature.")
class Chamber(_Identified):
    node_type: ClassVar[str] = "ParliamentaryChamber"
    legislature_pk: strawberry.Private[int]
    kind: ChamberKind
    name: str
    website: str | None
    source_url: str | None = strawberry.field(description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)

    @relation(load_legislatures, key="legislature_pk")
    def legislature(self) -> Legislature: ...

    @relation(
        load_indicators_by_chamber,
        default=[],
        description="The latest check of each indicator recorded for this chamber.",
        metadata={LIST_SIZE: len(OpennessIndicator)},  # one check per indicator
    )
    def openness_indicators(self) -> list[ChamberOpennessIndicator]: ...


@strawberry.type(
    name="ParliamentaryOpennessIndicatorInfo",
    description="What an openness indicator checks: the Declaration's section and provision, or "
    "the working group's own indicator.",
)
class OpennessIndicatorInfo:
    # Plain fields, not resolvers: the list is a constant, which the compiled read path answers.
    indicator: OpennessIndicator
    section: DeclarationSection | None = strawberry.field(description=SECTION_HELP)
    provision: str | None = strawberry.field(description=PROVISION_HELP)
    provision_number: int | None = strawberry.field(description=PROVISION_NUMBER_HELP)
    group_own: bool = strawberry.field(description=GROUP_OWN_HELP)

    @classmethod
    def of(cls, indicator: OpennessIndicator) -> OpennessIndicatorInfo:
        """What `indicator` checks, from the Declaration's table (enums.INDICATORS)."""
        section, provision, group_own = INDICATORS[indicator]
        return cls(
            indicator=indicator,
            section=section,
            provision=provision,
            provision_number=PROVISION_NUMBERS.get(indicator),
            group_own=group_own,
        )


@strawberry.type(
    description="The latest check of one openness indicator on one chamber: its status, the "
    "page that shows it and the date it was checked."
)
class ChamberOpennessIndicator(_Identified):
    node_type: ClassVar[str] = "ChamberOpennessIndicator"
    chamber_pk: strawberry.Private[int]
    indicator: OpennessIndicator
    status: OpennessStatus
    evidence_url: str = strawberry.field(description="Where the status can be verified.")
    checked_on: date = strawberry.field(description="When the evidence was last checked.")
    note: str | None
    source_url: str | None = strawberry.field(description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)

    # The indicator's fixed facts (enums.py's tables) as SQL too: a CASE on the indicator column,
    # NULL where the table has none, so the compiled read path answers them from the row.
    @strawberry.field(
        description=SECTION_HELP,
        metadata=computed(
            lambda c: type_coerce(
                case(
                    {i: facts[0].name for i, facts in INDICATORS.items() if facts[0] is not None},
                    value=c.indicator,
                ),
                Enum(DeclarationSection),
            )
        ),
    )
    def section(self) -> DeclarationSection | None:
        return INDICATORS[self.indicator][0]

    @strawberry.field(
        description=PROVISION_HELP,
        metadata=computed(
            lambda c: case(
                {i: facts[1] for i, facts in INDICATORS.items() if facts[1] is not None},
                value=c.indicator,
            )
        ),
    )
    def provision(self) -> str | None:
        return INDICATORS[self.indicator][1]

    @strawberry.field(
        description=PROVISION_NUMBER_HELP,
        metadata=computed(lambda c: case(PROVISION_NUMBERS, value=c.indicator)),
    )
    def provision_number(self) -> int | None:
        return PROVISION_NUMBERS.get(self.indicator)

    @strawberry.field(
        description=GROUP_OWN_HELP,
        metadata=computed(
            lambda c: c.indicator.in_([i for i, facts in INDICATORS.items() if facts[2]])
        ),
    )
    def group_own(self) -> bool:
        return INDICATORS[self.indicator][2]

    @relation(load_chambers, key="chamber_pk")
    def chamber(self) -> Chamber: ...


@strawberry.type(
    description="An organisation's endorsement of the Declaration on Parliamentary Openness "
    "(OpeningParliament.org)."
)
class DeclarationEndorsement(_Identified):
    node_type: ClassVar[str] = "DeclarationEndorsement"
    organization_pk: strawberry.Private[int]
    endorsed_on: date = strawberry.field(
        description="May precede the launch (15 September 2012): the text circulated before it."
    )
    source_url: str | None = strawberry.field(
        description="Where the endorsement is published. " + provenance.SOURCE_URL_HELP
    )
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)
    note: str | None

    @strawberry.field(
        description="Endorsed before the Declaration's launch on 15 September 2012.",
        metadata=computed(lambda r: r.endorsed_on < DECLARATION_LAUNCHED),
    )
    def endorsed_before_launch(self) -> bool:
        return self.endorsed_on < DECLARATION_LAUNCHED

    @relation(load_organizations, key="organization_pk")
    def organization(self) -> types.Organization: ...


@strawberry.type(
    description="A parliamentary monitoring organisation (PMO): an organisation that monitors a "
    "legislature, its members or both, and informs citizens about its work."
)
class ParliamentaryMonitoringOrganization(_Identified):
    node_type: ClassVar[str] = "ParliamentaryMonitoringOrganization"
    organization_pk: strawberry.Private[int]
    legislature_pk: strawberry.Private[int]
    scope: MonitoringScope
    website: str | None = strawberry.field(
        description="The monitoring website, when it is not the organisation's own."
    )
    source_url: str | None = strawberry.field(description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)

    @relation(load_organizations, key="organization_pk")
    def organization(self) -> types.Organization: ...

    @relation(load_legislatures, key="legislature_pk", description="The legislature monitored.")
    def legislature(self) -> Legislature: ...


@strawberry.type(description="The open parliaments working group.")
class OpenParliamentsGroup(types.WorkingGroup):
    # Constants as fields with a default (not resolvers): every group object holds them, so the
    # compiled read path answers them as constants.
    declaration_url: str = strawberry.field(
        default=DECLARATION_URL, description="The Declaration on Parliamentary Openness."
    )
    declaration_launched_on: date = strawberry.field(
        default=DECLARATION_LAUNCHED,
        description="When the Declaration was launched: 15 September 2012, International Day of "
        "Democracy, at the World e-Parliament Conference in Rome.",
    )

    openness_indicators: list[OpennessIndicatorInfo] = strawberry.field(
        default_factory=lambda: [OpennessIndicatorInfo.of(i) for i in OpennessIndicator],
        description="Every openness indicator: the Declaration's section and provision it "
        "checks, or whether it is the group's own.",
        metadata={LIST_SIZE: len(OpennessIndicator)},
    )

    @relation(
        load_endorsement_count,
        description="Endorsements of the Declaration recorded, by any organisation.",
    )
    def endorsement_count(self) -> int: ...

    @relation(
        load_member_endorsements,
        default=[],
        description="Endorsements of the Declaration by this group's anchors and members "
        "(`first`: 1..100).",
    )
    def member_endorsements(self, first: int = MAX_PAGE_SIZE) -> list[DeclarationEndorsement]: ...


# --- Country.legislature -------------------------------------------------------------------------


@relation(
    load_legislature_by_country, description="The country's national legislature, if recorded."
)
def legislature(root: types.Country) -> Legislature | None: ...
