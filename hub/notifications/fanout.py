"""Turning one outbox event into notifications, in a worker (never in the mutation that caused it).

The event sink (`NotifySink`, plugged in by the composition roots) only asks for the work by the event's id
(hub.dispatch.request_notify). The task reloads the event and the record it is about, loads the accounts
near the record, lets the pure core (hub.notifications.recipients) choose, and writes one notification per
recipient under the key `event:<event id>:<user id>`: a task run twice, or racing the sweep, writes each
once. The event is then marked `notifications_done`; a lost message leaves it False, and `sweep_events`
finds it.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, Protocol

from beanie import PydanticObjectId

from hub.access.models import User
from hub.access.roles import Role
from hub.cases.models import Case
from hub.core.clock import utcnow
from hub.core.ids import object_id
from hub.dispatch import request_notify
from hub.events.models import Event
from hub.notifications.models import Notification, NotificationKind
from hub.notifications.recipients import Candidate, Occurrence, notification_kind, recipients
from hub.notifications.service import NotificationDraft, notify
from hub.notifications.texts import render
from hub.regions.services import get_regions
from hub.reports.models import Report

log = logging.getLogger(__name__)
# The sweep leaves an event this long to its own task before doing it itself.
STALE_AFTER = timedelta(minutes=1)
SWEEP_BATCH = 200
# Roles a rule may name whatever their home region: found without a region match.
NATIONAL_CANDIDATES = (Role.REVIEWER.value,)


class Announcer(Protocol):
    async def added(self, notification: Notification) -> None: ...


class NotifySink:
    """An event sink (hub.events.bus): asks for the fan-out of each event; the event is stored already."""

    async def published(self, event: Event) -> None:
        await request_notify(str(event.id))


def event_key(event_id: object, user_id: object) -> str:
    return f"event:{event_id}:{user_id}"


async def _named(event: Event) -> tuple[str | None, str | None, dict[str, str]]:
    """(author id, assignee id, extra params) from the record as it is now."""
    oid = object_id(event.target_id)
    if event.target_type == "Report" and oid is not None:
        report = await Report.get(oid)
        if report is not None:
            author = str(report.author_id) if report.author_id else None
            return author, None, {"title": report.title, "period": report.period_key}
    if event.target_type == "Case" and oid is not None:
        case = await Case.get(oid)
        if case is not None:
            assignee = str(case.assignee_id) if case.assignee_id else None
            return None, assignee, {"title": case.title}
    return None, None, {}


async def candidates_near(region_path: list[str], named: list[str]) -> list[Candidate]:
    """The accounts a rule may name for a record of this region: at the region or above it, national
    reviewers, and the accounts the record names (its author or assignee)."""
    ids = [PydanticObjectId(value) for value in named]
    users = await User.find(
        {
            "active": True,
            "$or": [
                {"region_code": {"$in": list(region_path)}},
                {"role": {"$in": list(NATIONAL_CANDIDATES)}},
                {"_id": {"$in": ids}},
            ],
        }
    ).to_list()
    return [
        Candidate(
            id=str(user.id),
            username=user.username,
            role=user.role,
            region_code=user.region_code,
            region_path=tuple(user.region_path),
            active=user.active,
        )
        for user in users
    ]


async def _params(event: Event, extra: dict[str, str]) -> dict[str, str]:
    regions = await get_regions([event.region_code, *[str(v) for v in [event.data.get("escalatedTo")] if v]])

    def named(code: str) -> str:
        region = regions.get(code)
        return f"{region.name} ({code})" if region else code

    params = {"region": named(event.region_code), "actor": event.actor.partition(":")[2] or event.actor}
    for key in ("title", "period", "recentCount", "baselineMean"):
        if event.data.get(key) is not None:
            params[key] = str(event.data[key])
    if event.data.get("escalatedTo"):
        params["escalatedTo"] = named(str(event.data["escalatedTo"]))
    return {**params, **{key: value for key, value in extra.items() if value}}


def _target(event: Event) -> tuple[str, str]:
    return event.target_type, event.target_id


async def fan_out(event_id: str, announcer: Announcer | None = None) -> int:
    """Notifies the people concerned by one event; returns how many notifications it wrote (0 when run
    again)."""
    oid = object_id(event_id)
    event = await Event.get(oid) if oid is not None else None
    if event is None:
        return 0
    kind = notification_kind(event.kind.value, event.data)
    written = 0
    if kind is not None:
        written = await _notify(event, kind, announcer)
    await Event.get_pymongo_collection().update_one({"_id": event.id}, {"$set": {"notifications_done": True}})
    return written


async def _notify(event: Event, kind: NotificationKind, announcer: Announcer | None) -> int:
    author, assignee, extra = await _named(event)
    occurrence = Occurrence(
        kind=kind,
        region_path=tuple(event.region_path),
        actor=event.actor,
        author_id=author,
        assignee_id=assignee,
    )
    chosen = recipients(
        occurrence, await candidates_near(event.region_path, [v for v in (author, assignee) if v])
    )
    if not chosen:
        return 0
    params = await _params(event, extra)
    title, body = render(kind, params) or ("", "")
    target_type, target_id = _target(event)
    written = 0
    for user_id in chosen:
        notification = await notify(
            NotificationDraft(
                user_id=PydanticObjectId(user_id),
                kind=kind,
                title=title,
                body=body,
                key=event_key(event.id, user_id),
                target_type=target_type,
                target_id=target_id,
                params=params,
                region_path=tuple(event.region_path),
            )
        )
        if notification is not None:
            written += 1
            if announcer is not None:
                await announcer.added(notification)
    return written


async def sweep_events(announcer: Announcer | None = None) -> tuple[int, int]:
    """Fans out the events whose own task did not run (a lost message, an event emitted by a worker);
    returns how many events it handled and how many notifications it wrote."""
    stale: dict[str, Any] = {"notifications_done": False, "at": {"$lt": utcnow() - STALE_AFTER}}
    events = await Event.find(stale).sort("at").limit(SWEEP_BATCH).to_list()
    written = 0
    for event in events:
        try:
            written += await fan_out(str(event.id), announcer)
        except Exception:
            log.exception("notifying event %s failed; the next sweep tries again", event.id)
    return len(events), written
