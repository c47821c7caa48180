"""Opening a case and working on it: follow-ups, assignment, resolution. Every change is one conditional
update (see `rules.apply_update`) that carries its audit entry (hub.audit.pending); a refused change
writes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from beanie import PydanticObjectId

from hub.access.models import User
from hub.access.principal import Principal, user_scope
from hub.audit.linker import complete_insert
from hub.audit.pending import attach_pending, pending_entry
from hub.cases.errors import CaseError, CaseErrorCode
from hub.cases.events import announce
from hub.cases.models import Case, CaseCategory, CaseStatus, FollowUp, Resolution
from hub.cases.origin import case_origin
from hub.cases.rules import (
    CASE_WRITE_ROLES,
    INDEX_KIND,
    MAX_TEXT,
    MAX_TITLE,
    apply_update,
    can_view,
    can_write,
    check_evidence,
    check_open,
    check_version,
    clean_client_mutation_id,
    clean_due_at,
    clean_stage_code,
    clean_text,
    load_for_change,
    now_utc,
)
from hub.core.idempotency import earlier, insert_once, request_key
from hub.core.ids import object_id
from hub.dispatch import request_index
from hub.elections.errors import ElectionError
from hub.elections.services import get_stage
from hub.i18n import Text
from hub.reports.models import Report, RiskLevel

CASE_CREATE = "case.create"  # the kind of creation its idempotency keys name


@dataclass(frozen=True)
class CaseDraft:
    """What a new case is opened with: a region, or the report (and indicator) it comes from."""

    title: str
    category: CaseCategory
    severity: RiskLevel
    due_at: datetime
    description: str = ""
    region_code: str | None = None
    source_report_id: str | None = None
    source_indicator: str | None = None
    stage_code: str | None = None
    election_id: str | None = None
    client_mutation_id: str | None = None


@dataclass(frozen=True)
class OpenedCase:
    case: Case
    created: bool = True


async def _election_stage(
    draft: CaseDraft, report: Report | None, stage_code: str | None
) -> PydanticObjectId | None:
    """The election a case's stage belongs to: given, or the source report's; the stage must exist in it."""
    given = draft.election_id or (str(report.election_id) if report and report.election_id else None)
    if given is None:
        return None
    if stage_code is None:
        raise CaseError(CaseErrorCode.INVALID_STAGE, Text("cases.stage_required"), "stageCode")
    try:
        election, _ = await get_stage(given, stage_code)
    except ElectionError as error:
        raise CaseError(CaseErrorCode.INVALID_STAGE, error.raised_message, error.field) from None
    return election.id


async def open_case(principal: Principal, draft: CaseDraft) -> OpenedCase:
    """A new case; with a `client_mutation_id` already used by this principal, the first case instead."""
    client_mutation_id = clean_client_mutation_id(draft.client_mutation_id)
    key = request_key(CASE_CREATE, principal.actor, client_mutation_id)
    first = await earlier(Case, key)
    if first is not None:
        return _replayed(principal, first)

    origin = await case_origin(principal, draft.region_code, draft.source_report_id, draft.source_indicator)
    if not can_write(principal, origin.region_path):
        raise CaseError(
            CaseErrorCode.PERMISSION_DENIED,
            Text("cases.may_not_open", actor=principal.actor, region_code=origin.region_code),
            "sourceReport" if origin.report else "region",
        )
    now = now_utc()
    title = clean_text(draft.title, "title", limit=MAX_TITLE, code=CaseErrorCode.INVALID_TITLE, required=True)
    description = clean_text(
        draft.description, "description", limit=MAX_TEXT, code=CaseErrorCode.INVALID_TEXT, required=False
    )
    due_at = clean_due_at(draft.due_at, now)
    stage_code = clean_stage_code(draft.stage_code) or (origin.report.stage_code if origin.report else None)
    election_id = await _election_stage(draft, origin.report, stage_code)
    case = Case(
        region_code=origin.region_code,
        region_path=origin.region_path,
        title=title,
        description=description,
        category=draft.category,
        severity=draft.severity,
        source_report_id=origin.report.id if origin.report else None,
        source_indicator=origin.indicator,
        stage_code=stage_code,
        election_id=election_id,
        due_at=due_at,
        opened_by=principal.actor,
        client_mutation_id=client_mutation_id,
        created_at=now,
        updated_at=now,
    )
    audit = attach_pending(
        case,
        principal.actor,
        "case.create",
        "Case",
        {
            "region": case.region_code,
            "title": title,
            "category": case.category.value,
            "severity": case.severity.value,
            "due_at": due_at,
            "source_report": str(case.source_report_id) if case.source_report_id else None,
            "source_indicator": case.source_indicator,
            "stage_code": stage_code,
        },
    )
    winner = await insert_once(case, key)
    if winner is not None:  # the same request, retried at the same moment, was inserted first
        return _replayed(principal, winner)
    await complete_insert(case, audit)
    await request_index(INDEX_KIND, case.id)
    await announce(case, "created", principal.actor)
    return OpenedCase(case)


def _replayed(principal: Principal, case: Case) -> OpenedCase:
    """An earlier attempt's case, as long as the principal, as it is now, may still see it."""
    if not can_view(principal, case.region_path):
        raise CaseError(
            CaseErrorCode.CASE_NOT_FOUND,
            Text("cases.retry_not_visible"),
            "clientMutationId",
        )
    return OpenedCase(case, created=False)


