"""Who did something — a report's author, a review step, a case's follow-up — as the viewer may see them.

Records store their actor as text (`user:<username>`, or `system:<job>` for the hub's own jobs). The schema
answers every actor the same way: the `User`, when the viewer may see that account (hub.access.users:
admins see every account, other staff those in their regions, partner grants none), else null — for a job of
the hub, a deleted account, or an account out of sight alike, so an actor never tells more than `users` would.
Accounts are loaded in one query per request (a DataLoader), and read without an await when a list prefetched
them (schema.prefetch).
"""

from __future__ import annotations

from collections.abc import Awaitable

from hub.access.models import User as UserModel
from hub.access.users import may_see_account
from schema.access.types import User
from schema.context import Info
from schema.prefetch import cached

ACTOR_DESCRIPTION = (
    "null when a job of the hub acted, or when the account is one you may not see (`users` lists those you "
    "may)."
)


sees_account = may_see_account


def actor(info: Info, value: str | None) -> Awaitable[User | None] | User | None:
    """The account that `value` (a stored actor) names, if the viewer may see it."""
    if value is None or not value.startswith("user:"):
        return None
    principal = info.context.principal

    def visible(account: UserModel | None) -> User | None:
        return User.from_model(account) if account is not None and sees_account(principal, account) else None

    return cached(info.context.loaders.reports.user_by_actor, value, visible)
