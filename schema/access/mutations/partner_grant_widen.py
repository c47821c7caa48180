from __future__ import annotations

from typing import Annotated

import strawberry

from hub.access.errors import AccessError as DomainAccessError
from schema.access.grants import PartnerGrant
from schema.access.mutations.common import GrantId, access_errors
from schema.access.mutations.partner_grant_narrow import PartnerGrantLimitsInput, change_limits
from schema.access.types import AccessError
from schema.context import Info
from schema.describe import ERRORS


@strawberry.type(description="What `partnerGrantWiden` answers.")
class PartnerGrantWidenPayload:
    grant: PartnerGrant | None = strawberry.field(description="The grant as it is now; null when refused.")
    errors: list[AccessError] = strawberry.field(description=ERRORS)


async def partner_grant_widen(
    info: Info,
    id: GrantId,
    input: Annotated[PartnerGrantLimitsInput, strawberry.argument(description="The new limits.")],
    reason: Annotated[
        str, strawberry.argument(description="Why the partner may read more (1 to 500 characters); audited.")
    ],
) -> PartnerGrantWidenPayload:
    """Let a partner grant read more (admins): a new decision, recorded with its reason and the limits before
    and after (`partner_grant.widen` in the audit trail). The token stays the same."""
    try:
        grant = await change_limits(info, id, input, reason)
    except DomainAccessError as error:
        return PartnerGrantWidenPayload(grant=None, errors=access_errors(error))
    return PartnerGrantWidenPayload(grant=grant, errors=[])
