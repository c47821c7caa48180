from __future__ import annotations

import strawberry

from hub.access.errors import AccessError as DomainAccessError
from hub.access.errors import AccessErrorCode
from hub.access.grants import revoke_grant
from schema.access.grants import PartnerGrant
from schema.access.mutations.common import ACCESS_ERRORS, GrantId, access_errors
from schema.access.types import AccessError
from schema.context import Info
from schema.describe import ERRORS


@strawberry.type(description="What `partnerGrantRevoke` answers.")
class PartnerGrantRevokePayload:
    grant: PartnerGrant | None = strawberry.field(description="The grant, now revoked.")
    errors: list[AccessError] = strawberry.field(description=ERRORS)


async def partner_grant_revoke(info: Info, id: GrantId) -> PartnerGrantRevokePayload:
    """Revoke a partner grant (admins only): its token is refused from the next request on."""
    try:
        grant = await revoke_grant(
            ACCESS_ERRORS.raw_id(id, "PartnerGrant", AccessErrorCode.GRANT_NOT_FOUND),
            actor=info.context.principal.actor,
        )
    except DomainAccessError as error:
        return PartnerGrantRevokePayload(grant=None, errors=access_errors(error))
    return PartnerGrantRevokePayload(grant=PartnerGrant.from_model(grant), errors=[])
