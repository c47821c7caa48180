from __future__ import annotations

from hub.access.errors import AccessError as DomainAccessError
from schema.access.types import AccessError, AccessErrorCode


def access_errors(error: DomainAccessError) -> list[AccessError]:
    return [AccessError(field=error.field, message=error.message, code=AccessErrorCode(error.code))]
