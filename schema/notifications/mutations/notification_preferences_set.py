from __future__ import annotations

from typing import Annotated

import strawberry

from hub.notifications.errors import NotificationError as DomainNotificationError
from hub.notifications.preferences import set_email_delivery
from schema.context import Info
from schema.describe import ERRORS
from schema.notifications.mutations.notification_mark_read import notification_errors
from schema.notifications.preferences import EmailDelivery, NotificationPreferences
from schema.notifications.types import NotificationError


@strawberry.input(description="Your notification preferences to set.")
class NotificationPreferencesSetInput:
    email: EmailDelivery = strawberry.field(description="Which notifications to also e-mail.")


@strawberry.type(description="What `notificationPreferencesSet` answers.")
class NotificationPreferencesSetPayload:
    preferences: NotificationPreferences | None = strawberry.field(description="Your preferences, now.")
    errors: list[NotificationError] = strawberry.field(description=ERRORS)


async def notification_preferences_set(
    info: Info,
    input: Annotated[NotificationPreferencesSetInput, strawberry.argument(description="The preferences.")],
) -> NotificationPreferencesSetPayload:
    """Set your own notification preferences; setting the same again changes nothing."""
    try:
        given = await set_email_delivery(info.context.principal, input.email)
    except DomainNotificationError as error:
        return NotificationPreferencesSetPayload(preferences=None, errors=notification_errors(error))
    return NotificationPreferencesSetPayload(
        preferences=NotificationPreferences.from_domain(given), errors=[]
    )
