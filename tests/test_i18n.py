"""Indonesian first: messages are in Indonesian without `Accept-Language`, in English with `en`; the codes are
the same in both. Typed payload errors, top-level errors (the hub's own and a domain's), document limits, HTTP
refusals of the hub's routes and notifications, as a client reads them."""

from __future__ import annotations

from typing import Any

import pytest
from beanie import PydanticObjectId
from starlette.applications import Starlette

from hub.i18n import Language, Text
from hub.notifications.models import NotificationKind
from hub.notifications.service import NotificationDraft, notify
from hub.reminders.mail import SmtpConfig, compose
from tests.conftest import Account
from tests.graphql import app_clients, global_id

DELETE = """
mutation Delete($id: ID!) { savedSearchDelete(id: $id) { deletedId errors { field message code } } }
"""
ME = "{ notifications(first: 5) { nodes { title body } } }"
DEEP = '{ region(code: "31.74") { ' + "parent { " * 40 + "code" + " }" * 40 + " } }"
NOT_MINE = global_id("SavedSearch", PydanticObjectId())

INDONESIAN_NOT_FOUND = "Anda tidak memiliki pencarian tersimpan dengan id ini"
ENGLISH_NOT_FOUND = "you have no saved search with this id"


async def _post(app: Starlette, token: str | None, language: str | None, query: str, **variables: Any) -> Any:
    """The response body of a request with `Accept-Language: language` (None: no header at all)."""
    async with app_clients(app)(token) as client:
        del client.headers["Accept-Language"]  # the shared clients ask for English
        headers = {"Accept-Language": language} if language is not None else {}
        response = await client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
    assert response.status_code == 200, response.text
    return response.json()


async def _deleted(app: Starlette, admin: Account, language: str | None) -> dict[str, Any]:
    body = await _post(app, admin.token, language, DELETE, id=NOT_MINE)
    payload: dict[str, Any] = body["data"]["savedSearchDelete"]
    assert payload["deletedId"] is None and len(payload["errors"]) == 1
    error: dict[str, Any] = payload["errors"][0]
    return error


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, INDONESIAN_NOT_FOUND),
        ("id", INDONESIAN_NOT_FOUND),
        ("id-ID;q=0.9,en;q=0.8", INDONESIAN_NOT_FOUND),
        ("fr-FR, de;q=0.5", INDONESIAN_NOT_FOUND),
        ("not a language header;;q==", INDONESIAN_NOT_FOUND),
        ("en", ENGLISH_NOT_FOUND),
        ("en-US,en;q=0.9,id;q=0.1", ENGLISH_NOT_FOUND),
    ],
)
async def test_a_typed_error_is_in_the_negotiated_language_with_the_same_code(
    app: Starlette, accounts: dict[str, Account], header: str | None, message: str
) -> None:
    error = await _deleted(app, accounts["admin"], header)
    assert error == {"field": "id", "message": message, "code": "SAVED_SEARCH_NOT_FOUND"}


async def test_a_top_level_error_is_in_indonesian_by_default(app: Starlette) -> None:
    indonesian = (await _post(app, None, None, ME))["errors"][0]
    english = (await _post(app, None, "en-GB", ME))["errors"][0]
    assert indonesian["extensions"] == english["extensions"] == {"code": "UNAUTHENTICATED"}
    assert indonesian["message"] == "Silakan masuk terlebih dahulu: kirim 'Authorization: Bearer <token>'."
    assert english["message"] == "sign in first: send 'Authorization: Bearer <token>'"


async def test_a_domain_error_at_the_top_level_reads_in_both_languages(app: Starlette) -> None:
    """A refused token: its domain's error (AccessError) as a top-level error."""
    indonesian = (await _post(app, "not-a-token", None, ME))["errors"][0]
    english = (await _post(app, "not-a-token", "en", ME))["errors"][0]
    assert indonesian["extensions"]["code"] == english["extensions"]["code"] == "INVALID_TOKEN"
    assert indonesian["message"] == "Token akses tidak valid"
    assert english["message"] == "the access token is not valid"


