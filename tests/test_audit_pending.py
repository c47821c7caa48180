"""Audit entries written in the same update as the change they record (hub.audit.pending), and linked into
the chain by the request or the periodic linker (hub.audit.linker): a process that dies between the change
and the linking, an append that fails, a linker that runs twice, a lease held by another process, an
audited delete, an unsealed entry planted in the database, and what `pantau audit verify` says of entries
that wait. Faults are injected at the linker's boundary; MongoDB and Redis are the real ones."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from typing import Any

import pytest
from beanie import PydanticObjectId
from pymongo.errors import AutoReconnect

from hub.access.roles import Role
from hub.access.sessions import principal_for_user
from hub.audit import linker
from hub.audit.chain import AuditKey
from hub.audit.linker import Marked, link, link_pending
from hub.audit.models import AuditEntry
from hub.audit.pending import PendingAudit, pending_entry, push_pending
from hub.audit.service import verify
from hub.cases.models import Case
from hub.clients import Clients, open_clients
from hub.core.clock import utcnow
from hub.searches.models import SavedSearch
from hub.searches.services import SavedSearchDraft, create_saved_search, delete_saved_search
from hub.settings import Settings
from tests.case_factories import FOLLOW_UP, create_case, edit_case
from tests.conftest import Account
from tests.graphql import Client, global_id, gql_field_as, raw_id
from tests.live_helpers import free_port
from tests.saved_search_helpers import new_user
from tests.test_audit import _run_cli


class ProcessDiedError(BaseException):
    """The process ending at this point: nothing after it runs, and nothing catches it."""


def _die(*_: Any, **__: Any) -> Any:
    raise ProcessDiedError


async def _case(client_for: Client, accounts: dict[str, Account]) -> Case:
    created = await create_case(client_for, accounts["admin"].token)
    case = await Case.get(PydanticObjectId(raw_id(created["id"])))
    assert case is not None
    assert case.audit_pending == []  # its creation was linked right away
    return case


async def _linked(target: str, action: str) -> list[AuditEntry]:
    return await AuditEntry.find({"target": target, "action": action}).to_list()


async def _waiting_in(case_id: PydanticObjectId | None) -> list[PendingAudit]:
    case = await Case.get(case_id)
    assert case is not None
    return case.audit_pending


async def test_a_change_whose_process_dies_before_linking_is_linked_by_the_sweep(
    client_for: Client, accounts: dict[str, Account], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = await _case(client_for, accounts)
    monkeypatch.setattr(linker, "link", _die)
    with pytest.raises(ProcessDiedError):
        await edit_case(case, {"title": "Judul sesudah kejadian"})
    monkeypatch.undo()

    stored = await Case.get(case.id)
    assert stored is not None and stored.title == "Judul sesudah kejadian"
    (waiting,) = stored.audit_pending
    assert (waiting.action, waiting.change) == ("case.edit", {"title": "Judul sesudah kejadian"})
    assert await _linked(f"Case:{case.id}", "case.edit") == []

    outcome = await link_pending()
    assert outcome.linked >= 1
    (entry,) = await _linked(f"Case:{case.id}", "case.edit")
    assert (entry.actor, entry.change, entry.pending_id, entry.at) == (
        "user:someone-else",
        {"title": "Judul sesudah kejadian"},
        waiting.id,
        waiting.at,
    )
    assert await _waiting_in(case.id) == []
    assert (await verify()).ok


async def test_a_failing_append_loses_no_entry_and_fails_no_request(
    client_for: Client, accounts: dict[str, Account], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = await _case(client_for, accounts)

    async def refused(*_: Any) -> Any:
        raise AutoReconnect("the chain's server went away")

    monkeypatch.setattr(linker, "append_once", refused)
    note = f"Tindak lanjut {uuid.uuid4().hex[:6]}"
    variables = {"id": global_id("Case", case.id), "input": {"note": note, "evidence": []}}
    result = await gql_field_as(client_for, accounts["admin"].token, FOLLOW_UP, variables, "caseFollowUpAdd")
    monkeypatch.undo()

    assert result["errors"] == []
    assert [item["note"] for item in result["case"]["followUps"]] == [note]
    assert [entry.action for entry in await _waiting_in(case.id)] == ["case.follow_up"]
    assert await _linked(f"Case:{case.id}", "case.follow_up") == []

    await link_pending()
    (entry,) = await _linked(f"Case:{case.id}", "case.follow_up")
    assert (entry.actor, entry.change["note"]) == ("user:admin", note)
    assert await _waiting_in(case.id) == []
    assert (await verify()).ok


async def test_linking_again_after_a_crash_records_once(
    client_for: Client, accounts: dict[str, Account], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = await _case(client_for, accounts)
    # Linked, then the process dies before taking the entry out of the case.
    monkeypatch.setattr(linker, "_pull", _die)
    with pytest.raises(ProcessDiedError):
        await edit_case(case, {"description": "Uraian yang diperbarui"})
    monkeypatch.undo()
    (waiting,) = await _waiting_in(case.id)
    assert len(await _linked(f"Case:{case.id}", "case.edit")) == 1

    first = await link_pending()
    assert first.already >= 1
    assert await _waiting_in(case.id) == []
    again = await link([Marked("cases", case.id, waiting)])  # a third time, directly
    assert (again.linked, again.already) == (0, 1)
    (entry,) = await _linked(f"Case:{case.id}", "case.edit")
    assert entry.pending_id == waiting.id
    assert (await verify()).ok


async def test_a_request_leaves_its_entry_to_the_linker_while_another_process_links(
    client_for: Client, accounts: dict[str, Account], clients: Clients
) -> None:
    case = await _case(client_for, accounts)
    lease = clients.redis.lock(linker._lease_config.name, timeout=60)
    assert await lease.acquire(blocking=False)
    try:
        updated = await edit_case(case, {"title": "Diubah saat pemaut sibuk"})
        assert updated.title == "Diubah saat pemaut sibuk"  # the request did not wait for the lease
        assert [entry.action for entry in updated.audit_pending] == ["case.edit"]
        assert await _linked(f"Case:{case.id}", "case.edit") == []
    finally:
        await lease.release()
    outcome = await link_pending()
    assert outcome.linked >= 1
    assert len(await _linked(f"Case:{case.id}", "case.edit")) == 1
    assert await _waiting_in(case.id) == []


async def test_a_deletion_happens_once_its_entry_is_linked(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    user, _ = await new_user(settings, Role.OPERATOR, "51.71")  # a region no user list test looks at
    owner = principal_for_user(user)
    made = await create_saved_search(owner, SavedSearchDraft(name=f"Demo {uuid.uuid4().hex[:6]}"), limit=10)
    saved_id = made.saved.id
    monkeypatch.setattr(linker, "link", _die)
    with pytest.raises(ProcessDiedError):
        await delete_saved_search(owner, str(saved_id))
    monkeypatch.undo()
    target = f"SavedSearch:{saved_id}"
    assert await SavedSearch.get(saved_id) is not None  # not deleted before its entry is in the chain
    assert await _linked(target, "saved_search.delete") == []

    await link_pending()
    assert await SavedSearch.get(saved_id) is None
    (entry,) = await _linked(target, "saved_search.delete")
    assert entry.actor == owner.actor
    assert (await verify()).ok


async def test_an_unsealed_pending_entry_is_set_aside_not_linked(
    client_for: Client, accounts: dict[str, Account], settings: Settings
) -> None:
    case = await _case(client_for, accounts)
    planted = pending_entry(
        "user:admin", "case.planted", f"Case:{case.id}", {"by": "mallory"}, key=AuditKey(b"not-the-key" * 4)
    )
    collection = Case.get_pymongo_collection()
    await collection.update_one({"_id": case.id}, {"$push": push_pending(planted)})
    try:
        outcome = await link_pending()
        assert outcome.rejected == 1
        assert await _linked(f"Case:{case.id}", "case.planted") == []
        raw = await collection.find_one({"_id": case.id})
        assert raw is not None
        assert raw["audit_pending"] == []
        assert [item["entry"]["id"] for item in raw["audit_rejected"]] == [planted.id]
        code, output = await _run_cli(settings, "audit", "verify")
        assert code == 1, output
        assert "1 documents hold pending audit entries that were set aside" in " ".join(output.split())
    finally:
        await collection.update_one({"_id": case.id}, {"$unset": {"audit_rejected": ""}})


async def test_verify_warns_of_waiting_entries_and_fails_when_one_waited_too_long(
    client_for: Client, accounts: dict[str, Account], settings: Settings
) -> None:
    case = await _case(client_for, accounts)
    collection = Case.get_pymongo_collection()
    young = pending_entry("user:admin", "case.edit", f"Case:{case.id}", {"title": "baru"})
    await collection.update_one({"_id": case.id}, {"$push": push_pending(young)})
    code, output = await _run_cli(settings, "audit", "verify")
    text = " ".join(output.split())
    assert code == 0, output
    assert "warning: 1 audit entries wait to be linked (cases 1)" in text

    # As if the linker had not run for longer than PANTAU_AUDIT_PENDING_MAX_AGE_SECONDS.
    old = utcnow() - timedelta(seconds=settings.audit_pending_max_age_seconds + 60)
    await collection.update_one({"_id": case.id}, {"$set": {"audit_pending.0.at": old}})
    try:
        code, output = await _run_cli(settings, "audit", "verify")
        assert code == 3, output
        assert "is the linker" in " ".join(output.split())
    finally:
        await collection.update_one({"_id": case.id}, {"$set": {"audit_pending.0.at": young.at}})
    assert (await link_pending()).linked >= 1
    assert len(await _linked(f"Case:{case.id}", "case.edit")) == 1
    code, output = await _run_cli(settings, "audit", "verify")
    assert code == 0, output
    assert "wait to be linked" not in output


async def test_short_lived_clients_give_the_lease_back_when_they_close(
    clients: Clients, settings: Settings
) -> None:
    # A command or a test opens its own clients in a process whose long-lived ones stay open: once they close,
    # linking must not ask their closed Redis (CI once paid ~9 s per audited write after such a test).
    before = (linker._lease_config.redis, linker._lease_config.name)
    assert before[0] is not None
    elsewhere = settings.model_copy(update={"mongo_database": f"{settings.mongo_database}-other"})
    short = await open_clients(elsewhere, init_models=False)
    assert linker._lease_config.redis is short.redis
    assert linker._lease_config.name.endswith("-other")
    await short.close()
    assert (linker._lease_config.redis, linker._lease_config.name) == before


async def test_a_redis_that_does_not_answer_is_asked_once_then_left_alone_a_while(
    client_for: Client, accounts: dict[str, Account], settings: Settings
) -> None:
    nobody = settings.model_copy(
        update={"redis_url": f"redis://127.0.0.1:{free_port()}/0", "mongo_database": settings.mongo_database}
    )
    unreachable = await open_clients(nobody, init_models=False)
    try:
        case = await _case(client_for, accounts)
        updated = await edit_case(case, {"title": "Diubah tanpa Redis"})
        assert updated.title == "Diubah tanpa Redis"
        assert (
            linker._lease_config.unavailable_until > time.monotonic()
        )  # asked once, failed: not asked again
        assert len(await _linked(f"Case:{case.id}", "case.edit")) == 1  # linked without the lease
    finally:
        await unreachable.close()
    assert linker._lease_config.unavailable_until == 0.0  # the long-lived clients' Redis is asked again
