"""The elections of the generated years, with their stages (tahapan) around the voting day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hub.demo.context import DEMO_ACTOR, Run
from hub.demo.vocabulary import vocabulary
from hub.elections.models import Election, ElectionKind, Stage
from hub.reports.deadlines import quarter_end
from hub.reports.models import Period

# Voting days of the simultaneous elections (Pemilu and Pilkada serentak); later ones are planned dates.
VOTING_DAYS: tuple[tuple[ElectionKind, str, date], ...] = (
    (ElectionKind.PILKADA, "Pilkada Serentak 2015", date(2015, 12, 9)),
    (ElectionKind.PILKADA, "Pilkada Serentak 2017", date(2017, 2, 15)),
    (ElectionKind.PILKADA, "Pilkada Serentak 2018", date(2018, 6, 27)),
    (ElectionKind.PEMILU, "Pemilu 2019", date(2019, 4, 17)),
    (ElectionKind.PILKADA, "Pilkada Serentak 2020", date(2020, 12, 9)),
    (ElectionKind.PEMILU, "Pemilu 2024", date(2024, 2, 14)),
    (ElectionKind.PILKADA, "Pilkada Serentak 2024", date(2024, 11, 27)),
    (ElectionKind.PEMILU, "Pemilu 2029", date(2029, 2, 14)),
    (ElectionKind.PILKADA, "Pilkada Serentak 2029", date(2029, 11, 28)),
)


def build_elections(run: Run) -> list[Election]:
    """The elections whose voting day falls in the generated span (or within a year after it)."""
    start = quarter_end(run.periods[0]) - timedelta(days=92)
    end = run.now + timedelta(days=365)
    provinces = sorted(code for code, region in run.by_code.items() if region.level.value == "province")
    elections = []
    for kind, name, voting in VOTING_DAYS:
        if not start.date() <= voting <= end.date():
            continue
        rng = run.keys.rng("election", name)
        roots = ["ID"]
        if kind is ElectionKind.PILKADA and voting.year not in (2024, 2029) and provinces:
            # Before the 2024 realignment, each simultaneous Pilkada covered part of the country.
            roots = sorted(rng.sample(provinces, max(1, len(provinces) // 2)))
        created = datetime.combine(voting - timedelta(days=400), datetime.min.time(), tzinfo=UTC)
        stages = [
            Stage(
                code=code,
                name=stage_name,
                starts_on=voting + timedelta(days=first),
                ends_on=voting + timedelta(days=last),
                logistics_deadline=voting - timedelta(days=7) if code == "pemungutan-suara" else None,
            )
            for code, stage_name, first, last in vocabulary()["elections"]["stages"]
        ]
        election_id = run.keys.object_id(created, "election", name)
        elections.append(
            Election(
                id=election_id,
                idempotency_key=f"demo:{election_id}",
                kind=kind,
                name=name,
                year=voting.year,
                region_roots=roots,
                stages=stages,
                created_by=DEMO_ACTOR,
                created_at=created,
                updated_at=created,
            )
        )
    return elections


def stage_during(run: Run, period: Period, region_path: list[str]) -> tuple[Election, Stage] | None:
    """The election stage under way at the end of the quarter in a region, if any."""
    day = (quarter_end(period) - timedelta(days=1)).date()
    for election in run.elections:
        if not set(election.region_roots) & set(region_path):
            continue
        for stage in election.stages:
            if stage.starts_on <= day <= stage.ends_on:
                return election, stage
    return None
