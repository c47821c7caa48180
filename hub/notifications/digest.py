"""The daily digest: one e-mail a day to each user who chose it (EmailDelivery.DAILY_DIGEST), listing the
notifications of the last day not e-mailed yet, in Indonesian. The day's `EmailDigest` record is written
before sending, so two runs (or a rerun) send one digest a day; a send that fails removes it, and the next run
tries again."""

from __future__ import annotations

import asyncio
import logging
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from pymongo.errors import DuplicateKeyError

from hub.access.models import User
from hub.core.clock import storable_time
from hub.notifications.models import EmailDelivery, EmailDigest, Notification
from hub.notifications.texts import digest_subject, mail_footer, notification_texts
from hub.reminders.mail import SmtpConfig, connect, message_id

log = logging.getLogger(__name__)
DAY = timedelta(days=1)
MAX_ITEMS = 100


def compose_digest(
    notices: list[Notification], address: str, config: SmtpConfig, key: str, now: datetime
) -> EmailMessage:
    lines = []
    for notice in notices:
        title, body = notification_texts(notice, config.language)
        lines.append(f"- {title}\n  {body}")
    message = EmailMessage()
    message["Subject"] = digest_subject(len(notices), config.language)
    message["From"] = config.sender
    message["To"] = address
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(f"digest:{key}")
    message.set_content("\n\n".join(lines) + f"\n\n{mail_footer(config.language)}\n")
    return message


async def email_digests(config: SmtpConfig, now: datetime) -> int:
    """Sends today's digest to each user who chose one and has something new; returns how many were sent."""
    now = storable_time(now)
    users = await User.find(
        {"active": True, "email": {"$ne": None}, "email_delivery": EmailDelivery.DAILY_DIGEST.value}
    ).to_list()
    sent = 0
    connection: smtplib.SMTP | None = None
    try:
        for user in users:
            notices = (
                await Notification.find(
                    {"user_id": user.id, "emailed_at": None, "created_at": {"$gte": now - DAY, "$lte": now}}
                )
                .sort("created_at", "_id")
                .limit(MAX_ITEMS)
                .to_list()
            )
            if not notices or not user.email:
                continue
            day = f"{now:%Y-%m-%d}"
            record = EmailDigest(user_id=user.id, day=day, key=f"{user.id}:{day}", items=len(notices))
            try:
                await record.insert()
            except DuplicateKeyError:
                continue  # today's was sent (or is being sent)
            try:
                if connection is None:
                    connection = await asyncio.to_thread(connect, config)
                message = compose_digest(notices, user.email, config, record.key, now)
                await asyncio.to_thread(connection.send_message, message)
            except (OSError, smtplib.SMTPException) as error:
                log.warning("digest of %s not sent (tried again next run): %s", user.id, error)
                await record.delete()
                break
            await Notification.get_pymongo_collection().update_many(
                {"_id": {"$in": [notice.id for notice in notices]}}, {"$set": {"emailed_at": now}}
            )
            sent += 1
    finally:
        if connection is not None:
            try:
                await asyncio.to_thread(connection.quit)
            except (OSError, smtplib.SMTPException):
                connection.close()
    return sent
