"""Root mutations of the groups domain: thin wrappers over core/groups/services.py, one
transaction each (core.transactions): groups, their anchors and members."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from core.enums import AnchorRole, GroupStatus, MembershipRole
from core.errors import UserError
from core.groups import services as groups
from core.groups import types
from core.groups.lifecycle_mutations import LifecycleMutation
from core.groups.loaders import build_group
from core.loading import prefetched
from core.transactions import in_transaction

# --- Working groups -----------------------------------------------------------------------------


@strawberry.input
class WorkingGroupCreateInput:
    slug: str = strawberry.field(description="URL name: lowercase letters, digits, hyphens.")
    name: str
    theme: str = strawberry.field(description="Key of an enabled theme.")
    summary: str | None = None
    description: str | None = None
    status: GroupStatus | None = strawberry.field(
        default=None,
        description="Default PROPOSED. Another status is a Steering Committee decision recorded "
        "today without its details, under the rules of `groupDecisionRecord`.",
        deprecation_reason="Record the decision with groupDecisionRecord. Removal: 2027-06-30",
    )


@strawberry.input
class WorkingGroupUpdateInput:
    id: strawberry.ID
    name: str | None = None
    summary: str | None = None
    description: str | None = None
    status: GroupStatus | None = strawberry.field(
        default=None,
        description="A Steering Committee decision recorded today without its details, under "
        "the rules of `groupDecisionRecord`.",
        deprecation_reason="Record the decision with groupDecisionRecord. Removal: 2027-06-30",
    )


@strawberry.type
class WorkingGroupPayload:
    working_group: types.WorkingGroup | None
    user_errors: list[UserError]


# --- Anchors and members ------------------------------------------------------------------------


@strawberry.input
class AnchorSetInput:
    group_id: strawberry.ID
    organization_id: strawberry.ID
    role: AnchorRole
    since: date | None = strawberry.field(
        default=None, description="The first day of the term (default today)."
    )
    replace: bool = strawberry.field(
        default=False,
        description="When the group has as many anchors of this role as it is allowed, end the "
        "current one's term on `since` and take its place instead of failing.",
    )
    source: str | None = strawberry.field(
        default=None, description="Where the anchorship is documented (URL or citation)."
    )


@strawberry.input
class AnchorRemoveInput:
    group_id: strawberry.ID
    role: AnchorRole
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Which anchor of the role, when the group has two."
    )
    until: date | None = strawberry.field(
        default=None, description="The last day of the term (default today)."
    )


@strawberry.type
class AnchorPayload:
    anchor: types.Anchor | None
    user_errors: list[UserError]


@strawberry.input
class MembershipAddInput:
    group_id: strawberry.ID
    organization_id: strawberry.ID
    role: MembershipRole = MembershipRole.MEMBER


@strawberry.input
class MembershipRemoveInput:
    group_id: strawberry.ID
    organization_id: strawberry.ID


@strawberry.type
class MembershipPayload:
    membership: types.Membership | None
    user_errors: list[UserError]


@strawberry.type
class Mutation(LifecycleMutation):
    @strawberry.mutation(description="Create a working group of an enabled theme.")
    async def working_group_create(
        self, info: Info, input: WorkingGroupCreateInput
    ) -> WorkingGroupPayload:
        ctx = info.context
        changes = groups.GroupChanges(input.name, input.summary, input.description, input.status)
        row, errors = await in_transaction(
            ctx,
            lambda conn: groups.create_group(
                conn,
                slug=input.slug,
                theme=input.theme,
                themes=ctx.app.visible_themes,
                changes=changes,
                person_id=ctx.viewer.person_id,
            ),
        )
        return await prefetched(
            info,
            WorkingGroupPayload(working_group=row and build_group(ctx, row), user_errors=errors),
        )

    @strawberry.mutation(description="Change a group's name, texts or status.")
    async def working_group_update(
        self, info: Info, input: WorkingGroupUpdateInput
    ) -> WorkingGroupPayload:
        ctx = info.context
        changes = groups.GroupChanges(input.name, input.summary, input.description, input.status)
        row, errors = await in_transaction(
            ctx,
            lambda conn: groups.update_group(
                conn, input.id, ctx.app.visible_themes, changes, ctx.viewer.person_id
            ),
        )
        return await prefetched(
            info,
            WorkingGroupPayload(working_group=row and build_group(ctx, row), user_errors=errors),
        )

    @strawberry.mutation(
        description="Start a government or civil-society anchor's term (or replace the current "
        "one: its term ends)."
    )
    async def anchor_set(self, info: Info, input: AnchorSetInput) -> AnchorPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: groups.set_anchor(
                conn,
                group_id=input.group_id,
                organization_id=input.organization_id,
                role=input.role,
                since=input.since,
                replace=input.replace,
                themes=ctx.app.visible_themes,
                source=input.source or "",
                person_id=ctx.viewer.person_id,
            ),
        )
        return await prefetched(
            info, AnchorPayload(anchor=row and types.Anchor.from_row(row), user_errors=errors)
        )

    @strawberry.mutation(
        description="End the term of a group's anchor for one role (kept in `anchorHistory`)."
    )
    async def anchor_remove(self, info: Info, input: AnchorRemoveInput) -> AnchorPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: groups.remove_anchor(
                conn,
                group_id=input.group_id,
                role=input.role,
                themes=ctx.app.visible_themes,
                organization_id=input.organization_id,
                until=input.until,
                person_id=ctx.viewer.person_id,
            ),
        )
        return await prefetched(
            info, AnchorPayload(anchor=row and types.Anchor.from_row(row), user_errors=errors)
        )

    @strawberry.mutation(description="Add an organisation to a group.")
    async def membership_add(self, info: Info, input: MembershipAddInput) -> MembershipPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: groups.add_member(
                conn,
                group_id=input.group_id,
                organization_id=input.organization_id,
                role=input.role,
                themes=ctx.app.visible_themes,
            ),
        )
        return await prefetched(
            info,
            MembershipPayload(
                membership=row and types.Membership.from_row(row), user_errors=errors
            ),
        )

    @strawberry.mutation(description="Remove an organisation from a group.")
    async def membership_remove(
        self, info: Info, input: MembershipRemoveInput
    ) -> MembershipPayload:
        ctx = info.context
        row, errors = await in_transaction(
            ctx,
            lambda conn: groups.remove_member(
                conn,
                group_id=input.group_id,
                organization_id=input.organization_id,
                themes=ctx.app.visible_themes,
            ),
        )
        return await prefetched(
            info,
            MembershipPayload(
                membership=row and types.Membership.from_row(row), user_errors=errors
            ),
        )
