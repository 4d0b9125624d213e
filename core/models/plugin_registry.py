"""What `ogp-wg db upgrade` recorded about each plugin: the tables it owns, its revision ids.

The core writes these rows, never a plugin. They let the core recognise and remove what a plugin
left in the database after its package was uninstalled, when its code (models, migrations) is gone.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base

TABLE = "table"
REVISION = "revision"


class PluginRegistryEntry(Base):
    """One object a plugin owns: `kind` is 'table' (a table name) or 'revision' (an Alembic id).

    An object belongs to exactly one plugin, hence the key (kind, name).
    """

    __tablename__ = "plugin_registry"
    __table_args__ = (CheckConstraint(f"kind IN ('{TABLE}', '{REVISION}')", name="kind"),)

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    plugin: Mapped[str] = mapped_column(String(64), index=True)
