"""`schema.graphql` is the SDL of the default configuration: every schema change shows in review."""

from __future__ import annotations

from pathlib import Path

from core.plugins import make_plugin_manager
from core.schema.build import build_schema
from core.testing import settings_for

SCHEMA_FILE = Path(__file__).parent.parent / "schema.graphql"


def test_schema_file_is_up_to_date() -> None:
    sdl = build_schema(make_plugin_manager(settings_for("sqlite+aiosqlite://"))).schema.as_str()
    assert SCHEMA_FILE.read_text() == sdl + "\n", (
        "schema.graphql is out of date: run `.venv/bin/ogp-wg schema > schema.graphql`"
    )
