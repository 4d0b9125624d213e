"""docs/deploy.md is true when followed (issue 11 point 5): `scripts/check-deploy-guide` runs
every shell command of the guide in order on this machine's PostgreSQL (a role and database of
its own, dropped at the end), with two workers, the guide's nginx configuration in an nginx of
its own, its probes, metrics, logs, a backup, a restore drill and a restore, a reload with a
plugin switched off and on. Conventions: the guide's last section and the script's docstring.

PostgreSQL only: the guide is for production, which runs on PostgreSQL. Skipped without
OGP_WG_TEST_DATABASE_URL (failed instead with OGP_WG_TEST_REQUIRE_POSTGRES, as in CI); without
nginx the proxy's part is left out with a warning, except in CI (`CI` set), where it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "check-deploy-guide"
TIMEOUT = 1500  # seconds, a guard against a hang: 7 to 10 min were measured on a loaded machine

pytestmark = pytest.mark.slow


def _postgres() -> tuple[str, str]:
    """A superuser's URL for psql, and a name for the check's role and database derived from
    the test database's (so two developers' runs on one server do not collide)."""
    given = os.environ.get("OGP_WG_TEST_DATABASE_URL", "")
    if not given.startswith("postgresql"):
        if os.environ.get("OGP_WG_TEST_REQUIRE_POSTGRES"):
            pytest.fail("OGP_WG_TEST_REQUIRE_POSTGRES is set but OGP_WG_TEST_DATABASE_URL is not")
        pytest.skip("the deployment guide needs PostgreSQL: set OGP_WG_TEST_DATABASE_URL")
    url = make_url(given)
    admin = url.set(drivername="postgresql", database="postgres")
    return admin.render_as_string(hide_password=False), f"{url.database}_deploy"


def test_every_command_of_the_deployment_guide_works(tmp_path: Path) -> None:
    admin_url, name = _postgres()
    nginx = shutil.which("nginx") or Path("/usr/sbin/nginx").exists()
    if not nginx and os.environ.get("CI"):
        pytest.fail("nginx is missing: `make test` installs Debian's nginx-light")
    log = tmp_path / "check.log"
    with log.open("wb") as out:
        done = subprocess.run(
            [sys.executable, str(SCRIPT), "--admin-url", admin_url, "--name", name],
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=TIMEOUT,
            check=False,
        )
    output = log.read_text(errors="replace")
    assert done.returncode == 0, output[-8000:]
    assert "every command and check passed" in output
    if not nginx:
        warnings.warn(
            "nginx is not installed: the deployment guide's proxy was not checked", stacklevel=1
        )
