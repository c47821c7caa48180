"""Logs of every process (API, worker, scheduler, commands): one JSON object per line in production and
wherever a program reads them; one readable line per record (coloured on a terminal) in development and
whenever stderr is a terminal, outside production."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from hub.settings import Environment

_RESERVED = set(vars(logging.makeLogRecord({})))
# uvicorn repeats its message with terminal colours in `color_message`; the readable format colours itself.
_NOT_SHOWN = _RESERVED | {"color_message"}
# Loggers that say too much at INFO: the Elasticsearch client writes a line for every request.
_QUIETER = {"elastic_transport": logging.WARNING}
_COLOURS = {"DEBUG": "2", "INFO": "36", "WARNING": "33", "ERROR": "31", "CRITICAL": "1;31"}


def _extra_fields(record: logging.LogRecord, hidden: set[str]) -> dict[str, Any]:
    """The fields a call passed with `extra=`."""
    return {key: value for key, value in vars(record).items() if key not in hidden}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, any `extra=` fields, and the exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(_extra_fields(record, _RESERVED))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class HumanFormatter(logging.Formatter):
    """`14:02:07.518 INFO    hub.app: message  key=value …`, local time, the traceback on the lines below."""

    def __init__(self, colour: bool = False) -> None:
        super().__init__()
        self.colour = colour

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created).astimezone()
        level = f"{record.levelname:<7}"
        if self.colour:
            level = f"\x1b[{_COLOURS.get(record.levelname, '0')}m{level}\x1b[0m"
        line = (
            f"{moment:%H:%M:%S}.{moment.microsecond // 1000:03d} {level} {record.name}: {record.getMessage()}"
        )
        extras = _extra_fields(record, _NOT_SHOWN)
        if extras:
            line += "  " + " ".join(f"{key}={_shown(value)}" for key, value in extras.items())
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def _shown(value: Any) -> str:
    text = str(value)
    return repr(text) if not text or any(character.isspace() for character in text) else text


def human_format(environment: Environment, stream: TextIO) -> bool:
    """Readable lines in development and on a terminal; JSON in production always, and for programs."""
    if environment is Environment.PRODUCTION:
        return False
    return environment is Environment.DEVELOPMENT or stream.isatty()


def configure_logging(
    level: int = logging.INFO,
    environment: Environment = Environment.PRODUCTION,
    stream: TextIO | None = None,
) -> None:
    """Logs of the root logger to `stream` (stderr), in the format `human_format` chooses."""
    stream = stream or sys.stderr
    handler = logging.StreamHandler(stream)
    if human_format(environment, stream):
        handler.setFormatter(HumanFormatter(colour=stream.isatty()))
    else:
        handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name, quieter in _QUIETER.items():
        logging.getLogger(name).setLevel(max(level, quieter))
