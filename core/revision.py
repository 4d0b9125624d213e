"""A plugin's migrations against its models: generate its next revision, or check they match.

`ogp-wg db revision --plugin KEY -m MESSAGE` (`generate_revision`) migrates a scratch SQLite
database to the heads of the core and of every installed plugin, compares it with the models
(Alembic autogenerate) looking only at KEY's own tables, and writes what differs as the next
revision of KEY's branch, in KEY's migrations folder: id `<key>_NNNN`, the branch's head as
`down_revision`, and for a first revision the branch label and the core revision it depends on.

`migration_problems` is the check behind `core.testing.assert_migrations_match_models`: on a
database migrated from empty, the differences between KEY's tables and its models, plus what is
wrong with the shape of its branch.

A table belongs to the plugin whose key prefixes its name (`<key>_...`, the longest such key when
keys nest, e.g. `open` and `open_data`); tables no plugin key prefixes are the core's.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from alembic.autogenerate import compare_metadata, produce_migrations, render_python_code
from alembic.operations.ops import DowngradeOps, UpgradeOps
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeDecorator

from core.db import Base, Database
from core.migrate import alembic_config, upgrade
from core.plugins import PluginSet
from core.search.models import is_search_index_table

CORE_BRANCH = "core"
FIRST_NUMBER = 1
SLUG_LENGTH = 40


class RevisionError(Exception):
    """The revision cannot be generated; the message names the plugin and what to change."""


@dataclass(frozen=True)
class GeneratedRevision:
    """`path` of the file written, its `revision` id and `down_revision`, and the operations'
    one-line summaries (e.g. "add column gender_inclusion_commitments.notes")."""

    path: Path
    revision: str
    down_revision: str | None
    changes: tuple[str, ...]


# --- which tables are a plugin's ----------------------------------------------------------------


def owner_of(table: str, plugin_keys: Iterable[str]) -> str | None:
    """The plugin key owning `table` (the longest key prefixing `<key>_`), None for the core."""
    owners = [key for key in plugin_keys if table.startswith(f"{key}_")]
    return max(owners, key=len) if owners else None


def _table_name(obj: Any, name: str | None, type_: str) -> str | None:
    if type_ == "table":
        return name
    table = getattr(obj, "table", None)  # columns, indexes and constraints know their table
    return getattr(table, "name", None)


def include_only(key: str | None, plugin_keys: Iterable[str]) -> Callable[..., bool]:
    """An Alembic `include_object` keeping the tables (and their parts) of plugin `key` only,
    or the core's when `key` is None."""
    keys = tuple(plugin_keys)

    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        table = _table_name(obj, name, type_)
        if is_search_index_table(table):  # SQLite's FTS5 index: core_0018's, not a model
            return False
        return table is not None and owner_of(table, keys) == key

    return include


def _compare(connection: Connection, include: Callable[..., bool]) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_object": include}
    )
    return list(compare_metadata(context, Base.metadata))


# --- the plugin's branch ------------------------------------------------------------------------


def _migrations_folder(plugins: PluginSet, key: str) -> Path:
    if key not in plugins.installed:
        raise RevisionError(
            f"unknown plugin '{key}'; installed plugins: {', '.join(sorted(plugins.installed))}"
        )
    folder = dict(plugins.call("ogp_wg_migrations", only_enabled=False)).get(key)
    package = plugins.installed[key].obj
    if folder is None and isinstance(package, ModuleType) and hasattr(package, "__path__"):
        # A package's first revision: the conventional folder (core.conventions) may not
        # exist yet, since a folder without files is not installed.
        folder = Path(str(package.__file__)).parent / "migrations"
        folder.mkdir(exist_ok=True)
    if folder is None:
        raise RevisionError(
            f"plugin '{key}' has no migrations folder: implement the hook ogp_wg_migrations() "
            "returning Path(__file__).parent / 'migrations'"
        )
    return Path(folder).resolve()


def _branch(script: ScriptDirectory, folder: Path) -> list[Script]:
    """The revisions whose files are in `folder`: the plugin's branch."""
    return [
        rev
        for rev in script.walk_revisions()
        if rev.path is not None and Path(rev.path).resolve().parent == folder
    ]


