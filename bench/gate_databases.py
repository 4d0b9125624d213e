"""The CI gate's databases: a template per dialect, and a fresh copy of it for every run.

- SQLite: `DIR/gate.sqlite3`; a run's copy is the file copied into the run's directory.
- PostgreSQL: the database `ogp_gate_template` (or `OGP_GATE_TEMPLATE`, so that concurrent test
  processes don't share one) on the server named by `OGP_GATE_POSTGRES` (default
  `postgresql+asyncpg://postgres@127.0.0.1:5432`, the one CI starts); a run's copy is `CREATE
  DATABASE <template>_<run> TEMPLATE <template>`, dropped after the run (`gate_workload clean DIR`
  drops the template). The server is outside the measured process: callgrind counts the server's
  Python (and its asyncpg driver), not PostgreSQL's own work, which is what the gate is for.

The run's database URL is written into its `gate.json` (key `database_url`), where the workload
reads it.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from pathlib import Path

DIALECTS = ("sqlite", "postgresql")
DB_FILE = "gate.sqlite3"
PARAMS_FILE = "gate.json"
TEMPLATE = os.environ.get("OGP_GATE_TEMPLATE", "ogp_gate_template")
SERVER = os.environ.get("OGP_GATE_POSTGRES", "postgresql+asyncpg://postgres@127.0.0.1:5432")


def template_url(dialect: str, directory: Path) -> str:
    """Where `setup` builds the template database of `dialect`."""
    if dialect == "sqlite":
        return f"sqlite+aiosqlite:///{directory / DB_FILE}"
    return f"{SERVER}/{TEMPLATE}"


async def _admin(*statements: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(SERVER.replace("+asyncpg", "") + "/postgres")
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


def recreate_template(dialect: str, directory: Path) -> None:
    """An empty template database for `setup` (the SQLite file is simply removed)."""
    if dialect == "sqlite":
        (directory / DB_FILE).unlink(missing_ok=True)
    else:
        asyncio.run(
            _admin(
                f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)", f"CREATE DATABASE {TEMPLATE}"
            )
        )


def drop_template(directory: Path) -> None:
    """Remove the template database `setup` made in `directory` (nothing to do for SQLite)."""
    url = json.loads((directory / PARAMS_FILE).read_text())["database_url"]
    if not url.startswith("sqlite"):
        asyncio.run(_admin(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)"))


def copy(template: Path, work: Path, name: str) -> None:
    """A run's own copy of the template in `work` (its `gate.json` names the copy)."""
    params = json.loads((template / PARAMS_FILE).read_text())
    if params["database_url"].startswith("sqlite"):
        shutil.copy(template / DB_FILE, work / DB_FILE)
        params["database_url"] = template_url("sqlite", work)
    else:
        database = f"{TEMPLATE}_{name}"
        asyncio.run(
            _admin(
                f"DROP DATABASE IF EXISTS {database} WITH (FORCE)",
                f"CREATE DATABASE {database} TEMPLATE {TEMPLATE}",
            )
        )
        params["database_url"] = f"{SERVER}/{database}"
    (work / PARAMS_FILE).write_text(json.dumps(params, indent=2) + "\n")


def drop_copy(work: Path) -> None:
    """Remove a run's PostgreSQL copy (a SQLite copy goes with its directory)."""
    url = json.loads((work / PARAMS_FILE).read_text())["database_url"]
    if not url.startswith("sqlite"):
        asyncio.run(_admin(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)"))
