"""A match's reasons in words a person can check, rendered from their stored code and parameters
(`assistance_match_reasons`) with the names of the groups and countries they name, read at the
time of reading (a renamed group reads with its new name).

English only today: each code has one template below, so a translation is a second table of
templates keyed by language, nothing else. Topic slugs read as words (`beneficial-ownership`:
"beneficial ownership"); languages by their English name (ISO 639-1, the codes the service
accepts; an unlisted code reads as itself).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.assistance import scoring

LANGUAGE_NAMES = {
    "ar": "Arabic",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "id": "Indonesian",
    "it": "Italian",
    "ka": "Georgian",
    "mn": "Mongolian",
    "nl": "Dutch",
    "no": "Norwegian",
    "pt": "Portuguese",
    "ru": "Russian",
    "sw": "Swahili",
    "tl": "Tagalog",
    "uk": "Ukrainian",
    "zh": "Chinese",
}


@dataclass(frozen=True)
class Facts:
    """What a reason's words need: its code and parameters, with the names they point to."""

    code: str
    group_name: str | None = None
    theme: str | None = None
    topic: str | None = None
    language: str | None = None
    country_name: str | None = None
    year: int | None = None


def topic_words(slug: str | None) -> str:
    return (slug or "").replace("-", " ")


def language_name(code: str | None) -> str:
    return LANGUAGE_NAMES.get(code or "", code or "")


def render(facts: Facts) -> str:
    """One reason in words, e.g. "Chile completed a commitment on beneficial ownership in its
    action plan that ended in 2020" (the IRM assesses completion at the plan's end: `year` is the
    plan's last year, not the day the work was done)."""
    code = facts.code
    if code == scoring.SAME_GROUP:
        return f"the offer is for the request's group, {facts.group_name}"
    if code == scoring.SAME_THEME:
        return f"the offer is for {facts.group_name}, a group on the same theme ({facts.theme})"
    if code == scoring.SHARED_TOPIC:
        return f"both work on {topic_words(facts.topic)}"
    if code == scoring.SHARED_LANGUAGE:
        return f"both work in {language_name(facts.language)}"
    if code == scoring.PEER_COMPLETED:
        return (
            f"{facts.country_name} completed a commitment on {topic_words(facts.topic)} "
            f"in its action plan that ended in {facts.year}"
        )
    return code.lower().replace("_", " ")


def explain(all_facts: list[Facts]) -> str:
    """The reasons of one match in words, in order, joined by "; "."""
    return "; ".join(render(facts) for facts in all_facts)
