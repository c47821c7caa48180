"""Every element of the schema says what it is: each type (objects, inputs, interfaces, unions, enums,
scalars), field, argument, input field, enum value and mutation has a description, in English; the Query
type's explains the Indonesian official terms once. The walk is over graphql-core's schema, so nothing that
Strawberry adds on its own (edges, page info, node fields) escapes it."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
)
from graphql import (
    build_schema as parse_sdl,
)

from schema.schema import build_schema

BUILT_IN_SCALARS = {"String", "Int", "Float", "Boolean", "ID"}
# Each must be explained in the Query type's description (its glossary).
GLOSSARY = (
    "Kemendagri",
    "Kesbangpol",
    "Provinsi",
    "Kabupaten",
    "Kota",
    "Laporan triwulan",
    "Laporan insidental",
    "Tahapan",
    "Pemilu",
    "Pilkada",
    "NPHD",
    "Kendala",
    "tindak lanjut",
    "Kerawanan",
    "Data dukung",
    "Tim Pemantauan",
    "Forkopimda",
    "KPU",
    "Bawaslu",
    "DKPP",
    "Review path",
)


def elements(schema: GraphQLSchema) -> Iterator[tuple[str, str | None]]:
    """(name, description) of every element of the schema defined here (not introspection, not built-in
    scalars)."""
    for name, type_ in schema.type_map.items():
        if name.startswith("__") or name in BUILT_IN_SCALARS:
            continue
        yield name, type_.description
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in type_.fields.items():
                yield f"{name}.{field_name}", field.description
                for argument_name, argument in getattr(field, "args", {}).items():
                    yield f"{name}.{field_name}({argument_name})", argument.description
        if isinstance(type_, GraphQLEnumType):
            for value_name, value in type_.values.items():
                yield f"{name}.{value_name}", value.description


def undescribed(schema: GraphQLSchema) -> list[str]:
    return [name for name, description in elements(schema) if not (description or "").strip()]


def test_every_schema_element_is_described() -> None:
    schema = build_schema(production=False)._schema
    assert undescribed(schema) == []


def test_the_walk_sees_every_kind_of_element() -> None:
    """The check itself: an undescribed element of each kind is found."""
    bare = parse_sdl(
        """
        "Described."
        type Query { described(
            "Described." x: Int): Thing }
        type Thing { field(argument: Int): Int }
        input Filter { part: Int }
        enum Level { LOW }
        union Either = Thing
        interface Named { name: String }
        scalar Code
        type Mutation { change(filter: Filter): Int }
        """
    )
    assert undescribed(bare) == [
        "Query.described",
        "Thing",
        "Thing.field",
        "Thing.field(argument)",
        "Filter",
        "Filter.part",
        "Level",
        "Level.LOW",
        "Either",
        "Named",
        "Named.name",
        "Code",
        "Mutation",
        "Mutation.change",
        "Mutation.change(filter)",
    ]


def test_the_query_type_explains_the_indonesian_terms() -> None:
    query = build_schema(production=False)._schema.query_type
    assert query is not None and query.description is not None
    missing = [term for term in GLOSSARY if term.lower() not in query.description.lower()]
    assert missing == []


def test_domain_enums_are_described_value_by_value() -> None:
    """The values of the enums the domain declares (NPHD, the review states) say what they mean."""
    schema = build_schema(production=False)._schema
    status = schema.get_type("ReportStatus")
    category = schema.get_type("CaseCategory")
    assert isinstance(status, GraphQLEnumType) and isinstance(category, GraphQLEnumType)
    assert "level above" in (status.values["SUBMITTED"].description or "")
    assert "Naskah" in (schema.get_type("DocumentCategory").values["NPHD"].description or "")  # type: ignore[union-attr]
    assert "NPHD" in (category.values["NPHD"].description or "")
    assert isinstance(schema.get_type("SearchResult"), GraphQLUnionType)
