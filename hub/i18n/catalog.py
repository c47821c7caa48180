"""The catalog: every text of the hub by message id, merged from the tables of each area.

- `code.<CODE>` (hub.i18n.codes): the general text of each error code;
- `request.*` (hub.i18n.requests): the hub's own refusals of a request (limits, rate, authentication);
- `notice.*` (hub.i18n.notices): notifications and their e-mail;
- `<domain>.*` (hub.i18n.domains): domain errors that say more than their code.
"""

from __future__ import annotations

from hub.i18n.codes import CODE_TEXTS
from hub.i18n.domains import DOMAIN_TEXTS
from hub.i18n.entry import Texts
from hub.i18n.notices import NOTICE_TEXTS
from hub.i18n.requests import REQUEST_TEXTS


def code_key(code: str) -> str:
    return f"code.{code}"


def _merged(*tables: dict[str, Texts]) -> dict[str, Texts]:
    merged: dict[str, Texts] = {}
    for table in tables:
        for key, texts in table.items():
            if key in merged:
                raise ValueError(f"the message id {key!r} is defined twice")
            merged[key] = texts
    return merged


CATALOG: dict[str, Texts] = _merged(
    {code_key(code): texts for code, texts in CODE_TEXTS.items()}, REQUEST_TEXTS, NOTICE_TEXTS, DOMAIN_TEXTS
)
