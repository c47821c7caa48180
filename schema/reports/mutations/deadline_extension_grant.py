"""`deadlineExtensionGrant`: a later deadline for one region and period, by the level above."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from hub.reports.errors import ExtensionError
from hub.reports.extension_grants import MAX_REASON_LENGTH, grant_extension
from schema.context import Info
from schema.describe import CLIENT_MUTATION_ID
from schema.mutations import MutationErrors
from schema.regions.code import RegionCode
from schema.reports.extension_types import DeadlineExtensionError, DeadlineExtensionPayload

EXTENSION_ERRORS = MutationErrors(ExtensionError, DeadlineExtensionError)


@strawberry.input(description="Which region gets more time for which period, until when, and why.")
class DeadlineExtensionGrantInput:
    region: RegionCode = strawberry.field(
        description="A province (the centre grants) or a regency or city (its province's coordinator or the "
        "centre)."
    )
    period: str = strawberry.field(description="The period, such as `2026-Q1`.")
    due_at: datetime = strawberry.field(
        description="The new deadline: in the future, later than the period's deadline, at most a year "
        "past it."
    )
    reason: str = strawberry.field(
        description=f"Why the region needs more time; 1 to {MAX_REASON_LENGTH} characters."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=CLIENT_MUTATION_ID)


async def deadline_extension_grant(
    info: Info,
    input: Annotated[DeadlineExtensionGrantInput, strawberry.argument(description="The extension to grant.")],
) -> DeadlineExtensionPayload:
    """Give a region a later deadline for a period."""
    context = info.context
    try:
        extension, _ = await grant_extension(
            context.clients.settings,
            context.principal,
            region_code=input.region,
            period_key=input.period,
            due_at=input.due_at,
            reason=input.reason,
            client_mutation_id=input.client_mutation_id,
        )
    except ExtensionError as error:
        return DeadlineExtensionPayload(
            extension=None, errors=EXTENSION_ERRORS.typed(error), client_mutation_id=input.client_mutation_id
        )
    return DeadlineExtensionPayload.of(extension, input.client_mutation_id)
