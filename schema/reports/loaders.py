"""DataLoaders behind the fields of a report list: templates, people, case counts — one query per kind."""

from __future__ import annotations

from beanie import PydanticObjectId
from strawberry.dataloader import DataLoader

from hub.access.models import User
from hub.cases.models import Case
from hub.reports.models import ReportTemplate, ReportType


async def _templates(keys: list[tuple[ReportType, int]]) -> list[ReportTemplate | None]:
    found = await ReportTemplate.find(
        {"$or": [{"type": report_type.value, "version": version} for report_type, version in set(keys)]}
    ).to_list()
    by_key = {(template.type, template.version): template for template in found}
    return [by_key.get(key) for key in keys]


async def _users_by_actor(actors: list[str]) -> list[User | None]:
    """Actors are `user:<username>`; others (system, partner) have no account."""
    names = {actor.removeprefix("user:") for actor in actors if actor.startswith("user:")}
    found = await User.find({"username": {"$in": sorted(names)}}).to_list() if names else []
    by_name = {user.username: user for user in found}
    return [
        by_name.get(actor.removeprefix("user:")) if actor.startswith("user:") else None for actor in actors
    ]


async def case_counts(report_ids: list[PydanticObjectId]) -> list[int]:
    """Counted by MongoDB: one row per report with cases, not one per case."""
    cursor = await Case.get_pymongo_collection().aggregate(
        [
            {"$match": {"source_report_id": {"$in": list(set(report_ids))}}},
            {"$group": {"_id": "$source_report_id", "count": {"$sum": 1}}},
        ]
    )
    counts = {row["_id"]: row["count"] for row in await cursor.to_list()}
    return [counts.get(report_id, 0) for report_id in report_ids]


class ReportLoaders:
    def __init__(self) -> None:
        self.template: DataLoader[tuple[ReportType, int], ReportTemplate | None] = DataLoader(
            load_fn=_templates
        )
        self.user_by_actor: DataLoader[str, User | None] = DataLoader(load_fn=_users_by_actor)
        self.case_count: DataLoader[PydanticObjectId, int] = DataLoader(load_fn=case_counts)
