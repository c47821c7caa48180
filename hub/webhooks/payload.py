"""What a partner is sent about an event: only what its grant lets it read (hub.access.visibility decides
which events and which keys of their data); the actor is never sent (staff accounts are not
partner-readable)."""

from __future__ import annotations

import base64
import json

from hub.access.scope import Scope
from hub.access.visibility import visible_data
from hub.events.models import Event


def node_id(type_name: str, raw_id: str) -> str:
    """The Relay global id, as the partner's `node(id:)` takes it."""
    return base64.b64encode(f"{type_name}:{raw_id}".encode()).decode()


def body(scope: Scope, event: Event) -> str:
    public = event.public()
    public.pop("actor", None)
    public["nodeId"] = node_id(event.target_type, event.target_id)
    public["data"] = visible_data(scope, event.kind, event.data)
    return json.dumps(public, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
