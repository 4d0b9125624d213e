"""The plugin API cannot drift: every hook is documented (in core/hookspecs.py and in the guide),
and plugins (built-in, the example, what `ogp-wg plugins new` writes) use only `core.__all__`.

A plugin may write `from core import <public name>` or `import core` (then `core.<public name>`);
`import core.x`, `from core.x import ...` and non-public names are internal and may change.
"""

from __future__ import annotations

import ast
import inspect
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version
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


def _import_fresh(names: list[str]) -> dict[str, str]:
    """`from core import <name>` for each name in turn, in ONE fresh interpreter: name -> the
    error's last line, for those that fail."""
    script = "\n".join(
        f"try:\n    from core import {n}\n    assert {n} is not None\n"
        f"except BaseException as e:\n    print({n!r}, repr(e)[:300])"
        for n in names
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(sys.executable).parent,  # not the repository: the installed package
        env={k: v for k, v in os.environ.items() if not k.startswith("OGP_WG_")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    failed = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    if result.returncode:
        failed["?"] = result.stderr.strip()[-300:]
    return {name.strip("'"): error for name, error in failed.items()}


def test_every_public_name_imports_in_a_fresh_interpreter() -> None:
    """Each name as a partner's first line would import it: an import cycle inside the core
    shows only when nothing else was imported first (in this process, pytest and the fixtures
    have imported half the core already).

    `core` resolves a name by importing its module, so whether `from core import X` works in a
    fresh interpreter depends only on that module: the first name of each module is imported in
    a fresh interpreter, and the module's other names right after it, in the same one (the
    module is then exactly as a fresh import of it leaves it). One interpreter per module, not
    per name, keeps this test to seconds.
    """
    by_module: dict[str, list[str]] = {}
    for name in [*core.__all__, "__version__"]:
        module = core._EXPORTS[name][0] if name in core._EXPORTS else name
        by_module.setdefault(module, []).append(name)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(_import_fresh, by_module.values()))
    failed = {name: error for result in results for name, error in result.items()}
    assert failed == {}
    assert len(by_module) > 10  # the grouping still isolates what it must


def test_version_is_semantic_and_the_distribution_version() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert core.__version__ == version("ogp-working-groups") == declared
    major, minor, _ = (int(part) for part in declared.split("."))
    assert (major, minor) >= (0, 2)
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert "## [Unreleased]" in changelog
    assert re.search(rf"^## \[{re.escape(declared)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.M)


def test_py_typed_is_shipped() -> None:
    assert (ROOT / "core" / "py.typed").is_file()
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "py.typed" in package_data["package-data"]["*"]


PUBLIC_MODULES = {"core.testing"}
"""Public modules beside `core.__all__`: the pytest fixtures a plugin's own tests use
(docs/writing-plugins.md, "Testing"), versioned with the public API."""


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
                elif alias.name.startswith("core.") and alias.name not in PUBLIC_MODULES:
                    found.append(f"{node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module in PUBLIC_MODULES:
                continue
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
    assert "examples/gender_inclusion/ogp_wg_gender_inclusion/types.py" in SOURCES


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
