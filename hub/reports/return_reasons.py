"""Return reasons as work items: the author marks a reason ADDRESSED (optionally with a note) while the report
is returned; the reviewer, once the report is submitted again, marks it RESOLVED or sends it back to OPEN.

A reason is named by its key `<review>.<reason>`: its return's place in the report's review history and its
place in that return (reviews are only ever appended, so a key never changes). Only the reasons of the latest
return (or reopening) take changes; earlier ones stay as they were left, shown with the revision they were
given on. When the reviewer returned with `requireAddressed`, `reportSubmit` refuses while one of them is
still OPEN (hub.reports.review). Each change is one conditional update of the report, with its audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from hub.access.principal import Principal
from hub.audit.pending import pending_entry
from hub.core.clock import storable_time, utcnow
from hub.reports.access import apply_update, load_report
from hub.reports.errors import ReportError, ReportErrorCode
from hub.reports.models import ReasonState, ReasonStep, Report, ReportStatus, ReturnReason, ReviewEvent
from hub.reports.workflow import Action, refusal

MAX_NOTE = 2000
RETURNING = frozenset({Action.RETURN.value, Action.REOPEN.value})


@dataclass(frozen=True)
class Located:
    review: int
    index: int
    reason: ReturnReason

    @property
    def key(self) -> str:
        return f"{self.review}.{self.index}"


def reason_key(review: int, index: int) -> str:
    return f"{review}.{index}"


def latest_return(report: Report) -> tuple[int, ReviewEvent] | None:
    """The last return or reopening in the history, with its place."""
    for place in range(len(report.reviews) - 1, -1, -1):
        if report.reviews[place].action in RETURNING:
            return place, report.reviews[place]
    return None


def open_reasons(report: Report) -> list[str]:
    """Keys of the latest return's reasons still OPEN, when that return required them all addressed."""
    latest = latest_return(report)
    if latest is None or not latest[1].require_addressed:
        return []
    place, event = latest
    return [reason_key(place, i) for i, r in enumerate(event.reasons) if r.state is ReasonState.OPEN]


def _locate(report: Report, key: str) -> Located:
    review, _, index = key.partition(".")
    latest = latest_return(report)
    if not (review.isdigit() and index.isdigit()) or latest is None or int(review) != latest[0]:
        raise ReportError(
            ReportErrorCode.REASON_NOT_FOUND, "no reason of the latest return has this key", "reason"
        )
    reasons = latest[1].reasons
    if int(index) >= len(reasons):
        raise ReportError(
            ReportErrorCode.REASON_NOT_FOUND, "no reason of the latest return has this key", "reason"
        )
    return Located(int(review), int(index), reasons[int(index)])


def _clean_note(note: str | None) -> str | None:
    if note is None:
        return None
    if len(note) > MAX_NOTE:
        raise ReportError(ReportErrorCode.INVALID_VALUE, f"a note has at most {MAX_NOTE} characters", "note")
    return note.strip() or None


async def _change(
    principal: Principal,
    report: Report,
    found: Located,
    state: ReasonState,
    note: str | None,
    expected_version: int | None,
) -> Report:
    if expected_version is not None and expected_version != report.version:
        raise ReportError(ReportErrorCode.CONFLICT, "the report was changed meanwhile; reload and try again")
    step = ReasonStep(state=state, actor=principal.actor, at=storable_time(utcnow()), note=note)
    changed = found.reason.model_copy(update={"state": state, "steps": [*found.reason.steps, step]})
    audit = pending_entry(
        principal.actor,
        f"report.reason_{state.value}",
        f"Report:{report.id}",
        {"reason": found.key, "from": found.reason.state.value, "to": state.value, "note": note},
    )
    path = f"reviews.{found.review}.reasons.{found.index}"
    return await apply_update(report, {path: changed.model_dump(mode="python")}, audit=audit)


async def address_reason(
    principal: Principal,
    report_id: str,
    key: str,
    note: str | None = None,
    expected_version: int | None = None,
) -> Report:
    """The author says a reason of the latest return is dealt with. Marking it again answers the report."""
    note = _clean_note(note)
    report = await load_report(principal, report_id)
    reason = refusal(principal, Action.EDIT, report.region_path)
    if reason:
        raise ReportError(
            ReportErrorCode.PERMISSION_DENIED, "only the report's authors mark reasons addressed"
        )
    found = _locate(report, key)
    if found.reason.state is ReasonState.ADDRESSED:
        return report
    if report.status is not ReportStatus.RETURNED or found.reason.state is not ReasonState.OPEN:
        raise ReportError(
            ReportErrorCode.INVALID_STATE,
            f"an {found.reason.state.value} reason of a {report.status.value} report cannot be addressed",
            "reason",
        )
    return await _change(principal, report, found, ReasonState.ADDRESSED, note, expected_version)


async def resolve_reason(
    principal: Principal,
    report_id: str,
    key: str,
    *,
    reopen: bool = False,
    note: str | None = None,
    expected_version: int | None = None,
) -> Report:
    """The reviewer accepts the answer to a reason (RESOLVED) or not (`reopen`: OPEN again), once the
    report is submitted again. Taking the same step again answers the report."""
    note = _clean_note(note)
    report = await load_report(principal, report_id)
    if refusal(principal, Action.RETURN, report.region_path):
        raise ReportError(ReportErrorCode.PERMISSION_DENIED, "only the report's reviewers resolve reasons")
    found = _locate(report, key)
    target = ReasonState.OPEN if reopen else ReasonState.RESOLVED
    last = found.reason.steps[-1] if found.reason.steps else None
    if found.reason.state is target and last is not None and last.actor == principal.actor:
        return report  # a retry of this very step
    if report.status is not ReportStatus.SUBMITTED or found.reason.state is ReasonState.RESOLVED:
        raise ReportError(
            ReportErrorCode.INVALID_STATE,
            f"a reason is resolved or reopened on a submitted report, not a {report.status.value} one, "
            "and only until it is resolved",
            "reason",
        )
    return await _change(principal, report, found, target, note, expected_version)
