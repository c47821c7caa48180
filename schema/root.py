"""The root Query and Mutation types, composed from each domain's fields."""

from __future__ import annotations

import strawberry
from strawberry import relay

from schema import glossary
from schema.access.grants import PartnerGrant
from schema.access.mutations.partner_grant_create import partner_grant_create
from schema.access.mutations.partner_grant_extend import partner_grant_extend
from schema.access.mutations.partner_grant_narrow import partner_grant_narrow
from schema.access.mutations.partner_grant_revoke import partner_grant_revoke
from schema.access.mutations.partner_grant_token_rotate import partner_grant_token_rotate
from schema.access.mutations.partner_grant_widen import partner_grant_widen
from schema.access.mutations.session_create import session_create
from schema.access.mutations.session_refresh import session_refresh
from schema.access.mutations.session_revoke import session_revoke
from schema.access.mutations.user_create import user_create
from schema.access.mutations.user_deactivate import user_deactivate
from schema.access.mutations.user_email_set import user_email_set
from schema.access.mutations.user_role_change import user_role_change
from schema.access.queries import AccessQueries
from schema.access.types import User
from schema.audit.queries import AuditQueries
from schema.cases.mutations.case_assign import case_assign
from schema.cases.mutations.case_create import case_create
from schema.cases.mutations.case_follow_up_add import case_follow_up_add
from schema.cases.mutations.case_resolve import case_resolve
from schema.cases.queries import CaseQueries
from schema.cases.types import Case
from schema.completeness.mutations.requirement_create import requirement_create
from schema.completeness.queries import CompletenessQueries
from schema.completeness.types import Requirement
from schema.cost import cost
from schema.dashboards.queries import DashboardQueries
from schema.documents.mutations.document_delete import document_delete
from schema.documents.mutations.document_restore import document_restore
from schema.documents.mutations.document_share_create import document_share_create
from schema.documents.mutations.document_share_revoke import document_share_revoke
from schema.documents.mutations.document_update import document_update
from schema.documents.mutations.document_upload import document_upload
from schema.documents.mutations.document_upload_confirm import document_upload_confirm
from schema.documents.mutations.document_upload_request import document_upload_request
from schema.documents.mutations.document_version_add import document_version_add
from schema.documents.queries import DocumentQueries
from schema.documents.types import Document
from schema.elections.mutations.election_create import election_create
from schema.elections.mutations.election_stage_upsert import election_stage_upsert
from schema.elections.permissions import IsElectionManager
from schema.elections.queries import ElectionQueries
from schema.elections.types import Election
from schema.evidence.mutations.evidence_review import evidence_review
from schema.evidence.queries import EvidenceQueries
from schema.evidence.types import Evidence
from schema.nodes import NodeTypes, node_resolver, nodes_resolver
from schema.notifications.mutations.notification_mark_all_read import notification_mark_all_read
from schema.notifications.mutations.notification_mark_read import notification_mark_read
from schema.notifications.mutations.notification_preferences_set import notification_preferences_set
from schema.notifications.preferences import NotificationPreferenceQueries
from schema.notifications.queries import NotificationQueries
from schema.notifications.types import Notification
from schema.permissions import IsAdmin, IsAuthenticated, IsUser
from schema.regions.mutations.region_island_set import region_island_set
from schema.regions.queries import RegionQueries
from schema.regions.types import Region
from schema.reports.extension_queries import DeadlineExtensionQueries
from schema.reports.extension_types import DeadlineExtension
from schema.reports.mutations.deadline_extension_grant import deadline_extension_grant
from schema.reports.mutations.deadline_extension_revoke import deadline_extension_revoke
from schema.reports.mutations.incident_attachment_add import incident_attachment_add
from schema.reports.mutations.incident_create import incident_create
from schema.reports.mutations.incident_update import incident_update
from schema.reports.mutations.report_archive import report_archive
from schema.reports.mutations.report_create import report_create
from schema.reports.mutations.report_evaluate import report_evaluate
from schema.reports.mutations.report_reopen import report_reopen
from schema.reports.mutations.report_return import report_return
from schema.reports.mutations.report_return_reason_address import report_return_reason_address
from schema.reports.mutations.report_return_reason_resolve import report_return_reason_resolve
from schema.reports.mutations.report_submit import report_submit
from schema.reports.mutations.report_update import report_update
from schema.reports.mutations.report_verify import report_verify
from schema.reports.mutations.template_version_create import template_version_create
from schema.reports.queries import ReportQueries
from schema.reports.template_queries import TemplateQueries
from schema.reports.types import Report
from schema.search.queries import SearchQueries
from schema.searches.mutations.saved_search_create import saved_search_create
from schema.searches.mutations.saved_search_delete import saved_search_delete
from schema.searches.mutations.saved_search_mark_viewed import saved_search_mark_viewed
from schema.searches.mutations.saved_search_update import saved_search_update
from schema.searches.queries import SavedSearchQueries
from schema.searches.types import SavedSearch
from schema.sync.queries import SyncQueries
from schema.threads.mutations.comment_add import comment_add
from schema.threads.mutations.comment_delete import comment_delete
from schema.threads.mutations.comment_edit import comment_edit
from schema.threads.types import Comment
from schema.webhooks.mutations.partner_grant_webhook_clear import partner_grant_webhook_clear
from schema.webhooks.mutations.partner_grant_webhook_set import partner_grant_webhook_set
from schema.webhooks.mutations.webhook_redeliver import webhook_redeliver
from schema.webhooks.queries import WebhookQueries
from schema.webhooks.types import WebhookDelivery

