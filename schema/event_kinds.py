"""The kinds of event, one enum for live events (subscriptions) and webhook deliveries alike."""

from __future__ import annotations

from hub.events.models import EventKind
from schema.describe import enum_type

enum_type(
    EventKind,
    name="EventKind",
    description="What happened: the kind of a live event (subscriptions) and of a webhook delivery.",
    values={
        "INCIDENT_CREATED": "An incident report was filed (webhook header `incident.created`).",
        "REPORT_STATUS_CHANGED": "A report moved along the review path (`report.status_changed`).",
        "CASE_UPDATED": "A case was opened, followed up, assigned, escalated or resolved (`case.updated`).",
        "EARLY_WARNING": "A region's incidents stand abnormally high (`early_warning.raised`); webhooks "
        "only.",
        "COMMENT_MENTIONED": "A comment on a report or case mentioned users (`comment.mentioned`): for "
        "in-app notifications; never sent to partner grants.",
    },
)

__all__ = ["EventKind"]
