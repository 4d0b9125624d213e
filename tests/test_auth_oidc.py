"""OpenID Connect access tokens (issue 8, point 1), on SQLite and PostgreSQL: JWTs signed with RSA
keys made here, verified against a JSON Web Key Set served by a real HTTP server on a local socket
(a thread), mapped to people by verified e-mail. Covers key rotation (a new `kid` makes the app
fetch the set again; a cached set is not fetched per request), expiry, audience, issuer,
unverified or unknown e-mail, unknown keys, `alg: none` / HMAC forgeries, and the key set
being unreachable (503, not 401 and not anonymous)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from sqlalchemy import text

from core import to_global_id
from core.db import Database
from core.demo import DEMO_ROLES
from core.testing import ClientFactory, GraphQLClient

ISSUER = "https://id.example.org/realms/ogp"
AUDIENCE = "ogp-wg-api"
QUERY = "{ organizations(first: 2) { nodes { name } } }"


@dataclass
class KeySet:
    """The issuer's side: RSA keys by kid, the published set, and how often it was fetched."""

    keys: dict[str, rsa.RSAPrivateKey] = field(default_factory=dict)
    published: list[str] = field(default_factory=list)
    fetches: int = 0
    url: str = ""

    def add(self, kid: str, publish: bool = True) -> None:
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if publish:
            self.published.append(kid)

    def jwks(self) -> dict[str, Any]:
        out = []
        for kid in self.published:
            jwk = RSAAlgorithm.to_jwk(self.keys[kid].public_key(), as_dict=True)
            out.append({**jwk, "kid": kid, "use": "sig", "alg": "RS256"})
        return {"keys": out}

    def token(self, kid: str | None = "k1", **claims: Any) -> str:
        now = datetime.now(UTC)
        body = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": "user-123",
            "iat": now,
            "exp": now + timedelta(minutes=5),
            "email": DEMO_ROLES["member"],
            "email_verified": True,
            **claims,
        }
        body = {k: v for k, v in body.items() if v is not None}
        headers = {"kid": kid} if kid else {}
        return jwt.encode(body, self.keys[kid or "k1"], algorithm="RS256", headers=headers)


@pytest.fixture
def issuer() -> Iterator[KeySet]:
    """A JWKS endpoint on 127.0.0.1 (a real socket, served by a thread), publishing key k1."""
    keyset = KeySet()
    keyset.add("k1")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            keyset.fetches += 1
            body = json.dumps(keyset.jwks()).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    keyset.url = f"http://127.0.0.1:{server.server_address[1]}/jwks"
    try:
        yield keyset
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def oidc_client(make_client: ClientFactory, url: str, jwks_url: str, **more: Any) -> GraphQLClient:
    settings = {"oidc_issuer": ISSUER, "oidc_audience": AUDIENCE, "oidc_jwks_url": jwks_url}
    return make_client(url, **{**settings, "oidc_jwks_cooldown_seconds": 0, **more})


async def person_ids(url: str) -> dict[str, str]:
    """Global IDs of the demo roles' people, by role."""
    db = Database(url)
    try:
        async with db.read() as conn:
            rows = (await conn.execute(text("SELECT id, email FROM people"))).all()
    finally:
        await db.dispose()
    by_email = {email: pk for pk, email in rows}
    return {role: to_global_id("Person", by_email[email]) for role, email in DEMO_ROLES.items()}


EMAIL = "query($id: ID!) { node(id: $id) { ... on Person { email } } }"


async def email_seen(client: GraphQLClient, token: str, person: str) -> str | None:
    data = await client.execute(EMAIL, {"id": person}, token=token)
    value: str | None = data["node"]["email"]
    return value


def assert_401(response: Any, message: str) -> None:
    assert response.status_code == 401, response.text
    assert response.json() == {
        "errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]
    }
    assert response.headers["www-authenticate"] == (
        f'Bearer realm="ogp-wg", error="invalid_token", error_description="{message}"'
    )


async def test_a_verified_email_signs_the_person_in(
    demo_db: str, make_client: ClientFactory, issuer: KeySet
) -> None:
    client = oidc_client(make_client, demo_db, issuer.url)
    people = await person_ids(demo_db)
    member = issuer.token(email=DEMO_ROLES["member"].upper())  # e-mail matched ignoring case
    assert await email_seen(client, member, people["member"]) == DEMO_ROLES["member"]
    assert await email_seen(client, member, people["anchor"]) is None  # not theirs, not staff
    staff = issuer.token(email=DEMO_ROLES["staff"])
    assert await email_seen(client, staff, people["anchor"]) == DEMO_ROLES["anchor"]
    assert (await client.execute(EMAIL, {"id": people["member"]}))["node"]["email"] is None
    assert issuer.fetches == 1  # the key set is cached, not fetched per request


async def test_key_rotation_is_picked_up(
    demo_db: str, make_client: ClientFactory, issuer: KeySet
) -> None:
    client = oidc_client(make_client, demo_db, issuer.url)
    assert (await client.post(QUERY, token=issuer.token("k1"))).status_code == 200
    assert issuer.fetches == 1
    issuer.add("k2")  # the issuer publishes a new key and signs with it
    issuer.published.remove("k1")  # ... and retires the old one
    assert (await client.post(QUERY, token=issuer.token("k2"))).status_code == 200
    assert issuer.fetches == 2  # an unknown kid made the app fetch the set again
    assert (await client.post(QUERY, token=issuer.token("k2"))).status_code == 200
    assert issuer.fetches == 2
    retired = await client.post(QUERY, token=issuer.token("k1"))
    assert_401(retired, "The bearer token is signed with an unknown key.")


