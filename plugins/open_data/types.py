"""GraphQL types of the open data area: its records, its group type and its fields on `Country`.

Every relation is declared with `@relation(load_fn)`; the loaders (loaders.py) read the rows of
ALL parents in one statement, and `core.from_row` maps a row of the plugin's tables to its type
(each field reads the column of its name; `OdinScore.from_row` names the ones that differ).
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

import strawberry

from core import Connection, from_row, load_countries, relation, types
from plugins.open_data.loaders import (
    load_charter_by_country,
    load_datasets_by_portal,
    load_group_adopters,
    load_group_datasets,
    load_group_odin,
    load_group_portals,
    load_odin_by_country,
    load_portals,
    load_portals_by_country,
)
from plugins.open_data.models import (
    ODIN_SCALE_MAX,
    DataPortalPlatform,
    HighValueDatasetCategory,
    OpenDataCharterLevel,
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
    source_url: str | None = strawberry.field(description="Evidence of the adoption.")

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...


@strawberry.type(
    description="A country's adoption of the International Open Data Charter: a summary of its "
    "adopting governments (national and subnational)."
)
class OpenDataCharterAdoption:
    adopted_on: date = strawberry.field(description="The first adoption by any of its governments.")
    level: OpenDataCharterLevel = strawberry.field(
        description="NATIONAL when the national government adopted the Charter, SUBNATIONAL when "
        "only subnational governments did."
    )
    adopters: list[OpenDataCharterAdopter] = strawberry.field(description="Earliest first.")

    @classmethod
    def of(cls, adopters: list[OpenDataCharterAdopter]) -> OpenDataCharterAdoption | None:
        if not adopters:
            return None
        national = any(a.level == OpenDataCharterLevel.NATIONAL for a in adopters)
        return cls(
            adopted_on=min(a.adopted_on for a in adopters),
            level=OpenDataCharterLevel.NATIONAL if national else OpenDataCharterLevel.SUBNATIONAL,
            adopters=adopters,
        )


@strawberry.type(description="A high-value dataset and its openness.")
class HighValueDataset(types.Node):
    node_type: ClassVar[str] = "HighValueDataset"
    country_pk: strawberry.Private[int]
    portal_pk: strawberry.Private[int | None]
    title: str
    category: HighValueDatasetCategory
    url: str = strawberry.field(description="The dataset's landing page.")
    machine_readable: bool = strawberry.field(description="Openness element: machine-readable.")
    non_proprietary_format: bool = strawberry.field(
        description="Openness element: available in a non-proprietary format."
    )
    metadata_available: bool = strawberry.field(description="Openness element: metadata.")
    download_or_api: bool = strawberry.field(
        description="Openness element: bulk download or an API."
    )
    open_licence: bool = strawberry.field(
        description="Openness element: an open licence or terms of use allowing reuse."
    )
    licence: str | None = strawberry.field(description="e.g. 'CC BY 4.0'.")
    checked_on: date = strawberry.field(description="When the openness elements were checked.")
    last_updated_on: date | None = strawberry.field(description="Last update by the publisher.")
    notes: str

    @strawberry.field(description="How many of the five openness elements it meets (0-5).")
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

    @strawberry.field(description="Meets all five openness elements.")
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

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...

    @relation(load_datasets_by_portal, default=[], description="High-value datasets it publishes.")
    def high_value_datasets(self) -> list[HighValueDataset]: ...


@strawberry.type(
    description="A country's Open Data Inventory (ODIN) scores in one edition, by Open Data "
    "Watch. `score` is the ODIN overall score; all three are 0-100.",
)
class OdinScore(types.Node, types.Assessment):
    node_type: ClassVar[str] = "OdinScore"
    country_pk: strawberry.Private[int]
    coverage: float = strawberry.field(description="ODIN coverage subscore, 0-100.")
    openness: float = strawberry.field(description="ODIN openness subscore, 0-100.")
    notes: str

    @classmethod
    def from_row(cls, row: Any) -> OdinScore:
        """`score` is ODIN's overall score; the others read their columns."""
        return from_row(cls, row, score=row.overall, scale_max=ODIN_SCALE_MAX)

    @relation(load_countries, key="country_pk")
    def country(self) -> types.Country: ...


@relation(
    load_charter_by_country,
    description="Adoption of the International Open Data Charter by the country's national and "
    "subnational governments; null when none has adopted it.",
)
def open_data_charter(root: types.Country) -> OpenDataCharterAdoption | None: ...


@relation(load_portals_by_country, default=[], description="Government open data portals.")
def data_portals(root: types.Country) -> list[DataPortal]: ...


@relation(load_odin_by_country, default=[], description="ODIN scores, latest edition first.")
def odin_scores(root: types.Country) -> list[OdinScore]: ...


@strawberry.type(
    description="The open data working group. It follows the Charter adoptions, portals, "
    "high-value datasets and ODIN scores of its countries: those of its anchors and members."
)
class OpenDataGroup(types.WorkingGroup):
    @strawberry.field(description="The six principles of the International Open Data Charter.")
    def charter_principles(self) -> list[str]:
        return list(CHARTER_PRINCIPLES)

    @relation(
        load_group_adopters,
        default=[],
        description="Charter adopters in the group's countries, earliest first.",
    )
    def charter_adopters(self) -> list[OpenDataCharterAdopter]: ...

    @relation(load_group_portals, description="Data portals of the group's countries, by name.")
    def data_portals(self, first: int = 20, after: str | None = None) -> Connection[DataPortal]: ...

    @relation(
        load_group_datasets,
        description="High-value datasets of the group's countries, by title.",
    )
    def high_value_datasets(
        self,
        category: list[HighValueDatasetCategory] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[HighValueDataset]: ...

    @relation(
        load_group_odin,
        description="ODIN scores of the group's countries, by country name then edition.",
    )
    def odin_scores(
        self, edition: str | None = None, first: int = 20, after: str | None = None
    ) -> Connection[OdinScore]: ...


COUNTRY_FIELDS = [open_data_charter, data_portals, odin_scores]
