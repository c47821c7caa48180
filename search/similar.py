"""Reports and incidents like a given one (more_like_this on the stemmed text), across every region the
viewer may see, the report itself excluded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from elasticsearch import AsyncElasticsearch

from hub.access.scope import Scope, scope_to_es
from hub.reports.models import Report
from search.analysis import stem_text
from search.indices import REPORTS
from search.service import REPORT_TYPE_FIELD
from search.sources import report_text

MAX_SIMILAR = 20


@dataclass(frozen=True)
class SimilarHit:
    id: str
    score: float


def similar_body(report: Report, scope: Scope, first: int) -> dict[str, Any]:
    """The report's own words, stemmed as the index holds them, are the example (nothing to fetch first,
    and it works before the report itself is indexed)."""
    like = [text for text in (stem_text(report.title), stem_text(report_text(report))) if text]
    return {
        "size": min(max(first, 0), MAX_SIMILAR),
        "_source": False,
        "query": {
            "bool": {
                "must": [
                    {
                        "more_like_this": {
                            "fields": ["text_stem", "title_stem"],
                            "like": like or [""],
                            "min_term_freq": 1,
                            "min_doc_freq": 1,
                            "max_query_terms": 25,
                            "minimum_should_match": "30%",
                        }
                    }
                ],
                "filter": [
                    *scope_to_es(scope, report_type_field=REPORT_TYPE_FIELD),
                    {"terms": {"kind": ["report", "incident"]}},
                ],
                "must_not": [{"ids": {"values": [str(report.id)]}}],
            }
        },
    }


async def similar_reports(
    es: AsyncElasticsearch, prefix: str, report: Report, *, scope: Scope, first: int
) -> list[SimilarHit]:
    if scope.is_empty or first <= 0:
        return []
    body = similar_body(report, scope, first)
    if not any(body["query"]["bool"]["must"][0]["more_like_this"]["like"]):
        return []
    response = await es.search(index=REPORTS.alias(prefix), **body)
    return [SimilarHit(id=raw["_id"], score=float(raw["_score"] or 0.0)) for raw in response["hits"]["hits"]]
