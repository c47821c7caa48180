"""Quarterly reports (one per region and quarter) and incident reports, with what review did to them."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from hub.demo.context import Run
from hub.demo.elections import stage_during
from hub.demo.vocabulary import fill, paragraph, pick, vocabulary
from hub.documents.models import DocumentCategory, StoredDocument
from hub.regions.models import Region
from hub.reports.deadlines import incident_due, quarter_end, quarterly_due
from hub.reports.models import (
    IncidentCategory,
    IncidentDetails,
    PeopleInvolved,
    Period,
    Report,
    ReportRevision,
    ReportStatus,
    ReportType,
    ReviewEvent,
    RiskLevel,
)
from hub.reports.templates import INCIDENT_V1, NPHD_SIGNED, QUARTERLY_V1, TEAM_DECREE_IN_PLACE

QUARTERLY_DUE_DAYS = 15  # the default deadlines (hub.settings); the demo does not read the deployment's
INCIDENT_DUE_HOURS = 24
RISK = {"rendah": RiskLevel.LOW, "sedang": RiskLevel.MEDIUM, "tinggi": RiskLevel.HIGH}
INCIDENT_WEIGHTS = {
    IncidentCategory.DEMONSTRATION: 35,
    IncidentCategory.CONFLICT: 12,
    IncidentCategory.SECURITY_DISTURBANCE: 13,
    IncidentCategory.NEUTRALITY_BREACH: 10,
    IncidentCategory.MONEY_POLITICS: 8,
    IncidentCategory.ELECTION_LOGISTICS: 7,
    IncidentCategory.OTHER: 15,
}
SEVERITY_WEIGHTS = {RiskLevel.LOW: 50, RiskLevel.MEDIUM: 32, RiskLevel.HIGH: 14, RiskLevel.CRITICAL: 4}


def _reviewed(
    run: Run, region: Region, rng: random.Random, submitted: datetime, latest: bool, author: str
) -> tuple[ReportStatus, list[ReviewEvent]]:
    """Where review has taken a submitted report: the older, the further along."""
    reviewer = run.reviewer_of(region)
    events = [ReviewEvent(action="submit", actor=author, at=submitted, revision=1)]
    roll = rng.random()
    later = submitted + timedelta(days=rng.randint(1, 10))
    if latest and roll < 0.45:
        return ReportStatus.SUBMITTED, events
    if latest and roll < 0.6:
        note = "Lengkapi data dukung NPHD dan narasi analisis."
        events.append(ReviewEvent(action="return", actor=reviewer, at=later, revision=1, note=note))
        return ReportStatus.RETURNED, events
    events.append(ReviewEvent(action="verify", actor=reviewer, at=later, revision=1))
    if latest or roll < 0.1:
        return ReportStatus.VERIFIED, events
    evaluated = later + timedelta(days=rng.randint(5, 30))
    events.append(ReviewEvent(action="evaluate", actor="user:demo-reviewer", at=evaluated, revision=1))
    if roll < 0.55:
        return ReportStatus.EVALUATED, events
    events.append(ReviewEvent(action="archive", actor="user:demo-reviewer", at=evaluated, revision=1))
    return ReportStatus.ARCHIVED, events


def _evidence(documents: list[StoredDocument], category: DocumentCategory) -> list[str]:
    return [str(document.id) for document in documents if document.category is category][:1]


def quarterly(
    run: Run, region: Region, period: Period, documents: list[StoredDocument]
) -> tuple[Report, dict[str, Any]]:
    """The region's report of the quarter, and the facts cases may be raised from."""
    rng = run.keys.rng("quarterly", region.id, period.key)
    latest = period == run.periods[-1]
    stage = stage_during(run, period, region.subtree_codes)
    conflict = rng.choices(("rendah", "sedang", "tinggi"), weights=(55, 35, 10))[0]
    evidence: dict[str, list[str]] = {}
    decree = _evidence(documents, DocumentCategory.DECREE)
    nphd = _evidence(documents, DocumentCategory.NPHD)
    nphd_signed = bool(nphd) and rng.random() < 0.8
    team_decree = bool(decree) and rng.random() < 0.9
    if nphd_signed:
        evidence[NPHD_SIGNED] = nphd
    if team_decree:
        evidence[TEAM_DECREE_IN_PLACE] = decree
    end = quarter_end(period)
    values: dict[str, Any] = {
        "parties_active": rng.randint(8, 18),
        "mass_organisations": rng.randint(20, 400),
        "demonstrations": rng.randint(0, 12),
        "conflict_potential": conflict,
        "public_order_conducive": rng.random() < 0.85,
        "stage_obstacles": stage is not None and rng.random() < 0.3,
        NPHD_SIGNED: nphd_signed,
        "nphd_disbursed_percent": rng.choice((0, 25, 40, 50, 75, 90, 100)) if nphd_signed else 0,
        "population_data_delivered": rng.random() < 0.8,
        "public_information_activities": rng.randint(0, 20),
        "personnel_facilities_adequate": rng.random() < 0.8,
        "logistics_ready_percent": rng.randint(40, 100),
        "logistics_delivered_on": (end - timedelta(days=rng.randint(1, 80))).date().isoformat(),
        TEAM_DECREE_IN_PLACE: team_decree,
        "key_issues": pick(rng, "issues"),
    }
    if nphd_signed:
        values["nphd_amount"] = rng.randint(5, 90) * 1_000_000_000
    if stage is not None:
        values["current_stage"] = stage[1].name
    context = {
        "region": region.name,
        "quarter": period.quarter,
        "year": period.year,
        "stage": stage[1].name.lower() if stage else "persiapan tahapan pemilihan berikutnya",
        "nphd_status": "telah ditandatangani" if nphd_signed else "belum ditandatangani",
        **{name: value for name, value in values.items() if name != "key_issues"},
    }
    templates = vocabulary()["quarterly"]
    narratives = {
        section.code: paragraph(templates[section.code], rng, context, rng.randint(2, 4))
        for section in QUARTERLY_V1.sections
    }
    author = run.operator(region) if rng.random() < 0.75 else run.coordinator(region)
    created = end - timedelta(days=rng.randint(20, 60))
    due = quarterly_due(period, QUARTERLY_DUE_DAYS)
    report_id = run.keys.object_id(created, "quarterly", region.id, period.key)
    report = Report(
        id=report_id,
        idempotency_key=f"demo:{report_id}",
        region_code=region.id,
        region_path=region.subtree_codes,
        type=ReportType.QUARTERLY,
        template_version=QUARTERLY_V1.version,
        period=period,
        period_key=period.key,
        title=f"Laporan Triwulan {period.quarter} Tahun {period.year} {region.name}",
        narratives=narratives,
        values=values,
        evidence=evidence,
        risk_level=RISK[conflict],
        stage_code=stage[1].code if stage else None,
        election_id=stage[0].id if stage else None,
        author=author,
        due_at=due,
        created_at=created,
        updated_at=created,
    )
    if not latest or rng.random() < 0.9:  # a few of the latest quarter's reports are still drafts
        submitted = end + timedelta(days=rng.randint(1, 25), hours=rng.randint(0, 23))
        _submit(run, region, rng, report, submitted, latest)
    facts = {"conflict": conflict, "nphd_signed": nphd_signed, "stage": stage, "period": period}
    return report, facts


