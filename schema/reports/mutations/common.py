"""The ids the report mutations take."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.reports.errors import ReportErrorCode
from schema.reports.inputs import REPORT_ERRORS

ReportId = Annotated[relay.GlobalID, strawberry.argument(description="The report's id.")]


def report_id(value: relay.GlobalID) -> str:
    return REPORT_ERRORS.raw_id(value, "Report", ReportErrorCode.REPORT_NOT_FOUND)


def document_ids(values: list[relay.GlobalID], field: str) -> list[str]:
    """The raw ids of Document global ids; another type is ATTACHMENT_NOT_FOUND, naming the field."""
    return [
        REPORT_ERRORS.raw_id(value, "Document", ReportErrorCode.ATTACHMENT_NOT_FOUND, field)
        for value in values
    ]
