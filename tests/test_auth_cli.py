"""`ogp-wg token create|list|revoke`, `ogp-wg staff grant|revoke|list` and the demo's tokens
(issue 8, point 1), run as a user runs them (a real subprocess) on the test database of each
backend, and checked over HTTP: the token printed once works, with exactly its scopes, until
it is revoked; the staff role shows in what a token may read."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from core import to_global_id
from core.db import Database
from core.demo import DEMO_ROLES
from core.testing import ClientFactory, GraphQLClient

OGP_WG = shutil.which("ogp-wg", path=str(Path(sys.executable).parent)) or "ogp-wg"
EMAIL = "query($id: ID!) { node(id: $id) { ... on Person { email } } }"
RENAME = """mutation($id: ID!, $name: String!) {
  workingGroupUpdate(input: {id: $id, name: $name}) {
    workingGroup { name } userErrors { code }
  }
}"""


@pytest.fixture
def ogp_wg(cli_env: dict[str, str], demo_db: str, tmp_path: Path) -> Any:
    """Run `ogp-wg ARGS` against `demo_db`; returns the CompletedProcess."""
    env = {**cli_env, "OGP_WG_DATABASE_URL": demo_db}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [OGP_WG, *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
        )

    return run


async def rows(url: str, statement: str) -> list[Any]:
    db = Database(url)
    try:
        async with db.read() as conn:
            return list((await conn.execute(text(statement))).all())
    finally:
        await db.dispose()


async def person_gid(url: str, email: str) -> str:
    found = await rows(url, f"SELECT id FROM people WHERE email = '{email}'")
    return to_global_id("Person", found[0][0])


async def group_gid(url: str, slug: str) -> str:
    found = await rows(url, f"SELECT id FROM working_groups WHERE slug = '{slug}'")
    return to_global_id("WorkingGroup", found[0][0])


def assert_one_line_error(result: subprocess.CompletedProcess[str], needle: str) -> None:
    assert result.returncode == 1, result
    assert result.stdout == ""
    assert result.stderr.startswith("ogp-wg: error: ") and needle in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


async def test_token_create_list_revoke(ogp_wg: Any, demo_db: str, client: GraphQLClient) -> None:
    member = DEMO_ROLES["member"]
    created = ogp_wg("token", "create", "--person", member, "--scope", "read", "--expires", "7d",
                     "--name", "dashboard")  # fmt: skip
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert created.stdout == token + "\n" and token.startswith("ogpwg_")  # stdout: the token only
    assert "shown only this once" in created.stderr and member in created.stderr
    assert token not in created.stderr

    stored = await rows(
        demo_db, "SELECT token_hash, scopes FROM api_tokens WHERE name = 'dashboard'"
    )
    assert stored == [(hashlib.sha256(token.encode()).hexdigest(), "read")]

    # It works, read-only: a query runs, a mutation is refused for lack of the write scope.
    data = await client.execute(EMAIL, {"id": await person_gid(demo_db, member)}, token=token)
    assert data["node"]["email"] == member
    group = await group_gid(demo_db, "open-data")
    refused = await client.post(RENAME, {"id": group, "name": "Renamed"}, token=token)
    body = refused.json()
    assert body["data"] is None or body["data"]["workingGroupUpdate"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert "write" in body["errors"][0]["message"]

    listed = ogp_wg("token", "list")
    assert listed.returncode == 0, listed.stderr
    assert token not in listed.stdout and token[12:] not in listed.stdout
    table = [re.split(r"\s{2,}", line.strip()) for line in listed.stdout.splitlines()]
    assert table[0] == ["ID", "PREFIX", "NAME", "PERSON", "SCOPES", "EXPIRES", "REVOKED",
                        "LAST USED"]  # fmt: skip
    row = next(row for row in table if row[2] == "dashboard")
    token_id, prefix = row[0], row[1]
    assert prefix == token[:12]
    assert row[3].endswith(member) and row[4] == "read" and row[6] == "no"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[7])  # the request above

    revoked = ogp_wg("token", "revoke", prefix)
    assert revoked.returncode == 0, revoked.stderr
    assert revoked.stdout == f"token {token_id} revoked\n"
    response = await client.post(EMAIL, {"id": await person_gid(demo_db, member)}, token=token)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    again = ogp_wg("token", "revoke", token_id)
    assert again.stdout == f"token {token_id} was already revoked\n"
    listed = ogp_wg("token", "list").stdout.splitlines()
    row = next(re.split(r"\s{2,}", line.strip()) for line in listed if "dashboard" in line)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[6])  # when it was revoked


async def test_write_token_may_mutate(ogp_wg: Any, demo_db: str, client: GraphQLClient) -> None:
    created = ogp_wg("token", "create", "--person", DEMO_ROLES["staff"], "--expires", "2099-12-31")
    assert created.returncode == 0, created.stderr
    assert "expires 2099-12-31 23:59 UTC" in created.stderr and "read write" in created.stderr
    group = await group_gid(demo_db, "open-data")
    data = await client.execute(
        RENAME, {"id": group, "name": "Open Data WG"}, token=created.stdout.strip()
    )
    assert data["workingGroupUpdate"] == {
        "workingGroup": {"name": "Open Data WG"},
        "userErrors": [],
    }


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--person", "nobody@example.org"], "no person 'nobody@example.org'"),
        (["--person", "999999"], "no person '999999'"),
        (["--person", "Maria"], "give a person's id or e-mail address"),
        (["--person", "1", "--expires", "yesterday"], "--expires 'yesterday': give a duration"),
        (["--person", "1", "--expires", "2001-01-01"], "is not in the future"),
        (["--person", "1", "--scope", "admin"], "unknown scope admin"),
    ],
)
async def test_token_create_mistakes(
    ogp_wg: Any, demo_db: str, args: list[str], needle: str
) -> None:
    before = await rows(demo_db, "SELECT count(*) FROM api_tokens")
    assert_one_line_error(ogp_wg("token", "create", *args), needle)
    assert await rows(demo_db, "SELECT count(*) FROM api_tokens") == before


@pytest.mark.parametrize(
    ("ident", "needle"),
    [("ogpwg_zzzzzzzzzz", "no token matches"), ("ogpwg_", "give a token id"),
     ("abc", "give a token id"), ("424242", "no token matches")],
)  # fmt: skip
def test_token_revoke_mistakes(ogp_wg: Any, ident: str, needle: str) -> None:
    assert_one_line_error(ogp_wg("token", "revoke", ident), needle)


async def test_staff_grant_and_revoke(ogp_wg: Any, demo_db: str, client: GraphQLClient) -> None:
    member, anchor = DEMO_ROLES["member"], DEMO_ROLES["anchor"]
    token = ogp_wg("token", "create", "--person", member).stdout.strip()
    anchor_id = await person_gid(demo_db, anchor)

    async def sees_anchor_email() -> bool:
        data = await client.execute(EMAIL, {"id": anchor_id}, token=token)
        return data["node"]["email"] == anchor

    assert not await sees_anchor_email()
    granted = ogp_wg("staff", "grant", "--person", member, "--by", "Test Lead")
    assert granted.returncode == 0 and granted.stdout.endswith(f"<{member}> is now staff\n")
    assert await sees_anchor_email()  # at once: staff is read per request, not baked in tokens
    listed = ogp_wg("staff", "list").stdout
    assert member in listed and "Test Lead" in listed and DEMO_ROLES["staff"] in listed
    assert ogp_wg("staff", "grant", "--person", member).stdout.endswith("was already staff\n")
    revoked = ogp_wg("staff", "revoke", "--person", member)
    assert revoked.stdout.endswith(f"<{member}> is no longer staff\n")
    assert not await sees_anchor_email()
    assert ogp_wg("staff", "revoke", "--person", member).stdout.endswith("was not staff\n")
    assert_one_line_error(ogp_wg("staff", "grant", "--person", "x@y.z"), "no person 'x@y.z'")


async def test_demo_prints_a_working_token_per_role(
    ogp_wg: Any, demo_db: str, make_client: ClientFactory
) -> None:
    client = make_client(demo_db)
    count = "SELECT count(*) FROM api_tokens"
    before = await rows(demo_db, count)
    first = ogp_wg("demo")
    assert first.returncode == 0, first.stderr
    assert "demo bearer tokens" in first.stderr
    printed = [line.split("\t") for line in first.stdout.splitlines()]
    assert [(role, email) for role, _, email in printed] == list(DEMO_ROLES.items())
    tokens = {role: token for role, token, _ in printed}
    anchor_id = await person_gid(demo_db, DEMO_ROLES["anchor"])
    seen = {}
    for role, token in tokens.items():
        data = await client.execute(EMAIL, {"id": anchor_id}, token=token)
        seen[role] = data["node"]["email"]
    anchor = DEMO_ROLES["anchor"]
    assert seen == {"staff": anchor, "anchor": anchor, "member": None, "other": None}

    second = ogp_wg("demo")  # idempotent: the same rows, the demo's tokens replaced
    assert second.returncode == 0, second.stderr
    assert await rows(demo_db, count) == before
    renewed = {line.split("\t")[0]: line.split("\t")[1] for line in second.stdout.splitlines()}
    assert set(renewed) == set(tokens) and not set(renewed.values()) & set(tokens.values())
    old = await client.post(EMAIL, {"id": anchor_id}, token=tokens["staff"])
    assert old.status_code == 401
    new = await client.execute(EMAIL, {"id": anchor_id}, token=renewed["staff"])
    assert new["node"]["email"] == anchor