# Ids one `nodes` lookup takes: each is a record loaded (and counted in the operation's cost).
MAX_NODE_IDS = 100

NODE_TYPES = [
    Region,
    Document,
    User,
    PartnerGrant,
    Report,
    Case,
    Election,
    Requirement,
    SavedSearch,
    Notification,
    WebhookDelivery,
    DeadlineExtension,
    Evidence,
    Comment,
]
NODES = NodeTypes(NODE_TYPES)


def query_type() -> type:
    # A fresh class per schema: relay's node fields are bound to the schema that first applies them.
    @strawberry.type(name="Query", description=glossary.QUERY)
    class Query(
        RegionQueries,
        SearchQueries,
        AccessQueries,
        ReportQueries,
        TemplateQueries,
        CaseQueries,
        ElectionQueries,
        CompletenessQueries,
        DeadlineExtensionQueries,
        DocumentQueries,
        SavedSearchQueries,
        NotificationQueries,
        NotificationPreferenceQueries,
        SyncQueries,
        WebhookQueries,
        DashboardQueries,
        AuditQueries,
        EvidenceQueries,
    ):
        node: relay.Node | None = strawberry.field(
            resolver=node_resolver(NODES),
            description="Any object by its global id; null when it does not exist or is outside your scope.",
            permission_classes=[IsAuthenticated],
        )
        nodes: list[relay.Node | None] = strawberry.field(
            resolver=nodes_resolver(NODES),
            description=f"Objects by their global ids, in order; null for those you may not see. At most "
            f"{MAX_NODE_IDS} ids.",
            permission_classes=[IsAuthenticated],
            metadata=cost(count_argument="ids", max_count=MAX_NODE_IDS),
        )

    return Query


