"""`UserError.code` is the enum `UserErrorCode` (issue 11, point 4): the core's codes and the
enabled plugins' (hook `ogp_wg_user_error_codes`), built with the schema; a bad declaration or an
undeclared constraint code stops start-up; every code the sources answer is declared by the
package that answers it. tests/test_bad_input.py checks the codes mutations actually answer.
"""

from __future__ import annotations

import ast
import re
import types as pytypes
from pathlib import Path
from typing import Any

import pytest
import strawberry

import core
from core.plugins import PluginError, discover, make_plugin_manager
from core.schema.build import build_schema
from core.testing import ClientFactory, settings_for
from core.user_error_codes import CORE_CODES

ROOT = Path(__file__).parent.parent
CODE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{3,}")
ENUM_VALUES = '{ __type(name: "UserErrorCode") { kind enumValues { name description } } }'
CODE_TYPE = '{ __type(name: "UserError") { fields { name type { kind ofType { name kind } } } } }'


async def enum_values(client: Any) -> dict[str, str]:
    data = await client.execute(ENUM_VALUES)
    assert data["__type"]["kind"] == "ENUM"
    return {value["name"]: value["description"] for value in data["__type"]["enumValues"]}


def declared_by_plugins(**plugins: Any) -> dict[str, dict[str, str]]:
    manager = make_plugin_manager(settings_for("sqlite+aiosqlite://", plugins=plugins))
    return {key: dict(codes) for key, codes in manager.call("ogp_wg_user_error_codes")}


# --- the schema ---------------------------------------------------------------------------------


async def test_code_is_the_enum_of_the_core_and_the_enabled_plugins(
    empty_db: str, make_client: ClientFactory
) -> None:
    client = make_client(empty_db)  # every installed plugin: the five and the example
    fields = (await client.execute(CODE_TYPE))["__type"]["fields"]
    [code] = [field["type"] for field in fields if field["name"] == "code"]
    assert code == {"kind": "NON_NULL", "ofType": {"name": "UserErrorCode", "kind": "ENUM"}}

    values = await enum_values(client)
    plugins = declared_by_plugins()
    assert set(plugins) == set(discover())  # each plugin declares its own codes
    expected = set(CORE_CODES).union(*plugins.values())
    assert set(values) == expected
    assert all(values[code] == text for code, text in CORE_CODES.items())  # the core's first
    assert all(text for text in values.values())


async def test_a_disabled_plugin_takes_only_its_own_codes_away(
    empty_db: str, make_client: ClientFactory
) -> None:
    everything = await enum_values(make_client(empty_db))
    without = await enum_values(
        make_client(empty_db, plugins={"disabled": ["fiscal_openness", "gender_inclusion"]})
    )
    others = declared_by_plugins(disabled=["fiscal_openness", "gender_inclusion"])
    gone = set(everything) - set(without)
    assert gone == set(everything) - set(CORE_CODES).union(*others.values())
    assert {"WRONG_THEME", "CYCLE_ORDER"} <= gone  # only those plugins answer them
    assert "DATES_OUT_OF_ORDER" in without  # fiscal_openness's, but other plugins' too


# --- start-up -----------------------------------------------------------------------------------


@strawberry.type
class ProbeGroup(core.types.WorkingGroup):
    pass


def _plugin(key: str, **hooks: Any) -> pytypes.ModuleType:
    module = pytypes.ModuleType(key)
    theme = core.Theme(key=key, title=key, summary="probe", version="0")
    module.ogp_wg_theme = core.hookimpl(lambda: theme)  # type: ignore[attr-defined]
    module.ogp_wg_group_type = core.hookimpl(lambda: ProbeGroup)  # type: ignore[attr-defined]
    for name, fn in hooks.items():
        setattr(module, name, core.hookimpl(fn))
    return module