def _submit(
    run: Run, region: Region, rng: random.Random, report: Report, submitted: datetime, latest: bool
) -> None:
    status, reviews = _reviewed(run, region, rng, submitted, latest, report.author)
    report.status = status
    report.reviews = reviews
    report.revision = 1
    report.revisions = [
        ReportRevision(
            number=1,
            submitted_by=report.author,
            submitted_at=submitted,
            narratives=dict(report.narratives),
            values=dict(report.values),
            evidence={code: list(ids) for code, ids in report.evidence.items()},
        )
    ]
    report.first_submitted_at = report.submitted_at = submitted
    report.last_reviewer = next(
        (event.actor for event in reversed(reviews) if event.action != "submit"), None
    )
    report.version = 1 + len(reviews)
    report.updated_at = reviews[-1].at


def incident_count(run: Run, region: Region, period: Period) -> int:
    """Incidents of the region in the quarter: its own rate (some regions are calmer), now and then a surge
    (what early warning looks for)."""
    weight = run.keys.rng("incident-rate", region.id).uniform(0.5, 1.5)
    rng = run.keys.rng("incident-count", region.id, period.key)
    mean = run.plan.incidents_per_quarter * weight * (3 if rng.random() < 0.02 else 1)
    whole = int(mean)
    return whole + (1 if rng.random() < mean - whole else 0)


