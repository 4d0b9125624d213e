"""Extractive industry transparency: oil, gas and mining revenues (plugin hooks only).

The core finds the tables (models.py) and the migrations (migrations/) by convention.
"""

from __future__ import annotations

from typing import Any

from core import Theme, hookimpl

KEY = "extractives"


@hookimpl
def ogp_wg_theme() -> Theme:
    return Theme(
        key=KEY,
        title="Extractive industry transparency",
        summary="Disclosure of who owns, pays and earns what in oil, gas and mining.",
        version="0.2.0",
    )


@hookimpl
def ogp_wg_group_type() -> type:
    from plugins.extractives.types import ExtractivesGroup

    return ExtractivesGroup


@hookimpl
def ogp_wg_type_fields() -> dict[str, list[Any]]:
    from plugins.extractives.types import beneficial_owners, eiti

    return {"Country": [eiti], "Organization": [beneficial_owners]}


@hookimpl
def ogp_wg_query_fields() -> list[Any]:
    from plugins.extractives.queries import QUERY_FIELDS

    return QUERY_FIELDS


@hookimpl
def ogp_wg_mutation_fields() -> list[Any]:
    from plugins.extractives.mutations import MUTATION_FIELDS

    return MUTATION_FIELDS


@hookimpl
def ogp_wg_constraint_errors() -> dict[str, Any]:
    from plugins.extractives.services import CONSTRAINT_ERRORS

    return CONSTRAINT_ERRORS


@hookimpl
def ogp_wg_user_error_codes() -> dict[str, str]:
    from plugins.extractives.user_errors import USER_ERROR_CODES

    return USER_ERROR_CODES


@hookimpl
def ogp_wg_loaders() -> dict[str, Any]:
    from plugins.extractives.loaders import LOADERS

    return LOADERS


@hookimpl
def ogp_wg_node_loaders() -> dict[type, Any]:
    from plugins.extractives.queries import NODE_LOADERS

    return NODE_LOADERS


@hookimpl
def ogp_wg_evidence_types() -> list[type]:
    """Beneficial-ownership disclosures, contract disclosures and EITI Validations evidence
    commitments on beneficial ownership, open contracting and the EITI."""
    from plugins.extractives.types import (
        BeneficialOwnershipDisclosureType,
        ContractDisclosureType,
        EitiValidationType,
    )

    return [BeneficialOwnershipDisclosureType, ContractDisclosureType, EitiValidationType]


@hookimpl
async def ogp_wg_load_demo(conn: Any) -> None:
    from plugins.extractives.demo import load

    await load(conn)


@hookimpl
async def ogp_wg_load_demo_evidence(conn: Any) -> None:
    from plugins.extractives.demo_evidence import link_disclosures

    await link_disclosures(conn)
