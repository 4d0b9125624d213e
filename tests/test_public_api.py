"""The plugin API cannot drift: every hook is documented (in core/hookspecs.py and in the guide),
and plugins (built-in, the example, what `ogp-wg plugins new` writes) use only `core.__all__`.

A plugin may write `from core import <public name>` or `import core` (then `core.<public name>`);
`import core.x`, `from core.x import ...` and non-public names are internal and may change.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest

import core
from core import hookspecs
from core.scaffold import files

ROOT = Path(__file__).parent.parent
GUIDE = ROOT / "docs" / "writing-plugins.md"
MIN_DOCSTRING = 40  # characters: more than a restatement of the hook's name
SKIPPED_DIRS = {"__pycache__", "build", "dist"}

HOOKS = sorted(
    name
    for name, fn in vars(hookspecs).items()
    if inspect.isfunction(fn) and hasattr(fn, f"{hookspecs.PROJECT}_spec")
)


def test_hooks_are_found() -> None:
    assert "ogp_wg_theme" in HOOKS and "ogp_wg_group_type" in HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented(hook: str) -> None:
    doc = inspect.cleandoc(getattr(hookspecs, hook).__doc__ or "")
    assert len(doc) >= MIN_DOCSTRING, f"core/hookspecs.py: {hook} needs a real docstring"
    assert f"`{hook}" in GUIDE.read_text(), f"docs/writing-plugins.md does not cover {hook}"


def test_public_names_resolve() -> None:
    for name in core.__all__:
        assert getattr(core, name) is not None, name


def private_core_uses(source: str) -> list[str]:
    """`line: statement` for each use of a `core` name outside `core.__all__`."""
    public = set(core.__all__)
    found: list[str] = []
    core_aliases: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "core":
                    core_aliases.add(alias.asname or "core")
                elif alias.name.startswith("core."):
                    found.append(f"{node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.startswith("core."):
                found.append(f"{node.lineno}: from {node.module} import ...")
            elif node.module == "core":
                found += [
                    f"{node.lineno}: from core import {alias.name}"
                    for alias in node.names
                    if alias.name not in public
                ]
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in core_aliases
            and node.attr not in public
        ):
            found.append(f"{node.lineno}: {node.value.id}.{node.attr}")
    return found


def _plugin_sources() -> Iterator[Path]:
    for top in ("plugins", "examples"):
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = set(path.relative_to(ROOT).parts)
            if parts & SKIPPED_DIRS or any(
                p.startswith(".") or p.endswith(".egg-info") for p in parts
            ):
                continue
            yield path


SOURCES = [str(p.relative_to(ROOT)) for p in _plugin_sources()]


def test_sources_are_found() -> None:
    assert "plugins/fiscal_openness/__init__.py" in SOURCES
    assert "examples/gender_inclusion/ogp_wg_gender_inclusion/schema.py" in SOURCES


@pytest.mark.parametrize("path", SOURCES)
def test_plugin_uses_only_the_public_api(path: str) -> None:
    uses = private_core_uses((ROOT / path).read_text(encoding="utf-8"))
    assert uses == [], f"{path} uses core internals (not in core.__all__): {uses}"


def test_scaffolded_plugin_uses_only_the_public_api() -> None:
    for path, text in files("my_theme").items():
        if path.endswith(".py"):
            assert private_core_uses(text) == [], path


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from core import hookimpl, types", []),
        ("import core\ncore.Theme", []),
        ("from core.db import Base", ["1: from core.db import ..."]),
        ("import core.db", ["1: import core.db"]),
        ("from core import Database", ["1: from core import Database"]),
        ("import core as c\nc.db.Base", ["2: c.db"]),
        ("from . import core\nfrom .core import x", []),  # relative: the plugin's own modules
    ],
)
def test_the_check_itself(source: str, expected: list[str]) -> None:
    assert private_core_uses(source) == expected
