"""Domain errors that say more than their code, one module per domain (`<domain>.<what>`), with their
parameters. A domain error raised with a plain string keeps it as its English message and reads the general
text of its code (hub.i18n.codes) in Indonesian; raised with a `Text` of these tables, it reads as written
here in both."""

from __future__ import annotations

from hub.i18n.domains import (
    access,
    audit,
    cases,
    completeness,
    dashboards,
    documents,
    elections,
    notifications,
    regions,
    reports,
    searches,
    sync,
    webhooks,
)
from hub.i18n.entry import Texts

MODULES = (
    access,
    audit,
    cases,
    completeness,
    dashboards,
    documents,
    elections,
    notifications,
    regions,
    reports,
    searches,
    sync,
    webhooks,
)
DOMAIN_TEXTS: dict[str, Texts] = {key: texts for module in MODULES for key, texts in module.TEXTS.items()}
