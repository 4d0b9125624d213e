"""Constraint violations become user errors by constraint NAME, from the hook results of the core
and the enabled plugins only, checked for clashes at start-up; anything unmapped is the generic
CONSTRAINT_VIOLATION, never another constraint's code (on SQLite, a NOT NULL failure used to be
taken for a duplicate because the old table matched message text).

Each write below runs through a test plugin's mutation over HTTP, in `core.in_transaction`, on
the demo data, on both databases; every write is refused, so nothing changes.
"""

from __future__ import annotations

import asyncio
import types as pytypes
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import strawberry
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

import core
from core import models
from core.plugins import PluginError, make_plugin_manager
from core.testing import settings_for, token_for

WG, Person, Meeting = models.WorkingGroup, models.Person, models.Meeting


async def _last(conn: AsyncConnection, model: Any) -> int:
    return (await conn.execute(select(func.max(model.id)))).scalar_one()


async def duplicate_slug(conn: AsyncConnection) -> None:
    first = (await conn.execute(select(WG.slug).order_by(WG.id).limit(1))).scalar_one()
    await conn.execute(update(WG).where(WG.id == await _last(conn, WG)).values(slug=first))


async def null_slug(conn: AsyncConnection) -> None:
    await conn.execute(update(WG).where(WG.id == await _last(conn, WG)).values(slug=None))


async def duplicate_email(conn: AsyncConnection) -> None:
    taken = select(Person.id, Person.email).where(Person.email.is_not(None)).order_by(Person.id)
    first = (await conn.execute(taken.limit(1))).one()
    other = await conn.scalar(select(func.max(Person.id)).where(Person.id != first.id))
    await conn.execute(update(Person).where(Person.id == other).values(email=first.email))


async def ends_before_starts(conn: AsyncConnection) -> None:
    last = await _last(conn, Meeting)
    await conn.execute(update(Meeting).where(Meeting.id == last).values(ends_at=Meeting.starts_at))


WRITES: dict[str, Callable[[AsyncConnection], Awaitable[None]]] = {
    f.__name__: f for f in (duplicate_slug, null_slug, duplicate_email, ends_before_starts)
}
PROBE = "mutation($write: String!) { constraintProbe(write: $write) { code field } }"


@strawberry.type
class ProbeError:
    code: str
    field: list[str] | None


@strawberry.mutation
async def constraint_probe(info: strawberry.Info, write: str) -> list[ProbeError]:
    _, errors = await core.in_transaction(info.context, WRITES[write])
    return [ProbeError(code=e.code, field=e.field) for e in errors]


def _plugin(key: str, **hooks: Any) -> pytypes.ModuleType:
    module = pytypes.ModuleType(f"test_plugin_{key}")
    theme = core.Theme(key=key, title=key.title(), summary="test", version="9.9")
    group = strawberry.type(
        type(f"{key.title().replace('_', '')}Group", (core.types.WorkingGroup,), {})
    )
    module.ogp_wg_theme = core.hookimpl(lambda: theme)  # type: ignore[attr-defined]
    module.ogp_wg_group_type = core.hookimpl(lambda: group)  # type: ignore[attr-defined]
    for name, fn in hooks.items():
        setattr(module, name, core.hookimpl(fn))
    return module


EMAIL_TAKEN = {"uq_people_email": ("EMAIL_TAKEN", "this address is taken", "email")}


def _probe_plugins() -> dict[str, object]:
    return {
        "probe_theme": _plugin("probe_theme", ogp_wg_mutation_fields=lambda: [constraint_probe]),
        "mapper_theme": _plugin(
            "mapper_theme",
            ogp_wg_constraint_errors=lambda: EMAIL_TAKEN,
            ogp_wg_user_error_codes=lambda: {"EMAIL_TAKEN": "This address is taken."},
        ),
    }


async def _probe(client: Any, write: str) -> list[dict[str, Any]]:
    return (await client.execute(PROBE, {"write": write}))["constraintProbe"]


@pytest.fixture
def staff(demo_db: str) -> str:
    """A staff token: the probe is a plugin's mutation (anchors of its theme or staff)."""
    return asyncio.run(token_for(demo_db, "staff"))


async def test_core_constraints_map_by_name(demo_db: str, make_client, staff: str) -> None:
    client = make_client(demo_db, installed={"probe_theme": _probe_plugins()["probe_theme"]})
    client = client.with_token(staff)
    assert await _probe(client, "duplicate_slug") == [
        {"code": "DUPLICATE_SLUG", "field": ["input", "slug"]}
    ]
    # a NOT NULL failure is no duplicate (SQLite says "NOT NULL constraint failed:
    # working_groups.slug", which the old text patterns took for DUPLICATE_SLUG)
    assert await _probe(client, "null_slug") == [{"code": "CONSTRAINT_VIOLATION", "field": None}]
    assert await _probe(client, "ends_before_starts") == [
        {"code": "ENDS_BEFORE_STARTS", "field": ["input", "endsAt"]}
    ]
    assert await _probe(client, "duplicate_email") == [
        {"code": "CONSTRAINT_VIOLATION", "field": None}
    ]


