"""Permission classes declared on fields and mutations. Object-level scope is applied by the loaders and
queries through hub.access.scope; these say who may call a field at all."""

from __future__ import annotations

from typing import Any

from strawberry.exceptions import StrawberryGraphQLError
from strawberry.permission import BasePermission

from hub.access.roles import Role
from hub.i18n import render
from schema.context import Info


def _refuse(code: str, message: str) -> StrawberryGraphQLError:
    return StrawberryGraphQLError(message, extensions={"code": code})


class IsAuthenticated(BasePermission):
    """Any signed-in user or valid partner grant."""

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        context = info.context
        if context.principal.is_authenticated:
            return True
        if context.auth_error is not None:
            raise _refuse(context.auth_error.code.value, context.auth_error.localized())
        raise _refuse("UNAUTHENTICATED", render("request.sign_in_first"))


class IsUser(IsAuthenticated):
    """A signed-in user: partner grants are read-only."""

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        super().has_permission(source, info, **kwargs)
        if info.context.principal.is_partner:
            raise _refuse("PERMISSION_DENIED", render("request.partner_read_only"))
        return True


class IsAdmin(IsUser):
    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        super().has_permission(source, info, **kwargs)
        if info.context.principal.role is not Role.ADMIN:
            raise _refuse("PERMISSION_DENIED", render("request.admin_only"))
        return True
