"""Reminders of the review path: a report submitted and waiting for review for `after` reminds its reviewers;
a returned report not submitted again for `after` reminds its author and its region's operators. Who is told
is decided by the pure core (hub.notifications.recipients); each (report, revision, user) is reminded once
(the notification's key)."""

from __future__ import annotations

from datetime import datetime, timedelta

from beanie import PydanticObjectId

from hub.core.regions import mongo_under
from hub.notifications.fanout import candidates_near
from hub.notifications.models import NotificationKind
from hub.notifications.recipients import Occurrence, recipients
from hub.notifications.service import NotificationDraft, notify
from hub.notifications.texts import render
from hub.regions.services import get_regions
from hub.reports.models import Report, ReportStatus

ACTOR = "system:reminders"
BATCH = 1000


def reminder_key(kind: NotificationKind, report: Report, user_id: str) -> str:
    return f"{kind.value}:{report.id}:{report.revision}:{user_id}"


async def _remind(report: Report, kind: NotificationKind, since: datetime, region_name: str) -> int:
    author = str(report.author_id) if report.author_id else None
    occurrence = Occurrence(kind=kind, region_path=tuple(report.region_path), actor=ACTOR, author_id=author)
    chosen = recipients(occurrence, await candidates_near(report.region_path, [author] if author else []))
    params = {
        "title": report.title,
        "region": f"{region_name} ({report.region_code})",
        "period": report.period_key,
        "since": f"{since:%Y-%m-%d}",
    }
    title, body = render(kind, params) or ("", "")
    written = 0
    for user_id in chosen:
        draft = NotificationDraft(
            user_id=PydanticObjectId(user_id),
            kind=kind,
            title=title,
            body=body,
            key=reminder_key(kind, report, user_id),
            target_type="Report",
            target_id=str(report.id),
            params=params,
            region_path=tuple(report.region_path),
        )
        written += await notify(draft) is not None
    return written


async def remind_reviews(now: datetime, after: timedelta, root: str) -> int:
    """Writes the review-path reminders due under `root` as of `now`; returns how many it wrote."""
    cutoff = now - after
    waiting = (
        await Report.find(
            {"status": ReportStatus.SUBMITTED.value, "submitted_at": {"$lte": cutoff}, **mongo_under(root)}
        )
        .limit(BATCH)
        .to_list()
    )
    # A returned report's last change is its return at the latest: unchanged since the cutoff, it was
    # returned before it.
    returned = (
        await Report.find(
            {"status": ReportStatus.RETURNED.value, "updated_at": {"$lte": cutoff}, **mongo_under(root)}
        )
        .limit(BATCH)
        .to_list()
    )
    regions = await get_regions([report.region_code for report in [*waiting, *returned]])

    def name(report: Report) -> str:
        region = regions.get(report.region_code)
        return region.name if region else report.region_code

    written = 0
    for report in waiting:
        since = report.submitted_at or report.updated_at
        written += await _remind(report, NotificationKind.REVIEW_WAITING, since, name(report))
    for report in returned:
        returns = [review for review in report.reviews if review.action in {"return", "reopen"}]
        since = returns[-1].at if returns else report.updated_at
        written += await _remind(report, NotificationKind.RETURNED_WAITING, since, name(report))
    return written
