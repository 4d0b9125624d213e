"""`ogp-wg token create|list|revoke` and `ogp-wg staff grant|revoke|list`, registered on the main
parser by `add_commands`. A mistake (unknown person, bad --expires, ambiguous prefix) is one line
on stderr and exit status 1; a new token is the only thing printed on stdout, so
`TOKEN=$(ogp-wg token create --person ...)` works."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

if TYPE_CHECKING:  # SQLAlchemy loads when a command runs, not for `ogp-wg --help`
    from sqlalchemy.ext.asyncio import AsyncConnection

T = TypeVar("T")
EXIT_ERROR = 1


def _run(work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    """Run `work` in one write transaction on the configured database; TokenError -> exit 1."""
    from core.auth.tokens import TokenError
    from core.config import load_settings
    from core.db import Database

    db = Database(load_settings().database_url)

    async def run() -> T:
        try:
            async with db.write() as conn:
                return await work(conn)
        finally:
            await db.dispose()

    try:
        return asyncio.run(run())
    except TokenError as exc:
        _fail(exc)


def _fail(exc: Exception) -> NoReturn:
    print(f"ogp-wg: error: {exc}", file=sys.stderr)
    raise SystemExit(EXIT_ERROR) from None


def _when(moment: datetime | None, never: str = "-") -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else never


def cmd_token_create(args: argparse.Namespace) -> None:
    from core.auth.staff import find_person
    from core.auth.tokens import TokenError, issue_token, parse_expiry, parse_scopes

    try:  # argument mistakes first, before touching the database
        scopes = parse_scopes(args.scope)
        expires_at = parse_expiry(args.expires)
    except TokenError as exc:
        _fail(exc)

    async def work(conn: AsyncConnection) -> Any:
        person_id, email = await find_person(conn, args.person)
        issued = await issue_token(
            conn, person_id, scopes=scopes, expires_at=expires_at, name=args.name
        )
        return issued, email

    issued, email = _run(work)
    print(issued.token, flush=True)
    print(
        f"ogp-wg: token {issued.id} ({issued.prefix}...) for person {issued.person_id} "
        f"<{email or 'no e-mail'}>, scopes {' '.join(sorted(issued.scopes))}, expires "
        f"{_when(issued.expires_at, 'never')} UTC. It is shown only this once: store it now.",
        file=sys.stderr,
    )


def cmd_token_list(args: argparse.Namespace) -> None:
    from core.auth.tokens import list_tokens

    tokens = _run(list_tokens)
    rows = [("ID", "PREFIX", "NAME", "PERSON", "SCOPES", "EXPIRES", "REVOKED", "LAST USED")]
    for t in tokens:
        person = f"{t.person_id} {t.person_email or ''}".strip()
        rows.append(
            (
                str(t.id),
                t.prefix,
                t.name or "-",
                person,
                ",".join(sorted(t.scopes)),
                _when(t.expires_at, "never"),
                _when(t.revoked_at, "no"),
                _when(t.last_used_at, "never"),
            )
        )
    _print_table(rows)


def cmd_token_revoke(args: argparse.Namespace) -> None:
    from core.auth.tokens import revoke_token

    async def work(conn: AsyncConnection) -> tuple[int, bool]:
        return await revoke_token(conn, args.token)

    token_id, newly = _run(work)
    print(f"token {token_id} {'revoked' if newly else 'was already revoked'}")


def cmd_staff(args: argparse.Namespace) -> None:
    from core.auth.staff import find_person, grant_staff, revoke_staff

    async def work(conn: AsyncConnection) -> tuple[int, str | None, bool]:
        person_id, email = await find_person(conn, args.person)
        if args.staff_command == "grant":
            changed = await grant_staff(conn, person_id, granted_by=args.by)
        else:
            changed = await revoke_staff(conn, person_id)
        return person_id, email, changed

    person_id, email, changed = _run(work)
    who = f"person {person_id} <{email or 'no e-mail'}>"
    if args.staff_command == "grant":
        print(f"{who} {'is now staff' if changed else 'was already staff'}")
    else:
        print(f"{who} {'is no longer staff' if changed else 'was not staff'}")


def cmd_staff_list(args: argparse.Namespace) -> None:
    from sqlalchemy import select

    from core.models import Person, StaffRole

    async def work(conn: AsyncConnection) -> list[Any]:
        stmt = (
            select(StaffRole.person_id, Person.email, StaffRole.granted_at, StaffRole.granted_by)
            .join(Person, Person.id == StaffRole.person_id)
            .order_by(StaffRole.person_id)
        )
        return list((await conn.execute(stmt)).all())

    rows = [("PERSON", "E-MAIL", "GRANTED", "BY")]
    for person_id, email, at, by in _run(work):
        rows.append((str(person_id), email or "-", _when(at), by or "-"))
    _print_table(rows)


def print_demo_tokens(tokens: Mapping[str, str]) -> None:
    """The tokens `ogp-wg demo` made, one `role<TAB>token` line each, on stdout."""
    from core.demo import DEMO_ROLES, DEMO_TOKEN_DAYS

    if not tokens:
        return
    print(
        f"ogp-wg: demo bearer tokens ({DEMO_TOKEN_DAYS} days; each run of `ogp-wg demo` "
        "replaces them). Send one as 'Authorization: Bearer <token>':",
        file=sys.stderr,
    )
    for role, token in tokens.items():
        print(f"{role}\t{token}\t{DEMO_ROLES.get(role, '')}", flush=True)


def _print_table(rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def add_commands(sub: Any) -> None:
    """Add `token` and `staff` to the main parser's subcommands (`sub`: its subparsers)."""
    token = sub.add_parser("token", help="bearer API tokens: create, list, revoke")
    token_sub = token.add_subparsers(dest="token_command", required=True, metavar="ACTION")
    create = token_sub.add_parser(
        "create",
        help="create a token for a person and print it (only this once)",
        description="Print a new bearer token on stdout, once: only its SHA-256 is stored.",
    )
    create.add_argument("--person", required=True, help="the person's id or e-mail address")
    create.add_argument(
        "--scope",
        action="append",
        metavar="SCOPE",
        help="read or write (repeatable; write implies read; default: read and write)",
    )
    create.add_argument(
        "--expires",
        metavar="WHEN",
        help="30d, 12h, 8w, an ISO date or date-time (UTC), or never (default: 90d)",
    )
    create.add_argument("--name", default="", help="what the token is for (shown by list)")
    create.set_defaults(func=cmd_token_create)
    token_sub.add_parser(
        "list", help="every token: id, prefix, person, scopes, expiry, revoked, last used"
    ).set_defaults(func=cmd_token_list)
    revoke = token_sub.add_parser("revoke", help="revoke a token (it stops working at once)")
    revoke.add_argument("token", metavar="ID|PREFIX", help="the token's id or its prefix")
    revoke.set_defaults(func=cmd_token_revoke)

    staff = sub.add_parser("staff", help="the staff role (OGP Support Unit): grant, revoke, list")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True, metavar="ACTION")
    for action, text in (("grant", "make a person staff"), ("revoke", "end a person's staff role")):
        parser = staff_sub.add_parser(action, help=text)
        parser.add_argument("--person", required=True, help="the person's id or e-mail address")
        if action == "grant":
            parser.add_argument("--by", default="cli", help="who grants it (recorded)")
        parser.set_defaults(func=cmd_staff)
    staff_sub.add_parser("list", help="who is staff").set_defaults(func=cmd_staff_list)
