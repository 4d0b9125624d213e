"""OpenID Connect access tokens (optional): JWTs signed by the configured issuer, mapped to people.

Verification is PyJWT's: the signature against the issuer's JSON Web Key Set (`oidc_jwks_url`,
fetched by `PyJWKClient`, cached for `JWKS_LIFESPAN` seconds; a token whose `kid` is not in the
cached set makes it fetch the set again, at most once per `oidc_jwks_cooldown_seconds`: that is
how a key rotation is picked up, and why a flood of made-up key ids cannot hammer the issuer),
only the configured asymmetric algorithms, and the `iss`, `aud` and `exp` claims (all three
required; `oidc_leeway_seconds` of clock skew allowed).

Mapping to a person: there is no column for the issuer's subject (`sub`), so a token names its
person by e-mail: the `oidc_email_claim` claim (default `email`), which must come with
`email_verified: true`, equal (ignoring case) to exactly one person's e-mail. Staff comes from
`staff_roles`, as for API tokens; the scopes are `oidc_scopes`.
"""

from __future__ import annotations

import asyncio
from typing import Any

import jwt
from sqlalchemy import func, select

from core.auth import Viewer
from core.auth.tokens import TokenError
from core.config import Settings
from core.db import Database
from core.models import Person, StaffRole

JWKS_LIFESPAN = 300.0
"""Seconds a fetched key set is used before it is fetched again."""
JWKS_TIMEOUT = 5.0
"""Seconds to wait for the issuer's key set."""
ASYMMETRIC = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
"""Algorithms a setting may name: never `none` nor an HMAC one (the key set is public)."""


class KeysUnavailable(Exception):
    """The issuer's key set could not be fetched: the server's problem, not the caller's."""


class OIDCVerifier:
    """Verifies access tokens of one issuer; one per app (it holds the key cache)."""

    def __init__(self, settings: Settings) -> None:
        assert settings.oidc_jwks_url and settings.oidc_issuer and settings.oidc_audience
        self.issuer = settings.oidc_issuer
        self.audience = settings.oidc_audience
        self.algorithms = list(settings.oidc_algorithms)
        self.leeway = settings.oidc_leeway_seconds
        self.email_claim = settings.oidc_email_claim
        self.scopes = frozenset(settings.oidc_scopes)
        self.keys = jwt.PyJWKClient(
            settings.oidc_jwks_url,
            cache_jwk_set=True,
            lifespan=JWKS_LIFESPAN,
            timeout=JWKS_TIMEOUT,
            cooldown_duration=settings.oidc_jwks_cooldown_seconds,
        )

    def claims(self, token: str) -> dict[str, Any]:
        """The verified claims of `token` (blocking: may fetch the key set). Raises TokenError
        for a token that is not valid, KeysUnavailable when the key set cannot be fetched."""
        try:
            header = jwt.get_unverified_header(token)
            kid = header.get("kid")
            if kid is None:
                keys = self.keys.get_signing_keys()
                if len(keys) != 1:
                    raise TokenError("The bearer token names no signing key (kid).")
                key = keys[0]
            else:
                key = self.keys.get_signing_key(str(kid))
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=self.algorithms,
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWKClientConnectionError as exc:
            raise KeysUnavailable(str(exc)) from exc
        except jwt.ExpiredSignatureError:
            raise TokenError("The bearer token has expired.") from None
        except jwt.InvalidAudienceError:
            raise TokenError("The bearer token is not meant for this API (audience).") from None
        except jwt.InvalidIssuerError:
            raise TokenError("The bearer token is from another issuer.") from None
        except jwt.PyJWKClientError:
            raise TokenError("The bearer token is signed with an unknown key.") from None
        except jwt.PyJWTError:
            raise TokenError("The bearer token is not valid.") from None
        return claims

    async def authenticate(self, db: Database, token: str) -> Viewer:
        """The viewer a JWT stands for; raises TokenError or KeysUnavailable (see `claims`)."""
        claims = await asyncio.to_thread(self.claims, token)
        email = claims.get(self.email_claim)
        verified = claims.get("email_verified")
        if not isinstance(email, str) or not email or verified not in (True, "true"):
            raise TokenError("The bearer token carries no verified e-mail address.")
        stmt = (
            select(Person.id, StaffRole.person_id.label("staff"))
            .outerjoin(StaffRole, StaffRole.person_id == Person.id)
            .where(func.lower(Person.email) == email.lower())
        )
        async with db.read() as conn:
            rows = (await conn.execute(stmt)).all()
        if len(rows) != 1:
            raise TokenError("The bearer token's e-mail address is not a known person's.")
        return Viewer(
            person_id=rows[0].id,
            scopes=self.scopes,
            is_staff=rows[0].staff is not None,
            method="oidc",
        )
