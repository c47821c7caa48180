"""Domain errors that say more than their code, by domain: `<domain>.<what>`, with their parameters.

A domain error raised with a plain string keeps it as its English message, and reads the general text of its
code (hub.i18n.codes) in Indonesian; raised with a `Text` of this table, it reads as written here in both.
"""

from __future__ import annotations

from hub.i18n.entry import Texts

DOMAIN_TEXTS: dict[str, Texts] = {}
