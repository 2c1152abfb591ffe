"""waflow's gunicorn settings: the metrics directory of the last run is emptied at start."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.metrics import MULTIPROC_VARIABLE
from webhooks import gunicorn_conf


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
