"""Every beanie document model, registered with the database in one place."""

from __future__ import annotations

from beanie import Document

from hub.documents.models import StoredDocument
from hub.regions.models import Region

DOCUMENT_MODELS: tuple[type[Document], ...] = (Region, StoredDocument)
