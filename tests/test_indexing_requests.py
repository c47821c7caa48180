"""Reports and cases ask for their own indexing where they write their `needs_index` marker, through the
dispatcher of the work in progress (each request's, set by the app): a caller cannot forget it."""

from __future__ import annotations

from datetime import timedelta

from hub.access.models import User
from hub.access.principal import Principal
from hub.access.sessions import principal_for_user
from hub.cases.models import CaseCategory
from hub.cases.services import CaseDraft, add_follow_up, open_case
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.dispatch import NoDispatch, current_dispatcher, dispatching
from hub.reports.models import Period, RiskLevel
from hub.reports.services import Content, create_quarterly, update_report
from tests.conftest import Account
from tests.test_reports import fresh_period


class Recorder:
    """A TaskDispatcher that keeps what it was asked to do."""

    def __init__(self) -> None:
        self.indexed: list[tuple[str, str]] = []

    def ingest_document(self, document_id: str) -> None:
        raise AssertionError("no document here")

    def index_document(self, document_id: str) -> None:
        raise AssertionError("no document here")

    def index_record(self, kind: str, record_id: str) -> None:
        self.indexed.append((kind, record_id))


async def _operator(account: Account) -> Principal:
    user = await User.find_one({"username": account.username})
    assert user is not None
    return principal_for_user(user)


async def test_report_changes_ask_for_indexing(seeded: Clients, accounts: dict[str, Account]) -> None:
    operator = await _operator(accounts["operator-31.74"])
    year, quarter = fresh_period()
    recorder = Recorder()
    with dispatching(recorder):
        created = await create_quarterly(
            seeded.settings,
            operator,
            region_code="31.74",
            period=Period(year=year, quarter=quarter),
            content=Content(title="Laporan triwulan"),
        )
        report_id = str(created.report.id)
        assert recorder.indexed == [("reports", report_id)]
        await update_report(operator, report_id, Content(title="Laporan triwulan (revisi)"), None)
    assert recorder.indexed == [("reports", report_id), ("reports", report_id)]
    assert isinstance(current_dispatcher(), NoDispatch)  # outside a request: left to the sweep


async def test_case_changes_ask_for_indexing(accounts: dict[str, Account]) -> None:
    operator = await _operator(accounts["operator-31.74"])
    recorder = Recorder()
    with dispatching(recorder):
        opened = await open_case(
            operator,
            CaseDraft(
                title="Logistik terlambat",
                category=CaseCategory.LOGISTICS,
                severity=RiskLevel.MEDIUM,
                due_at=utcnow() + timedelta(days=7),
                region_code="31.74",
            ),
        )
        case_id = str(opened.case.id)
        await add_follow_up(operator, case_id, note="Gudang dicek", evidence=[])
    assert recorder.indexed == [("cases", case_id), ("cases", case_id)]
