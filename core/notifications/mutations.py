"""Root mutations of the notifications domain: `notificationPreferencesSet`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from core.errors import UserError
from core.notifications import services
from core.notifications.models import DigestFrequency
from core.notifications.types import NotificationPreferences
from core.transactions import in_transaction


@strawberry.input
class NotificationPreferencesSetInput:
    digest: DigestFrequency = strawberry.field(
        description="How often to e-mail the digest of your groups' activity (NONE: never). "
        "Choosing one starts it now: the first digest tells what happens from here on."
    )
    meeting_notices: bool | None = strawberry.field(
        default=None,
        description="E-mail when a meeting you registered for is cancelled or moved; null: "
        "unchanged (on until you turn it off).",
    )


@strawberry.type
class NotificationPreferencesPayload:
    notification_preferences: NotificationPreferences | None
    user_errors: list[UserError]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Choose which e-mail you get (yours only: the signed-in person's). "
        "NO_EMAIL: a digest needs an e-mail address on your person."
    )
    async def notification_preferences_set(
        self, info: Info, input: NotificationPreferencesSetInput
    ) -> NotificationPreferencesPayload:
        ctx = info.context
        person_id = ctx.viewer.person_id
        assert person_id is not None  # the access rule (SIGNED_IN) ran before this resolver
        row, errors = await in_transaction(
            ctx,
            lambda conn: services.set_preferences(
                conn, person_id, input.digest, input.meeting_notices
            ),
        )
        return NotificationPreferencesPayload(
            notification_preferences=row and NotificationPreferences.from_row(row),
            user_errors=errors,
        )
