"""Deadline extensions in GraphQL: the record, its connection, its typed errors and the mutations' payload.

A record type (a Node): a partner grant reads it only when it lists its fields (`DeadlineExtension.dueAt`,
…), which no grant does by default — an extension tells of a region's difficulty (its reason above all).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from hub.regions.models import Region as RegionModel
from hub.reports.errors import ExtensionErrorCode as ExtensionErrorCodeModel
from hub.reports.extensions import DeadlineExtension as DeadlineExtensionModel
from schema.access.actors import ACTOR_DESCRIPTION, actor
from schema.access.types import User
from schema.connection import CURSOR, PAGE_INFO
from schema.context import Info
from schema.describe import (
    CLIENT_MUTATION_ID_ECHO,
    ERROR_CODE,
    ERROR_FIELD,
    ERROR_MESSAGE,
    ERRORS,
    error_codes,
)
from schema.fields import field
from schema.prefetch import cached
from schema.regions.types import Region
from schema.reports.parts import PERIOD_KEY

ExtensionErrorCode = error_codes(
    ExtensionErrorCodeModel,
    name="DeadlineExtensionErrorCode",
    noun="deadline extension",
    values={
        "REGION_NOT_FOUND": "No region has this code, or it is outside what you may see (the two answer "
        "alike).",
        "EXTENSION_NOT_FOUND": "No deadline extension has this id, or it is outside what you may see (the "
        "two answer alike).",
        "INVALID_DEADLINE": "The new deadline is not in the future, not later than the period's deadline, or "
        "more than a year past it.",
        "REASON_REQUIRED": "A grant needs its reason.",
        "REASON_TOO_LONG": "A reason has at most 2000 characters.",
        "ALREADY_EXTENDED": "The region already has an extension in force for the period: revoke it first.",
        "ALREADY_REVOKED": "Someone else revoked this extension already.",
    },
)


@strawberry.type(description="Why a deadline extension mutation did nothing.")
class DeadlineExtensionError:
    field: str | None = strawberry.field(description=ERROR_FIELD)
    message: str = strawberry.field(description=ERROR_MESSAGE)
    code: ExtensionErrorCode = strawberry.field(description=ERROR_CODE)  # type: ignore[valid-type]


def _region(region: RegionModel | None) -> Region:
    if region is None:
        raise LookupError("an extension's region is missing")
    return Region.from_model(region)


@strawberry.type(
    description="A later deadline for one region's deliveries of one period (quarterly report, required "
    "documents), granted by the level above with a reason: the province's coordinator for its regencies and "
    "cities, the centre for all. Revoked ones are kept, with who revoked them and why."
)
class DeadlineExtension(relay.Node):
    extension_id: relay.NodeID[str]
    model: strawberry.Private[DeadlineExtensionModel]
    period_key: str = strawberry.field(description=PERIOD_KEY)
    due_at: datetime = strawberry.field(description="The extended deadline.")
    base_due_at: datetime = strawberry.field(description="The period's quarterly report deadline it extends.")
    reason: str = strawberry.field(description="Why the region needs more time.")
    granted_at: datetime = strawberry.field(description="When it was granted.")
    revoked_at: datetime | None = strawberry.field(description="When it was revoked; null while in force.")
    revoke_reason: str | None = strawberry.field(description="Why it was revoked, if a reason was given.")
    in_force: bool = strawberry.field(
        description="Not revoked: the region's deadlines for the period follow it."
    )

    @classmethod
    def from_model(cls, extension: DeadlineExtensionModel) -> DeadlineExtension:
        return cls(
            extension_id=str(extension.id),
            model=extension,
            period_key=extension.period_key,
            due_at=extension.due_at,
            base_due_at=extension.base_due_at,
            reason=extension.reason,
            granted_at=extension.granted_at,
            revoked_at=extension.revoked_at,
            revoke_reason=extension.revoke_reason,
            in_force=extension.in_force,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        found = await info.context.loaders.deadline_extension.load_many(list(node_ids))
        return [cls.from_model(extension) if extension else None for extension in found]

    @field(description="The region whose deadline is extended.")
    def region(self, info: Info) -> Region:
        return cached(info.context.loaders.region, self.model.region_code, _region)  # type: ignore[return-value]

    @field(description=f"Who granted it; {ACTOR_DESCRIPTION}")
    def granted_by(self, info: Info) -> User | None:
        return actor(info, self.model.granted_by)  # type: ignore[return-value]  # or an awaitable of it

    @field(description=f"Who revoked it; {ACTOR_DESCRIPTION}")
    def revoked_by(self, info: Info) -> User | None:
        return actor(info, self.model.revoked_by)  # type: ignore[return-value]  # or an awaitable of it


@strawberry.type(description="A deadline extension and its cursor.")
class DeadlineExtensionEdge:
    cursor: str = strawberry.field(description=CURSOR)
    node: DeadlineExtension = strawberry.field(description="The extension.")


@strawberry.type(description="A page of deadline extensions.")
class DeadlineExtensionConnection:
    page_info: relay.PageInfo = strawberry.field(description=PAGE_INFO)
    edges: list[DeadlineExtensionEdge] = strawberry.field(
        description="The extensions of this page, with cursors."
    )
    total_count: int = strawberry.field(description="How many extensions match, over all pages.")

    @field(description="The extensions of this page, without edges.")
    def nodes(self) -> list[DeadlineExtension]:
        return [edge.node for edge in self.edges]


@strawberry.type(
    description="What a deadline extension mutation answers: the extension, or why nothing changed."
)
class DeadlineExtensionPayload:
    extension: DeadlineExtension | None = strawberry.field(
        description="The extension as it is now; null when refused."
    )
    errors: list[DeadlineExtensionError] = strawberry.field(description=ERRORS)
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID_ECHO)

    @classmethod
    def of(
        cls, extension: DeadlineExtensionModel, client_mutation_id: str | None = None
    ) -> DeadlineExtensionPayload:
        return cls(
            extension=DeadlineExtension.from_model(extension),
            errors=[],
            client_mutation_id=client_mutation_id,
        )
