"""Who is told of a workflow event: the one place that decides it. A PURE CORE: it reads no database and
no clock; the fan-out (hub.notifications.fanout) loads the facts and the candidate accounts and writes what
this answers. Tested alone in tests/unit/test_notification_recipients.py.

The rules (issue 15): a report submitted → its reviewers (the parent region's coordinators for a regency or
city, the central reviewers for a province); returned → its author and the operators of its region;
verified or evaluated → its author; a case opened, assigned or escalated (overdue) → its assignee and the
coordinators of the regions above it; an early warning → the leaders of the region and of those above it,
and the central reviewers. The reminders of the review path (hub.reminders.reviews) follow the same rules: a
report waiting for review → its reviewers; a returned report not resubmitted → its author and operators.

Whatever a rule names, nobody is told of a record outside their own scope (hub.access.principal.user_scope),
inactive accounts are told nothing, and whoever caused the event is not told of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hub.access.principal import user_scope
from hub.access.roles import Role
from hub.notifications.models import NotificationKind

K = NotificationKind

REPORT_KINDS = {
    "submitted": K.REPORT_SUBMITTED,
    "returned": K.REPORT_RETURNED,
    "verified": K.REPORT_VERIFIED,
    "evaluated": K.REPORT_EVALUATED,
}
CASE_KINDS = {"created": K.CASE_OPENED, "assigned": K.CASE_ASSIGNED, "escalated": K.CASE_ESCALATED}


@dataclass(frozen=True)
class Occurrence:
    """What happened, as the rules need it: the kind of notification, the record's region path (root
    first), who caused it, and the people the record names (author, assignee)."""

    kind: NotificationKind
    region_path: tuple[str, ...]
    actor: str  # "user:<username>", "system:escalation"
    author_id: str | None = None
    assignee_id: str | None = None


@dataclass(frozen=True)
class Candidate:
    """An account the fan-out found near the record (by home region, national role, or named by it)."""

    id: str
    username: str
    role: Role
    region_code: str
    region_path: tuple[str, ...]
    active: bool = True

    @property
    def actor(self) -> str:
        return f"user:{self.username}"


def notification_kind(event_kind: str, data: dict[str, object]) -> NotificationKind | None:
    """The notification an outbox event (hub.events.models.EventKind's value and data) calls for, if any."""
    if event_kind == "report.status_changed":
        return REPORT_KINDS.get(str(data.get("to")))
    if event_kind == "incident.created":  # an incident is filed submitted: its reviewers are told so
        return K.REPORT_SUBMITTED
    if event_kind == "case.updated":
        return CASE_KINDS.get(str(data.get("change")))
    if event_kind == "early_warning.raised":
        return K.EARLY_WARNING
    return None


def _reviewers(path: tuple[str, ...], user: Candidate) -> bool:
    """hub.reports.workflow.is_reviewer_of, on a candidate."""
    if len(path) == 2:
        return user.role is Role.REVIEWER
    return len(path) > 2 and user.role is Role.COORDINATOR and user.region_code == path[-2]


def _named(user: Candidate, *ids: str | None) -> bool:
    return user.id in {value for value in ids if value}


def _concerned(what: Occurrence, user: Candidate) -> bool:
    path = what.region_path
    region = path[-1] if path else None
    if what.kind in {K.REPORT_SUBMITTED, K.REVIEW_WAITING}:
        return _reviewers(path, user)
    if what.kind in {K.REPORT_RETURNED, K.RETURNED_WAITING}:
        return _named(user, what.author_id) or (user.role is Role.OPERATOR and user.region_code == region)
    if what.kind in {K.REPORT_VERIFIED, K.REPORT_EVALUATED}:
        return _named(user, what.author_id)
    if what.kind in {K.CASE_OPENED, K.CASE_ASSIGNED, K.CASE_ESCALATED}:
        above = path[:-1]
        return _named(user, what.assignee_id) or (user.role is Role.COORDINATOR and user.region_code in above)
    if what.kind is K.EARLY_WARNING:
        return (user.role is Role.LEADER and user.region_code in path) or user.role is Role.REVIEWER
    return False


def recipients(what: Occurrence, candidates: Iterable[Candidate]) -> list[str]:
    """The ids of the candidates to notify, in the order given, each once."""
    chosen: list[str] = []
    for user in candidates:
        if not user.active or user.actor == what.actor or user.id in chosen:
            continue
        if not user_scope(user.role, user.region_path).covers(what.region_path):
            continue  # never beyond what the account may read, whatever a rule says
        if _concerned(what, user):
            chosen.append(user.id)
    return chosen
