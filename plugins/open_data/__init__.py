"""Open data: open government data and the International Open Data Charter (plugin hooks only)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core import Theme, hookimpl

KEY = "open_data"


@hookimpl
def ogp_wg_theme() -> Theme:
    return Theme(
        key=KEY,
        title="Open data",
        summary="Publishing government data openly, by default, for reuse by anyone.",
        version="0.1.0",
    )


@hookimpl
def ogp_wg_models() -> list[type]:
    from plugins.open_data.models import CharterAdoption

    return [CharterAdoption]


@hookimpl
def ogp_wg_migrations() -> Path:
    return Path(__file__).parent / "migrations"


@hookimpl
def ogp_wg_group_type() -> type:
    from plugins.open_data.schema import OpenDataGroup

    return OpenDataGroup


@hookimpl
def ogp_wg_type_fields() -> dict[str, list[Any]]:
    from plugins.open_data.schema import open_data_charter

    return {"Country": [open_data_charter]}


@hookimpl
def ogp_wg_loaders() -> dict[str, Any]:
    from plugins.open_data.schema import LOADERS

    return LOADERS


@hookimpl
async def ogp_wg_load_demo(conn: Any) -> None:
    from plugins.open_data.demo import load

    await load(conn)
