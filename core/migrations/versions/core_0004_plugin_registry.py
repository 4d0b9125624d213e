"""Plugin registry: which tables and revision ids each plugin owns.

Written by `ogp-wg db upgrade` from each installed plugin's models and migration folder, so that a
plugin's tables can be found (and, on request, dropped) after its package has been uninstalled.

Revision ID: core_0004
Revises: core_0003
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "core_0004"
down_revision: str | Sequence[str] | None = "core_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "plugin_registry",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("plugin", sa.String(length=64), nullable=False),
        sa.CheckConstraint("kind IN ('table', 'revision')", name=op.f("ck_plugin_registry_kind")),
        sa.PrimaryKeyConstraint("kind", "name", name=op.f("pk_plugin_registry")),
    )
    op.create_index(op.f("ix_plugin_registry_plugin"), "plugin_registry", ["plugin"])


def downgrade() -> None:
    op.drop_index(op.f("ix_plugin_registry_plugin"), table_name="plugin_registry")
    op.drop_table("plugin_registry")
