"""One reminder run: find what is due, notify in the app, then e-mail what was not e-mailed yet."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from hub.core.clock import storable_time
from hub.reminders.due import NATIONAL, Window, due_items
from hub.reminders.mail import MailOutcome, SmtpConfig, email_reminders
from hub.reminders.notify import notify_due
from hub.reminders.reviews import remind_reviews
from hub.settings import Settings


@dataclass(frozen=True)
class ReminderPolicy:
    lead: timedelta
    overdue: timedelta
    smtp: SmtpConfig | None = None
    review_after: timedelta = timedelta(days=3)  # hub.reminders.reviews

    @classmethod
    def from_settings(cls, settings: Settings) -> ReminderPolicy:
        return cls(
            lead=timedelta(days=settings.reminder_lead_days),
            overdue=timedelta(days=settings.reminder_overdue_days),
            smtp=SmtpConfig.from_settings(settings),
            review_after=timedelta(days=settings.review_reminder_days),
        )


@dataclass
class ReminderOutcome:
    due: int = 0
    notified: int = 0
    reviews: int = 0  # reminders of reports waiting for review or resubmission
    mail: MailOutcome = field(default_factory=MailOutcome)

    def as_dict(self) -> dict[str, int]:
        return {"due": self.due, "notified": self.notified, "reviews": self.reviews, **asdict(self.mail)}


async def send_reminders(now: datetime, policy: ReminderPolicy, *, root: str = NATIONAL) -> ReminderOutcome:
    """Safe to run twice, and in two workers at once (see hub.reminders.notify and hub.reminders.mail).
    `root`: the region subtree looked at, the whole country by default."""
    window = Window(now=storable_time(now), lead=policy.lead, overdue=policy.overdue)
    items = await due_items(window, root)
    outcome = ReminderOutcome(due=len(items), notified=await notify_due(items))
    outcome.reviews = await remind_reviews(window.now, policy.review_after, root)
    if policy.smtp is not None:
        outcome.mail = await email_reminders(policy.smtp)
    return outcome
