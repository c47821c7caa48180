"""The principal of a request: a user, a partner agency's grant, or nobody. Computed once per request."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from hub.access.addresses import address_bucket
from hub.access.roles import NATIONAL_ROLES, UPLOAD_ROLES, Role
from hub.access.scope import Scope


class PrincipalKind(StrEnum):
    USER = "user"
    PARTNER = "partner"
    ANONYMOUS = "anonymous"
    SYSTEM = "system"  # command-line jobs and workers acting for the operators of the hub


@dataclass(frozen=True)
class Principal:
    kind: PrincipalKind
    id: str | None
    name: str
    scope: Scope
    role: Role | None = None
    region_code: str | None = None
    region_path: tuple[str, ...] = field(default=())
    agency: str | None = None

    @property
    def is_authenticated(self) -> bool:
        return self.kind is not PrincipalKind.ANONYMOUS

    @property
    def is_partner(self) -> bool:
        return self.kind is PrincipalKind.PARTNER

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def actor(self) -> str:
        """How audit entries and logs name this principal."""
        return f"{self.kind.value}:{self.name}"

    @property
    def rate_limit_key(self) -> str | None:
        """Per-principal rate-limit bucket; anonymous callers are limited by address instead."""
        return f"{self.kind.value}:{self.id}" if self.id else None

    def rate_bucket(self, client_address: str) -> str:
        """The bucket this principal's requests are counted in: its own, or for an anonymous caller its
        client address (an IPv6 client's /64, hub.access.addresses)."""
        key = self.rate_limit_key
        return key if key is not None else f"address:{address_bucket(client_address)}"

    def can_upload_to(self, region_path: tuple[str, ...] | list[str]) -> bool:
        return self.role in UPLOAD_ROLES and self.scope.covers(region_path)


ANONYMOUS = Principal(kind=PrincipalKind.ANONYMOUS, id=None, name="anonymous", scope=Scope.nothing())


def system_principal(name: str) -> Principal:
    return Principal(
        kind=PrincipalKind.SYSTEM, id=f"system:{name}", name=name, scope=Scope.everything(), role=Role.ADMIN
    )


def user_scope(role: Role, region_path: tuple[str, ...]) -> Scope:
    """A user's scope: the whole country for central roles, otherwise the subtree of the home region."""
    if role in NATIONAL_ROLES or len(region_path) == 1:
        return Scope.everything()
    return Scope.subtrees([region_path[-1]])
