"""Calendar feeds of meetings (RFC 5545, built with the `icalendar` library; issue 9, section 2).

Routes (registered by core/app.py, outside GraphQL, no sign-in: calendar programs subscribe to
a URL and send no bearer token):

- `GET /groups/{slug}/meetings.ics`: every meeting of a visible group, earliest first.
- `GET /meetings/{id}.ics`: one meeting; `id` is its global ID, as the API shows it
  (`Meeting.id`; URL-safe base64 without padding). A database id is not accepted: the API never
  shows one.
- `GET /calendar/{token}.ics`: a person's own feed, the meetings they registered for (every
  status but CANCELLED), behind the secret the `calendarFeedTokenCreate` mutation returns once
  (stored as its SHA-256 in `calendar_feed_tokens`; rotating it kills the old URL).

Each meeting is one VEVENT: UID `meeting-<db id>@ogp-working-groups` (stable for the meeting's
life, whatever changes), DTSTAMP (when the feed was made), DTSTART/DTEND in the meeting's time
zone with a VTIMEZONE for it (UTC meetings in UTC form), SUMMARY (title), DESCRIPTION (agenda),
LOCATION when there is one, SEQUENCE (the meeting's `sequence`, raised by every change), STATUS
CONFIRMED or CANCELLED, CATEGORIES (the kind). The join URL is in no public feed; in a personal
feed it is the event's URL (and a DESCRIPTION line) only where the person has a place (REGISTERED,
ATTENDED, NO_SHOW: core.access.sql.WITH_A_PLACE) and the meeting is not cancelled, as the
`onlineUrl` field rule says. Unknown group, meeting or token: 404.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from core.access.sql import WITH_A_PLACE
from core.auth.tokens import hash_token
from core.context import AppState
from core.db import utcnow
from core.enums import RegistrationStatus
from core.groups.models import WorkingGroup
from core.meetings.models import CalendarFeedToken, Meeting, Registration
from core.schema.ids import pk_of

PRODID = "-//Open Government Partnership//OGP Working Groups//EN"
UID_DOMAIN = "ogp-working-groups"
MEDIA_TYPE = "text/calendar; charset=utf-8"
MAX_EVENTS = 1000
"""Most events one feed carries (a group's or a person's, the latest by start)."""


def uid(meeting_pk: int) -> str:
    """The meeting's UID in every feed: stable while the meeting exists."""
    return f"meeting-{meeting_pk}@{UID_DOMAIN}"


def _event(meeting: Any, stamp: datetime, join_url: str | None) -> Event:
    zone = ZoneInfo(meeting.timezone)
    event = Event()
    event.add("uid", uid(meeting.id))
    event.add("dtstamp", stamp)
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", meeting.title)
    description = meeting.agenda
    if join_url:
        description = f"{description}\n\nJoin online: {join_url}".strip()
        event.add("url", join_url)
    if description:
        event.add("description", description)
    if meeting.location:
        event.add("location", meeting.location)
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.cancelled_at is not None else "CONFIRMED")
    event.add("categories", [meeting.kind.value])
    return event


def calendar(name: str, events: Iterable[tuple[Any, str | None]]) -> bytes:
    """The VCALENDAR of (meeting row, join URL or None) pairs, with the VTIMEZONEs they use."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    stamp = utcnow().replace(microsecond=0)
    rows = list(events)
    for meeting, join_url in rows:
        cal.add_component(_event(meeting, stamp, join_url))
    if rows:  # the time zones' rules over the years the meetings span, not 1970-2038
        first = min(m.starts_at for m, _ in rows) - timedelta(days=366)
        last = max(m.ends_at for m, _ in rows) + timedelta(days=366)
        cal.add_missing_timezones(first_date=first.date(), last_date=last.date())
    return bytes(cal.to_ical())


def _response(body: bytes, *, private: bool = False) -> Response:
    headers = {"cache-control": "private, no-store" if private else "public, max-age=300"}
    if private:
        headers["referrer-policy"] = "no-referrer"  # the secret is in the URL
    return Response(body, media_type=MEDIA_TYPE, headers=headers)


def _not_found(what: str) -> Response:
    return PlainTextResponse(f"no {what}", status_code=404)


def _latest(rows: Sequence[Any]) -> list[Any]:
    return sorted(rows, key=lambda r: (r.starts_at, r.id))[-MAX_EVENTS:]


def routes(state: AppState) -> list[Route]:
    """The three feeds' routes over the app's database and visible themes."""
    visible = WorkingGroup.theme.in_(state.visible_themes)
    meetings = select(*Meeting.__table__.c).join(WorkingGroup, WorkingGroup.id == Meeting.group_id)

    async def group_feed(request: Request) -> Response:
        slug = request.path_params["slug"]
        async with state.db.read() as conn:
            group = (
                await conn.execute(
                    select(WorkingGroup.id, WorkingGroup.name).where(
                        WorkingGroup.slug == slug, visible
                    )
                )
            ).first()
            if group is None:
                return _not_found("working group")
            stmt = (
                meetings.where(Meeting.group_id == group.id)
                .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
                .limit(MAX_EVENTS)
            )
            rows = (await conn.execute(stmt)).all()
        return _response(calendar(f"{group.name}: meetings", ((m, None) for m in _latest(rows))))

    async def meeting_feed(request: Request) -> Response:
        pk = pk_of(request.path_params["id"], "Meeting")
        if pk is None:
            return _not_found("meeting")
        async with state.db.read() as conn:
            row = (await conn.execute(meetings.where(Meeting.id == pk, visible))).first()
        if row is None:
            return _not_found("meeting")
        return _response(calendar(row.title, [(row, None)]))

    async def personal_feed(request: Request) -> Response:
        token_hash = hash_token(request.path_params["token"])
        async with state.db.read() as conn:
            person_id = await conn.scalar(
                select(CalendarFeedToken.person_id).where(
                    CalendarFeedToken.token_hash == token_hash
                )
            )
            if person_id is None:
                return _not_found("calendar feed")
            stmt = (
                meetings.add_columns(Registration.status.label("registration_status"))
                .join(Registration, Registration.meeting_id == Meeting.id)
                .where(
                    Registration.person_id == person_id,
                    Registration.status != RegistrationStatus.CANCELLED,
                    visible,
                )
                .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
                .limit(MAX_EVENTS)
            )
            rows = (await conn.execute(stmt)).all()
        events = [
            (
                m,
                m.online_url
                if m.registration_status in WITH_A_PLACE and m.cancelled_at is None
                else None,
            )
            for m in _latest(rows)
        ]
        return _response(calendar("My OGP working group meetings", events), private=True)

    return [
        Route("/groups/{slug}/meetings.ics", group_feed, methods=["GET"]),
        Route("/meetings/{id}.ics", meeting_feed, methods=["GET"]),
        Route("/calendar/{token}.ics", personal_feed, methods=["GET"], name="personal_calendar"),
    ]
