"""The ids the report mutations take."""

from __future__ import annotations

from strawberry import relay

from hub.reports.errors import ReportErrorCode
from schema.reports.inputs import REPORT_ERRORS


def report_id(value: relay.GlobalID) -> str:
    return REPORT_ERRORS.raw_id(value, "Report", ReportErrorCode.REPORT_NOT_FOUND)


def region_code(value: relay.GlobalID) -> str:
    return REPORT_ERRORS.raw_id(value, "Region", ReportErrorCode.REGION_NOT_FOUND, "region")
