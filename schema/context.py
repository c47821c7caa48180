"""Per-request context: the process's clients, the task dispatcher, and fresh DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from hub.access.principal import ANONYMOUS, Principal
from hub.clients import Clients
from hub.dispatch import TaskDispatcher
from schema.loaders import Loaders


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | None
    clients: Clients
    dispatcher: TaskDispatcher
    principal: Principal = ANONYMOUS
    loaders: Loaders = field(default_factory=Loaders)


Info = StrawberryInfo[Context, Any]
