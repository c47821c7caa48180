"""Creating and editing reports. Review transitions are in hub/reports/review.py."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from beanie import PydanticObjectId
from pymongo.errors import DuplicateKeyError

from hub.access.principal import Principal
from hub.audit.linker import complete_insert
from hub.audit.pending import attach_pending, pending_entry
from hub.audit.values import before_after
from hub.core.clock import utcnow
from hub.core.idempotency import earlier, insert_once, request_key
from hub.dispatch import request_index
from hub.elections.errors import ElectionError
from hub.elections.services import get_stage
from hub.evidence.attach import attach_report_evidence
from hub.i18n import Text
from hub.regions.services import get_region
from hub.reports.access import INDEX_KIND, apply_update, check_evidence, load_report, visible
from hub.reports.attachments import attachable, claim, release
from hub.reports.deadlines import incident_due, quarterly_due
from hub.reports.errors import ReportContentError, ReportError, ReportErrorCode
from hub.reports.events import announce_incident
from hub.reports.extensions import deadline_of
from hub.reports.models import (
    IncidentDetails,
    Period,
    Report,
    ReportRevision,
    ReportStatus,
    ReportType,
    RiskLevel,
    TemplateContent,
)
from hub.reports.templates import current_template, template_version
from hub.reports.validation import check_complete, check_content, check_rules
from hub.reports.workflow import Action, next_state, refusal_text
from hub.settings import Settings

# The kinds of creation their idempotency keys name (hub.core.idempotency).
QUARTERLY_CREATE = "report.create"
INCIDENT_CREATE = "incident.create"


@dataclass(frozen=True)
class Content:
    """What an author writes; None leaves a part as it is."""

    title: str | None = None
    narratives: dict[str, str] | None = None
    values: dict[str, Any] | None = None
    evidence: dict[str, list[str]] | None = None
    risk_level: RiskLevel | None = None
    stage_code: str | None = None
    election_id: str | None = None  # with stage_code: the election stage the report speaks about


@dataclass(frozen=True)
class CreateResult:
    report: Report
    created: bool


async def _template(report_type: ReportType) -> TemplateContent:
    template = await current_template(report_type)
    if template is None:
        raise ReportError(
            ReportErrorCode.TEMPLATE_NOT_FOUND, Text("reports.no_template", report_type=report_type.value)
        )
    return template


async def _retried(principal: Principal, key: str | None) -> CreateResult | None:
    """The result of an earlier attempt of the same creation, if there was one: its report, as long as the
    principal may still see it (REPORT_NOT_FOUND otherwise, as for any report out of sight)."""
    first = await earlier(Report, key)
    return None if first is None else _replayed(principal, first)


def _replayed(principal: Principal, report: Report) -> CreateResult:
    if not visible(principal, report):
        raise ReportError(
            ReportErrorCode.REPORT_NOT_FOUND,
            Text("reports.retry_not_visible"),
            "clientMutationId",
        )
    return CreateResult(report, created=False)


async def _checked(template: TemplateContent, region_code: str, content: Content) -> dict[str, Any]:
    values, problems = check_content(
        template, content.narratives or {}, content.values or {}, content.evidence or {}
    )
    if problems:
        raise ReportContentError(problems)
    if content.evidence:
        await check_evidence(region_code, content.evidence)
    return values


async def _stage(
    election_id: str | None, stage_code: str | None
) -> tuple[PydanticObjectId | None, str | None]:
    """A stage is named within an election: both or neither, and the stage must exist."""
    if election_id is None:
        return None, stage_code
    if not stage_code:
        raise ReportError(ReportErrorCode.STAGE_NOT_FOUND, Text("reports.stage_required"), "stageCode")
    try:
        election, stage = await get_stage(election_id, stage_code)
    except ElectionError as error:
        raise ReportError(ReportErrorCode.STAGE_NOT_FOUND, error.raised_message, error.field) from None
    return election.id, stage.code


async def _author_region(principal: Principal, region_code: str) -> list[str]:
    region = await get_region(region_code)
    if region is None:
        raise ReportError(
            ReportErrorCode.REGION_NOT_FOUND,
            Text("reports.region_not_found_2", region_code=region_code),
            "region",
        )
    reason = refusal_text(principal, Action.EDIT, region.subtree_codes)
    if reason:
        raise ReportError(ReportErrorCode.PERMISSION_DENIED, reason, "region")
    return region.subtree_codes


async def create_quarterly(
    settings: Settings,
    principal: Principal,
    *,
    region_code: str,
    period: Period,
    content: Content,
    client_mutation_id: str | None = None,
) -> CreateResult:
    key = request_key(QUARTERLY_CREATE, principal.actor, client_mutation_id)
    replay = await _retried(principal, key)
    if replay is not None:
        return replay
    path = await _author_region(principal, region_code)
    if period.key > f"{utcnow().year + 1}-Q4":
        raise ReportError(
            ReportErrorCode.INVALID_PERIOD, Text("reports.period_too_far", key=period.key), "period"
        )
    template = await _template(ReportType.QUARTERLY)
    values = await _checked(template, region_code, content)
    base_due = quarterly_due(period, settings.quarterly_report_due_days)
    election_id, stage_code = await _stage(content.election_id, content.stage_code)
    report = Report(
        region_code=region_code,
        region_path=path,
        type=ReportType.QUARTERLY,
        template_version=template.version,
        period=period,
        period_key=period.key,
        title=content.title or f"Laporan Triwulan {period.quarter} Tahun {period.year}",
        narratives=content.narratives or {},
        values=values,
        evidence=content.evidence or {},
        risk_level=content.risk_level,
        stage_code=stage_code,
        election_id=election_id,
        author=principal.actor,
        client_mutation_id=client_mutation_id,
        due_at=await deadline_of(region_code, period.key, base_due),
        base_due_at=base_due,
    )
    audit = attach_pending(
        report, principal.actor, "report.create", "Report", {"region": region_code, "period": period.key}
    )
    try:
        winner = await insert_once(report, key)
    except DuplicateKeyError:
        raise ReportError(
            ReportErrorCode.DUPLICATE_PERIOD,
            Text("reports.duplicate_period", region_code=region_code, key=period.key),
            "period",
        ) from None
    if winner is not None:  # the same request, retried at the same moment, was inserted first
        return _replayed(principal, winner)
    await complete_insert(report, audit)
    await request_index(INDEX_KIND, report.id)
    await attach_report_evidence(report)
    return CreateResult(report, created=True)


async def create_incident(
    settings: Settings,
    principal: Principal,
    *,
    region_code: str,
    incident: IncidentDetails,
    content: Content,
    client_mutation_id: str | None = None,
    attachments: list[str] | None = None,
) -> CreateResult:
    """An incident report is filed as it happens: created and submitted in one step, or not at all. Its
    attachments (documents of its region, hub.reports.attachments) are linked with it, or none is."""
    key = request_key(INCIDENT_CREATE, principal.actor, client_mutation_id)
    replay = await _retried(principal, key)
    if replay is not None:
        return replay
    path = await _author_region(principal, region_code)
    if incident.occurred_at > utcnow():
        raise ReportError(ReportErrorCode.INVALID_VALUE, Text("reports.incident_in_future"), "occurredAt")
    template = await _template(ReportType.INCIDENT)
    values = await _checked(template, region_code, content)
    election_id, stage_code = await _stage(content.election_id, content.stage_code)
    problems = check_complete(template, content.narratives or {}, values, content.evidence or {})
    problems += check_rules(template, values)
    if problems:
        raise ReportContentError(problems)
    attached = await attachable(principal, region_code, attachments or [], None)
    now = utcnow()
    report = Report(
        id=PydanticObjectId(),
        attachments=attached,
        region_code=region_code,
        region_path=path,
        type=ReportType.INCIDENT,
        template_version=template.version,
        period_key=f"incident:{uuid.uuid4().hex}",
        title=content.title or f"Kejadian {incident.category.value}",
        narratives=content.narratives or {},
        values=values,
        evidence=content.evidence or {},
        risk_level=incident.severity,
        incident=incident,
        stage_code=stage_code,
        election_id=election_id,
        author=principal.actor,
        client_mutation_id=client_mutation_id,
        due_at=incident_due(incident.occurred_at, settings.incident_report_due_hours),
        status=ReportStatus.SUBMITTED,
        revision=1,
        first_submitted_at=now,
        submitted_at=now,
    )
    report.revisions = [_snapshot(report, principal, now)]
    audit = attach_pending(
        report,
        principal.actor,
        "incident.create",
        "Report",
        {"region": region_code, "category": incident.category.value, "severity": incident.severity.value}
        | ({"attachments": [str(value) for value in attached]} if attached else {}),
    )
    assert report.id is not None
    await claim(attached, report.id, "attachments")
    try:
        winner = await insert_once(report, key)
    except BaseException:
        await release(attached, report.id)
        raise
    if winner is not None:  # the same request, retried at the same moment, was inserted first
        await release(attached, report.id)
        return _replayed(principal, winner)
    await complete_insert(report, audit)
    await request_index(INDEX_KIND, report.id)
    await announce_incident(report, principal.actor)
    return CreateResult(report, created=True)


def _snapshot(report: Report, principal: Principal, at: datetime) -> ReportRevision:
    return ReportRevision(
        number=report.revision,
        submitted_by=principal.actor,
        submitted_at=at,
        narratives=dict(report.narratives),
        values=dict(report.values),
        evidence={code: list(ids) for code, ids in report.evidence.items()},
    )


async def update_report(
    principal: Principal, report_id: str, content: Content, expected_version: int | None
) -> Report:
    report = await load_report(principal, report_id)
    if expected_version is not None and expected_version != report.version:
        raise ReportError(ReportErrorCode.CONFLICT, Text("reports.conflict"))
    reason = refusal_text(principal, Action.EDIT, report.region_path)
    if reason:
        raise ReportError(ReportErrorCode.PERMISSION_DENIED, reason)
    if next_state(Action.EDIT, report.status) is None:
        raise ReportError(
            ReportErrorCode.INVALID_STATE, Text("reports.not_editable", status=report.status.value)
        )
    template = await template_version(report.type, report.template_version)
    if template is None:
        raise ReportError(ReportErrorCode.TEMPLATE_NOT_FOUND, Text("reports.template_not_found"))
    values = await _checked(template, report.region_code, content)
    changes: dict[str, Any] = {}
    if content.title is not None:
        changes["title"] = content.title
    if content.narratives is not None:
        changes["narratives"] = {**report.narratives, **content.narratives}
    if content.values is not None:
        cleared = {code for code, raw in content.values.items() if raw is None}  # an explicit null clears
        merged = {**report.values, **values}
        changes["values"] = {code: value for code, value in merged.items() if code not in cleared}
    if content.evidence is not None:
        changes["evidence"] = {**report.evidence, **content.evidence}
    if content.risk_level is not None:
        changes["risk_level"] = content.risk_level.value
    if content.election_id is not None or content.stage_code is not None:
        election_id, stage_code = await _stage(
            content.election_id or (str(report.election_id) if report.election_id else None),
            content.stage_code or report.stage_code,
        )
        changes["election_id"], changes["stage_code"] = election_id, stage_code
    current = report.model_dump(include=set(changes))
    # `fields`: what the edit gave, as before; `before`/`after`: the values that changed, key by key, bounded.
    values = before_after(current, changes)
    audit = pending_entry(
        principal.actor,
        "report.update",
        f"Report:{report.id}",
        {"fields": sorted(changes), "before": values["before"], "after": values["after"]},
    )
    updated = await apply_update(report, changes, audit=audit)
    if "evidence" in changes:
        await attach_report_evidence(updated)
    return updated
