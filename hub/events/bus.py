"""Emitting events: stored first (the outbox), then handed to each sink. A sink failing never fails the change
that caused the event: webhook delivery reads the outbox, and live subscribers are best-effort by nature."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from hub.events.models import Event, EventKind

log = logging.getLogger(__name__)


class EventSink(Protocol):
    async def published(self, event: Event) -> None: ...


_sinks: list[EventSink] = []


def set_sinks(sinks: list[EventSink]) -> None:
    """Called by a composition root (the app factory, the worker) with what it can deliver to."""
    _sinks[:] = sinks


async def emit(
    kind: EventKind,
    *,
    target_type: str,
    target_id: str,
    region_code: str,
    region_path: list[str],
    actor: str,
    report_type: str | None = None,
    data: dict[str, Any] | None = None,
) -> Event:
    event = Event(
        kind=kind,
        target_type=target_type,
        target_id=target_id,
        region_code=region_code,
        region_path=list(region_path),
        report_type=report_type,
        actor=actor,
        data=data or {},
    )
    await event.insert()
    for sink in list(_sinks):
        try:
            await sink.published(event)
        except Exception:
            log.exception("event sink %s failed for event %s", type(sink).__name__, event.id)
    return event
