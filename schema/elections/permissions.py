from __future__ import annotations

from typing import Any

from strawberry.exceptions import StrawberryGraphQLError

from hub.elections.services import can_manage_elections
from hub.i18n import render
from schema.context import Info
from schema.permissions import IsUser


class IsElectionManager(IsUser):
    """Central staff (admins and reviewers) create elections and keep their calendars."""

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        super().has_permission(source, info, **kwargs)
        if not can_manage_elections(info.context.principal):
            raise StrawberryGraphQLError(
                render("request.election_managers_only"), extensions={"code": "PERMISSION_DENIED"}
            )
        return True
