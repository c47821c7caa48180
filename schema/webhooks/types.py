from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, TypeAlias

import strawberry
from strawberry import relay

from hub.access.models import PartnerGrant as PartnerGrantModel
from hub.webhooks.errors import WebhookErrorCode as WebhookErrorCodeModel
from hub.webhooks.listing import deliveries_by_id, grants_of
from hub.webhooks.models import DeliveryAttempt as DeliveryAttemptModel
from hub.webhooks.models import DeliveryStatus as DeliveryStatusModel
from hub.webhooks.models import WebhookDelivery as WebhookDeliveryModel
from schema.access.grants import PartnerGrant
from schema.context import Info
from schema.describe import ERROR_CODE, ERROR_FIELD, ERROR_MESSAGE, enum_type, error_codes
from schema.event_kinds import EventKind
from schema.fields import field

error_codes(
    WebhookErrorCodeModel,
    name="WebhookErrorCode",
    noun="webhook",
    values={
        "GRANT_NOT_FOUND": "No partner grant has this id.",
        "GRANT_INACTIVE": "The grant is revoked or expired.",
        "INVALID_URL": "Not an http(s) URL.",
        "URL_NOT_ALLOWED": "The URL points at a private or local address (refused in production).",
        "WEBHOOK_NOT_SET": "The grant has no webhook.",
        "DELIVERY_NOT_FOUND": "No webhook delivery has this id.",
        "DELIVERY_BUSY": "The delivery is being attempted right now: retry in a moment.",
    },
)
enum_type(
    DeliveryStatusModel,
    name="WebhookDeliveryStatus",
    description="Where a webhook delivery stands.",
    values={
        "PENDING": "Waiting for its first attempt or a retry (`nextAttemptAt`).",
        "SUCCEEDED": "The partner answered 2xx.",
        "FAILED": "Refused (4xx other than 408/429), attempts used up, or the grant ended.",
    },
)
WebhookErrorCode: TypeAlias = WebhookErrorCodeModel
WebhookDeliveryStatus: TypeAlias = DeliveryStatusModel


@strawberry.type(description="Why a webhook mutation did nothing.")
class WebhookError:
    field: str | None = strawberry.field(description=ERROR_FIELD)
    message: str = strawberry.field(description=ERROR_MESSAGE)
    code: WebhookErrorCode = strawberry.field(description=ERROR_CODE)


@strawberry.type(description="One POST of a webhook delivery: what came back, or why nothing did.")
class WebhookDeliveryAttempt:
    at: datetime = strawberry.field(
        description="When it was made; the X-Pantau-Timestamp it was signed with."
    )
    url: str = strawberry.field(description="Where it was POSTed.")
    status_code: int | None = strawberry.field(description="The partner's HTTP status; null when none came.")
    error: str | None = strawberry.field(description="A network error, a timeout, or why it was not sent.")
    duration_ms: int = strawberry.field(description="How long it took, in milliseconds.")
    manual: bool = strawberry.field(description="A redelivery an admin asked for.")
    response_excerpt: str | None = strawberry.field(description="The start of the partner's answer.")

    @classmethod
    def from_model(cls, attempt: DeliveryAttemptModel) -> WebhookDeliveryAttempt:
        return cls(
            at=attempt.at,
            url=attempt.url,
            status_code=attempt.status_code,
            error=attempt.error,
            duration_ms=attempt.duration_ms,
            manual=attempt.manual,
            response_excerpt=attempt.response_excerpt,
        )


@strawberry.type(description="One event sent (or to be sent) to one partner grant's webhook (admins).")
class WebhookDelivery(relay.Node):
    delivery_id: relay.NodeID[str]
    event_id: strawberry.ID = strawberry.field(description="The event's id, as sent in the body.")
    kind: EventKind = strawberry.field(description="What happened.")
    event_kind: str = strawberry.field(
        description="As sent in X-Pantau-Event, such as `incident.created`.",
        deprecation_reason="Use `kind`, the enum; this is only the header's spelling of it.",
    )
    body: str = strawberry.field(description="The JSON body, the same on every attempt.")
    status: WebhookDeliveryStatus = strawberry.field(description="Where it stands.")
    attempt_count: int = strawberry.field(description="Automatic attempts made (redeliveries not counted).")
    next_attempt_at: datetime | None = strawberry.field(
        description="When it is retried; null when it is not."
    )
    delivered_at: datetime | None = strawberry.field(description="When the partner accepted it.")
    created_at: datetime = strawberry.field(description="When the event was queued for the partner.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    attempts: list[WebhookDeliveryAttempt] = strawberry.field(
        description="The latest attempts, oldest first."
    )
    grant_model: strawberry.Private[PartnerGrantModel | None]

    @classmethod
    def from_model(cls, delivery: WebhookDeliveryModel, grant: PartnerGrantModel | None) -> WebhookDelivery:
        return cls(
            delivery_id=str(delivery.id),
            event_id=strawberry.ID(str(delivery.event_id)),
            kind=EventKind(delivery.event_kind),
            event_kind=delivery.event_kind,
            body=delivery.body,
            status=delivery.status,
            attempt_count=delivery.attempt_count,
            next_attempt_at=delivery.next_attempt_at,
            delivered_at=delivery.delivered_at,
            created_at=delivery.created_at,
            updated_at=delivery.updated_at,
            attempts=[WebhookDeliveryAttempt.from_model(attempt) for attempt in delivery.attempts],
            grant_model=grant,
        )

    @classmethod
    async def many(cls, deliveries: Sequence[WebhookDeliveryModel]) -> list[WebhookDelivery]:
        """The GraphQL objects, their grants loaded in one query."""
        grants = await grants_of(deliveries)
        return [cls.from_model(delivery, grants.get(delivery.grant_id)) for delivery in deliveries]

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        ids = list(node_ids)
        if not info.context.principal.is_admin:
            return [None] * len(ids)
        found = {item.delivery_id: item for item in await cls.many(await deliveries_by_id(ids))}
        return [found.get(value) for value in ids]

    @field(description="The grant it is for; null if the grant was deleted.")
    def grant(self) -> PartnerGrant | None:
        return PartnerGrant.from_model(self.grant_model) if self.grant_model else None


@strawberry.type(description="A page of webhook deliveries, newest first.")
class WebhookDeliveryConnection(relay.Connection[WebhookDelivery]):
    total_count: int = strawberry.field(description="How many match, over all pages.")

    @field(description="The deliveries of this page, without edges.")
    def nodes(self) -> list[WebhookDelivery]:
        return [edge.node for edge in self.edges]
