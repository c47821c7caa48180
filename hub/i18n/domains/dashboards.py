"""The texts of dashboards errors (hub/dashboards/)."""

from __future__ import annotations

from hub.i18n.entry import Texts

TEXTS: dict[str, Texts] = {
    "dashboards.from_before_to": Texts(
        "`from` harus sebelum `to`",
        "`from` must be before `to`",
    ),
    "dashboards.max_days": Texts(
        "Dasbor mencakup paling lama {max_days} hari",
        "a dashboard spans at most {max_days} days",
    ),
    "dashboards.region_not_found": Texts(
        "Tidak ada wilayah dengan kode {wanted!r}",
        "no region has the code {wanted!r}",
    ),
    # Said by the API layer (schema/dashboards/)
    "dashboards.election_not_found": Texts(
        "`election` harus berupa id Election",
        "`election` must be an Election id",
    ),
}
