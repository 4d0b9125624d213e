"""Every core table, by name: the public `core.models` namespace, and what fills `Base.metadata`.

The core's domains keep their tables in their own folders (`core/people/models.py`: countries,
organisations, people; `core/groups/models.py`: groups, anchors, members;
`core/meetings/models.py`: meetings, registrations); the kernel's own tables stay here (`trust`:
API tokens, staff, audit log, idempotency keys; `plugin_registry`). Importing this module imports
them all, so Alembic's autogenerate (core/migrations/env.py) and `create_all` see every table.

Migrations: the kernel's revisions and those of the three first domains stay in one chain
(core/migrations/versions, `core_0001`..`core_0005`); every domain added since keeps its own
revisions in `core/<domain>/migrations/` (issue 9), still with `core_NNNN` ids, so no existing
database's `alembic_version` needs rewriting and `ogp-wg db upgrade` treats them as the core's.
"""

from core.activity.models import ActivityEvent
from core.assistance.models import (
    AssistanceMatch,
    AssistanceMatchMove,
    AssistanceMatchReason,
    AssistanceOffer,
    AssistanceOfferCountry,
    AssistanceOfferGroup,
    AssistanceOfferLanguage,
    AssistanceOfferTopic,
    AssistanceRequest,
    AssistanceRequestLanguage,
    AssistanceRequestTopic,
)
from core.comments.models import Comment, CommentRevision, Feedback
from core.commitments.models import (
    ActionPlan,
    Commitment,
    CommitmentEvidence,
    CommitmentGroup,
    CommitmentTopic,
    IrmAssessment,
    Milestone,
)
from core.groups.models import (
    Anchor,
    AnchorTerm,
    GroupDecision,
    Membership,
    ProposedAnchor,
    WorkingGroup,
)
from core.knowledge.models import (
    Expertise,
    ExpertiseCountry,
    ExpertiseLanguage,
    ExpertiseTopic,
    Resource,
    ResourceCommitment,
    ResourceCountry,
    ResourceGroup,
    ResourceLanguage,
    ResourceTopic,
)
from core.meetings.models import (
    CalendarFeedToken,
    Meeting,
    MeetingChange,
    MeetingLink,
    Registration,
)
from core.models.plugin_registry import PluginRegistryEntry
from core.models.trust import ApiToken, AuditEntry, IdempotencyKey, StaffRole
from core.notifications.models import NotificationJob, NotificationPreference, OutboxMessage
from core.people.models import Country, Organization, Person
from core.priorities.models import (
    ConsensusRule,
    PriorityArea,
    PriorityAreaCountry,
    PriorityAreaPosition,
    PriorityAreaRecord,
)
from core.search.models import SearchDocument
from core.translations.models import GroupTranslation, MeetingTranslation

__all__ = [
    "ActionPlan",
    "ActivityEvent",
    "Anchor",
    "AnchorTerm",
    "ApiToken",
    "AssistanceMatch",
    "AssistanceMatchMove",
    "AssistanceMatchReason",
    "AssistanceOffer",
    "AssistanceOfferCountry",
    "AssistanceOfferGroup",
    "AssistanceOfferLanguage",
    "AssistanceOfferTopic",
    "AssistanceRequest",
    "AssistanceRequestLanguage",
    "AssistanceRequestTopic",
    "AuditEntry",
    "CalendarFeedToken",
    "Comment",
    "CommentRevision",
    "Commitment",
    "CommitmentEvidence",
    "CommitmentGroup",
    "CommitmentTopic",
    "ConsensusRule",
    "Country",
    "Expertise",
    "ExpertiseCountry",
    "ExpertiseLanguage",
    "ExpertiseTopic",
    "Feedback",
    "GroupDecision",
    "GroupTranslation",
    "IdempotencyKey",
    "IrmAssessment",
    "Meeting",
    "MeetingChange",
    "MeetingLink",
    "MeetingTranslation",
    "Membership",
    "Milestone",
    "NotificationJob",
    "NotificationPreference",
    "Organization",
    "OutboxMessage",
    "Person",
    "PluginRegistryEntry",
    "PriorityArea",
    "PriorityAreaCountry",
    "PriorityAreaPosition",
    "PriorityAreaRecord",
    "ProposedAnchor",
    "Registration",
    "Resource",
    "ResourceCommitment",
    "ResourceCountry",
    "ResourceGroup",
    "ResourceLanguage",
    "ResourceTopic",
    "SearchDocument",
    "StaffRole",
    "WorkingGroup",
]
