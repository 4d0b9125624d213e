"""Which groups exist for the API: those whose theme's plugin is enabled (`ctx.app.visible_themes`).

Every read of a group, or of a row that belongs to one (anchors, members, meetings,
registrations), is held to visible themes: a read by these (`visible_theme`, the statements
made with it), a write by the themes a domain's service is given. A module of its own, importing
only models, so that any domain's loaders may use it at import time (core/people/types.py says
why loaders modules import no types or loaders module at the top).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, select

from core.context import Context
from core.groups.models import WorkingGroup


def visible_theme(ctx: Context) -> ColumnElement[bool]:
    """The condition on `working_groups` of a visible group: its theme's plugin is enabled."""
    return WorkingGroup.theme.in_(ctx.app.visible_themes)


def visible_groups(ctx: Context) -> Select[Any]:
    """Groups whose theme's plugin is enabled: the only groups any public query returns."""
    return select(*WorkingGroup.__table__.c).where(visible_theme(ctx))


def in_visible_groups(ctx: Context, model: Any, group_column: Any) -> Select[Any]:
    """The rows of `model` (all columns) whose group, `group_column`, is visible."""
    return (
        select(*model.__table__.c)
        .join(WorkingGroup, WorkingGroup.id == group_column)
        .where(visible_theme(ctx))
    )