def _has_follow_up(case: Case, actor: str, client_mutation_id: str | None) -> bool:
    return client_mutation_id is not None and any(
        entry.actor == actor and entry.client_mutation_id == client_mutation_id for entry in case.follow_ups
    )


async def add_follow_up(
    principal: Principal,
    case_id: str,
    *,
    note: str,
    evidence: list[str],
    client_mutation_id: str | None = None,
    expected_version: int | None = None,
) -> Case:
    """Appends a follow-up entry; an open case becomes in progress. A retry with the same
    `client_mutation_id` adds nothing and returns the case."""
    case = await load_for_change(principal, case_id)
    client_mutation_id = clean_client_mutation_id(client_mutation_id)
    if _has_follow_up(case, principal.actor, client_mutation_id):
        return case
    check_version(case, expected_version)
    check_open(case)
    text = clean_text(note, "note", limit=MAX_TEXT, code=CaseErrorCode.NOTE_REQUIRED, required=True)
    documents = await check_evidence(principal, evidence, required=False)
    entry = FollowUp(
        actor=principal.actor,
        at=now_utc(),
        note=text,
        evidence=documents,
        client_mutation_id=client_mutation_id,
    )
    audit = pending_entry(
        principal.actor,
        "case.follow_up",
        f"Case:{case.id}",
        {"note": text, "evidence": documents, "status": CaseStatus.IN_PROGRESS.value},
    )
    try:
        updated = await apply_update(
            case,
            {"status": CaseStatus.IN_PROGRESS.value},
            audit=audit,
            push={"follow_ups": entry.model_dump()},
        )
    except CaseError:
        # A concurrent retry of this same follow-up may have won the update: then it is done.
        fresh = await Case.get(case.id)
        if fresh is None or not _has_follow_up(fresh, principal.actor, client_mutation_id):
            raise
        return fresh
    await announce(updated, "follow_up", principal.actor)
    return updated


async def assign(
    principal: Principal, case_id: str, assignee_id: str, *, expected_version: int | None = None
) -> Case:
    """Gives the case to an active user who can work on it in the case's region. Assigning the user it has
    already (a retry) changes nothing and answers the case."""
    case = await load_for_change(principal, case_id)
    user = await _assignable(case, assignee_id)
    if case.assignee_id == user.id:
        return case
    check_version(case, expected_version)
    check_open(case)
    status = CaseStatus.IN_PROGRESS.value
    audit = pending_entry(
        principal.actor,
        "case.assign",
        f"Case:{case.id}",
        {
            "assignee": user.username,
            "assignee_id": str(user.id),
            "previous_assignee_id": _text(case.assignee_id),
            "status": status,
        },
    )
    updated = await apply_update(case, {"assignee_id": user.id, "status": status}, audit=audit)
    await announce(updated, "assigned", principal.actor)
    return updated


async def _assignable(case: Case, assignee_id: str) -> User:
    """The user, if it may work on this case. One answer for every user it may not be (none has the id, or
    it is deactivated, of a role that does not work on cases, or of another region), saying nothing of who
    the user is: an assigner could otherwise learn any user's name, role and region from the refusals."""
    oid = object_id(assignee_id)
    user = await User.get(oid) if oid is not None else None
    if (
        user is None
        or not user.active
        or user.role not in CASE_WRITE_ROLES
        or not user_scope(user.role, tuple(user.region_path)).covers(case.region_path)
    ):
        raise CaseError(CaseErrorCode.USER_NOT_FOUND, Text("cases.assignee_not_found"), "assignee")
    return user


async def resolve(
    principal: Principal,
    case_id: str,
    *,
    note: str,
    evidence: list[str],
    expected_version: int | None = None,
) -> Case:
    """Closes the case with a note and at least one supporting document. The same resolution repeated (same
    principal, same note: a retry) changes nothing and answers the case; the case takes no other change once
    resolved, so its version is not compared."""
    case = await load_for_change(principal, case_id)
    text = clean_text(note, "note", limit=MAX_TEXT, code=CaseErrorCode.NOTE_REQUIRED, required=True)
    if _resolved_so(case, principal.actor, text):
        return case
    check_version(case, expected_version)
    check_open(case)
    documents = await check_evidence(principal, evidence, required=True)
    resolution = Resolution(actor=principal.actor, at=now_utc(), note=text, evidence=documents)
    audit = pending_entry(
        principal.actor,
        "case.resolve",
        f"Case:{case.id}",
        {"note": text, "evidence": documents, "status": CaseStatus.RESOLVED.value},
    )
    try:
        updated = await apply_update(
            case, {"status": CaseStatus.RESOLVED.value, "resolution": resolution.model_dump()}, audit=audit
        )
    except CaseError:
        # A concurrent retry of this same resolution may have won the update: then it is done.
        fresh = await Case.get(case.id)
        if fresh is None or not _resolved_so(fresh, principal.actor, text):
            raise
        return fresh
    await announce(updated, "resolved", principal.actor)
    return updated


def _resolved_so(case: Case, actor: str, note: str) -> bool:
    """Whether the case is resolved by this actor with this note: what a retried resolution finds."""
    done = case.resolution
    if case.status is not CaseStatus.RESOLVED or done is None:
        return False
    return (done.actor, done.note) == (actor, note)


def _text(value: PydanticObjectId | None) -> str | None:
    return str(value) if value is not None else None