def _parents(rev: Script) -> tuple[str, ...]:
    """`down_revision` as a tuple (`depends_on` is not a parent: it points into another branch)."""
    down = rev.down_revision
    return () if down is None else (down,) if isinstance(down, str) else tuple(down)


def _heads(branch: list[Script]) -> list[str]:
    ids = {rev.revision for rev in branch}
    parents = {parent for rev in branch for parent in _parents(rev) if parent in ids}
    return sorted(ids - parents)


def branch_problems(plugins: PluginSet, key: str) -> list[str]:
    """What is wrong with the shape of `key`'s branch (empty when nothing is): one head, the
    branch label on its first revision, ids `<key>_NNNN`, no parent in another branch."""
    folder = _migrations_folder(plugins, key)
    script = ScriptDirectory.from_config(alembic_config(plugins))
    branch = _branch(script, folder)
    if not branch:
        return [f"plugin '{key}' has no revision in {folder}"]
    problems = []
    ids = {rev.revision for rev in branch}
    heads = _heads(branch)
    if len(heads) != 1:
        problems.append(f"plugin '{key}' has {len(heads)} heads ({', '.join(heads)}), not one")
    for rev in branch:
        if not re.fullmatch(rf"{re.escape(key)}_\d{{4,}}", rev.revision):
            problems.append(f"revision '{rev.revision}' is not named '{key}_NNNN'")
        outside = [p for p in _parents(rev) if p not in ids]
        if outside:
            problems.append(
                f"revision '{rev.revision}' revises {', '.join(outside)}, outside the branch "
                f"'{key}' (depend on a core revision with depends_on instead)"
            )
        if not _parents(rev) and key not in rev.branch_labels:
            problems.append(f"first revision '{rev.revision}' needs branch_labels = (\"{key}\",)")
    return problems


async def migration_problems(db: Database, plugins: PluginSet, key: str) -> list[str]:
    """On `db`, migrated to every head: `branch_problems` plus each difference between `key`'s
    tables and its models, one line each (empty when the migrations produce exactly the models).
    """
    problems = branch_problems(plugins, key)
    include = include_only(key, plugins.installed)
    async with db.engine.connect() as conn:
        differences = await conn.run_sync(lambda sync: _compare(sync, include))
    problems += [f"the migrated database differs from the models: {d!r}" for d in differences]
    return problems


# --- generating the next revision ---------------------------------------------------------------


def _next_id(key: str, branch: list[Script]) -> str:
    numbers = [
        int(match[1])
        for rev in branch
        if (match := re.fullmatch(rf"{re.escape(key)}_(\d+)", rev.revision))
    ]
    taken = {rev.revision for rev in branch}
    number = max(numbers, default=FIRST_NUMBER - 1) + 1
    while f"{key}_{number:04d}" in taken:
        number += 1
    return f"{key}_{number:04d}"


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Render the core's column types as the plain SQLAlchemy type they store (e.g.
    `core.UTCDateTime` as `sa.DateTime(timezone=True)`): a plugin's revision imports no core
    internals, and the database column is the same."""
    core_type = isinstance(obj, TypeDecorator) and type(obj).__module__.split(".")[0] == "core"
    if type_ == "type" and core_type:
        return f"sa.{obj.impl!r}"
    return False


def _slug(message: str) -> str:
    slug = re.sub(r"\W+", "_", message.lower()).strip("_")[:SLUG_LENGTH].rstrip("_")
    return slug or "revision"


def _literal(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, tuple | list):
        return "(" + ", ".join(json.dumps(v) for v in value) + ",)"
    return json.dumps(value)


TEMPLATE = '''"""{message}

Revision ID: {revision}
Revises: {revises}
Create Date: {created}

Generated from the plugin's models by
    ogp-wg db revision --plugin {key}
Review it: autogenerate does not see every change (a new CHECK constraint, a renamed column or
table, data to move).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = {revision_literal}
down_revision: str | Sequence[str] | None = {down_revision}
branch_labels: str | Sequence[str] | None = {branch_labels}
depends_on: str | Sequence[str] | None = {depends_on}


def upgrade() -> None:
    {upgrade}


def downgrade() -> None:
    {downgrade}
