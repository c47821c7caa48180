"""The parts of a report that are not records themselves: its period, narratives, typed indicator values,
evidence (as Document objects and ids), review history and incident details."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from hub.reports.models import IncidentDetails as IncidentDetailsModel
from hub.reports.models import Period as PeriodModel
from hub.reports.models import ReportRevision as ReportRevisionModel
from hub.reports.models import ReviewEvent as ReviewEventModel
from hub.reports.models import TemplateContent
from hub.reports.workflow import Action
from schema.access.actors import ACTOR_DESCRIPTION, actor
from schema.access.types import User
from schema.context import Info
from schema.documents.types import Document, visible_documents
from schema.fields import field
from schema.reports.enums import IncidentCategory, ReportAction, RiskLevel, ValueType
from schema.reports.reasons import ReturnReason

PERIOD_KEY = "The quarter as `YYYY-Qn`, such as `2026-Q1`: how arguments and filters name a period."


@strawberry.type(description="A reporting period: a quarter (triwulan) of a year.")
class Period:
    year: int = strawberry.field(description="The year, such as 2026.")
    quarter: int = strawberry.field(description="The quarter, 1 to 4.")
    key: str = strawberry.field(description=PERIOD_KEY)

    @classmethod
    def of(cls, period: PeriodModel) -> Period:
        return cls(year=period.year, quarter=period.quarter, key=period.key)


@strawberry.type(description="The narrative text the author wrote for one section of the template.")
class SectionNarrative:
    section: str = strawberry.field(description="The section's code in the report's template.")
    text: str = strawberry.field(description="The text, as written.")


def _typed(value: Any, value_type: ValueType | None) -> dict[str, Any]:
    """The typed field that holds a stored value (the template says which; without it, the value's shape)."""
    if isinstance(value, bool):
        return {"boolean": value}
    if isinstance(value, int | float):
        return {"number": float(value)}
    if isinstance(value, str) and value_type is ValueType.DATE:
        try:
            return {"date": dt.date.fromisoformat(value)}
        except ValueError:
            return {"text": value}
    return {"text": value} if isinstance(value, str) else {}


@strawberry.type(
    description="The value of one indicator, in the typed field that its `valueType` says: `boolean` for "
    "YES_NO, `number` for NUMBER, MONEY and PERCENTAGE, `text` for CHOICE and TEXT, `date` for DATE; the "
    "other typed fields are null."
)
class IndicatorValue:
    code: str = strawberry.field(description="The indicator's code in the report's template.")
    value_type: ValueType | None = strawberry.field(
        description="How the template types the indicator; null for a code the template no longer has."
    )
    boolean: bool | None = strawberry.field(default=None, description="A YES_NO value.")
    number: float | None = strawberry.field(
        default=None, description="A NUMBER, PERCENTAGE (0 to 100) or MONEY (whole rupiah) value."
    )
    text: str | None = strawberry.field(default=None, description="A TEXT value, or the CHOICE made.")
    date: dt.date | None = strawberry.field(default=None, description="A DATE value.")
    value: JSON = strawberry.field(
        description="The value as untyped JSON.",
        deprecation_reason="Read the typed field `valueType` names: `boolean`, `number`, `text`, `date`.",
    )

    @classmethod
    def of(cls, code: str, value: Any, value_type: ValueType | None) -> IndicatorValue:
        return cls(code=code, value_type=value_type, value=value, **_typed(value, value_type))


def indicator_values(values: Mapping[str, Any], template: TemplateContent | None) -> list[IndicatorValue]:
    def value_type(code: str) -> ValueType | None:
        indicator = template.indicator(code) if template is not None else None
        return indicator.value_type if indicator is not None else None

    return [IndicatorValue.of(code, value, value_type(code)) for code, value in values.items()]


@strawberry.type(description="The supporting documents (data dukung) given for one indicator.")
class IndicatorEvidence:
    indicator: str = strawberry.field(description="The indicator's code in the report's template.")
    raw_ids: strawberry.Private[list[str]]

    @classmethod
    def of(cls, indicator: str, document_ids: list[str]) -> IndicatorEvidence:
        return cls(indicator=indicator, raw_ids=document_ids)

    @field(
        description="The documents' global ids (what `node` and `reportUpdate` take), including those you "
        "may not open."
    )
    def document_ids(self) -> list[relay.GlobalID]:
        return [relay.GlobalID("Document", value) for value in self.raw_ids]

    @field(description="The documents you may see; those in the trash or out of your scope are left out.")
    async def documents(self, info: Info) -> list[Document]:
        return await visible_documents(info, self.raw_ids)


@strawberry.type(description="One step of the review path, with who took it and why.")
class ReviewEvent:
    action: ReportAction = strawberry.field(
        description="The step taken: SUBMIT, VERIFY, RETURN, EVALUATE, ARCHIVE or REOPEN."
    )
    actor_text: strawberry.Private[str]
    at: datetime = strawberry.field(description="When it was taken.")
    revision: int = strawberry.field(description="The revision (`Report.revision`) it was taken on.")
    reasons: list[ReturnReason] = strawberry.field(
        description="RETURN: what to change, per target; REOPEN: the reason (target `general`)."
    )
    require_addressed: bool = strawberry.field(
        description="RETURN: the author may resubmit only once every reason is addressed."
    )
    note: str | None = strawberry.field(description="The reviewer's note, if any.")

    @classmethod
    def of(cls, event: ReviewEventModel, place: int) -> ReviewEvent:
        return cls(
            action=Action(event.action),
            actor_text=event.actor,
            at=event.at,
            revision=event.revision,
            reasons=[
                ReturnReason.of(reason, place, index, event.revision)
                for index, reason in enumerate(event.reasons)
            ],
            require_addressed=event.require_addressed,
            note=event.note,
        )

    @field(description=f"Who took the step; {ACTOR_DESCRIPTION}")
    def actor(self, info: Info) -> User | None:
        return actor(info, self.actor_text)  # type: ignore[return-value]  # or an awaitable of it


@strawberry.type(description="What was submitted, each time it was submitted.")
class ReportRevision:
    number: int = strawberry.field(description="1 for the first submission, one more for each after it.")
    submitter: strawberry.Private[str]
    submitted_at: datetime = strawberry.field(description="When it was submitted.")
    narratives: list[SectionNarrative] = strawberry.field(description="The narratives as submitted.")
    values: list[IndicatorValue] = strawberry.field(description="The indicator values as submitted.")

    @classmethod
    def of(cls, revision: ReportRevisionModel, template: TemplateContent | None) -> ReportRevision:
        return cls(
            number=revision.number,
            submitter=revision.submitted_by,
            submitted_at=revision.submitted_at,
            narratives=narratives(revision.narratives),
            values=indicator_values(revision.values, template),
        )

    @field(description=f"Who submitted it; {ACTOR_DESCRIPTION}")
    def submitted_by(self, info: Info) -> User | None:
        return actor(info, self.submitter)  # type: ignore[return-value]  # or an awaitable of it


def narratives(source: Mapping[str, str]) -> list[SectionNarrative]:
    return [SectionNarrative(section=code, text=text) for code, text in source.items()]


@strawberry.type(description="How many people an incident involved.")
class PeopleInvolved:
    participants: int = strawberry.field(description="People taking part (demonstrators, parties).")
    injured: int = strawberry.field(description="People injured.")
    dead: int = strawberry.field(description="People killed.")
    arrested: int = strawberry.field(description="People arrested.")


@strawberry.type(description="What an incident report says happened, where and when.")
class IncidentDetails:
    category: IncidentCategory = strawberry.field(description="What kind of incident it was.")
    severity: RiskLevel = strawberry.field(description="How serious it was.")
    occurred_at: datetime = strawberry.field(description="When it happened.")
    place: str | None = strawberry.field(description="Where, in words.")
    latitude: float | None = strawberry.field(description="Where: latitude, -90 to 90.")
    longitude: float | None = strawberry.field(description="Where: longitude, -180 to 180.")
    people: PeopleInvolved = strawberry.field(description="How many people it involved.")
    follow_up: str | None = strawberry.field(description="What is planned next (tindak lanjut).")

    @classmethod
    def of(cls, details: IncidentDetailsModel) -> IncidentDetails:
        return cls(
            category=details.category,
            severity=details.severity,
            occurred_at=details.occurred_at,
            place=details.place,
            latitude=details.latitude,
            longitude=details.longitude,
            people=PeopleInvolved(**details.people.model_dump()),
            follow_up=details.follow_up,
        )
