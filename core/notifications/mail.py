"""Messages and SMTP: what a notice and a digest say, and how one goes out.

Plain text only (every client reads it; nothing to sanitise). Times are shown in the meeting's
own IANA time zone, with its UTC equivalent. Sending uses the standard library's `smtplib` in a
thread (no extra dependency): one connection per pass, STARTTLS and login when configured.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from core.config import Settings
from core.schema.ids import to_global_id

VERB_WORDS = {"MEETING_CANCELLED": "cancelled", "MEETING_MOVED": "moved"}
"""The activity verbs that make a notice to a meeting's registrants, and how a subject says it."""


def meeting_link(settings: Settings, meeting_id: int) -> str:
    """The meeting's calendar file (core/meetings/calendar.py): opening it updates the event in
    the reader's calendar, or shows it cancelled."""
    base = settings.notify_public_url.rstrip("/")
    return f"{base}/meetings/{quote(to_global_id('Meeting', meeting_id), safe='')}.ics"


def local_time(starts_at: datetime, ends_at: datetime, timezone: str) -> str:
    """`Thursday 31 October 2013, 10:00-12:00 (Europe/London; 09:00-11:00 UTC)`."""
    zone = ZoneInfo(timezone)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    same_day = start.date() == end.date()
    end_text = end.strftime("%H:%M") if same_day else end.strftime("%A %d %B %Y %H:%M")
    utc_start, utc_end = starts_at.astimezone(UTC), ends_at.astimezone(UTC)
    return (
        f"{start.strftime('%A %d %B %Y, %H:%M')}-{end_text} ({timezone}; "
        f"{utc_start.strftime('%H:%M')}-{utc_end.strftime('%H:%M')} UTC)"
    )


def meeting_notice(
    settings: Settings, event: Any, meeting: Any, change: Any, person: Any
) -> tuple[str, str]:
    """(subject, body) of the notice of `event` (an activity_events row, MEETING_CANCELLED or
    MEETING_MOVED) to `person` (a people row), about `meeting` (its meetings row, with
    `group_name`); `change`: the meeting_changes row of the event (new times, reason), or None
    (then the meeting's times now)."""
    word = VERB_WORDS[event.verb]
    subject = f"Meeting {word}: {meeting.title}"[:300]
    starts_at, ends_at = meeting.starts_at, meeting.ends_at
    if word == "moved" and change is not None and change.new_starts_at is not None:
        starts_at, ends_at = change.new_starts_at, change.new_ends_at or meeting.ends_at
    when = local_time(starts_at, ends_at, meeting.timezone)
    lines = [
        f"Hello {person.name},",
        "",
        f"{event.summary}.",
    ]
    if change is not None and change.reason:
        lines.append(f"Reason: {change.reason}")
    lines += [
        "",
        f"Group: {meeting.group_name}",
        ("New time: " if word == "moved" else "It was to take place: ") + when,
    ]
    if meeting.location:
        lines.append(f"Place: {meeting.location}")
    lines += [
        f"Calendar: {meeting_link(settings, meeting.id)}",
        "",
        "You get this because you registered for this meeting. To stop these notices, set",
        "meetingNotices to false with the notificationPreferencesSet mutation.",
    ]
    return subject, "\n".join(lines) + "\n"


def digest(
    frequency: str, person: Any, events: Sequence[Any], more: int, settings: Settings
) -> tuple[str, str]:
    """(subject, body) of a digest of `events` (activity_events rows with `group_name`, oldest
    first); `more`: how many newer events did not fit."""
    period = "daily" if frequency == "DAILY" else "weekly"
    subject = f"Your {period} digest: {len(events) + more} events in your working groups"
    lines = [f"Hello {person.name},", "", "What happened in your working groups:", ""]
    group = None
    for event in events:
        if event.group_name != group:
            group = event.group_name
            lines += ["", f"{group}"] if len(lines) > 4 else [f"{group}"]
        at = event.at.astimezone(UTC).strftime("%d %b %Y %H:%M UTC")
        lines.append(f"- {at}: {event.summary}")
    if more:
        lines += ["", f"...and {more} more: see each group's activity in the API."]
    lines += [
        "",
        f"The API: {settings.notify_public_url.rstrip('/')}/graphql",
        "You chose this digest. To stop it, set digest to NONE with the",
        "notificationPreferencesSet mutation.",
    ]
    return subject, "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Outgoing:
    """One message to send: its outbox id (the Message-ID is derived from it, so a message sent
    again after a crash carries the same ID and mail clients can drop the copy)."""

    id: int
    recipient: str
    subject: str
    body: str


class SmtpUnavailable(Exception):
    """The SMTP server cannot be reached or refused the session: nothing can be sent now."""


class SmtpRefused(Exception):
    """The server refused one message; `permanent` for a 5xx answer."""

    def __init__(self, message: str, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


def email_message(settings: Settings, outgoing: Outgoing) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = outgoing.recipient
    message["Subject"] = outgoing.subject
    message["Date"] = formatdate(localtime=False)
    domain = settings.smtp_from.rsplit("@", 1)[-1].strip("> ") or "localhost"
    message["Message-ID"] = f"<ogp-wg-outbox-{outgoing.id}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
    message.set_content(outgoing.body)
    return message


class Mailer:
    """One SMTP session (blocking; run its methods in a thread). Raises SmtpUnavailable when
    the server cannot be reached, greets badly or refuses the login."""

    def __init__(self, settings: Settings) -> None:
        assert settings.smtp_host is not None
        self.settings = settings
        self.where = f"{settings.smtp_host}:{settings.smtp_port}"
        try:
            self.smtp = smtplib.SMTP(
                settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout
            )
            if settings.smtp_starttls:
                self.smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_username:
                self.smtp.login(settings.smtp_username, settings.smtp_password or "")
        except (OSError, smtplib.SMTPException) as exc:
            raise SmtpUnavailable(
                f"cannot use the SMTP server {self.where}: {_words(exc)}"
            ) from exc

    def send(self, outgoing: Outgoing) -> None:
        """Hand one message to the server. Raises SmtpRefused (this message) or SmtpUnavailable
        (the connection was lost: the message may or may not have been accepted)."""
        try:
            self.smtp.send_message(email_message(self.settings, outgoing))
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise SmtpRefused(_words(exc), permanent=all(c >= 500 for c in codes)) from exc
        except smtplib.SMTPResponseException as exc:
            raise SmtpRefused(_words(exc), permanent=exc.smtp_code >= 500) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise SmtpUnavailable(f"lost the SMTP server {self.where}: {_words(exc)}") from exc

    def close(self) -> None:
        try:
            self.smtp.quit()
        except (OSError, smtplib.SMTPException):
            self.smtp.close()


def _words(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else ""
        return f"{exc.smtp_code} {text}".strip()
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{who}: {code} {msg.decode(errors='replace')}"
            for who, (code, msg) in exc.recipients.items()
        )
    return " ".join(str(exc).split()) or type(exc).__name__
