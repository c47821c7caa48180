"""hub.reports.workflow: every transition allowed or refused, and who may take each step."""

from __future__ import annotations

import pytest

from hub.access.principal import Principal, PrincipalKind, user_scope
from hub.access.roles import Role
from hub.access.scope import Scope
from hub.reports.models import ReportStatus
from hub.reports.workflow import Action, available_actions, next_state, refusal

S = ReportStatus
A = Action

# The review path written out by hand (not read from TRANSITIONS): action → {from: to}.
EXPECTED: dict[Action, dict[ReportStatus, ReportStatus]] = {
    A.EDIT: {S.DRAFT: S.DRAFT, S.RETURNED: S.RETURNED},
    A.SUBMIT: {S.DRAFT: S.SUBMITTED, S.RETURNED: S.SUBMITTED},
    A.VERIFY: {S.SUBMITTED: S.VERIFIED},
    A.RETURN: {S.SUBMITTED: S.RETURNED},
    A.EVALUATE: {S.VERIFIED: S.EVALUATED},
    A.ARCHIVE: {S.EVALUATED: S.ARCHIVED},
    A.REOPEN: {S.VERIFIED: S.RETURNED, S.EVALUATED: S.RETURNED},
}
REGENCY = ["ID", "31", "31.74"]
PROVINCE = ["ID", "31"]


def user(role: Role, region_path: list[str]) -> Principal:
    path = tuple(region_path)
    return Principal(
        kind=PrincipalKind.USER,
        id=f"{role.value}-{path[-1]}",
        name=f"{role.value}-{path[-1]}",
        scope=user_scope(role, path),
        role=role,
        region_code=path[-1],
        region_path=path,
    )


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("status", list(ReportStatus))
def test_each_transition_is_allowed_only_from_its_states(action: Action, status: ReportStatus) -> None:
    assert next_state(action, status) == EXPECTED[action].get(status)


def test_nothing_leaves_the_archive() -> None:
    assert all(next_state(action, S.ARCHIVED) is None for action in Action)


# (principal, region of the report, actions it may take there); every other action is refused.
MAY = [
    (user(Role.OPERATOR, ["ID", "31", "31.74"]), REGENCY, {A.EDIT, A.SUBMIT}),
    (user(Role.COORDINATOR, ["ID", "31", "31.74"]), REGENCY, {A.EDIT, A.SUBMIT}),
    (user(Role.OPERATOR, ["ID", "31", "31.71"]), REGENCY, set()),  # a neighbouring regency
    (user(Role.COORDINATOR, ["ID", "31"]), REGENCY, {A.VERIFY, A.RETURN, A.REOPEN}),  # the province reviews
    (user(Role.COORDINATOR, ["ID", "32"]), REGENCY, set()),  # another province
    (user(Role.REVIEWER, ["ID"]), REGENCY, {A.EVALUATE, A.ARCHIVE, A.REOPEN}),  # not the regency's reviewer
    (user(Role.ADMIN, ["ID"]), REGENCY, {A.ARCHIVE}),
    (user(Role.LEADER, ["ID", "31"]), REGENCY, set()),
    (user(Role.COORDINATOR, ["ID", "31"]), PROVINCE, {A.EDIT, A.SUBMIT}),  # no one reviews their own
    (user(Role.OPERATOR, ["ID", "31"]), PROVINCE, {A.EDIT, A.SUBMIT}),
    (user(Role.REVIEWER, ["ID"]), PROVINCE, {A.VERIFY, A.RETURN, A.EVALUATE, A.ARCHIVE, A.REOPEN}),
    (user(Role.ADMIN, ["ID"]), PROVINCE, {A.ARCHIVE}),
]


@pytest.mark.parametrize(("principal", "region_path", "allowed"), MAY, ids=lambda value: str(value)[:40])
def test_who_may_take_each_step(principal: Principal, region_path: list[str], allowed: set[Action]) -> None:
    for action in Action:
        reason = refusal(principal, action, region_path)
        assert (reason is None) == (action in allowed), (action, reason)


def test_a_partner_may_take_no_step() -> None:
    partner = Principal(
        kind=PrincipalKind.PARTNER, id="kpu", name="kpu", scope=Scope.everything(), agency="KPU"
    )
    assert all(refusal(partner, action, REGENCY) is not None for action in Action)


def test_a_refusal_names_who_may() -> None:
    operator = user(Role.OPERATOR, ["ID", "31", "31.74"])
    assert refusal(operator, A.VERIFY, REGENCY) == "only the coordinators of region 31 may verify this report"
    assert refusal(operator, A.RETURN, PROVINCE) == "only central reviewers may return this report"
    assert refusal(user(Role.REVIEWER, ["ID"]), A.SUBMIT, REGENCY) == (
        "only the operators and coordinators of region 31.74 may submit this report"
    )
    assert refusal(operator, A.EVALUATE, REGENCY) == "only central reviewers may evaluate this report"
    assert (
        refusal(operator, A.ARCHIVE, REGENCY) == "only central reviewers and admins may archive this report"
    )


def test_available_actions_combine_the_state_and_the_role() -> None:
    operator = user(Role.OPERATOR, ["ID", "31", "31.74"])
    province = user(Role.COORDINATOR, ["ID", "31"])
    reviewer = user(Role.REVIEWER, ["ID"])
    assert available_actions(operator, S.DRAFT, REGENCY) == [A.EDIT, A.SUBMIT]
    assert available_actions(operator, S.RETURNED, REGENCY) == [A.EDIT, A.SUBMIT]
    assert available_actions(operator, S.SUBMITTED, REGENCY) == []
    assert available_actions(province, S.SUBMITTED, REGENCY) == [A.VERIFY, A.RETURN]
    assert available_actions(province, S.VERIFIED, REGENCY) == [A.REOPEN]  # what it verified
    assert available_actions(province, S.EVALUATED, REGENCY) == []  # the centre evaluated it since
    assert available_actions(reviewer, S.SUBMITTED, REGENCY) == []
    assert available_actions(reviewer, S.VERIFIED, REGENCY) == [A.EVALUATE, A.REOPEN]
    assert available_actions(reviewer, S.EVALUATED, REGENCY) == [A.ARCHIVE, A.REOPEN]
    assert available_actions(reviewer, S.ARCHIVED, REGENCY) == []
