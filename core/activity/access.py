"""Who sees which activity events: an event is exactly as visible as what it is about.

The rule, for every list of events (a group's feed, an organisation's feed, a subscription) and
for `node(id:)`:

- its group (when it has one) is visible: its theme's plugin is enabled, and the viewer passes
  the `WorkingGroup` row rule when one is declared;
- its subject passes the row rule declared for the subject's type (`RowRule`s of every domain
  and plugin, read from the live access policy, so a rule added later applies here by itself):
  an event about a registration the viewer may not see is not listed, nor counted.

The e-mail digest applies the same condition to each recipient (`events_visible_to`).

Staff see every event. The rule is one SQL condition on `activity_events`, so `totalCount` and
the pages agree with what is shown. A subject deleted since is answered `subject: null`; the
event itself stays (the feed is a record of what happened).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, or_, select, true

from core.access.sql import condition
from core.activity.models import ActivityEvent
from core.groups.models import WorkingGroup

if TYPE_CHECKING:
    from core.access.declare import RowRule
    from core.auth import Viewer
    from core.context import Context

GROUP_TYPE = "WorkingGroup"


def visible_events(ctx: Context) -> ColumnElement[bool]:
    """The condition on `activity_events` rows the request's viewer may see (module docstring)."""
    policy = getattr(ctx.app.schema, "access_policy", None)
    rows = {} if policy is None else policy.rows
    return events_visible_to(ctx.viewer, ctx.app.visible_themes, rows)


def events_visible_to(
    viewer: Viewer, themes: Collection[str], rows: Mapping[str, RowRule]
) -> ColumnElement[bool]:
    """The same condition outside a request (an e-mail digest, core/notifications/digests.py):
    for `viewer`, with the groups of `themes` visible and `rows` the row rules by type name
    (`Policy.rows` of the schema, or `core.notifications.digests.row_rules`)."""
    groups = select(WorkingGroup.id).where(WorkingGroup.theme.in_(tuple(themes)))
    rows = {} if viewer.is_staff else rows
    group_rule = rows.get(GROUP_TYPE)
    if group_rule is not None and not group_rule.rule.is_public:
        groups = groups.where(condition(group_rule.rule, viewer, group_rule.scope))
    parts: list[ColumnElement[bool]] = [
        or_(ActivityEvent.group_id.is_(None), ActivityEvent.group_id.in_(groups))
    ]
    for type_name, rule in sorted(rows.items()):
        if rule.rule.is_public:
            continue
        seen = select(rule.scope.pk).where(rule.condition(viewer))
        parts.append(
            or_(ActivityEvent.subject_type != type_name, ActivityEvent.subject_id.in_(seen))
        )
    return and_(true(), *parts)
