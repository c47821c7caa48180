from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from typing import Annotated, Any, TypeVar

import strawberry
from beanie import PydanticObjectId
from strawberry import relay

from hub.core.clock import utcnow
from hub.regions.models import Region as RegionModel
from hub.reports.deadlines import is_overdue, was_submitted_late
from hub.reports.listing import ReportSummary
from hub.reports.models import Report as ReportModel
from hub.reports.models import ReportTemplate as ReportTemplateModel
from hub.reports.return_reasons import RETURNING
from hub.reports.rules import violations
from hub.reports.workflow import available_actions
from schema.access.actors import ACTOR_DESCRIPTION, actor
from schema.access.types import User
from schema.connection import CURSOR, PAGE_INFO, After, Before, First, Last
from schema.context import Info
from schema.cost import cost
from schema.describe import ERROR_CODE, ERROR_MESSAGE
from schema.documents.types import Document, visible_documents
from schema.fields import field
from schema.prefetch import cached, preset
from schema.regions.types import Region
from schema.reports.corrections import IncidentCorrection
from schema.reports.enums import (
    IncidentCategory,
    ReportAction,
    ReportErrorCode,
    ReportStatus,
    ReportType,
    RiskLevel,
    ValueType,
)
from schema.reports.parts import (
    IncidentDetails,
    IndicatorEvidence,
    IndicatorValue,
    Period,
    ReportRevision,
    ReviewEvent,
    SectionNarrative,
    indicator_values,
    narratives,
)
from schema.reports.reasons import ReturnReason
from schema.reports.template_rules import RuleViolation
from schema.search.similar import similar_to
from schema.threads.thread import thread
from schema.threads.types import CommentConnection

__all__ = ["IncidentCategory", "ReportStatus", "ReportType", "RiskLevel", "ValueType"]


@strawberry.type(description="Why a report mutation did nothing; one per field at fault.")
class ReportError:
    field: str | None = strawberry.field(
        description="The input field at fault, such as `values.nphd_signed` or `narratives.analysis`."
    )
    message: str = strawberry.field(description=ERROR_MESSAGE)
    code: ReportErrorCode = strawberry.field(description=ERROR_CODE)


def _region(region: RegionModel | None) -> Region:
    if region is None:
        raise LookupError("a report's region is missing")
    return Region.from_model(region)


T = TypeVar("T")


def _then(
    value: ReportModel | Awaitable[ReportModel], convert: Callable[[ReportModel], T]
) -> T | Awaitable[T]:
    """`convert(value)` at once when the whole report is at hand, else an awaitable of it."""
    if isinstance(value, ReportModel):
        return convert(value)

    async def later() -> T:
        return convert(await value)

    return later()


async def _loaded(value: ReportModel | Awaitable[ReportModel]) -> ReportModel:
    return value if isinstance(value, ReportModel) else await value


