from __future__ import annotations

from typing import Annotated

import strawberry

from hub.access.directory import visible_users
from hub.audit.errors import AuditError, AuditErrorCode
from hub.audit.trail import ENTRIES_NEWEST, TrailFilter, list_entries, readable_by
from hub.audit.verification import verify_since_checkpoint
from hub.i18n import Text
from schema.audit.types import AuditEntry, AuditEntryConnection, AuditEntryFilter, AuditVerification
from schema.connection import After, Before, First, Last, connection
from schema.context import Info
from schema.cost import cost
from schema.fields import field
from schema.permissions import IsAdmin, IsUser


async def _trail_filter(info: Info, given: AuditEntryFilter | None) -> TrailFilter:
    if given is None:
        return TrailFilter()
    actor = None
    if given.user is not None:
        if given.user.type_name != "User":
            raise AuditError(AuditErrorCode.INVALID_FILTER, Text("audit.user_filter_id"), "filter.user")
        (account,) = await visible_users(info.context.principal, [given.user.node_id])
        if account is None:
            raise AuditError(AuditErrorCode.USER_NOT_FOUND, Text("audit.user_not_found"), "filter.user")
        actor = f"user:{account.username}"
    record = f"{given.record.type_name}:{given.record.node_id}" if given.record is not None else None
    return TrailFilter(
        target=record, actor=actor, actions=tuple(given.actions or ()), at_from=given.from_, at_to=given.to
    )


@strawberry.type
class AuditQueries:
    @field(
        description="The audit trail, newest first: who did what to which record, when, with the values "
        "before and after. Admins read every entry; reviewers the entries of records in their regions; "
        "others are refused (PERMISSION_DENIED).",
        permission_classes=[IsUser],
        metadata=cost(weight=2),  # a count and a page, by index
    )
    async def audit_entries(
        self,
        info: Info,
        filter: Annotated[
            AuditEntryFilter | None,
            strawberry.argument(description="Which entries; all you may read by default."),
        ] = None,
        first: First = 50,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> AuditEntryConnection:
        readable_by(info.context.principal)  # refused before any filter is looked at
        position, size = ENTRIES_NEWEST.window(first=first, after=after, last=last, before=before, default=50)
        wanted = await _trail_filter(info, filter)
        page = await list_entries(info.context.principal, wanted, after=position, first=size)
        return connection(AuditEntryConnection, page, AuditEntry.from_model, cursor=ENTRIES_NEWEST.cursor)

    @field(
        description="Whether the audit chain verifies, checked from its latest signed checkpoint to its head "
        "(admins). Bounded: past 10,000 entries since the checkpoint it answers UNCHECKED.",
        permission_classes=[IsAdmin],
        metadata=cost(weight=50),  # up to 10,000 entries read and hashed, and the object store
    )
    async def audit_verification(self, info: Info) -> AuditVerification:
        return AuditVerification.from_model(await verify_since_checkpoint(info.context.clients.store))
