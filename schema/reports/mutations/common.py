from __future__ import annotations

from strawberry import relay

from hub.reports.errors import ReportError, ReportErrorCode


def report_id(value: relay.GlobalID) -> str:
    if value.type_name != "Report":
        raise ReportError(ReportErrorCode.REPORT_NOT_FOUND, "`id` must be the id of a Report", "id")
    return value.node_id


def region_code(value: relay.GlobalID) -> str:
    if value.type_name != "Region":
        raise ReportError(ReportErrorCode.REGION_NOT_FOUND, "`region` must be the id of a Region", "region")
    return value.node_id
