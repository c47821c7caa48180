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
    key: str = Field(description='unique per event: "saved_search:<id>:<window end>"')
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
        ]
