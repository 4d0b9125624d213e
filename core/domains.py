"""The core's own domains (people, groups, meetings), and what each contributes to the kernel.

Each domain lives in one folder with the shape of a plugin (core/<domain>/: models, types,
loaders, queries, mutations, services, access); this module is the one place the kernel learns
of them, and it takes in the same contributions a plugin's hooks return: root query and mutation
fields, named loaders, node loaders, access declarations, constraint errors. `core.schema.build`,
`core.schema.nodes`, `core.access.policy` and `core.transactions` read them here and merge them
with the plugins' hook results, where the core's were merged before.

Why not through the pluggy hooks themselves, as datasette registers its `default_*` modules?
Considered, and not done (issue 9, part 0), because the core's domains are not plugins in what
the hook machinery means by one, and the schema would change:

- every plugin is a theme: `PluginSet` requires `ogp_wg_group_type` from each, lets the
  configuration disable it, records its tables and revisions in `plugin_registry` (and removes
  them when it is uninstalled), lists it in `ogp-wg plugins` and `themes`, and names it in
  errors ("plugin 'x'..."). A core domain is none of these: it cannot be disabled, and every
  plugin depends on it (`types.WorkingGroup`, `load_countries`...).
- hook results are appended after the core's fields, in plugin order. The core's root fields
  interleave kernel and domain fields (`themes`, `workingGroups`, `workingGroup`, `node`,
  `nodes`, `countries`...) and some domain fields sit between another domain's
  (`Organization.workingGroups` before `Organization.people`): through `ogp_wg_query_fields` and
  `ogp_wg_type_fields` the SDL (schema.graphql, a public contract) would be reordered.

What is shared instead: one shape per domain, and contributions of the hooks' own types, merged
at the hooks' merge points with the same checks (a duplicate field, loader or node type stops
start-up naming both owners). Turning each domain into a hook implementation later (a
`core/<domain>/hooks.py` registered like datasette's defaults) needs hooks that can order
fields and a notion of a built-in, non-optional plugin; nothing else here would change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from strawberry.tools import merge_types

from core.access.declare import Declaration
from core.activity import loaders as activity_loaders
from core.activity import subscriptions as activity_subscriptions
from core.activity import types as activity_types
from core.assistance import access as assistance_access
from core.assistance import loaders as assistance_loaders
from core.assistance import mutations as assistance_mutations
from core.assistance import queries as assistance_queries
from core.assistance import services as assistance_services
from core.assistance import types as assistance_types
from core.comments import access as comments_access
from core.comments import loaders as comments_loaders
from core.comments import mutations as comments_mutations
from core.comments import queries as comments_queries
from core.comments import services as comments_services
from core.comments import types as comments_types
from core.commitments import access as commitments_access
from core.commitments import evidence as commitments_evidence
from core.commitments import evidence_access as commitments_evidence_access
from core.commitments import evidence_types as commitments_evidence_types
from core.commitments import loaders as commitments_loaders
from core.commitments import mutations as commitments_mutations
from core.commitments import queries as commitments_queries
from core.commitments import services as commitments_services
from core.commitments import types as commitments_types
from core.groups import access as groups_access
from core.groups import loaders as groups_loaders
from core.groups import mutations as groups_mutations
from core.groups import queries as groups_queries
from core.groups import services as groups_services
from core.groups import types as groups_types
from core.hookspecs import BatchLoadFn
from core.knowledge import access as knowledge_access
from core.knowledge import loaders as knowledge_loaders
from core.knowledge import mutations as knowledge_mutations
from core.knowledge import queries as knowledge_queries
from core.knowledge import services as knowledge_services
from core.knowledge import types as knowledge_types
from core.meetings import access as meetings_access
from core.meetings import loaders as meetings_loaders
from core.meetings import mutations as meetings_mutations
from core.meetings import queries as meetings_queries
from core.meetings import services as meetings_services
from core.meetings import types as meetings_types
from core.notifications import access as notifications_access
from core.notifications import mutations as notifications_mutations
from core.notifications import services as notifications_services
from core.people import access as people_access
from core.people import loaders as people_loaders
from core.people import queries as people_queries
from core.people import types as people_types
from core.pilot import queries as pilot_queries
from core.priorities import access as priorities_access
from core.priorities import loaders as priorities_loaders
from core.priorities import mutations as priorities_mutations
from core.priorities import services as priorities_services
from core.priorities import types as priorities_types
from core.schema.queries import AuditQuery, NodeQuery, ThemesQuery
from core.search import queries as search_queries
from core.translations import access as translations_access
from core.translations import loaders as translations_loaders
from core.translations import mutations as translations_mutations
from core.translations import queries as translations_queries
from core.translations import services as translations_services

# The root types, kernel and domain fields in the order of schema.graphql (merge_types keeps the
# order of the classes, then of each class's fields).
Query: type = merge_types(
    "Query",
    (
        ThemesQuery,
        groups_queries.Query,
        NodeQuery,
        people_queries.Query,
        meetings_queries.Query,
        comments_queries.Query,
        AuditQuery,
        translations_queries.Query,
        knowledge_queries.Query,
        search_queries.Query,
        assistance_queries.Query,
        commitments_queries.Query,
        pilot_queries.Query,
    ),
)
Mutation: type = merge_types(
    "Mutation",
    (
        groups_mutations.Mutation,
        meetings_mutations.Mutation,
        translations_mutations.Mutation,
        comments_mutations.Mutation,
        notifications_mutations.Mutation,
        priorities_mutations.Mutation,
        knowledge_mutations.Mutation,
        assistance_mutations.Mutation,
        commitments_mutations.Mutation,
        commitments_evidence_types.Mutation,
    ),
)

Subscription: type = activity_subscriptions.Subscription
"""The root subscription fields (served over graphql-transport-ws: core.activity.websocket)."""

LOADERS: dict[str, BatchLoadFn] = {
    **activity_loaders.LOADERS,
    **people_loaders.LOADERS,
    **groups_loaders.LOADERS,
    **meetings_loaders.LOADERS,
    **translations_loaders.LOADERS,
    **comments_loaders.LOADERS,
    **priorities_loaders.LOADERS,
    **knowledge_loaders.LOADERS,
    **assistance_loaders.LOADERS,
    **commitments_loaders.LOADERS,
}
"""Named loaders (for `Context.loader`), as plugins return them from `ogp_wg_loaders`."""

NODE_LOADERS: dict[type, BatchLoadFn] = {
    people_types.Country: people_loaders.countries_by_id,
    people_types.Organization: people_loaders.organizations_by_id,
    people_types.Person: people_loaders.people_by_id,
    groups_types.WorkingGroup: groups_loaders.groups_by_id,  # every theme's group: IDs say so
    meetings_types.Meeting: meetings_loaders.meetings_by_id,
    groups_types.Anchor: groups_loaders.anchors_by_id,
    groups_types.Membership: groups_loaders.memberships_by_id,
    groups_types.GroupDecision: groups_loaders.decisions_by_id,
    meetings_types.Registration: meetings_loaders.registrations_by_id,
    activity_types.ActivityEvent: activity_loaders.events_by_id,
    comments_types.Comment: comments_loaders.comments_by_id,
    comments_types.Feedback: comments_loaders.feedback_by_id,
    priorities_types.PriorityArea: priorities_loaders.priority_areas_by_id,
    priorities_types.PriorityAreaPosition: priorities_loaders.positions_by_id,
    meetings_types.MeetingLink: meetings_loaders.meeting_links_by_id,
    knowledge_types.Resource: knowledge_loaders.resources_by_id,
    knowledge_types.Expertise: knowledge_loaders.expertise_by_id,
    assistance_types.AssistanceRequest: assistance_loaders.requests_by_id,
    assistance_types.AssistanceOffer: assistance_loaders.offers_by_id,
    assistance_types.AssistanceMatch: assistance_loaders.matches_by_id,
    commitments_types.ActionPlan: commitments_loaders.action_plans_by_id,
    commitments_types.Commitment: commitments_loaders.commitments_by_id,
    commitments_types.Milestone: commitments_loaders.milestones_by_id,
    commitments_types.IrmAssessment: commitments_loaders.assessments_by_commitment,
}
"""Which loader fetches each core Node type for `node(id:)`, as from `ogp_wg_node_loaders`."""


def access_declarations() -> list[Declaration]:
    """The domains' access rules, as plugins return them from `ogp_wg_access_rules`."""
    return [
        *groups_access.DECLARATIONS,
        *people_access.DECLARATIONS,
        *meetings_access.DECLARATIONS,
        *translations_access.DECLARATIONS,
        *comments_access.DECLARATIONS,
        *priorities_access.DECLARATIONS,
        *knowledge_access.DECLARATIONS,
        *notifications_access.DECLARATIONS,
        *assistance_access.DECLARATIONS,
        *commitments_access.DECLARATIONS,
        *commitments_evidence_access.DECLARATIONS,
    ]


def constraint_errors() -> list[tuple[str, Mapping[str, Any]]]:
    """The domains' constraint errors by constraint name, as from `ogp_wg_constraint_errors`."""
    return [
        ("core", groups_services.CONSTRAINT_ERRORS),
        ("core", meetings_services.CONSTRAINT_ERRORS),
        ("core", translations_services.CONSTRAINT_ERRORS),
        ("core", comments_services.CONSTRAINT_ERRORS),
        ("core", priorities_services.CONSTRAINT_ERRORS),
        ("core", knowledge_services.CONSTRAINT_ERRORS),
        ("core", notifications_services.CONSTRAINT_ERRORS),
        ("core", assistance_services.CONSTRAINT_ERRORS),
        ("core", commitments_services.CONSTRAINT_ERRORS),
        ("core", commitments_evidence.CONSTRAINT_ERRORS),
    ]
