"""The texts of elections errors (hub/elections/)."""

from __future__ import annotations

from hub.i18n.entry import Texts

TEXTS: dict[str, Texts] = {
    "elections.name_length": Texts(
        "Nama terdiri atas 1 sampai {max_length} karakter", "a name has 1 to {max_length} characters"
    ),
    "elections.conflict": Texts(
        "Data pemilu sedang diubah oleh orang lain; coba lagi",
        "the election is being changed by others; try again",
    ),
    "elections.election_not_found": Texts(
        "Tidak ada pemilu dengan id ini",
        "no election has this id",
    ),
    "elections.stage_not_found": Texts(
        "Pemilu ini tidak memiliki tahapan {stage_code!r}",
        "the election has no stage {stage_code!r}",
    ),
    "elections.duplicate_election": Texts(
        "Sudah ada {kind} {year} bernama {name!r}",
        "there is already a {kind} {year} named {name!r}",
    ),
    "elections.region_not_found": Texts(
        "Tidak ada wilayah dengan kode {region!r}",
        "no region has the code {region!r}",
    ),
    "elections.stage_code_format": Texts(
        "Kode tahapan berupa huruf kecil dan angka yang disambung dengan '-' atau '_', paling banyak "
        "{max_code_length} karakter; {code!r} tidak memenuhi",
        "a stage code is a slug of lowercase letters and digits joined by '-' or '_', at most "
        "{max_code_length} characters; {code!r} is not",
    ),
    "elections.stage_ends_before_start": Texts(
        "Tahapan {code!r} berakhir ({ends_on}) sebelum dimulai ({starts_on})",
        "stage {code!r} ends ({ends_on}) before it starts ({starts_on})",
    ),
    "elections.logistics_after_end": Texts(
        "Batas waktu logistik tahapan {code!r} ({logistics_deadline}) jatuh setelah tahapan berakhir "
        "({ends_on})",
        "the logistics deadline of stage {code!r} ({logistics_deadline}) is after the stage ends ({ends_on})",
    ),
    "elections.year_range": Texts(
        "Tahun harus antara {min_year} dan {max_year}",
        "the year must be between {min_year} and {max_year}",
    ),
    "elections.pilkada_needs_region": Texts(
        "Pilkada memerlukan paling sedikit satu wilayah",
        "a Pilkada needs at least one region",
    ),
    "elections.unknown_region_codes": Texts(
        "Kode wilayah tidak dikenal: {codes}",
        "unknown region codes: {codes}",
    ),
    "elections.duplicate_stage": Texts(
        "Kode tahapan {code!r} dipakai dua kali; kode harus unik dalam satu pemilu",
        "the stage code {code!r} is used twice; codes are unique within an election",
    ),
    "elections.pemilu_national": Texts(
        "Pemilu bersifat nasional: wilayahnya [{national_root!r}] (atau kosongkan)",
        "a Pemilu is national: its regions are [{national_root!r}] (or leave them out)",
    ),
    # Said by the API layer (schema/elections/)
    "elections.election_id": Texts(
        "`election` harus berupa id Election",
        "`election` must be an Election id",
    ),
}