async def test_a_domain_error_raised_by_a_query_reads_in_both_languages(
    app: Starlette, accounts: dict[str, Account]
) -> None:
    """A domain error raised while a query runs (not a mutation's typed errors): the top-level error."""
    query = "query Trail($user: ID!) { auditEntries(filter: {user: $user}) { totalCount } }"
    region_id = global_id("Region", "31")
    token = accounts["admin"].token
    indonesian = (await _post(app, token, None, query, user=region_id))["errors"][0]
    english = (await _post(app, token, "en", query, user=region_id))["errors"][0]
    assert (
        indonesian["extensions"]
        == english["extensions"]
        == {"field": "filter.user", "code": "INVALID_FILTER"}
    )
    assert (indonesian["message"], english["message"]) == (
        "`user` harus berupa id User",
        "`user` must be a User id",
    )


async def test_document_limits_answer_each_language_even_for_a_document_checked_before(
    app: Starlette, accounts: dict[str, Account]
) -> None:
    """The checked document's errors are cached by its text: the cache must not answer one language's
    message to the other."""
    token = accounts["admin"].token
    english = (await _post(app, token, "en", DEEP))["errors"][0]
    indonesian = (await _post(app, token, None, DEEP))["errors"][0]
    again = (await _post(app, token, "en", DEEP))["errors"][0]
    assert english["extensions"]["code"] == indonesian["extensions"]["code"] == "QUERY_TOO_DEEP"
    assert "levels deep; at most" in english["message"] and again == english
    assert "bersarang 41 tingkat; paling banyak" in indonesian["message"]


async def test_an_http_refusal_of_an_export_reads_in_the_negotiated_language(app: Starlette) -> None:
    async with app_clients(app)(None) as client:
        del client.headers["Accept-Language"]
        indonesian = await client.get("/exports/reports.csv")
        english = await client.get("/exports/reports.csv", headers={"Accept-Language": "en-US"})
    assert indonesian.status_code == english.status_code == 401
    assert indonesian.json()["errors"][0] == {
        "message": "Silakan masuk terlebih dahulu",
        "extensions": {"code": "UNAUTHENTICATED"},
    }
    assert english.json()["errors"][0]["message"] == "sign in first"


async def test_a_body_over_the_cap_is_refused_in_the_negotiated_language(app: Starlette) -> None:
    async with app_clients(app)(None) as client:
        del client.headers["Accept-Language"]
        too_large = b"x" * (app.state.clients.settings.max_json_body_bytes + 1)
        answer = await client.post(
            "/graphql", content=too_large, headers={"Content-Type": "application/json"}
        )
    assert answer.status_code == 413
    error = answer.json()["errors"][0]
    assert error["extensions"]["code"] == "BODY_TOO_LARGE" and error["message"].startswith(
        "Isi permintaan melebihi"
    )


async def test_notifications_are_read_in_the_readers_language(
    app: Starlette, accounts: dict[str, Account]
) -> None:
    from hub.access.models import User

    reader = await User.find_one({"username": "operator-31.74"})
    assert reader is not None and reader.id is not None
    stored = await notify(
        NotificationDraft(
            user_id=reader.id,
            kind=NotificationKind.REMINDER,
            title=Text("notice.reminder.overdue.title", what="Laporan triwulan (2026-Q1)"),
            body=Text(
                "notice.reminder.overdue.body",
                what="Laporan triwulan (2026-Q1)",
                region="Kota Jakarta Selatan (31.74)",
                due="2026-04-15 00:00 UTC",
            ),
            key=f"reminder:test-i18n:{PydanticObjectId()}",
        )
    )
    assert stored is not None
    token = accounts["operator-31.74"].token
    indonesian = (await _post(app, token, None, ME))["data"]["notifications"]["nodes"]
    english = (await _post(app, token, "en", ME))["data"]["notifications"]["nodes"]
    assert {
        "title": "Terlambat: Laporan triwulan (2026-Q1)",
        "body": stored.body_in(Language.INDONESIAN),
    } in (indonesian)
    assert {"title": "Overdue: Laporan triwulan (2026-Q1)", "body": stored.body} in english
    assert "Batas waktu pengisian telah lewat" in stored.body_in(Language.INDONESIAN)

    mail = compose(stored, "operator@kesbang.test", SmtpConfig(host="smtp.test", port=25, sender="hub@test"))
    assert mail["Subject"] == "[Pantau] Terlambat: Laporan triwulan (2026-Q1)"
    assert "pengingat ini juga ada di notifikasi Anda" in mail.get_content()
