"""waflow's gunicorn settings: the metrics directory, and a graceful stop."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.metrics import MULTIPROC_VARIABLE
from webhooks import gunicorn_conf

ROOT = Path(__file__).resolve().parents[2]


def test_the_master_removes_the_last_runs_counters_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "counter_4711.db").write_bytes(b"stale")
    (tmp_path / "histogram_4712.db").write_bytes(b"stale")
    (tmp_path / "notes.txt").write_text("not ours", encoding="utf-8")
    monkeypatch.setenv(MULTIPROC_VARIABLE, str(tmp_path))

    gunicorn_conf.on_starting(server=None)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_missing_metrics_directory_is_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "run" / "waflow-metrics"
    monkeypatch.setenv(MULTIPROC_VARIABLE, str(folder))

    gunicorn_conf.on_starting(server=None)

    assert folder.is_dir()


def test_without_multiprocess_mode_nothing_is_touched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(MULTIPROC_VARIABLE, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "counter_1.db").write_bytes(b"someone else's")

    gunicorn_conf.on_starting(server=None)

    assert (tmp_path / "counter_1.db").exists()


def test_the_settings_keep_the_graceful_stop_longer_than_the_runtimes_stop() -> None:
    from webhooks.bootstrap import STOP_TIMEOUT

    assert gunicorn_conf.worker_class == "gthread"
    assert gunicorn_conf.graceful_timeout > STOP_TIMEOUT


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter (module-level settings are read at import)."""
    kept = {k: v for k, v in os.environ.items() if k not in ("PROMETHEUS_MULTIPROC_DIR",)}
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        env={**kept, "PYTHONPATH": str(ROOT), **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_servers_metrics_directory_becomes_prometheus_multiprocess_one(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "not-yet" / "metrics"
    code = (
        "import os, webhooks.gunicorn_conf\n"
        "from prometheus_client import values\n"
        "print(os.environ['PROMETHEUS_MULTIPROC_DIR'], values.ValueClass.__name__)"
    )

    done = _python(code, WAFLOW_METRICS_DIR=str(folder))

    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(folder), "MmapedValue"]  # multiprocess mode is on
    assert folder.is_dir()  # created at import, before prometheus_client writes there


def test_a_waflow_command_ignores_the_servers_metrics_directory(tmp_path: Path) -> None:
    code = "import os, webhooks.cli; print(os.environ.get('PROMETHEUS_MULTIPROC_DIR', '-'))"

    done = _python(code, WAFLOW_METRICS_DIR=str(tmp_path))

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "-"
    assert list(tmp_path.iterdir()) == []  # no counter files left by a cron job


def test_a_missing_multiprocess_directory_is_created_not_a_crash(tmp_path: Path) -> None:
    folder = tmp_path / "missing"

    done = _python("import bot.metrics", PROMETHEUS_MULTIPROC_DIR=str(folder))

    assert done.returncode == 0, done.stderr
    assert folder.is_dir()
