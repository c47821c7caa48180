"""The pure core that decides who is told of a workflow event (hub.notifications.recipients), and the texts
(hub.notifications.texts), without any service."""

from __future__ import annotations

from hub.access.roles import Role
from hub.i18n import Language
from hub.notifications.models import NotificationKind as K
from hub.notifications.recipients import Candidate, Occurrence, notification_kind, recipients
from hub.notifications.texts import TEXTS, render

REGENCY = ("ID", "31", "31.74")
PROVINCE = ("ID", "31")


def user(name: str, role: Role, path: tuple[str, ...], active: bool = True) -> Candidate:
    return Candidate(id=name, username=name, role=role, region_code=path[-1], region_path=path, active=active)


PEOPLE = [
    user("op-3174", Role.OPERATOR, REGENCY),
    user("op-3175", Role.OPERATOR, ("ID", "31", "31.75")),
    user("coord-31", Role.COORDINATOR, PROVINCE),
    user("coord-3174", Role.COORDINATOR, REGENCY),
    user("coord-11", Role.COORDINATOR, ("ID", "11")),
    user("reviewer", Role.REVIEWER, ("ID",)),
    user("leader-31", Role.LEADER, PROVINCE),
    user("leader-11", Role.LEADER, ("ID", "11")),
    user("leader-id", Role.LEADER, ("ID",)),
    user("admin", Role.ADMIN, ("ID",)),
    user("gone", Role.COORDINATOR, PROVINCE, active=False),
]


def told(kind: K, path: tuple[str, ...], **named: str) -> list[str]:
    return recipients(Occurrence(kind=kind, region_path=path, actor="user:someone", **named), PEOPLE)


def test_a_regency_report_submitted_tells_its_province_coordinator_only() -> None:
    assert told(K.REPORT_SUBMITTED, REGENCY) == ["coord-31"]
    assert told(K.REVIEW_WAITING, REGENCY) == ["coord-31"]


def test_a_province_report_submitted_tells_the_central_reviewers() -> None:
    assert told(K.REPORT_SUBMITTED, PROVINCE) == ["reviewer"]


def test_returned_tells_the_author_and_the_region_operators() -> None:
    assert told(K.REPORT_RETURNED, REGENCY, author_id="coord-3174") == ["op-3174", "coord-3174"]
    assert told(K.RETURNED_WAITING, REGENCY) == ["op-3174"]


def test_verified_and_evaluated_tell_the_author_only() -> None:
    assert told(K.REPORT_VERIFIED, REGENCY, author_id="op-3174") == ["op-3174"]
    assert told(K.REPORT_EVALUATED, REGENCY) == []


def test_cases_tell_the_assignee_and_the_coordinators_above() -> None:
    assert told(K.CASE_OPENED, REGENCY, assignee_id="op-3174") == ["op-3174", "coord-31"]
    assert told(K.CASE_ESCALATED, REGENCY) == ["coord-31"]


def test_an_early_warning_tells_the_leaders_above_and_the_reviewers() -> None:
    assert told(K.EARLY_WARNING, REGENCY) == ["reviewer", "leader-31", "leader-id"]


def test_nobody_is_told_of_a_record_outside_their_scope_whatever_names_them() -> None:
    # An author or assignee moved to another province is not told of a record they may no longer read.
    assert told(K.REPORT_VERIFIED, REGENCY, author_id="op-3175") == []
    assert told(K.CASE_ASSIGNED, REGENCY, assignee_id="coord-11") == ["coord-31"]


def test_the_actor_and_inactive_accounts_are_not_told() -> None:
    what = Occurrence(kind=K.REPORT_SUBMITTED, region_path=REGENCY, actor="user:coord-31")
    assert recipients(what, PEOPLE) == []


def test_event_kinds_map_to_notification_kinds() -> None:
    assert notification_kind("report.status_changed", {"to": "submitted"}) is K.REPORT_SUBMITTED
    assert notification_kind("report.status_changed", {"to": "archived"}) is None
    assert notification_kind("case.updated", {"change": "escalated"}) is K.CASE_ESCALATED
    assert notification_kind("case.updated", {"change": "follow_up"}) is None
    assert notification_kind("incident.created", {}) is K.REPORT_SUBMITTED
    assert notification_kind("early_warning.raised", {}) is K.EARLY_WARNING


def test_texts_exist_in_both_languages_and_render_the_params() -> None:
    for kind, texts in TEXTS.items():
        assert set(texts) == set(Language), kind
    title, body = render(K.REPORT_RETURNED, {"title": "Laporan Q1", "region": "Jaksel (31.74)"}) or ("", "")
    assert title == "Laporan dikembalikan: Laporan Q1" and "Jaksel (31.74)" in body and "(-)" in body
    english = render(K.REPORT_RETURNED, {"title": "Laporan Q1"}, Language.ENGLISH)
    assert english is not None and english[0] == "Report returned: Laporan Q1"
    assert render(K.REMINDER, {"title": "x"}) is None
