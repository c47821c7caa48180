"""The texts of notifications errors (hub/notifications/)."""

from __future__ import annotations

from hub.i18n.entry import Texts

TEXTS: dict[str, Texts] = {
    "notifications.notification_not_found": Texts(
        "Anda tidak memiliki notifikasi dengan id ini",
        "you have no notification with this id",
    ),
    "notifications.users_only": Texts(
        "Notifikasi hanya untuk pengguna",
        "notifications belong to users",
    ),
}
