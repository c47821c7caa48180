"""Who may see and change a case, the checks every change shares, and the one conditional update."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from hub.access.principal import Principal
from hub.access.roles import Role
from hub.access.scope import scope_to_mongo
from hub.audit.linker import complete
from hub.audit.pending import PendingAudit, push_pending
from hub.cases.errors import CaseError, CaseErrorCode
from hub.cases.models import Case, CaseStatus
from hub.core.clock import storable_time
from hub.core.ids import object_id
from hub.dispatch import request_index
from hub.documents.models import DocumentState, StoredDocument
from hub.i18n import Text

# Roles that open and work on cases; leaders read, partners read what their grant allows.
INDEX_KIND = "cases"  # what hub.dispatch.request_index calls cases
CASE_WRITE_ROLES = frozenset({Role.OPERATOR, Role.COORDINATOR, Role.REVIEWER, Role.ADMIN})
OPEN_STATUSES = (CaseStatus.OPEN, CaseStatus.IN_PROGRESS)
MAX_TITLE = 200
MAX_TEXT = 10_000
MAX_EVIDENCE = 20
MAX_CLIENT_MUTATION_ID = 100
MAX_DUE_DAYS = 3 * 366
STAGE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")


def now_utc() -> datetime:
    """The current time as MongoDB stores it (UTC, milliseconds), so what is returned equals what is read."""
    return storable_time(datetime.now(UTC))


def can_view(principal: Principal, region_path: Iterable[str]) -> bool:
    return principal.scope.covers(region_path)


def can_write(principal: Principal, region_path: Iterable[str]) -> bool:
    return (
        not principal.is_partner
        and principal.role in CASE_WRITE_ROLES
        and principal.scope.covers(region_path)
    )


def is_overdue(status: CaseStatus, due_at: datetime, now: datetime) -> bool:
    return status in OPEN_STATUSES and due_at < now


async def load_for_change(principal: Principal, case_id: str) -> Case:
    """The case, if the principal may work on it. CASE_NOT_FOUND when there is none or the principal cannot
    see it (the same answer, so that ids tell nothing of cases out of sight); PERMISSION_DENIED when it sees
    the case but may not change it (a leader)."""
    oid = object_id(case_id)
    case = await Case.get(oid) if oid is not None else None
    if case is None or not can_view(principal, case.region_path):
        raise CaseError(CaseErrorCode.CASE_NOT_FOUND, Text("cases.case_not_found"), "id")
    if not can_write(principal, case.region_path):
        raise CaseError(
            CaseErrorCode.PERMISSION_DENIED, Text("cases.may_not_change", actor=principal.actor), "id"
        )
    return case


def check_version(case: Case, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != case.version:
        raise CaseError(
            CaseErrorCode.CONFLICT,
            Text("cases.version_conflict", version=case.version, expected_version=expected_version),
            "expectedVersion",
        )


def check_open(case: Case) -> None:
    if case.status is CaseStatus.RESOLVED:
        raise CaseError(CaseErrorCode.CASE_RESOLVED, Text("cases.case_resolved"), "id")


def clean_text(value: str | None, field: str, *, limit: int, code: CaseErrorCode, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise CaseError(code, Text("cases.text_empty", field=field), field)
    if len(text) > limit:
        raise CaseError(code, Text("cases.text_too_long", field=field, count=len(text), limit=limit), field)
    return text


def clean_client_mutation_id(value: str | None) -> str | None:
    if value is None:
        return None
    if not value.strip() or len(value) > MAX_CLIENT_MUTATION_ID:
        raise CaseError(
            CaseErrorCode.INVALID_CLIENT_MUTATION_ID,
            Text("cases.invalid_client_mutation_id", max_client_mutation_id=MAX_CLIENT_MUTATION_ID),
            "clientMutationId",
        )
    return value


def clean_due_at(due_at: datetime, now: datetime) -> datetime:
    due = storable_time(due_at)
    if due <= now:
        raise CaseError(CaseErrorCode.INVALID_DUE_DATE, Text("cases.due_in_future"), "dueAt")
    if due > now + timedelta(days=MAX_DUE_DAYS):
        raise CaseError(
            CaseErrorCode.INVALID_DUE_DATE, Text("cases.due_within", max_due_days=MAX_DUE_DAYS), "dueAt"
        )
    return due


def clean_stage_code(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    code = value.strip()
    if not STAGE_CODE.fullmatch(code):
        raise CaseError(
            CaseErrorCode.INVALID_STAGE,
            Text("cases.stage_code_format"),
            "stageCode",
        )
    return code


async def check_evidence(principal: Principal, document_ids: list[str], *, required: bool) -> list[str]:
    """The ids, without repeats, once each is a usable document (out of the trash, not rejected) inside
    the principal's scope."""
    wanted = list(dict.fromkeys(document_ids))
    if required and not wanted:
        raise CaseError(CaseErrorCode.EVIDENCE_REQUIRED, Text("cases.evidence_required"), "evidence")
    if len(wanted) > MAX_EVIDENCE:
        raise CaseError(
            CaseErrorCode.TOO_MUCH_EVIDENCE,
            Text("cases.too_much_evidence", max_evidence=MAX_EVIDENCE),
            "evidence",
        )
    if not wanted:
        return []
    oids = [oid for oid in (object_id(value) for value in wanted) if oid is not None]
    # Usable evidence only: not in the trash, not refused by processing (as a report's evidence).
    usable = {"deleted_at": None, "state": {"$ne": DocumentState.REJECTED.value}}
    criteria = {"$and": [{"_id": {"$in": oids}}, usable, scope_to_mongo(principal.scope)]}
    found = {str(raw["_id"]) for raw in await _ids(criteria)}
    missing = [value for value in wanted if value not in found]
    if missing:
        raise CaseError(
            CaseErrorCode.EVIDENCE_NOT_FOUND,
            Text("cases.evidence_not_found", count=len(missing)),
            "evidence",
        )
    return wanted


async def _ids(criteria: dict[str, Any]) -> list[dict[str, Any]]:
    collection = StoredDocument.get_pymongo_collection()
    return await collection.find(criteria, projection={"_id": 1}).to_list()


async def apply_update(
    case: Case, changes: dict[str, Any], *, audit: PendingAudit, push: dict[str, Any] | None = None
) -> Case:
    """One conditional update on the version that was read: the change, its audit entry, the index marker,
    the time and the next version together; CONFLICT when someone changed the case meanwhile. Then the
    entry is linked and the indexing of the change is asked for."""
    update: dict[str, Any] = {
        "$set": {**changes, "needs_index": True, "updated_at": now_utc()},
        "$inc": {"version": 1},
        "$push": {**(push or {}), **push_pending(audit)},
    }
    result = await Case.get_pymongo_collection().update_one({"_id": case.id, "version": case.version}, update)
    if result.modified_count != 1:
        raise CaseError(CaseErrorCode.CONFLICT, Text("cases.changed_meanwhile"))
    await complete(Case, case.id, audit)
    await request_index(INDEX_KIND, case.id)
    fresh = await Case.get(case.id)
    assert fresh is not None
    return fresh
