"""GraphQL types of the open data area: its records, its group type and its fields on `Country`.

Every relation is declared with `@relation(load_fn)`; the loaders (loaders.py) read the rows of
ALL parents in one statement, and `core.from_row` maps a row of the plugin's tables to its type
(each field reads the column of its name; `OdinScore.from_row` names the ones that differ).
"""

from __future__ import annotations

import functools
import operator
from datetime import date
from typing import Any, ClassVar

import strawberry
from sqlalchemy import and_, case

from core import (
    LIST_SIZE,
    MAX_PAGE_SIZE,
    Connection,
    computed,
    from_row,
    load_countries,
    load_organizations,
    provenance,
    relation,
    types,
)
from plugins.open_data.loaders import (
    adopters_by_country,
    load_charter_by_country,
    load_datasets_by_portal,
    load_eu_scope_by_country,
    load_group_adopters,
    load_group_datasets,
    load_group_endorsers,
    load_group_odin,
    load_group_portals,
    load_odin_by_country,
    load_portals,
    load_portals_by_country,
)
from plugins.open_data.models import (
    ODIN_SCALE_MAX,
    DataPortalPlatform,
    EuHighValueDatasetScope,
    HighValueDatasetCategory,
    OpenDataCharterLevel,
)

GROUP_CHECK = (
    "The working group's own yes/no check of the dataset, not ODIN's assessment (ODIN scores "
    "openness 1, 0.5 or 0 per data category on national statistical offices' websites)."
)

# https://opendatacharter.org/principles/ (in the Charter's order)
CHARTER_PRINCIPLES = (
    "Open by Default",
    "Timely and Comprehensive",
    "Accessible and Usable",
    "Comparable and Interoperable",
    "For Improved Governance and Citizen Engagement",
    "For Inclusive Development and Innovation",
)


@strawberry.type(
    description="A national or subnational government that adopted the International Open "
    "Data Charter.",
)
class OpenDataCharterAdopter(types.Node):
    node_type: ClassVar[str] = "OpenDataCharterAdopter"
    country_pk: strawberry.Private[int]
    government: str = strawberry.field(description="e.g. 'Government of Uruguay', 'Montevideo'.")
    level: OpenDataCharterLevel
    adopted_on: date
    source_url: str | None = strawberry.field(
        description="Evidence of the adoption. " + provenance.SOURCE_URL_HELP
    )
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...


@strawberry.type(
    description="A non-governmental organisation (NGO, company, professional or academic body) "
    "that endorsed the International Open Data Charter. Governments adopt the Charter "
    "(`OpenDataCharterAdopter`); organisations endorse it."
)
class OpenDataCharterEndorser(types.Node):
    node_type: ClassVar[str] = "OpenDataCharterEndorser"
    organization_pk: strawberry.Private[int | None]
    country_pk: strawberry.Private[int | None]
    name: str
    endorsed_on: date | None = strawberry.field(
        description="When it endorsed the Charter, if known."
    )
    source_url: str | None = strawberry.field(description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)

    @relation(
        load_organizations,
        key="organization_pk",
        description="The organisation, if it is one of ours.",
    )
    def organization(self) -> types.Organization | None: ...

    @relation(load_countries, key="country_pk", description="Where it is based, if recorded.")
    def country(self) -> types.Country | None: ...


@strawberry.type(
    description="A country's adoption of the International Open Data Charter: a summary of its "
    "adopting governments (national and subnational)."
)
class OpenDataCharterAdoption:
    country_pk: strawberry.Private[int]
    adopted_on: date = strawberry.field(description="The first adoption by any of its governments.")
    level: OpenDataCharterLevel = strawberry.field(
        description="NATIONAL when the national government adopted the Charter, SUBNATIONAL when "
        "only subnational governments did."
    )

    @relation(
        adopters_by_country,
        key="country_pk",
        default=[],
        description="Earliest first (`first`: 1..100).",
    )
    def adopters(self, first: int = MAX_PAGE_SIZE) -> list[OpenDataCharterAdopter]: ...