async def test_refetch_for_unknown_keys_is_throttled(
    demo_db: str, make_client: ClientFactory, issuer: KeySet
) -> None:
    client = oidc_client(make_client, demo_db, issuer.url, oidc_jwks_cooldown_seconds=3600)
    assert (await client.post(QUERY, token=issuer.token("k1"))).status_code == 200
    issuer.add("made-up", publish=False)
    for _ in range(5):
        response = await client.post(QUERY, token=issuer.token("made-up"))
        assert_401(response, "The bearer token is signed with an unknown key.")
    assert issuer.fetches == 1  # made-up kids do not each make a request to the issuer


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"exp": datetime.now(UTC) - timedelta(hours=1)}, "The bearer token has expired."),
        ({"aud": "another-api"}, "The bearer token is not meant for this API (audience)."),
        ({"iss": "https://evil.example.org"}, "The bearer token is from another issuer."),
        ({"exp": None}, "The bearer token is not valid."),
        ({"aud": None}, "The bearer token is not valid."),
        ({"email_verified": False}, "The bearer token carries no verified e-mail address."),
        ({"email_verified": None}, "The bearer token carries no verified e-mail address."),
        ({"email": None}, "The bearer token carries no verified e-mail address."),
        ({"email": "nobody@example.org"}, "The bearer token's e-mail address is not a known person's."),
    ],
)  # fmt: skip
async def test_invalid_tokens_are_401(
    demo_db: str,
    make_client: ClientFactory,
    issuer: KeySet,
    claims: dict[str, Any],
    message: str,
) -> None:
    client = oidc_client(make_client, demo_db, issuer.url)
    assert_401(await client.post(QUERY, token=issuer.token(**claims)), message)


def hs256(claims: dict[str, Any], secret: bytes) -> str:
    """An HS256 JWT keyed by `secret` (here: the public key, the classic confusion attack),
    made by hand since PyJWT refuses to sign with key material that looks public."""

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).decode().rstrip("=")

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "k1"}).encode())
    payload = b64(json.dumps(claims).encode())
    signature = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64(signature)}"


async def test_forged_tokens_are_401(
    demo_db: str, make_client: ClientFactory, issuer: KeySet
) -> None:
    client = oidc_client(make_client, demo_db, issuer.url)
    claims = jwt.decode(issuer.token(), options={"verify_signature": False})
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": "k1"})
    confused = hs256(claims, RSAAlgorithm.to_jwk(issuer.keys["k1"].public_key()).encode())
    issuer.add("stranger", publish=False)
    other_key = jwt.encode(
        claims, issuer.keys["stranger"], algorithm="RS256", headers={"kid": "k1"}
    )
    tampered = issuer.token().rsplit(".", 1)[0] + ".AAAA"
    for token in (unsigned, confused, other_key, tampered):
        assert_401(await client.post(QUERY, token=token), "The bearer token is not valid.")


async def test_a_token_without_kid_uses_the_only_key(
    demo_db: str, make_client: ClientFactory, issuer: KeySet
) -> None:
    client = oidc_client(make_client, demo_db, issuer.url)
    assert (await client.post(QUERY, token=issuer.token(kid=None))).status_code == 200
    issuer.add("k2")
    response = await client.post(QUERY, token=issuer.token(kid=None))
    assert response.status_code == 200  # the set is cached: still one key
    client = oidc_client(make_client, demo_db, issuer.url)  # a new app fetches both keys
    assert_401(
        await client.post(QUERY, token=issuer.token(kid=None)),
        "The bearer token names no signing key (kid).",
    )


async def test_without_oidc_a_jwt_is_401(
    demo_db: str, make_client: ClientFactory, issuer: KeySet
) -> None:
    client = make_client(demo_db)
    assert_401(await client.post(QUERY, token=issuer.token()), "The bearer token is not valid.")
    assert issuer.fetches == 0


async def test_key_set_unreachable_is_503(demo_db: str, make_client: ClientFactory) -> None:
    keyset = KeySet()
    keyset.add("k1")
    with socket_nobody_listens_on() as url:
        client = oidc_client(make_client, demo_db, url)
        response = await client.post(QUERY, token=keyset.token())
    assert response.status_code == 503
    assert response.json() == {
        "errors": [
            {
                "message": "The service is temporarily unavailable; try again shortly.",
                "extensions": {"code": "SERVICE_UNAVAILABLE"},
            }
        ]
    }
    assert response.headers["retry-after"] == "2"
    assert "www-authenticate" not in response.headers


class socket_nobody_listens_on:
    """A local URL whose port was just free: connecting is refused at once."""

    def __enter__(self) -> str:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        return f"http://127.0.0.1:{port}/jwks"

    def __exit__(self, *_: Any) -> None:
        pass


def test_oidc_settings_are_all_or_none(demo_db: str, make_client: ClientFactory) -> None:
    from core.config import ConfigError

    with pytest.raises(ConfigError, match="set oidc_audience, oidc_jwks_url"):
        make_client(demo_db, oidc_issuer=ISSUER)
    with pytest.raises(ConfigError, match="oidc_algorithms"):
        oidc_client(make_client, demo_db, "http://127.0.0.1:9/jwks", oidc_algorithms=["HS256"])
