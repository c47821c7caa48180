"""The report domain's closed sets of values as GraphQL enums (uppercase, each value described). Kept apart
from the types so that other domains (partner grants, requirements) can name report types without importing
them."""

from __future__ import annotations

from typing import TypeAlias

from hub.reports.errors import ReportErrorCode as ReportErrorCodeModel
from hub.reports.models import IncidentCategory as IncidentCategoryModel
from hub.reports.models import ReportStatus as ReportStatusModel
from hub.reports.models import ReportType as ReportTypeModel
from hub.reports.models import RiskLevel as RiskLevelModel
from hub.reports.models import ValueType as ValueTypeModel
from hub.reports.workflow import Action
from schema.describe import enum_type, error_codes

enum_type(
    ReportTypeModel,
    name="ReportType",
    description="The kind of a report, and of its template.",
    values={
        "QUARTERLY": "The quarterly monitoring report (laporan triwulan) of political developments that each "
        "Kesbangpol files per quarter (Permendagri 61/2011).",
        "INCIDENT": "An incident report (laporan insidental): a demonstration, conflict, security "
        "disturbance, neutrality breach or election obstacle, filed when it happens.",
    },
)
enum_type(
    ReportStatusModel,
    name="ReportStatus",
    description="Where a report stands on the review path: DRAFT → SUBMITTED → VERIFIED or RETURNED "
    "(→ SUBMITTED again after a revision) → EVALUATED → ARCHIVED.",
    values={
        "DRAFT": "Being written by its region's office; only it sees the draft change.",
        "SUBMITTED": "Sent for review to the level above (the province's coordinator, or central reviewers "
        "for a province).",
        "VERIFIED": "Checked and accepted by the level above.",
        "RETURNED": "Sent back with reasons per section or indicator; the author revises and submits again.",
        "EVALUATED": "Evaluated by the centre (Direktorat Politik Dalam Negeri), with an optional risk "
        "level.",
        "ARCHIVED": "Closed; kept for search and history.",
    },
)
enum_type(
    RiskLevelModel,
    name="RiskLevel",
    description="A level of risk or vulnerability (kerawanan): a report's assessment, an incident's or a "
    "case's severity.",
    values={
        "LOW": "Low: nothing that needs action beyond monitoring.",
        "MEDIUM": "Medium: watch closely; follow-up may be needed.",
        "HIGH": "High: follow-up needed now.",
        "CRITICAL": "Critical: escalate to the regional leadership forum (Forkopimda).",
    },
)
enum_type(
    IncidentCategoryModel,
    name="IncidentCategory",
    description="What an incident report is about.",
    values={
        "DEMONSTRATION": "A demonstration or mass gathering (unjuk rasa).",
        "CONFLICT": "A social or political conflict between groups.",
        "SECURITY_DISTURBANCE": "A disturbance of security and public order (gangguan kamtibmas).",
        "NEUTRALITY_BREACH": "A breach of civil servants' neutrality in elections (netralitas ASN).",
        "MONEY_POLITICS": "Vote buying or other money politics (politik uang).",
        "ELECTION_LOGISTICS": "A problem with election logistics (ballots, boxes, delivery).",
        "OTHER": "Anything else worth reporting.",
    },
)
enum_type(
    ValueTypeModel,
    name="ValueType",
    description="How an indicator's value is typed; an IndicatorValue fills the matching typed field.",
    values={
        "YES_NO": "Yes or no: `IndicatorValue.boolean`.",
        "NUMBER": "A number: `IndicatorValue.number`.",
        "MONEY": "An amount in rupiah, a whole number: `IndicatorValue.number`.",
        "PERCENTAGE": "0 to 100: `IndicatorValue.number`.",
        "CHOICE": "One of the indicator's `choices`: `IndicatorValue.text`.",
        "TEXT": "Free text: `IndicatorValue.text`.",
        "DATE": "A calendar date: `IndicatorValue.date`.",
    },
)
enum_type(
    Action,
    name="ReportAction",
    description="A step on a report's review path: what the viewer may do (`Report.viewerActions`) and what "
    "was done (`ReviewEvent.action`).",
    values={
        "EDIT": "Change the draft or the returned report (`reportUpdate`); never a review step.",
        "SUBMIT": "Send it for review (`reportSubmit`).",
        "VERIFY": "Accept it as the level above (`reportVerify`).",
        "RETURN": "Send it back with reasons (`reportReturn`).",
        "EVALUATE": "Evaluate it centrally (`reportEvaluate`).",
        "ARCHIVE": "Close it (`reportArchive`).",
        "REOPEN": "Send a verified or evaluated report back to its author with the reason an error was "
        "found (`reportReopen`).",
    },
)
error_codes(
    ReportErrorCodeModel,
    name="ReportErrorCode",
    noun="report",
    values={
        "TEMPLATE_NOT_FOUND": "No template exists for the report type.",
        "EVIDENCE_UNUSABLE": "An evidence document is in the trash or was refused by processing: it proves "
        "nothing.",
        "INVALID_STATE": "The report's status does not allow this step now (see `Report.viewerActions`).",
        "DUPLICATE_PERIOD": "The region already has a quarterly report for this period.",
        "REQUIRED": "A required narrative or indicator value is missing (named by `field`).",
        "INVALID_VALUE": "A value is not of the indicator's type or out of its range.",
        "UNKNOWN_FIELD": "A section or indicator code that the report's template does not have.",
        "REASON_REQUIRED": "A return needs at least one reason; a reopening needs its reason.",
        "NOT_AN_INCIDENT": "The change is for incident reports only.",
        "ALREADY_REVIEWED": "The incident was reviewed (verified, evaluated or archived): its author can no "
        "longer correct it or attach to it.",
        "ATTACHMENT_NOT_FOUND": "An attachment is not a document you can see of the incident's own region "
        "(or it is in the trash).",
        "ATTACHMENT_TAKEN": "The document is attached to another incident already.",
        "ATTACHMENT_REJECTED": "Processing rejected the document (`Document.rejectionReason`): it cannot be "
        "attached.",
        "TOO_MANY_ATTACHMENTS": "An incident has at most 20 attachments.",
        "REASON_NOT_FOUND": "No return reason of the report has this key, or it is not one of the latest "
        "return's.",
        "REASONS_OPEN": "The reviewer required every reason addressed before resubmitting; `field` names an "
        "open one (`reasons.<key>`).",
        "RULE_FAILED": "A rule of the report's template across fields is not met (`field` names the value at "
        "fault, see `ReportTemplate.rules`).",
    },
)

ReportType: TypeAlias = ReportTypeModel
ReportStatus: TypeAlias = ReportStatusModel
RiskLevel: TypeAlias = RiskLevelModel
IncidentCategory: TypeAlias = IncidentCategoryModel
ValueType: TypeAlias = ValueTypeModel
ReportErrorCode: TypeAlias = ReportErrorCodeModel
ReportAction: TypeAlias = Action
