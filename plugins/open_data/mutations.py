"""Root mutations of the open data area: one input object, a payload with `userErrors`, one
transaction each (`core.mutation_payload`), the write itself in `plugins.open_data.services`.

`...Record` mutations add a record, and with `replace: true` correct the one already stored under
the same key (country + government, dataset URL, country + ODIN edition). Portals, whose figures
change between checks, are corrected with `dataPortalUpdate`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from core import UserError, mutation_payload
from plugins.open_data import endorsements, odin, services
from plugins.open_data.models import (
    DataPortalPlatform,
    HighValueDatasetCategory,
    OpenDataCharterLevel,
)
from plugins.open_data.types import (
    DataPortal,
    HighValueDataset,
    OdinScore,
    OpenDataCharterAdopter,
    OpenDataCharterEndorser,
)

REPLACE = "Correct the record already stored under the same key instead of failing."
COUNTRY = "ISO 3166-1 alpha-2 or alpha-3 code of an OGP country."
SOURCE_URL = "The publisher's page the values were read from; required unless illustrative."
RETRIEVED_ON = "When they were read there (not in the future); required unless illustrative."
ILLUSTRATIVE = "Made-up or unverified values (demo data, examples); default false."


def _given(value: Any) -> Any:
    return services.UNSET if value is strawberry.UNSET else value


# --- inputs and payloads -------------------------------------------------------------------------


@strawberry.input(description="A government's adoption of the International Open Data Charter.")
class CharterAdoptionRecordInput:
    country: str = strawberry.field(description=COUNTRY)
    government: str = strawberry.field(description="e.g. 'Government of Uruguay', 'Montevideo'.")
    level: OpenDataCharterLevel
    adopted_on: date = strawberry.field(description="Not before October 2015.")
    source_url: str | None = strawberry.field(
        default=None, description="Evidence of adoption. " + SOURCE_URL
    )
    retrieved_on: date | None = strawberry.field(default=None, description=RETRIEVED_ON)
    illustrative: bool = strawberry.field(default=False, description=ILLUSTRATIVE)
    replace: bool = strawberry.field(default=False, description=REPLACE)


@strawberry.type
class CharterAdoptionPayload:
    adopter: OpenDataCharterAdopter | None
    user_errors: list[UserError]


@strawberry.input(
    description="An organisation's endorsement of the International Open Data Charter (NGOs, "
    "companies, professional bodies: governments adopt it, with charterAdoptionRecord)."
)
class CharterEndorsementRecordInput:
    name: str = strawberry.field(description="The organisation's name; one endorsement per name.")
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="The Organization, when it is one of ours."
    )
    country: str | None = strawberry.field(
        default=None, description="Where it is based (default: the organisation's). " + COUNTRY
    )
    endorsed_on: date | None = strawberry.field(
        default=None, description="Not before October 2015, not in the future."
    )
    source_url: str | None = strawberry.field(default=None, description=SOURCE_URL)
    retrieved_on: date | None = strawberry.field(default=None, description=RETRIEVED_ON)
    illustrative: bool = strawberry.field(default=False, description=ILLUSTRATIVE)
    replace: bool = strawberry.field(default=False, description=REPLACE)


@strawberry.type
class CharterEndorsementPayload:
    endorser: OpenDataCharterEndorser | None
    user_errors: list[UserError]


@strawberry.input(description="A government open data portal.")
class DataPortalRecordInput:
    country: str = strawberry.field(description=COUNTRY)
    name: str
    url: str = strawberry.field(description="http(s) URL; one portal per URL.")
    platform: DataPortalPlatform
    has_api: bool
    dataset_count: int | None = strawberry.field(default=None, description="At least 0.")
    checked_on: date | None = strawberry.field(
        default=None, description="When the count and API were checked."
    )
    notes: str | None = None
    source_url: str | None = strawberry.field(default=None, description=SOURCE_URL)
    retrieved_on: date | None = strawberry.field(default=None, description=RETRIEVED_ON)
    illustrative: bool = strawberry.field(default=False, description=ILLUSTRATIVE)


@strawberry.input(description="Fields left out stay as they are.")
class DataPortalUpdateInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    url: str | None = strawberry.UNSET
    platform: DataPortalPlatform | None = strawberry.UNSET
    has_api: bool | None = strawberry.UNSET
    dataset_count: int | None = strawberry.UNSET
    checked_on: date | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET
    source_url: str | None = strawberry.UNSET
    retrieved_on: date | None = strawberry.UNSET
    illustrative: bool | None = strawberry.UNSET


@strawberry.type
class DataPortalPayload:
    data_portal: DataPortal | None
    user_errors: list[UserError]


@strawberry.input(
    description="A dataset of an EU high-value category and the working group's own yes/no "
    "checks of five openness criteria on it (not ODIN's assessment)."
)
class DatasetRecordInput:
    country: str = strawberry.field(description=COUNTRY)
    title: str
    category: HighValueDatasetCategory
    url: str = strawberry.field(description="The dataset's landing page; one dataset per URL.")
    machine_readable: bool
    non_proprietary_format: bool
    metadata_available: bool
    download_or_api: bool
    open_licence: bool
    checked_on: date = strawberry.field(description="When the openness elements were checked.")
    portal_id: strawberry.ID | None = strawberry.field(
        default=None, description="A DataPortal of the same country."
    )
    licence: str | None = None
    last_updated_on: date | None = strawberry.field(
        default=None, description="Last update by the publisher; not after checkedOn."
    )
    notes: str | None = None
    source_url: str | None = strawberry.field(default=None, description=SOURCE_URL)
    retrieved_on: date | None = strawberry.field(default=None, description=RETRIEVED_ON)
    illustrative: bool = strawberry.field(default=False, description=ILLUSTRATIVE)
    replace: bool = strawberry.field(default=False, description=REPLACE)


@strawberry.type
class DatasetPayload:
    dataset: HighValueDataset | None
    user_errors: list[UserError]


@strawberry.input(
    description="A country's ODIN scores in one edition, as Open Data Watch publishes them."
)
class OdinScoreRecordInput:
    country: str = strawberry.field(description=COUNTRY)
    edition: str = strawberry.field(
        description="One of ODIN's rounds: 2015, 2016, 2017, 2018/19, 2020/21, 2022/23, 2024/25 "
        "(then every two years)."
    )
    score: float = strawberry.field(description="ODIN overall score, 0-100.")
    coverage: float | None = strawberry.field(
        default=None, description="ODIN coverage subscore, 0-100."
    )
    openness: float | None = strawberry.field(
        default=None, description="ODIN openness subscore, 0-100."
    )
    social: float | None = strawberry.field(
        default=None, description="ODIN social statistics subscore, 0-100."
    )
    economic: float | None = strawberry.field(
        default=None, description="ODIN economic and financial statistics subscore, 0-100."
    )
    environmental: float | None = strawberry.field(
        default=None, description="ODIN environmental statistics subscore, 0-100."
    )
    methodology_version: str | None = strawberry.field(
        default=None, description="Default 'ODIN <edition>'."
    )
    source_url: str | None = strawberry.field(default=None, description=SOURCE_URL)
    retrieved_on: date | None = strawberry.field(
        default=None,
        description="When the scores were read (Open Data Watch revises published editions: "
        "record the revision with replace: true and its date). " + RETRIEVED_ON,
    )
    illustrative: bool = strawberry.field(default=False, description=ILLUSTRATIVE)
    notes: str | None = None
    replace: bool = strawberry.field(default=False, description=REPLACE)


@strawberry.type
class OdinScorePayload:
    odin_score: OdinScore | None
    user_errors: list[UserError]


# --- mutations -----------------------------------------------------------------------------------


@strawberry.mutation(description="Record a government's adoption of the Open Data Charter.")
async def charter_adoption_record(
    info: Info, input: CharterAdoptionRecordInput
) -> CharterAdoptionPayload:
    data = services.Adoption(**vars(input))
    return await mutation_payload(
        info,
        lambda conn: services.record_adoption(conn, data),
        CharterAdoptionPayload,
        adopter=OpenDataCharterAdopter,
    )


@strawberry.mutation(
    description="Record an organisation's endorsement of the International Open Data Charter."
)
async def charter_endorsement_record(
    info: Info, input: CharterEndorsementRecordInput
) -> CharterEndorsementPayload:
    data = endorsements.Endorsement(**vars(input))
    return await mutation_payload(
        info,
        lambda conn: endorsements.record_endorsement(conn, data),
        CharterEndorsementPayload,
        endorser=OpenDataCharterEndorser,
    )


@strawberry.mutation(description="Record a government open data portal.")
async def data_portal_record(info: Info, input: DataPortalRecordInput) -> DataPortalPayload:
    values = vars(input).copy()
    country = values.pop("country")
    changes = services.PortalChanges(**values)
    return await mutation_payload(
        info,
        lambda conn: services.record_portal(conn, country, changes),
        DataPortalPayload,
        data_portal=DataPortal,
    )


@strawberry.mutation(description="Correct a data portal: its URL, platform, count, API, notes.")
async def data_portal_update(info: Info, input: DataPortalUpdateInput) -> DataPortalPayload:
    values = {name: _given(value) for name, value in vars(input).items() if name != "id"}
    changes = services.PortalChanges(**values)
    return await mutation_payload(
        info,
        lambda conn: services.update_portal(conn, input.id, changes),
        DataPortalPayload,
        data_portal=DataPortal,
    )


@strawberry.mutation(description="Record a high-value dataset and its openness elements.")
async def dataset_record(info: Info, input: DatasetRecordInput) -> DatasetPayload:
    data = services.Dataset(**vars(input))
    return await mutation_payload(
        info,
        lambda conn: services.record_dataset(conn, data),
        DatasetPayload,
        dataset=HighValueDataset,
    )


@strawberry.mutation(description="Record a country's ODIN scores for one edition.")
async def odin_score_record(info: Info, input: OdinScoreRecordInput) -> OdinScorePayload:
    data = odin.Odin(**vars(input))
    return await mutation_payload(
        info,
        lambda conn: odin.record_odin(conn, data),
        OdinScorePayload,
        odin_score=OdinScore,
    )


MUTATION_FIELDS = [
    charter_adoption_record,
    charter_endorsement_record,
    data_portal_record,
    data_portal_update,
    dataset_record,
    odin_score_record,
]
