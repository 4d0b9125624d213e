"""The per-request context: database access, per-request loaders, settings, enabled themes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from strawberry.dataloader import DataLoader

from core.auth import ANONYMOUS, Viewer
from core.loading import Relation, relation_loader

if TYPE_CHECKING:
    from pydantic import BaseModel
    from starlette.requests import Request
    from starlette.responses import Response

    from core.db import Database
    from core.hookspecs import BatchLoadFn
    from core.plugins import PluginSet


@dataclass(frozen=True)
class AppState:
    """What every request shares: built once at start-up."""

    db: Database
    plugins: PluginSet
    loaders: Mapping[str, BatchLoadFn]
    group_types: Mapping[str, type]
    """Concrete WorkingGroup type per enabled theme; a group is visible iff its theme is here."""
    schema: Any
    visible_themes: tuple[str, ...] = ()
    caches: dict[str, Any] = field(default_factory=dict, compare=False)
    """Per-app caches of the kernel's packages, by module name (core.compiled.plan's plans):
    kept with the app, so two apps in one process (tests, `ogp-wg explain`) never share one."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "visible_themes", tuple(self.group_types))


@dataclass
class Context:
    app: AppState
    request: Request | None = None
    response: Response | None = None
    viewer: Viewer = ANONYMOUS
    _loaders: dict[str, DataLoader[Any, Any]] = field(default_factory=dict)
    _relation_loaders: dict[Any, DataLoader[Any, Any]] = field(default_factory=dict)
    languages_served: set[str] = field(default_factory=set)
    """Languages of the translatable texts answered so far (core.translations: Content-Language)."""

    @property
    def db(self) -> Database:
        return self.app.db

    def loader(self, name: str) -> DataLoader[Any, Any]:
        """The request's DataLoader of that name, created on first use."""
        loader = self._loaders.get(name)
        if loader is None:
            loader = DataLoader(load_fn=partial(self.app.loaders[name], self))
            self._loaders[name] = loader
        return loader

    def relation_loader(self, spec: Relation, arguments: dict[str, Any]) -> DataLoader[Any, Any]:
        """Fallback batching for a relation read outside a prefetched tree."""
        return relation_loader(self, spec, arguments)

    def plugin_settings(self, key: str) -> BaseModel | None:
        return self.app.plugins.settings_for(key)
