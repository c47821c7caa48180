"""The texts of audit errors (hub/audit/)."""

from __future__ import annotations

from hub.i18n.entry import Texts

TEXTS: dict[str, Texts] = {
    "audit.permission_denied": Texts(
        "Hanya admin dan reviewer yang dapat membaca jejak audit",
        "only admins and reviewers read the audit trail",
    ),
    "audit.actions_filter": Texts(
        "Paling banyak {max_actions} tindakan, masing-masing 1 sampai {max_name} karakter",
        "at most {max_actions} actions, each 1 to {max_name} characters",
    ),
    "audit.from_after_to": Texts(
        "`from` berada setelah `to`",
        "`from` is after `to`",
    ),
    "audit.filter_too_long": Texts(
        "`{name}` terlalu panjang",
        "`{name}` is too long",
    ),
    # Said by the API layer (schema/audit/)
    "audit.user_filter_id": Texts(
        "`user` harus berupa id User",
        "`user` must be a User id",
    ),
    "audit.user_not_found": Texts(
        "Tidak ada akun yang dapat Anda lihat dengan id ini",
        "no account you may see has this id",
    ),
}
