"""The filters of the CSV/XLSX exports, read by the GraphQL schema itself: an export's query parameters are
the fields of the filter input of the list it mirrors (`ReportFilter` for `reports` and `incidents`,
`CaseFilter`, `DocumentFilter`, `SearchFilter`), coerced by the schema's own input types and scalars, made
into the Strawberry input object as a resolver would receive it, and turned into the domain's filter by the
same function the GraphQL field calls. A rule of a filter therefore has one home, and an export can never
filter differently from its list.

Parameters are spelled as in GraphQL (`periodFrom`, `riskLevels`); a list is comma-separated; enum values
take their GraphQL names (lowercase is read too). A partner grant may give only the filter fields that
hub.access.disclosure lets it give, as in the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    coerce_input_value,
)
from graphql.utilities.validate_input_value import validate_input_value
from strawberry.types.arguments import convert_argument

from hub.access.disclosure import lacking_for_argument
from hub.access.principal import Principal
from hub.access.scope import Scope
from hub.clients import Clients
from hub.exports.columns import Export
from hub.exports.records import cases_export, documents_export
from hub.exports.sources import reports_export
from hub.reports.models import ReportType
from schema.cases.queries import CaseFilterInput, case_filter
from schema.documents.queries import DocumentFilterInput, document_filter
from schema.loaders import Loaders
from schema.regions.code import region_known
from schema.reports.queries import ReportFilterInput, report_filter
from schema.search.filters import to_filters
from schema.search.types import SearchFilter
from search.exports import search_export


class BadFilter(ValueError):
    """A parameter the filter input does not take or whose value it refuses; the message names it."""


class FilterNotGranted(PermissionError):
    """A partner gave a filter field that needs a record field its grant does not read."""


def _named(type_: GraphQLInputType) -> GraphQLInputType:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


def _json(text: str, type_: GraphQLInputType) -> Any:
    """A query parameter's text as the JSON value a GraphQL variable of this type would hold."""
    type_ = _named(type_)
    if isinstance(type_, GraphQLList):
        return [_json(item.strip(), type_.of_type) for item in text.split(",") if item.strip()]
    if isinstance(type_, GraphQLEnumType):
        return text.strip().upper()
    if isinstance(type_, GraphQLScalarType) and type_.name == "Boolean":
        return {"true": True, "false": False}.get(text.strip().lower(), text)
    if isinstance(type_, GraphQLScalarType) and type_.name == "Int" and text.strip().lstrip("-").isdigit():
        return int(text)
    return text


def _input(
    schema: strawberry.Schema, input_class: type, params: Mapping[str, str], scope: Scope
) -> tuple[Any, dict[str, Any]]:
    """The Strawberry input object the parameters make, coerced by the schema (BadFilter otherwise)."""
    definition = getattr(input_class, "__strawberry_definition__")  # noqa: B009 - set by @strawberry.input
    input_type = schema._schema.get_type(definition.name)
    assert isinstance(input_type, GraphQLInputObjectType)
    raw: dict[str, Any] = {}
    for name, text in params.items():
        if name not in input_type.fields:
            known = ", ".join(sorted(input_type.fields))
            raise BadFilter(f"`{name}` is not a field of {definition.name} ({known})")
        raw[name] = _json(text, input_type.fields[name].type)
    problems: list[str] = []

    def refuse(error: GraphQLError, path: list[str | int]) -> None:
        problems.append(f"`{path[0] if path else definition.name}`: {error.message}")

    validate_input_value(raw, input_type, refuse)
    if problems:
        raise BadFilter("; ".join(problems))
    _check_disclosure(scope, definition.name, raw)
    coerced = coerce_input_value(raw, input_type)
    registry = schema.schema_converter.scalar_registry
    return convert_argument(coerced, input_class, registry, schema.config), raw


def _check_disclosure(scope: Scope, type_name: str, raw: Mapping[str, Any]) -> None:
    for name, value in raw.items():
        for item in value if isinstance(value, list) else [value]:
            lacking = lacking_for_argument(scope, f"{type_name}.{name}", item)
            if lacking is None or lacking:
                needed = ", ".join(lacking or ["a field no grant reads"])
                raise FilterNotGranted(f"the filter `{name}` needs {needed}")


async def export_of_list(
    schema: strawberry.Schema,
    name: str,
    params: Mapping[str, str],
    *,
    viewer: Principal,
    clients: Clients,
    text: str = "",
) -> Export:
    """The export `name` (reports, incidents, cases, documents, search) with its filter read from its
    parameters, no row read yet; raises BadFilter, FilterNotGranted, or the domain's error the GraphQL field
    would raise (a ClientError for a search filter it cannot read)."""
    loaders = Loaders(viewer.scope)
    if name in {"reports", "incidents"}:
        reports, _ = _input(schema, ReportFilterInput, params, viewer.scope)
        forced = ReportType.INCIDENT if name == "incidents" else None
        wanted = await report_filter(viewer, loaders, reports, forced_type=forced)
        return await reports_export(viewer, wanted, name)
    if name == "cases":
        cases, _ = _input(schema, CaseFilterInput, params, viewer.scope)
        return await cases_export(viewer, case_filter(cases))
    if name == "documents":
        documents, _ = _input(schema, DocumentFilterInput, params, viewer.scope)
        return await documents_export(viewer, document_filter(documents))
    found, _ = _input(schema, SearchFilter, params, viewer.scope)
    await region_known(loaders, found.region, "region")
    prefix = clients.settings.es_index_prefix
    return search_export(viewer, clients.es, prefix, text=text, filters=to_filters(found))
