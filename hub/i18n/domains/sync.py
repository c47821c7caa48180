"""The texts of sync errors (hub/sync/)."""

from __future__ import annotations

from hub.i18n.entry import Texts

TEXTS: dict[str, Texts] = {
    "sync.since_in_future": Texts(
        "`{field}` berada di masa depan; kirim `syncedUntil` dari sinkronisasi terakhir Anda",
        "`{field}` is in the future; pass the `syncedUntil` of your last sync",
    ),
    "sync.sync_expired": Texts(
        "Data penghapusan disimpan {days} hari; `since` lebih lama dari itu: sinkronkan ulang semuanya "
        "(daftar tanpa `updatedSince`) dan lanjutkan dari `syncedUntil` jawaban ini",
        "removals are kept {days} days; `since` is older: sync everything again (list without "
        "`updatedSince`) and continue from this answer's `syncedUntil`",
    ),
}
