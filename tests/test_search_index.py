"""The indexer: external versions (a replay never overwrites newer data), markers cleared only when nothing
changed meanwhile, the sweep for every kind of record, deletes and region moves reaching the index."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from elasticsearch import NotFoundError

from hub.access.scope import Scope
from hub.cases.models import Case
from hub.clients import Clients
from hub.core.clock import utcnow
from hub.documents.models import DocumentCategory, StoredDocument
from hub.reports.models import Report
from search.analysis import stem_text
from search.indexer import bulk_index, index_record
from search.kinds import CASE_KIND, DOCUMENT_KIND, REPORT_KIND, RecordKind
from search.service import SearchRequest, search
from tests.case_factories import edit_case
from tests.reports_helpers import edit_report
from tests.search_corpus import case, document, ensure_search_indices, new_marker, quarterly
from workers.tasks import _sweep


@pytest.fixture(scope="module", autouse=True)
async def indices(seeded: Clients) -> None:
    await ensure_search_indices(seeded)


async def indexed(clients: Clients, kind: RecordKind, record_id: Any) -> dict[str, Any]:
    found: dict[str, Any] = dict(
        await clients.es.get(index=kind.alias(clients.settings.es_index_prefix), id=str(record_id))
    )
    return found


async def test_a_replayed_older_version_never_overwrites(seeded: Clients) -> None:
    marker = new_marker()
    report = await quarterly("31.74", 2026, 2, "Laporan", f"Situasi awal {marker}")
    newer = await edit_report(report, {"title": f"Laporan baru {marker}"})
    assert newer.version == report.version + 1
    assert await index_record(seeded.es, seeded.settings.es_index_prefix, REPORT_KIND, newer) is True
    # The message about the older version arrives late.
    assert await index_record(seeded.es, seeded.settings.es_index_prefix, REPORT_KIND, report) is False
    held = await indexed(seeded, REPORT_KIND, report.id)
    assert held["_version"] == newer.version
    assert held["_source"]["title"] == f"Laporan baru {marker}"


async def test_the_marker_stays_when_the_record_changed_meanwhile(seeded: Clients) -> None:
    made = await case("31.74", "Gudang logistik", f"Kotak suara rusak {new_marker()}", "Dicek ulang.")
    changed = await edit_case(made, {"title": "Gudang logistik terendam"})
    # An indexer that read the case before the change writes the old version...
    await bulk_index(seeded.es, CASE_KIND, [made], target=CASE_KIND.alias(seeded.settings.es_index_prefix))
    stored = await Case.get(made.id)
    assert stored is not None and stored.needs_index is True  # ...and must not clear the newer marker.
    assert (await indexed(seeded, CASE_KIND, made.id))["_version"] == made.version
    await index_record(seeded.es, seeded.settings.es_index_prefix, CASE_KIND, changed)
    stored = await Case.get(made.id)
    assert stored is not None and stored.needs_index is False
    assert (await indexed(seeded, CASE_KIND, made.id))["_source"]["title"] == "Gudang logistik terendam"


async def test_the_sweep_indexes_every_marked_kind(seeded: Clients) -> None:
    marker = new_marker()
    report = await quarterly("32.01", 2026, 3, "Laporan triwulan", f"Pemilihan berjalan lancar {marker}")
    made = await case("32.01", "Kendala personel", f"Petugas kurang {marker}", "Rekrutmen tambahan.")
    doc = await document("32.01", "notulen.txt", f"Notulen rapat {marker}", DocumentCategory.MINUTES)
    counts = await _sweep(seeded)
    assert (
        counts["indexed_reports"] >= 1 and counts["indexed_cases"] >= 1 and counts["indexed_documents"] >= 1
    )
    for kind, record in ((REPORT_KIND, report), (CASE_KIND, made), (DOCUMENT_KIND, doc)):
        held = await indexed(seeded, kind, record.id)
        assert held["_version"] == kind.version_of(record)
        fresh = await kind.model.get_pymongo_collection().find_one({"_id": record.id})
        assert fresh is not None and fresh["needs_index"] is False
    assert (await StoredDocument.get(doc.id)).state.value == "indexed"  # type: ignore[union-attr]
    assert (await _sweep(seeded))["indexed_reports"] == 0  # nothing left behind


async def test_a_region_move_reaches_the_index(seeded: Clients) -> None:
    marker = new_marker()
    made = await case("31.74", "Kendala data pemilih", f"Data kependudukan belum padan {marker}", "Rapat.")
    await index_record(seeded.es, seeded.settings.es_index_prefix, CASE_KIND, made)
    moved = await edit_case(made, {"region_code": "31.71", "region_path": ["ID", "31", "31.71"]})
    await _sweep(seeded)
    await seeded.es.indices.refresh(index=CASE_KIND.alias(seeded.settings.es_index_prefix))
    prefix = seeded.settings.es_index_prefix
    old_region = await search(seeded.es, prefix, SearchRequest(text=marker), scope=Scope.subtrees(["31.74"]))
    new_region = await search(seeded.es, prefix, SearchRequest(text=marker), scope=Scope.subtrees(["31.71"]))
    assert old_region.total_count == 0
    assert [hit.id for hit in new_region.items] == [str(moved.id)]


async def test_a_trashed_document_leaves_the_index_and_comes_back(seeded: Clients) -> None:
    marker = new_marker()
    doc = await document("33.01", "sk.txt", f"Surat keputusan {marker}", DocumentCategory.DECREE)
    prefix = seeded.settings.es_index_prefix
    await index_record(seeded.es, prefix, DOCUMENT_KIND, doc)
    collection = StoredDocument.get_pymongo_collection()
    trash = {"$set": {"deleted_at": utcnow(), "needs_index": True}, "$inc": {"revision": 1}}
    await collection.update_one({"_id": doc.id}, trash)
    await _sweep(seeded)
    with pytest.raises(NotFoundError):
        await indexed(seeded, DOCUMENT_KIND, doc.id)
    # A late write of the version before the trash must not bring it back.
    assert await index_record(seeded.es, prefix, DOCUMENT_KIND, doc) is False
    with pytest.raises(NotFoundError):
        await indexed(seeded, DOCUMENT_KIND, doc.id)
    restore = {"$set": {"deleted_at": None, "needs_index": True}, "$inc": {"revision": 1}}
    await collection.update_one({"_id": doc.id}, restore)
    await _sweep(seeded)
    assert (await indexed(seeded, DOCUMENT_KIND, doc.id))["_version"] == doc.revision + 2


async def test_index_sources_carry_what_filters_and_facets_need(seeded: Clients) -> None:
    from search.sources import report_source

    report = await quarterly("31.74", 2026, 1, "Laporan", f"Uraian {uuid.uuid4().hex}")
    source = report_source(report)
    assert source["province"] == "31"
    assert source["region_path"] == ["ID", "31", "31.74"]
    assert (source["kind"], source["report_type"], source["period_key"]) == ("report", "quarterly", "2026-Q1")
    assert source["text_stem"].split()[0] == "urai"
    assert source["record_version"] == report.version
    assert "rendah" in source["text"]  # text indicator values are searchable too
    report.values["conflict_potential"] = 3
    assert "rendah" not in report_source(report)["text"]
    assert isinstance(await Report.get(report.id), Report)


async def test_an_index_made_by_an_earlier_version_gets_the_new_fields(seeded: Clients) -> None:
    """The first documents index had fewer fields and a strict mapping: start-up adds the new ones."""
    from search.indices import ANALYSIS, DOCUMENTS, RECORD_PROPERTIES, ensure_indices

    prefix = f"{seeded.settings.es_index_prefix}-old{new_marker()[-4:]}"
    first_fields = ("kind", "title", "title_stem", "text", "text_stem", "region_code", "region_path")
    first_fields += ("category", "content_type", "created_at")
    earlier = {"dynamic": "strict", "properties": {name: RECORD_PROPERTIES[name] for name in first_fields}}
    old_index = f"{DOCUMENTS.alias(prefix)}-v1"
    await seeded.es.indices.create(index=old_index, mappings=earlier, settings={"analysis": ANALYSIS})
    await seeded.es.indices.put_alias(index=old_index, name=DOCUMENTS.alias(prefix))
    await ensure_indices(seeded.es, prefix)
    doc = await document("34.01", "sk.txt", f"Surat keputusan {new_marker()}", DocumentCategory.DECREE)
    assert await index_record(seeded.es, prefix, DOCUMENT_KIND, doc) is True
    held = await seeded.es.get(index=DOCUMENTS.alias(prefix), id=str(doc.id))
    assert held["_index"] == old_index and held["_source"]["province"] == "34"


def _stem_pairs(source: dict[str, Any]) -> list[tuple[str, str]]:
    """(words, stems) of every stemmed field of a source: title, text and each record field's."""
    pairs = [(source["title"], source["title_stem"]), (source["text"], source["text_stem"])]
    for type_name, fields in source.get("by_field", {}).items():
        pairs += [(text, source["by_field_stem"][type_name][name]) for name, text in fields.items()]
    return pairs


async def test_each_stemmed_field_holds_the_stems_of_its_words(seeded: Clients) -> None:
    # Texts in parts (combined and apart in the index), with words whose lowercase is not ASCII.
    report = await quarterly(
        "31.74", 2026, 1, "Pemilihan İSTANBUL", "Keamanan terjaga.\n\n  \u039f\u0394\u039f\u03a3'\u0391  "
    )
    report.narratives["analysis"] = "  memilih  "
    report.values["notes"] = ["Straße", " ", "pemilih"]
    made = await case("31.74", "Kasus \u039f\u0394\u039f\u03a3", "NPHD terlambat", "Sudah ditandatangani")
    stored = await document("31.74", "İzin.pdf", "Surat pemilihan", DocumentCategory.DECREE)
    stored.number = "12/\u039f\u0394\u039f\u03a3/2026"
    for kind, record in ((REPORT_KIND, report), (CASE_KIND, made), (DOCUMENT_KIND, stored)):
        pairs = _stem_pairs(kind.source(record))
        assert len(pairs) >= 5
        assert [stems for _, stems in pairs] == [stem_text(words) for words, _ in pairs], kind.name
