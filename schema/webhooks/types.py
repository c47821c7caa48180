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
from schema.fields import field

strawberry.enum(WebhookErrorCodeModel, name="WebhookErrorCode")
strawberry.enum(
    DeliveryStatusModel, name="WebhookDeliveryStatus", description="Where a webhook delivery stands."
)
WebhookErrorCode: TypeAlias = WebhookErrorCodeModel
WebhookDeliveryStatus: TypeAlias = DeliveryStatusModel


@strawberry.type(description="Why a webhook mutation did nothing.")
class WebhookError:
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str
    code: WebhookErrorCode


@strawberry.type(description="One POST of a webhook delivery: what came back, or why nothing did.")
class WebhookDeliveryAttempt:
    at: datetime = strawberry.field(
        description="When it was made; the X-Pantau-Timestamp it was signed with."
    )
    url: str
    status_code: int | None = strawberry.field(description="The partner's HTTP status; null when none came.")
    error: str | None = strawberry.field(description="A network error, a timeout, or why it was not sent.")
    duration_ms: int
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
    event_kind: str = strawberry.field(description="As sent in X-Pantau-Event, such as `incident.created`.")
    body: str = strawberry.field(description="The JSON body, the same on every attempt.")
    status: WebhookDeliveryStatus
    attempt_count: int = strawberry.field(description="Automatic attempts made (redeliveries not counted).")
    next_attempt_at: datetime | None = strawberry.field(
        description="When it is retried; null when it is not."
    )
    delivered_at: datetime | None
    created_at: datetime
    updated_at: datetime
    attempts: list[WebhookDeliveryAttempt] = strawberry.field(
        description="The latest attempts, oldest first."
    )
    grant_model: strawberry.Private[PartnerGrantModel | None]

    @classmethod
    def from_model(cls, delivery: WebhookDeliveryModel, grant: PartnerGrantModel | None) -> WebhookDelivery:
        return cls(
            delivery_id=str(delivery.id),
            event_id=strawberry.ID(str(delivery.event_id)),
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
