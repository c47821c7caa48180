"""Subscriptions run over WebSocket only: over HTTP, Strawberry would execute one as a query and fail with an
internal error, so such a request is refused when it is validated, with a message that says where to go."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from starlette.websockets import WebSocket
from strawberry.extensions import SchemaExtension

from hub.i18n import Text, render

MESSAGE = Text("request.subscription_needs_websocket")


class SubscriptionsOverWebSocket(SchemaExtension):
    def on_validate(self) -> Iterator[None]:
        execution = self.execution_context
        request = getattr(execution.context, "request", None)
        # Empty (not None): the document is valid, which HardenedValidation, running before, has found.
        if execution.pre_execution_errors == [] and not isinstance(request, WebSocket):
            try:
                operation_type = execution.operation_type
            except RuntimeError:  # no such operation: validation reports it
                operation_type = None
            if getattr(operation_type, "value", None) == "subscription":
                execution.pre_execution_errors = [
                    GraphQLError(
                        render("request.subscription_needs_websocket"),
                        extensions={"code": "SUBSCRIPTION_NEEDS_WEBSOCKET"},
                    )
                ]
        yield
