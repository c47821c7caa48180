from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from beanie import Document, PydanticObjectId
from pydantic import Field
from pymongo import ASCENDING, DESCENDING, IndexModel

from hub.audit.pending import Audited
from hub.core.clock import utcnow
from hub.i18n import Language, render


class NotificationKind(StrEnum):
    """What caused a notification; each producer adds its own kind."""

    SAVED_SEARCH = "saved_search"  # a saved search has new results
    REMINDER = "reminder"  # a report or document of the user's region is due soon or overdue
    # Workflow events (hub.notifications.fanout): stored with `params`, their texts rendered when read.
    REPORT_SUBMITTED = "report_submitted"  # a report waits for the recipient's review
    REPORT_RETURNED = "report_returned"  # the recipient's (region's) report was returned for revision
    REPORT_VERIFIED = "report_verified"  # the recipient's report was verified
    REPORT_EVALUATED = "report_evaluated"  # the recipient's report was evaluated by the centre
    CASE_OPENED = "case_opened"
    CASE_ASSIGNED = "case_assigned"
    CASE_ESCALATED = "case_escalated"  # overdue, and escalated to the region above
    EARLY_WARNING = "early_warning"  # a region's incidents stand abnormally high
    # Periodic reminders of the review path (hub.reminders.reviews).
    REVIEW_WAITING = "review_waiting"  # a submitted report has waited for the recipient's review for days
    RETURNED_WAITING = "returned_waiting"  # the recipient's returned report has not been resubmitted


class EmailDelivery(StrEnum):
    """Which notifications a user also receives by e-mail (to the account's address)."""

    REMINDERS = "reminders"  # due and overdue reminders only, as they come: the default, as before
    OFF = "off"  # none
    IMMEDIATE = "immediate"  # every notification, as it comes
    DAILY_DIGEST = "daily_digest"  # one message a day listing the day's notifications


class Notification(Audited, Document):
    """One in-app notification for one user. `key` names the event: the same event never notifies twice,
    however often its producer runs."""

    user_id: PydanticObjectId
    kind: NotificationKind
    title: str = Field(description="in English: logs, and readers of notifications written before hub.i18n")
    body: str
    title_key: str | None = Field(default=None, description="its message id in the catalog (hub.i18n)")
    body_key: str | None = None
    text_params: dict[str, str] = Field(default_factory=dict, description="the parameters of both texts")
    target_type: str | None = Field(default=None, description='the GraphQL type it is about: "SavedSearch"')
    target_id: str | None = Field(default=None, description="the id of what it is about")
    key: str = Field(description='unique per event: "saved_search:<id>:<window end>", "event:<id>:<user>"')
    params: dict[str, str] = Field(
        default_factory=dict,
        description="what the texts of a workflow kind are rendered from when read "
        "(hub.notifications.texts); `title`/`body` then hold the Indonesian text, for e-mail and old readers",
    )
    region_path: list[str] = Field(default_factory=list, description="of the record it is about, if any")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(
        default_factory=utcnow, description="its last change a reader sees (written, read); hub.sync.since"
    )
    read_at: datetime | None = None
    emailed_at: datetime | None = Field(default=None, description="when it was also e-mailed (reminders)")
    email_claimed_until: datetime | None = Field(default=None, description="an e-mail run is sending it")

    def title_in(self, language: Language) -> str:
        """The title in the reader's language (as stored when it was written without a message id)."""
        return render(self.title_key, language, **self.text_params) if self.title_key else self.title

    def body_in(self, language: Language) -> str:
        return render(self.body_key, language, **self.text_params) if self.body_key else self.body

    class Settings:
        name = "notifications"
        indexes = [
            IndexModel([("key", ASCENDING)], unique=True, name="notification_key"),
            IndexModel([("user_id", ASCENDING), ("created_at", DESCENDING), ("_id", DESCENDING)]),
            IndexModel([("user_id", ASCENDING), ("read_at", ASCENDING)]),
            IndexModel([("user_id", ASCENDING), ("updated_at", ASCENDING), ("_id", ASCENDING)]),
            IndexModel([("kind", ASCENDING), ("emailed_at", ASCENDING), ("created_at", ASCENDING)]),
            IndexModel([("emailed_at", ASCENDING), ("created_at", ASCENDING)]),
        ]


class EmailDigest(Document):
    """One user's daily digest for one day (UTC): written before it is sent, so a day gets one at most."""

    user_id: PydanticObjectId
    day: str = Field(description='"2026-12-03"')
    key: str = Field(description='"<user id>:<day>", unique')
    items: int = 0
    created_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "email_digests"
        indexes = [IndexModel([("key", ASCENDING)], unique=True, name="email_digest_key")]
