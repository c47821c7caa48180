from __future__ import annotations

import strawberry

from hub.access.errors import AccessError as DomainAccessError
from hub.access.grant_changes import rotate_grant_token
from schema.access.grants import PartnerGrant
from schema.access.mutations.common import GrantId, access_errors, grant_id
from schema.access.types import AccessError
from schema.context import Info
from schema.describe import ERRORS


@strawberry.type(description="What `partnerGrantTokenRotate` answers.")
class PartnerGrantTokenRotatePayload:
    grant: PartnerGrant | None = strawberry.field(description="The grant; null when refused.")
    token: str | None = strawberry.field(description="The grant's new bearer token, shown only this once.")
    errors: list[AccessError] = strawberry.field(description=ERRORS)


async def partner_grant_token_rotate(info: Info, id: GrantId) -> PartnerGrantTokenRotatePayload:
    """Give a partner grant a new token (admins): the old one is refused from the next request on, and open
    subscriptions made with it end before their next event. Its webhook keeps its signing secret."""
    try:
        created = await rotate_grant_token(grant_id(id), actor=info.context.principal.actor)
    except DomainAccessError as error:
        return PartnerGrantTokenRotatePayload(grant=None, token=None, errors=access_errors(error))
    return PartnerGrantTokenRotatePayload(
        grant=PartnerGrant.from_model(created.grant), token=created.token, errors=[]
    )
