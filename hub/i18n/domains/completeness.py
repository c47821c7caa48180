"""The texts of completeness errors (hub/completeness/)."""

from __future__ import annotations

from hub.i18n.entry import Texts

TEXTS: dict[str, Texts] = {
    "completeness.requirement_kind": Texts(
        "Kewajiban laporan menyebut jenis laporan; kewajiban dokumen menyebut kategori dokumen",
        "a report requirement names a report type; a document requirement names a document category",
    ),
    "completeness.requirement_levels": Texts(
        "Pilih tingkat provinsi, kabupaten dan/atau kota",
        "choose province, regency and/or city levels",
    ),
    "completeness.due_before_period": Texts(
        "Jatuh tempo sebelum periode dimulai",
        "due before the period starts",
    ),
    "completeness.title_required": Texts(
        "Kewajiban pelaporan memerlukan judul",
        "a requirement needs a title",
    ),
    "completeness.requirement_not_found": Texts(
        "Tidak ada kewajiban pelaporan dengan id ini",
        "no requirement has this id",
    ),
    "completeness.invalid_period": Texts(
        "{key!r} bukan periode seperti 2026-Q1",
        "{key!r} is not a period like 2026-Q1",
    ),
    "completeness.duplicate_requirement": Texts(
        "Periode {period_key} sudah mewajibkan hal ini untuk tingkat-tingkat tersebut",
        "{period_key} already requires this of these levels",
    ),
}