def _checks(dataset: Any) -> tuple[Any, ...]:
    """The five criteria of a dataset (its columns, in a computed field's SQL)."""
    return (
        dataset.machine_readable,
        dataset.non_proprietary_format,
        dataset.metadata_available,
        dataset.download_or_api,
        dataset.open_licence,
    )


def sum_of(terms: Any) -> Any:
    """`a + b + ...` of SQL expressions."""
    return functools.reduce(operator.add, terms)


@strawberry.type(
    description="A dataset of one of the EU's high-value categories, and the working group's own "
    "yes/no checks of five openness criteria on it (modelled on ODIN's openness elements, but not "
    "ODIN's assessment, which scores data categories on statistical offices' websites)."
)
class HighValueDataset(types.Node):
    node_type: ClassVar[str] = "HighValueDataset"
    country_pk: strawberry.Private[int]
    portal_pk: strawberry.Private[int | None]
    title: str
    category: HighValueDatasetCategory
    url: str = strawberry.field(description="The dataset's landing page.")
    machine_readable: bool = strawberry.field(description="Machine-readable. " + GROUP_CHECK)
    non_proprietary_format: bool = strawberry.field(
        description="Available in a non-proprietary format. " + GROUP_CHECK
    )
    metadata_available: bool = strawberry.field(description="Has metadata. " + GROUP_CHECK)
    download_or_api: bool = strawberry.field(description="Bulk download or an API. " + GROUP_CHECK)
    open_licence: bool = strawberry.field(
        description="An open licence or terms of use allowing reuse. " + GROUP_CHECK
    )
    licence: str | None = strawberry.field(description="e.g. 'CC BY 4.0'.")
    checked_on: date = strawberry.field(description="When the group checked the five criteria.")
    last_updated_on: date | None = strawberry.field(description="Last update by the publisher.")
    notes: str
    source_url: str | None = strawberry.field(description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)

    # a constant as a field with a default (not a resolver): the compiled read path answers it
    openness_checked_by: str = strawberry.field(
        default="WORKING_GROUP",
        description="Who assessed the five openness criteria: always the working group's own "
        "check (`WORKING_GROUP`), never ODIN.",
    )

    @relation(
        load_eu_scope_by_country,
        key="country_pk",
        description="Whether the EU's high-value dataset rules bind the dataset's publisher "
        "(by its country); elsewhere the category is only a classification.",
    )
    def eu_regulation(self) -> EuHighValueDatasetScope: ...

    @strawberry.field(
        description="How many of the five criteria it meets (0-5), by the group's checks.",
        metadata=computed(lambda d: sum_of(case((check, 1), else_=0) for check in _checks(d))),
    )
    def openness_elements_met(self) -> int:
        return sum(
            (
                self.machine_readable,
                self.non_proprietary_format,
                self.metadata_available,
                self.download_or_api,
                self.open_licence,
            )
        )

    @strawberry.field(
        description="Meets all five criteria, by the group's checks.",
        metadata=computed(lambda d: and_(*_checks(d))),
    )
    def fully_open(self) -> bool:
        return self.openness_elements_met() == 5

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...

    @relation(load_portals, key="portal_pk", description="The portal publishing it, if recorded.")
    def portal(self) -> DataPortal | None: ...


@strawberry.type(description="A government open data portal.")
class DataPortal(types.Node):
    node_type: ClassVar[str] = "DataPortal"
    country_pk: strawberry.Private[int]
    name: str
    url: str
    platform: DataPortalPlatform
    dataset_count: int | None = strawberry.field(
        description="Datasets listed when last checked (null: not counted)."
    )
    has_api: bool = strawberry.field(description="Offers an API to query its catalogue or data.")
    checked_on: date | None = strawberry.field(description="When the count and API were checked.")
    notes: str
    source_url: str | None = strawberry.field(description=provenance.SOURCE_URL_HELP)
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...

    @relation(
        load_datasets_by_portal,
        default=[],
        description="High-value datasets it publishes (`first`: 1..100).",
    )
    def high_value_datasets(self, first: int = MAX_PAGE_SIZE) -> list[HighValueDataset]: ...


