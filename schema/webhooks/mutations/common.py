"""What the webhook mutations share: their typed errors and the ids they take."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.webhooks.errors import WebhookError as DomainWebhookError
from hub.webhooks.errors import WebhookErrorCode as WebhookErrorCodeModel
from schema.mutations import MutationErrors
from schema.webhooks.types import WebhookError

WEBHOOK_ERRORS = MutationErrors(DomainWebhookError, WebhookError)
webhook_errors = WEBHOOK_ERRORS.typed
GrantId = Annotated[relay.GlobalID, strawberry.argument(description="The partner grant's id.")]


def grant_id(value: relay.GlobalID) -> str:
    return WEBHOOK_ERRORS.raw_id(value, "PartnerGrant", WebhookErrorCodeModel.GRANT_NOT_FOUND)
