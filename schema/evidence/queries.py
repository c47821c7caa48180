from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.core.ids import object_id
from hub.evidence.errors import EvidenceError, EvidenceErrorCode
from hub.evidence.listing import EVIDENCE_NEWEST, list_evidence
from hub.evidence.listing import EvidenceFilter as EvidenceFilterModel
from schema.connection import After, Before, First, Last, connection
from schema.context import Info
from schema.evidence.types import Evidence, EvidenceCheckState, EvidenceConnection, EvidenceReviewState
from schema.fields import field
from schema.permissions import IsAuthenticated
from schema.regions.code import RegionCode


@strawberry.input(name="EvidenceFilter", description="Every part narrows the list; all are optional.")
class EvidenceFilterInput:
    region: RegionCode | None = strawberry.field(
        default=None, description="A region: the evidence of it and of every region below it."
    )
    period: str | None = strawberry.field(default=None, description="Only evidence for this period.")
    report: relay.GlobalID | None = strawberry.field(default=None, description="A Report id: its evidence.")
    document: relay.GlobalID | None = strawberry.field(
        default=None, description="A Document id: what it is evidence of."
    )
    checks: list[EvidenceCheckState] | None = strawberry.field(
        default=None, description="Only pieces whose check has one of these outcomes."
    )
    reviews: list[EvidenceReviewState] | None = strawberry.field(
        default=None, description="Only pieces with one of these verdicts (UNREVIEWED: a reviewer's queue)."
    )


def _raw(value: relay.GlobalID | None, type_name: str, field_name: str) -> str | None:
    if value is None:
        return None
    if value.type_name != type_name or object_id(value.node_id) is None:
        raise EvidenceError(
            EvidenceErrorCode.EVIDENCE_NOT_FOUND,
            f"`filter.{field_name}` must be the id of a {type_name}",
            field_name,
        )
    return value.node_id


def _domain_filter(given: EvidenceFilterInput | None) -> EvidenceFilterModel:
    given = given or EvidenceFilterInput()
    report = _raw(given.report, "Report", "report")
    document = _raw(given.document, "Document", "document")
    return EvidenceFilterModel(
        region=given.region,
        period_key=given.period,
        report_id=object_id(report) if report else None,
        document_id=object_id(document) if document else None,
        checks=list(given.checks or []),
        reviews=list(given.reviews or []),
    )


@strawberry.type
class EvidenceQueries:
    @field(
        description="Pieces of evidence the viewer may see, newest first: a reviewer's queue with "
        "`filter.reviews: [UNREVIEWED]`.",
        permission_classes=[IsAuthenticated],
    )
    async def evidence(
        self,
        info: Info,
        filter: Annotated[
            EvidenceFilterInput | None, strawberry.argument(description="What to list; all by default.")
        ] = None,
        first: First = 20,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> EvidenceConnection:
        wanted = _domain_filter(filter)
        position, size = EVIDENCE_NEWEST.window(first=first, after=after, last=last, before=before)
        page = await list_evidence(wanted, info.context.principal, after=position, first=size)
        return connection(
            EvidenceConnection, page, Evidence.from_model, cursor=EVIDENCE_NEWEST.cursor, after=after
        )
