"""The texts of webhooks errors (hub/webhooks/)."""

from __future__ import annotations

from hub.i18n.entry import Texts

TEXTS: dict[str, Texts] = {
    "webhooks.grant_not_found": Texts(
        "Tidak ada hibah akses mitra dengan id ini",
        "no partner grant has this id",
    ),
    "webhooks.grant_inactive": Texts(
        "Hibah akses telah dicabut atau habis masa berlakunya",
        "the grant is revoked or expired",
    ),
    "webhooks.delivery_not_found": Texts(
        "Tidak ada pengiriman webhook dengan id ini",
        "no webhook delivery has this id",
    ),
    "webhooks.delivery_busy": Texts(
        "Pengiriman ini sedang dicoba",
        "an attempt of this delivery is under way",
    ),
    # Said by the API layer (schema/webhooks/)
    "webhooks.grant_id": Texts(
        "`grant` harus berupa id PartnerGrant",
        "`grant` must be a PartnerGrant id",
    ),
}
