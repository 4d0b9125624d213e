"""GraphQL types of the commitments domain: ActionPlan, Commitment, Milestone, IrmAssessment.

All public: plans are governments' official documents, the IRM's reports are published.
Types of other domains are lazy (`strawberry.lazy`): why, in core/people/types.py.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry

from core.commitments import evidence_types, loaders, services
from core.commitments.irm import StarRule
from core.commitments.models import (
    Completion,
    DidItOpenGovernment,
    MilestoneStatus,
    PotentialForResults,
    PotentialImpact,
)
from core.knowledge import loaders as knowledge_loaders
from core.limits import LIST_SIZE
from core.loading import relation
from core.people import loaders as people_loaders
from core.provenance import ILLUSTRATIVE_HELP
from core.schema.base import Node
from core.schema.pagination import Connection
from core.topics import MAX_TOPICS

if TYPE_CHECKING:
    from core.groups.types import WorkingGroup
    from core.knowledge.types import ResourceConnection
    from core.people.types import Country

STARRED_HELP = (
    "Starred by the IRM's rule of the plan's period (derived, never entered): verifiable, "
    "relevant to access to information, civic participation or public accountability, "
    "potential impact MODERATE or TRANSFORMATIVE (plans starting 2012-2013) or TRANSFORMATIVE "
    "(later plans ending before 2020), and completion SUBSTANTIAL or COMPLETE. null: not "
    "assessed, or a period without stars (founding plans; plans ending in 2020 or later, "
    "assessed under the IRM Refresh)."
)


@strawberry.type(description="A country's OGP national action plan for one cycle.")
class ActionPlan(Node):
    node_type: ClassVar[str] = "ActionPlan"
    country_pk: strawberry.Private[int]
    title: str
    cycle_start: date = strawberry.field(description="First day of the implementation period.")
    cycle_end: date = strawberry.field(description="Last day of the implementation period.")
    submitted_on: date | None = strawberry.field(
        description="When submitted to OGP; not checked against `cohort` (OGP's cycle), which "
        "it may differ from."
    )
    cohort: int = strawberry.field(description="The year OGP groups the plan by.")
    source_url: str | None = strawberry.field(description="The plan as published.")
    illustrative: bool = strawberry.field(description=ILLUSTRATIVE_HELP)

    @classmethod
    def from_row(cls, row: Any) -> ActionPlan:
        return cls(
            pk=row.id,
            country_pk=row.country_id,
            title=row.title,
            cycle_start=row.cycle_start,
            cycle_end=row.cycle_end,
            submitted_on=row.submitted_on,
            cohort=row.cohort,
            source_url=row.source_url,
            illustrative=row.illustrative,
        )

    @relation(people_loaders.countries_by_id, key="country_pk")
    def country(self) -> Annotated[Country, strawberry.lazy("core.people.types")] | None: ...

    @relation(loaders.commitments_by_plan, description="Its commitments, in the plan's order.")
    def commitments(
        self,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> CommitmentConnection: ...


@strawberry.type(description="A commitment of an action plan.")
class Commitment(Node):
    node_type: ClassVar[str] = "Commitment"
    plan_pk: strawberry.Private[int]
    country_pk: strawberry.Private[int]
    reference: str = strawberry.field(description="OGP's code for it, e.g. 'CL0045'.")
    position: int = strawberry.field(description="Its place in the plan (1, 2, ...).")
    title: str
    description: str
    lead_institution: str | None
    source_url: str | None = strawberry.field(
        description="OGP's page for it (null only when illustrative)."
    )
    starred: bool | None = strawberry.field(description=STARRED_HELP)
    illustrative: bool = strawberry.field(description=ILLUSTRATIVE_HELP)
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> Commitment:
        return cls(
            pk=row.id,
            plan_pk=row.action_plan_id,
            country_pk=row.country_id,
            reference=row.reference,
            position=row.position,
            title=row.title,
            description=row.description,
            lead_institution=row.lead_institution,
            source_url=row.source_url,
            starred=row.starred,  # a Boolean expression: read as a bool or None
            illustrative=row.illustrative,
            updated_at=row.updated_at,
        )

    @relation(loaders.action_plans_by_id, key="plan_pk")
    def action_plan(self) -> ActionPlan | None: ...

    @relation(people_loaders.countries_by_id, key="country_pk")
    def country(self) -> Annotated[Country, strawberry.lazy("core.people.types")] | None: ...

    @relation(
        loaders.themes_by_commitment,
        default=[],
        description="Its themes: topic slugs (e.g. 'beneficial-ownership'), sorted.",
        metadata={LIST_SIZE: MAX_TOPICS},
    )
    def themes(self) -> list[str]: ...

    @relation(
        loaders.groups_by_commitment,
        default=[],
        description="The working groups that follow it, by name.",
    )
    def working_groups(
        self,
    ) -> list[Annotated[WorkingGroup, strawberry.lazy("core.groups.types")]]: ...

    @relation(
        loaders.milestones_by_commitment,
        default=[],
        description="Its milestones, in the plan's order.",
        metadata={LIST_SIZE: services.MAX_MILESTONES},
    )
    def milestones(self) -> list[Milestone]: ...

    @relation(
        loaders.assessments_by_commitment,
        description="The IRM's assessment; null until recorded.",
    )
    def irm_assessment(self) -> IrmAssessment | None: ...

    @relation(
        knowledge_loaders.resources_by_commitment,
        description="Resources about the commitment (lessons learned, guides...), newest first: "
        "the published ones, and the drafts you may see.",
    )
    def resources(
        self,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Annotated[ResourceConnection, strawberry.lazy("core.knowledge.types")]: ...

    evidence = evidence_types.evidence_field  # core/commitments/evidence_types.py


@strawberry.type(description="A milestone of a commitment.")
class Milestone(Node):
    node_type: ClassVar[str] = "Milestone"
    commitment_pk: strawberry.Private[int]
    position: int
    title: str
    due_on: date | None = strawberry.field(description="null when the plan gives no date.")
    status: MilestoneStatus
    status_updated_at: datetime | None
    illustrative: bool = strawberry.field(description=ILLUSTRATIVE_HELP)

    @classmethod
    def from_row(cls, row: Any) -> Milestone:
        return cls(
            pk=row.id,
            commitment_pk=row.commitment_id,
            position=row.position,
            title=row.title,
            due_on=row.due_on,
            status=row.status,
            status_updated_at=row.status_updated_at,
            illustrative=row.illustrative,
        )

    @relation(loaders.commitments_by_id, key="commitment_pk")
    def commitment(self) -> Commitment | None: ...


@strawberry.type(
    description="The Independent Reporting Mechanism's assessment of a commitment, on the IRM's "
    "own scales (null: not rated on that scale), with the report it comes from."
)
class IrmAssessment(Node):
    node_type: ClassVar[str] = "IrmAssessment"
    verifiable: bool | None
    access_to_information: bool = strawberry.field(description="Relevant to this OGP value.")
    civic_participation: bool = strawberry.field(description="Relevant to this OGP value.")
    public_accountability: bool = strawberry.field(description="Relevant to this OGP value.")
    technology_and_innovation: bool = strawberry.field(
        description="Technology and innovation for transparency and accountability."
    )
    potential_for_results: PotentialForResults | None = strawberry.field(
        description="Action Plan Reviews (since the 2021 IRM Refresh)."
    )
    potential_impact: PotentialImpact | None = strawberry.field(
        description="The older scale (Design, Progress and End-of-Term Reports)."
    )
    completion: Completion | None
    did_it_open_government: DidItOpenGovernment | None
    starred: bool | None = strawberry.field(description=STARRED_HELP)
    star_rule: StarRule | None = strawberry.field(
        description="The star rule of the plan's period; null: a period without stars."
    )
    ambitious: bool = strawberry.field(
        description="Potential for results SUBSTANTIAL, or potential impact TRANSFORMATIVE."
    )
    source_title: str = strawberry.field(description="The IRM report it comes from.")
    source_url: str | None
    illustrative: bool = strawberry.field(description=ILLUSTRATIVE_HELP)
    recorded_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> IrmAssessment:
        return cls(
            pk=row.commitment_id,
            verifiable=row.verifiable,
            access_to_information=row.access_to_information,
            civic_participation=row.civic_participation,
            public_accountability=row.public_accountability,
            technology_and_innovation=row.technology_and_innovation,
            potential_for_results=row.potential_for_results,
            potential_impact=row.potential_impact,
            completion=row.completion,
            did_it_open_government=row.did_it_open_government,
            starred=None if row.starred is None else bool(row.starred),
            star_rule=None if row.star_rule is None else StarRule(row.star_rule),
            ambitious=bool(row.ambitious),
            source_title=row.source_title,
            source_url=row.source_url,
            illustrative=row.illustrative,
            recorded_at=row.recorded_at,
        )

    @relation(loaders.commitments_by_id)
    def commitment(self) -> Commitment | None: ...


_CONNECTION = Connection.__strawberry_definition__.description  # type: ignore[attr-defined]


@strawberry.type(name="ActionPlanConnection", description=_CONNECTION)
class ActionPlanConnection(Connection[ActionPlan]):
    """The one connection type of action plans (`Country.actionPlans`, `actionPlans`)."""


@strawberry.type(name="CommitmentConnection", description=_CONNECTION)
class CommitmentConnection(Connection[Commitment]):
    """The one connection type of commitments (`ActionPlan.commitments`,
    `WorkingGroup.commitments`, `commitments`)."""
