"""Who may see and change a document.

Seeing: the document's region lies in the principal's scope (and it is not in the trash, except in the trash
listing). Documents attached to an incident (photos and videos of what happened, with their EXIF position)
are for staff only: partner grants never see them (`readable_criteria`). Changing — a new version, moving
to the trash, restoring — is allowed to the roles that may upload to the document's region: operators and
coordinators whose region's subtree holds it, and central reviewers and admins. Leaders and partner grants
only read.
"""

from __future__ import annotations

from typing import Any

from hub.access.principal import Principal
from hub.access.scope import Scope, scope_to_mongo
from hub.core.ids import object_id
from hub.documents.errors import DocumentError, DocumentErrorCode
from hub.documents.models import StoredDocument
from hub.i18n import Text

NOT_IN_TRASH: dict[str, Any] = {"deleted_at": None}
IN_TRASH: dict[str, Any] = {"deleted_at": {"$ne": None}}
NOT_ATTACHED: dict[str, Any] = {"incident_id": None}


def is_grant(scope: Scope) -> bool:
    """A partner grant's scope: the only kind with a field whitelist."""
    return scope.fields is not None


def readable_criteria(scope: Scope) -> dict[str, Any]:
    """The Mongo filter of the documents a scope may read (trash aside): its regions, and for partner grants
    no incident attachment."""
    return {**scope_to_mongo(scope), **(NOT_ATTACHED if is_grant(scope) else {})}


def can_see(principal: Principal, document: StoredDocument) -> bool:
    """Whether the principal, as it is now, sees the document (out of the trash)."""
    if document.incident_id is not None and is_grant(principal.scope):
        return False
    return not document.in_trash and principal.scope.covers(document.region_path)


def may_change(principal: Principal, document: StoredDocument) -> bool:
    return not principal.is_partner and principal.can_upload_to(document.region_path)


async def visible_document(
    principal: Principal, document_id: str, *, in_trash: bool = False, field: str = "id"
) -> StoredDocument:
    """The document if the principal can see it (in the trash or out of it): DOCUMENT_NOT_FOUND otherwise,
    the same answer whether it does not exist or lies outside the scope."""
    oid = object_id(document_id)
    found = None
    if oid is not None:
        criteria = {"$and": [{"_id": oid}, IN_TRASH if in_trash else NOT_IN_TRASH]}
        scope = readable_criteria(principal.scope)
        if scope:
            criteria["$and"].append(scope)
        found = await StoredDocument.find_one(criteria)
    if found is None:
        where = "documents.not_in_the_trash" if in_trash else "documents.document_not_found"
        raise DocumentError(DocumentErrorCode.DOCUMENT_NOT_FOUND, Text(where), field)
    return found


async def document_for_change(
    principal: Principal, document_id: str, *, in_trash: bool = False, field: str = "id"
) -> StoredDocument:
    document = await visible_document(principal, document_id, in_trash=in_trash, field=field)
    if not may_change(principal, document):
        raise DocumentError(
            DocumentErrorCode.PERMISSION_DENIED,
            Text("documents.may_not_change", actor=principal.actor),
            field,
        )
    return document