'''


def _format(path: Path) -> None:
    """`ruff format` the new file when ruff is installed (it honours the plugin's own settings);
    the file is valid Python either way."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is not None:
        subprocess.run([ruff, "format", "--quiet", str(path)], capture_output=True, check=False)


def _summary(op: Any) -> list[str]:
    """One line per operation, for the command's output."""
    inner = getattr(op, "ops", None)
    if inner is not None:
        return [line for child in inner for line in _summary(child)]
    diff = op.to_diff_tuple()  # ("add_column", ...), or a list of them for an altered column
    kinds = [d[0] for d in diff] if isinstance(diff, list) else [diff[0]]
    return [f"{kind.replace('_', ' ')} {_subject(op)}" for kind in kinds]


def _subject(op: Any) -> str:
    table = getattr(op, "table_name", None)
    column = getattr(getattr(op, "column", None), "name", None) or getattr(op, "column_name", None)
    name = getattr(op, "index_name", None) or getattr(op, "constraint_name", None)
    return ".".join(str(p) for p in (table, column or name) if p)


async def generate_revision(
    plugins: PluginSet, key: str, message: str, *, scratch: Path | None = None
) -> GeneratedRevision | None:
    """Write `key`'s next revision from its models; None when they already match.

    `scratch` is a directory for the scratch SQLite database (a temporary one by default).
    Raises RevisionError for an unknown plugin, a plugin without migrations folder, or a branch
    with several heads.
    """
    folder = _migrations_folder(plugins, key)
    folder.mkdir(parents=True, exist_ok=True)
    config = alembic_config(plugins)
    script = ScriptDirectory.from_config(config)
    branch = _branch(script, folder)
    heads = _heads(branch)
    if len(heads) > 1:
        raise RevisionError(
            f"plugin '{key}' has {len(heads)} heads ({', '.join(heads)}); merge them first"
        )

    with tempfile.TemporaryDirectory(dir=scratch) as tmp:
        db = Database(f"sqlite+aiosqlite:///{Path(tmp) / 'scratch.sqlite3'}")
        try:
            await upgrade(db, plugins)
            async with db.engine.connect() as conn:
                rendered = await conn.run_sync(lambda sync: _render(sync, key, plugins))
        finally:
            await db.dispose()
    if rendered is None:
        return None
    upgrade_code, downgrade_code, changes = rendered

    revision = _next_id(key, branch)
    down_revision = heads[0] if heads else None
    # the core's domains branch from one kernel revision (issue 9): a first revision depends on
    # every head of the core branch, one or several
    core_heads = sorted(rev.revision for rev in script.get_revisions(f"{CORE_BRANCH}@heads"))
    path = folder / f"{revision}_{_slug(message)}.py"
    path.write_text(
        TEMPLATE.format(
            message=message.strip() or revision,
            revision=revision,
            revises=down_revision or "",
            created=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
            key=key,
            revision_literal=_literal(revision),
            down_revision=_literal(down_revision),
            branch_labels=_literal(None if down_revision else (key,)),
            depends_on=_literal(
                None if down_revision else core_heads[0] if len(core_heads) == 1 else core_heads
            ),
            upgrade=upgrade_code,
            downgrade=downgrade_code,
        ),
        encoding="utf-8",
    )
    _format(path)
    return GeneratedRevision(path, revision, down_revision, tuple(changes))


def _render(
    connection: Connection, key: str, plugins: PluginSet
) -> tuple[str, str, list[str]] | None:
    """(upgrade code, downgrade code, summaries) of what `key`'s models add to the database."""
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "include_object": include_only(key, plugins.installed),
            "target_metadata": Base.metadata,
            "render_as_batch": True,  # ALTERs that SQLite can run too (a copy of the table)
        },
    )
    migration = produce_migrations(context, Base.metadata)
    upgrade_ops = migration.upgrade_ops
    downgrade_ops = migration.downgrade_ops
    assert upgrade_ops is not None and downgrade_ops is not None
    if upgrade_ops.is_empty():
        return None

    def render(ops: UpgradeOps | DowngradeOps) -> str:
        return render_python_code(
            ops, render_as_batch=True, render_item=_render_item, migration_context=context
        )

    return (
        render(upgrade_ops),
        render(downgrade_ops),
        _summary(upgrade_ops),
    )
