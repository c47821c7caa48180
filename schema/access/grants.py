"""Partner grants and the log of their reads, as admins see them (partner grants are never shown to
partners)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from hub.access.directory import visible_grants
from hub.access.models import PartnerGrant as PartnerGrantModel
from hub.access.models import PartnerRead as PartnerReadModel
from hub.reports.models import ReportType as ReportTypeModel
from schema.access.actors import ACTOR_DESCRIPTION, actor
from schema.access.types import User
from schema.connection import CURSOR, PAGE_INFO
from schema.context import Info
from schema.fields import field
from schema.regions.types import Region
from schema.reports.enums import ReportType


@strawberry.type(
    description="Where a partner grant's events are POSTed. The signing secret is never shown again."
)
class PartnerGrantWebhook:
    url: str = strawberry.field(description="The partner's endpoint.")
    setter: strawberry.Private[str]
    set_at: datetime = strawberry.field(description="When it was set.")

    @field(description=f"Who set it; {ACTOR_DESCRIPTION}")
    def set_by(self, info: Info) -> User | None:
        return actor(info, self.setter)  # type: ignore[return-value]  # or an awaitable of it


@strawberry.type(description="Read-only, scoped, expiring access for a partner agency (KPU, Bawaslu, DKPP).")
class PartnerGrant(relay.Node):
    grant_id: relay.NodeID[str]
    agency: str = strawberry.field(description="The agency, such as `KPU` or `Bawaslu`.")
    description: str | None = strawberry.field(description="Why the grant exists, for admins.")
    region_codes: list[str] = strawberry.field(
        description="Official codes of the regions granted, each with every region below it."
    )
    report_types: list[ReportType] = strawberry.field(
        description="The report types it may read; empty: every type."
    )
    fields: list[str] = strawberry.field(description="`Type.field` names the partner may read.")
    expires_at: datetime = strawberry.field(description="When its token stops working.")
    revoked_at: datetime | None = strawberry.field(description="When it was revoked, if it was.")
    creator: strawberry.Private[str]
    created_at: datetime = strawberry.field(description="When it was created.")
    webhook: PartnerGrantWebhook | None = strawberry.field(
        description="Where its events are POSTed (webhookDeliveries has the log); null: nowhere."
    )

    @classmethod
    def from_model(cls, grant: PartnerGrantModel) -> PartnerGrant:
        known = {kind.value for kind in ReportTypeModel}
        return cls(
            grant_id=str(grant.id),
            agency=grant.agency,
            description=grant.description,
            region_codes=grant.region_roots,
            # A type no report has grants nothing: older grants may hold one; it is not shown.
            report_types=[ReportTypeModel(kind) for kind in grant.report_types if kind in known],
            fields=grant.fields,
            expires_at=grant.expires_at,
            revoked_at=grant.revoked_at,
            creator=grant.created_by,
            created_at=grant.created_at,
            webhook=PartnerGrantWebhook(
                url=grant.webhook.url, setter=grant.webhook.set_by, set_at=grant.webhook.set_at
            )
            if grant.webhook
            else None,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        found = await visible_grants(info.context.principal, list(node_ids))
        return [cls.from_model(grant) if grant else None for grant in found]

    @field(description=f"Who created it; {ACTOR_DESCRIPTION}")
    def created_by(self, info: Info) -> User | None:
        return actor(info, self.creator)  # type: ignore[return-value]  # or an awaitable of it

    @field(description="The regions granted, each with every region below it.")
    async def regions(self, info: Info) -> list[Region]:
        found = await info.context.loaders.region.load_many(self.region_codes)
        return [Region.from_model(region) for region in found if region is not None]


@strawberry.type(description="A partner grant and its cursor.")
class PartnerGrantEdge:
    cursor: str = strawberry.field(description=CURSOR)
    node: PartnerGrant = strawberry.field(description="The grant.")


@strawberry.type(description="A page of partner grants, newest first.")
class PartnerGrantConnection:
    page_info: relay.PageInfo = strawberry.field(description=PAGE_INFO)
    edges: list[PartnerGrantEdge] = strawberry.field(description="The grants of this page, with cursors.")
    total_count: int = strawberry.field(description="How many grants match, over all pages.")

    @field(description="The grants of this page, without edges.")
    def nodes(self) -> list[PartnerGrant]:
        return [edge.node for edge in self.edges]


@strawberry.type(description="One read made through a partner grant.")
class PartnerRead:
    agency: str = strawberry.field(description="The grant's agency.")
    raw_grant_id: strawberry.Private[str]
    at: datetime = strawberry.field(description="When the operation ran.")
    operation_name: str | None = strawberry.field(description="The operation's name, if it had one.")
    query: str = strawberry.field(
        description="The operation that ran, normalized (no comments, only the executed operation and its "
        "fragments); overlong string literals and names are shortened with `…`."
    )
    query_sha256: str | None = strawberry.field(description="SHA-256 of the whole normalized operation.")
    object_ids: list[strawberry.ID] = strawberry.field(
        description="Global ids of every object the operation read, however the response named them."
    )
    fields: list[str] = strawberry.field(description="The record fields asked for, as `Type.field`.")

    @classmethod
    def from_model(cls, read: PartnerReadModel) -> PartnerRead:
        return cls(
            agency=read.agency,
            raw_grant_id=str(read.grant_id),
            at=read.at,
            operation_name=read.operation_name,
            query=read.query,
            query_sha256=read.query_sha256,
            object_ids=[strawberry.ID(value) for value in read.object_ids],
            fields=list(read.fields),
        )

    @field(description="The grant it was made through (a PartnerGrant id).")
    def grant_id(self) -> relay.GlobalID:
        return relay.GlobalID("PartnerGrant", self.raw_grant_id)


@strawberry.type(description="A read and its cursor.")
class PartnerReadEdge:
    cursor: str = strawberry.field(description=CURSOR)
    node: PartnerRead = strawberry.field(description="The read.")


@strawberry.type(description="A page of reads made through partner grants, newest first.")
class PartnerReadConnection:
    page_info: relay.PageInfo = strawberry.field(description=PAGE_INFO)
    edges: list[PartnerReadEdge] = strawberry.field(description="The reads of this page, with cursors.")
    total_count: int = strawberry.field(description="How many reads match, over all pages.")

    @field(description="The reads of this page, without edges.")
    def nodes(self) -> list[PartnerRead]:
        return [edge.node for edge in self.edges]
