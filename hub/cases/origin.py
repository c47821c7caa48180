"""Where a new case comes from: a region directly, or a report and one of its indicators."""

from __future__ import annotations

from dataclasses import dataclass

from hub.access.principal import Principal
from hub.cases.errors import CaseError, CaseErrorCode
from hub.core.ids import object_id
from hub.i18n import Text
from hub.regions.services import get_region
from hub.reports.models import Report
from hub.reports.templates import template_version


@dataclass(frozen=True)
class Origin:
    region_code: str
    region_path: list[str]
    report: Report | None = None
    indicator: str | None = None


async def case_origin(
    principal: Principal, region_code: str | None, source_report_id: str | None, source_indicator: str | None
) -> Origin:
    """The owning region of a new case: the given region, or that of the report it comes from (which the
    principal must be able to see), with the indicator checked against the report's template."""
    indicator = (source_indicator or "").strip() or None
    if source_report_id is None:
        if indicator is not None:
            raise CaseError(
                CaseErrorCode.SOURCE_REPORT_REQUIRED,
                Text("cases.source_report_required"),
                "sourceIndicator",
            )
        if not region_code:
            raise CaseError(CaseErrorCode.REGION_REQUIRED, Text("cases.region_required"), "region")
        region = await get_region(region_code)
        if region is None:
            raise CaseError(
                CaseErrorCode.REGION_NOT_FOUND,
                Text("cases.region_not_found", region_code=region_code),
                "region",
            )
        return Origin(region.id, region.subtree_codes)

    oid = object_id(source_report_id)
    report = await Report.get(oid) if oid is not None else None
    if report is None or not principal.scope.covers(report.region_path):
        raise CaseError(CaseErrorCode.REPORT_NOT_FOUND, Text("cases.report_not_found"), "sourceReport")
    if region_code and region_code != report.region_code:
        raise CaseError(
            CaseErrorCode.REGION_MISMATCH,
            Text("cases.region_mismatch", region_code=report.region_code),
            "region",
        )
    if indicator is not None:
        template = await template_version(report.type, report.template_version)
        if template is None or template.indicator(indicator) is None:
            raise CaseError(
                CaseErrorCode.INDICATOR_NOT_FOUND,
                Text(
                    "cases.indicator_not_found",
                    report_type=report.type.value,
                    template_version=report.template_version,
                    indicator=indicator,
                ),
                "sourceIndicator",
            )
    return Origin(report.region_code, list(report.region_path), report, indicator)
