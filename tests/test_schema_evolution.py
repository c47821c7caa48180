"""Schema evolution (CHANGELOG-API.md): the SDL the code builds against the last released one
(schema/released/schema.graphql). A breaking change fails unless CHANGELOG-API.md lists it; a removal also
needs the released SDL to have deprecated what is removed; a listed change that no longer happens fails too.
Dangerous changes (an enum value added, a default changed) are reported as warnings."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    find_breaking_changes,
    find_dangerous_changes,
)
from graphql import build_schema as parse_sdl

from schema.schema import build_schema
from tests.processes import ROOT

RELEASED = ROOT / "schema" / "released" / "schema.graphql"
CHANGELOG = ROOT / "CHANGELOG-API.md"
_LIST = re.compile(r"<!-- accepted-breaking-changes -->\n(.*?)<!-- /accepted-breaking-changes -->", re.S)
_ENTRY = re.compile(r"^- (?P<type>[A-Z_]+): (?P<description>.+?)(?: — .*)?$")
# graphql-core's descriptions of removals, and what each removed.
_FIELD = re.compile(r"^Field (?P<type>\w+)\.(?P<field>\w+) was removed\.$")
_ARGUMENT = re.compile(r"^Argument (?P<type>\w+)\.(?P<field>\w+)\((?P<argument>\w+):\) was removed\.$")
_ENUM_VALUE = re.compile(r"^Enum value (?P<type>\w+)\.(?P<value>\w+) was removed\.$")


@dataclass(frozen=True)
class Change:
    type: str
    description: str

    def __str__(self) -> str:
        return f"- {self.type}: {self.description}"


def accepted_changes(changelog: str) -> set[Change]:
    """The accepted breaking changes listed between the markers of CHANGELOG-API.md."""
    found = _LIST.search(changelog)
    assert found, "CHANGELOG-API.md has lost its accepted-breaking-changes markers"
    changes = set()
    for line in found.group(1).splitlines():
        if not line.strip():
            continue
        entry = _ENTRY.match(line.strip())
        assert entry, f"CHANGELOG-API.md: not a `- TYPE: description — why` line: {line!r}"
        changes.add(Change(entry["type"], entry["description"]))
    return changes


def _deprecated_in(released: GraphQLSchema, description: str) -> bool | None:
    """Whether the released schema deprecated what a removal removed; None: not a removal that can be."""
    if found := _FIELD.match(description):
        owner = released.get_type(found["type"])
        assert isinstance(owner, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType)
        return owner.fields[found["field"]].deprecation_reason is not None
    if found := _ARGUMENT.match(description):
        owner = released.get_type(found["type"])
        assert isinstance(owner, GraphQLObjectType | GraphQLInterfaceType)
        return owner.fields[found["field"]].args[found["argument"]].deprecation_reason is not None
    if found := _ENUM_VALUE.match(description):
        enum = released.get_type(found["type"])
        assert isinstance(enum, GraphQLEnumType)
        return enum.values[found["value"]].deprecation_reason is not None
    return None


def refusals(released_sdl: str, current_sdl: str, accepted: set[Change]) -> list[str]:
    """Why the current SDL may not ship against the released one; empty when it may."""
    released, current = parse_sdl(released_sdl), parse_sdl(current_sdl)
    breaking = {
        Change(change.type.name, change.description) for change in find_breaking_changes(released, current)
    }
    problems = []
    for change in sorted(breaking - accepted, key=str):
        problems.append(f"breaking change not listed in CHANGELOG-API.md: {change}")
    for change in sorted(breaking & accepted, key=str):
        if _deprecated_in(released, change.description) is False:
            problems.append(f"removed without a deprecation in the released SDL first: {change}")
    for change in sorted(accepted - breaking, key=str):
        problems.append(f"listed in CHANGELOG-API.md but no longer happens: {change}")
    return problems


def test_the_schema_evolves_as_the_policy_says() -> None:
    current = build_schema(production=False).as_str()
    released = RELEASED.read_text(encoding="utf-8")
    assert refusals(released, current, accepted_changes(CHANGELOG.read_text(encoding="utf-8"))) == []
    for change in find_dangerous_changes(parse_sdl(released), parse_sdl(current)):
        warnings.warn(
            f"dangerous API change, mention it in CHANGELOG-API.md: {change.description}", stacklevel=1
        )


# ---- the gate itself, on small schemas -----------------------------------------------------------------

RELEASED_SMALL = """
type Query {
  region(code: String!, depth: Int @deprecated(reason: "Unused.")): Region
  oldRegion: Region @deprecated(reason: "Use `region`.")
}

enum Level { NATIONAL PROVINCE CITY @deprecated(reason: "Use REGENCY.") REGENCY }

type Region { code: String! name: String! level: Level! population: Int }
"""


def _without(sdl: str, *pieces: str) -> str:
    for piece in pieces:
        assert piece in sdl
        sdl = sdl.replace(piece, "")
    return sdl


def test_an_unlisted_removal_is_refused() -> None:
    current = _without(RELEASED_SMALL, "name: String! ")
    assert refusals(RELEASED_SMALL, current, set()) == [
        "breaking change not listed in CHANGELOG-API.md: - FIELD_REMOVED: Field Region.name was removed."
    ]


def test_a_listed_removal_of_what_was_not_deprecated_is_refused() -> None:
    current = _without(RELEASED_SMALL, "name: String! ")
    listed = {Change("FIELD_REMOVED", "Field Region.name was removed.")}
    assert refusals(RELEASED_SMALL, current, listed) == [
        "removed without a deprecation in the released SDL first: "
        "- FIELD_REMOVED: Field Region.name was removed."
    ]


def test_listed_removals_of_deprecated_elements_pass() -> None:
    current = _without(
        RELEASED_SMALL,
        '  oldRegion: Region @deprecated(reason: "Use `region`.")\n',
        ', depth: Int @deprecated(reason: "Unused.")',
        'CITY @deprecated(reason: "Use REGENCY.") ',
    )
    changelog = """<!-- accepted-breaking-changes -->
- FIELD_REMOVED: Field Query.oldRegion was removed. — deprecated in 0.1.0
- ARG_REMOVED: Argument Query.region(depth:) was removed.
- VALUE_REMOVED_FROM_ENUM: Enum value Level.CITY was removed. — deprecated in 0.1.0
<!-- /accepted-breaking-changes -->"""
    assert refusals(RELEASED_SMALL, current, accepted_changes(changelog)) == []


def test_other_breaking_changes_pass_once_listed_and_stale_entries_fail() -> None:
    current = RELEASED_SMALL.replace("level: Level!", "level: String!")
    change = Change("FIELD_CHANGED_KIND", "Field Region.level changed type from Level! to String!.")
    assert refusals(RELEASED_SMALL, current, {change}) == []
    assert refusals(RELEASED_SMALL, RELEASED_SMALL, {change}) == [
        f"listed in CHANGELOG-API.md but no longer happens: {change}"
    ]
