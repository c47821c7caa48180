"""Checks on election and stage input: each failure names the input field at fault and changes nothing."""

from __future__ import annotations

import re
from collections.abc import Sequence

from hub.elections.errors import ElectionError, ElectionErrorCode
from hub.elections.models import ElectionKind, Stage
from hub.i18n import Text
from hub.regions.services import get_regions

STAGE_CODE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
MAX_CODE_LENGTH = 60
MAX_NAME_LENGTH = 200
MIN_YEAR, MAX_YEAR = 2000, 2100
NATIONAL_ROOT = "ID"


def clean_name(name: str, field: str, code: ElectionErrorCode = ElectionErrorCode.INVALID_ELECTION) -> str:
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > MAX_NAME_LENGTH:
        raise ElectionError(code, Text("elections.name_length", max_length=MAX_NAME_LENGTH), field)
    return cleaned


def clean_stage(stage: Stage, field: str = "stage") -> Stage:
    """The stage with code and name tidied, or an error naming `field.<part>`."""
    code = stage.code.strip().lower()
    if not STAGE_CODE.fullmatch(code) or len(code) > MAX_CODE_LENGTH:
        raise ElectionError(
            ElectionErrorCode.INVALID_STAGE,
            Text("elections.stage_code_format", max_code_length=MAX_CODE_LENGTH, code=stage.code),
            f"{field}.code",
        )
    name = clean_name(stage.name, f"{field}.name", ElectionErrorCode.INVALID_STAGE)
    if stage.ends_on < stage.starts_on:
        raise ElectionError(
            ElectionErrorCode.INVALID_DATES,
            Text(
                "elections.stage_ends_before_start",
                code=code,
                ends_on=stage.ends_on,
                starts_on=stage.starts_on,
            ),
            f"{field}.endsOn",
        )
    if stage.logistics_deadline is not None and stage.logistics_deadline > stage.ends_on:
        raise ElectionError(
            ElectionErrorCode.INVALID_DATES,
            Text(
                "elections.logistics_after_end",
                code=code,
                logistics_deadline=stage.logistics_deadline,
                ends_on=stage.ends_on,
            ),
            f"{field}.logisticsDeadline",
        )
    return stage.model_copy(update={"code": code, "name": name})


def clean_stages(stages: Sequence[Stage]) -> list[Stage]:
    """Each stage checked, codes unique, ordered by start date then code."""
    cleaned: list[Stage] = []
    seen: set[str] = set()
    for position, stage in enumerate(stages):
        field = f"stages[{position}]"
        tidy = clean_stage(stage, field)
        if tidy.code in seen:
            raise ElectionError(
                ElectionErrorCode.DUPLICATE_STAGE,
                Text("elections.duplicate_stage", code=tidy.code),
                f"{field}.code",
            )
        seen.add(tidy.code)
        cleaned.append(tidy)
    return ordered(cleaned)


def ordered(stages: Sequence[Stage]) -> list[Stage]:
    return sorted(stages, key=lambda stage: (stage.starts_on, stage.code))


def check_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ElectionError(
            ElectionErrorCode.INVALID_ELECTION,
            Text("elections.year_range", min_year=MIN_YEAR, max_year=MAX_YEAR),
            "year",
        )
    return year


async def clean_region_roots(kind: ElectionKind, codes: Sequence[str]) -> list[str]:
    """A Pemilu covers the whole country; a Pilkada names existing regions (any level)."""
    wanted = sorted({code.strip() for code in codes if code.strip()})
    if kind is ElectionKind.PEMILU:
        if wanted and wanted != [NATIONAL_ROOT]:
            raise ElectionError(
                ElectionErrorCode.INVALID_ELECTION,
                Text("elections.pemilu_national", national_root=NATIONAL_ROOT),
                "regionCodes",
            )
        wanted = [NATIONAL_ROOT]
    if not wanted:
        raise ElectionError(
            ElectionErrorCode.INVALID_ELECTION, Text("elections.pilkada_needs_region"), "regionCodes"
        )
    found = await get_regions(wanted)
    missing = [code for code in wanted if code not in found]
    if missing:
        raise ElectionError(
            ElectionErrorCode.REGION_NOT_FOUND,
            Text("elections.unknown_region_codes", codes=", ".join(missing)),
            "regionCodes",
        )
    return wanted
