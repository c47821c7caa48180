"""The input of a document's record fields (hub.documents.metadata), shared by the uploads and
documentUpdate: a field left out is kept as it is, a field given as null is cleared."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry import relay

from hub.documents.errors import DocumentError, DocumentErrorCode
from hub.documents.metadata import RecordInput
from schema.documents.mutations.common import DOCUMENT_ERRORS


@strawberry.input(description="One custom field of a document's category, by name.")
class DocumentCustomFieldInput:
    name: str = strawberry.field(description="The field's name (see `documentCustomFields`).")
    value: str = strawberry.field(description="Its value; up to 500 characters.")


@strawberry.input(
    description="What a document is as a record. At upload, the fields given are set; in documentUpdate, a "
    "field left out is kept and a field given as null is cleared."
)
class DocumentRecordInput:
    title: str | None = strawberry.field(
        default=strawberry.UNSET, description="Its title; up to 300 characters."
    )
    number: str | None = strawberry.field(
        default=strawberry.UNSET, description="The reference number it bears; up to 100 characters."
    )
    document_date: date | None = strawberry.field(
        default=strawberry.UNSET, description="The date the document bears."
    )
    period: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The one period (`2026-Q1`) it is evidence for; it counts for no other period.",
    )
    report: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET, description="A Report of the document's region that it supports."
    )
    indicator_code: str | None = strawberry.field(
        default=strawberry.UNSET, description="With `report`: the indicator of the report's form it supports."
    )
    case: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET, description="A Case of the document's region that it supports."
    )
    custom_fields: list[DocumentCustomFieldInput] | None = strawberry.field(
        default=strawberry.UNSET,
        description="The custom fields of its category (all of them: this list replaces the earlier one).",
    )


def _raw_id(value: relay.GlobalID | None, type_name: str, code: DocumentErrorCode, field: str) -> str | None:
    return None if value is None else DOCUMENT_ERRORS.raw_id(value, type_name, code, field)


def record_input(given: DocumentRecordInput | None) -> RecordInput:
    """The domain's view: only the fields given, under their stored names."""
    if given is None:
        return RecordInput({})
    values: dict[str, Any] = {}
    plain = {"title": "title", "number": "number", "document_date": "document_date", "period": "period_key"}
    for name, stored in plain.items():
        value = getattr(given, name)
        if value is not strawberry.UNSET:
            values[stored] = value
    if given.indicator_code is not strawberry.UNSET:
        values["indicator_code"] = given.indicator_code
    if given.report is not strawberry.UNSET:
        values["report_id"] = _raw_id(given.report, "Report", DocumentErrorCode.REPORT_NOT_FOUND, "report")
    if given.case is not strawberry.UNSET:
        values["case_id"] = _raw_id(given.case, "Case", DocumentErrorCode.CASE_NOT_FOUND, "case")
    if given.custom_fields is not strawberry.UNSET:
        pairs = given.custom_fields or []
        names = [pair.name for pair in pairs]
        if len(set(names)) != len(names):
            raise DocumentError(
                DocumentErrorCode.INVALID_METADATA, "each custom field is given once", "customFields"
            )
        values["custom_fields"] = {pair.name: pair.value for pair in pairs}
    return RecordInput(values)
