"""Creating elections, setting their stages, and reading them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from beanie import PydanticObjectId, SortDirection
from beanie.odm.utils.encoder import Encoder
from bson.errors import InvalidId
from pymongo.errors import DuplicateKeyError

from hub.access.principal import Principal
from hub.access.roles import Role
from hub.audit.linker import complete, complete_insert
from hub.audit.pending import SYSTEM_ACTOR, attach_pending, pending_entry, push_pending
from hub.core.clock import utcnow
from hub.core.idempotency import earlier, insert_once, request_key
from hub.core.paging import Keyset, Page, Position
from hub.elections.errors import ElectionError, ElectionErrorCode
from hub.elections.models import Election, ElectionKind, Stage
from hub.elections.validation import (
    check_year,
    clean_name,
    clean_region_roots,
    clean_stage,
    clean_stages,
    ordered,
)
from hub.i18n import Text
from hub.sync.since import listing_keyset, since_criteria

# Who may create elections and change their calendars: central staff.
MANAGER_ROLES = frozenset({Role.ADMIN, Role.REVIEWER})
UPSERT_ATTEMPTS = 3
ELECTION_CREATE = "election.create"  # the kind of creation its idempotency keys name


def can_manage_elections(principal: Principal) -> bool:
    return not principal.is_partner and principal.role in MANAGER_ROLES


# Newest year first, then the newest created first.
ELECTIONS_NEWEST = Keyset(
    "elections", (("year", SortDirection.DESCENDING), ("_id", SortDirection.DESCENDING))
)


def election_object_id(value: str, field: str = "id") -> PydanticObjectId:
    try:
        return PydanticObjectId(value)
    except (InvalidId, TypeError, ValueError):
        raise ElectionError(
            ElectionErrorCode.ELECTION_NOT_FOUND, Text("elections.election_not_found"), field
        ) from None


async def get_election(election_id: str, field: str = "id") -> Election:
    election = await Election.get(election_object_id(election_id, field))
    if election is None:
        raise ElectionError(ElectionErrorCode.ELECTION_NOT_FOUND, Text("elections.election_not_found"), field)
    return election


async def get_stage(election_id: str, stage_code: str) -> tuple[Election, Stage]:
    """The election and its stage, for records that refer to a stage (reports, cases); errors name
    `election` or `stageCode`."""
    election = await get_election(election_id, "election")
    stage = election.stage(stage_code)
    if stage is None:
        raise ElectionError(
            ElectionErrorCode.STAGE_NOT_FOUND,
            Text("elections.stage_not_found", stage_code=stage_code),
            "stageCode",
        )
    return election, stage


async def get_elections(ids: Sequence[str]) -> dict[str, Election]:
    """Elections by id in one query; unknown or malformed ids are left out."""
    wanted = []
    for value in ids:
        try:
            wanted.append(PydanticObjectId(value))
        except (InvalidId, TypeError, ValueError):
            continue
    found = await Election.find({"_id": {"$in": wanted}}).to_list()
    return {str(election.id): election for election in found}


async def create_election(
    *,
    actor: str,
    kind: ElectionKind,
    name: str,
    year: int,
    region_codes: Sequence[str],
    stages: Sequence[Stage],
    client_mutation_id: str | None = None,
) -> tuple[Election, bool]:
    """The new election and True; or, for a retried `client_mutation_id`, the first one and False."""
    key = request_key(ELECTION_CREATE, actor, client_mutation_id)
    first = await earlier(Election, key)
    if first is not None:
        return first, False
    election = Election(
        kind=kind,
        name=clean_name(name, "name"),
        year=check_year(year),
        region_roots=await clean_region_roots(kind, region_codes),
        stages=clean_stages(stages),
        created_by=actor,
        client_mutation_id=client_mutation_id,
    )
    audit = attach_pending(
        election,
        actor,
        "election.create",
        "Election",
        {
            "kind": election.kind.value,
            "name": election.name,
            "year": election.year,
            "regions": election.region_roots,
            "stages": [stage_change(stage) for stage in election.stages],
        },
    )
    try:
        winner = await insert_once(election, key)
    except DuplicateKeyError:
        raise ElectionError(
            ElectionErrorCode.DUPLICATE_ELECTION,
            Text("elections.duplicate_election", kind=kind.value, year=year, name=election.name),
            "name",
        ) from None
    if winner is not None:  # the same request, retried at the same moment, was inserted first
        return winner, False
    await complete_insert(election, audit)
    return election, True


def stage_change(stage: Stage) -> dict[str, str | None]:
    """A stage as an audit entry records it."""
    return {
        "code": stage.code,
        "name": stage.name,
        "starts_on": stage.starts_on.isoformat(),
        "ends_on": stage.ends_on.isoformat(),
        "logistics_deadline": stage.logistics_deadline.isoformat() if stage.logistics_deadline else None,
    }


@dataclass(frozen=True)
class StageUpsert:
    election: Election
    stage: Stage
    replaced: Stage | None


async def upsert_stage(election_id: str, stage: Stage, *, actor: str = SYSTEM_ACTOR) -> StageUpsert:
    """Add the stage, or replace the one with its code (the replaced one is returned too). Setting a stage
    does not depend on the others, so a write that lost a race is simply applied again on a fresh read."""
    tidy = clean_stage(stage)
    for _ in range(UPSERT_ATTEMPTS):
        election = await get_election(election_id)
        previous = election.stage(tidy.code)
        stages = ordered([*(kept for kept in election.stages if kept.code != tidy.code), tidy])
        stored: Any = Encoder(to_db=True).encode(stages)
        change: dict[str, object] = {"stage": stage_change(tidy)}
        if previous is not None:
            change["replaced"] = stage_change(previous)
        audit = pending_entry(actor, "election.stage_upsert", f"Election:{election.id}", change)
        result = await Election.get_pymongo_collection().update_one(
            {"_id": election.id, "version": election.version},
            {
                "$set": {"stages": stored, "updated_at": utcnow()},
                "$inc": {"version": 1},
                "$push": push_pending(audit),
            },
        )
        if result.modified_count == 1:
            await complete(Election, election.id, audit)
            return StageUpsert(await get_election(election_id), tidy, previous)
    raise ElectionError(ElectionErrorCode.CONFLICT, Text("elections.conflict"))


def elections_order(updated_since: datetime | None) -> Keyset:
    """ELECTIONS_NEWEST, or the sync order when the listing is asked for changes (hub.sync.since)."""
    return listing_keyset("elections", updated_since, ELECTIONS_NEWEST)


async def list_elections(
    *, after: Position | None, first: int, updated_since: datetime | None = None
) -> Page[Election]:
    """Every election (changed since `updated_since`, when given), in `elections_order`."""
    return await elections_order(updated_since).page(Election, since_criteria(updated_since), after, first)
