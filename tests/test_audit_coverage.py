"""Every mutation in the schema writes an audit entry naming the actor, the action and the target."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

import httpx

from hub.access.models import User
from hub.audit.models import AuditEntry
from hub.audit.service import verify
from hub.core.clock import utcnow
from schema.schema import build_schema
from tests.conftest import TEST_PASSWORD, Account
from tests.graphql import global_id, gql, payload, raw_id, region_id, upload

# Mutation field → the audit action it records. A new mutation must be added here, with its audit entry.
EXPECTED_ACTIONS = {
    "sessionCreate": "session.create",
    "sessionRefresh": "session.refresh",
    "sessionRevoke": "session.revoke",
    "userCreate": "user.create",
    "userDeactivate": "user.deactivate",
    "userRoleChange": "user.role_change",
    "partnerGrantCreate": "partner_grant.create",
    "partnerGrantRevoke": "partner_grant.revoke",
    "partnerGrantExtend": "partner_grant.extend",
    "partnerGrantNarrow": "partner_grant.narrow",
    "partnerGrantWiden": "partner_grant.widen",
    "partnerGrantTokenRotate": "partner_grant.rotate_token",
    "partnerGrantWebhookSet": "partner_grant.webhook_set",
    "partnerGrantWebhookClear": "partner_grant.webhook_clear",
    "webhookRedeliver": "webhook.redeliver",
    "userEmailSet": "user.email_set",
    "documentUpload": "document.upload",
    "documentUploadRequest": "document.upload_request",
    "documentUploadConfirm": "document.upload",
    "documentVersionAdd": "document.version_add",
    "documentDelete": "document.delete",
    "documentRestore": "document.restore",
    "documentShareCreate": "document.share_create",
    "documentShareRevoke": "document.share_revoke",
    "documentUpdate": "document.update",
    "evidenceReview": "evidence.review",
    "requirementCreate": "requirement.create",
    "electionCreate": "election.create",
    "electionStageUpsert": "election.stage_upsert",
    "regionIslandSet": "region.island_set",
    "reportCreate": "report.create",
    "reportUpdate": "report.update",
    "reportSubmit": "report.submit",
    "reportVerify": "report.verify",
    "reportReturn": "report.return",
    "reportEvaluate": "report.evaluate",
    "reportArchive": "report.archive",
    "reportReopen": "report.reopen",
    "reportReturnReasonAddress": "report.reason_addressed",
    "reportReturnReasonResolve": "report.reason_resolved",  # reopening one: report.reason_open
    "templateVersionCreate": "template.version_create",
    "commentAdd": "comment.add",
    "commentEdit": "comment.edit",
    "commentDelete": "comment.delete",
    "deadlineExtensionGrant": "deadline_extension.grant",
    "deadlineExtensionRevoke": "deadline_extension.revoke",
    "incidentCreate": "incident.create",
    "incidentUpdate": "incident.update",
    "incidentAttachmentAdd": "incident.attach",
    "caseCreate": "case.create",
    "caseFollowUpAdd": "case.follow_up",
    "caseAssign": "case.assign",
    "caseResolve": "case.resolve",
    "savedSearchCreate": "saved_search.create",
    "savedSearchUpdate": "saved_search.update",
    "savedSearchDelete": "saved_search.delete",
    "savedSearchMarkViewed": "saved_search.mark_viewed",
    "notificationMarkRead": "notification.mark_read",
    "notificationMarkAllRead": "notification.mark_all_read",
    "notificationPreferencesSet": "user.email_delivery_set",
}


def test_every_mutation_has_an_expected_audit_action() -> None:
    mutation_type = build_schema(production=False)._schema.mutation_type
    assert mutation_type is not None
    assert set(mutation_type.fields) == set(EXPECTED_ACTIONS)


async def _exercise_cases(admin: httpx.AsyncClient) -> None:
    """caseCreate, caseFollowUpAdd, caseAssign and caseResolve, once each, as the admin."""
    uploaded = payload(
        await upload(admin, region="31.74", data=f"Bukti {uuid.uuid4()}".encode(), name="b.txt")
    )
    evidence = [uploaded["document"]["id"]]
    opened = await gql(
        admin,
        """mutation($r: RegionCode!, $due: DateTime!) { caseCreate(input: {region: $r, title: "Audit",
        category: OTHER, severity: LOW, dueAt: $due}) { case { id } } }""",
        {"r": region_id("31.74"), "due": (utcnow() + timedelta(days=3)).isoformat()},
    )
    case_id = opened["caseCreate"]["case"]["id"]
    assignee = await User.find_one({"username": "operator-31.74"})
    assert assignee is not None
    operator = global_id("User", assignee.id)
    steps = {
        "caseFollowUpAdd": ("$note: String!, $evidence: [ID!]!", "{note: $note, evidence: $evidence}"),
        "caseAssign": ("$assignee: ID!", "{assignee: $assignee}"),
        "caseResolve": ("$note: String!, $evidence: [ID!]!", "{note: $note, evidence: $evidence}"),
    }
    given = {"note": "Audit", "evidence": evidence, "assignee": operator}
    for field, (arguments, case_input) in steps.items():
        result = await gql(
            admin,
            f"mutation($id: ID!, {arguments}) "
            f"{{ {field}(id: $id, input: {case_input}) {{ errors {{ code }} }} }}",
            {"id": case_id, **{key: value for key, value in given.items() if f"${key}" in arguments}},
        )
        assert result[field]["errors"] == []


async def test_each_mutation_leaves_an_audit_entry(
    client_for: Callable[[str | None], httpx.AsyncClient], accounts: dict[str, Account]
) -> None:
    started = utcnow() - timedelta(seconds=1)
    name = f"audit-{uuid.uuid4().hex[:8]}"
    async with client_for(accounts["admin"].token) as admin:
        created = await gql(
            admin,
            """mutation($n: String!, $r: RegionCode!, $p: String!) {
            userCreate(input: {username: $n, password: $p, role: OPERATOR, region: $r}) { user { id } } }""",
            {"n": name, "r": region_id("31.74"), "p": TEST_PASSWORD},
        )
        user_id = created["userCreate"]["user"]["id"]
        await gql(
            admin,
            "mutation($id: ID!, $r: RegionCode!) "
            "{ userRoleChange(id: $id, input: {role: LEADER, region: $r}) { user { id } } }",
            {"id": user_id, "r": region_id("31")},
        )
        grant = await gql(
            admin,
            """mutation($at: DateTime!) { partnerGrantCreate(input: {agency: "KPU",
            regionCodes: ["31"], fields: ["Document.fileName"], expiresAt: $at}) { grant { id } } }""",
            {"at": (utcnow() + timedelta(days=3)).isoformat()},
        )
        await gql(
            admin,
            "mutation($id: ID!) { partnerGrantRevoke(id: $id) { grant { id } } }",
            {"id": grant["partnerGrantCreate"]["grant"]["id"]},
        )
        payload(await upload(admin, region="31.74", data=f"Audit {uuid.uuid4()}".encode(), name="a.txt"))
        await _exercise_cases(admin)
        async with client_for(None) as anonymous:
            session = await gql(
                anonymous,
                """mutation($u: String!, $p: String!) {
                sessionCreate(input: {username: $u, password: $p}) { refreshToken } }""",
                {"u": name, "p": TEST_PASSWORD},
            )
            refreshed = await gql(
                anonymous,
                "mutation($t: String!) { sessionRefresh(input: {refreshToken: $t}) { refreshToken } }",
                {"t": session["sessionCreate"]["refreshToken"]},
            )
            await gql(
                anonymous,
                "mutation($t: String!) { sessionRevoke(input: {refreshToken: $t}) { revoked } }",
                {"t": refreshed["sessionRefresh"]["refreshToken"]},
            )
        await gql(admin, "mutation($id: ID!) { userDeactivate(id: $id) { user { id } } }", {"id": user_id})

    entries = await AuditEntry.find({"at": {"$gte": started}}).to_list()
    actions = {entry.action for entry in entries}
    exercised = {
        "sessionCreate",
        "sessionRefresh",
        "sessionRevoke",
        "userCreate",
        "userDeactivate",
        "userRoleChange",
        "partnerGrantCreate",
        "partnerGrantRevoke",
        "documentUpload",
        "caseCreate",
        "caseFollowUpAdd",
        "caseAssign",
        "caseResolve",
    }
    assert {EXPECTED_ACTIONS[name] for name in exercised} <= actions  # the other domains test their own
    raw_user_id = raw_id(user_id)
    about_user = [entry for entry in entries if entry.target == f"User:{raw_user_id}"]
    assert [(entry.actor, entry.action) for entry in about_user] == [
        ("user:admin", "user.create"),
        ("user:admin", "user.role_change"),
        ("user:admin", "user.deactivate"),
    ]
    assert about_user[1].change == {"role": "leader", "region": "31"}
    result = await verify()
    assert result.ok, result
