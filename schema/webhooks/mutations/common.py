from __future__ import annotations

from strawberry import relay

from hub.webhooks.errors import WebhookError as DomainWebhookError
from hub.webhooks.errors import WebhookErrorCode as WebhookErrorCodeModel
from schema.webhooks.types import WebhookError, WebhookErrorCode


def webhook_errors(error: DomainWebhookError) -> list[WebhookError]:
    return [WebhookError(field=error.field, message=error.message, code=WebhookErrorCode(error.code))]


def node_id(id: relay.GlobalID, type_name: str, code: WebhookErrorCodeModel) -> str:
    if id.type_name != type_name:
        raise DomainWebhookError(code, f"`id` must be a {type_name} id", "id")
    return id.node_id
