"""Template management for admins: a new version of a report type's template, checked whole (sizes first,
then codes, texts and rules: hub.reports.template_checks) and written once. Versions are never changed: a new
one is the next number, and reports keep the version they were made with (`Report.template_version`);
new reports take the newest. Two admins creating a version at once: one wins, the other gets CONFLICT."""

from __future__ import annotations

from beanie import SortDirection
from pymongo.errors import DuplicateKeyError

from hub.access.principal import Principal
from hub.audit.linker import complete_insert
from hub.audit.pending import attach_pending
from hub.core.paging import Keyset, Page, Position
from hub.reports.errors import TemplateError, TemplateErrorCode, template_refusal
from hub.reports.models import ReportTemplate, ReportType, Section
from hub.reports.rules import Rule
from hub.reports.template_checks import check_template
from hub.reports.templates import current_template

VERSIONS_ORDER = Keyset(
    "template-versions", (("version", SortDirection.DESCENDING), ("_id", SortDirection.DESCENDING))
)


def require_admin(principal: Principal) -> None:
    if not principal.is_admin or principal.is_partner:
        raise template_refusal(TemplateErrorCode.PERMISSION_DENIED, "only admins manage templates")


async def create_template_version(
    principal: Principal, report_type: ReportType, title: str, sections: list[Section], rules: list[Rule]
) -> ReportTemplate:
    """The new version (the newest plus one), or TemplateError naming every part at fault."""
    require_admin(principal)
    latest = await current_template(report_type)
    version = (latest.version if latest else 0) + 1
    template = ReportTemplate(type=report_type, version=version, title=title, sections=sections, rules=rules)
    problems = check_template(template)
    if problems:
        raise TemplateError(problems)
    audit = attach_pending(
        template,
        principal.actor,
        "template.version_create",
        "ReportTemplate",
        {
            "type": report_type.value,
            "version": version,
            "content": template.model_dump(mode="json", include={"title", "sections", "rules"}),
        },
    )
    try:
        await template.insert()
    except DuplicateKeyError:
        raise template_refusal(
            TemplateErrorCode.CONFLICT, f"version {version} was created meanwhile; reload and try again"
        ) from None
    await complete_insert(template, audit)
    return template


async def list_template_versions(
    principal: Principal, report_type: ReportType, after: Position | None, first: int
) -> Page[ReportTemplate]:
    """Every version of a type's template, newest first (admins)."""
    require_admin(principal)
    return await VERSIONS_ORDER.page(ReportTemplate, {"type": report_type.value}, after, first)
