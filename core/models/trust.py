"""Who is calling and what they did: API tokens, the staff role, the audit log, idempotency keys.

- `api_tokens`: a bearer token is shown once; only its SHA-256 is kept (a token is 32 random
  bytes, so a fast hash is enough: there is nothing to brute-force). Bound to a person, with
  scopes, an expiry and a revocation time.
- `staff_roles`: OGP Support Unit staff. A relation (who granted it, when), not a flag on people.
- `audit_log`: one row per mutation call, written in its own transaction so that a refused or
  failed mutation is recorded too; never exposed to writes through the API.
- `idempotency_keys`: the first answer to a mutation sent with an `Idempotency-Key`, per caller.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow


class ApiToken(Base):
    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint("expires_at IS NULL OR expires_at > created_at", name="expires_after"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    """Hex SHA-256 of the token text; the token itself is never stored."""
    prefix: Mapped[str] = mapped_column(String(16))
    """The token's first characters, so `token list` can show which is which."""
    scopes: Mapped[str] = mapped_column(String(200), default="read write")
    """Space-separated scopes (RFC 6749 section 3.3 style): `read`, `write`."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StaffRole(Base):
    __tablename__ = "staff_roles"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    granted_by: Mapped[str] = mapped_column(String(200), default="")
    """Who granted it (a person's name, or `cli` / `demo`)."""


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_person_id_at", "person_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    """null: anonymous (or the person was deleted since)."""
    token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id", ondelete="SET NULL"))
    mutation: Mapped[str] = mapped_column(String(100))
    """The root mutation field, e.g. `registrationCreate`."""
    object_type: Mapped[str | None] = mapped_column(String(100))
    object_id: Mapped[str | None] = mapped_column(String(200))
    """The global ID of the object acted on, when there is one."""
    outcome: Mapped[str] = mapped_column(String(20))
    """`OK`, `USER_ERROR`, `UNAUTHENTICATED`, `FORBIDDEN` or `ERROR`."""
    codes: Mapped[str] = mapped_column(String(500), default="")
    """Space-separated userError / error codes of that call."""
    request_id: Mapped[str | None] = mapped_column(String(64))


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (Index("ix_idempotency_keys_expires_at", "expires_at"),)

    principal: Mapped[str] = mapped_column(String(100), primary_key=True)
    """Whose key: `person:<id>`, or `anonymous:<client address>`."""
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the request (document, operation, variables): a reused key with another
    request is refused, not answered with the first request's result."""
    status_code: Mapped[int]
    response: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
