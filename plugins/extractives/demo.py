"""Demo data: EITI memberships with their dated status history, Validations as the EITI Board
published them, a few well-known projects with their operators, contract disclosures and
beneficial owners.

Idempotent: each row is looked up by its natural key (country, organisation name, project name,
document URL...) and only what is missing is added. Every row that cites a source carries it and
the day it was read there (`retrieved_on`); every row that is not a published value (or could
not be confirmed with its publisher) says so in the data: `illustrative` is True (the invented
contract disclosures and beneficial owners also carry "(illustrative)" in a text field, and
their documents are on example.org).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core import demo_groups, enums, models
from plugins.extractives.demo_group import GROUP
from plugins.extractives.models import (
    BeneficialOwnershipDisclosure,
    ContractDisclosure,
    EitiCountryStatus,
    EitiDatePrecision,
    EitiMembership,
    EitiOverallAssessment,
    EitiRequirementAssessment,
    EitiRequirementLevel,
    EitiStandardVersion,
    EitiStatusChange,
    EitiStatusChangeReason,
    EitiStatusReason,
    EitiSuspensionReason,
    EitiValidation,
    ExtractiveAgreementKind,
    ExtractiveCommodity,
    ExtractiveProject,
)

ILLUSTRATIVE = "(illustrative)"
RETRIEVED = date(2026, 11, 30)  # the day the sources below were read
EITI = "https://eiti.org"

# --- EITI memberships ----------------------------------------------------------------------------
# country -> (joined on, source of the joining date or None if not confirmed). Confirmed on the
# eiti.org country pages ("Joined"): Ghana, Mexico. The others' joining dates are close to the
# public record but were not confirmed with the EITI: those memberships are illustrative.
IMPLEMENTING = EitiCountryStatus.IMPLEMENTING
JOINED: dict[str, tuple[date, str | None]] = {
    "GH": (date(2007, 9, 27), f"{EITI}/countries/ghana"),
    "MX": (date(2017, 10, 25), f"{EITI}/countries/mexico"),
    "NG": (date(2007, 9, 27), None),
    "NO": (date(2009, 2, 11), None),
    "ID": (date(2010, 10, 19), None),
    "PH": (date(2013, 5, 22), None),
    "CO": (date(2014, 10, 15), None),
    "GB": (date(2014, 10, 15), None),
    "US": (date(2014, 3, 19), None),
}

# Dated status changes: (country, status, reasons, effective on, Board decision, source or None).
# The change on the joining date is IMPLEMENTING for every country (sourced as its membership).
# Mexico: suspended after its 2022 Validation, Board decision 2022-31 / BM-53 (17 June 2022), for
# two reasons the decision gives: Requirement 1.3 on civil society engagement partly met
# (eiti.org's "inadequate stakeholder engagement") and a low overall score ("lack of progress").
# The United States withdrew on 2 November 2017 (EITI Chair's statement).
R = EitiSuspensionReason
CHANGES: list[
    tuple[str, EitiCountryStatus, tuple[EitiSuspensionReason, ...], date, str | None, str]
] = [
    (
        "MX",
        EitiCountryStatus.SUSPENDED,
        (R.INADEQUATE_ENGAGEMENT, R.LACK_OF_PROGRESS),
        date(2022, 6, 17),
        "2022-31 / BM-53",
        f"{EITI}/news/mexico-achieves-low-score-eiti-implementation",
    ),
    (
        "US",
        EitiCountryStatus.WITHDRAWN,
        (),
        date(2017, 11, 2),
        None,
        "https://api.eiti.org/es/node/18781",  # EITI Chair statement on the US withdrawal
    ),
]
# The reasons of a membership's current suspension, as eiti.org's country page lists them (the
# membership's source): Mexico "Suspended for inadequate stakeholder engagement; Suspended for
# lack of progress; Suspended for missing reporting deadline". The date of the suspension for the
# missed reporting deadline could not be confirmed, so it has no dated change of its own.
CURRENT_REASONS: dict[str, tuple[EitiSuspensionReason, ...]] = {
    "MX": (R.INADEQUATE_ENGAGEMENT, R.LACK_OF_PROGRESS, R.MISSED_DEADLINE),
}

# --- Validations ---------------------------------------------------------------------------------
# As the EITI Board published them (https://eiti.org/board-decision/...), with the decision
# reference. Progress model (2016 Standard): no points, per-Requirement assessments where the
# decision lists them. Ghana's 2024 Validation (2024-18 / BM-59): the scores are the Board's;
# the decision page gives no day, and no eiti.org page found gives its day or month, so the date
# is known to the year only (2024, from the decision reference): `decided_on_precision` YEAR.
V = EitiOverallAssessment
L = EitiRequirementLevel
S2016, S2019 = EitiStandardVersion.EITI_2016, EitiStandardVersion.EITI_2019
# (country, decided on, decision, standard, scores (SE, T, O&I, overall, effectiveness) or None,
#  assessment, {requirement: level}, source, illustrative); the day of the decision is known
#  unless the row is in YEAR_ONLY.
VALIDATIONS: list[
    tuple[
        str,
        date,
        str,
        EitiStandardVersion,
        tuple[float, float, float, float, float | None] | None,
        EitiOverallAssessment,
        dict[str, EitiRequirementLevel],
        str,
        bool,
    ]
] = [
    (
        "GH",
        date(2017, 3, 8),
        "2017-08",
        S2016,
        None,
        V.MEANINGFUL_PROGRESS,
        {
            r: L.MEANINGFUL_PROGRESS
            for r in ("2.3", "2.6", "3.2", "3.3", "4.1", "4.2", "4.5", "6.2")
        },
        f"{EITI}/board-decision/2017-08",
        False,
    ),
    (
        "GH",
        date(2019, 2, 27),
        "2019-16 / BM-42",
        S2016,
        None,
        V.MEANINGFUL_PROGRESS,
        {},
        f"{EITI}/board-decision/2019-16",
        False,
    ),
    (
        "GH",
        date(2024, 1, 1),  # the year only: see YEAR_ONLY
        "2024-18 / BM-59",
        S2019,
        (82.5, 78.0, 88.5, 83.0, 2.5),
        V.MODERATE,
        {},
        "https://api.eiti.org/ru/node/27112",  # eiti.org's page of decision 2024-18 / BM-59
        False,
    ),
    (
        "PH",
        date(2017, 10, 5),
        "2017-40 / BC-239",
        S2016,
        None,
        V.SATISFACTORY_PROGRESS,
        {r: L.BEYOND for r in ("1.4", "1.5", "2.1", "2.4", "5.1", "6.1", "7.1", "7.3", "7.4")},
        f"{EITI}/board-decision/2017-40",
        False,
    ),
]

YEAR_ONLY = {("GH", date(2024, 1, 1))}  # (country, decided on) known to the year only

# --- Operators and companies (core organisations) ------------------------------------------------
# (name, country of head office, website). Real companies, as operators of the projects below.
TULLOW = "Tullow Oil plc"
EQUINOR = "Equinor ASA"
FREEPORT = "PT Freeport Indonesia"
SHELL_PH = "Shell Philippines Exploration B.V."
PRIME_ENERGY = "Prime Energy Resources Development B.V."
CERREJON = "Carbones del Cerrejón Limited"
NEWMONT = "Newmont Corporation"
# Invented companies for the beneficial ownership examples (no real company's owners are shown).
GH_GOLD = f"Western Example Gold Ltd {ILLUSTRATIVE}"
NG_OIL = f"Delta Example Petroleum Ltd {ILLUSTRATIVE}"
MX_MINING = f"Sierra Ejemplo Minera S.A. de C.V. {ILLUSTRATIVE}"

COMPANIES: list[tuple[str, str, str | None]] = [
    (TULLOW, "GB", "https://www.tullowoil.com"),
    (EQUINOR, "NO", "https://www.equinor.com"),
    (FREEPORT, "ID", "https://ptfi.co.id"),
    (SHELL_PH, "PH", "https://www.shell.com.ph"),
    (PRIME_ENERGY, "PH", None),
    (CERREJON, "CO", "https://www.cerrejon.com"),
    (NEWMONT, "US", "https://www.newmont.com"),
    (GH_GOLD, "GH", None),
    (NG_OIL, "NG", None),
    (MX_MINING, "MX", None),
]

# --- Projects ------------------------------------------------------------------------------------
# (country, name, commodity, operator, license reference, location): well-known projects. An
# operator can change hands: Malampaya's operator, Shell Philippines Exploration B.V., passed to
# Prime Infrastructure Capital, which completed the acquisition on 2 November 2022 and renamed it
# Prime Energy Resources Development B.V. (SOURCED below, with its date). The other projects'
# operators were not checked for this demo: those rows are illustrative.
MALAMPAYA_SOURCE = (
    "https://news.abs-cbn.com/business/11/02/22/prime-infra-completes-acquisition-of-malampaya-"
    "operator",
    date(2022, 11, 2),
)
SOURCED_PROJECTS = {("PH", "Malampaya"): MALAMPAYA_SOURCE}
C = ExtractiveCommodity
PROJECTS: list[tuple[str, str, ExtractiveCommodity, str, str | None, str]] = [
    (
        "GH",
        "Jubilee Field",
        C.OIL,
        TULLOW,
        "West Cape Three Points and Deepwater Tano contract areas",
        "Offshore, Western Region",
    ),
    ("NO", "Johan Sverdrup", C.OIL, EQUINOR, "PL 265, PL 501, PL 502", "North Sea"),
    ("ID", "Grasberg", C.COPPER, FREEPORT, "IUPK (special mining business license)", "Papua"),
    ("PH", "Malampaya", C.GAS, PRIME_ENERGY, "Service Contract 38", "Offshore north-west Palawan"),
    ("CO", "Cerrejón", C.COAL, CERREJON, None, "La Guajira"),
    ("MX", "Peñasquito", C.GOLD, NEWMONT, None, "Mazapil, Zacatecas"),
]

# --- Contract disclosures ------------------------------------------------------------------------
# ALL illustrative: dates and URLs are invented (example.org), titles marked in the data.
# (country, project or None, title, kind, signed on, disclosed on, url)
CONTRACT = ExtractiveAgreementKind.CONTRACT
LICENSE = ExtractiveAgreementKind.LICENSE
CONTRACTS: list[tuple[str, str | None, str, ExtractiveAgreementKind, date | None, date, str]] = [
    (
        "GH",
        "Jubilee Field",
        f"Petroleum agreement, Deepwater Tano contract area {ILLUSTRATIVE}",
        CONTRACT,
        date(2006, 3, 10),
        date(2014, 5, 20),
        "https://example.org/eiti-demo/gh/deepwater-tano-petroleum-agreement.pdf",
    ),
    (
        "GH",
        "Jubilee Field",
        f"Petroleum agreement, West Cape Three Points block {ILLUSTRATIVE}",
        CONTRACT,
        date(2004, 7, 22),
        date(2014, 5, 20),
        "https://example.org/eiti-demo/gh/west-cape-three-points-petroleum-agreement.pdf",
    ),
    (
        "PH",
        "Malampaya",
        f"Service Contract 38 {ILLUSTRATIVE}",
        CONTRACT,
        date(1990, 12, 11),
        date(2019, 2, 14),
        "https://example.org/eiti-demo/ph/service-contract-38.pdf",
    ),
    (
        "MX",
        None,
        f"Concesión minera, Zacatecas {ILLUSTRATIVE}",
        LICENSE,
        None,
        date(2023, 9, 1),
        "https://example.org/eiti-demo/mx/concesion-minera-zacatecas.pdf",
    ),
]

# --- Beneficial owners ---------------------------------------------------------------------------
# ALL illustrative: invented people of invented companies, marked in their names.
# (country, company, owner, politically exposed, percent, interest since, disclosed on)
OWNERS: list[tuple[str, str, str, bool, float | None, date | None, date]] = [
    ("GH", GH_GOLD, f"A. Mensah {ILLUSTRATIVE}", False, 60.0, date(2015, 1, 1), date(2022, 6, 30)),
    ("GH", GH_GOLD, f"K. Boateng {ILLUSTRATIVE}", True, 40.0, date(2018, 3, 1), date(2022, 6, 30)),
    ("NG", NG_OIL, f"O. Adebayo {ILLUSTRATIVE}", True, 25.0, None, date(2021, 12, 31)),
    ("MX", MX_MINING, f"L. Ramírez {ILLUSTRATIVE}", False, 100.0, None, date(2023, 9, 1)),
]


async def _insert_missing(
    conn: AsyncConnection, model: Any, key: Sequence[str], rows: list[dict[str, Any]]
) -> None:
    """Insert the rows whose natural key (`key` columns) is not in the table yet."""
    columns = [model.__table__.c[name] for name in key]
    existing = {tuple(r) for r in await conn.execute(select(*columns))}
    missing = [row for row in rows if tuple(row[name] for name in key) not in existing]
    if missing:
        await conn.execute(insert(model), missing)


async def load(conn: AsyncConnection) -> None:
    await demo_groups.load(conn, GROUP)  # the area's working group first
    countries: dict[str, int] = dict(
        (await conn.execute(select(models.Country.alpha2, models.Country.id))).all()
    )

    def here(code: str) -> bool:
        return code in countries

    await _load_memberships(conn, countries)
    await _load_validations(conn, countries)

    org = models.Organization
    await _insert_missing(
        conn,
        org,
        ["name"],
        [
            {
                "name": name,
                "kind": enums.OrganizationKind.PRIVATE_SECTOR,
                "country_id": countries[code],
                "website": website,
            }
            for name, code, website in COMPANIES
            if here(code)
        ],
    )
    names = [name for name, _, _ in COMPANIES]
    orgs = dict((await conn.execute(select(org.name, org.id).where(org.name.in_(names)))).all())

    await _insert_missing(
        conn,
        ExtractiveProject,
        ["country_id", "name"],
        [
            {
                "country_id": countries[code],
                "name": name,
                "commodity": commodity,
                "operator_id": orgs.get(operator),
                "license_reference": license_reference,
                "location": location,
                **_project_source(code, name),
            }
            for code, name, commodity, operator, license_reference, location in PROJECTS
            if here(code)
        ],
    )
    project = ExtractiveProject
    project_names = [name for _, name, *_ in PROJECTS]
    projects = {
        (row.country_id, row.name): row.id
        for row in await conn.execute(
            select(project.id, project.country_id, project.name).where(
                project.name.in_(project_names)
            )
        )
    }
    await _insert_missing(
        conn,
        ContractDisclosure,
        ["country_id", "url"],
        [
            {
                "country_id": countries[code],
                "project_id": projects.get((countries[code], project_name)),
                "title": title,
                "kind": kind,
                "signed_on": signed_on,
                "disclosed_on": disclosed_on,
                "url": url,
                **_sourcing(None),
            }
            for code, project_name, title, kind, signed_on, disclosed_on, url in CONTRACTS
            if here(code)
        ],
    )
    await _insert_missing(
        conn,
        BeneficialOwnershipDisclosure,
        ["country_id", "company_id", "owner_name", "disclosed_on"],
        [
            {
                "country_id": countries[code],
                "company_id": orgs[company],
                "owner_name": owner,
                "politically_exposed": pep,
                "ownership_percent": percent,
                "interest_since": since,
                "disclosed_on": disclosed_on,
                **_sourcing(None),
            }
            for code, company, owner, pep, percent, since, disclosed_on in OWNERS
            if here(code) and company in orgs
        ],
    )


def _project_source(code: str, name: str) -> dict[str, Any]:
    sourced = SOURCED_PROJECTS.get((code, name))
    if sourced is None:
        return {"operator_since": None, **_sourcing(None)}
    url, operator_since = sourced
    return {
        "operator_since": operator_since,
        "source_url": url,
        "retrieved_on": RETRIEVED,
        "illustrative": False,
    }


def _sourcing(url: str | None) -> dict[str, Any]:
    """A row read on `url` today, or an illustrative one (None)."""
    if url is None:
        return {"source_url": None, "retrieved_on": None, "illustrative": True}
    return {"source_url": url, "retrieved_on": RETRIEVED, "illustrative": False}


async def _load_memberships(conn: AsyncConnection, countries: dict[str, int]) -> None:
    """Each membership, its history (IMPLEMENTING on joining, then CHANGES) and its current
    status (the latest change), with their suspension reasons."""
    history: dict[str, list[tuple[dict[str, Any], tuple[EitiSuspensionReason, ...]]]] = {}
    for code, (joined_on, source) in JOINED.items():
        history[code] = [
            (
                {
                    "status": IMPLEMENTING,
                    "effective_on": joined_on,
                    "board_decision": None,
                    **_sourcing(source),
                },
                (),
            )
        ]
    for code, status, reasons, on, decision, source in CHANGES:
        history[code].append(
            (
                {
                    "status": status,
                    "effective_on": on,
                    "board_decision": decision,
                    **_sourcing(source),
                },
                reasons,
            )
        )
    present = [code for code in JOINED if code in countries]
    await _insert_missing(
        conn,
        EitiMembership,
        ["country_id"],
        [
            {
                "country_id": countries[code],
                "status": history[code][-1][0]["status"],
                "joined_on": JOINED[code][0],
                **_sourcing(JOINED[code][1]),
            }
            for code in present
        ],
    )
    await _insert_missing(
        conn,
        EitiStatusChange,
        ["country_id", "effective_on"],
        [
            {"country_id": countries[code], **change}
            for code in present
            for change, _ in history[code]
        ],
    )
    # The reasons are the demo's own: set, not added to (a database loaded before the reasons
    # were split holds one reason per status, which these replace).
    changes = {
        (row.country_id, row.effective_on): row.id
        for row in await conn.execute(
            select(EitiStatusChange.id, EitiStatusChange.country_id, EitiStatusChange.effective_on)
        )
    }
    for code in present:
        cid = countries[code]
        for change, reasons in history[code]:
            await _set_reasons(
                conn,
                EitiStatusChangeReason,
                "status_change_id",
                changes[(cid, change["effective_on"])],
                reasons,
            )
        current = CURRENT_REASONS.get(code, history[code][-1][1])
        await _set_reasons(conn, EitiStatusReason, "country_id", cid, current)


async def _set_reasons(
    conn: AsyncConnection, model: Any, key: str, parent: int, reasons: Sequence[Any]
) -> None:
    """Make `reasons` the suspension reasons of `parent`, unless they already are."""
    table = model.__table__
    held = list(
        (
            await conn.execute(
                select(table.c.reason).where(table.c[key] == parent).order_by(table.c.id)
            )
        ).scalars()
    )
    if held == list(reasons):
        return
    await conn.execute(delete(table).where(table.c[key] == parent))
    if reasons:
        await conn.execute(insert(table), [{key: parent, "reason": r} for r in reasons])


async def _load_validations(conn: AsyncConnection, countries: dict[str, int]) -> None:
    rows = []
    for code, on, decision, standard, scores, assessment, _, source, illustrative in VALIDATIONS:
        if code not in countries:
            continue
        se, t, oi, overall, effectiveness = scores or (None, None, None, None, None)
        rows.append(
            {
                "country_id": countries[code],
                "decided_on": on,
                "decided_on_precision": (
                    EitiDatePrecision.YEAR if (code, on) in YEAR_ONLY else EitiDatePrecision.DAY
                ),
                "board_decision": decision,
                "standard": standard,
                "stakeholder_engagement": se,
                "transparency": t,
                "outcomes_and_impact": oi,
                "overall_score": overall,
                "effectiveness_points": effectiveness,
                "overall_assessment": assessment,
                "source_url": source,
                "retrieved_on": RETRIEVED,
                "illustrative": illustrative,
            }
        )
    await _replace_placeholders(conn, rows)
    await _insert_missing(conn, EitiValidation, ["country_id", "decided_on"], rows)
    ids = {
        (row.country_id, row.decided_on): row.id
        for row in await conn.execute(
            select(EitiValidation.id, EitiValidation.country_id, EitiValidation.decided_on)
        )
    }
    await _insert_missing(
        conn,
        EitiRequirementAssessment,
        ["validation_id", "requirement"],
        [
            {
                "validation_id": ids[(countries[code], on)],
                "requirement": number,
                "level": level,
            }
            for code, on, _, _, _, _, levels, _, _ in VALIDATIONS
            if code in countries and (countries[code], on) in ids
            for number, level in levels.items()
        ],
    )


async def _replace_placeholders(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    """A database loaded by an earlier demo may hold an illustrative placeholder where the demo
    now has the published value under the same key (country, decided on): e.g. Ghana's 2024
    Validation, once dated 1 January 2024 as a placeholder, now known to the year. The published
    row replaces it (its per-Requirement assessments stay); an illustrative demo row never
    replaces anything, nor does anything replace a row that is not illustrative."""
    for row in rows:
        if row["illustrative"]:
            continue
        await conn.execute(
            update(EitiValidation)
            .where(
                EitiValidation.country_id == row["country_id"],
                EitiValidation.decided_on == row["decided_on"],
                EitiValidation.illustrative.is_(True),
            )
            .values(**row)
        )
