"""The value types of template indicators (re-exported by hub.reports.models); apart so that the rules
(hub.reports.rules), which the models hold, can read them without a cycle."""

from __future__ import annotations

from enum import StrEnum


class ValueType(StrEnum):
    YES_NO = "yes_no"
    NUMBER = "number"
    MONEY = "money"  # rupiah, whole numbers
    PERCENTAGE = "percentage"
    CHOICE = "choice"
    TEXT = "text"
    DATE = "date"
