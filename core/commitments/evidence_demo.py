"""The demo's commitment evidence: each enabled plugin links its demo records to the demo's
commitments (hook `ogp_wg_load_demo_evidence`), once every demo's data is loaded (core/demo.py
calls `load` after the core's action plans and commitments, which come after the plugins' own
demo data because they link to the plugins' groups). Which record evidences which commitment is
the demo's choice: illustrative, whatever the records' and commitments' own sources."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.commitments.models import CommitmentEvidence
from core.plugins import PluginError, PluginSet, maybe_await

HOOK = "ogp_wg_load_demo_evidence"


async def load(conn: AsyncConnection, plugins: PluginSet) -> str:
    """Call each enabled plugin's `ogp_wg_load_demo_evidence(conn)` in turn, in the caller's
    transaction; returns the progress line. A plugin that raises stops the demo (PluginError
    naming it and the hook), as `ogp_wg_load_demo` does."""
    count = select(func.count()).select_from(CommitmentEvidence)
    before = int(await conn.scalar(count) or 0)
    pending = plugins.call(HOOK, conn=conn)
    for index, (key, result) in enumerate(pending):
        try:
            await maybe_await(result)
        except Exception as exc:
            for _, later in pending[index + 1 :]:
                close = getattr(later, "close", None)
                if close is not None:
                    close()  # a coroutine never started: no "never awaited" warning
            raise PluginError(
                f"plugin '{key}' raised in hook {HOOK}: {type(exc).__name__}: {exc}"
            ) from exc
    after = int(await conn.scalar(count) or 0)
    return f"commitment evidence: {after - before} links added ({after} in all; illustrative)"
