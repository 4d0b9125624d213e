"""Access rules of commitment evidence (core/commitments/evidence.py).

- Reading: `Commitment.evidence` is as public as the commitment; each record is answered only if
  its own node loader lets the viewer see it.
- Writing: `commitmentEvidenceLink` / `commitmentEvidenceUnlink` need a signed-in person with a
  write token (the guard); the service then allows staff and the anchors of any group the
  commitment is linked to, and answers FORBIDDEN to anyone else. A commitment may be followed by
  several groups, which a declared target (one group per Scope) cannot say.
"""

from __future__ import annotations

from core.access.declare import Declaration, MutationRule
from core.access.rules import SIGNED_IN

DECLARATIONS: list[Declaration] = [
    MutationRule("commitmentEvidenceLink", SIGNED_IN),
    MutationRule("commitmentEvidenceUnlink", SIGNED_IN),
]
