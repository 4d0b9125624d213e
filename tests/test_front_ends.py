"""What a browser front end built with Apollo Client, Relay or urql needs (issue 11, point 4):
the abstract types' possible types of the configuration actually running, served and printed,
and CORS that lets Apollo's own request headers through."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import graphql

from core.plugins import discover
from core.testing import ClientFactory

OGP_WG = shutil.which("ogp-wg", path=str(Path(sys.executable).parent)) or "ogp-wg"
ORIGIN = "https://front.example.org"
APOLLO = "apollographql-client-name, apollographql-client-version"

POSSIBLE = """{ __schema { types { kind name possibleTypes { name } } } }"""


def _introspected(data: dict[str, object]) -> dict[str, list[str]]:
    """Apollo's documented way to build `possibleTypes`: from introspection."""
    types = data["__schema"]["types"]  # type: ignore[index]
    return {
        t["name"]: sorted(p["name"] for p in t["possibleTypes"])
        for t in types  # type: ignore[attr-defined]
        if t["kind"] in ("INTERFACE", "UNION") and not t["name"].startswith("__")
    }


async def test_possible_types_are_served_for_the_running_configuration(
    empty_db: str, make_client: ClientFactory
) -> None:
    """The JSON equals what introspection says, WorkingGroup lists every enabled theme's group
    type and Node every type with a global ID; with a plugin disabled its types are absent."""
    everything = make_client(empty_db)
    response = await everything.http.get("/graphql/possible-types")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    served = response.json()
    assert served == _introspected(await everything.execute(POSSIBLE))
    assert "FiscalOpennessGroup" in served["WorkingGroup"]
    assert len(served["WorkingGroup"]) == len(discover())  # one group type per theme
    assert {"Meeting", "Country", "FiscalOpennessGroup"} <= set(served["Node"])
    # the ETag of an unchanged schema: a cache revalidates for nothing
    again = await everything.http.get(
        "/graphql/possible-types", headers={"if-none-match": response.headers["etag"]}
    )
    assert again.status_code == 304 and again.content == b""

    without = make_client(empty_db, plugins={"disabled": ["fiscal_openness"]})
    reduced = (await without.http.get("/graphql/possible-types")).json()
    assert reduced == _introspected(await without.execute(POSSIBLE))
    assert "FiscalOpennessGroup" not in reduced["WorkingGroup"]
    assert "FiscalOpennessGroup" not in reduced["Node"]
    assert not any("OpenBudget" in name for names in reduced.values() for name in names)
    assert set(reduced["WorkingGroup"]) == set(served["WorkingGroup"]) - {"FiscalOpennessGroup"}


def test_possible_types_are_printed_by_the_cli(cli_env: dict[str, str], tmp_path: Path) -> None:
    """`ogp-wg schema --possible-types` prints the same JSON for the configuration it reads."""

    def printed(env: dict[str, str]) -> dict[str, list[str]]:
        done = subprocess.run(
            [OGP_WG, "schema", "--possible-types"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        found: dict[str, list[str]] = json.loads(done.stdout)
        return found

    sdl = subprocess.run(
        [OGP_WG, "schema"], env=cli_env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    schema = graphql.build_schema(sdl.stdout)
    every = printed(cli_env)
    assert every == {
        name: sorted(t.name for t in schema.get_possible_types(type_))  # type: ignore[arg-type]
        for name, type_ in schema.type_map.items()
        if graphql.is_abstract_type(type_) and not name.startswith("__")
    }
    assert "ExtractivesGroup" in every["WorkingGroup"]
    without = printed(cli_env | {"OGP_WG_PLUGINS_DISABLED": "extractives"})
    assert "ExtractivesGroup" not in without["WorkingGroup"]
    assert set(without["WorkingGroup"]) == set(every["WorkingGroup"]) - {"ExtractivesGroup"}


async def test_cors_preflight_allows_apollo_headers_and_exposes_the_request_id(
    empty_db: str, make_client: ClientFactory
) -> None:
    client = make_client(empty_db, cors_origins=[ORIGIN])
    asked = f"content-type, authorization, x-request-id, idempotency-key, {APOLLO}"
    preflight = await client.http.options(
        "/graphql",
        headers={
            "origin": ORIGIN,
            "access-control-request-method": "POST",
            "access-control-request-headers": asked,
        },
    )
    assert preflight.status_code == 200, preflight.text
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    allowed = {
        h.strip().lower() for h in preflight.headers["access-control-allow-headers"].split(",")
    }
    assert {h.strip() for h in asked.split(",")} <= allowed

    # the actual request: the page may read X-Request-ID (to quote it when reporting an error)
    response = await client.http.post(
        "/graphql",
        json={"query": "{ __typename }"},
        headers={"origin": ORIGIN, "apollographql-client-name": "web", "x-request-id": "abc-1"},
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ORIGIN
    exposed = response.headers["access-control-expose-headers"].lower()
    assert "x-request-id" in {h.strip() for h in exposed.split(",")}
    assert response.headers["x-request-id"] == "abc-1"


async def test_cors_request_headers_are_configurable(
    empty_db: str, make_client: ClientFactory
) -> None:
    """`cors_allow_headers` replaces the default list: a header it does not name is refused."""
    client = make_client(
        empty_db, cors_origins=[ORIGIN], cors_allow_headers=["content-type", "x-tenant"]
    )

    async def preflight(headers: str) -> int:
        response = await client.http.options(
            "/graphql",
            headers={
                "origin": ORIGIN,
                "access-control-request-method": "POST",
                "access-control-request-headers": headers,
            },
        )
        return response.status_code

    assert await preflight("content-type, x-tenant") == 200
    assert await preflight("x-tenant, apollographql-client-name") == 400
    assert await preflight("authorization") == 400


def test_cors_request_headers_from_the_environment() -> None:
    from core.config import load_settings

    settings = load_settings(
        environ={"OGP_WG_CORS_ALLOW_HEADERS": "content-type, x-tenant"}, cwd=Path("/nonexistent")
    )
    assert settings.cors_allow_headers == ["content-type", "x-tenant"]
    default = load_settings(environ={}, cwd=Path("/nonexistent")).cors_allow_headers
    assert {"authorization", "apollographql-client-name", "apollographql-client-version"} <= set(
        default
    )
