"""CSV and XLSX exports: the GraphQL lists' scope and filters, streamed, refused when they should be."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from starlette.applications import Starlette

from tests.conftest import TIGHT_RATE_LIMIT, Account
from tests.graphql import Client, app_clients
from tests.reports_helpers import create_report
from tests.test_reports import fresh_period


async def _get(client_for: Client, token: str | None, url: str) -> tuple[int, dict[str, str], bytes]:
    async with client_for(token) as client:
        response = await client.get(url)
    return response.status_code, dict(response.headers), response.content


def _rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


async def test_report_csv_is_scoped_and_filtered(client_for: Client, accounts: dict[str, Account]) -> None:
    year, quarter = fresh_period()
    jakarta = await create_report(
        client_for,
        accounts["operator-31.74"].token,
        "31.74",
        year,
        quarter,
        {"title": '=HYPERLINK("http://x")'},
    )
    aceh = await create_report(client_for, accounts["operator-11.01"].token, "11.01", year, quarter)
    period = f"{year}-Q{quarter}"
    url = f"/exports/reports.csv?periodFrom={period}&periodTo={period}&types=quarterly"
    status, headers, body = await _get(client_for, accounts["reviewer"].token, url)
    assert status == 200
    assert headers["content-type"].startswith("text/csv")
    assert "attachment" in headers["content-disposition"]
    rows = _rows(body)
    assert {row["region_code"] for row in rows} == {"31.74", "11.01"}
    assert {row["title"] for row in rows if row["region_code"] == "31.74"} == {'\'=HYPERLINK("http://x")'}
    assert jakarta["id"] and aceh["id"]

    _, _, own = await _get(client_for, accounts["operator-31.74"].token, url)
    assert {row["region_code"] for row in _rows(own)} == {"31.74"}
    _, _, draft_only = await _get(client_for, accounts["reviewer"].token, url + "&statuses=submitted")
    assert _rows(draft_only) == []


async def test_xlsx_is_a_real_workbook(client_for: Client, accounts: dict[str, Account]) -> None:
    status, headers, body = await _get(client_for, accounts["leader-31"].token, "/exports/cases.xlsx")
    assert status == 200
    assert headers["content-type"].startswith("application/vnd.openxmlformats")
    with zipfile.ZipFile(io.BytesIO(body)) as workbook:
        assert "xl/worksheets/sheet1.xml" in workbook.namelist()
        texts = "".join(workbook.read(name).decode() for name in workbook.namelist() if name.endswith(".xml"))
    assert "region_code" in texts


@pytest.mark.parametrize(
    ("who", "url", "status", "code"),
    [
        (None, "/exports/reports.csv", 401, "UNAUTHENTICATED"),
        ("reviewer", "/exports/reports.pdf", 404, "NOT_FOUND"),
        ("reviewer", "/exports/users.csv", 404, "NOT_FOUND"),
        ("reviewer", "/exports/reports.csv?statuses=lost", 400, "BAD_PARAMETER"),
        ("reviewer", "/exports/reports.csv?overdue=maybe", 400, "BAD_PARAMETER"),
        ("reviewer", "/exports/completeness.csv", 400, "BAD_PARAMETER"),
        ("reviewer", "/exports/completeness.csv?periods=2026-Q7", 400, "BAD_PARAMETER"),
    ],
)
async def test_refusals_are_clear(
    client_for: Client, accounts: dict[str, Account], who: str | None, url: str, status: int, code: str
) -> None:
    got, _, body = await _get(client_for, accounts[who].token if who else None, url)
    assert got == status
    import json

    assert json.loads(body)["errors"][0]["extensions"]["code"] == code


async def test_partners_cannot_export(client_for: Client, accounts: dict[str, Account]) -> None:
    from datetime import timedelta

    from hub.access.grants import create_grant
    from hub.core.clock import utcnow

    grant = await create_grant(
        actor="user:admin",
        agency="KPU",
        region_roots=["31"],
        fields=["Report.title"],
        expires_at=utcnow() + timedelta(days=1),
    )
    status, _, _ = await _get(client_for, grant.token, "/exports/reports.csv")
    assert status == 403


async def test_completeness_export(client_for: Client, accounts: dict[str, Account]) -> None:
    status, _, body = await _get(
        client_for, accounts["coordinator-31"].token, "/exports/completeness.csv?periods=2035-Q1&region=31"
    )
    assert status == 200
    rows = _rows(body)
    assert all(row["region_code"].startswith("31") for row in rows)


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("/exports/cases.csv?region=NOPE", "region"),
        ("/exports/cases.xlsx?region=NOPE", "region"),
        ("/exports/reports.csv?region=NOPE", "region"),
        ("/exports/completeness.csv?periods=2026-Q1&region=NOPE", "region"),
        ("/exports/reports.csv?periodFrom=2026-Q9", "periodFrom"),
        ("/exports/reports.xlsx?periodTo=kemarin", "periodTo"),
        ("/exports/cases.csv?severities=extreme", "severities"),
    ],
)
async def test_every_parameter_is_checked_before_the_first_byte(
    client_for: Client, accounts: dict[str, Account], url: str, named: str
) -> None:
    status, headers, body = await _get(client_for, accounts["reviewer"].token, url)
    assert (status, headers["content-type"]) == (400, "application/json")
    [error] = json.loads(body)["errors"]
    assert error["extensions"]["code"] == "BAD_PARAMETER"
    assert f"`{named}`" in error["message"]


async def test_exports_spend_the_callers_budget(
    rate_limited_app: Starlette, accounts: dict[str, Account]
) -> None:
    async with app_clients(rate_limited_app)(accounts["leader-31"].token) as http:
        answers = [await http.get("/exports/cases.csv") for _ in range(TIGHT_RATE_LIMIT + 1)]
        query = await http.post("/graphql", json={"query": "{ __typename }"})
    assert [answer.status_code for answer in answers] == [200] * TIGHT_RATE_LIMIT + [429]
    [error] = answers[-1].json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert int(answers[-1].headers["Retry-After"]) > 0
    assert query.status_code == 429, "exports and GraphQL operations share one budget"