async def test_only_enabled_plugins_maps_apply(demo_db: str, make_client, staff: str) -> None:
    both = make_client(demo_db, installed=_probe_plugins()).with_token(staff)
    assert await _probe(both, "duplicate_email") == [
        {"code": "EMAIL_TAKEN", "field": ["input", "email"]}
    ]
    without = make_client(
        demo_db, installed=_probe_plugins(), plugins={"disabled": ["mapper_theme"]}
    ).with_token(staff)
    assert await _probe(without, "duplicate_email") == [
        {"code": "CONSTRAINT_VIOLATION", "field": None}
    ]


def test_disabled_builtin_plugin_maps_nothing(database_url: str) -> None:
    everything = make_plugin_manager(settings_for(database_url)).constraint_errors.owners
    assert everything["uq_open_data_portals_url"] == "open_data"
    without = make_plugin_manager(settings_for(database_url, plugins={"disabled": ["open_data"]}))
    assert "open_data" not in set(without.constraint_errors.owners.values())
    assert "uq_open_data_portals_url" not in without.constraint_errors.by_name


@pytest.mark.parametrize(
    ("tables", "expected"),
    [
        (  # two plugins, one name
            {"a_theme": EMAIL_TAKEN, "b_theme": EMAIL_TAKEN},
            ["plugin 'a_theme'", "plugin 'b_theme'", "'uq_people_email'"],
        ),
        (  # a name the core maps
            {"a_theme": {"uq_working_groups_slug": ("MINE", "mine")}},
            ["the core", "plugin 'a_theme'", "'uq_working_groups_slug'"],
        ),
        (  # a name no model declares (e.g. the SQLite wording, or a typo)
            {"a_theme": {"people.email": ("EMAIL_TAKEN", "taken")}},
            ["plugin 'a_theme'", "ogp_wg_constraint_errors", "'people.email'"],
        ),
        (  # not a user error
            {"a_theme": {"uq_people_email": ("email taken",)}},
            ["plugin 'a_theme'", "ogp_wg_constraint_errors", "'uq_people_email'"],
        ),
        (
            {"a_theme": {"uq_people_email": ("email_taken", "lower-case code")}},
            ["plugin 'a_theme'", "CODE_IN_CAPITALS"],
        ),
        (
            {"a_theme": [("uq_people_email", ("EMAIL_TAKEN", "taken"))]},
            ["plugin 'a_theme'", "must return a dict"],
        ),
    ],
)
def test_bad_maps_stop_start_up(database_url: str, tables: dict[str, Any], expected: list[str]):
    installed = {
        key: _plugin(key, ogp_wg_constraint_errors=lambda t=table: t)
        for key, table in tables.items()
    }
    with pytest.raises(PluginError) as excinfo:
        make_plugin_manager(settings_for(database_url), installed=installed)
    for part in expected:
        assert part in str(excinfo.value)


def test_plain_tuples_and_constraint_errors_are_accepted(database_url: str) -> None:
    tables = {"uq_people_email": ("EMAIL_TAKEN", "taken"), "pk_people": core.ConstraintError(
        "PERSON_EXISTS", "exists", "id")}  # fmt: skip
    plugins = make_plugin_manager(
        settings_for(database_url),
        installed={"a_theme": _plugin("a_theme", ogp_wg_constraint_errors=lambda: tables)},
    )
    assert plugins.constraint_errors.by_name["uq_people_email"] == ("EMAIL_TAKEN", "taken", None)
    assert plugins.constraint_errors.by_name["pk_people"].field == "id"


async def test_register_constraint_error_is_a_deprecated_fallback(
    demo_db: str, make_client, monkeypatch: pytest.MonkeyPatch, staff: str
) -> None:
    """Kept for 0.2 only: warns, and is tried after the names (so the hook wins)."""
    from core import transactions

    monkeypatch.setattr(transactions, "_LEGACY", {})  # the table is global: leave no trace
    with pytest.warns(DeprecationWarning, match="ogp_wg_constraint_errors"):
        core.register_constraint_error(r"uq_people_email|people\.email", "OLD_EMAIL", "old")
    legacy_only = make_client(demo_db, installed={"probe_theme": _probe_plugins()["probe_theme"]})
    legacy_only = legacy_only.with_token(staff)
    assert await _probe(legacy_only, "duplicate_email") == [{"code": "OLD_EMAIL", "field": None}]
    with_hook = make_client(demo_db, installed=_probe_plugins()).with_token(staff)
    assert (await _probe(with_hook, "duplicate_email"))[0]["code"] == "EMAIL_TAKEN"
