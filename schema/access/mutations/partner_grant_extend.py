from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from hub.access.errors import AccessError as DomainAccessError
from hub.access.grant_changes import extend_grant
from schema.access.grants import PartnerGrant
from schema.access.mutations.common import GrantId, access_errors, grant_id
from schema.access.types import AccessError
from schema.context import Info
from schema.describe import ERRORS


@strawberry.type(description="What `partnerGrantExtend` answers.")
class PartnerGrantExtendPayload:
    grant: PartnerGrant | None = strawberry.field(
        description="The grant with its new expiry; null when refused."
    )
    errors: list[AccessError] = strawberry.field(description=ERRORS)


async def partner_grant_extend(
    info: Info,
    id: GrantId,
    expires_at: Annotated[
        datetime,
        strawberry.argument(
            description="The new expiry: later than the current one, within a year from now."
        ),
    ],
) -> PartnerGrantExtendPayload:
    """Move a partner grant's expiry later (admins); its token stays the same."""
    try:
        grant = await extend_grant(grant_id(id), actor=info.context.principal.actor, expires_at=expires_at)
    except DomainAccessError as error:
        return PartnerGrantExtendPayload(grant=None, errors=access_errors(error))
    return PartnerGrantExtendPayload(grant=PartnerGrant.from_model(grant), errors=[])
