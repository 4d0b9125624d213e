"""GraphQL types of the notifications domain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from core.notifications.models import DigestFrequency


@strawberry.type(
    description="What e-mail a person gets: the digest of their groups' activity, and notices "
    "when a meeting they registered for is cancelled or moved."
)
class NotificationPreferences:
    digest: DigestFrequency = strawberry.field(
        description="How often the digest of their groups' activity is e-mailed (NONE: never)."
    )
    meeting_notices: bool = strawberry.field(
        description="E-mail when a meeting they registered for is cancelled or moved."
    )
    last_digest_at: datetime | None = strawberry.field(
        description="When a digest was last due (sent, or nothing happened); null: not yet."
    )

    @classmethod
    def from_row(cls, row: Any) -> NotificationPreferences:
        """`row`: a notification_preferences row, or None for a person who never chose."""
        if row is None or row.digest is None:
            return cls(digest=DigestFrequency.NONE, meeting_notices=True, last_digest_at=None)
        return cls(
            digest=DigestFrequency(row.digest),
            meeting_notices=bool(row.meeting_notices),
            last_digest_at=row.last_digest_at,
        )
