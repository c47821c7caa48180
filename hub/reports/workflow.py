"""Who may move a report from which state to which. Pure: decided from the principal and the report.

draft → submitted → verified | returned → (edited) submitted … → evaluated → archived.
Authors are the operators and coordinators of the report's own region. A regency's or city's report is
reviewed by its province's coordinator, a province's by the central reviewers; reviewers evaluate all.
A verified or evaluated report may be reopened (back to returned, with the reason) by the level that took
that step or a level above it: a regency's verified report by its province's coordinator or the centre, an
evaluated report (and any province's report) by the centre only.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from hub.access.principal import Principal
from hub.access.roles import Role
from hub.i18n import Text
from hub.reports.models import ReportStatus

S = ReportStatus


class Action(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    VERIFY = "verify"
    RETURN = "return"
    EVALUATE = "evaluate"
    ARCHIVE = "archive"
    REOPEN = "reopen"


# action → (states it may start from, state it leads to; None keeps the state)
TRANSITIONS: dict[Action, tuple[frozenset[ReportStatus], ReportStatus | None]] = {
    Action.EDIT: (frozenset({S.DRAFT, S.RETURNED}), None),
    Action.SUBMIT: (frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED),
    Action.VERIFY: (frozenset({S.SUBMITTED}), S.VERIFIED),
    Action.RETURN: (frozenset({S.SUBMITTED}), S.RETURNED),
    Action.EVALUATE: (frozenset({S.VERIFIED}), S.EVALUATED),
    Action.ARCHIVE: (frozenset({S.EVALUATED}), S.ARCHIVED),
    Action.REOPEN: (frozenset({S.VERIFIED, S.EVALUATED}), S.RETURNED),
}
AUTHOR_ROLES = frozenset({Role.OPERATOR, Role.COORDINATOR})


def is_author(principal: Principal, region_code: str) -> bool:
    return principal.role in AUTHOR_ROLES and principal.region_code == region_code


def is_reviewer_of(principal: Principal, region_path: list[str]) -> bool:
    """The parent's coordinator reviews a regency or city; central reviewers review provinces."""
    if len(region_path) == 2:  # ID, province
        return principal.role is Role.REVIEWER
    return principal.role is Role.COORDINATOR and principal.region_code == region_path[-2]


def review_queue_criteria(principal: Principal) -> dict[str, Any]:
    """The MongoDB filter of the submitted reports the principal may verify or return now (is_reviewer_of):
    a central reviewer's are the provinces', a coordinator's those of the regions directly under its own;
    anyone else's matches nothing."""
    submitted = {"status": S.SUBMITTED.value}
    if principal.role is Role.REVIEWER:
        return {**submitted, "region_path": {"$size": 2}}
    if principal.role is Role.COORDINATOR and principal.region_code and principal.region_path:
        depth = len(principal.region_path) + 1  # its own path, and one level under it
        return {
            "$and": [submitted, {"region_path": principal.region_code}, {"region_path": {"$size": depth}}]
        }
    return {"_id": {"$exists": False}}


def _may_reopen(principal: Principal, status: ReportStatus | None, region_path: list[str]) -> bool:
    """The centre reopens anything; the province's coordinator a report of its regency or city that it
    verified, not one the centre evaluated since (other states are refused by the state check)."""
    if principal.role is Role.REVIEWER:
        return True
    return status is not S.EVALUATED and is_reviewer_of(principal, region_path)


def refusal_text(
    principal: Principal, action: Action, region_path: list[str], status: ReportStatus | None = None
) -> Text | None:
    """Why the principal may not do this to a report of this region (in this status), or None when it may."""
    region = region_path[-1]
    if action is Action.REOPEN:
        allowed = _may_reopen(principal, status, region_path)
        who = Text("reports.who.verifier_or_centre")
    elif action in {Action.EDIT, Action.SUBMIT}:
        allowed = is_author(principal, region)
        who = Text("reports.who.authors", region=region)
    elif action in {Action.VERIFY, Action.RETURN}:
        allowed = is_reviewer_of(principal, region_path)
        central = len(region_path) == 2
        who = Text("reports.who.central_reviewers") if central else _coordinators(region_path[-2])
    elif action is Action.EVALUATE:
        allowed = principal.role is Role.REVIEWER
        who = Text("reports.who.central_reviewers")
    else:
        allowed = principal.role in {Role.REVIEWER, Role.ADMIN}
        who = Text("reports.who.reviewers_and_admins")
    return (
        None
        if allowed
        else Text("reports.only_who_may", who=who, action=Text(f"reports.action.{action.value}"))
    )


def _coordinators(region: str) -> Text:
    return Text("reports.who.coordinators", region=region)


def refusal(
    principal: Principal, action: Action, region_path: list[str], status: ReportStatus | None = None
) -> str | None:
    """refusal_text in English."""
    text = refusal_text(principal, action, region_path, status)
    return None if text is None else str(text)


def next_state(action: Action, current: ReportStatus) -> ReportStatus | None:
    """The state after the action, the same state for edits, or None when the action is not allowed now."""
    starts, target = TRANSITIONS[action]
    if current not in starts:
        return None
    return target or current


def available_actions(principal: Principal, status: ReportStatus, region_path: list[str]) -> list[Action]:
    return [
        action
        for action in Action
        if next_state(action, status) is not None and refusal(principal, action, region_path, status) is None
    ]
