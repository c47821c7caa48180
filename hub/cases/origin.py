"""Where a new case comes from: a region directly, or a report and one of its indicators."""

from __future__ import annotations

from dataclasses import dataclass

from hub.access.principal import Principal
from hub.cases.errors import CaseError, CaseErrorCode
from hub.core.ids import object_id
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
                "an indicator is named together with the report it comes from (`sourceReport`)",
                "sourceIndicator",
            )
        if not region_code:
            raise CaseError(
                CaseErrorCode.REGION_REQUIRED, "give the region, or the report the case comes from", "region"
            )
        region = await get_region(region_code)
        if region is None:
            raise CaseError(
                CaseErrorCode.REGION_NOT_FOUND, f"no region has the code {region_code!r}", "region"
            )
        return Origin(region.id, region.subtree_codes)

    oid = object_id(source_report_id)
    report = await Report.get(oid) if oid is not None else None
    if report is None or not principal.scope.covers(report.region_path):
        raise CaseError(CaseErrorCode.REPORT_NOT_FOUND, "no report you may see has this id", "sourceReport")
    if region_code and region_code != report.region_code:
        raise CaseError(
            CaseErrorCode.REGION_MISMATCH,
            f"a case from this report belongs to the report's region {report.region_code}; "
            "leave `region` out or give that one",
            "region",
        )
    if indicator is not None:
        template = await template_version(report.type, report.template_version)
        if template is None or template.indicator(indicator) is None:
            raise CaseError(
                CaseErrorCode.INDICATOR_NOT_FOUND,
                f"the {report.type.value} report template (version {report.template_version}) "
                f"has no indicator {indicator!r}",
                "sourceIndicator",
            )
    return Origin(report.region_code, list(report.region_path), report, indicator)
