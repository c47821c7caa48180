"""Notification e-mail through SMTP, as each user chose (hub.notifications.models.EmailDelivery): reminders
only (the default), every notification as it comes, a daily digest (hub.notifications.digest) or none. Each
notification e-mailed is sent once, and marked `emailed_at`. A run claims a notification before sending it,
so two runs never send it at once; one that dies between sending and marking lets the claim run out, and it
is sent again (at least once: the Message-ID is the same each time, so mail clients can fold the repeat)."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import smtplib
import ssl
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from beanie import PydanticObjectId

from hub.access.models import User
from hub.core.clock import storable_time, utcnow
from hub.i18n import DEFAULT_LANGUAGE, Language, render
from hub.notifications.models import EmailDelivery, Notification, NotificationKind
from hub.notifications.texts import mail_footer, notification_texts
from hub.settings import Settings

log = logging.getLogger(__name__)
# Reminders older than this are not e-mailed any more (a long SMTP outage does not end in a flood).
HORIZON = timedelta(days=2)
CLAIM = timedelta(minutes=15)
BATCH = 200
MAX_BATCHES = 25
IMPLICIT_TLS_PORT = 465
# What users who want "reminders" by e-mail get: due and overdue deliveries, and the review path's.
REMINDER_KINDS = [
    NotificationKind.REMINDER.value,
    NotificationKind.REVIEW_WAITING.value,
    NotificationKind.RETURNED_WAITING.value,
]


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    starttls: bool = True
    timeout: float = 30.0
    language: Language = DEFAULT_LANGUAGE  # of every e-mail (users have no language of their own yet)

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpConfig | None:
        if not settings.smtp_host or not settings.smtp_from:
            return None
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            starttls=settings.smtp_starttls,
            timeout=settings.smtp_timeout_seconds,
            language=Language(settings.email_language),
        )


@dataclass
class MailOutcome:
    emailed: int = 0
    email_failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def message_id(notification_key: str) -> str:
    return f"<{hashlib.sha256(notification_key.encode()).hexdigest()[:32]}@pantau-hub>"


def compose(notification: Notification, address: str, config: SmtpConfig) -> EmailMessage:
    """The e-mail of a notification, in the configured language (`PANTAU_EMAIL_LANGUAGE`)."""
    language, sender = config.language, config.sender
    title, body = notification_texts(notification, language)
    message = EmailMessage()
    message["Subject"] = f"[Pantau] {title}"
    message["From"] = sender
    message["To"] = address
    message["Date"] = format_datetime(notification.created_at)
    message["Message-ID"] = message_id(notification.key)
    footer = render("notice.email.reminder_footer", language)
    if notification.kind is not NotificationKind.REMINDER:
        footer = mail_footer(language)
    message.set_content(f"{body}\n\n{footer}\n")
    return message


def connect(config: SmtpConfig) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if config.port == IMPLICIT_TLS_PORT:
        connection: smtplib.SMTP = smtplib.SMTP_SSL(
            config.host, config.port, timeout=config.timeout, context=context
        )
    else:
        connection = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        if config.starttls:
            connection.starttls(context=context)
    if config.username:
        connection.login(config.username, config.password or "")
    return connection


async def _claim(notification: Notification, now: datetime) -> bool:
    result = await Notification.get_pymongo_collection().update_one(
        {
            "_id": notification.id,
            "emailed_at": None,
            "$or": [{"email_claimed_until": None}, {"email_claimed_until": {"$lte": now}}],
        },
        {"$set": {"email_claimed_until": now + CLAIM}},
    )
    return result.modified_count == 1


@dataclass(frozen=True)
class Recipients:
    """Active users with an address, by what they want e-mailed as it comes (the others never hold a batch
    up): every notification, or reminders only."""

    addresses: dict[PydanticObjectId, str]
    everything: list[PydanticObjectId]
    reminders: list[PydanticObjectId]


async def _recipients() -> Recipients:
    users = await User.find({"active": True, "email": {"$ne": None}}).to_list()
    addresses: dict[PydanticObjectId, str] = {}
    everything: list[PydanticObjectId] = []
    reminders: list[PydanticObjectId] = []
    for user in users:
        if user.id is None or not user.email:
            continue
        if user.email_delivery == EmailDelivery.IMMEDIATE.value:
            everything.append(user.id)
        elif user.email_delivery == EmailDelivery.REMINDERS.value:
            reminders.append(user.id)
        else:
            continue  # off, or the daily digest (hub.notifications.digest)
        addresses[user.id] = user.email
    return Recipients(addresses, everything, reminders)


async def _pending(now: datetime, wanted: Recipients) -> list[Notification]:
    criteria = {
        "emailed_at": None,
        "created_at": {"$gte": now - HORIZON},
        "$and": [
            {
                "$or": [
                    {"user_id": {"$in": wanted.everything}},
                    {"kind": {"$in": REMINDER_KINDS}, "user_id": {"$in": wanted.reminders}},
                ]
            },
            {"$or": [{"email_claimed_until": None}, {"email_claimed_until": {"$lte": now}}]},
        ],
    }
    return await Notification.find(criteria).sort("created_at", "_id").limit(BATCH).to_list()


async def _send(
    connection: smtplib.SMTP, notice: Notification, address: str, config: SmtpConfig
) -> bool | None:
    """True when sent and marked; False when it failed (it is tried again once its claim runs out); None
    when another run has it."""
    now = storable_time(utcnow())
    if not await _claim(notice, now):
        return None
    try:
        await asyncio.to_thread(connection.send_message, compose(notice, address, config))
    except smtplib.SMTPServerDisconnected:
        raise
    except (OSError, smtplib.SMTPException) as error:
        log.warning("reminder %s not e-mailed (tried again after %s): %s", notice.id, CLAIM, error)
        return False
    await Notification.get_pymongo_collection().update_one(
        {"_id": notice.id}, {"$set": {"emailed_at": storable_time(utcnow()), "email_claimed_until": None}}
    )
    return True


async def email_reminders(config: SmtpConfig) -> MailOutcome:
    """Sends the notifications not e-mailed yet (of the last HORIZON, to active users with an address who
    want them as they come: reminders, or everything), over one SMTP connection, in batches."""
    outcome = MailOutcome()
    wanted = await _recipients()
    addresses = wanted.addresses
    if not addresses:
        return outcome
    connection: smtplib.SMTP | None = None
    try:
        for _ in range(MAX_BATCHES):
            # Notifications are stamped by the clock, whatever `now` the reminders were found with.
            notices = await _pending(storable_time(utcnow()), wanted)
            if not notices:
                break
            if connection is None:
                try:
                    connection = await asyncio.to_thread(connect, config)
                except (OSError, smtplib.SMTPException) as error:
                    log.warning("SMTP %s:%s unreachable; reminders wait: %s", config.host, config.port, error)
                    outcome.email_failed += len(notices)
                    break
            for notice in notices:
                sent = await _send(connection, notice, addresses[notice.user_id], config)
                outcome.emailed += sent is True
                outcome.email_failed += sent is False
            if len(notices) < BATCH:
                break
    except smtplib.SMTPServerDisconnected:
        log.warning("the SMTP server went away; the remaining reminders wait for the next run")
        outcome.email_failed += 1
    finally:
        if connection is not None:
            try:
                await asyncio.to_thread(connection.quit)
            except (OSError, smtplib.SMTPException):
                connection.close()
    return outcome
