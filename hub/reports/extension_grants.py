"""Granting and revoking deadline extensions: by the level above the region, with a reason, audited.

Who: a province's coordinator for its regencies and cities; the centre (central reviewers) for provinces,
regencies and cities. A region outside the principal's scope answers REGION_NOT_FOUND (an extension outside
it, EXTENSION_NOT_FOUND), exactly as one that does not exist. Checks run before anything is written, in a
fixed order: scope, authority, period, dates, reason; a refused request changes nothing.

A grant retried with the same `clientMutationId` answers the first extension (hub.core.idempotency); a
revocation retried by whoever revoked answers the extension as it is.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from beanie import PydanticObjectId
from bson.errors import InvalidId
from pymongo.errors import DuplicateKeyError

from hub.access.principal import Principal
from hub.access.roles import Role
from hub.audit.linker import complete, complete_insert
from hub.audit.pending import attach_pending, pending_entry, push_pending
from hub.core.clock import storable_time, utcnow
from hub.core.idempotency import earlier, insert_once, request_key
from hub.i18n import Text
from hub.regions.services import get_region
from hub.reports.deadlines import quarterly_due
from hub.reports.errors import ExtensionError, ExtensionErrorCode
from hub.reports.extensions import DeadlineExtension, active_key, follow_reports, forget_extensions
from hub.reports.models import Period
from hub.settings import Settings

GRANT = "deadline_extension.grant"
MAX_REASON_LENGTH = 2000
MAX_EXTENSION = timedelta(days=366)  # past a year the period is history, not a deadline
NATIONAL_DEPTH = 1
PROVINCE_DEPTH = 2
E = ExtensionErrorCode


def may_extend(principal: Principal, region_path: list[str]) -> bool:
    """The level above: the centre for provinces, regencies and cities; a province's coordinator for the
    regencies and cities directly under it. Nobody extends the nation."""
    if len(region_path) <= NATIONAL_DEPTH:
        return False
    if principal.role is Role.REVIEWER:
        return True
    return (
        principal.role is Role.COORDINATOR
        and len(region_path) > PROVINCE_DEPTH
        and principal.region_code == region_path[-2]
    )


def parse_period(key: str) -> Period:
    year, separator, quarter = key.partition("-Q")
    try:
        if not separator:
            raise ValueError(key)
        return Period(year=int(year), quarter=int(quarter))
    except ValueError:
        raise ExtensionError(
            E.INVALID_PERIOD, Text("reports.extension_period", period=key[:40]), "period"
        ) from None


def _reason(text: str | None, field: str, required: bool = True) -> str | None:
    cleaned = (text or "").strip()
    if not cleaned:
        if required:
            raise ExtensionError(E.REASON_REQUIRED, Text("reports.reason_required"), field)
        return None
    if len(cleaned) > MAX_REASON_LENGTH:
        raise ExtensionError(
            E.REASON_TOO_LONG, Text("reports.reason_too_long", max_reason_length=MAX_REASON_LENGTH), field
        )
    return cleaned


async def _target(principal: Principal, region_code: str) -> list[str]:
    """The region's path, when the principal sees it and may extend its deadlines."""
    region = await get_region(region_code)
    if region is None or not principal.scope.covers(region.subtree_codes):
        raise ExtensionError(
            E.REGION_NOT_FOUND, Text("reports.extension_region_not_found", region=region_code[:40]), "region"
        )
    if not may_extend(principal, region.subtree_codes):
        raise ExtensionError(
            E.PERMISSION_DENIED,
            Text("reports.extend_level_above"),
            "region",
        )
    return region.subtree_codes


def _check_date(due_at: datetime, base: datetime, now: datetime) -> datetime:
    due = storable_time(due_at)
    if due <= now:
        raise ExtensionError(E.INVALID_DEADLINE, Text("reports.deadline_in_future"), "dueAt")
    if due <= base:
        raise ExtensionError(
            E.INVALID_DEADLINE,
            Text("reports.deadline_after_period", base=base),
            "dueAt",
        )
    if due > base + MAX_EXTENSION:
        raise ExtensionError(
            E.INVALID_DEADLINE,
            Text("reports.extension_max_days", days=MAX_EXTENSION.days),
            "dueAt",
        )
    return due


