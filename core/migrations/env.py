"""Alembic environment: run by `ogp-wg db upgrade` (core.migrate), never configured by a file.

The connection comes from `config.attributes["connection"]` (a sync connection on the app's async
engine), so migrations run on exactly the database the app uses.
"""

from __future__ import annotations

from alembic import context

import core.models  # noqa: F401  (fills Base.metadata for autogenerate)
from core.db import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