@strawberry.type(
    description="A report of one region: a quarterly monitoring report (laporan triwulan) or an incident "
    "report (laporan insidental), written against a versioned template and moved along the review path."
)
class Report(relay.Node):
    report_id: relay.NodeID[str]
    # A list page reads summaries (hub.reports.listing.ReportSummary) unless it shows a report's text; the
    # fields that need the whole report load it when they get a summary (see `_whole`).
    model: strawberry.Private[ReportModel | ReportSummary]
    # Plain attributes, filled once: cheaper for graphql-core than a resolver per field and item.
    type: ReportType = strawberry.field(description="Quarterly or incident.")
    title: str = strawberry.field(description="The report's title.")
    status: ReportStatus = strawberry.field(description="Where it stands on the review path.")
    period: Period | None = strawberry.field(description="Quarterly reports only: the quarter it covers.")
    template_version: int = strawberry.field(
        description="The version of its type's template it is written against (see `reportTemplate`)."
    )
    risk_level: RiskLevel | None = strawberry.field(
        description="The vulnerability (kerawanan) assessed: by the author, or at evaluation."
    )
    stage_code: str | None = strawberry.field(
        description="The election stage (tahapan) it speaks about, a code of `electionId`'s calendar."
    )
    revision: int = strawberry.field(description="How many times it was submitted.")
    due_at: datetime = strawberry.field(
        description="When it must be submitted: the deadline per report type, or later when the region was "
        "granted a deadline extension for the period (`deadlineExtensions`)."
    )
    submitted_at: datetime | None = strawberry.field(description="When it was last submitted.")
    created_at: datetime = strawberry.field(description="When the draft was created.")
    updated_at: datetime = strawberry.field(
        description="When anything a reader sees of it last changed: what `updatedSince` compares."
    )
    version: int = strawberry.field(description="Grows with every change; send it as `expectedVersion`.")

    @classmethod
    def from_model(cls, report: ReportModel | ReportSummary) -> Report:
        period = report.period
        return cls(
            report_id=str(report.id),
            model=report,
            type=report.type,
            title=report.title,
            status=report.status,
            period=Period.of(period) if period else None,
            template_version=report.template_version,
            risk_level=report.risk_level,
            stage_code=report.stage_code,
            revision=report.revision,
            due_at=report.due_at,
            submitted_at=report.submitted_at,
            created_at=report.created_at,
            updated_at=report.updated_at,
            version=report.version,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        found = await info.context.loaders.report.load_many(list(node_ids))
        return [cls.from_model(report) if report else None for report in found]

    def _whole(self, info: Info) -> ReportModel | Awaitable[ReportModel]:
        """The whole report: the model, or when it is a summary, the report loaded (one query for a page)."""
        if isinstance(self.model, ReportModel):
            return self.model

        async def load() -> ReportModel:
            found = await info.context.loaders.report.load(self.report_id)
            if found is None:
                raise LookupError(f"report {self.report_id} is no longer visible")
            return found

        return load()

    def _template(self, info: Info) -> Any:
        """The report's template (its value types), read without an await once a list loaded it."""
        key = (self.model.type, self.model.template_version)
        return cached(info.context.loaders.reports.template, key, _same)

    @field(description="The region the report is about.", metadata=preset())
    def region(self, info: Info) -> Region:
        return cached(info.context.loaders.region, self.model.region_code, _region)  # type: ignore[return-value]

    @field(description="Section narratives, one per section written.")
    def narratives(self, info: Info) -> list[SectionNarrative]:
        return _then(self._whole(info), lambda model: narratives(model.narratives))  # type: ignore[return-value]

    @field(description="Indicator values, each in the typed field its template's value type says.")
    async def values(self, info: Info) -> list[IndicatorValue]:
        model = await _loaded(self._whole(info))
        return indicator_values(model.values, await _ready(self._template(info)))

    @field(description="Supporting documents (data dukung) of each indicator that has some.")
    def evidence(self, info: Info) -> list[IndicatorEvidence]:
        return _then(self._whole(info), _evidence)  # type: ignore[return-value]

    @field(description="Incident reports only: what happened, where and when.")
    def incident(self) -> IncidentDetails | None:
        details = self.model.incident
        return IncidentDetails.of(details) if details is not None else None

    @field(description="The election whose stage (`stageCode`) the report speaks about: an Election id.")
    def election_id(self) -> relay.GlobalID | None:
        election = self.model.election_id
        return relay.GlobalID(type_name="Election", node_id=str(election)) if election else None

    @field(description="Every submitted revision, oldest first.")
    async def revisions(self, info: Info) -> list[ReportRevision]:
        model = await _loaded(self._whole(info))
        template = await _ready(self._template(info))
        return [ReportRevision.of(revision, template) for revision in model.revisions]

    @field(description="The review history, oldest first; returns carry their reasons.")
    def reviews(self, info: Info) -> list[ReviewEvent]:
        return _then(self._whole(info), _reviews)  # type: ignore[return-value]

    @field(
        description="Incident reports: the photos, short videos and files attached, in the order attached; "
        "only those the viewer can see (never to partner grants). Empty for quarterly reports."
    )
    async def attachments(self, info: Info) -> list[Document]:
        model = await _loaded(self._whole(info))
        return await visible_documents(info, [str(value) for value in model.attachments])

    @field(
        description="Incident reports: what the author corrected or attached after filing, before review, "
        "oldest first, each with who, when and the values before and after."
    )
    async def corrections(self, info: Info) -> list[IncidentCorrection]:
        model = await _loaded(self._whole(info))
        return [IncidentCorrection.of(entry) for entry in model.corrections]

    @field(
        description="The reasons of every return and reopening, oldest first, each with where it stands; of "
        "one revision's returns when `revision` is given."
    )
    def return_reasons(
        self,
        info: Info,
        revision: Annotated[
            int | None, strawberry.argument(description="Only the reasons given on this revision.")
        ] = None,
    ) -> list[ReturnReason]:
        return _then(self._whole(info), lambda model: _return_reasons(model, revision))  # type: ignore[return-value]

    @field(
        description="The rules across fields of its template (`ReportTemplate.rules`) that its values break "
        "now: warnings while it is edited; `reportSubmit` refuses them (RULE_FAILED)."
    )
    async def rule_violations(self, info: Info) -> list[RuleViolation]:
        model = await _loaded(self._whole(info))
        template = await _ready(self._template(info))
        if template is None:
            return []
        return [
            RuleViolation(rule=broken.rule, field=f"values.{broken.field}", message=broken.message)
            for broken in violations(template.rules, model.values)
        ]

    @field(
        description="The discussion of this report, oldest first: comments by staff who may read it (never "
        "partner grants)."
    )
    async def comments(
        self, info: Info, first: First = None, after: After = None, last: Last = None, before: Before = None
    ) -> CommentConnection:
        return await thread(info, PydanticObjectId(self.report_id), first, after, last, before)

    @field(description=f"The author; {ACTOR_DESCRIPTION}", metadata=preset())
    def author(self, info: Info) -> User | None:
        return actor(info, self.model.author)  # type: ignore[return-value]  # or an awaitable of it

    @field(description=f"Who took the last review step; {ACTOR_DESCRIPTION}", metadata=preset())
    def reviewer(self, info: Info) -> User | None:
        return actor(info, self.model.last_reviewer)  # type: ignore[return-value]  # or an awaitable of it

    @field(description="How many obstacle cases (kendala) were opened from this report.", metadata=preset())
    def case_count(self, info: Info) -> int:
        assert self.model.id is not None
        return cached(info.context.loaders.reports.case_count, self.model.id, int)  # type: ignore[return-value]

    @field(
        description="The printable report (PDF, in Indonesian: indicators, narratives, evidence with its "
        "verification state, review history, signature block): a path on the hub to GET with the same "
        "`Authorization: Bearer` token as the API. Readable by whoever may read the report; a partner's PDF "
        "holds only the parts its grant reads."
    )
    def pdf_url(self) -> str:
        return f"/reports/{self.report_id}.pdf"

    @field(description="Not yet submitted and past its due date.")
    def overdue(self) -> bool:
        return is_overdue(self.model.due_at, self.model.first_submitted_at, utcnow())

    @field(description="First submitted after its due date.")
    def submitted_late(self) -> bool:
        return was_submitted_late(self.model.due_at, self.model.first_submitted_at)

    @field(description="What the viewer may do with this report now.")
    def viewer_actions(self, info: Info) -> list[ReportAction]:
        return available_actions(info.context.principal, self.model.status, self.model.region_path)

    @field(
        description="Reports and incidents with similar text, from every region the viewer may see (at most "
        "20), most similar first.",
        # One more_like_this search each time it runs: under a list it runs once per item.
        metadata=cost(weight=1, max_first=20),
    )
    async def similar(
        self,
        info: Info,
        first: Annotated[int, strawberry.argument(description="How many, 0 to 20.")] = 5,
    ) -> list[Report]:
        model = await _loaded(self._whole(info))
        return [Report.from_model(found) for found in await similar_to(info, model, first)]


def _evidence(model: ReportModel) -> list[IndicatorEvidence]:
    return [IndicatorEvidence.of(code, ids) for code, ids in model.evidence.items()]


def _reviews(model: ReportModel) -> list[ReviewEvent]:
    return [ReviewEvent.of(event, place) for place, event in enumerate(model.reviews)]


def _return_reasons(model: ReportModel, revision: int | None) -> list[ReturnReason]:
    return [
        reason
        for place, event in enumerate(model.reviews)
        if event.action in RETURNING and (revision is None or event.revision == revision)
        for reason in ReviewEvent.of(event, place).reasons
    ]


def _same(template: ReportTemplateModel | None) -> ReportTemplateModel | None:
    return template


async def _ready(value: Any) -> ReportTemplateModel | None:
    """A value `cached` gave: the value itself, or an awaitable of it."""
    return await value if inspect.isawaitable(value) else value  # type: ignore[no-any-return]


@strawberry.type(description="A report and its cursor.")
class ReportEdge:
    cursor: str = strawberry.field(description=CURSOR)
    node: Report = strawberry.field(description="The report.")


@strawberry.type(description="A page of reports.")
class ReportConnection:
    page_info: relay.PageInfo = strawberry.field(description=PAGE_INFO)
    edges: list[ReportEdge] = strawberry.field(description="The reports of this page, with their cursors.")
    total_count: int = strawberry.field(description="How many reports match, over all pages.")

    @field(description="The reports of this page, without edges.", metadata=preset())
    def nodes(self) -> list[Report]:
        return [edge.node for edge in self.edges]
