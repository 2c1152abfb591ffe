"""The demo bot (examples/demo: flows only, no business file), run the way a user runs it.

Its conversations are covered flow by flow in ``tests/flows/test_demo_flows.py`` and by its
fixtures (``examples/demo/fixtures``); here it is started as configured, through the command
line, with only the database overridden.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from webhooks.cli import cli

ROOT = Path(__file__).parents[2]
FLOWS = "examples/demo/flows"


@pytest.fixture(autouse=True)
def _from_the_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_chatting_with_the_demo_orders_a_cake(tmp_path: Path) -> None:
    env = {"WAFLOW_FLOWS": FLOWS, "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}"}
    typed = "hi\n1\nlemon\n2\nin two weeks\n/quit\n"
    result = CliRunner().invoke(cli, ["chat", "--name", "Ana"], env=env, input=typed)
    assert result.exit_code == 0, result.output
    assert "bot: Hi Ana! 🎂 Welcome to *Crumb & Co.* What can I do for you?" in result.output
    assert "bot: How many Lemon drizzle cakes would you like?" in result.output
    assert "bot: When would you like to pick them up?" in result.output
    assert result.output.rstrip().endswith("bye")


def test_the_demo_flows_pass_validate_strict() -> None:
    result = CliRunner().invoke(cli, ["validate", "--strict", FLOWS], env={"WAFLOW_HOOKS": ""})
    assert result.exit_code == 0, result.output
    assert "2 files, 0 errors, 0 warnings" in result.output
