"""The notification jobs the workers run: one event's fan-out (then the e-mail it calls for), the sweep of
events a lost message left behind, and the daily digests. Each is safe to run twice."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from hub.notifications.digest import email_digests
from hub.notifications.fanout import Announcer, fan_out, sweep_events
from hub.reminders.mail import SmtpConfig, email_reminders


@dataclass
class NotifyOutcome:
    events: int = 0
    notified: int = 0
    emailed: int = 0
    email_failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


async def _mail(outcome: NotifyOutcome, smtp: SmtpConfig | None) -> NotifyOutcome:
    # Whatever is due by e-mail, this event's among it: also when a first run wrote the notifications and
    # died before sending (a rerun writes nothing new, and still sends what waits).
    if smtp is not None:
        mail = await email_reminders(smtp)
        outcome.emailed, outcome.email_failed = mail.emailed, mail.email_failed
    return outcome


async def notify_event(event_id: str, announcer: Announcer | None, smtp: SmtpConfig | None) -> NotifyOutcome:
    notified = await fan_out(event_id, announcer)
    return await _mail(NotifyOutcome(events=1, notified=notified), smtp)


async def notify_missed_events(announcer: Announcer | None, smtp: SmtpConfig | None) -> NotifyOutcome:
    events, notified = await sweep_events(announcer)
    return await _mail(NotifyOutcome(events=events, notified=notified), smtp)


async def send_digests(now: datetime, smtp: SmtpConfig | None) -> int:
    return await email_digests(smtp, now) if smtp is not None else 0
