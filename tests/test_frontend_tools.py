"""Front ends can build on the schema (issue 11 point 4): graphql-codegen (TypeScript types of the
schema and of the README's operations, compiled by tsc --strict) and relay-compiler (the README's
operations plus Relay-style documents in tests/frontend/src/relay/: @connection paged both ways,
refetchable fragments on Node) run clean on schema.graphql.

The tools are pinned in tests/frontend/package-lock.json and installed by `make test` (its
`frontend-tools` target, `npm ci`). Skipped only when node or npm is absent. To check another
schema file, e.g. the working tree's before `make schema`:
`FRONTEND_SCHEMA=/tmp/schema.graphql pytest tests/test_frontend_tools.py`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.readme_blocks import examples, write_documents

FRONTEND = Path(__file__).resolve().parent / "frontend"
BIN = FRONTEND / "node_modules" / ".bin"
SCHEMA = Path(os.environ.get("FRONTEND_SCHEMA") or FRONTEND.parent.parent / "schema.graphql")

pytestmark = [
    pytest.mark.slow,  # node processes: about 40 s on this machine
    pytest.mark.skipif(
        # In CI (`.ci/run` sets CI) a missing node fails the test instead: it must run there.
        not (shutil.which("node") and shutil.which("npm")) and not os.environ.get("CI"),
        reason="node and npm are not installed: graphql-codegen and relay-compiler cannot run "
        "(CI has them; `make test` installs the tools with npm ci)",
    ),
]


def run_tool(*args: str, env: dict[str, str] | None = None) -> str:
    """Run a tool of tests/frontend/node_modules/.bin; fail with its output unless it exits 0."""
    tool = BIN / args[0]
    assert tool.exists(), f"{tool} is missing: run `make frontend-tools` (npm ci in {FRONTEND})"
    done = subprocess.run(
        [str(tool), *args[1:]],
        cwd=FRONTEND,
        env={**os.environ, **(env or {}), "NO_COLOR": "1", "FORCE_COLOR": "0"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"{' '.join(args)} against {SCHEMA}:\n{output}"
    return output


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A source tree for the tools: the README's documents (written by the same script as
    `npm run documents`) in readme/, the committed Relay documents in relay/."""
    src = tmp_path / "src"
    write_documents(src / "readme")
    shutil.copytree(FRONTEND / "src" / "relay", src / "relay")
    return src


def test_graphql_codegen_types_the_schema_and_the_readme(sources: Path, tmp_path: Path) -> None:
    """codegen.yml's plugins on the schema and the README's operations; tsc --strict accepts the
    result, each README operation has its result and variables types, and the registration's
    are what a front end needs (the meeting's id, userErrors' code as an enum)."""
    out = tmp_path / "generated"
    env = {"SCHEMA": str(SCHEMA), "DOCUMENTS": str(sources / "readme" / "*.ts"), "OUT": str(out)}
    run_tool("graphql-codegen", "--config", "codegen.yml", env=env)
    run_tool("tsc", "--noEmit", "--strict", str(out / "schema.ts"), str(out / "operations.ts"))
    operations = (out / "operations.ts").read_text()
    for example in examples():
        assert f"export type {example.name} = " in operations, example.name
        assert f"export type {example.name}Variables = " in operations, example.name
    # The registration's payload carries what a normalised cache needs to update the meeting.
    register = operations.split("export type RegisterMutation = ", 1)[1].split(";\n", 1)[0]
    assert "meeting: { id: string, remainingPlaces: number | null }" in register, register
    # userErrors' code is an enum front ends switch over, with each code a literal type.
    assert "userErrors: Array<{ code: UserErrorCode," in register, register
    assert "| 'DUPLICATE_REGISTRATION'" in operations


def test_relay_compiler_compiles_the_readme_and_relay_documents(
    sources: Path, tmp_path: Path
) -> None:
    """relay.config.json, pointed at the temporary sources: Relay validates the schema's use
    (Node, node(id:), connections with nullable first/last and last/before) and writes an
    artifact for every operation and fragment."""
    artifacts = sources / "__generated__"
    artifacts.mkdir()
    config = json.loads((FRONTEND / "relay.config.json").read_text())
    config.update(src=str(sources), schema=str(SCHEMA), artifactDirectory=str(artifacts))
    config_file = tmp_path / "relay.config.json"
    config_file.write_text(json.dumps(config))
    output = run_tool("relay-compiler", str(config_file))
    assert "WARN" not in output, output
    produced = {path.name.removesuffix(".graphql.ts") for path in artifacts.glob("*.graphql.ts")}
    expected = {example.name for example in examples()} | {
        "GroupMeetings_group",
        "GroupMeetingsPaginationQuery",
        "GroupMeetingsQuery",
        "WorkingGroupList_query",
        "WorkingGroupListPaginationQuery",
        "MeetingCard_meeting",
        "MeetingCardRefetchQuery",
        "MeetingCardRegisterMutation",
        "NodeSummary_node",
        "NodeSummaryRefetchQuery",
    }
    assert expected <= produced, sorted(expected - produced)
    # The group's meetings page both ways: Relay derived a bidirectional connection.
    fragment = (artifacts / "GroupMeetings_group.graphql.ts").read_text()
    assert '"direction": "bidirectional"' in fragment, fragment
