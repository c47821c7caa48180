"""`deadlineExtensionRevoke`: end a deadline extension; the period's deadline applies again."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.reports.errors import ExtensionError, ExtensionErrorCode
from hub.reports.extension_grants import MAX_REASON_LENGTH, revoke_extension
from schema.context import Info
from schema.reports.extension_types import DeadlineExtensionPayload
from schema.reports.mutations.deadline_extension_grant import EXTENSION_ERRORS


@strawberry.input(description="Why a deadline extension ends.")
class DeadlineExtensionRevokeInput:
    reason: str | None = strawberry.field(
        default=None, description=f"Why it is revoked; at most {MAX_REASON_LENGTH} characters."
    )


async def deadline_extension_revoke(
    info: Info,
    id: Annotated[relay.GlobalID, strawberry.argument(description="The extension's id.")],
    input: Annotated[
        DeadlineExtensionRevokeInput | None, strawberry.argument(description="An optional reason.")
    ] = None,
) -> DeadlineExtensionPayload:
    """End a deadline extension (the level above the region); it is kept for the history."""
    try:
        raw = EXTENSION_ERRORS.raw_id(id, "DeadlineExtension", ExtensionErrorCode.EXTENSION_NOT_FOUND)
        extension = await revoke_extension(info.context.principal, raw, input.reason if input else None)
    except ExtensionError as error:
        return DeadlineExtensionPayload(extension=None, errors=EXTENSION_ERRORS.typed(error))
    return DeadlineExtensionPayload.of(extension)