def build(**hooks: Any) -> Any:
    installed = {"probe_theme": _plugin("probe_theme", **hooks)}
    return build_schema(make_plugin_manager(settings_for("sqlite+aiosqlite://"), installed))


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ({"email_taken": "lower case"}, ["plugin 'probe_theme'", "'email_taken'", "SCREAMING"]),
        ({"EMAIL-TAKEN": "a hyphen"}, ["plugin 'probe_theme'", "'EMAIL-TAKEN'", "SCREAMING"]),
        ({"EMAIL_TAKEN": ""}, ["plugin 'probe_theme'", "EMAIL_TAKEN", "description"]),
        ({"EMAIL_TAKEN": None}, ["plugin 'probe_theme'", "EMAIL_TAKEN", "description"]),
        (["EMAIL_TAKEN"], ["plugin 'probe_theme'", "ogp_wg_user_error_codes", "list"]),
    ],
)
def test_a_bad_declaration_stops_start_up(codes: Any, expected: list[str]) -> None:
    with pytest.raises(PluginError) as raised:
        build(ogp_wg_user_error_codes=lambda: codes)
    for part in expected:
        assert part in str(raised.value)


def test_a_constraint_mapped_to_an_undeclared_code_stops_start_up() -> None:
    taken = {"uq_people_email": ("EMAIL_TAKEN", "this address is taken", "email")}
    with pytest.raises(PluginError) as raised:
        build(ogp_wg_constraint_errors=lambda: taken)
    message = str(raised.value)
    for part in (
        "plugin 'probe_theme'",
        "'uq_people_email'",
        "EMAIL_TAKEN",
        "ogp_wg_user_error_codes",
    ):
        assert part in message
    declared = build(
        ogp_wg_constraint_errors=lambda: taken,
        ogp_wg_user_error_codes=lambda: {"EMAIL_TAKEN": "This address is taken."},
    )
    assert "EMAIL_TAKEN" in declared.schema.as_str()


# --- the sources: every code a package answers, that package (or the core) declares ------------


def _code_parameters(tree: ast.AST) -> dict[str, int]:
    """Functions of a module taking a parameter named `code` that they answer as a user error
    (their body calls `user_error`, `UserErrors.add` or `Rejected`), and its position."""
    found: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names = [arg.arg for arg in node.args.args]
            calls = {
                sub.func.attr
                if isinstance(sub.func, ast.Attribute)
                else getattr(sub.func, "id", "")
                for sub in ast.walk(node)
                if isinstance(sub, ast.Call)
            }
            if "code" in names and calls & {"user_error", "add", "Rejected"}:
                found[node.name] = names.index("code") - (names[:1] in (["self"], ["cls"]))
    return found


def answered_codes(package: Path) -> dict[str, str]:
    """Code literals a package answers, by code -> where: the first argument of `user_error`,
    `UserErrors.add`, `ConstraintError`, plain `(CODE, message[, field])` tuples of constraint
    maps, and any argument passed as a function's `code` parameter."""
    found: dict[str, str] = {}
    for path in sorted(package.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        takes_code = _code_parameters(tree) | {"user_error": 0, "add": 0, "ConstraintError": 0}
        for node in ast.walk(tree):
            candidates: list[ast.expr] = []
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in takes_code and len(node.args) > takes_code[name]:
                    candidates.append(node.args[takes_code[name]])
                if name in takes_code:
                    candidates += [k.value for k in node.keywords if k.arg == "code"]
            elif isinstance(node, ast.Dict) and any(
                isinstance(k, ast.Constant)
                and str(k.value).startswith(("uq_", "ck_", "fk_", "pk_"))
                for k in node.keys
            ):
                candidates += [
                    v.elts[0] for v in node.values if isinstance(v, ast.Tuple) and v.elts
                ]
            for value in candidates:
                literal = isinstance(value, ast.Constant) and isinstance(value.value, str)
                if literal and CODE.fullmatch(value.value):  # type: ignore[union-attr]
                    found.setdefault(value.value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


PACKAGES = {
    key: Path(plugin.obj.__file__).parent
    for key, plugin in discover().items()
    if getattr(plugin.obj, "__file__", None)
}


def test_the_core_declares_every_code_it_answers() -> None:
    answered = answered_codes(ROOT / "core")
    assert len(answered) > 20  # the scan finds the core's codes at all
    assert {c: where for c, where in answered.items() if c not in CORE_CODES} == {}


@pytest.mark.parametrize("key", sorted(PACKAGES))
def test_each_plugin_declares_every_code_it_answers(key: str) -> None:
    answered = answered_codes(PACKAGES[key])
    assert answered, f"no user error code found in {PACKAGES[key]}"
    own = declared_by_plugins().get(key, {})
    missing = {c: where for c, where in answered.items() if c not in CORE_CODES and c not in own}
    assert missing == {}, f"declare them in {key}'s ogp_wg_user_error_codes"
