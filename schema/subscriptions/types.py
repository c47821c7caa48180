"""What a subscriber receives: one type per kind of event, each with the record it is about as an object
(loaded through the subscriber's scoped loaders when the event is delivered) and a few summary fields.

A summary field declares with `reveals` which key of the event's data it shows: partner grants read it only
when they were granted the record field that hub.access.visibility names for that key
(schema.access.partner_guard).
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TypeVar

import strawberry

from hub.cases.models import CaseCategory as CaseCategoryModel
from hub.cases.models import CaseStatus as CaseStatusModel
from hub.events.live import LiveMessage
from hub.reports.models import IncidentCategory as IncidentCategoryModel
from hub.reports.models import ReportStatus as ReportStatusModel
from hub.reports.models import RiskLevel as RiskLevelModel
from schema.access.partner_guard import reveals
from schema.cases.types import Case, CaseCategory, CaseStatus
from schema.context import Info
from schema.event_kinds import EventKind
from schema.fields import field
from schema.regions.types import Region
from schema.reports.types import IncidentCategory, Report, ReportStatus, RiskLevel

E = TypeVar("E", bound=Enum)
_TITLE = "The {}'s title."
_INCIDENT = EventKind.INCIDENT_CREATED
_STATUS = EventKind.REPORT_STATUS_CHANGED
_CASE = EventKind.CASE_UPDATED


def _enum(kind: type[E], value: object) -> E | None:
    try:
        return kind(value)
    except ValueError:
        return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _time(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@strawberry.enum(description="What changed in a case.")
class CaseChange(Enum):
    CREATED = strawberry.enum_value("created", description="It was opened.")
    FOLLOW_UP = strawberry.enum_value("follow_up", description="A follow-up (tindak lanjut) was added.")
    ASSIGNED = strawberry.enum_value("assigned", description="It was assigned to someone.")
    ESCALATED = strawberry.enum_value("escalated", description="It was overdue and escalated upwards.")
    RESOLVED = strawberry.enum_value("resolved", description="It was resolved.")
    UPDATED = strawberry.enum_value("updated", description="Any other change.")


@strawberry.interface(description="Something that happened to a record you may see, delivered as it happens.")
class LiveEvent:
    event_id: strawberry.ID = strawberry.field(
        description="The event's id: the same in webhook deliveries, so a client can drop duplicates."
    )
    kind: EventKind = strawberry.field(description="What happened.")
    at: datetime = strawberry.field(description="When it happened.")
    region_code: str = strawberry.field(description="Official code of the record's region.")

    @field(description="The record's region.")
    async def region(self, info: Info) -> Region | None:
        region = await info.context.loaders.region.load(self.region_code)
        return Region.from_model(region) if region else None


async def _report(info: Info, report_id: str) -> Report | None:
    report = await info.context.loaders.report.load(report_id)
    return Report.from_model(report) if report else None


@strawberry.type(description="An incident report was filed.")
class IncidentCreatedEvent(LiveEvent):
    report_id: strawberry.Private[str]
    title: str | None = strawberry.field(
        description=_TITLE.format("report"), metadata=reveals(_INCIDENT, "title")
    )
    category: IncidentCategory | None = strawberry.field(
        description="What kind of incident it was.", metadata=reveals(_INCIDENT, "category")
    )
    severity: RiskLevel | None = strawberry.field(
        description="How serious it was.", metadata=reveals(_INCIDENT, "severity")
    )
    occurred_at: datetime | None = strawberry.field(
        description="When it happened.", metadata=reveals(_INCIDENT, "occurredAt")
    )

    @classmethod
    def from_message(cls, message: LiveMessage) -> IncidentCreatedEvent:
        data = message.data
        return cls(
            event_id=strawberry.ID(message.id),
            kind=EventKind.INCIDENT_CREATED,
            at=message.at,
            region_code=message.region_code,
            report_id=message.target_id,
            title=_text(data.get("title")),
            category=_enum(IncidentCategoryModel, data.get("category")),
            severity=_enum(RiskLevelModel, data.get("severity")),
            occurred_at=_time(data.get("occurredAt")),
        )

    @field(description="The incident report as it is now; null if you may no longer see it.")
    async def report(self, info: Info) -> Report | None:
        return await _report(info, self.report_id)


@strawberry.type(description="A report moved along the review path (submitted, verified, returned, …).")
class ReportStatusChangedEvent(LiveEvent):
    report_id: strawberry.Private[str]
    title: str | None = strawberry.field(
        description=_TITLE.format("report"), metadata=reveals(_STATUS, "title")
    )
    from_status: ReportStatus | None = strawberry.field(
        name="from", description="The status before.", metadata=reveals(_STATUS, "from")
    )
    to_status: ReportStatus | None = strawberry.field(
        name="to", description="The status now.", metadata=reveals(_STATUS, "to")
    )
    period: str | None = strawberry.field(
        description="`2026-Q1`, for quarterly reports.", metadata=reveals(_STATUS, "period")
    )

    @classmethod
    def from_message(cls, message: LiveMessage) -> ReportStatusChangedEvent:
        data = message.data
        return cls(
            event_id=strawberry.ID(message.id),
            kind=EventKind.REPORT_STATUS_CHANGED,
            at=message.at,
            region_code=message.region_code,
            report_id=message.target_id,
            title=_text(data.get("title")),
            from_status=_enum(ReportStatusModel, data.get("from")),
            to_status=_enum(ReportStatusModel, data.get("to")),
            period=_text(data.get("period")),
        )

    @field(description="The report as it is now; null if you may no longer see it.")
    async def report(self, info: Info) -> Report | None:
        return await _report(info, self.report_id)


@strawberry.type(description="A case was opened, followed up, assigned, escalated or resolved.")
class CaseUpdatedEvent(LiveEvent):
    case_id: strawberry.Private[str]
    change: CaseChange = strawberry.field(description="What changed.", metadata=reveals(_CASE, "change"))
    title: str | None = strawberry.field(description=_TITLE.format("case"), metadata=reveals(_CASE, "title"))
    category: CaseCategory | None = strawberry.field(
        description="What it is about.", metadata=reveals(_CASE, "category")
    )
    severity: RiskLevel | None = strawberry.field(
        description="How serious it is.", metadata=reveals(_CASE, "severity")
    )
    status: CaseStatus | None = strawberry.field(
        description="Where it stands now.", metadata=reveals(_CASE, "status")
    )

    @classmethod
    def from_message(cls, message: LiveMessage) -> CaseUpdatedEvent:
        data = message.data
        return cls(
            event_id=strawberry.ID(message.id),
            kind=EventKind.CASE_UPDATED,
            at=message.at,
            region_code=message.region_code,
            case_id=message.target_id,
            change=_enum(CaseChange, data.get("change")) or CaseChange.UPDATED,
            title=_text(data.get("title")),
            category=_enum(CaseCategoryModel, data.get("category")),
            severity=_enum(RiskLevelModel, data.get("severity")),
            status=_enum(CaseStatusModel, data.get("status")),
        )

    @field(description="The case as it is now; null if you may no longer see it.")
    async def case(self, info: Info) -> Case | None:
        case = await info.context.loaders.case.load(self.case_id)
        return Case.from_model(case) if case else None


LIVE_EVENT_TYPES = [IncidentCreatedEvent, ReportStatusChangedEvent, CaseUpdatedEvent]
