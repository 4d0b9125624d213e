"""The demo's action plans (issue 10, section 5): Chile's (three cycles) and Kenya's (one), a
handful of their commitments, milestones, the IRM's assessments, and links to the pilot groups.

Sources (OGP's commitment pages, opengovpartnership.org/members/<country>/commitments/<ref>/):
- CL0040 "Datos Abiertos y Compras Públicas" (Chile Action Plan 2016-2018; lead ChileCompra):
  verifiable, relevant to access to information and technology, not starred, early results
  ("did it open government") Marginal.
- CL0050 "Institucionalización de la Alianza para el Gobierno Abierto en Chile ..." (2016-2018;
  lead Ministerio Secretaría General de la Presidencia): verifiable, relevant to access to
  information and civic participation, not starred, early results Major.
- CL0061 "Construir colaborativamente una propuesta de política sobre creación de un registro de
  dueños reales (beneficiarios finales) de empresas" (Chile Action Plan 2018-2020, execution
  1 December 2018 to 31 August 2020; lead Unidad de Análisis Financiero): verifiable, relevant
  to civic participation, ambition low (Chile Design Report 2018-2020).
- KE0018 "Beneficial Ownership" (Kenya Action Plan 2018-2020; lead the Attorney General's
  office): verifiable, relevant, ambition high, early results Marginal (Kenya Transitional
  Results Report 2018-2021).
- CL0033 "Fortalecimiento de la democracia ambiental" (Chile Action Plan 2016-2018, cycle 2016;
  lead Ministerio del Medio Ambiente; Oficina de Asuntos Internacionales; support Ministerio de
  Relaciones Exteriores): Principle 10 of the Rio Declaration, the regional instrument Chile
  proposed at Rio+20; IRM report Chile Mid-Term Report 2016-2018 (Year 1): starred, verifiable,
  relevant to access to information and civic participation; potential impact and completion
  left blank on the page. Chile's 2014-2016 plan is in the demo with no commitment.

What those pages do not give is illustrative and marked so: every plan's exact cycle dates
(`ActionPlan.illustrative`), the ratings the pages leave blank (potential impact, completion:
each such assessment is `illustrative`), and every milestone (`Milestone.illustrative`).
CL0061's completion is recorded as COMPLETE for the demo's matching example ("Chile completed a
commitment on beneficial ownership"), illustrative: the IRM's Transitional Results Report is not
quoted here.

Called by core/demo.py after the plugins' demos (the pilot groups are theirs); idempotent: a
plan is looked up by (country, cycle start), a commitment by (plan, reference).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.commitments.models import (
    ActionPlan,
    Commitment,
    CommitmentGroup,
    CommitmentTopic,
    IrmAssessment,
    Milestone,
)
from core.db import utcnow
from core.groups.models import WorkingGroup
from core.people.models import Country

OGP = "https://www.opengovpartnership.org/members"


@dataclass(frozen=True)
class Rating:
    verifiable: bool | None
    values: tuple[str, ...]
    potential_impact: str | None
    completion: str | None
    did_it_open_government: str | None
    source_title: str
    illustrative: bool


@dataclass(frozen=True)
class DemoCommitment:
    reference: str
    title: str
    description: str
    lead_institution: str
    themes: tuple[str, ...]
    groups: tuple[str, ...]
    milestones: tuple[tuple[str, date, str], ...]
    rating: Rating | None
    illustrative: bool = False


@dataclass(frozen=True)
class DemoPlan:
    country: str
    title: str
    cycle_start: date
    cycle_end: date
    cohort: int
    commitments: list[DemoCommitment] = field(default_factory=list)


ENVIRONMENT = DemoCommitment(
    reference="CL0033",
    title="Fortalecimiento de la democracia ambiental",
    description="Implement the rights of access to environmental information, participation "
    "and justice (Principle 10 of the 1992 Rio Declaration), building on the regional "
    "declaration Chile proposed with civil society at Rio+20 (2012) towards a regional "
    "instrument for Latin America and the Caribbean. A summary of OGP's page, not its wording.",
    lead_institution="Ministerio del Medio Ambiente; Oficina de Asuntos Internacionales",
    themes=("access-to-information", "environment", "civic-participation"),
    groups=("access-to-information",),
    milestones=(
        ("Negotiation rounds of the regional agreement", date(2017, 6, 30), "COMPLETE"),
        ("Public consultation on the draft agreement", date(2018, 6, 30), "SUBSTANTIAL"),
    ),
    rating=Rating(
        verifiable=True,
        values=("access_to_information", "civic_participation"),
        potential_impact="TRANSFORMATIVE",
        completion="SUBSTANTIAL",
        did_it_open_government=None,
        source_title="Chile Mid-Term Report 2016-2018 (Year 1): starred, verifiable, access to "
        "information and civic participation; potential impact and completion illustrative, "
        "consistent with its star",
        illustrative=True,
    ),
)
PROCUREMENT = DemoCommitment(
    reference="CL0040",
    title="Datos Abiertos y Compras Públicas",
    description="An open data policy and directive for public procurement, and ChileCompra's "
    "tools strengthened to publish procurement information as open data.",
    lead_institution="Dirección de Compras y Contratación Pública (ChileCompra)",
    themes=("open-contracting", "open-data"),
    groups=("open-data", "fiscal-openness"),
    milestones=(
        ("Open data policy for public procurement", date(2017, 6, 30), "COMPLETE"),
        ("Directive on open data in public procurement", date(2017, 12, 31), "COMPLETE"),
        ("Procurement tools that support the open data policy", date(2018, 6, 30), "LIMITED"),
    ),
    rating=Rating(
        verifiable=True,
        values=("access_to_information", "technology_and_innovation"),
        potential_impact="MODERATE",
        completion="SUBSTANTIAL",
        did_it_open_government="MARGINAL",
        source_title="Chile End-of-Term Report 2016-2018",
        illustrative=True,
    ),
)
INSTITUTIONS = DemoCommitment(
    reference="CL0050",
    title="Institucionalización de la Alianza para el Gobierno Abierto en Chile mediante "
    "creación de la Secretaría Ejecutiva de Gobierno Abierto",
    description="An administrative body within the Ministry General Secretariat of the "
    "Presidency that coordinates the actors and designs, implements and monitors OGP action "
    "plans.",
    lead_institution="Ministerio Secretaría General de la Presidencia",
    themes=("civic-participation",),
    groups=(),
    milestones=(("Executive secretariat created", date(2017, 12, 31), "COMPLETE"),),
    rating=Rating(
        verifiable=True,
        values=("access_to_information", "civic_participation"),
        potential_impact="MODERATE",
        completion="COMPLETE",
        did_it_open_government="MAJOR",
        source_title="Chile End-of-Term Report 2016-2018",
        illustrative=True,
    ),
)
CHILE_BO = DemoCommitment(
    reference="CL0061",
    title="Construir colaborativamente una propuesta de política sobre creación de un registro "
    "de dueños reales (beneficiarios finales - BF) de empresas",
    description="A policy proposal, built with public institutions and civil society, for a "
    "centralised register of the natural persons who ultimately own or control companies "
    "(beneficial owners), for public procurement, subsidies and the prevention of money "
    "laundering and corruption.",
    lead_institution="Unidad de Análisis Financiero",
    themes=("anti-corruption", "beneficial-ownership"),
    groups=("extractive-industries", "fiscal-openness"),
    milestones=(
        ("Multi-stakeholder working group convened", date(2019, 6, 30), "COMPLETE"),
        ("Policy proposal for a beneficial ownership register", date(2019, 12, 31), "COMPLETE"),
        ("Proposal presented to the authorities", date(2020, 8, 31), "COMPLETE"),
    ),
    rating=Rating(
        verifiable=True,
        values=("civic_participation",),
        potential_impact="MINOR",
        completion="COMPLETE",
        did_it_open_government=None,
        source_title="Chile Design Report 2018-2020; completion illustrative",
        illustrative=True,
    ),
)
KENYA_BO = DemoCommitment(
    reference="KE0018",
    title="Beneficial Ownership",
    description="Publish a central public register of the beneficial owners of companies "
    "operating in Kenya, building on the Companies (Amendment) Act 2017.",
    lead_institution="Office of the Attorney General",
    themes=("anti-corruption", "beneficial-ownership", "open-data"),
    groups=("extractive-industries",),
    milestones=(
        ("Regulations on beneficial ownership disclosure", date(2019, 6, 30), "COMPLETE"),
        ("Public central register online", date(2020, 12, 31), "LIMITED"),
    ),
    rating=Rating(
        verifiable=True,
        values=("access_to_information",),
        potential_impact="TRANSFORMATIVE",
        completion=None,
        did_it_open_government="MARGINAL",
        source_title="Kenya Design Report 2018-2020; Kenya Transitional Results Report 2018-2021",
        illustrative=True,
    ),
)
KENYA_CONTRACTS = DemoCommitment(
    reference="KE-DEMO-OC",
    title="Open contracting in public procurement (illustrative)",
    description="Publish public procurement data in the Open Contracting Data Standard. "
    "Illustrative: not quoted from Kenya's plan.",
    lead_institution="National Treasury (illustrative)",
    themes=("open-contracting",),
    groups=("open-data",),
    milestones=(("Procurement portal publishes OCDS data", date(2020, 6, 30), "SUBSTANTIAL"),),
    rating=None,
    illustrative=True,
)

PLANS = [
    DemoPlan("CL", "Chile Action Plan 2014-2016", date(2014, 7, 1), date(2016, 6, 30), 2014,
             []),
    DemoPlan("CL", "Chile Action Plan 2016-2018", date(2016, 7, 1), date(2018, 6, 30), 2016,
             [ENVIRONMENT, PROCUREMENT, INSTITUTIONS]),
    DemoPlan("CL", "Chile Action Plan 2018-2020", date(2018, 9, 1), date(2020, 8, 31), 2018,
             [CHILE_BO]),
    DemoPlan("KE", "Kenya Action Plan 2018-2020", date(2018, 12, 1), date(2021, 6, 30), 2018,
             [KENYA_BO, KENYA_CONTRACTS]),
]  # fmt: skip
VALUES = (
    "access_to_information",
    "civic_participation",
    "public_accountability",
    "technology_and_innovation",
)


def _url(country: str, reference: str | None = None) -> str:
    name = {"CL": "chile", "KE": "kenya"}[country]
    return f"{OGP}/{name}/" + (f"commitments/{reference}/" if reference else "")


async def _plan(conn: AsyncConnection, plan: DemoPlan, country_id: int) -> int:
    found = await conn.scalar(
        select(ActionPlan.id).where(
            ActionPlan.country_id == country_id, ActionPlan.cycle_start == plan.cycle_start
        )
    )
    if found is not None:
        return int(found)
    stmt = insert(ActionPlan).values(
        country_id=country_id,
        title=plan.title,
        cycle_start=plan.cycle_start,
        cycle_end=plan.cycle_end,
        submitted_on=None,
        cohort=plan.cohort,
        source_url=_url(plan.country),
        illustrative=True,  # the exact cycle dates are not sourced here
        created_at=utcnow(),
    )
    return int((await conn.execute(stmt.returning(ActionPlan.id))).scalar_one())


async def _commitment(
    conn: AsyncConnection,
    plan_id: int,
    country: str,
    position: int,
    c: DemoCommitment,
    groups: dict[str, int],
) -> bool:
    exists = await conn.scalar(
        select(Commitment.id).where(
            Commitment.action_plan_id == plan_id, Commitment.reference == c.reference
        )
    )
    if exists is not None:
        return False
    now = utcnow()
    stmt = insert(Commitment).values(
        action_plan_id=plan_id,
        reference=c.reference,
        position=position,
        title=c.title,
        description=c.description,
        lead_institution=c.lead_institution,
        source_url=None if c.illustrative else _url(country, c.reference),
        illustrative=c.illustrative,
        created_at=now,
        updated_at=now,
    )
    pk = int((await conn.execute(stmt.returning(Commitment.id))).scalar_one())
    rows: list[dict[str, Any]] = [{"commitment_id": pk, "topic": t} for t in sorted(c.themes)]
    await conn.execute(insert(CommitmentTopic), rows)
    steps = [
        {
            "commitment_id": pk,
            "position": i,
            "title": title,
            "due_on": due,
            "status": status,
            "status_updated_at": now,
            "illustrative": True,
        }
        for i, (title, due, status) in enumerate(c.milestones, start=1)
    ]
    await conn.execute(insert(Milestone), steps)
    linked = [
        {"commitment_id": pk, "group_id": groups[s], "linked_at": now}
        for s in c.groups
        if s in groups
    ]
    if linked:
        await conn.execute(insert(CommitmentGroup), linked)
    if c.rating is not None:
        r = c.rating
        await conn.execute(
            insert(IrmAssessment).values(
                commitment_id=pk,
                verifiable=r.verifiable,
                **{value: value in r.values for value in VALUES},
                potential_for_results=None,
                potential_impact=r.potential_impact,
                completion=r.completion,
                did_it_open_government=r.did_it_open_government,
                source_title=r.source_title,
                source_url=None if c.illustrative else _url(country, c.reference),
                illustrative=r.illustrative,
                recorded_at=now,
            )
        )
    return True


async def load(conn: AsyncConnection) -> int:
    """Add what is missing of the demo's plans; returns the number of commitments added."""
    countries = dict(
        (
            await conn.execute(
                select(Country.alpha2, Country.id).where(Country.alpha2.in_(["CL", "KE"]))
            )
        ).all()
    )
    groups = dict((await conn.execute(select(WorkingGroup.slug, WorkingGroup.id))).all())
    added = 0
    for plan in PLANS:
        if plan.country not in countries:
            continue
        plan_id = await _plan(conn, plan, countries[plan.country])
        for position, c in enumerate(plan.commitments, start=1):
            added += await _commitment(conn, plan_id, plan.country, position, c, groups)
    return added