def incident(run: Run, region: Region, period: Period, number: int) -> Report:
    rng = run.keys.rng("incident", region.id, period.key, number)
    start = quarter_end(period) - timedelta(days=91)
    occurred = start + timedelta(seconds=rng.randrange(91 * 86400))
    occurred = min(occurred, run.now - timedelta(hours=1))
    category = rng.choices(list(INCIDENT_WEIGHTS), weights=list(INCIDENT_WEIGHTS.values()))[0]
    severity = rng.choices(list(SEVERITY_WEIGHTS), weights=list(SEVERITY_WEIGHTS.values()))[0]
    crowd = category in (IncidentCategory.DEMONSTRATION, IncidentCategory.CONFLICT)
    people = PeopleInvolved(
        participants=rng.randint(20, 2000) if crowd else rng.randint(0, 30),
        injured=rng.choice((0, 0, 0, 1, 2, 5)) if crowd else 0,
        arrested=rng.choice((0, 0, 1, 3)) if category is IncidentCategory.SECURITY_DISTURBANCE else 0,
    )
    hour = rng.randint(8, 15)
    context = {
        "region": region.name,
        "hour": hour,
        "hour_end": hour + rng.randint(1, 4),
        "participants": people.participants,
        "injured": max(people.injured, 1),
        "arrested": max(people.arrested, 1),
    }
    texts = vocabulary()["incident"]
    own = texts[category.value]
    place = pick(rng, "places")
    latitude, longitude = _location(run, region, rng)
    details = IncidentDetails(
        category=category,
        severity=severity,
        occurred_at=occurred,
        place=f"{place[0].upper()}{place[1:]}, {region.name}",
        latitude=latitude,
        longitude=longitude,
        people=people,
        follow_up=fill("{follow_ups}", rng, context),
    )
    narratives = {
        "chronology": paragraph(own["chronology"], rng, context, rng.randint(3, 5)),
        "response": paragraph(texts["response"], rng, context, rng.randint(1, 2)),
    }
    submitted = occurred + timedelta(hours=rng.randint(1, 30))
    author = run.operator(region) if rng.random() < 0.8 else run.coordinator(region)
    report_id = run.keys.object_id(occurred, "incident", region.id, period.key, number)
    report = Report(
        id=report_id,
        idempotency_key=f"demo:{report_id}",
        region_code=region.id,
        region_path=region.subtree_codes,
        type=ReportType.INCIDENT,
        template_version=INCIDENT_V1.version,
        period_key=f"incident:{report_id}",
        title=fill(rng.choice(own["title"]), rng, context),
        narratives=narratives,
        risk_level=severity,
        incident=details,
        author=author,
        due_at=incident_due(occurred, INCIDENT_DUE_HOURS),
        created_at=submitted,
        updated_at=submitted,
    )
    _submit(run, region, rng, report, submitted, latest=period == run.periods[-1])
    return report


def _location(run: Run, region: Region, rng: random.Random) -> tuple[float | None, float | None]:
    """Near the region's centre (a village point inside it: hub/regions/data): within ~2 km in a city, ~6 km
    in a regency, so the point stays inside all but the smallest regions."""
    if region.latitude is None or region.longitude is None:
        return None, None
    spread = 0.02 if run.is_city(region) else 0.06
    latitude = round(region.latitude + rng.uniform(-spread, spread), 5)
    longitude = round(region.longitude + rng.uniform(-spread, spread), 5)
    return latitude, longitude
