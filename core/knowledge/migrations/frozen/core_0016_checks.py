"""The checks of revision core_0016 (core/knowledge/migrations/core_0016_knowledge.py), frozen:
core/knowledge/vocabulary.py's ISO 639-1 language codes and SPDX licence identifiers and their
CHECK constraints, and core.topics.TOPIC_CHECKS (core_0015's copy), as they were when core_0016
was written, so the revision emits the same DDL forever whatever those modules become (a change
of a list is a new revision). Only core_0016 imports this module; never edit it. Where the lists
come from: core/knowledge/vocabulary.py. The folder is not a revision folder of Alembic (it reads
only the top level of the migrations folder).
"""

from __future__ import annotations

import importlib

_CODES = """
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da
de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz
ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln
lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi
pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti
tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
"""
LANGUAGES = tuple(_CODES.split())
"""ISO 639-1 language codes (lowercase), in alphabetical order."""
LICENCES = (
    "CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", "CC-BY-ND-4.0",
    "CC-BY-NC-ND-4.0", "CC-BY-3.0", "CC-BY-SA-3.0", "CC-BY-NC-3.0", "CC-BY-NC-SA-3.0",
    "CC-BY-NC-ND-3.0", "CC-BY-3.0-IGO", "CC0-1.0", "ODbL-1.0", "ODC-By-1.0", "PDDL-1.0",
    "OGL-UK-3.0", "OGL-Canada-2.0", "etalab-2.0", "MIT", "Apache-2.0", "BSD-3-Clause",
    "GPL-3.0-or-later", "AGPL-3.0-or-later", "MPL-2.0", "NOASSERTION",
)  # fmt: skip
"""SPDX licence identifiers a resource may carry (`NOASSERTION`: the publisher states none)."""


def sql_in(values: tuple[str, ...]) -> str:
    """`IN ('a', 'b', ...)` for a CHECK constraint (the values are the constants above)."""
    return "IN (" + ", ".join(f"'{v}'" for v in values) + ")"


LANGUAGE_CHECK = f"language {sql_in(LANGUAGES)}"
LICENCE_CHECK = f"licence {sql_in(LICENCES)}"
TOPIC_CHECKS: dict[str, str] = importlib.import_module(
    "core.commitments.migrations.core_0015_commitments"
).TOPIC_CHECKS
"""core.topics.TOPIC_CHECKS by dialect: core_0015's frozen copy (unchanged since)."""
