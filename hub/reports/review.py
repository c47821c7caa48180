"""The review path: submit, verify, return with reasons, evaluate, archive, reopen. Each is one conditional
update that also appends the review event (and, on submit, the revision snapshot), so history cannot drift.

A step retried after it succeeded (a phone that lost the answer) answers the report as it is, with no second
review entry, instead of CONFLICT: a step that names `expectedVersion` is recognised as done already when the
report is exactly one change past that version, that change was this very step by this principal, and the
report is still in the step's target state. Without `expectedVersion` nothing tells a retry from a second
attempt, which is refused as before (INVALID_STATE): clients that retry send `expectedVersion`.
"""

from __future__ import annotations

from typing import Any

from hub.access.principal import Principal
from hub.audit.pending import PendingAudit, pending_entry
from hub.core.clock import utcnow
from hub.i18n import Text
from hub.reports.access import apply_update, check_evidence, load_report
from hub.reports.errors import FieldProblem, ReportContentError, ReportError, ReportErrorCode
from hub.reports.events import announce_status
from hub.reports.models import Report, ReportRevision, ReturnReason, ReviewEvent, RiskLevel
from hub.reports.return_reasons import open_reasons
from hub.reports.templates import template_version
from hub.reports.validation import check_complete, check_rules
from hub.reports.workflow import TRANSITIONS, Action, next_state, refusal_text

GENERAL = "general"


def _done(principal: Principal, report: Report, action: Action, expected_version: int | None) -> bool:
    """Whether this step is the latest change to the report, made by this principal: a retry of it."""
    target = TRANSITIONS[action][1]
    last = report.reviews[-1] if report.reviews else None
    if expected_version is None or report.version != expected_version + 1:
        return False
    if target is None or report.status is not target or last is None:
        return False
    return last.action == action.value and last.actor == principal.actor


async def _start(
    principal: Principal, report_id: str, action: Action, expected_version: int | None
) -> tuple[Report, bool]:
    """The report and whether the step is done already (a retry); otherwise refuse in a fixed order: scope
    (not found), role, state, stale version."""
    report = await load_report(principal, report_id)
    if _done(principal, report, action, expected_version):
        return report, True
    reason = refusal_text(principal, action, report.region_path, report.status)
    if reason:
        raise ReportError(ReportErrorCode.PERMISSION_DENIED, reason)
    if next_state(action, report.status) is None:
        raise ReportError(
            ReportErrorCode.INVALID_STATE,
            Text(
                "reports.invalid_transition",
                status=report.status.value,
                action=Text(f"reports.done.{action}"),
            ),
            "status",
        )
    if expected_version is not None and expected_version != report.version:
        raise ReportError(ReportErrorCode.CONFLICT, Text("reports.conflict"))
    return report, False


async def _apply_step(
    principal: Principal,
    report: Report,
    action: Action,
    expected_version: int | None,
    changes: dict[str, Any],
    push: dict[str, Any],
    audit: PendingAudit,
) -> tuple[Report, bool]:
    """(the report after the step, with its audit entry, True); or, when a concurrent attempt of this same
    step (a retry racing its first attempt) made the change first, (the report as that left it, False):
    nothing more to do."""
    try:
        return await apply_update(report, changes, audit=audit, push=push), True
    except ReportError as error:
        if error.code is not ReportErrorCode.CONFLICT:
            raise
        fresh = await Report.get(report.id)
        if fresh is None or not _done(principal, fresh, action, expected_version):
            raise
        return fresh, False


async def _move(
    principal: Principal,
    report: Report,
    action: Action,
    event: ReviewEvent,
    expected_version: int | None,
    **changes: Any,
) -> Report:
    target = next_state(action, report.status)
    assert target is not None
    audit = pending_entry(
        principal.actor,
        f"report.{action.value}",
        f"Report:{report.id}",
        {"from": report.status.value, "to": target.value, "reasons": [r.model_dump() for r in event.reasons]},
    )
    updated, applied = await _apply_step(
        principal,
        report,
        action,
        expected_version,
        {"status": target.value, **changes},
        {"reviews": event.model_dump(mode="python")},
        audit,
    )
    if not applied:
        return updated
    await announce_status(updated, report.status.value, principal.actor)
    return updated