@strawberry.type(description=glossary.MUTATION)
class Mutation:
    session_create = strawberry.mutation(
        resolver=session_create,
        description="Log in: a short-lived access token and a rotating refresh token. One login per request.",
    )
    session_refresh = strawberry.mutation(
        resolver=session_refresh,
        description="Trade a refresh token for a new pair; each refresh token works once (a reused one ends "
        "the session).",
    )
    session_revoke = strawberry.mutation(
        resolver=session_revoke,
        description="Log out: the session's refresh and access tokens stop working at once.",
    )
    user_create = strawberry.mutation(
        resolver=user_create, permission_classes=[IsAdmin], description="Create a staff account (admins)."
    )
    user_deactivate = strawberry.mutation(
        resolver=user_deactivate,
        permission_classes=[IsAdmin],
        description="Deactivate an account (admins): its sessions end at once.",
    )
    user_role_change = strawberry.mutation(
        resolver=user_role_change,
        permission_classes=[IsAdmin],
        description="Give an account another role and, optionally, another home region (admins).",
    )
    user_email_set = strawberry.mutation(
        resolver=user_email_set,
        permission_classes=[IsUser],
        description="Set or clear where an account's reminders are also e-mailed: admins for anyone, users "
        "for their own.",
    )
    partner_grant_create = strawberry.mutation(
        resolver=partner_grant_create,
        permission_classes=[IsAdmin],
        description="Grant a partner agency read-only access to some regions, report types and fields until "
        "a date (admins); the token is shown once.",
    )
    partner_grant_revoke = strawberry.mutation(
        resolver=partner_grant_revoke,
        permission_classes=[IsAdmin],
        description="Revoke a partner grant (admins): its token is refused from the next request on.",
    )
    partner_grant_extend = strawberry.mutation(
        resolver=partner_grant_extend,
        permission_classes=[IsAdmin],
        description="Move a partner grant's expiry later (admins); its token stays the same. Audited.",
    )
    partner_grant_narrow = strawberry.mutation(
        resolver=partner_grant_narrow,
        permission_classes=[IsAdmin],
        description="Let a partner grant read less: fewer regions, fields or report types (admins); "
        "effective from its next request and event. Audited with the limits before and after.",
    )
    partner_grant_widen = strawberry.mutation(
        resolver=partner_grant_widen,
        permission_classes=[IsAdmin],
        description="Let a partner grant read more (admins): a new decision, audited with its reason and "
        "the limits before and after.",
    )
    partner_grant_token_rotate = strawberry.mutation(
        resolver=partner_grant_token_rotate,
        permission_classes=[IsAdmin],
        description="Give a partner grant a new token, shown once (admins): the old one stops working at "
        "once, "
        "also on open subscriptions; its webhook is unchanged. Audited.",
    )
    partner_grant_webhook_set = strawberry.mutation(
        resolver=partner_grant_webhook_set,
        permission_classes=[IsAdmin],
        description="Send a partner grant's events to a URL (admins); each call makes a new signing secret, "
        "shown once.",
    )
    partner_grant_webhook_clear = strawberry.mutation(
        resolver=partner_grant_webhook_clear,
        permission_classes=[IsAdmin],
        description="Stop sending a partner grant's events (admins); deliveries still waiting are not sent.",
    )
    webhook_redeliver = strawberry.mutation(
        resolver=webhook_redeliver,
        permission_classes=[IsAdmin],
        description="Send a past webhook delivery again now (admins): the same id and body, a new timestamp "
        "and signature.",
    )
    document_upload = strawberry.mutation(
        resolver=document_upload,
        permission_classes=[IsUser],
        description="Store a file (a multipart upload) as a supporting document of a region: its type is "
        "checked from its bytes, it is deduplicated by content, then its text is extracted and indexed.",
    )
    document_upload_request = strawberry.mutation(
        resolver=document_upload_request,
        permission_classes=[IsUser],
        description="Start an upload of a large file straight to object storage: answers a presigned POST "
        "form; then documentUploadConfirm.",
    )
    document_upload_confirm = strawberry.mutation(
        resolver=document_upload_confirm,
        permission_classes=[IsUser],
        description="Check the file POSTed for a presigned upload (size, type, SHA-256) and record it as a "
        "document, or as a new version of the one it replaces.",
    )
    document_version_add = strawberry.mutation(
        resolver=document_version_add,
        permission_classes=[IsUser],
        description="Upload a new version of a document (a multipart upload); the earlier versions are kept.",
    )
    document_update = strawberry.mutation(
        resolver=document_update,
        permission_classes=[IsUser],
        description="Change a document's record: title, number, date, period, the report, indicator or "
        "case it supports, custom fields, category.",
    )
    evidence_review = strawberry.mutation(
        resolver=evidence_review,
        permission_classes=[IsUser],
        description="Confirm or reject a piece of evidence, with a reason (required to reject).",
    )
    document_delete = strawberry.mutation(
        resolver=document_delete,
        permission_classes=[IsUser],
        description="Move a document to the trash: hidden from lists, search and downloads, restorable "
        "until `purgeAfter`.",
    )
    document_restore = strawberry.mutation(
        resolver=document_restore,
        permission_classes=[IsUser],
        description="Take a document out of the trash before it is purged.",
    )
    document_share_create = strawberry.mutation(
        resolver=document_share_create,
        permission_classes=[IsUser],
        description="Make an expiring, revocable link to a document for a named recipient outside the hub "
        "(anyone who may read the document; not partner grants). Every opening is logged.",
    )
    document_share_revoke = strawberry.mutation(
        resolver=document_share_revoke,
        permission_classes=[IsUser],
        description="Revoke a share link at once (its sharer, an admin, or whoever may change the document).",
    )
    requirement_create = strawberry.mutation(
        resolver=requirement_create,
        permission_classes=[IsAdmin],
        description="Require a report type or document category of regions of some levels for a period "
        "(admins).",
    )
    report_create = strawberry.mutation(
        resolver=report_create,
        permission_classes=[IsUser],
        description="Start the quarterly report (laporan triwulan) of a region for a period, as a draft; "
        "one per region and period.",
    )
    report_update = strawberry.mutation(
        resolver=report_update,
        permission_classes=[IsUser],
        description="Edit a draft or returned report; values are checked against the template at once.",
    )
    report_submit = strawberry.mutation(
        resolver=report_submit,
        permission_classes=[IsUser],
        description="Submit a report for review: every required narrative, value and supporting document "
        "must be there.",
    )
    report_verify = strawberry.mutation(
        resolver=report_verify,
        permission_classes=[IsUser],
        description="Accept a submitted report (the level above).",
    )
    report_return = strawberry.mutation(
        resolver=report_return,
        permission_classes=[IsUser],
        description="Send a submitted report back to its author with reasons per section or indicator.",
    )
    report_evaluate = strawberry.mutation(
        resolver=report_evaluate,
        permission_classes=[IsUser],
        description="Evaluate a verified report (central reviewers), optionally setting its risk level.",
    )
    report_archive = strawberry.mutation(
        resolver=report_archive, permission_classes=[IsUser], description="Archive an evaluated report."
    )
    report_reopen = strawberry.mutation(
        resolver=report_reopen,
        permission_classes=[IsUser],
        description="Reopen a verified or evaluated report when an error is found: back to its author "
        "(RETURNED) with the reason, by the level that verified or evaluated it or by the centre; the "
        "history keeps every earlier step.",
    )
    template_version_create = strawberry.mutation(
        resolver=template_version_create,
        permission_classes=[IsAdmin],
        description="Create the next version of a report type's template, with its rules across fields "
        "(admins). Earlier versions never change; reports keep the version they were made with, new reports "
        "take the newest.",
    )
    report_return_reason_address = strawberry.mutation(
        resolver=report_return_reason_address,
        permission_classes=[IsUser],
        description="Mark a reason of a returned report's latest return addressed (its authors), optionally "
        "with a note saying how.",
    )
    report_return_reason_resolve = strawberry.mutation(
        resolver=report_return_reason_resolve,
        permission_classes=[IsUser],
        description="Accept the answer to a return reason (RESOLVED) or not (`reopen`: OPEN again), on the "
        "report submitted again (its reviewers).",
    )
    comment_add = strawberry.mutation(
        resolver=comment_add,
        permission_classes=[IsUser],
        description="Comment on a report or case you may read, optionally mentioning users who may read it "
        "(staff accounts only; partner grants never read or write comments).",
    )
    comment_edit = strawberry.mutation(
        resolver=comment_edit,
        permission_classes=[IsUser],
        description="Change your own comment; the earlier text is kept in its `edits`.",
    )
    comment_delete = strawberry.mutation(
        resolver=comment_delete,
        permission_classes=[IsUser],
        description="Delete your own comment: it stays in the thread as deleted, without its text.",
    )
    deadline_extension_grant = strawberry.mutation(
        resolver=deadline_extension_grant,
        permission_classes=[IsUser],
        description="Give a region a later deadline for a period, with a reason (the level above: a "
        "province's coordinator for its regencies and cities, the centre for all). Its report's `dueAt`, "
        "`overdue` and `submittedLate`, completeness timeliness and reminders follow the new deadline.",
    )
    deadline_extension_revoke = strawberry.mutation(
        resolver=deadline_extension_revoke,
        permission_classes=[IsUser],
        description="End a deadline extension (the level above the region): the period's deadline applies "
        "again; the extension is kept for the history.",
    )
    incident_create = strawberry.mutation(
        resolver=incident_create,
        permission_classes=[IsUser],
        description="File an incident report (laporan insidental) as it happens, with its photos, videos "
        "or files (`attachments`); it is submitted for review at once.",
    )
    incident_update = strawberry.mutation(
        resolver=incident_update,
        permission_classes=[IsUser],
        description="Correct a filed incident: by its author only, until it is reviewed (then "
        "ALREADY_REVIEWED). Each correction is kept in `Report.corrections` with who, when, and the values "
        "before and after; a retry with the same `clientMutationId`, or a correction that changes nothing, "
        "records nothing more.",
    )
    incident_attachment_add = strawberry.mutation(
        resolver=incident_attachment_add,
        permission_classes=[IsUser],
        description="Attach more photos, short videos or files (uploaded documents of the incident's region) "
        "to a filed incident: by its author only, until it is reviewed. Documents attached already are left "
        "as they are, so a retry answers the incident as it is.",
    )
    case_create = strawberry.mutation(
        resolver=case_create,
        permission_classes=[IsUser],
        description="Open an obstacle case (kendala) for a region, or from a report and one of its "
        "indicators.",
    )
    case_follow_up_add = strawberry.mutation(
        resolver=case_follow_up_add,
        permission_classes=[IsUser],
        description="Record a follow-up action (tindak lanjut) on a case; an open case becomes in progress.",
    )
    case_assign = strawberry.mutation(
        resolver=case_assign,
        permission_classes=[IsUser],
        description="Assign a case to someone who may work on it; an open case becomes in progress.",
    )
    case_resolve = strawberry.mutation(
        resolver=case_resolve,
        permission_classes=[IsUser],
        description="Resolve a case with a note and at least one supporting document.",
    )
    election_create = strawberry.mutation(
        resolver=election_create,
        permission_classes=[IsElectionManager],
        description="Create an election with its participating regions and stages (admins and reviewers).",
    )
    election_stage_upsert = strawberry.mutation(
        resolver=election_stage_upsert,
        permission_classes=[IsElectionManager],
        description="Add a stage to an election's calendar, or replace the stage with its code (admins and "
        "reviewers).",
    )
    region_island_set = strawberry.mutation(
        resolver=region_island_set,
        permission_classes=[IsAdmin],
        description="Mark a region as an island region or not (admins): election logistics are due a week "
        "earlier there.",
    )
    saved_search_create = strawberry.mutation(
        resolver=saved_search_create,
        permission_classes=[IsUser],
        description="Save a search for yourself, optionally notified of new results.",
    )
    saved_search_update = strawberry.mutation(
        resolver=saved_search_update,
        permission_classes=[IsUser],
        description="Change one of your saved searches.",
    )
    saved_search_delete = strawberry.mutation(
        resolver=saved_search_delete,
        permission_classes=[IsUser],
        description="Delete one of your saved searches; the notifications it sent stay.",
    )
    saved_search_mark_viewed = strawberry.mutation(
        resolver=saved_search_mark_viewed,
        permission_classes=[IsUser],
        description="Mark a saved search's results seen: `newCount` counts from now on.",
    )
    notification_mark_read = strawberry.mutation(
        resolver=notification_mark_read,
        permission_classes=[IsUser],
        description="Mark one of your notifications read.",
    )
    notification_mark_all_read = strawberry.mutation(
        resolver=notification_mark_all_read,
        permission_classes=[IsUser],
        description="Mark every unread notification of yours read.",
    )
    notification_preferences_set = strawberry.mutation(
        resolver=notification_preferences_set,
        permission_classes=[IsUser],
        description="Set your notification preferences: which notifications are also e-mailed.",
    )
