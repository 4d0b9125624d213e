"""Which of OGP's languages a request asks for: an explicit argument, else `Accept-Language`.

`Accept-Language` (RFC 9110, 12.5.4) lists language ranges with optional weights:
`es-MX, fr;q=0.8, en;q=0.1`. The ranges are ordered by weight (highest first; equal weights keep
the client's order), ranges weighted 0 are dropped (they mean "not this"), `*` names no language
in particular (it cannot pick one of ours), and Babel's `negotiate_locale` matches what is left
against `LANGUAGES`, a regional range (`es-MX`) matching its language (`es`). Nothing matched:
no preference, and texts are served in their original language.
"""

from __future__ import annotations

from functools import lru_cache

from babel import negotiate_locale

from core.translations.models import LANGUAGES

MAX_HEADER = 512
"""Longer `Accept-Language` values are read up to this many characters (browsers send ~50)."""


def parse_accept_language(header: str) -> list[str]:
    """Language ranges of an `Accept-Language` value, most wanted first, q=0 and `*` left out.

    A malformed weight counts as 0 (the range is dropped), as a parameter we cannot read cannot
    be a preference.
    """
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header[:MAX_HEADER].split(",")):
        tag, *params = (piece.strip() for piece in part.split(";"))
        if not tag or tag == "*":
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
                if not 0.0 <= q <= 1.0:
                    q = 0.0
        if q > 0:
            weighted.append((-q, position, tag.lower()))
    return [tag for _, _, tag in sorted(weighted)]


@lru_cache(maxsize=256)
def negotiate(header: str | None) -> str | None:
    """The language (`en`, `es`, `fr`) an `Accept-Language` value prefers, or None."""
    if not header:
        return None
    preferred = parse_accept_language(header)
    if not preferred:
        return None
    return negotiate_locale(preferred, list(LANGUAGES), sep="-")
