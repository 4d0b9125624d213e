"""Demo data of the translations domain: the five pilot groups' names in Spanish and French.

These are the project's own translations, NOT text OGP published (no official OGP Spanish or
French names of these working groups could be verified): each row says so in the data, with
`is_official` false and a `source` the API returns (`ServedText.isOfficial`, `.source`).
Idempotent: a translation already there is left as it is.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.db import utcnow
from core.groups.models import WorkingGroup
from core.translations.models import GroupTranslation

SOURCE = "Illustrative: the demo's own translation, not an official OGP text."

NAMES: dict[str, dict[str, str]] = {
    "fiscal-openness": {
        "es": "Grupo de Trabajo sobre Apertura Fiscal",
        "fr": "Groupe de travail sur l'ouverture budgétaire",
    },
    "open-data": {
        "es": "Grupo de Trabajo sobre Datos Abiertos",
        "fr": "Groupe de travail sur les données ouvertes",
    },
    "open-parliaments": {
        "es": "Grupo de Trabajo sobre Apertura Legislativa",
        "fr": "Groupe de travail sur l'ouverture parlementaire",
    },
    "extractive-industries": {
        "es": "Grupo de Trabajo sobre Industrias Extractivas",
        "fr": "Groupe de travail sur les industries extractives",
    },
    "access-to-information": {
        "es": "Grupo de Trabajo sobre Acceso a la Información",
        "fr": "Groupe de travail sur l'accès à l'information",
    },
}
"""Pilot group slug -> language -> the group's name in it."""


async def load(conn: AsyncConnection) -> int:
    """Add the names missing; returns how many translations were added."""
    groups = (
        await conn.execute(
            select(
                WorkingGroup.id, WorkingGroup.slug, WorkingGroup.__table__.c.original_language
            ).where(WorkingGroup.slug.in_(NAMES))
        )
    ).all()
    table = GroupTranslation.__table__
    existing = {
        (row.group_id, row.language)
        for row in await conn.execute(select(table.c.group_id, table.c.language))
    }
    rows = [
        {
            "group_id": group.id,
            "original_language": group.original_language,
            "language": language,
            "name": name,
            "is_official": False,
            "source": SOURCE,
            "updated_at": utcnow(),
        }
        for group in groups
        for language, name in NAMES[group.slug].items()
        if language != group.original_language and (group.id, language) not in existing
    ]
    if rows:
        await conn.execute(table.insert(), rows)
    return len(rows)
