"""The texts of webhooks errors (hub/webhooks/)."""

from __future__ import annotations

from hub.i18n.entry import Texts

TEXTS: dict[str, Texts] = {
    # Where a webhook may point (hub.webhooks.urls)
    "webhooks.url_format": Texts(
        "URL webhook berupa URL http(s) sepanjang paling banyak {max_length} karakter, tanpa spasi",
        "a webhook URL is an http(s) URL of at most {max_length} characters, no spaces",
    ),
    "webhooks.url_scheme": Texts(
        "URL webhook harus diawali http:// atau https://", "a webhook URL must start with http:// or https://"
    ),
    "webhooks.url_credentials": Texts(
        "URL webhook tidak boleh memuat kredensial", "a webhook URL must not carry credentials"
    ),
    "webhooks.url_port": Texts("Port URL webhook tidak valid", "the port of the webhook URL is not valid"),
    "webhooks.url_no_host": Texts("URL webhook tidak memiliki host", "the webhook URL has no host"),
    "webhooks.url_not_public": Texts(
        "{host} mengarah ke {address}, yang bukan alamat publik{detail}",
        "{host} resolves to {address}, which is not a public address{detail}",
    ),
    "webhooks.url_unresolved": Texts(
        "Host {host} tidak dapat di-resolve", "the host {host} does not resolve"
    ),
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
