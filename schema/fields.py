"""Typed decorators for fields and subscriptions that have a resolver.

Strawberry types its bare decorator (`@strawberry.field`) as returning a `StrawberryField`, but its configured
form (`@strawberry.field(description=...)`) as returning `Any`, which strict mypy rejects as an untyped
decorator. These take the options this schema uses, make the very same `StrawberryField`, and say so. Plain
attributes keep `strawberry.field(...)`: that form is typed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import strawberry
from strawberry.permission import BasePermission
from strawberry.types.field import StrawberryField

Resolver = Callable[..., object]
FieldDecorator = Callable[[Resolver], StrawberryField]


def field(
    *,
    description: str,
    name: str | None = None,
    permission_classes: list[type[BasePermission]] | None = None,
    deprecation_reason: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> FieldDecorator:
    """`@strawberry.field(...)` over a resolver; every field says what it is (`description`). `metadata`:
    what the schema's checks read about the field (its cost, schema.cost; what it reveals to partners)."""
    return _resolver_field(
        description, name, permission_classes, deprecation_reason, metadata, is_subscription=False
    )


def subscription(
    *,
    description: str,
    name: str | None = None,
    permission_classes: list[type[BasePermission]] | None = None,
    deprecation_reason: str | None = None,
) -> FieldDecorator:
    """`@strawberry.subscription(...)` over a resolver that returns the stream."""
    return _resolver_field(
        description, name, permission_classes, deprecation_reason, None, is_subscription=True
    )


def _resolver_field(
    description: str,
    name: str | None,
    permission_classes: list[type[BasePermission]] | None,
    deprecation_reason: str | None,
    metadata: Mapping[str, Any] | None,
    *,
    is_subscription: bool,
) -> FieldDecorator:
    # What `strawberry.subscription` itself does: a field marked as a subscription.
    def decorate(resolver: Resolver) -> StrawberryField:
        return strawberry.field(
            resolver,
            name=name,
            description=description,
            is_subscription=is_subscription,
            permission_classes=permission_classes,
            deprecation_reason=deprecation_reason,
            metadata=metadata,
        )

    return decorate
