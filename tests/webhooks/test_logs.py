"""``WAFLOW_LOG_FORMAT``: one JSON object per line, or the readable text line, for every entry point."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.config import Config, mask
from bot.errors import ConfigError
from webhooks.cli import cli
from webhooks.logs import TEXT_FORMAT, JsonFormatter

CUSTOMER = "15550001111"


def record(message: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc is not None else None
    return logging.LogRecord("bot.sending", logging.WARNING, __file__, 1, message, args, exc_info)


def test_a_json_line_has_time_level_logger_and_message() -> None:
    line = JsonFormatter().format(record("send to %s failed (%s)", mask(CUSTOMER), "[131026]"))

    entry = json.loads(line)
    assert "\n" not in line
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "bot.sending"
    assert entry["message"] == "send to …1111 failed ([131026])"
    assert entry["time"].endswith("+00:00")
    assert CUSTOMER not in line
    assert "exception" not in entry


def test_a_json_line_carries_the_exception_text() -> None:
    try:
        raise ValueError("a bug in a flow")
    except ValueError as exc:
        line = JsonFormatter().format(record("update %s failed", 7, exc=exc))

    entry = json.loads(line)
    assert entry["message"] == "update 7 failed"
    assert entry["exception"].startswith("Traceback (most recent call last):")
    assert entry["exception"].endswith("ValueError: a bug in a flow")


def test_a_json_line_survives_what_a_malformed_payload_holds() -> None:
    line = JsonFormatter().format(record("name %s", "\ud83d\u0000 «ü»"))

    assert line.isascii()
    assert json.loads(line)["message"] == "name \ud83d\u0000 «ü»"


@pytest.mark.parametrize(
    ("value", "expected"), [("", "text"), ("json", "json"), (" JSON ", "json"), ("text", "text")]
)
def test_the_log_format_setting(value: str, expected: str) -> None:
    config = Config(extra={"WAFLOW_LOG_FORMAT": value})
    assert config.log_format == expected
    config.check()


def test_an_unknown_log_format_is_refused() -> None:
    with pytest.raises(ConfigError, match="WAFLOW_LOG_FORMAT must be one of text, json"):
        Config(extra={"WAFLOW_LOG_FORMAT": "xml"}).check()


@contextmanager
def bare_root() -> Iterator[logging.Logger]:
    """The root logger without handlers (as in a fresh process), restored afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    root.handlers.clear()
    try:
        yield root
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers[:] = handlers
        root.setLevel(level)


@pytest.mark.parametrize(("value", "formatter"), [("json", JsonFormatter), ("", logging.Formatter)])
def test_the_command_line_writes_the_configured_format(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    value: str,
    formatter: type[logging.Formatter],
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    monkeypatch.setenv("WAFLOW_LOG_FORMAT", value)

    with bare_root() as root:
        result = CliRunner().invoke(cli, ["-v", "graph", "--help"])
        handlers, level = root.handlers[:], root.level

    assert result.exit_code == 0, result.output
    (handler,) = handlers
    assert type(handler.formatter) is formatter
    assert level == logging.INFO
    if value == "":
        assert handler.formatter is not None
        assert handler.formatter._fmt == TEXT_FORMAT


_SERVE_ONE_LOG_LINE = """
import logging
from webhooks.bootstrap import app_from_env
app_from_env()
logging.getLogger("bot.sending").warning("send to %s failed", "…1111")
"""


def test_the_wsgi_entry_point_writes_json_lines(tmp_path: Path) -> None:
    """A gunicorn worker builds the app with ``app_from_env()``: its log lines are JSON."""
    env = {
        "PATH": "/usr/bin:/bin",
        "WAFLOW_LOG_FORMAT": "json",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'waflow.db'}",
        "PYTHONPATH": str(Path(__file__).parents[2]),
    }
    done = subprocess.run(  # noqa: S603 (this interpreter, a script of this file)
        [sys.executable, "-c", _SERVE_ONE_LOG_LINE],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    lines = [json.loads(line) for line in done.stderr.splitlines()]
    assert lines, done.stderr
    assert {"time", "level", "logger", "message"} <= set(lines[-1])
    assert lines[-1]["message"] == "send to …1111 failed"
