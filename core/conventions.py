"""What a plugin package need not say: its tables and migrations are found where the scaffold puts
them (docs/writing-plugins.md, "The shape of a plugin").

A plugin that is a package (its entry point names a module with submodules, e.g.
`ogp_wg_my_theme`) and does not implement the hook

- `ogp_wg_migrations`: gets the folder `migrations/` next to its `__init__.py`, if there is one;
- `ogp_wg_models`: gets the model classes defined in its submodule `models` (every class of that
  module mapped on `core.Base`), if there is one.

Implementing the hook overrides the convention (a plugin laid out another way). A plugin that is
an object or a single module gets nothing by convention. The results go through the same checks
as the hooks' (table names `<key>_...`, migrations applied whether the plugin is enabled or not).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any


def _package(obj: object) -> ModuleType | None:
    """The plugin's package, if its entry point is one (a module with `__path__`)."""
    if isinstance(obj, ModuleType) and hasattr(obj, "__path__"):
        return obj
    return None


def migrations_folder(obj: object) -> Path | None:
    """`<package>/migrations` when it is a folder."""
    package = _package(obj)
    if package is None or package.__file__ is None:
        return None
    folder = Path(package.__file__).parent / "migrations"
    return folder if folder.is_dir() else None


def model_classes(obj: object) -> list[type] | None:
    """The mapped classes defined in `<package>.models`, in definition order, if it exists."""
    package = _package(obj)
    if package is None:
        return None
    name = f"{package.__name__}.models"
    if importlib.util.find_spec(name) is None:
        return None
    from core.db import Base

    module = importlib.import_module(name)
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, Base)
        and value.__module__ == name
        and hasattr(value, "__table__")
    ]


CONVENTIONS: dict[str, Callable[[object], Any]] = {
    "ogp_wg_migrations": migrations_folder,
    "ogp_wg_models": model_classes,
}
"""Hook name -> the convention giving a plugin's result when it does not implement the hook."""


def by_convention(
    hook: str, plugins: dict[str, Any], implemented: set[str], keys: list[str]
) -> list[tuple[str, Any]]:
    """`(key, result)` for each of `keys` that does not implement `hook` and whose layout gives a
    result by convention (none for hooks without a convention). `plugins`: key -> the installed
    plugin (its `obj` is what the entry point loaded)."""
    convention = CONVENTIONS.get(hook)
    if convention is None:
        return []
    found = []
    for key in keys:
        if key in implemented:
            continue
        result = convention(plugins[key].obj)
        if result is not None:
            found.append((key, result))
    return found
