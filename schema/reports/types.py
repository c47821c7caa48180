from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from typing import Any, TypeAlias, TypeVar

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from hub.access.models import User as UserModel
from hub.core.clock import utcnow
from hub.regions.models import Region as RegionModel
from hub.reports.deadlines import is_overdue, was_submitted_late
from hub.reports.errors import ReportErrorCode as ReportErrorCodeModel
from hub.reports.listing import ReportSummary
from hub.reports.models import IncidentCategory as IncidentCategoryModel
from hub.reports.models import Report as ReportModel
from hub.reports.models import ReportStatus as ReportStatusModel
from hub.reports.models import ReportType as ReportTypeModel
from hub.reports.models import RiskLevel as RiskLevelModel
from hub.reports.models import ValueType as ValueTypeModel
from hub.reports.workflow import Action, available_actions
from schema.access.types import User
from schema.context import Info
from schema.cost import cost
from schema.fields import field
from schema.prefetch import cached, preset
from schema.regions.types import Region
from schema.search.similar import similar_to

strawberry.enum(ReportTypeModel, name="ReportType")
strawberry.enum(ReportStatusModel, name="ReportStatus")
strawberry.enum(RiskLevelModel, name="RiskLevel")
strawberry.enum(IncidentCategoryModel, name="IncidentCategory")
strawberry.enum(ValueTypeModel, name="ValueType")
strawberry.enum(ReportErrorCodeModel, name="ReportErrorCode")
strawberry.enum(Action, name="ReportAction")
ReportType: TypeAlias = ReportTypeModel
ReportStatus: TypeAlias = ReportStatusModel
RiskLevel: TypeAlias = RiskLevelModel
IncidentCategory: TypeAlias = IncidentCategoryModel
ValueType: TypeAlias = ValueTypeModel
ReportErrorCode: TypeAlias = ReportErrorCodeModel
ReportAction: TypeAlias = Action


@strawberry.type(description="Why a report mutation did nothing; one per field at fault.")
class ReportError:
    field: str | None = strawberry.field(description="e.g. `values.nphd_signed` or `narratives.analysis`.")
    message: str
    code: ReportErrorCode


@strawberry.type
class Period:
    year: int
    quarter: int
    key: str = strawberry.field(description="`2026-Q1`.")


@strawberry.type
class IndicatorValue:
    code: str
    value: JSON


@strawberry.type
class SectionNarrative:
    section: str
    text: str


@strawberry.type
class IndicatorEvidence:
    indicator: str
    document_ids: list[strawberry.ID]


@strawberry.type
class ReturnReason:
    target: str = strawberry.field(description="A section or indicator code, or `general`.")
    message: str


@strawberry.type(description="One step of the review path, with who took it and why.")
class ReviewEvent:
    action: str
    actor: str
    at: datetime
    revision: int
    reasons: list[ReturnReason]
    note: str | None


@strawberry.type(description="What was submitted, each time it was submitted.")
class ReportRevision:
    number: int
    submitted_by: str
    submitted_at: datetime
    narratives: list[SectionNarrative]
    values: list[IndicatorValue]


@strawberry.type
class PeopleInvolved:
    participants: int
    injured: int
    dead: int
    arrested: int


@strawberry.type
class IncidentDetails:
    category: IncidentCategory
    severity: RiskLevel
    occurred_at: datetime
    place: str | None
    latitude: float | None
    longitude: float | None
    people: PeopleInvolved
    follow_up: str | None


def _region(region: RegionModel | None) -> Region:
    if region is None:
        raise LookupError("a report's region is missing")
    return Region.from_model(region)


def _user(user: UserModel | None) -> User | None:
    return User.from_model(user) if user else None


def _narratives(source: dict[str, str]) -> list[SectionNarrative]:
    return [SectionNarrative(section=code, text=text) for code, text in source.items()]


def _values(source: dict[str, Any]) -> list[IndicatorValue]:
    return [IndicatorValue(code=code, value=value) for code, value in source.items()]


T = TypeVar("T")


def _then(
    value: ReportModel | Awaitable[ReportModel], convert: Callable[[ReportModel], T]
) -> T | Awaitable[T]:
    if isinstance(value, ReportModel):
        return convert(value)

    async def later() -> T:
        return convert(await value)

    return later()


def _evidence(model: ReportModel) -> list[IndicatorEvidence]:
    return [
        IndicatorEvidence(indicator=code, document_ids=[strawberry.ID(value) for value in ids])
        for code, ids in model.evidence.items()
    ]


def _revisions(model: ReportModel) -> list[ReportRevision]:
    return [
        ReportRevision(
            number=revision.number,
            submitted_by=revision.submitted_by,
            submitted_at=revision.submitted_at,
            narratives=_narratives(revision.narratives),
            values=_values(revision.values),
        )
        for revision in model.revisions
    ]


