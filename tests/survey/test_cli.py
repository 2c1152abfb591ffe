"""``waflow survey results NAME [--csv FILE]``."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy.engine import Engine

from flows.features.surveys import models as store
from flows.features.surveys.cli import survey
from flows.features.surveys.models import StoredAnswer
from storage.db import transaction
from tests.survey.conftest import SHOP_YAML

NOW = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def answered(engine: Engine) -> Engine:
    """Three responses to ``feedback``: NPS 10, 9 and 3."""
    for index, (stars, nps) in enumerate([(5, 10), (4, 9), (2, 3)]):
        answers = [StoredAnswer("stars", "rating", stars), StoredAnswer("nps", "nps", nps)]
        with transaction(engine) as session:
            store.record_response(
                session, "feedback", f"3460000000{index}", answers, once_per_contact=True, now=NOW
            )
    return engine


def _run(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    business = tmp_path / "shop.yaml"
    business.write_text(SHOP_YAML, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    env = {"DATABASE_URL": db_url, "WAFLOW_BUSINESS": str(business)}
    return CliRunner().invoke(survey, ["results", *args], env=env, catch_exceptions=False)


def test_results_on_screen(
    answered: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _run(db_url, tmp_path, monkeypatch, "feedback")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Delivery feedback (feedback): 3 responses")
    assert "average 3.67" in result.output
    assert "NPS +33.3" in result.output


def test_results_as_csv(
    answered: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.csv"
    result = _run(db_url, tmp_path, monkeypatch, "feedback", "--csv", str(target))
    assert "3 response(s) written" in result.output
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [r["nps"] for r in rows] == ["10", "9", "3"]


def test_an_unknown_survey_is_an_error(
    engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _run(db_url, tmp_path, monkeypatch, "nope")
    assert result.exit_code == 2
    assert "no survey named 'nope'" in result.output
    assert "feedback, quick" in result.output


def test_flows_prints_and_writes_the_generated_flows(
    engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    business = tmp_path / "shop.yaml"
    business.write_text(SHOP_YAML, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    env = {"DATABASE_URL": db_url, "WAFLOW_BUSINESS": str(business)}
    shown = CliRunner().invoke(survey, ["flows"], env=env, catch_exceptions=False)
    assert "flow: survey_feedback" in shown.output
    assert "flow: survey_quick" in shown.output
    written = CliRunner().invoke(survey, ["flows", "--out", "gen"], env=env, catch_exceptions=False)
    assert written.exit_code == 0, written.output
    assert sorted(p.name for p in (tmp_path / "gen").iterdir()) == [
        "survey_feedback.yaml",
        "survey_quick.yaml",
    ]
