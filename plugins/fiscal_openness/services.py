"""Writes of the fiscal openness area: validate, then write, inside the caller's transaction.

Each function runs in `core.in_transaction`: it raises `Rejected` with every problem it finds
in the input (so the user can fix them all at once) and nothing is written; a unique-constraint
race that slips past the checks is turned into the same user error by the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core import (
    ConstraintError,
    Rejected,
    UserErrors,
    insert_row,
    models,
    pk_of,
    provenance,
    row_by_id,
    update_row,
    user_error,
)
from plugins.fiscal_openness import KEY
from plugins.fiscal_openness.methodology import (
    DATED,
    DOCUMENT_TITLES,
    FIRST_FISCAL_YEAR,
    PUBLICATION_WINDOW,
    PUBLISHED,
    ROUNDS,
    SCALE_MAX,
    BudgetDocumentKind,
    FiscalCommitmentKind,
    GiftPrinciple,
    is_round,
)
from plugins.fiscal_openness.models import (
    SCORES,
    BudgetDocument,
    Commitment,
    CommitmentPrinciple,
    Survey,
)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


# Constraint name -> the user error of a race that slips past the checks (the plugin's
# `ogp_wg_constraint_errors` hook).
CONSTRAINT_ERRORS: dict[str, ConstraintError] = {
    "uq_fiscal_openness_surveys_country_id_edition": ConstraintError(
        "DUPLICATE_SURVEY",
        "this country already has results for this edition of the Open Budget Survey",
        "edition",
    ),
    "uq_fiscal_openness_budget_docs_country_id_fiscal_year_kind": ConstraintError(
        "DUPLICATE_BUDGET_DOCUMENT",
        "this document is already recorded for this country and fiscal year",
        "kind",
    ),
    **{
        f"ck_fiscal_openness_surveys_{measure}_range": ConstraintError(
            "SCORE_OUT_OF_RANGE",
            f"the {measure.replace('_', ' ')} score must be between 0 and {SCALE_MAX}",
            f"{_camel(measure)}Score",
        )
        for measure in SCORES
    },
    **provenance.sourcing_error("fiscal_openness_surveys"),
    **provenance.sourcing_error("fiscal_openness_budget_docs"),
    **provenance.sourcing_error("fiscal_openness_commitments"),
}


def today() -> date:
    return date.today()


async def _country(conn: AsyncConnection, code: str, problems: UserErrors) -> int:
    """The id of the country with this alpha-2 or alpha-3 code; UNKNOWN_COUNTRY if none (and 0,
    not None: a commitment's missing country is a different error, REQUIRED)."""
    return await problems.country(conn, code, "country") or 0


def _check_not_cleared(
    changes: dict[str, Any], required: tuple[str, ...], problems: UserErrors
) -> None:
    """A correction may leave a field out, but not set a required one to null (a null note is
    an empty one)."""
    if changes.get("note", "") is None:
        changes["note"] = ""
    for name in required:
        if name in changes and changes[name] is None:
            problems.add("REQUIRED", f"{_camel(name)} cannot be cleared", _camel(name))
    problems.raise_if_any()


def _merge(row: Any, changes: Mapping[str, Any]) -> dict[str, Any]:
    return {**row._asdict(), **changes}


# --- Open Budget Survey results ------------------------------------------------------------------


def _check_survey(values: dict[str, Any], problems: UserErrors) -> None:
    edition = values["edition"]
    if not is_round(edition, today().year):
        rounds = ", ".join(map(str, ROUNDS))
        problems.add(
            "INVALID_EDITION",
            f"edition must be a round of the Open Budget Survey ({rounds}, then every two "
            f"years), not after this year; got {edition}",
            "edition",
        )
    for measure in SCORES:
        score = values.get(f"{measure}_score")
        field = f"{_camel(measure)}Score"
        problems.in_range(score, field, 0, SCALE_MAX, "SCORE_OUT_OF_RANGE")
    problems.text(values["methodology_version"], "methodologyVersion", 100, required=True)
    values["source_url"] = provenance.check_values(problems, values, today=today())
    problems.text(values["note"], "note", 500, required=False)


async def record_survey(conn: AsyncConnection, country: str, values: dict[str, Any]) -> Any:
    problems = UserErrors()
    values["country_id"] = await _country(conn, country, problems)
    defaults = {
        "methodology_version": f"OBS {values['edition']}",
        "note": "",
        "illustrative": False,
    }
    for name, default in defaults.items():
        if values.get(name) is None:
            values[name] = default
    _check_survey(values, problems)
    problems.raise_if_any()
    taken = await conn.execute(
        select(Survey.id).where(
            Survey.country_id == values["country_id"], Survey.edition == values["edition"]
        )
    )
    if taken.first() is not None:
        raise Rejected(
            user_error(
                "DUPLICATE_SURVEY",
                f"{country.upper()} already has results for OBS {values['edition']}; "
                "use openBudgetSurveyCorrect to change them",
                "edition",
            )
        )
    return await insert_row(conn, Survey, **values)


async def correct_survey(conn: AsyncConnection, global_id: str, changes: dict[str, Any]) -> Any:
    row = await row_by_id(conn, Survey, global_id, "OpenBudgetSurvey")
    problems = UserErrors()
    _check_not_cleared(
        changes, ("edition", "transparency_score", "methodology_version", "illustrative"), problems
    )
    merged = _merge(row, changes)
    _check_survey(merged, problems)
    problems.raise_if_any()
    if "source_url" in changes:
        changes["source_url"] = merged["source_url"]
    if not changes:
        return row
    return await update_row(conn, Survey, row.id, **changes)


# --- Key budget documents ------------------------------------------------------------------------


def _check_document(values: dict[str, Any], problems: UserErrors) -> None:
    fiscal_year: int = values["fiscal_year"]
    kind: BudgetDocumentKind = values["kind"]
    published_on: date | None = values["published_on"]
    now = today()
    if not FIRST_FISCAL_YEAR <= fiscal_year <= now.year + 2:
        problems.add(
            "INVALID_FISCAL_YEAR",
            f"fiscalYear must be from {FIRST_FISCAL_YEAR} to {now.year + 2}, got {fiscal_year}",
            "fiscalYear",
        )
    status = values["status"]
    for field, value, allowed in (
        ("publishedOn", published_on, DATED),
        ("url", values["url"], PUBLISHED),
    ):
        if value is not None and status not in allowed:
            online = " online" if field == "url" and status in DATED else ""
            problems.add(
                "NOT_PUBLISHED",
                f"a document that is {status.value} has no {field} (not published{online})",
                field,
            )
    if published_on is not None:
        earliest, latest = PUBLICATION_WINDOW[kind]
        if published_on > now:
            problems.add("DATE_IN_FUTURE", "publishedOn is in the future", "publishedOn")
        elif published_on.year < fiscal_year + earliest or (
            latest is not None and published_on.year > fiscal_year + latest
        ):
            problems.add(
                "DATES_OUT_OF_ORDER",
                f"a {DOCUMENT_TITLES[kind]} for fiscal year {fiscal_year} cannot be published "
                f"on {published_on.isoformat()}",
                "publishedOn",
            )
    problems.url(values["url"], "url")
    problems.text(values["note"], "note", 500, required=False)
    values["source_url"] = provenance.check_values(problems, values, today=now)


async def record_document(conn: AsyncConnection, country: str, values: dict[str, Any]) -> Any:
    problems = UserErrors()
    values["country_id"] = await _country(conn, country, problems)
    for name, default in (("note", ""), ("illustrative", False)):
        if values.get(name) is None:
            values[name] = default
    _check_document(values, problems)
    problems.raise_if_any()
    taken = await conn.execute(
        select(BudgetDocument.id).where(
            BudgetDocument.country_id == values["country_id"],
            BudgetDocument.fiscal_year == values["fiscal_year"],
            BudgetDocument.kind == values["kind"],
        )
    )
    if taken.first() is not None:
        raise Rejected(
            user_error(
                "DUPLICATE_BUDGET_DOCUMENT",
                f"the {DOCUMENT_TITLES[values['kind']]} of {country.upper()} for fiscal year "
                f"{values['fiscal_year']} is already recorded; use budgetDocumentCorrect",
                "kind",
            )
        )
    return await insert_row(conn, BudgetDocument, **values)


async def correct_document(conn: AsyncConnection, global_id: str, changes: dict[str, Any]) -> Any:
    row = await row_by_id(conn, BudgetDocument, global_id, "BudgetDocument")
    problems = UserErrors()
    _check_not_cleared(changes, ("fiscal_year", "kind", "status", "illustrative"), problems)
    merged = _merge(row, changes)
    _check_document(merged, problems)
    problems.raise_if_any()
    if "source_url" in changes:
        changes["source_url"] = merged["source_url"]
    if not changes:
        return row
    return await update_row(conn, BudgetDocument, row.id, **changes)


# --- Priority areas and commitments, with the GIFT principles they address -----------------------


async def fiscal_group_id(conn: AsyncConnection, global_id: str, problems: UserErrors) -> int:
    pk = pk_of(global_id, "WorkingGroup")
    theme = None
    if pk is not None:
        stmt = select(models.WorkingGroup.theme).where(models.WorkingGroup.id == pk)
        theme = (await conn.execute(stmt)).scalar()
    if theme is None:
        problems.add("NOT_FOUND", f"no WorkingGroup with id {global_id!r}", "groupId")
    elif theme != KEY:
        problems.add("WRONG_THEME", f"the group is a {theme} group, not {KEY}", "groupId")
    return pk or 0


def _check_commitment(values: dict[str, Any], problems: UserErrors) -> None:
    problems.text(values["title"], "title", 300, required=True)
    values["source_url"] = provenance.check_values(problems, values, today=today())
    problems.text(values["reference"], "reference", 50, required=False)
    problems.url(values["url"], "url")
    kind = values["kind"]
    if kind is FiscalCommitmentKind.ACTION_PLAN_COMMITMENT and values["country_id"] is None:
        problems.add("REQUIRED", "an action plan commitment belongs to a country", "country")


def _check_principles(principles: list[GiftPrinciple] | None, problems: UserErrors) -> None:
    if principles is not None and not principles:
        problems.add("REQUIRED", "name at least one GIFT principle", "principles")


async def _set_principles(
    conn: AsyncConnection, commitment_id: int, principles: list[GiftPrinciple]
) -> None:
    """Replace the principles a commitment addresses (a principle named twice counts once)."""
    await conn.execute(
        delete(CommitmentPrinciple).where(CommitmentPrinciple.commitment_id == commitment_id)
    )
    rows = [{"commitment_id": commitment_id, "principle": p} for p in dict.fromkeys(principles)]
    await conn.execute(insert(CommitmentPrinciple), rows)


async def record_commitment(
    conn: AsyncConnection,
    group_id: str,
    country: str | None,
    principles: list[GiftPrinciple],
    values: dict[str, Any],
) -> Any:
    problems = UserErrors()
    values["group_id"] = await fiscal_group_id(conn, group_id, problems)
    values["illustrative"] = bool(values.get("illustrative"))
    values["country_id"] = None
    if country is not None:
        values["country_id"] = await _country(conn, country, problems)
    _check_commitment(values, problems)
    _check_principles(principles, problems)
    problems.raise_if_any()
    row = await insert_row(conn, Commitment, **values)
    await _set_principles(conn, row.id, principles)
    return row


async def correct_commitment(
    conn: AsyncConnection,
    global_id: str,
    country: Any,
    principles: list[GiftPrinciple] | None,
    changes: dict[str, Any],
) -> Any:
    """`country`: a code, None to clear it, or `UNSET` (any other value) to leave it."""
    row = await row_by_id(conn, Commitment, global_id, "FiscalCommitment")
    problems = UserErrors()
    _check_not_cleared(changes, ("kind", "title", "illustrative"), problems)
    if country is None or isinstance(country, str):
        changes["country_id"] = None
        if country is not None:
            changes["country_id"] = await _country(conn, country, problems)
    merged = _merge(row, changes)
    _check_commitment(merged, problems)
    if "source_url" in changes:
        changes["source_url"] = merged["source_url"]
    _check_principles(principles, problems)
    problems.raise_if_any()
    if changes:
        row = await update_row(conn, Commitment, row.id, **changes)
    if principles is not None:
        await _set_principles(conn, row.id, principles)
    return row
