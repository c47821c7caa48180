"""The root Query and Mutation types, composed from each domain's fields."""

from __future__ import annotations

import strawberry
from strawberry import relay

from schema.access.mutations.partner_grant_create import partner_grant_create
from schema.access.mutations.partner_grant_revoke import partner_grant_revoke
from schema.access.mutations.session_create import session_create
from schema.access.mutations.session_refresh import session_refresh
from schema.access.mutations.session_revoke import session_revoke
from schema.access.mutations.user_create import user_create
from schema.access.mutations.user_deactivate import user_deactivate
from schema.access.mutations.user_role_change import user_role_change
from schema.access.queries import AccessQueries
from schema.access.types import PartnerGrant, User
from schema.documents.mutations.document_upload import document_upload
from schema.documents.types import Document
from schema.permissions import IsAdmin, IsAuthenticated, IsUser
from schema.regions.queries import RegionQueries
from schema.regions.types import Region
from schema.search.queries import SearchQueries

NODE_TYPES = [Region, Document, User, PartnerGrant]


def query_type() -> type:
    # A fresh class per schema: relay's node fields are bound to the schema that first applies them.
    @strawberry.type(name="Query")
    class Query(RegionQueries, SearchQueries, AccessQueries):
        node: relay.Node | None = relay.node(
            description="Any object by its global id; null when it does not exist or is outside your scope.",
            permission_classes=[IsAuthenticated],
        )
        nodes: list[relay.Node | None] = relay.node(
            description="Objects by their global ids, in order; null for those you may not see.",
            permission_classes=[IsAuthenticated],
        )

    return Query


@strawberry.type
class Mutation:
    session_create = strawberry.mutation(resolver=session_create)
    session_refresh = strawberry.mutation(resolver=session_refresh)
    session_revoke = strawberry.mutation(resolver=session_revoke)
    user_create = strawberry.mutation(resolver=user_create, permission_classes=[IsAdmin])
    user_deactivate = strawberry.mutation(resolver=user_deactivate, permission_classes=[IsAdmin])
    user_role_change = strawberry.mutation(resolver=user_role_change, permission_classes=[IsAdmin])
    partner_grant_create = strawberry.mutation(resolver=partner_grant_create, permission_classes=[IsAdmin])
    partner_grant_revoke = strawberry.mutation(resolver=partner_grant_revoke, permission_classes=[IsAdmin])
    document_upload = strawberry.mutation(resolver=document_upload, permission_classes=[IsUser])
