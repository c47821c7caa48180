"""The texts of searches errors (hub/searches/)."""

from __future__ import annotations

from hub.i18n.entry import Texts

TEXTS: dict[str, Texts] = {
    "searches.staff_only": Texts(
        "Pencarian tersimpan hanya untuk pengguna staf",
        "saved searches belong to staff users",
    ),
    "searches.name_required": Texts(
        "Beri nama pencarian tersimpan ini",
        "give the saved search a name",
    ),
    "searches.name_too_long": Texts(
        "Nama lebih panjang dari {max_name} karakter",
        "the name is longer than {max_name} characters",
    ),
    "searches.query_too_long": Texts(
        "Kata kunci lebih panjang dari {max_query} karakter",
        "the query is longer than {max_query} characters",
    ),
    "searches.invalid_client_mutation_id": Texts(
        "`clientMutationId` lebih panjang dari {max_client_mutation_id} karakter",
        "`clientMutationId` is longer than {max_client_mutation_id} characters",
    ),
    "searches.saved_search_not_found": Texts(
        "Anda tidak memiliki pencarian tersimpan dengan id ini",
        "you have no saved search with this id",
    ),
    "searches.version_conflict": Texts(
        "Pencarian tersimpan ini sudah pada versi {version}, bukan {expected_version}: muat ulang lalu coba "
        "lagi",
        "the saved search is at version {version}, not {expected_version}: reload it, try again",
    ),
    "searches.region_not_found": Texts(
        "Tidak ada wilayah dengan kode {region!r}",
        "no region has the code {region!r}",
    ),
    "searches.range_reversed": Texts(
        "`filter.{field}` berada setelah akhir rentangnya",
        "`filter.{field}` is after its end of the range",
    ),
    "searches.duplicate_name": Texts(
        "Anda sudah memiliki pencarian tersimpan bernama {name!r}",
        "you already have a saved search named {name!r}",
    ),
    "searches.too_many_saved_searches": Texts(
        "Anda sudah memiliki {limit} pencarian tersimpan, jumlah terbanyak untuk satu pengguna: hapus salah "
        "satu dahulu",
        "you have {limit} saved searches, the most one user may keep: delete one first",
    ),
    "searches.changed_meanwhile": Texts(
        "Pencarian tersimpan telah diubah oleh orang lain: muat ulang lalu coba lagi",
        "the saved search changed meanwhile: reload it and try again",
    ),
}
