"""Shared payload of the session mutations (login and refresh both hand out a new token pair)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.access.sessions import IssuedTokens
from schema.access.types import AccessError, User
from schema.describe import ERRORS


@strawberry.type(description="A token pair: keep the refresh token secret; it is shown only here.")
class SessionPayload:
    access_token: str | None = strawberry.field(
        default=None, description="Send it as `Authorization: Bearer <token>` with every request."
    )
    access_token_expires_at: datetime | None = strawberry.field(
        default=None, description="When the access token stops working: refresh before then."
    )
    refresh_token: str | None = strawberry.field(
        default=None, description="Trade it for a new pair with sessionRefresh; it works once."
    )
    refresh_token_expires_at: datetime | None = strawberry.field(
        default=None, description="When the session ends unless refreshed."
    )
    user: User | None = strawberry.field(default=None, description="The signed-in account.")
    errors: list[AccessError] = strawberry.field(default_factory=list, description=ERRORS)

    @classmethod
    def issued(cls, tokens: IssuedTokens) -> SessionPayload:
        return cls(
            access_token=tokens.access_token,
            access_token_expires_at=tokens.access_expires_at,
            refresh_token=tokens.refresh_token,
            refresh_token_expires_at=tokens.refresh_expires_at,
            user=User.from_model(tokens.user),
        )
