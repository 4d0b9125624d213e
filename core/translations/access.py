"""Access rules of the translations domain.

Translators are the group's anchors (they coordinate its work, and know its language) and OGP
Support Unit staff: they set and remove the translations of the group, of its meetings and of
its priority areas.
What is left to translate is a staff worklist across every group.
"""

from __future__ import annotations

from core.access.declare import Declaration, FieldRule, MutationRule
from core.access.rules import ANCHOR, STAFF
from core.translations.services import TARGETS

DECLARATIONS: list[Declaration] = [
    MutationRule("translationSet", ANCHOR | STAFF, TARGETS),
    MutationRule("translationRemove", ANCHOR | STAFF, TARGETS),
    FieldRule("Query", "missingTranslations", STAFF, refuse=True),
]
