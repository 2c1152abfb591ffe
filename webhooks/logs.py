"""Log output of the programs waflow starts: ``waflow`` commands and the WSGI entry point.

``WAFLOW_LOG_FORMAT=json`` writes one JSON object per line (``time``, ``level``, ``logger``,
``message``, and ``exception`` with the traceback when there is one) for log collectors;
``text`` (the default) one readable line. The library itself never configures logging: only
these entry points do, and only when nothing configured the root logger before them (a server's
own ``--log-config`` wins).

:class:`JsonFormatter` is a stdlib :class:`logging.Formatter` of a dozen lines rather than
``python-json-logger``: the five fixed fields need nothing more, and it adds no dependency. Log
messages are written as the code formats them, so phone numbers stay masked
(:func:`bot.config.mask`) in both formats.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from bot.config import LogFormat

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
"""The line of the ``text`` format."""


class JsonFormatter(logging.Formatter):
    """One JSON object per record: ``time`` (ISO 8601, UTC), ``level``, ``logger``, ``message``,
    ``exception`` (the formatted traceback, when the record has one).

    Non-ASCII characters are escaped, so a line is valid JSON and ASCII whatever a message holds
    (a lone surrogate from a malformed payload included).
    """

    def format(self, record: logging.LogRecord) -> str:
        """Render ``record`` as one JSON line."""
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry)


def configure_logging(log_format: LogFormat, level: int = logging.WARNING) -> None:
    """Send the root logger's records to standard error in ``log_format``.

    Does nothing when the root logger already has handlers (:func:`logging.basicConfig`).

    Args:
        log_format: ``text`` or ``json`` (``WAFLOW_LOG_FORMAT``).
        level: The root logger's level.
    """
    handler = logging.StreamHandler()
    formatter = JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    handler.setFormatter(formatter)
    logging.basicConfig(level=level, handlers=[handler])


__all__ = ["TEXT_FORMAT", "JsonFormatter", "configure_logging"]
