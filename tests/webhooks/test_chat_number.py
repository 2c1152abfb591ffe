"""``waflow chat --as``: the simulated number is written as people write numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import select

from storage.db import make_engine, read_session
from storage.models import Contact
from webhooks.cli import cli


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)
    for name in ("WHATSAPP_ACCESS_TOKEN", "WHATSAPP_APP_SECRET", "WAFLOW_FLOWS", "WAFLOW_HOOKS"):
        monkeypatch.delenv(name, raising=False)
    return {"DATABASE_URL": f"sqlite:///{tmp_path / 'chat.db'}"}


def test_a_number_with_spaces_and_plus_is_stored_as_digits(env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        cli, ["chat", "--as", "+34 699 111 222"], input="hello\n/quit\n", env=env
    )

    assert result.exit_code == 0, result.output
    with read_session(make_engine(env["DATABASE_URL"])) as session:
        assert list(session.exec(select(Contact.wa_id))) == ["34699111222"]


def test_a_number_that_is_not_one_is_refused(env: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, ["chat", "--as", "0699 111 222"], env=env)

    assert result.exit_code == 2
    assert "with its country code" in result.output
