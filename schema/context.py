"""Per-request context: the process's clients, the task dispatcher, and fresh DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from hub.access.errors import AccessError
from hub.access.principal import ANONYMOUS, Principal
from hub.clients import Clients
from hub.dispatch import TaskDispatcher
from hub.i18n import DEFAULT_LANGUAGE, Language
from schema.loaders import Loaders

if TYPE_CHECKING:
    from schema.subscriptions.connection import LiveConnection


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | None
    clients: Clients
    dispatcher: TaskDispatcher
    principal: Principal = ANONYMOUS
    auth_error: AccessError | None = None
    language: Language = DEFAULT_LANGUAGE
    """Whom the messages are written for: negotiated from `Accept-Language` by the view (hub.http.graphql),
    or from a WebSocket's `connection_init` payload."""
    client_address: str = "unknown"
    """Set by the view from hub.http.client_address (trusted proxies taken into account)."""
    login_attempted: bool = False
    """Whether this request (a batch and its aliases, or one WebSocket connection) already checked a
    password: it may check at most one (schema/access/mutations/session_create.py)."""
    # WebSocket connections: the `connection_init` payload (Strawberry sets it), and the connection's
    # authentication, which sets the principal (schema.subscriptions.connection).
    connection_params: dict[str, object] | None = None
    live: LiveConnection | None = None
    loaders: Loaders = field(init=False)
    # Points the operations of this HTTP request were admitted with: a batch shares one request's maximum.
    request_cost: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.principal.scope)

    def claim_login(self) -> bool:
        """True once per request: the caller may check a password. (No await between test and set, so
        concurrent operations of a batch cannot both get it.)"""
        if self.login_attempted:
            return False
        self.login_attempted = True
        return True


Info = StrawberryInfo[Context, Any]
