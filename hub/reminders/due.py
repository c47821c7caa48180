"""What is due soon or overdue, and by whom: from requirements (delivered or not, per region) and from
draft quarterly reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from hub.access.scope import Scope
from hub.completeness.models import Requirement
from hub.completeness.services import load_facts
from hub.core.regions import mongo_under
from hub.regions.models import Region
from hub.regions.services import region_tree
from hub.reports.extensions import extended_periods_due_between
from hub.reports.models import Report, ReportStatus, ReportType

NATIONAL = "ID"


class Stage(StrEnum):
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class DueItem:
    """One thing one region owes. `thing` names it the same way whichever source found it."""

    thing: str
    region: Region
    what: str
    due_at: datetime
    stage: Stage
    target_type: str  # "Requirement" or "Report": what the notification points at
    target_id: str


@dataclass(frozen=True)
class Window:
    now: datetime
    lead: timedelta  # due within this long: due soon
    overdue: timedelta  # overdue for at most this long: still reminded of

    @property
    def due_between(self) -> dict[str, datetime]:
        return {"$gte": self.now - self.overdue, "$lte": self.now + self.lead}

    def stage(self, due_at: datetime) -> Stage | None:
        if due_at < self.now - self.overdue or due_at > self.now + self.lead:
            return None
        return Stage.OVERDUE if due_at < self.now else Stage.DUE_SOON


def thing_key(kind: str, subject: str, period_key: str, region_code: str) -> str:
    return f"{kind}:{subject}:{period_key}:{region_code}"


async def _requirement_items(window: Window, root: str) -> list[DueItem]:
    # Due in the window by the requirement's date, or by an extension some region was granted.
    extended = await extended_periods_due_between(window.now - window.overdue, window.now + window.lead)
    requirements = await Requirement.find(
        {"$or": [{"due_at": window.due_between}, {"period_key": {"$in": extended}}]}
    ).to_list()
    if not requirements:
        return []
    facts = await load_facts(Scope.everything(), root, sorted({req.period_key for req in requirements}))
    items = []
    for req in requirements:
        for region in facts.regions:
            if region.level not in req.levels or (str(req.id), region.id) in facts.deliveries:
                continue
            due_at = facts.due_at(req, region)
            stage = window.stage(due_at)
            if stage is None:
                continue
            items.append(
                DueItem(
                    thing=thing_key(req.kind.value, req.subject, req.period_key, region.id),
                    region=region,
                    what=f"{req.title} ({req.period_key})",
                    due_at=due_at,
                    stage=stage,
                    target_type="Requirement",
                    target_id=str(req.id),
                )
            )
    return items


async def _draft_report_items(window: Window, root: str) -> list[DueItem]:
    drafts = await Report.find(
        {
            "type": ReportType.QUARTERLY.value,
            "status": ReportStatus.DRAFT.value,
            "first_submitted_at": None,
            "period": {"$ne": None},
            "due_at": window.due_between,
            **mongo_under(root),
        }
    ).to_list()
    if not drafts:
        return []
    regions = {region.id: region for region in await region_tree()}
    items = []
    for report in drafts:
        stage = window.stage(report.due_at)
        region = regions.get(report.region_code)
        if stage is None or region is None or report.period is None:
            continue
        items.append(
            DueItem(
                thing=thing_key("report", report.type.value, report.period.key, region.id),
                region=region,
                what=f"{report.title} ({report.period.key})",
                due_at=report.due_at,
                stage=stage,
                target_type="Report",
                target_id=str(report.id),
            )
        )
    return items


async def due_items(window: Window, root: str = NATIONAL) -> list[DueItem]:
    """Everything owed under `root` that is due soon or overdue in the window, each by the region's deadline
    (an extension counts); a requirement and a draft report about the same thing count once (the
    requirement's due date is the one that binds)."""
    found: dict[str, DueItem] = {}
    for item in await _requirement_items(window, root):
        found.setdefault(item.thing, item)
    for item in await _draft_report_items(window, root):
        found.setdefault(item.thing, item)
    return list(found.values())