async def grant_extension(
    settings: Settings,
    principal: Principal,
    *,
    region_code: str,
    period_key: str,
    due_at: datetime,
    reason: str,
    client_mutation_id: str | None = None,
) -> tuple[DeadlineExtension, bool]:
    """(the extension, True) when granted now; (the first one, False) for a retry of the same request."""
    key = request_key(GRANT, principal.actor, client_mutation_id)
    first = await earlier(DeadlineExtension, key)
    if first is not None:
        return _still_visible(principal, first), False
    path = await _target(principal, region_code)
    period = parse_period(period_key)
    base = quarterly_due(period, settings.quarterly_report_due_days)
    due = _check_date(due_at, base, utcnow())
    text = _reason(reason, "reason")
    assert text is not None
    extension = DeadlineExtension(
        region_code=region_code,
        region_path=path,
        period_key=period.key,
        base_due_at=base,
        due_at=due,
        reason=text,
        granted_by=principal.actor,
        active_key=active_key(region_code, period.key),
    )
    audit = attach_pending(
        extension,
        principal.actor,
        GRANT,
        "DeadlineExtension",
        {"region": region_code, "period": period.key, "due_at": due.isoformat()},
    )
    try:
        winner = await insert_once(extension, key)
    except DuplicateKeyError:
        raise ExtensionError(
            E.ALREADY_EXTENDED,
            Text("reports.already_extended", region_code=region_code, key=period.key),
            "period",
        ) from None
    if winner is not None:
        return _still_visible(principal, winner), False
    await complete_insert(extension, audit)
    await forget_extensions()
    await follow_reports(region_code, period.key)
    return extension, True


def _still_visible(principal: Principal, extension: DeadlineExtension) -> DeadlineExtension:
    if not principal.scope.covers(extension.region_path):
        raise ExtensionError(E.EXTENSION_NOT_FOUND, Text("reports.extension_not_found"), "id")
    return extension


async def load_extension(principal: Principal, extension_id: str) -> DeadlineExtension:
    """The extension, or EXTENSION_NOT_FOUND — also when it lies outside the principal's scope."""
    try:
        found = await DeadlineExtension.get(PydanticObjectId(extension_id))
    except (InvalidId, TypeError, ValueError):
        found = None
    if found is None:
        raise ExtensionError(E.EXTENSION_NOT_FOUND, Text("reports.extension_not_found"), "id")
    return _still_visible(principal, found)


async def revoke_extension(
    principal: Principal, extension_id: str, reason: str | None = None
) -> DeadlineExtension:
    """Ends an extension: the region's deadline for the period is the base one again. Kept for the history."""
    extension = await load_extension(principal, extension_id)
    if not may_extend(principal, extension.region_path):
        raise ExtensionError(E.PERMISSION_DENIED, Text("reports.revoke_level_above"), "id")
    if extension.revoked_at is not None:
        if extension.revoked_by == principal.actor:
            return extension  # a retry of the revocation that succeeded
        raise ExtensionError(E.ALREADY_REVOKED, Text("reports.already_revoked"), "id")
    text = _reason(reason, "reason", required=False)
    now = storable_time(utcnow())
    audit = pending_entry(
        principal.actor, "deadline_extension.revoke", f"DeadlineExtension:{extension.id}", {"reason": text}
    )
    result = await DeadlineExtension.get_pymongo_collection().update_one(
        {"_id": extension.id, "version": extension.version, "revoked_at": None},
        {
            "$set": {"revoked_at": now, "revoked_by": principal.actor, "revoke_reason": text},
            "$unset": {"active_key": ""},
            "$inc": {"version": 1},
            "$push": push_pending(audit),
        },
    )
    if result.modified_count != 1:
        fresh = await load_extension(principal, extension_id)
        if fresh.revoked_by == principal.actor:
            return fresh
        raise ExtensionError(E.ALREADY_REVOKED, Text("reports.revoked_meanwhile"), "id")
    await complete(DeadlineExtension, extension.id, audit)
    await forget_extensions()
    await follow_reports(extension.region_code, extension.period_key)
    return await load_extension(principal, extension_id)
