"""Demo comments (illustrative): a short thread on the Open Data Working Group, comments on its
London Summit meeting, one on its priority area under discussion (the member who objects says
why) and one on the demo's proposed group (issue 9, section 4: proposals are commented on), so
the README's walk-through has something to read.

Every row is marked `illustrative` (the API's `Comment.illustrative`): the people are the demo's
invented ones and the words are ours, not theirs. Idempotent: a comment is looked up by its
group, author and text, and only what is missing is added (each with its COMMENT_POSTED event).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.activity.services import record
from core.comments.models import Comment, Feedback, FeedbackCategory
from core.groups import demo_lifecycle
from core.groups.models import WorkingGroup
from core.meetings.demo import summit_title
from core.meetings.models import Meeting
from core.people.models import Person
from core.priorities.demo import OPEN_TITLE
from core.priorities.models import PriorityArea

GROUP_SLUG = "open-data"


@dataclass(frozen=True)
class DemoComment:
    key: str
    author: str  # e-mail of a demo person (core.demo.PEOPLE)
    body: str
    at: datetime
    on_summit: bool = False  # on the group's Summit meeting, else on the group itself
    reply_to: str | None = None  # key of the comment it answers


COMMENTS = [
    DemoComment(
        "portals",
        "wanjiru.kamau@example.org",
        "Could the group keep a shared list of the national open data portals its members run, "
        "with who to ask about each? It would help us in Kenya to see how others publish.",
        datetime(2013, 10, 14, 9, 30, tzinfo=UTC),
    ),
    DemoComment(
        "portals-reply",
        "claire.tremblay@example.org",
        "Good idea: let's start the list at the Summit session and keep it up to date between "
        "the webinars.",
        datetime(2013, 10, 15, 16, 5, tzinfo=UTC),
        reply_to="portals",
    ),
    DemoComment(
        "summit-agenda",
        "thomas.berg@example.org",
        "For the London session: could we keep half an hour for the open data principles we "
        "want to propose as a priority area?",
        datetime(2013, 10, 21, 11, 0, tzinfo=UTC),
        on_summit=True,
    ),
    DemoComment(
        "summit-remote",
        "oliver.hughes@example.org",
        "Will the session be streamed for members who cannot travel to London?",
        datetime(2013, 10, 24, 8, 45, tzinfo=UTC),
        on_summit=True,
    ),
]


async def load(conn: AsyncConnection) -> int:
    """Add the demo comments that are missing; returns how many were added (0 when the group,
    its Summit meeting or a demo person is absent, e.g. with the open-data plugin disabled)."""
    group = (
        await conn.execute(
            select(WorkingGroup.id, WorkingGroup.name).where(WorkingGroup.slug == GROUP_SLUG)
        )
    ).first()
    if group is None:
        return 0
    summit = (
        await conn.execute(
            select(Meeting.id, Meeting.title)
            .where(Meeting.group_id == group.id, Meeting.is_summit.is_(True))
            # the meeting core/meetings/demo.py names so, else the group's first Summit meeting
            .order_by(Meeting.title != summit_title(group.name), Meeting.starts_at, Meeting.id)
            .limit(1)
        )
    ).first()
    emails = {c.author for c in COMMENTS}
    people = dict(
        (await conn.execute(select(Person.email, Person.id).where(Person.email.in_(emails)))).all()
    )
    if summit is None or len(people) != len(emails):
        return 0
    ids: dict[str, int] = {}
    added = 0
    for comment in COMMENTS:
        meeting = summit.id if comment.on_summit else None
        parent = ids.get(comment.reply_to) if comment.reply_to else None
        found = await conn.scalar(
            select(Comment.id).where(
                Comment.group_id == group.id,
                Comment.author_id == people[comment.author],
                Comment.body == comment.body,
            )
        )
        if found is None:
            author = (
                await conn.execute(
                    select(Person.id, Person.name, Person.organization_id).where(
                        Person.id == people[comment.author]
                    )
                )
            ).one()
            what = f"the meeting '{summit.title}'" if meeting else f"the group '{group.name}'"
            verb = "replied to a comment on" if parent else "commented on"
            found = await _post(
                conn,
                author,
                comment.body,
                comment.at,
                f"{verb} {what}",
                group_id=group.id,
                meeting_id=meeting,
                parent_id=parent,
            )
            added += 1
        ids[comment.key] = found
    added += await _load_priority_area_comment(conn, group.id)
    added += await _load_proposal_comment(conn)
    return added + await _load_feedback(conn, people[COMMENTS[-1].author])


AREA_COMMENT_AUTHOR = "wanjiru.kamau@example.org"  # Government of Kenya (ICT Authority)
AREA_COMMENT = (
    "Kenya now objects, not to the area but to its size: our procurement law must change before "
    "we can publish every contract. Could the group start with the largest contracts and come "
    "back to the rest once the law has passed?"
)
AREA_COMMENT_AFTER = timedelta(days=4, hours=2)
"""The comment is dated two hours after Kenya's objection (core/priorities/demo.py: four days
after the area was opened)."""


async def _load_priority_area_comment(conn: AsyncConnection, group_id: int) -> int:
    """A comment on the group's priority area under discussion (core.priorities.demo.OPEN_TITLE)
    by the member whose organisation objects to it, with its COMMENT_POSTED event; 1 when added,
    0 when already there or when the area (not yet opened) or the author is absent."""
    area = (
        await conn.execute(
            select(PriorityArea.id, PriorityArea.title, PriorityArea.opened_at).where(
                PriorityArea.group_id == group_id, PriorityArea.title == OPEN_TITLE
            )
        )
    ).first()
    author = (
        await conn.execute(
            select(Person.id, Person.name, Person.organization_id).where(
                Person.email == AREA_COMMENT_AUTHOR
            )
        )
    ).first()
    if area is None or area.opened_at is None or author is None:
        return 0
    found = await conn.scalar(
        select(Comment.id).where(Comment.priority_area_id == area.id, Comment.body == AREA_COMMENT)
    )
    if found is not None:
        return 0
    await _post(
        conn,
        author,
        AREA_COMMENT,
        area.opened_at + AREA_COMMENT_AFTER,
        f"commented on the priority area '{area.title}'",
        group_id=group_id,
        priority_area_id=area.id,
    )
    return 1


PROPOSAL_COMMENT_AUTHOR = "priya.raman@example.org"  # International Budget Partnership
PROPOSAL_COMMENT = (
    "We would take part: budget and contracting data belong together. Could the group start "
    "with how governments publish contract amendments, where most of the money moves?"
)
PROPOSAL_COMMENT_AFTER = timedelta(days=2)
"""The comment is dated two days after the proposal was made."""


async def _load_proposal_comment(conn: AsyncConnection) -> int:
    """A comment on the demo's proposed group (core.groups.demo_lifecycle.PROPOSAL), two days
    after it was proposed, with its COMMENT_POSTED event; 1 when added, 0 when already there or
    when the proposal or its author is absent."""
    proposal = (
        await conn.execute(
            select(WorkingGroup.id, WorkingGroup.name, WorkingGroup.created_at).where(
                WorkingGroup.slug == demo_lifecycle.PROPOSAL["slug"]
            )
        )
    ).first()
    author = (
        await conn.execute(
            select(Person.id, Person.name, Person.organization_id).where(
                Person.email == PROPOSAL_COMMENT_AUTHOR
            )
        )
    ).first()
    if proposal is None or author is None:
        return 0
    found = await conn.scalar(
        select(Comment.id).where(Comment.group_id == proposal.id, Comment.body == PROPOSAL_COMMENT)
    )
    if found is not None:
        return 0
    await _post(
        conn,
        author,
        PROPOSAL_COMMENT,
        proposal.created_at + PROPOSAL_COMMENT_AFTER,
        f"commented on the proposed group '{proposal.name}'",
        group_id=proposal.id,
    )
    return 1


async def _post(
    conn: AsyncConnection, author: Any, body: str, at: datetime, what: str, **on: int | None
) -> int:
    """Insert one illustrative comment by `author` (a row with id, name, organization_id) on
    `on` (group_id, and meeting_id / priority_area_id / parent_id), dated `at`, with its
    COMMENT_POSTED event saying "<author> <what>"; returns the comment's id."""
    comment_id: int | None = await conn.scalar(
        insert(Comment)
        .values(**on, author_id=author.id, body=body, created_at=at, illustrative=True)
        .returning(Comment.id)
    )
    assert comment_id is not None
    await record(
        conn,
        verb="COMMENT_POSTED",
        subject_type="Comment",
        subject_id=comment_id,
        summary=f"{author.name} {what} (illustrative demo comment)",
        group_id=on["group_id"],
        organization_id=author.organization_id,
        actor_id=author.id,
        at=at,
    )
    return comment_id


FEEDBACK = (
    "A shared calendar of all five groups' sessions would help members who follow more than "
    "one theme. (Illustrative demo feedback.)"
)


async def _load_feedback(conn: AsyncConnection, author: int) -> int:
    """One piece of feedback on the working-group concept (the text says it is illustrative:
    feedback has no `illustrative` field); 1 when added, 0 when already there."""
    if await conn.scalar(select(Feedback.id).where(Feedback.body == FEEDBACK)) is not None:
        return 0
    values = {"author_id": author, "body": FEEDBACK, "category": FeedbackCategory.IDEA}
    await conn.execute(
        insert(Feedback).values(**values, created_at=datetime(2013, 11, 4, 9, 0, tzinfo=UTC))
    )
    return 1
