"""The texts of regions errors (hub/regions/)."""

from __future__ import annotations

from hub.i18n.entry import Texts

TEXTS: dict[str, Texts] = {
    "regions.region_not_found": Texts(
        "Tidak ada wilayah dengan kode {code!r}",
        "no region has the code {code!r}",
    ),
}
