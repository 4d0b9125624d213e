"""`ogp-wg db drop-plugin KEY`: delete what an uninstalled plugin left in the database.

What goes: the tables recorded for the plugin in `plugin_registry` (written by `db upgrade` from
the plugin's models while it was installed), its rows in `alembic_version`, its registry rows.
Nothing else: not a table of another plugin or of the core, not a core row that mentions the
plugin (e.g. a working group of its theme), and never by CASCADE. A table outside the plan that
still references one of the plan's tables stops the command instead.

Only when the registry has no table of the plugin (it was uninstalled before any `db upgrade` of a
version with the registry) are tables found by their `<key>_` name prefix, and only with
`--by-prefix`: the command lists them and refuses without that flag.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, delete, func, inspect, select, table, text
from sqlalchemy.engine import Connection

from core.db import Base, Database
from core.migrate import (
    CORE,
    REGISTRY,
    VERSION_TABLE,
    read_registry,
    removed_plugins,
)
from core.models.plugin_registry import TABLE
from core.plugins import PluginSet


class DropRefused(Exception):
    """The plugin cannot (or must not) be dropped; the message says why and what to do."""


@dataclass(frozen=True)
class DropPlan:
    """What `drop_plugin` will delete. `tables` is in drop order (referencing tables first),
    with their row counts; `by_prefix` is True when they were found by name, not by the registry.
    """

    key: str
    tables: tuple[tuple[str, int], ...]
    revisions: tuple[str, ...]
    registry_rows: int
    by_prefix: bool = False

    def describe(self) -> str:
        """Several lines for the confirmation prompt: every object that will be deleted."""
        lines = [f"Dropping plugin '{self.key}' deletes, in one transaction:"]
        how = " (found by the name prefix, not recorded)" if self.by_prefix else ""
        for name, rows in self.tables:
            lines.append(f"  table {name}: {rows} row{'s' * (rows != 1)}{how}")
        for revision in self.revisions:
            lines.append(f"  row {revision} of {VERSION_TABLE}")
        if self.registry_rows:
            lines.append(f"  its {self.registry_rows} entries in plugin_registry")
        lines.append("Nothing else is changed.")
        return "\n".join(lines)


def _plan(connection: Connection, plugins: PluginSet, key: str, by_prefix: bool) -> DropPlan:
    if key == CORE:
        raise DropRefused("'core' is not a plugin: the core's tables are never dropped")
    if key in plugins.installed:
        raise DropRefused(
            f"plugin '{key}' is installed ({plugins.installed[key].source}): uninstall its "
            f"package first (to hide it but keep its data, disable it in [plugins] instead)"
        )
    registry = read_registry(connection)
    existing = set(inspect(connection).get_table_names())
    revisions: tuple[str, ...] = ()
    for removed in removed_plugins(connection, plugins):
        if removed.key == key:
            revisions = removed.revisions
    recorded = {name for (kind, name), owner in registry.items() if owner == key}
    registry_rows = sum(1 for owner in registry.values() if owner == key)
    tables = {
        name for (kind, name), owner in registry.items()
        if kind == TABLE and owner == key and name in existing
    }  # fmt: skip
    prefixed = False
    # Names are a last resort, for a plugin whose version row proves it was here but which was
    # uninstalled before `db upgrade` wrote the registry; never after its drop removed that row.
    if revisions and not any(
        kind == TABLE and owner == key for (kind, _), owner in registry.items()
    ):
        guessed = _by_prefix(key, existing, registry, plugins)
        if guessed and not by_prefix:
            raise DropRefused(
                f"no table is recorded for plugin '{key}' (it was uninstalled before "
                f"`ogp-wg db upgrade` recorded plugin tables). Tables named '{key}_*': "
                f"{', '.join(sorted(guessed))}. Reinstall the package and run "
                f"`ogp-wg db upgrade` once to record them, or pass --by-prefix to drop these"
            )
        tables, prefixed = guessed, bool(guessed)
    if not tables and not revisions and not recorded:
        raise DropRefused(
            f"the database has nothing of a plugin '{key}' (no revision in {VERSION_TABLE}, "
            f"no recorded table); installed plugins: {', '.join(sorted(plugins.installed))}"
        )
    _refuse_outside_references(connection, tables, existing)
    order = [
        name for name, _ in reversed(inspect(connection).get_sorted_table_and_fkc_names())
        if name in tables
    ]  # fmt: skip
    counts = tuple(
        (name, connection.execute(select(func.count()).select_from(table(name))).scalar_one())
        for name in order
    )
    return DropPlan(key, counts, revisions, registry_rows, prefixed)


def _by_prefix(
    key: str, existing: set[str], registry: dict[tuple[str, str], str], plugins: PluginSet
) -> set[str]:
    """Tables named `<key>_...` that nothing else claims: not a core or installed plugin model,
    not recorded for another plugin, not under a longer key (`open_data_x` is not `open`'s).
    """
    others = {owner for owner in registry.values() if owner != key} | set(plugins.installed)
    # The metadata may still hold models of plugins imported earlier in this process; only the
    # core's own tables and the installed plugins' models count as claimed.
    plugin_models = {
        cast(Table, mapper.local_table).name  # a declarative model maps one Table
        for mapper in Base.registry.mappers
        if not mapper.class_.__module__.startswith("core.")
    }
    claimed = (set(Base.metadata.tables) - plugin_models) | {
        name for (kind, name) in registry if kind == TABLE
    }
    for _, models in plugins.call("ogp_wg_models", only_enabled=False):
        claimed |= {model.__table__.name for model in models}
    return {
        name for name in existing
        if name.startswith(f"{key}_") and name not in claimed
        and not any(o.startswith(f"{key}_") and name.startswith(f"{o}_") for o in others)
    }  # fmt: skip


def _refuse_outside_references(
    connection: Connection, tables: set[str], existing: set[str]
) -> None:
    inspector = inspect(connection)
    for name in sorted(existing - tables):
        for fk in inspector.get_foreign_keys(name):
            if fk["referred_table"] in tables:
                raise DropRefused(
                    f"table {name}, which is not the plugin's, references its table "
                    f"{fk['referred_table']} ({fk.get('name') or 'foreign key'}): remove that "
                    f"reference first; nothing was dropped"
                )


async def plan_drop(
    db: Database, plugins: PluginSet, key: str, *, by_prefix: bool = False
) -> DropPlan:
    """What `drop_plugin` would delete. Raises DropRefused for the core, an installed plugin,
    a key the database has nothing of, unrecorded tables without `by_prefix`, or a table of
    someone else that references the plugin's tables.
    """
    async with db.engine.connect() as conn:
        return await conn.run_sync(_plan, plugins, key, by_prefix)


async def drop_plugin(db: Database, plugins: PluginSet, plan: DropPlan) -> None:
    """Delete exactly what `plan` lists, in one transaction (IMMEDIATE on SQLite).

    The plan is computed again inside the transaction; if the database changed since it was
    shown (so the confirmation no longer covers it), nothing is dropped and DropRefused is raised.
    """

    def run(connection: Connection) -> None:
        again = _plan(connection, plugins, plan.key, plan.by_prefix)
        if again != plan:
            raise DropRefused("the database changed since the plan was shown; nothing was dropped")
        quote = connection.dialect.identifier_preparer.quote
        names = [name for name, _ in plan.tables]
        if names and connection.dialect.name == "postgresql":
            # one statement: foreign keys among the listed tables (even cycles) need no CASCADE
            connection.execute(text(f"DROP TABLE {', '.join(quote(n) for n in names)}"))
        elif names:
            # referencing tables go first; deferral covers cycles among the plugin's own tables
            connection.execute(text("PRAGMA defer_foreign_keys = ON"))
            for name in names:
                connection.execute(text(f"DROP TABLE {quote(name)}"))
        for revision in plan.revisions:
            connection.execute(
                text(f"DELETE FROM {VERSION_TABLE} WHERE version_num = :revision"),
                {"revision": revision},
            )
        if inspect(connection).has_table(REGISTRY.name):
            connection.execute(delete(REGISTRY).where(REGISTRY.c.plugin == plan.key))

    async with db.write() as conn:
        await conn.run_sync(run)
