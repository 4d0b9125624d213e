"""`ogp-wg db revision --plugin KEY -m MESSAGE`, run as a partner runs it, on a copy of the example
plugin installed with pip: "no changes" while its migrations match its models, the right next
revision (its id, its parent, its plugin's tables only) once a model gains columns, and a fresh
database migrated with it has them. (tests/test_migrations.py runs the same generator in-process
and checks that afterwards the migrations match the models exactly.)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "gender_inclusion"
MODULE = "ogp_wg_gender_inclusion"
OGP_WG = shutil.which("ogp-wg", path=str(Path(sys.executable).parent)) or "ogp-wg"
CORE = ROOT / "core"
GUIDE = ROOT / "docs" / "writing-plugins.md"

NEW_COLUMNS = """    notes: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
"""


@pytest.fixture
def example_copy(tmp_path: Path) -> tuple[Path, Path]:
    """(source copy, pip --target site) of examples/gender_inclusion."""
    src = tmp_path / "src"
    ignore = shutil.ignore_patterns("build", "*.egg-info", "__pycache__", ".*")
    shutil.copytree(EXAMPLE, src, ignore=ignore)
    site = tmp_path / "site"
    return src, site


def _install(src: Path, site: Path) -> None:
    shutil.rmtree(site, ignore_errors=True)
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    options = ["--no-deps", "--no-build-isolation", "--target", str(site)]
    done = subprocess.run([*pip, *options, str(src)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def _run(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The console script with the copy first on the path (before any installed example)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGP_WG_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
    env["OGP_WG_DATABASE_URL"] = f"sqlite+aiosqlite:///{cwd / 'app.sqlite3'}"
    return subprocess.run(
        [OGP_WG, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_revision_for_a_changed_model(example_copy: tuple[Path, Path], tmp_path: Path) -> None:
    src, site = example_copy
    _install(src, site)
    migrations = site / MODULE / "migrations"
    before = sorted(p.name for p in migrations.glob("*.py"))
    head, number = before[-1][:21], len(before) + 1  # gender_inclusion_NNNN

    same = _run(site, tmp_path, "db", "revision", "--plugin", "gender_inclusion", "-m", "x")
    assert same.returncode == 0, same.stderr
    assert "no changes" in same.stdout and "gender_inclusion" in same.stdout
    assert sorted(p.name for p in migrations.glob("*.py")) == before  # nothing written

    models = src / MODULE / "models.py"
    text = models.read_text()
    text = text.replace(
        "from core import Base, enum_column", "from core import Base, UTCDateTime, enum_column"
    )
    text = text.replace("import enum\n", "import enum\nfrom datetime import datetime\n")
    anchor = '    status: Mapped[Completion] = mapped_column(enum_column(Completion, "status"))\n'
    assert text.count(anchor) == 1
    models.write_text(text.replace(anchor, anchor + NEW_COLUMNS))
    _install(src, site)

    made = _run(
        site,
        tmp_path,
        "db",
        "revision",
        "--plugin",
        "gender_inclusion",
        "-m",
        "Notes and review date",
    )
    assert made.returncode == 0, made.stderr
    written = migrations / f"gender_inclusion_{number:04d}_notes_and_review_date.py"
    assert f"created {written}" in made.stdout
    assert sorted(p.name for p in migrations.glob("*.py")) == sorted([*before, written.name])
    assert "add column gender_inclusion_commitments.notes" in made.stdout
    assert "add column gender_inclusion_commitments.reviewed_at" in made.stdout

    revision = written.read_text()
    assert '"""Notes and review date' in revision
    assert f'revision: str = "gender_inclusion_{number:04d}"' in revision
    assert f'down_revision: str | Sequence[str] | None = "{head}"' in revision
    assert "branch_labels: str | Sequence[str] | None = None" in revision
    upgrade = revision.split("def upgrade() -> None:")[1].split("def downgrade")[0]
    # the plugin's own table only: every other table matches already, but must not be looked at
    assert set(re.findall(r'"([a-z_]+)"', upgrade)) == {
        "gender_inclusion_commitments",
        "notes",
        "reviewed_at",
    }
    assert "sa.String(length=200)" in upgrade
    assert "sa.DateTime(timezone=True)" in upgrade  # core.UTCDateTime, as the column it stores
    assert "core" not in revision.split('"""')[2]  # imports no core internals
    assert "drop_column" in revision.split("def downgrade() -> None:")[1]

    # the revision applies, and gives the table the model's columns
    upgraded = _run(site, tmp_path, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    columns = subprocess.run(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
         "print(*[r[1] for r in c.execute('PRAGMA table_info(gender_inclusion_commitments)')])",
         str(tmp_path / "app.sqlite3")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert columns.stdout.split()[-2:] == ["notes", "reviewed_at"]


def test_first_revision_of_a_new_plugin(tmp_path: Path) -> None:
    """A scaffolded plugin without its migration: the first revision of a new branch."""
    new = subprocess.run(
        [OGP_WG, "plugins", "new", "probe_theme", "--dir", str(tmp_path)],
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert new.returncode == 0, new.stderr
    src = tmp_path / "ogp-wg-probe-theme"
    for written in (src / "ogp_wg_probe_theme" / "migrations").glob("*.py"):
        written.unlink()
    site = tmp_path / "site"
    _install(src, site)

    made = _run(site, tmp_path, "db", "revision", "--plugin", "probe_theme", "-m", "Entries")
    assert made.returncode == 0, made.stderr
    assert "first of its branch" in made.stdout
    revision = (
        site / "ogp_wg_probe_theme" / "migrations" / "probe_theme_0001_entries.py"
    ).read_text()
    # the core's one head: its domains' revisions (issue 9) continue the kernel's chain
    core = [p for p in CORE.rglob("core_00*.py") if "frozen" not in p.parts]
    core_head = max(p.name[:9] for p in core)
    assert "down_revision: str | Sequence[str] | None = None" in revision
    assert 'branch_labels: str | Sequence[str] | None = ("probe_theme",)' in revision
    assert f'depends_on: str | Sequence[str] | None = "{core_head}"' in revision
    assert 'op.create_table(\n        "probe_theme_entries"' in revision
    upgraded = _run(site, tmp_path, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr


def test_unknown_plugin_is_one_line(tmp_path: Path) -> None:
    result = _run(tmp_path, tmp_path, "db", "revision", "--plugin", "open_dta", "-m", "x")
    assert result.returncode == 1
    assert "unknown plugin 'open_dta'" in result.stderr and "open_data" in result.stderr
    assert "Traceback" not in result.stderr
    missing = _run(tmp_path, tmp_path, "db", "revision", "--plugin", "open_data")
    assert missing.returncode != 0 and "-m/--message" in missing.stderr


def test_the_guide_lists_every_core_revision() -> None:
    """A plugin's first revision depends on a core revision: the guide lists them all."""
    guide = GUIDE.read_text()
    # Every revision of the core's one branch, wherever its domain keeps it (not the frozen copies
    # of DDL a revision loads, which are no revisions).
    revisions = {p.name[:9] for p in CORE.rglob("core_00*.py") if "frozen" not in p.parts}
    assert len(revisions) >= 20
    for revision in sorted(revisions):
        assert f"`{revision}`" in guide, f"docs/writing-plugins.md does not list {revision}"