async def submit_report(principal: Principal, report_id: str, expected_version: int | None = None) -> Report:
    report, done = await _start(principal, report_id, Action.SUBMIT, expected_version)
    if done:
        return report
    template = await template_version(report.type, report.template_version)
    if template is None:
        raise ReportError(ReportErrorCode.TEMPLATE_NOT_FOUND, Text("reports.template_not_found"))
    problems = check_complete(template, report.narratives, report.values, report.evidence)
    problems += check_rules(template, report.values)
    problems += [
        FieldProblem(
            f"reasons.{key}", ReportErrorCode.REASONS_OPEN, "mark this return reason addressed first"
        )
        for key in open_reasons(report)
    ]
    if problems:
        raise ReportContentError(problems)
    await check_evidence(report.region_code, report.evidence)
    now = utcnow()
    number = report.revision + 1
    snapshot = ReportRevision(
        number=number,
        submitted_by=principal.actor,
        submitted_at=now,
        narratives=report.narratives,
        values=report.values,
        evidence=report.evidence,
    )
    event = ReviewEvent(action=Action.SUBMIT.value, actor=principal.actor, at=now, revision=number)
    changes: dict[str, Any] = {"revision": number, "submitted_at": now}
    if report.first_submitted_at is None:
        changes["first_submitted_at"] = now
    updated, applied = await _apply_step(
        principal,
        report,
        Action.SUBMIT,
        expected_version,
        {"status": "submitted", **changes},
        {"reviews": event.model_dump(mode="python"), "revisions": snapshot.model_dump(mode="python")},
        pending_entry(principal.actor, "report.submit", f"Report:{report.id}", {"revision": number}),
    )
    if not applied:
        return updated
    await announce_status(updated, report.status.value, principal.actor)
    return updated


async def verify_report(
    principal: Principal, report_id: str, note: str | None = None, expected_version: int | None = None
) -> Report:
    report, done = await _start(principal, report_id, Action.VERIFY, expected_version)
    if done:
        return report
    event = ReviewEvent(
        action=Action.VERIFY.value, actor=principal.actor, revision=report.revision, note=note
    )
    return await _move(
        principal, report, Action.VERIFY, event, expected_version, last_reviewer=principal.actor
    )


async def return_report(
    principal: Principal,
    report_id: str,
    reasons: list[ReturnReason],
    note: str | None = None,
    expected_version: int | None = None,
    require_addressed: bool = False,
) -> Report:
    """Back to the author, with a reason per section or indicator (or `general`); `require_addressed`: the
    author may resubmit only once every reason is marked addressed (hub.reports.return_reasons)."""
    report, done = await _start(principal, report_id, Action.RETURN, expected_version)
    if done:
        return report
    if not reasons or any(not reason.message.strip() for reason in reasons):
        raise ReportError(ReportErrorCode.REASON_REQUIRED, Text("reports.return_reasons_required"), "reasons")
    template = await template_version(report.type, report.template_version)
    assert template is not None
    unknown = [
        FieldProblem(
            f"reasons.{reason.target}", ReportErrorCode.UNKNOWN_FIELD, Text("reports.unknown_target")
        )
        for reason in reasons
        if reason.target != GENERAL
        and template.section(reason.target) is None
        and template.indicator(reason.target) is None
    ]
    if unknown:
        raise ReportContentError(unknown)
    event = ReviewEvent(
        action=Action.RETURN.value,
        actor=principal.actor,
        revision=report.revision,
        reasons=reasons,
        note=note,
        require_addressed=require_addressed,
    )
    return await _move(
        principal, report, Action.RETURN, event, expected_version, last_reviewer=principal.actor
    )


async def evaluate_report(
    principal: Principal,
    report_id: str,
    note: str | None = None,
    risk_level: RiskLevel | None = None,
    expected_version: int | None = None,
) -> Report:
    report, done = await _start(principal, report_id, Action.EVALUATE, expected_version)
    if done:
        return report
    event = ReviewEvent(
        action=Action.EVALUATE.value, actor=principal.actor, revision=report.revision, note=note
    )
    changes: dict[str, Any] = {"last_reviewer": principal.actor}
    if risk_level is not None:
        changes["risk_level"] = risk_level.value
    return await _move(principal, report, Action.EVALUATE, event, expected_version, **changes)


async def archive_report(principal: Principal, report_id: str, expected_version: int | None = None) -> Report:
    report, done = await _start(principal, report_id, Action.ARCHIVE, expected_version)
    if done:
        return report
    event = ReviewEvent(action=Action.ARCHIVE.value, actor=principal.actor, revision=report.revision)
    return await _move(principal, report, Action.ARCHIVE, event, expected_version)


MAX_REASON_LENGTH = 2000


async def reopen_report(
    principal: Principal, report_id: str, reason: str, expected_version: int | None = None
) -> Report:
    """A verified or evaluated report back to its author (RETURNED) with the reason an error was found. The
    earlier review events and revisions stay: the reopening is one more event, its reason a `general` return
    reason, so the author sees it like any return and submits a new revision."""
    report, done = await _start(principal, report_id, Action.REOPEN, expected_version)
    if done:
        return report
    text = reason.strip()
    if not text:
        raise ReportError(ReportErrorCode.REASON_REQUIRED, Text("reports.reopen_reason_required"), "reason")
    if len(text) > MAX_REASON_LENGTH:
        raise ReportError(
            ReportErrorCode.INVALID_VALUE,
            Text("reports.reason_too_long", max_reason_length=MAX_REASON_LENGTH),
            "reason",
        )
    event = ReviewEvent(
        action=Action.REOPEN.value,
        actor=principal.actor,
        revision=report.revision,
        reasons=[ReturnReason(target=GENERAL, message=text)],
    )
    return await _move(
        principal, report, Action.REOPEN, event, expected_version, last_reviewer=principal.actor
    )
