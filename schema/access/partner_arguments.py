"""The arguments a partner's operation gives, checked against hub.access.disclosure before it runs.

Values are read as the client sent them: literals from the document, variables from the request (or their
default in the operation), enum values by name, input objects as dicts of their GraphQL field names; every
input object is walked down to its fields. An argument left out runs with the schema's default, which the
table keeps open (or the resolver makes open: hub.cases.listing.order_for).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    OperationDefinitionNode,
    Undefined,
    get_named_type,
    value_from_ast_untyped,
)

from hub.access.disclosure import lacking_for_argument
from hub.access.scope import Scope


def effective_variables(document: DocumentNode, given: Mapping[str, Any] | None) -> dict[str, Any]:
    """The variables as execution sees them: those sent, else the operation's defaults."""
    found: dict[str, Any] = {}
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        for variable in definition.variable_definitions or ():
            name = variable.variable.name.value
            if variable.default_value is not None:
                found.setdefault(name, value_from_ast_untyped(variable.default_value))
    return found | dict(given or {})


def refused_arguments(
    scope: Scope, parent: str, field: GraphQLField, node: FieldNode, variables: Mapping[str, Any]
) -> list[str]:
    """What the arguments given to one field in the document would disclose beyond the grant, as messages
    naming each argument (`reports(filter.author) needs Report.author`)."""
    refused: list[str] = []
    name = node.name.value
    for argument in node.arguments or ():
        definition = field.args.get(argument.name.value)
        if definition is None:  # validation reports it
            continue
        value = value_from_ast_untyped(argument.value, dict(variables))
        _check(
            scope,
            key=f"{parent}.{name}({argument.name.value})",
            type_=definition.type,
            value=value,
            path=argument.name.value,
            into=refused,
            field_name=name,
        )
    return refused


def _check(
    scope: Scope,
    *,
    key: str,
    type_: GraphQLInputType,
    value: Any,
    path: str,
    into: list[str],
    field_name: str,
) -> None:
    if value is None or value is Undefined:  # left out: the default applies
        return
    lacking = lacking_for_argument(scope, key, value)
    if lacking is None:
        into.append(f"{field_name}({path}) is not open to partner grants")
        return
    if lacking:
        into.append(f"{field_name}({path}) needs {', '.join(lacking)}")
    named = get_named_type(type_)
    if not isinstance(named, GraphQLInputObjectType):
        return
    for item in value if isinstance(value, list) else [value]:
        if not isinstance(item, dict):  # not an input object: coercion refuses it
            continue
        for name, definition in named.fields.items():
            if name in item:
                _check(
                    scope,
                    key=f"{named.name}.{name}",
                    type_=definition.type,
                    value=item[name],
                    path=f"{path}.{name}",
                    into=into,
                    field_name=field_name,
                )
