"""Log formats: readable lines in development and on a terminal, JSON in production and for programs."""

from __future__ import annotations

import io
import json
import logging
import sys

import pytest

from hub.logs import HumanFormatter, configure_logging, human_format
from hub.settings import Environment


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("environment", "terminal", "human"),
    [
        (Environment.DEVELOPMENT, False, True),
        (Environment.DEVELOPMENT, True, True),
        (Environment.TEST, True, True),
        (Environment.TEST, False, False),
        (Environment.PRODUCTION, True, False),
        (Environment.PRODUCTION, False, False),
    ],
)
def test_the_format_follows_the_environment_and_the_stream(
    environment: Environment, terminal: bool, human: bool
) -> None:
    assert human_format(environment, Terminal() if terminal else io.StringIO()) is human


def _record(**fields: object) -> logging.LogRecord:
    return logging.makeLogRecord(
        {"name": "hub.documents", "msg": "uploaded %s", "args": ("x",), "levelname": "INFO", **fields}
    )


def test_a_readable_line_has_the_message_its_fields_and_the_traceback() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = _record(
            document="d1", reason="too big", color_message="\x1b[36muploaded\x1b[0m", exc_info=sys.exc_info()
        )
    first, *rest = HumanFormatter().format(record).splitlines()
    assert first.endswith(" INFO    hub.documents: uploaded x  document=d1 reason='too big'")
    assert "\x1b[" not in first
    assert rest[0] == "Traceback (most recent call last):"
    assert rest[-1] == "ValueError: boom"


def test_colours_only_on_a_terminal() -> None:
    assert "\x1b[36mINFO   \x1b[0m" in HumanFormatter(colour=True).format(_record())


def test_production_writes_json_even_on_a_terminal() -> None:
    terminal = Terminal()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        configure_logging(logging.INFO, Environment.PRODUCTION, terminal)
        logging.getLogger("hub.test").info("started %s", "api", extra={"port": 8000})
    finally:
        root.handlers[:], root.level = handlers, level
    line = json.loads(terminal.getvalue())
    assert (line["message"], line["port"], line["logger"]) == ("started api", 8000, "hub.test")
