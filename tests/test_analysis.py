"""Indonesian stemming for the search index and for queries; no services needed."""

from __future__ import annotations

import tracemalloc

import pytest

from search.analysis import WORD, stem_query, stem_text, stem_word


@pytest.mark.parametrize("word", ["pemilihan", "memilih", "terpilih", "pilih", "Pemilihan"])
def test_word_forms_share_one_stem(word: str) -> None:
    assert stem_text(word) == "pilih"


def test_text_is_split_lowercased_and_stemmed() -> None:
    assert stem_text("Keamanan pemilihan, TERJAGA!") == "aman pilih jaga"


@pytest.mark.parametrize(
    "line",
    [
        "Keamanan pemilihan terjaga; rapat koordinasi membahas penyelenggaraan pemilu.\n",
        "Pengamanan TPS di Bekasi  dan Kota Tangerang Selatan (Perludem, Bawaslu) — dipantau ketat.\t",
    ],
)
def test_a_long_text_is_stemmed_as_a_whole_a_slice_at_a_time(line: str) -> None:
    times = 12_000  # ~1 MB: ~30 slices of many lines, cut between words, the last one short
    text = line * times
    stemmed = stem_text(text)
    assert stemmed == " ".join([stem_text(line)] * times)
    # The Python objects alive at the peak stay near the text's own size (the stems and their join): a list
    # of every word and of every stem at once (over 60 bytes per 8-character word, twice) was ~8x.
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        stem_text(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * len(text)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pemilihan", "pilih"),
        ('"keamanan pemilihan"', '"aman pilih"'),
        ("pemilihan -demonstrasi", "pilih -demonstrasi"),
        ("pemilihan | keamanan", "pilih | aman"),
        ("pemilihan~1", "pilih~1"),
        ("(pemilihan + keamanan)", "(pilih + aman)"),
    ],
)
def test_query_words_are_stemmed_and_operators_kept(query: str, expected: str) -> None:
    assert stem_query(query) == expected


def test_snippets_mark_words_that_share_a_query_stem() -> None:
    from search.highlight import mark_stems, query_stems

    stems = query_stems("memilih -rusuh")
    assert stems == {"pilih"}
    snippet = "Rapat &amp; <em>koordinasi</em> pemilihan; warga terpilih, rusuh tidak ada."
    assert mark_stems(snippet, stems) == (
        "Rapat &amp; <em>koordinasi</em> <em>pemilihan</em>; warga <em>terpilih</em>, rusuh tidak ada."
    )


def test_html_entities_in_snippets_are_never_marked() -> None:
    from search.highlight import mark_stems, query_stems

    assert mark_stems("A &amp; B &#39;amp&#39;", query_stems("amp")) == "A &amp; B &#39;<em>amp</em>&#39;"


@pytest.mark.parametrize(
    "text",
    [
        "Keamanan pemilihan, TERJAGA! 2026-Q1 snake_case",
        "İSTANBUL İzmir",  # `İ` lowercases to `i` and a combining dot, which is no word character
        "\u039f\u0394\u039f\u03a3'\u0391 \u039f\u0394\u039f\u03a3",  # a final sigma, by what follows
        "Straße ǅemal ﬃ x\u0307y",
    ],
)
def test_each_word_is_lowercased_and_stemmed_alone(text: str) -> None:
    assert stem_text(text) == " ".join(stem_word(word) for word in WORD.findall(text))
