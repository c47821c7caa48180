from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import StrEnum

from hub.errors import DomainError
from hub.i18n import Language, Text, localize


class ReportErrorCode(StrEnum):
    REPORT_NOT_FOUND = "REPORT_NOT_FOUND"
    REGION_NOT_FOUND = "REGION_NOT_FOUND"
    TEMPLATE_NOT_FOUND = "TEMPLATE_NOT_FOUND"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    INVALID_STATE = "INVALID_STATE"
    DUPLICATE_PERIOD = "DUPLICATE_PERIOD"
    CONFLICT = "CONFLICT"
    REQUIRED = "REQUIRED"
    INVALID_VALUE = "INVALID_VALUE"
    UNKNOWN_FIELD = "UNKNOWN_FIELD"
    EVIDENCE_REQUIRED = "EVIDENCE_REQUIRED"
    EVIDENCE_NOT_FOUND = "EVIDENCE_NOT_FOUND"
    EVIDENCE_UNUSABLE = "EVIDENCE_UNUSABLE"
    REASON_REQUIRED = "REASON_REQUIRED"
    INVALID_PERIOD = "INVALID_PERIOD"
    STAGE_NOT_FOUND = "STAGE_NOT_FOUND"
    # Incident attachments and corrections
    NOT_AN_INCIDENT = "NOT_AN_INCIDENT"
    ALREADY_REVIEWED = "ALREADY_REVIEWED"
    ATTACHMENT_NOT_FOUND = "ATTACHMENT_NOT_FOUND"
    ATTACHMENT_TAKEN = "ATTACHMENT_TAKEN"
    ATTACHMENT_REJECTED = "ATTACHMENT_REJECTED"
    TOO_MANY_ATTACHMENTS = "TOO_MANY_ATTACHMENTS"
    REASON_NOT_FOUND = "REASON_NOT_FOUND"
    REASONS_OPEN = "REASONS_OPEN"
    RULE_FAILED = "RULE_FAILED"


@dataclass(frozen=True)
class FieldProblem:
    """One field's problem. Given a `Text`, `message` is its English (logs, equality) and `text` the Text,
    which `localized` renders in the reader's language."""

    field: str  # e.g. `values.nphd_signed`, `narratives.analysis`, `evidence.team_decree_in_place`
    code: ReportErrorCode
    message: str
    text: Text | None = dataclass_field(default=None, compare=False)

    def __init__(self, field: str, code: ReportErrorCode, message: str | Text) -> None:
        text = message if isinstance(message, Text) else None
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "message", str(message))
        object.__setattr__(self, "text", text)

    def localized(self, language: Language | None = None) -> str:
        return localize(self.text or self.message, self.code.value, language)


class ReportError(DomainError):
    def __init__(self, code: ReportErrorCode, message: str | Text, field: str | None = None) -> None:
        super().__init__(code, message, field)


class ReportContentError(ReportError):
    """Several fields at once, each named: the whole change is refused."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__(problems[0].code, problems[0].message, problems[0].field)
        self.problems = problems


class ExtensionErrorCode(StrEnum):
    REGION_NOT_FOUND = "REGION_NOT_FOUND"
    EXTENSION_NOT_FOUND = "EXTENSION_NOT_FOUND"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    INVALID_PERIOD = "INVALID_PERIOD"
    INVALID_DEADLINE = "INVALID_DEADLINE"
    REASON_REQUIRED = "REASON_REQUIRED"
    REASON_TOO_LONG = "REASON_TOO_LONG"
    ALREADY_EXTENDED = "ALREADY_EXTENDED"
    ALREADY_REVOKED = "ALREADY_REVOKED"


class ExtensionError(DomainError):
    def __init__(self, code: ExtensionErrorCode, message: str | Text, field: str | None = None) -> None:
        super().__init__(code, message, field)


class TemplateErrorCode(StrEnum):
    PERMISSION_DENIED = "PERMISSION_DENIED"
    TEMPLATE_NOT_FOUND = "TEMPLATE_NOT_FOUND"
    INVALID_CODE = "INVALID_CODE"
    DUPLICATE_CODE = "DUPLICATE_CODE"
    INVALID_TEXT = "INVALID_TEXT"
    INVALID_CHOICES = "INVALID_CHOICES"
    TOO_LARGE = "TOO_LARGE"
    TOO_DEEP = "TOO_DEEP"
    INVALID_CONDITION = "INVALID_CONDITION"
    UNKNOWN_FIELD = "UNKNOWN_FIELD"
    TYPE_MISMATCH = "TYPE_MISMATCH"
    CONFLICT = "CONFLICT"


@dataclass(frozen=True)
class TemplateProblem:
    field: str | None  # e.g. `rules.0.require.otherField`, `sections.2.indicators.1.code`
    code: TemplateErrorCode
    message: str


class TemplateError(DomainError):
    """A template version refused: `problems` names every part at fault; nothing was written."""

    def __init__(self, problems: list[TemplateProblem]) -> None:
        super().__init__(problems[0].code, problems[0].message, problems[0].field)
        self.problems = problems


def template_refusal(code: TemplateErrorCode, message: str, field: str | None = None) -> TemplateError:
    return TemplateError([TemplateProblem(field, code, message)])
