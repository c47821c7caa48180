"""The root Query and Mutation types, composed from each domain's fields."""

from __future__ import annotations

import strawberry
from strawberry import relay

from schema.access.grants import PartnerGrant
from schema.access.mutations.partner_grant_create import partner_grant_create
from schema.access.mutations.partner_grant_revoke import partner_grant_revoke
from schema.access.mutations.session_create import session_create
from schema.access.mutations.session_refresh import session_refresh
from schema.access.mutations.session_revoke import session_revoke
from schema.access.mutations.user_create import user_create
from schema.access.mutations.user_deactivate import user_deactivate
from schema.access.mutations.user_email_set import user_email_set
from schema.access.mutations.user_role_change import user_role_change
from schema.access.queries import AccessQueries
from schema.access.types import User
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
from schema.nodes import NodeTypes, node_resolver, nodes_resolver
from schema.notifications.mutations.notification_mark_all_read import notification_mark_all_read
from schema.notifications.mutations.notification_mark_read import notification_mark_read
from schema.notifications.queries import NotificationQueries
from schema.notifications.types import Notification
from schema.permissions import IsAdmin, IsAuthenticated, IsUser
from schema.regions.mutations.region_island_set import region_island_set
from schema.regions.queries import RegionQueries
from schema.regions.types import Region
from schema.reports.mutations.incident_create import incident_create
from schema.reports.mutations.report_archive import report_archive
from schema.reports.mutations.report_create import report_create
from schema.reports.mutations.report_evaluate import report_evaluate
from schema.reports.mutations.report_return import report_return
from schema.reports.mutations.report_submit import report_submit
from schema.reports.mutations.report_update import report_update
from schema.reports.mutations.report_verify import report_verify
from schema.reports.queries import ReportQueries
from schema.reports.types import Report
from schema.search.queries import SearchQueries
from schema.searches.mutations.saved_search_create import saved_search_create
from schema.searches.mutations.saved_search_delete import saved_search_delete
from schema.searches.mutations.saved_search_mark_viewed import saved_search_mark_viewed
from schema.searches.mutations.saved_search_update import saved_search_update
from schema.searches.queries import SavedSearchQueries
from schema.searches.types import SavedSearch
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
]
NODES = NodeTypes(NODE_TYPES)


def query_type() -> type:
    # A fresh class per schema: relay's node fields are bound to the schema that first applies them.
    @strawberry.type(name="Query")
    class Query(
        RegionQueries,
        SearchQueries,
        AccessQueries,
        ReportQueries,
        CaseQueries,
        ElectionQueries,
        CompletenessQueries,
        DocumentQueries,
        SavedSearchQueries,
        NotificationQueries,
        WebhookQueries,
        DashboardQueries,
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


@strawberry.type
class Mutation:
    session_create = strawberry.mutation(resolver=session_create)
    session_refresh = strawberry.mutation(resolver=session_refresh)
    session_revoke = strawberry.mutation(resolver=session_revoke)
    user_create = strawberry.mutation(resolver=user_create, permission_classes=[IsAdmin])
    user_deactivate = strawberry.mutation(resolver=user_deactivate, permission_classes=[IsAdmin])
    user_role_change = strawberry.mutation(resolver=user_role_change, permission_classes=[IsAdmin])
    user_email_set = strawberry.mutation(resolver=user_email_set, permission_classes=[IsUser])
    partner_grant_create = strawberry.mutation(resolver=partner_grant_create, permission_classes=[IsAdmin])
    partner_grant_revoke = strawberry.mutation(resolver=partner_grant_revoke, permission_classes=[IsAdmin])
    partner_grant_webhook_set = strawberry.mutation(
        resolver=partner_grant_webhook_set, permission_classes=[IsAdmin]
    )
    partner_grant_webhook_clear = strawberry.mutation(
        resolver=partner_grant_webhook_clear, permission_classes=[IsAdmin]
    )
    webhook_redeliver = strawberry.mutation(resolver=webhook_redeliver, permission_classes=[IsAdmin])
    document_upload = strawberry.mutation(resolver=document_upload, permission_classes=[IsUser])
    document_upload_request = strawberry.mutation(
        resolver=document_upload_request, permission_classes=[IsUser]
    )
    document_upload_confirm = strawberry.mutation(
        resolver=document_upload_confirm, permission_classes=[IsUser]
    )
    document_version_add = strawberry.mutation(resolver=document_version_add, permission_classes=[IsUser])
    document_delete = strawberry.mutation(resolver=document_delete, permission_classes=[IsUser])
    document_restore = strawberry.mutation(resolver=document_restore, permission_classes=[IsUser])
    requirement_create = strawberry.mutation(resolver=requirement_create, permission_classes=[IsAdmin])
    report_create = strawberry.mutation(resolver=report_create, permission_classes=[IsUser])
    report_update = strawberry.mutation(resolver=report_update, permission_classes=[IsUser])
    report_submit = strawberry.mutation(resolver=report_submit, permission_classes=[IsUser])
    report_verify = strawberry.mutation(resolver=report_verify, permission_classes=[IsUser])
    report_return = strawberry.mutation(resolver=report_return, permission_classes=[IsUser])
    report_evaluate = strawberry.mutation(resolver=report_evaluate, permission_classes=[IsUser])
    report_archive = strawberry.mutation(resolver=report_archive, permission_classes=[IsUser])
    incident_create = strawberry.mutation(resolver=incident_create, permission_classes=[IsUser])
    case_create = strawberry.mutation(resolver=case_create, permission_classes=[IsUser])
    case_follow_up_add = strawberry.mutation(resolver=case_follow_up_add, permission_classes=[IsUser])
    case_assign = strawberry.mutation(resolver=case_assign, permission_classes=[IsUser])
    case_resolve = strawberry.mutation(resolver=case_resolve, permission_classes=[IsUser])
    election_create = strawberry.mutation(resolver=election_create, permission_classes=[IsElectionManager])
    election_stage_upsert = strawberry.mutation(
        resolver=election_stage_upsert, permission_classes=[IsElectionManager]
    )
    region_island_set = strawberry.mutation(resolver=region_island_set, permission_classes=[IsAdmin])
    saved_search_create = strawberry.mutation(resolver=saved_search_create, permission_classes=[IsUser])
    saved_search_update = strawberry.mutation(resolver=saved_search_update, permission_classes=[IsUser])
    saved_search_delete = strawberry.mutation(resolver=saved_search_delete, permission_classes=[IsUser])
    saved_search_mark_viewed = strawberry.mutation(
        resolver=saved_search_mark_viewed, permission_classes=[IsUser]
    )
    notification_mark_read = strawberry.mutation(resolver=notification_mark_read, permission_classes=[IsUser])
    notification_mark_all_read = strawberry.mutation(
        resolver=notification_mark_all_read, permission_classes=[IsUser]
    )
