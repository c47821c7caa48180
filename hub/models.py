"""Every beanie document model, registered with the database in one place."""

from __future__ import annotations

from beanie import Document

from hub.access.models import PartnerGrant, PartnerRead, Session, User
from hub.audit.models import AuditEntry
from hub.backup.runs import BackupRun
from hub.cases.models import Case
from hub.completeness.models import Requirement
from hub.documents.models import PendingUpload, StoredDocument
from hub.documents.shares import DocumentShare
from hub.early_warning.models import EarlyWarning
from hub.elections.models import Election
from hub.events.models import Event
from hub.evidence.models import EvidencePiece
from hub.notifications.models import EmailDigest, Notification
from hub.regions.models import Region
from hub.reports.extensions import DeadlineExtension
from hub.reports.models import Report, ReportTemplate
from hub.searches.models import SavedSearch
from hub.sync.models import Tombstone
from hub.threads.models import Comment
from hub.webhooks.models import WebhookDelivery

# The data of the hub: what a backup holds and a restore brings back.
DATA_MODELS: tuple[type[Document], ...] = (
    Region,
    StoredDocument,
    EvidencePiece,
    Event,
    PendingUpload,
    DocumentShare,
    AuditEntry,
    User,
    Session,
    PartnerGrant,
    PartnerRead,
    ReportTemplate,
    Report,
    Case,
    Requirement,
    DeadlineExtension,
    Election,
    SavedSearch,
    Notification,
    EmailDigest,
    EarlyWarning,
    WebhookDelivery,
    Tombstone,
    Comment,
)

# The history of backup runs belongs to the stack that ran them, not to its data: it is not backed up (a
# restored stack starts its own history, so its last successful backup is its own).
DOCUMENT_MODELS: tuple[type[Document], ...] = (*DATA_MODELS, BackupRun)
