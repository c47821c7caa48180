"""How much of what each scale generates, and over which quarters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from hub.reports.models import Period


class Scale(StrEnum):
    SMALL = "small"  # `make run`: two provinces fully populated, a few hundred reports
    NATIONAL = "national"  # every region: ~200k reports, ~100k documents


@dataclass(frozen=True)
class Plan:
    scale: Scale
    provinces: tuple[str, ...] | None  # the provinces whose subtrees get data; None: every region
    years: int
    incidents_per_quarter: float  # per region, on average
    documents_per_region: int
    cases_per_region: int
    scanned_share: float  # documents that are scanned images (text for OCR) rather than text PDFs
    # National: this many distinct files, stored once and shared by the documents of every region (each file
    # at most once per region, as the hub dedupes by content per region). Small: one file per document.
    pooled_files: int | None


PLANS = {
    Scale.SMALL: Plan(
        scale=Scale.SMALL,
        provinces=("31", "34"),  # DKI Jakarta and DI Yogyakarta: 13 regions
        years=10,
        incidents_per_quarter=0.3,
        documents_per_region=6,
        cases_per_region=3,
        scanned_share=0.2,
        pooled_files=None,
    ),
    Scale.NATIONAL: Plan(
        scale=Scale.NATIONAL,
        provinces=None,
        years=10,
        incidents_per_quarter=8.07,  # 552 regions x 40 quarters: ~178k incidents + ~22k quarterly reports
        documents_per_region=182,  # ~100k documents
        cases_per_region=36,  # ~20k cases
        scanned_share=0.15,
        pooled_files=240,
    ),
}


def quarters(until: date, years: int) -> list[Period]:
    """The `years` x 4 quarters that ended before the quarter of `until`, oldest first."""
    year, quarter = until.year, (until.month - 1) // 3 + 1
    periods = []
    for _ in range(years * 4):
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        periods.append(Period(year=year, quarter=quarter))
    return list(reversed(periods))
