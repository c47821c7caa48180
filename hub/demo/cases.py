"""Cases (obstacles followed up), raised from the quarterly reports that had something to follow up."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hub.cases.models import Case, CaseCategory, CaseStatus, FollowUp, Resolution
from hub.demo.context import Run
from hub.demo.vocabulary import fill, paragraph, pick, vocabulary
from hub.regions.models import Region
from hub.reports.models import Report, RiskLevel

CATEGORY_WEIGHTS = {
    CaseCategory.LOGISTICS: 22,
    CaseCategory.NPHD: 20,
    CaseCategory.SECURITY: 18,
    CaseCategory.PERSONNEL: 8,
    CaseCategory.POPULATION_DATA: 12,
    CaseCategory.NEUTRALITY: 12,
    CaseCategory.OTHER: 8,
}


def region_cases(run: Run, region: Region, reports: list[tuple[Report, dict[str, Any]]]) -> list[Case]:
    """`cases_per_region` cases, each from one of the region's submitted quarterly reports."""
    rng = run.keys.rng("cases", region.id)
    sources = [report for report, _facts in reports if report.first_submitted_at is not None]
    if not sources:
        return []
    chosen = sorted(rng.sample(range(len(sources)), min(run.plan.cases_per_region, len(sources))))
    return [_case(run, region, sources[index], number) for number, index in enumerate(chosen)]


def _case(run: Run, region: Region, source: Report, number: int) -> Case:
    rng = run.keys.rng("case", region.id, number)
    category = rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]
    texts = vocabulary()["cases"]
    own = texts[category.value]
    context = {"region": region.name}
    assert source.first_submitted_at is not None
    opened = source.first_submitted_at + timedelta(days=rng.randint(0, 5))
    due = opened + timedelta(days=rng.choice((14, 30, 45, 60)))
    coordinator = run.coordinator(region)
    follow_ups = [
        FollowUp(
            actor=coordinator,
            at=opened + timedelta(days=step * rng.randint(3, 10)),
            note=fill(rng.choice(texts["follow_up"]), rng, context),
        )
        for step in range(1, rng.randint(1, 3) + 1)
    ]
    old = due < run.now - timedelta(days=90)
    roll = rng.random()
    status = CaseStatus.RESOLVED if old and roll < 0.9 else rng.choice(list(CaseStatus))
    resolution = None
    if status is CaseStatus.RESOLVED:
        resolution = Resolution(
            actor=coordinator,
            at=min(due + timedelta(days=rng.randint(-10, 10)), run.now - timedelta(days=1)),
            note=fill(rng.choice(texts["resolution"]), rng, context),
        )
    elif status is CaseStatus.OPEN:
        follow_ups = []
    case_id = run.keys.object_id(opened, "case", region.id, number)
    updated = max([opened, *(entry.at for entry in follow_ups), *([resolution.at] if resolution else [])])
    return Case(
        id=case_id,
        region_code=region.id,
        region_path=region.subtree_codes,
        title=fill(rng.choice(own["title"]), rng, context),
        description=paragraph(own["description"], rng, context, 2) + " " + pick(rng, "recommendations") + ".",
        category=category,
        severity=rng.choices(list(RiskLevel), weights=(40, 35, 20, 5))[0],
        status=status,
        source_report_id=source.id,
        election_id=source.election_id,
        stage_code=source.stage_code,
        due_at=due,
        opened_by=coordinator,
        follow_ups=follow_ups,
        resolution=resolution,
        idempotency_key=f"demo:{case_id}",
        version=1 + len(follow_ups) + (1 if resolution else 0),
        created_at=opened,
        updated_at=updated,
    )
