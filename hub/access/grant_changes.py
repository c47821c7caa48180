"""Changing a partner grant without making a new one: extend its expiry, narrow or widen what it reads, and
rotate its token. Each change is audited with the values before and after (never a token or its hash), and
takes effect on the grant's next request; open WebSocket connections check their grant again before each
event they deliver (schema.subscriptions.connection), so no event goes out on a rotated or narrowed grant.

Decisions:
- Extending moves the expiry later only (shortening it is narrowing in time: revoke, or extend no further);
  an expired grant may be extended (a lapsed agreement renewed), a revoked one may not (revoking is final).
- Narrowing keeps every region within a region of the grant, every field and report type among the grant's
  (an empty list of report types is every type); anything else is refused with NOT_NARROWER.
- Widening is a new decision, so it is a mutation of its own for admins, with a required reason recorded in
  the audit entry (`partner_grant.widen`), not a side effect of editing a grant.
- Rotating replaces the token's hash: the old token is refused from the next request on. A webhook's
  signing secret does not derive from the token (hub.webhooks.secrets), so deliveries carry on unchanged.
- Each write is compare-and-set on what was read, so two admins changing one grant at once cannot undo each
  other silently (CONFLICT).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hub.access import credential_cache
from hub.access.credentials import new_token, token_hash
from hub.access.errors import AccessError, AccessErrorCode
from hub.access.grants import TOKEN_PREFIX, CreatedGrant, check_expiry, check_limits, get_grant
from hub.access.models import PartnerGrant
from hub.audit.linker import complete
from hub.audit.pending import pending_entry, push_pending
from hub.audit.values import before_after
from hub.core.clock import utcnow
from hub.i18n import Text
from hub.regions.services import get_regions

MAX_REASON = 500


async def _live(grant_id: str) -> PartnerGrant:
    grant = await get_grant(grant_id)
    if grant.revoked_at is not None:
        raise AccessError(AccessErrorCode.GRANT_REVOKED, Text("access.grant_revoked"), "id")
    return grant


async def _apply(
    grant: PartnerGrant,
    *,
    actor: str,
    action: str,
    expected: dict[str, Any],
    changes: dict[str, Any],
    change: dict[str, Any],
) -> PartnerGrant:
    """Sets `changes` if the grant still holds `expected` and is not revoked, in the same update as its
    audit entry (`change`); CONFLICT when another change came first."""
    audit = pending_entry(actor, action, f"PartnerGrant:{grant.id}", change)
    written = await PartnerGrant.get_pymongo_collection().update_one(
        {"_id": grant.id, "revoked_at": None, **expected},
        {"$set": changes, "$push": push_pending(audit)},
    )
    if not written.modified_count:
        raise AccessError(AccessErrorCode.CONFLICT, Text("access.grant_conflict"))
    await complete(PartnerGrant, grant.id, audit)
    await credential_cache.forget_credentials()  # a narrower scope or an expiry: tokens read afresh
    return await get_grant(str(grant.id))


async def extend_grant(grant_id: str, *, actor: str, expires_at: datetime) -> PartnerGrant:
    """Moves the grant's expiry later (within MAX_GRANT_DAYS from now)."""
    grant = await _live(grant_id)
    check_expiry(expires_at, utcnow())
    if expires_at <= grant.expires_at:
        raise AccessError(AccessErrorCode.INVALID_GRANT, Text("access.grant_expiry_not_later"), "expiresAt")
    return await _apply(
        grant,
        actor=actor,
        action="partner_grant.extend",
        expected={"expires_at": grant.expires_at},
        changes={"expires_at": expires_at},
        change=before_after({"expires_at": grant.expires_at}, {"expires_at": expires_at}),
    )


async def _outside(old_roots: list[str], new_roots: list[str]) -> list[str]:
    """The new region codes that lie in none of the old subtrees."""
    found = await get_regions(new_roots)
    old = set(old_roots)
    return sorted(code for code in new_roots if old.isdisjoint(found[code].subtree_codes))


async def change_grant_limits(
    grant_id: str,
    *,
    actor: str,
    region_roots: list[str] | None = None,
    fields: list[str] | None = None,
    report_types: list[str] | None = None,
    widen_reason: str | None = None,
) -> PartnerGrant:
    """Sets the grant's regions, fields and report types (those given; `report_types=[]` is every type).
    Without `widen_reason`, only narrowing is accepted (NOT_NARROWER otherwise); with it, any change is,
    recorded as `partner_grant.widen` with the reason."""
    grant = await _live(grant_id)
    regions = sorted(set(region_roots)) if region_roots is not None else grant.region_roots
    granted = sorted(set(fields)) if fields is not None else grant.fields
    types = sorted(set(report_types)) if report_types is not None else grant.report_types
    await check_limits(regions, granted, types)
    before = {"region_roots": grant.region_roots, "fields": grant.fields, "report_types": grant.report_types}
    after = {"region_roots": regions, "fields": granted, "report_types": types}
    if before == after:
        raise AccessError(AccessErrorCode.INVALID_GRANT, Text("access.grant_unchanged"))
    change = before_after(before, after)
    if widen_reason is None:
        await _check_narrower(grant, regions, granted, types)
        action = "partner_grant.narrow"
    else:
        reason = widen_reason.strip()
        if not reason or len(reason) > MAX_REASON:
            raise AccessError(
                AccessErrorCode.INVALID_GRANT, Text("access.grant_reason", max_reason=MAX_REASON), "reason"
            )
        change["reason"] = reason
        action = "partner_grant.widen"
    return await _apply(grant, actor=actor, action=action, expected=before, changes=after, change=change)


async def _check_narrower(
    grant: PartnerGrant, regions: list[str], fields: list[str], types: list[str]
) -> None:
    outside = await _outside(grant.region_roots, regions)
    if outside:
        raise AccessError(
            AccessErrorCode.NOT_NARROWER,
            Text("access.narrower_regions", regions=", ".join(outside)),
            "regionCodes",
        )
    added = sorted(set(fields) - set(grant.fields))
    if added:
        raise AccessError(
            AccessErrorCode.NOT_NARROWER,
            Text("access.narrower_fields", fields=", ".join(added)),
            "fields",
        )
    every_type_before = not grant.report_types
    if not every_type_before and (not types or set(types) - set(grant.report_types)):
        raise AccessError(
            AccessErrorCode.NOT_NARROWER,
            Text("access.narrower_report_types"),
            "reportTypes",
        )


async def rotate_grant_token(grant_id: str, *, actor: str) -> CreatedGrant:
    """A new token for the grant; the old one is refused from now on. Nothing else changes."""
    grant = await _live(grant_id)
    secret = new_token()
    updated = await _apply(
        grant,
        actor=actor,
        action="partner_grant.rotate_token",
        expected={"token_hash": grant.token_hash},
        changes={"token_hash": token_hash(secret)},
        # Which secret changed, never its values (hub.audit.values marks them).
        change=before_after({"token_hash": grant.token_hash}, {"token_hash": token_hash(secret)}),
    )
    return CreatedGrant(grant=updated, token=f"{TOKEN_PREFIX}{updated.id}.{secret}")
