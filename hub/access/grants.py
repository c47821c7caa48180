"""Partner grants: an agency's read-only, scoped, expiring access, with every read logged.

The token is `pg_<grant id>.<secret>`, shown once at creation; only the secret's hash is stored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from beanie import PydanticObjectId, SortDirection
from bson.errors import InvalidId

from hub.access import credential_cache
from hub.access.credentials import new_token, same_hash, token_hash
from hub.access.errors import AccessError, AccessErrorCode
from hub.access.models import PartnerGrant, PartnerRead
from hub.access.principal import Principal, PrincipalKind
from hub.access.scope import Scope
from hub.audit.linker import complete, complete_insert
from hub.audit.pending import SYSTEM_ACTOR, attach_pending, pending_entry, push_pending
from hub.core.clock import utcnow
from hub.core.paging import Keyset, Page, Position
from hub.i18n import Text
from hub.regions.services import get_regions
from hub.reports.models import ReportType

TOKEN_PREFIX = "pg_"
MAX_GRANT_DAYS = 366
FIELD_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*\.[a-z][A-Za-z0-9]*$")
MAX_LOGGED_QUERY = 10_000
MAX_LOGGED_NAME = 200
MAX_LOGGED_VARIABLE = 500  # characters of one variable's JSON
MAX_LOGGED_VARIABLES = 2_000  # characters of all of them
READS_NEWEST = Keyset("partner-reads", (("at", SortDirection.DESCENDING), ("_id", SortDirection.DESCENDING)))


@dataclass(frozen=True)
class CreatedGrant:
    grant: PartnerGrant
    token: str


def _grant_id(value: str) -> PydanticObjectId:
    try:
        return PydanticObjectId(value)
    except (InvalidId, TypeError, ValueError):
        raise AccessError(AccessErrorCode.GRANT_NOT_FOUND, Text("access.grant_not_found"), "id") from None


async def check_limits(region_roots: list[str], fields: list[str], report_types: list[str]) -> None:
    """What a grant may read must name known regions (at least one), known report types and `Type.field`
    names (at least one); raises INVALID_GRANT or REGION_NOT_FOUND naming the input field."""
    if not region_roots:
        raise AccessError(AccessErrorCode.INVALID_GRANT, Text("access.grant_needs_region"), "regionCodes")
    found = await get_regions(region_roots)
    missing = sorted(set(region_roots) - set(found))
    if missing:
        raise AccessError(
            AccessErrorCode.REGION_NOT_FOUND,
            Text("access.unknown_region_codes", codes=", ".join(missing)),
            "regionCodes",
        )
    report_type_values = {kind.value for kind in ReportType}
    unknown_types = sorted(set(report_types) - report_type_values)
    if unknown_types:  # a type no report has would grant nothing, silently
        raise AccessError(
            AccessErrorCode.INVALID_GRANT,
            Text("access.unknown_report_types", types=", ".join(unknown_types)),
            "reportTypes",
        )
    bad_fields = [name for name in fields if not FIELD_NAME.fullmatch(name)]
    if bad_fields or not fields:
        raise AccessError(AccessErrorCode.INVALID_GRANT, Text("access.grant_fields"), "fields")


def check_expiry(expires_at: datetime, now: datetime) -> None:
    if expires_at <= now or expires_at > now + timedelta(days=MAX_GRANT_DAYS):
        raise AccessError(
            AccessErrorCode.INVALID_GRANT,
            Text("access.grant_expiry_range", max_grant_days=MAX_GRANT_DAYS),
            "expiresAt",
        )


async def create_grant(
    *,
    actor: str,
    agency: str,
    region_roots: list[str],
    fields: list[str],
    expires_at: datetime,
    report_types: list[str] | None = None,
    description: str | None = None,
) -> CreatedGrant:
    if not agency.strip():
        raise AccessError(AccessErrorCode.INVALID_GRANT, Text("access.grant_agency_required"), "agency")
    await check_limits(region_roots, fields, report_types or [])
    now = utcnow()
    check_expiry(expires_at, now)
    secret = new_token()
    grant = PartnerGrant(
        agency=agency.strip(),
        description=description,
        token_hash=token_hash(secret),
        region_roots=sorted(set(region_roots)),
        report_types=sorted(set(report_types or [])),
        fields=sorted(set(fields)),
        expires_at=expires_at,
        created_by=actor,
        created_at=now,
    )
    audit = attach_pending(
        grant,
        actor,
        "partner_grant.create",
        "PartnerGrant",
        {
            "agency": grant.agency,
            "regions": grant.region_roots,
            "fields": grant.fields,
            "expires_at": grant.expires_at.isoformat(),
        },
    )
    await grant.insert()
    await complete_insert(grant, audit)
    return CreatedGrant(grant=grant, token=f"{TOKEN_PREFIX}{grant.id}.{secret}")


async def get_grant(grant_id: str) -> PartnerGrant:
    grant = await PartnerGrant.get(_grant_id(grant_id))
    if grant is None:
        raise AccessError(AccessErrorCode.GRANT_NOT_FOUND, Text("access.grant_not_found"), "id")
    return grant


async def revoke_grant(grant_id: str, *, actor: str = SYSTEM_ACTOR) -> PartnerGrant:
    """Revokes the grant; revoking it again changes (and records) nothing."""
    grant = await get_grant(grant_id)
    audit = pending_entry(actor, "partner_grant.revoke", f"PartnerGrant:{grant.id}", {})
    revoked = await PartnerGrant.get_pymongo_collection().update_one(
        {"_id": grant.id, "revoked_at": None},
        {"$set": {"revoked_at": utcnow()}, "$push": push_pending(audit)},
    )
    if revoked.modified_count:
        await complete(PartnerGrant, grant.id, audit)
        await credential_cache.forget_credentials()
    return await get_grant(grant_id)


def is_partner_token(token: str) -> bool:
    return token.startswith(TOKEN_PREFIX)


async def _grant_of_token(grant_id: str) -> PartnerGrant | None:
    """The grant a token names, remembered a few seconds (hub.access.credential_cache); its secret,
    revocation and expiry are checked by the caller at every request."""
    max_age = credential_cache.max_age_seconds()
    key = (PartnerGrant.get_pymongo_collection().database.name, grant_id)
    remembered = credential_cache.grants.get(key, max_age)
    if remembered is not None:
        return remembered
    generation = credential_cache.grants.generation
    try:
        grant = await PartnerGrant.get(PydanticObjectId(grant_id))
    except (InvalidId, TypeError, ValueError):
        return None
    if grant is not None and max_age > 0:
        credential_cache.grants.put(key, grant, generation)
    return grant


async def principal_from_partner_token(token: str) -> Principal:
    grant_id, _, secret = token.removeprefix(TOKEN_PREFIX).partition(".")
    grant = await _grant_of_token(grant_id)
    if grant is None or not same_hash(grant.token_hash, token_hash(secret)):
        raise AccessError(AccessErrorCode.INVALID_TOKEN, Text("access.partner_token_invalid"))
    if grant.revoked_at is not None:
        raise AccessError(AccessErrorCode.INVALID_TOKEN, Text("access.partner_grant_revoked"))
    if grant.expires_at <= utcnow():
        raise AccessError(AccessErrorCode.TOKEN_EXPIRED, Text("access.partner_grant_expired"))
    return Principal(
        kind=PrincipalKind.PARTNER,
        id=str(grant.id),
        name=grant.agency,
        scope=grant_scope(grant),
        agency=grant.agency,
    )


def grant_scope(grant: PartnerGrant) -> Scope:
    """What a grant may see: its region subtrees, report types (none listed: every type), fields, expiry.
    The one place a grant becomes a scope (requests, subscriptions and webhooks alike)."""
    return Scope.subtrees(
        grant.region_roots,
        report_types=frozenset(grant.report_types) or None,
        fields=frozenset(grant.fields),
        expires_at=grant.expires_at,
    )


def bounded_variables(given: Mapping[str, Any], declared: Iterable[str]) -> dict[str, Any]:
    """The variables worth logging: only those the operation declares (others never reach a resolver), each
    cut to MAX_LOGGED_VARIABLE characters of JSON, and no more than MAX_LOGGED_VARIABLES in all."""
    kept: dict[str, Any] = {}
    room = MAX_LOGGED_VARIABLES
    for name in declared:
        if name not in given:
            continue
        text = json.dumps(given[name], ensure_ascii=False, default=str)
        value = given[name] if len(text) <= MAX_LOGGED_VARIABLE else f"{text[:MAX_LOGGED_VARIABLE]}…"
        size = min(len(text), MAX_LOGGED_VARIABLE + 1)
        if size > room:
            kept[name] = f"… ({len(text)} characters left out)"
            room = 0
            continue
        kept[name] = value
        room -= size
    return kept


async def log_partner_read(
    principal: Principal,
    *,
    operation_name: str | None,
    query: str,
    query_sha256: str,
    variables: Mapping[str, Any],
    declared_variables: Iterable[str],
    object_ids: list[str],
    fields: list[str],
) -> None:
    """`query` is the normalized operation (its hash is of the whole of it); `object_ids` the global ids of
    every object read; `fields` the record fields asked for."""
    assert principal.kind is PrincipalKind.PARTNER and principal.id is not None
    await PartnerRead(
        grant_id=PydanticObjectId(principal.id),
        agency=principal.name,
        operation_name=operation_name[:MAX_LOGGED_NAME] if operation_name else None,
        query=query[:MAX_LOGGED_QUERY],
        query_sha256=query_sha256,
        variables=bounded_variables(variables, declared_variables),
        object_ids=object_ids,
        fields=fields,
    ).insert()


async def list_partner_reads(
    grant_id: str | None, *, after: Position | None, first: int
) -> Page[PartnerRead]:
    """A page of reads through partner grants (one grant's, given its id), newest first (READS_NEWEST)."""
    criteria: dict[str, Any] = {}
    if grant_id:
        criteria["grant_id"] = _grant_id(grant_id)
    return await READS_NEWEST.page(PartnerRead, criteria, after, first)
