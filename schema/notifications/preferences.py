"""The viewer's notification preferences: the type and its query (set with `notificationPreferencesSet`)."""

from __future__ import annotations

from typing import TypeAlias

import strawberry

from hub.notifications.models import EmailDelivery as EmailDeliveryModel
from hub.notifications.preferences import Preferences, preferences
from schema.context import Info
from schema.describe import enum_type
from schema.fields import field
from schema.permissions import IsUser

enum_type(
    EmailDeliveryModel,
    name="EmailDelivery",
    description="Which of your notifications are also e-mailed to your account's address (`userEmailSet`).",
    values={
        "REMINDERS": "Reminders only (due and overdue deliveries, reviews waiting, returned reports not "
        "resubmitted), as they come: the default.",
        "OFF": "None.",
        "IMMEDIATE": "Every notification, as it comes.",
        "DAILY_DIGEST": "One e-mail a day listing the day's notifications.",
    },
)
EmailDelivery: TypeAlias = EmailDeliveryModel


@strawberry.type(description="How the signed-in user is notified.")
class NotificationPreferences:
    email: EmailDelivery = strawberry.field(description="Which notifications are also e-mailed.")
    has_email_address: bool = strawberry.field(
        description="Whether the account has an address to e-mail to (without one, nothing is e-mailed)."
    )

    @classmethod
    def from_domain(cls, given: Preferences) -> NotificationPreferences:
        return cls(email=given.email, has_email_address=given.has_address)


@strawberry.type
class NotificationPreferenceQueries:
    @field(description="Your notification preferences.", permission_classes=[IsUser])
    async def notification_preferences(self, info: Info) -> NotificationPreferences:
        return NotificationPreferences.from_domain(await preferences(info.context.principal))
