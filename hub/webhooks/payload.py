"""What a partner is sent about an event: only what its grant lets it read.

The event's record type must be one the grant reads at least one field of; the data keys go out only when
the grant has the field each stands for (GraphQL names, as grants list them); the actor is never sent (staff
accounts are not partner-readable). Region events (early warnings) carry region figures: numbers only.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from hub.access.models import PartnerGrant
from hub.access.scope import Scope
from hub.events.models import Event

OPEN_TYPES = frozenset({"Region"})
# Per record type, the grant field that each data key of its events needs.
DATA_FIELDS: dict[str, dict[str, str]] = {
    "Report": {
        "title": "title",
        "category": "incident",
        "severity": "incident",
        "occurredAt": "incident",
        "from": "status",
        "to": "status",
        "period": "period",
    },
    "Case": {
        "title": "title",
        "category": "category",
        "severity": "severity",
        "status": "status",
        "change": "status",
        "escalatedTo": "escalatedTo",
    },
}


def grant_scope(grant: PartnerGrant) -> Scope:
    return Scope.subtrees(
        grant.region_roots,
        report_types=frozenset(grant.report_types) or None,
        fields=frozenset(grant.fields),
        expires_at=grant.expires_at,
    )


def reads_type(scope: Scope, type_name: str) -> bool:
    if type_name in OPEN_TYPES or scope.fields is None:
        return True
    return any(field.partition(".")[0] == type_name for field in scope.fields)


def covers(scope: Scope, event: Event) -> bool:
    """Whether a grant with this scope may be told of the event at all."""
    if not scope.covers(event.region_path) or not reads_type(scope, event.target_type):
        return False
    return event.report_type is None or scope.allows_report_type(event.report_type)


def _data(scope: Scope, event: Event) -> dict[str, Any]:
    if event.target_type in OPEN_TYPES:
        return {
            key: value
            for key, value in event.data.items()
            if isinstance(value, int | float) and not isinstance(value, bool)
        }
    needed = DATA_FIELDS.get(event.target_type, {})
    return {
        key: value
        for key, value in event.data.items()
        if key in needed and scope.allows_field(event.target_type, needed[key])
    }


def node_id(type_name: str, raw_id: str) -> str:
    """The Relay global id, as the partner's `node(id:)` takes it."""
    return base64.b64encode(f"{type_name}:{raw_id}".encode()).decode()


def body(scope: Scope, event: Event) -> str:
    public = event.public()
    public.pop("actor", None)
    public["nodeId"] = node_id(event.target_type, event.target_id)
    public["data"] = _data(scope, event)
    return json.dumps(public, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
