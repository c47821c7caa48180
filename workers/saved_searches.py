"""The saved-search check's runner: runs a saved search through the search index as its owner, and says up
to when the index is complete. hub.searches.checks does the rest."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any

from beanie import Document
from elasticsearch import AsyncElasticsearch

from hub.access.principal import Principal
from hub.cases.models import Case
from hub.clients import Clients
from hub.documents.models import DocumentState, StoredDocument
from hub.reports.models import Report
from hub.searches.checks import CheckOutcome, check_saved_searches
from hub.searches.filters import read_filter
from hub.searches.models import SavedSearch
from search.indices import search_target
from search.service import SearchRequest, search

# Records are stamped `created_at` a little before they are stored (an upload's bytes go first), so the
# newest moments are left to the next run.
SETTLE = timedelta(minutes=5)
# A record waiting to be indexed holds the window back, so that it is counted once it is searchable; one
# stuck for longer than this no longer does (the sweep logs its failures).
PENDING_HORIZON = timedelta(hours=1)
_PENDING: tuple[tuple[type[Document], dict[str, Any]], ...] = (
    (Report, {"needs_index": True}),
    (Case, {"needs_index": True}),
    (
        StoredDocument,
        {"$or": [{"needs_index": True}, {"state": DocumentState.STORED.value}], "deleted_at": None},
    ),
)
_MILLISECOND = timedelta(milliseconds=1)


class IndexSearchRunner:
    """hub.searches.checks.SavedSearchRunner over the search index."""

    def __init__(
        self,
        es: AsyncElasticsearch,
        prefix: str,
        *,
        settle: timedelta = SETTLE,
        pending_horizon: timedelta = PENDING_HORIZON,
    ) -> None:
        self.es = es
        self.prefix = prefix
        self.settle = settle
        self.pending_horizon = pending_horizon

    async def indexed_until(self, now: datetime) -> datetime:
        """Just before the oldest record still waiting to be indexed (or `now - settle`); every record
        created up to then is searchable once the indices are refreshed, which this does last."""
        until = now - self.settle
        created = {"$gt": now - self.pending_horizon, "$lte": until}
        for model, pending in _PENDING:
            oldest = await model.get_pymongo_collection().find_one(
                {**pending, "created_at": created}, sort=[("created_at", 1)], projection={"created_at": 1}
            )
            if oldest is not None:
                until = min(until, oldest["created_at"] - _MILLISECOND)
        await self.es.indices.refresh(index=search_target(self.prefix))
        return until

    async def count_new(
        self, principal: Principal, saved: SavedSearch, *, after: datetime, until: datetime
    ) -> int:
        filters = dataclasses.replace(read_filter(saved.filter), created_after=after, created_until=until)
        request = SearchRequest(text=saved.query, filters=filters, first=0)
        page = await search(self.es, self.prefix, request, scope=principal.scope)
        return page.total_count


async def check_saved_searches_now(clients: Clients, now: datetime) -> CheckOutcome:
    runner = IndexSearchRunner(clients.es, clients.settings.es_index_prefix)
    return await check_saved_searches(runner, now)
