"""Fiscal openness: budget transparency, participation and oversight (plugin hooks only).

What it adds (see README.md): Open Budget Survey results per country and edition, the
availability of the eight key budget documents per country and fiscal year, and the GIFT
High-Level Principles that the group's priority areas and commitments address. The core finds
the tables (models.py) and the migrations (migrations/) by convention.
"""

from __future__ import annotations

from typing import Any

from core import Theme, hookimpl

KEY = "fiscal_openness"


@hookimpl
def ogp_wg_theme() -> Theme:
    return Theme(
        key=KEY,
        title="Fiscal openness",
        summary="Open budgets, public participation in fiscal policy and budget oversight.",
        version="0.2.0",
    )


@hookimpl
def ogp_wg_group_type() -> type:
    from plugins.fiscal_openness.types import FiscalOpennessGroup

    return FiscalOpennessGroup


@hookimpl
def ogp_wg_type_fields() -> dict[str, list[Any]]:
    from plugins.fiscal_openness.types import COUNTRY_FIELDS

    return {"Country": COUNTRY_FIELDS}


@hookimpl
def ogp_wg_query_fields() -> list[Any]:
    from plugins.fiscal_openness.queries import QUERY_FIELDS

    return QUERY_FIELDS


@hookimpl
def ogp_wg_mutation_fields() -> list[Any]:
    from plugins.fiscal_openness.mutations import MUTATION_FIELDS

    return MUTATION_FIELDS


@hookimpl
def ogp_wg_constraint_errors() -> dict[str, Any]:
    from plugins.fiscal_openness.services import CONSTRAINT_ERRORS

    return CONSTRAINT_ERRORS


@hookimpl
def ogp_wg_user_error_codes() -> dict[str, str]:
    from plugins.fiscal_openness.user_errors import USER_ERROR_CODES

    return USER_ERROR_CODES


@hookimpl
def ogp_wg_node_loaders() -> dict[type, Any]:
    from plugins.fiscal_openness.queries import NODE_LOADERS

    return NODE_LOADERS


@hookimpl
def ogp_wg_evidence_types() -> list[type]:
    """Budget documents and Open Budget Survey results evidence budget-transparency commitments."""
    from plugins.fiscal_openness.types import BudgetDocument, OpenBudgetSurvey

    return [BudgetDocument, OpenBudgetSurvey]


@hookimpl
async def ogp_wg_load_demo(conn: Any) -> None:
    from plugins.fiscal_openness.demo import load

    await load(conn)


@hookimpl
async def ogp_wg_load_demo_evidence(conn: Any) -> None:
    from plugins.fiscal_openness.demo_evidence import link_records

    await link_records(conn)