def _reviews(model: ReportModel) -> list[ReviewEvent]:
    return [
        ReviewEvent(
            action=event.action,
            actor=event.actor,
            at=event.at,
            revision=event.revision,
            reasons=[ReturnReason(target=reason.target, message=reason.message) for reason in event.reasons],
            note=event.note,
        )
        for event in model.reviews
    ]


@strawberry.type(description="A quarterly or incident report of one region.")
class Report(relay.Node):
    report_id: relay.NodeID[str]
    # A list page reads summaries (hub.reports.listing.ReportSummary) unless it shows a report's text; the
    # fields that need the whole report load it when they get a summary (see `_whole`).
    model: strawberry.Private[ReportModel | ReportSummary]
    # Plain attributes, filled once: cheaper for graphql-core than a resolver per field and item.
    type: ReportType
    title: str
    status: ReportStatus
    period: Period | None = strawberry.field(description="Quarterly reports only.")
    template_version: int
    risk_level: RiskLevel | None
    stage_code: str | None
    revision: int = strawberry.field(description="How many times it was submitted.")
    due_at: datetime
    submitted_at: datetime | None
    created_at: datetime
    version: int = strawberry.field(description="Send it back with mutations to detect concurrent changes.")

    @classmethod
    def from_model(cls, report: ReportModel | ReportSummary) -> Report:
        period = report.period
        return cls(
            report_id=str(report.id),
            model=report,
            type=report.type,
            title=report.title,
            status=report.status,
            period=Period(year=period.year, quarter=period.quarter, key=period.key) if period else None,
            template_version=report.template_version,
            risk_level=report.risk_level,
            stage_code=report.stage_code,
            revision=report.revision,
            due_at=report.due_at,
            submitted_at=report.submitted_at,
            created_at=report.created_at,
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

    @field(description="The region the report is about.", metadata=preset())
    def region(self, info: Info) -> Region:
        return cached(info.context.loaders.region, self.model.region_code, _region)  # type: ignore[return-value]

    @field(description="Section narratives, in template order.")
    def narratives(self, info: Info) -> list[SectionNarrative]:
        return _then(self._whole(info), lambda model: _narratives(model.narratives))  # type: ignore[return-value]

    @field(description="Indicator values, typed as the template says.")
    def values(self, info: Info) -> list[IndicatorValue]:
        return _then(self._whole(info), lambda model: _values(model.values))  # type: ignore[return-value]

    @field(description="Supporting documents of each indicator.")
    def evidence(self, info: Info) -> list[IndicatorEvidence]:
        return _then(self._whole(info), _evidence)  # type: ignore[return-value]

    @field(description="Incident reports only.")
    def incident(self) -> IncidentDetails | None:
        details = self.model.incident
        if details is None:
            return None
        return IncidentDetails(
            category=details.category,
            severity=details.severity,
            occurred_at=details.occurred_at,
            place=details.place,
            latitude=details.latitude,
            longitude=details.longitude,
            people=PeopleInvolved(**details.people.model_dump()),
            follow_up=details.follow_up,
        )

    @field(description="The election whose stage (`stageCode`) the report speaks about.")
    def election_id(self) -> relay.GlobalID | None:
        election = self.model.election_id
        return relay.GlobalID(type_name="Election", node_id=str(election)) if election else None

    @field(description="Every submitted revision, oldest first.")
    def revisions(self, info: Info) -> list[ReportRevision]:
        return _then(self._whole(info), _revisions)  # type: ignore[return-value]

    @field(description="The review history, oldest first; returns carry their reasons.")
    def reviews(self, info: Info) -> list[ReviewEvent]:
        return _then(self._whole(info), _reviews)  # type: ignore[return-value]

    @field(description="The author's account (null for reports filed by a system job).", metadata=preset())
    def author(self, info: Info) -> User | None:
        return cached(info.context.loaders.reports.user_by_actor, self.model.author, _user)  # type: ignore[return-value]

    @field(description="Who took the last review step.", metadata=preset())
    def reviewer(self, info: Info) -> User | None:
        if self.model.last_reviewer is None:
            return None
        loader = info.context.loaders.reports.user_by_actor
        return cached(loader, self.model.last_reviewer, _user)  # type: ignore[return-value]

    @field(description="Obstacle cases opened from this report.", metadata=preset())
    def case_count(self, info: Info) -> int:
        assert self.model.id is not None
        return cached(info.context.loaders.reports.case_count, self.model.id, int)  # type: ignore[return-value]

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
    async def similar(self, info: Info, first: int = 5) -> list[Report]:
        whole = self._whole(info)
        model = whole if isinstance(whole, ReportModel) else await whole
        return [Report.from_model(found) for found in await similar_to(info, model, first)]


@strawberry.type
class ReportEdge:
    cursor: str
    node: Report


@strawberry.type(description="A page of reports.")
class ReportConnection:
    page_info: relay.PageInfo
    edges: list[ReportEdge]
    total_count: int

    @field(description="The reports of this page, without edges.", metadata=preset())
    def nodes(self) -> list[Report]:
        return [edge.node for edge in self.edges]
