"""The record a thread belongs to, and who may read its comments: exactly who may read the record (its region
in the reader's scope; for reports, its type too). Partner grants never read or write comments, whatever
fields they list: a comment is staff's working discussion, not data published to an agency."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hub.access.principal import Principal
from hub.access.scope import Scope
from hub.cases.models import Case
from hub.core.ids import object_id
from hub.reports.models import Report
from hub.threads.errors import CommentError, CommentErrorCode
from hub.threads.models import Comment, CommentTarget


@dataclass(frozen=True)
class ThreadRecord:
    """What a thread needs of its record."""

    target_type: CommentTarget
    record: Report | Case

    @property
    def region_path(self) -> list[str]:
        return list(self.record.region_path)

    @property
    def report_type(self) -> str | None:
        return self.record.type.value if isinstance(self.record, Report) else None


def scope_reads(scope: Scope, region_path: Sequence[str], report_type: str | None) -> bool:
    """Whether a scope reads a record of this region (and report type)."""
    if not scope.covers(region_path):
        return False
    return report_type is None or scope.allows_report_type(report_type)


def refuse_partner(principal: Principal) -> None:
    if principal.is_partner or not principal.is_authenticated:
        raise CommentError(
            CommentErrorCode.PERMISSION_DENIED, "comments are for staff accounts only, never partner grants"
        )


def reads_comment(principal: Principal, comment: Comment) -> bool:
    return (
        not principal.is_partner
        and principal.is_authenticated
        and scope_reads(principal.scope, comment.region_path, comment.report_type)
    )


async def load_record(principal: Principal, target_type: CommentTarget, record_id: str) -> ThreadRecord:
    """The record, as the principal may read it; RECORD_NOT_FOUND also when it lies outside the scope."""
    refuse_partner(principal)
    oid = object_id(record_id)
    model = Report if target_type is CommentTarget.REPORT else Case
    record = await model.get(oid) if oid is not None else None
    found = ThreadRecord(target_type, record) if record is not None else None
    if found is None or not scope_reads(principal.scope, found.region_path, found.report_type):
        raise CommentError(CommentErrorCode.RECORD_NOT_FOUND, "no record you can read has this id", "record")
    return found
