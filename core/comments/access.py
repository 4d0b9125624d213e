"""Access rules of the comments domain: comments and feedback.

- Reading: comments are as public as their target (a visible group, its meetings and priority
  areas). A hidden comment shows that it is hidden, when and why to everyone; its body only to
  `HIDDEN_BODY_READERS` (its author, the group's anchors, staff), who hid it only to anchors and
  staff. Earlier versions of an edited comment (`revisions`) are for the author, the group's
  anchors and staff: the public sees that and when it was edited (`editedAt`), not what it said.
- Writing: anyone signed in comments and replies on any visible target (participation in OGP's
  working groups is open, and proposals are commented on by everyone); only the author edits
  (staff pass every rule, so the service refuses them another person's comment with the user
  error NOT_AUTHOR); the group's anchors and staff hide a comment with a reason; only staff
  unhide one.
- Feedback: anyone signed in sends it; staff read all of it (`Query.feedback`, `node(id:)`); its
  sender reads back their own, nobody else (a row rule: others' lists are empty, and
  `node(id:)` answers null, as for an ID that names nothing).
"""

from __future__ import annotations

from core.access.declare import Declaration, FieldRule, MutationRule, RowRule, Scope
from core.access.rules import ANCHOR, SELF, SIGNED_IN, STAFF
from core.comments.models import Comment, Feedback

COMMENT = {"id": "Comment"}

COMMENT_SCOPE = Scope(
    "Comment",
    Comment.id,
    group=Comment.group_id,
    person=Comment.author_id,
    meeting=Comment.meeting_id,
)
FEEDBACK_SCOPE = Scope("Feedback", Feedback.id, person=Feedback.author_id)

HIDDEN_BODY_READERS = SELF | ANCHOR | STAFF
"""Who reads the body of a hidden comment (everyone reads a visible one's)."""
MODERATORS = ANCHOR | STAFF
"""Who hides a comment and sees who hid it."""

DECLARATIONS: list[Declaration] = [
    COMMENT_SCOPE,
    RowRule(FEEDBACK_SCOPE, SELF | STAFF),
    FieldRule("Comment", "body", HIDDEN_BODY_READERS, public=Comment.hidden_at.is_(None)),
    FieldRule("Comment", "revisions", SELF | ANCHOR | STAFF),
    FieldRule("Comment", "hiddenBy", MODERATORS),
    MutationRule("commentPost", SIGNED_IN),
    MutationRule("commentEdit", SELF, COMMENT),  # staff: services.edit's NOT_AUTHOR
    MutationRule("commentHide", MODERATORS, COMMENT),
    MutationRule("commentUnhide", STAFF, COMMENT),
    MutationRule("feedbackSubmit", SIGNED_IN),
]
