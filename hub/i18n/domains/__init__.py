"""Domain errors that say more than their code, one module per domain (`<domain>.<what>`), with their
parameters. A domain error raised with a plain string keeps it as its English message and reads the general
text of its code (hub.i18n.codes) in Indonesian; raised with a `Text` of these tables, it reads as written
here in both."""

from __future__ import annotations

import importlib
import pkgutil

from hub.i18n.entry import Texts

# Every module of this package is a table: a new domain's texts are found by adding its file, with no list
# here to forget (the catalog refuses a message id defined twice).
NAMES = sorted(module.name for module in pkgutil.iter_modules(__path__))
MODULES = tuple(importlib.import_module(f"{__name__}.{name}") for name in NAMES)
DOMAIN_TEXTS: dict[str, Texts] = {key: texts for module in MODULES for key, texts in module.TEXTS.items()}
