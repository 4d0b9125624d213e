"""Fiscal openness: budget transparency, participation and oversight (plugin hooks only)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core import Theme, hookimpl

KEY = "fiscal_openness"


@hookimpl
def ogp_wg_theme() -> Theme:
    return Theme(
        key=KEY,
        title="Fiscal openness",
        summary="Open budgets, public participation in fiscal policy and budget oversight.",
        version="0.1.0",
    )


@hookimpl
def ogp_wg_models() -> list[type]:
    from plugins.fiscal_openness.models import OpenBudgetScore

    return [OpenBudgetScore]


@hookimpl
def ogp_wg_migrations() -> Path:
    return Path(__file__).parent / "migrations"


@hookimpl
def ogp_wg_group_type() -> type:
    from plugins.fiscal_openness.schema import FiscalOpennessGroup

    return FiscalOpennessGroup


@hookimpl
def ogp_wg_type_fields() -> dict[str, list[Any]]:
    from plugins.fiscal_openness.schema import open_budget_index

    return {"Country": [open_budget_index]}


@hookimpl
def ogp_wg_loaders() -> dict[str, Any]:
    from plugins.fiscal_openness.schema import LOADERS

    return LOADERS


@hookimpl
async def ogp_wg_load_demo(conn: Any) -> None:
    from plugins.fiscal_openness.demo import load

    await load(conn)
