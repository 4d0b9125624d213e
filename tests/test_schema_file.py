"""`schema.graphql` is the SDL of the default configuration of this distribution: the core and its
built-in plugins, whatever other plugins are installed next to them (CI installs the example), so
every schema change shows in review and the file does not depend on the machine that wrote it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from core.plugins import discover, make_plugin_manager
from core.schema.build import build_schema
from core.testing import settings_for

SCHEMA_FILE = Path(__file__).parent.parent / "schema.graphql"
OGP_WG = shutil.which("ogp-wg", path=str(Path(sys.executable).parent)) or "ogp-wg"
BUILT_IN = sorted(key for key, plugin in discover().items() if plugin.source == "built-in")
FIX = "schema.graphql is out of date: run `make schema` (ogp-wg schema --built-in > schema.graphql)"


def test_built_in_plugins_are_the_five() -> None:
    assert BUILT_IN == [
        "access_to_info",
        "extractives",
        "fiscal_openness",
        "open_data",
        "open_parliaments",
    ]


def test_schema_file_is_up_to_date() -> None:
    settings = settings_for("sqlite+aiosqlite://", plugins={"enabled": BUILT_IN})
    sdl = build_schema(make_plugin_manager(settings)).schema.as_str()
    assert SCHEMA_FILE.read_text() == sdl + "\n", FIX


def test_the_command_writes_the_file(tmp_path: Path) -> None:
    """`ogp-wg schema --built-in` ignores other plugins and the local configuration."""
    (tmp_path / "ogp-wg.toml").write_text('[plugins]\nenabled = ["open_data"]\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGP_WG_")}
    printed = subprocess.run(
        [OGP_WG, "schema", "--built-in"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout == SCHEMA_FILE.read_text(), FIX
