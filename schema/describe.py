"""Descriptions that Strawberry cannot write in place: the values of the enums that the domain packages
declare (hub/<domain> imports no GraphQL), and the fields and codes that every mutation's typed error shares.

`enum_type` registers a domain enum under its GraphQL name with a description of the type and of every value,
and refuses (at import) an enum whose values it was not told about: a value added in the domain cannot reach
the schema undescribed. `error_codes` does the same for the error-code enums, with the codes that mean the
same in every domain described once here.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

import strawberry

E = TypeVar("E", bound=type[Enum])

# The three fields of every `<Noun>Error` of a mutation payload.
ERROR_FIELD = (
    "The input field at fault, as its path in the input (`region`, `values.nphd_signed`); null when the "
    "request as a whole is refused."
)
ERROR_MESSAGE = "What went wrong, in English, for people. Programs branch on `code`, never on this text."
ERROR_CODE = "What went wrong, for programs: one stable value per kind of refusal."
ERRORS = "Why nothing was done; empty on success. Nothing is changed when this is not empty."
CLIENT_MUTATION_ID = (
    "Set by the client, a string unique to this attempt (cases and saved searches take up to 100 "
    "characters); a retry with the same value by the same account returns the first result instead of doing "
    "it twice."
)
CLIENT_MUTATION_ID_ECHO = "The `clientMutationId` the request was sent with, unchanged."
EXPECTED_VERSION = (
    "The `version` you last read; the mutation is refused with CONFLICT when the record changed since. "
    "Leave it out to apply the change whatever the version."
)
CREATED = "False when a retry (the same `clientMutationId`) returned the result of the first attempt."

# Codes that several domains share, described once. A domain's own wording, where given, wins.
COMMON_ERROR_CODES: Mapping[str, str] = {
    "PERMISSION_DENIED": "Your role may not do this, or not in this region.",
    "CONFLICT": "The record changed since you read it (`expectedVersion` no longer matches): read it again, "
    "then retry.",
    "REGION_NOT_FOUND": "No region has this code.",
    "REPORT_NOT_FOUND": "No report has this id, or it is outside what you may see (the two answer alike).",
    "USER_NOT_FOUND": "No account has this id, or it is outside what you may see (the two answer alike).",
    "GRANT_NOT_FOUND": "No partner grant has this id.",
    "REGION_MISMATCH": "The records given belong to different regions where they must share one.",
    "INVALID_STAGE": "No stage of the election has this code, or the stage is missing its election.",
    "STAGE_NOT_FOUND": "The election has no stage with this code.",
    "INVALID_CLIENT_MUTATION_ID": "`clientMutationId` is empty or longer than 100 characters.",
    "EVIDENCE_REQUIRED": "Supporting documents (data dukung) are required and none were given.",
    "EVIDENCE_NOT_FOUND": "A supporting document is missing, in the trash, outside what you may see or of "
    "another region.",
    "INVALID_FILTER": "The filter's parts contradict each other (such as a start after its end).",
    "INVALID_PERIOD": "A period is not a quarter such as `2026-Q1`, or is out of range.",
}


def enum_type(model: E, *, name: str, description: str, values: Mapping[str, str]) -> E:
    """Registers the domain enum `model` as the GraphQL enum `name`, each value described (by member name)."""
    strawberry.enum(model, name=name, description=description)
    definition = model.__strawberry_definition__  # type: ignore[attr-defined]
    declared = {value.name for value in definition.values}
    if declared != set(values):
        raise ValueError(
            f"enum {name}: describe exactly its values; missing {sorted(declared - set(values))}, "
            f"unknown {sorted(set(values) - declared)}"
        )
    for value in definition.values:
        value.description = values[value.name]
    return model


def error_codes(model: E, *, name: str, noun: str, values: Mapping[str, str] | None = None) -> E:
    """An error-code enum: the codes shared by several domains described from COMMON_ERROR_CODES, the
    domain's own from `values`."""
    own = dict(values or {})
    described = {
        member.name: own.get(member.name) or COMMON_ERROR_CODES.get(member.name, "") for member in model
    }
    missing = sorted(code for code, text in described.items() if not text)
    if missing:
        raise ValueError(f"enum {name}: describe {missing}")
    return enum_type(
        model,
        name=name,
        description=f"Why a {noun} request was refused: the `code` of its typed error (a payload's "
        "`errors`), or the `extensions.code` of a top-level error when an argument of a query was refused.",
        values=described,
    )