@strawberry.type(
    description="A country's Open Data Inventory (ODIN) scores in one edition, by Open Data "
    "Watch, as published when retrieved (Open Data Watch revises published editions). `score` is "
    "the ODIN overall score; the subscores are null when not recorded; all are 0-100. ODIN scores "
    "the data on national statistical offices' websites, per data category: each coverage and "
    "openness element 1, 0.5 or 0.",
)
class OdinScore(types.Node, types.Assessment):
    node_type: ClassVar[str] = "OdinScore"
    country_pk: strawberry.Private[int]
    coverage: float | None = strawberry.field(description="ODIN coverage subscore, 0-100.")
    openness: float | None = strawberry.field(description="ODIN openness subscore, 0-100.")
    social: float | None = strawberry.field(
        description="ODIN subscore of the social statistics categories, 0-100."
    )
    economic: float | None = strawberry.field(
        description="ODIN subscore of the economic and financial statistics categories, 0-100."
    )
    environmental: float | None = strawberry.field(
        description="ODIN subscore of the environmental statistics categories, 0-100."
    )
    notes: str
    retrieved_on: date | None = strawberry.field(description=provenance.RETRIEVED_ON_HELP)
    illustrative: bool = strawberry.field(description=provenance.ILLUSTRATIVE_HELP)

    @classmethod
    def from_row(cls, row: Any) -> OdinScore:
        """`score` is ODIN's overall score and `scaleMax` ODIN's maximum (100); `sourceUrl` is
        the row's own source, null when the row cites none (no default is filled in); the other
        fields read their columns of the same name."""
        return from_row(
            cls,
            row,
            score=row.overall,
            scale_max=ODIN_SCALE_MAX,
            source_url=row.source_url,
        )

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...


@relation(
    load_charter_by_country,
    description="Adoption of the International Open Data Charter by the country's national and "
    "subnational governments; null when none has adopted it.",
)
def open_data_charter(root: types.Country) -> OpenDataCharterAdoption | None: ...


@relation(
    load_portals_by_country,
    default=[],
    description="Government open data portals (`first`: 1..100).",
)
def data_portals(root: types.Country, first: int = MAX_PAGE_SIZE) -> list[DataPortal]: ...


@relation(
    load_odin_by_country,
    default=[],
    description="ODIN scores, latest edition first (`first`: 1..100).",
)
def odin_scores(root: types.Country, first: int = MAX_PAGE_SIZE) -> list[OdinScore]: ...


@strawberry.type(
    description="The open data working group. It follows the Charter adoptions, portals, "
    "high-value datasets and ODIN scores of its countries: those of its anchors and members."
)
class OpenDataGroup(types.WorkingGroup):
    charter_principles: list[str] = strawberry.field(
        default_factory=lambda: list(CHARTER_PRINCIPLES),
        description="The six principles of the International Open Data Charter.",
        metadata={LIST_SIZE: len(CHARTER_PRINCIPLES)},  # fixed: the Charter's principles
    )

    @relation(
        load_group_adopters,
        default=[],
        description="Charter adopters in the group's countries, earliest first (`first`: 1..100).",
    )
    def charter_adopters(self, first: int = MAX_PAGE_SIZE) -> list[OpenDataCharterAdopter]: ...

    @relation(
        load_group_endorsers,
        default=[],
        description="Charter endorsers among the group's anchor and member organisations, by name "
        "(`first`: 1..100).",
    )
    def charter_endorsers(self, first: int = MAX_PAGE_SIZE) -> list[OpenDataCharterEndorser]: ...

    @relation(load_group_portals, description="Data portals of the group's countries, by name.")
    def data_portals(
        self,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[DataPortal]: ...

    @relation(
        load_group_datasets,
        description="High-value datasets of the group's countries, by title.",
    )
    def high_value_datasets(
        self,
        category: list[HighValueDatasetCategory] | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[HighValueDataset]: ...

    @relation(
        load_group_odin,
        description="ODIN scores of the group's countries, by country name then edition.",
    )
    def odin_scores(
        self,
        edition: str | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[OdinScore]: ...


COUNTRY_FIELDS = [open_data_charter, data_portals, odin_scores]
