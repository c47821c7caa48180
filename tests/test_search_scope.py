"""Search is always scoped: hits, totals, facets and similar reports only ever come from what the viewer may
see; partner grants are limited to their regions and report types, and match and see snippets only of
granted fields (more in tests/test_partner_minimization.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hub.access.grants import create_grant
from hub.clients import Clients
from hub.core.clock import utcnow
from tests.conftest import Account
from tests.graphql import Client, global_id, gql_as, raw_id
from tests.search_corpus import Corpus, build_corpus

SEARCH = """query($q: String!, $filter: SearchFilter) { search(query: $q, filter: $filter, first: 50) {
  totalCount facets { province { key count } kind { key count } }
  nodes { highlights titleHighlight
    node { ... on Report { id title } ... on Case { id title } ... on Document { id fileName } } } } }"""
SIMILAR = """query($id: ID!) { node(id: $id) { ... on Report { similar(first: 10) { id } } } }"""
PARTNER_FIELDS = ["Report.title", "Case.title", "Document.fileName"]
# The texts that hold the corpus marker: a partner's search matches only the text fields it reads.
TEXT_FIELDS = ["Report.narratives", "Case.description", "Document.text"]

VISIBLE: dict[str, tuple[str, ...]] = {
    "admin": (
        "quarterly_jaksel",
        "demo_jakpus",
        "neutrality_aceh",
        "quarterly_sumut",
        "nphd_case",
        "decree_aceh",
    ),
    "leader-31": ("quarterly_jaksel", "demo_jakpus", "nphd_case"),
    "coordinator-31": ("quarterly_jaksel", "demo_jakpus", "nphd_case"),
    "operator-31.74": ("quarterly_jaksel", "nphd_case"),
    "operator-11.01": ("neutrality_aceh", "decree_aceh"),
    # Region 31 and quarterly reports only: the incident in 31.71 stays hidden; cases follow the region.
    "partner-quarterly-31": ("quarterly_jaksel", "nphd_case"),
    "partner-31": ("quarterly_jaksel", "demo_jakpus", "nphd_case"),
}


@pytest.fixture(scope="module")
async def corpus(seeded: Clients) -> Corpus:
    return await build_corpus(seeded)


@pytest.fixture(scope="module")
async def tokens(accounts: dict[str, Account]) -> dict[str, str]:
    expires = utcnow() + timedelta(days=7)
    quarterly = await create_grant(
        actor="user:admin",
        agency="KPU",
        region_roots=["31"],
        fields=[*PARTNER_FIELDS, *TEXT_FIELDS],
        expires_at=expires,
        report_types=["quarterly"],
    )
    narratives = await create_grant(
        actor="user:admin",
        agency="Bawaslu",
        region_roots=["31"],
        fields=[*PARTNER_FIELDS, *TEXT_FIELDS],
        expires_at=expires,
    )
    titles = await create_grant(
        actor="user:admin", agency="DKPP", region_roots=["31"], fields=PARTNER_FIELDS, expires_at=expires
    )
    found = {name: account.token for name, account in accounts.items()}
    return found | {
        "partner-quarterly-31": quarterly.token,
        "partner-31": narratives.token,
        "partner-titles-31": titles.token,
    }


@pytest.mark.parametrize("who", sorted(VISIBLE))
async def test_hits_totals_and_facets_stay_inside_the_scope(
    who: str, corpus: Corpus, tokens: dict[str, str], client_for: Client
) -> None:
    result = (await gql_as(client_for, tokens[who], SEARCH, {"q": corpus.marker}))["search"]
    expected = corpus.ids(*VISIBLE[who])
    assert {raw_id(hit["node"]["id"]) for hit in result["nodes"]} == expected
    assert result["totalCount"] == len(expected)
    assert sum(bucket["count"] for bucket in result["facets"]["kind"]) == len(expected)
    provinces = {bucket["key"] for bucket in result["facets"]["province"]}
    assert provinces == {str(getattr(corpus, name).region_path[1]) for name in VISIBLE[who]}


@pytest.mark.parametrize("who", ["operator-31.74", "partner-quarterly-31"])
async def test_a_filter_never_widens_the_scope(
    who: str, corpus: Corpus, tokens: dict[str, str], client_for: Client
) -> None:
    for given in ({"region": "11"}, {"region": "31.71"}, {"kinds": ["INCIDENT"], "region": "31"}):
        result = (await gql_as(client_for, tokens[who], SEARCH, {"q": corpus.marker, "filter": given}))[
            "search"
        ]
        assert result["nodes"] == [] and result["totalCount"] == 0


async def test_partner_snippets_only_of_granted_fields(
    corpus: Corpus, tokens: dict[str, str], client_for: Client
) -> None:
    query = f"memilih {corpus.marker}"
    # The words are in the narrative only: a grant without it finds nothing (a hit would tell them).
    without = (await gql_as(client_for, tokens["partner-titles-31"], SEARCH, {"q": query}))["search"]
    assert without["nodes"] == [] and without["totalCount"] == 0
    granted = (await gql_as(client_for, tokens["partner-31"], SEARCH, {"q": query}))["search"]
    (hit,) = granted["nodes"]
    assert "<em>memilih</em>" in " ".join(hit["highlights"])
    assert hit["titleHighlight"] == "Laporan triwulan Kota Jakarta Selatan"


@pytest.mark.parametrize(
    ("who", "sees_jaksel"), [("admin", True), ("operator-11.01", False), ("reviewer", True)]
)
async def test_similar_reports_only_from_visible_regions(
    who: str, sees_jaksel: bool, corpus: Corpus, tokens: dict[str, str], client_for: Client
) -> None:
    report_id = global_id("Report", corpus.neutrality_aceh.id)
    similar = (await gql_as(client_for, tokens[who], SIMILAR, {"id": report_id}))["node"]["similar"]
    ids = {raw_id(item["id"]) for item in similar}
    assert (str(corpus.quarterly_jaksel.id) in ids) is sees_jaksel
    assert str(corpus.neutrality_aceh.id) not in ids
