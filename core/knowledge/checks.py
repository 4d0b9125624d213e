"""Input checks of the knowledge domain (pure: the input as the services store it, or
`core.errors.Rejected` carrying the user error), shared by resources (core/knowledge/services.py)
and declared expertise (core/knowledge/expertise.py). The database repeats each (migration
core_0016; services.CONSTRAINT_ERRORS)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from core.errors import Rejected, user_error
from core.knowledge.vocabulary import LANGUAGES, LICENCES

MAX_ITEMS = 20
"""At most this many groups, countries, commitments or languages on one resource."""
TITLE_MAX, SUMMARY_MAX, URL_MAX, SOURCE_MAX = 300, 5_000, 2_000, 500


def text(value: str | None, field: str, max_len: int, *, required: bool = True) -> str | None:
    """`value` stripped; REQUIRED when blank (and required), TOO_LONG over `max_len`."""
    if value is None or not value.strip():
        if required:
            raise Rejected(user_error("REQUIRED", f"{field} must not be blank", field))
        return None
    if len(value) > max_len:
        raise Rejected(
            user_error("TOO_LONG", f"{field} is longer than {max_len} characters", field)
        )
    return value.strip()


def link(value: str | None) -> str | None:
    """An absolute http(s) URL, or None; INVALID_URL otherwise."""
    url = text(value, "url", URL_MAX, required=False)
    if url is not None and not url.lower().startswith(("https://", "http://")):
        raise Rejected(user_error("INVALID_URL", "url is not an absolute http(s) URL", "url"))
    return url


def licence(value: str) -> str:
    """An SPDX identifier of `LICENCES`, matched without regard to case, in its SPDX spelling."""
    found = {code.lower(): code for code in LICENCES}.get(value.strip().lower())
    if found is None:
        raise Rejected(
            user_error(
                "INVALID_LICENCE",
                f"{value!r} is not an accepted SPDX identifier (e.g. CC-BY-4.0, CC0-1.0, "
                "NOASSERTION)",
                "licence",
            )
        )
    return found


def languages(
    values: Iterable[str],
    field: str = "languages",
    *,
    required: bool = True,
    maximum: int = MAX_ITEMS,
) -> list[str]:
    """ISO 639-1 codes, lowercased, deduplicated, sorted; UNKNOWN_LANGUAGE, REQUIRED, TOO_MANY
    (over `maximum`)."""
    codes = sorted({v.strip().lower() for v in values})
    bad = [c for c in codes if c not in LANGUAGES]
    if bad:
        raise Rejected(
            user_error("UNKNOWN_LANGUAGE", f"not ISO 639-1 codes: {', '.join(bad)}", field)
        )
    if required and not codes:
        raise Rejected(user_error("REQUIRED", "name at least one language (e.g. en)", field))
    if len(codes) > maximum:
        raise Rejected(user_error("TOO_MANY", f"at most {maximum} languages", field))
    return codes


def at_most(values: Sequence[int], field: str) -> list[int]:
    unique = list(dict.fromkeys(values))
    if len(unique) > MAX_ITEMS:
        raise Rejected(user_error("TOO_MANY", f"at most {MAX_ITEMS} items", field))
    return unique


def resource_columns(
    *,
    title: str | None,
    summary: str | None,
    url: str | None,
    body: str | None,
    licence_: str | None,
    source: str | None,
    partial: bool = False,
) -> dict[str, Any]:
    """The resource's columns from the input; with `partial`, only those given (not None)."""
    out: dict[str, Any] = {}
    if not partial or title is not None:
        out["title"] = text(title, "title", TITLE_MAX)
    if not partial or summary is not None:
        out["summary"] = text(summary, "summary", SUMMARY_MAX)
    if not partial or url is not None:
        out["url"] = link(url)
    if not partial or body is not None:
        out["body"] = text(body, "body", 10**9, required=False)
    if not partial or licence_ is not None:
        out["licence"] = licence(licence_ or "")
    if not partial or source is not None:
        out["source"] = text(source, "source", SOURCE_MAX, required=False)
    if not partial and out["url"] is None and out["body"] is None:
        raise Rejected(
            user_error("LINK_OR_BODY_REQUIRED", "a resource needs a url or a body", "url")
        )
    return out
