"""`waflow validate` and `waflow graph` on the command line: output and exit codes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from webhooks._cli_flows import graph, validate

HERE = Path(__file__).parent
VALID = HERE / "valid"
BROKEN = HERE / "broken"
HOOKS = """
from flows import Hooks

hooks = Hooks()


@hooks.action("orders.create")
def create(ctx):
    return {"id": 1}
"""
_LINE = re.compile(r"^\S+:\d+: (error|warning) \[[a-z-]+\] \S+: .+$")


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from an empty directory (no .env) without WAFLOW_* variables."""
    monkeypatch.chdir(tmp_path)
    for name in ("WAFLOW_FLOWS", "WAFLOW_HOOKS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def hooks_file(tmp_path: Path) -> Path:
    file = tmp_path / "hooks.py"
    file.write_text(HOOKS, encoding="utf-8")
    return file


def test_valid_flows_pass_strict(hooks_file: Path) -> None:
    result = CliRunner().invoke(validate, [str(VALID), "--hooks", str(hooks_file), "--strict"])
    assert result.exit_code == 0, result.output
    assert result.output == "2 files, 0 errors, 0 warnings\n"


def test_errors_are_listed_one_per_line_and_fail(hooks_file: Path) -> None:
    files = [str(BROKEN / "four_buttons.yaml"), str(BROKEN / "dangling_target.yaml")]
    result = CliRunner().invoke(validate, [*files, "--hooks", str(hooks_file)])
    assert result.exit_code == 1
    *lines, summary = result.output.splitlines()
    assert lines
    assert all(_LINE.match(line) for line in lines), lines
    assert f"{files[1]}:10: error [unknown-state] states.hello.next[0].goto: " in result.output
    assert summary == "2 files, 2 errors, 1 warning"  # the unused orders.create hook


def test_warnings_fail_only_with_strict(hooks_file: Path) -> None:
    file = str(BROKEN / "dead_branch.yaml")
    lenient = CliRunner().invoke(validate, [file])
    strict = CliRunner().invoke(validate, [file, "--strict"])
    assert lenient.exit_code == 0
    assert strict.exit_code == 1
    assert "warning [dead-branch] states.hello.next[1]" in strict.output
    assert "(hook names not checked: no --hooks file)" in strict.output


def test_the_hooks_file_comes_from_the_environment(hooks_file: Path) -> None:
    file = str(BROKEN / "unknown_hook.yaml")
    result = CliRunner().invoke(validate, [file], env={"WAFLOW_HOOKS": str(hooks_file)})
    assert result.exit_code == 1
    assert "no action hook named 'orders.craete'" in result.output


def test_the_flows_come_from_the_environment(hooks_file: Path) -> None:
    env = {"WAFLOW_FLOWS": str(VALID), "WAFLOW_HOOKS": str(hooks_file)}
    result = CliRunner().invoke(validate, [], env=env)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2 files, 0 errors")


def test_no_flows_at_all_is_a_usage_error() -> None:
    result = CliRunner().invoke(validate, [])
    assert result.exit_code == 2
    assert "WAFLOW_FLOWS" in result.output


def test_a_directory_without_flows_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(validate, [str(tmp_path / "empty")])
    assert result.exit_code == 2
    assert "no *.yaml or *.yml flow files" in result.output


def test_a_broken_hooks_file_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad_hooks.py"
    bad.write_text("raise RuntimeError('boom')\n", encoding="utf-8")
    result = CliRunner().invoke(validate, [str(VALID), "--hooks", str(bad)])
    assert result.exit_code == 2
    assert "boom" in result.output
    assert "Traceback" not in result.output


def test_graph_prints_mermaid() -> None:
    result = CliRunner().invoke(graph, [str(VALID / "cake_order.yaml")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("stateDiagram-v2\n")
    assert "    s_ask_qty --> s_big_order : slots.qty > 10\n" in result.output


def test_graph_writes_a_file(tmp_path: Path) -> None:
    out = tmp_path / "cake.mmd"
    result = CliRunner().invoke(graph, [str(VALID / "cake_order.yaml"), "--output", str(out)])
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("stateDiagram-v2\n")


def test_graph_of_a_broken_file_fails_with_its_line() -> None:
    result = CliRunner().invoke(graph, [str(BROKEN / "two_kinds.yaml")])
    assert result.exit_code == 1
    assert "two_kinds.yaml:7" in result.output
    assert "Traceback" not in result.output


def test_validate_checks_a_business_bot_with_its_built_in_flows_and_hooks() -> None:
    shop = Path(__file__).parents[2] / "examples" / "shop_bot"
    args = [
        "--strict",
        "--business",
        str(shop / "business.yaml"),
        "--hooks",
        str(shop / "hooks.py"),
    ]
    result = CliRunner().invoke(validate, [*args, str(shop / "flows")])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("3 files, 0 errors, 0 warnings")


def test_validate_without_the_business_file_reports_the_missing_built_ins() -> None:
    shop = Path(__file__).parents[2] / "examples" / "shop_bot"
    result = CliRunner().invoke(
        validate,
        ["--hooks", str(shop / "hooks.py"), str(shop / "flows")],
        env={"WAFLOW_BUSINESS": ""},
    )
    assert result.exit_code == 1
    assert "flow:" in result.output or "unknown" in result.output


def test_validate_prints_every_mistake_of_the_business_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "business: {name: B, timezone: Mars/Base, currency: EURO}\n"
        "payments: {provider: paypal}\n"
        "privacy: {retention_days: soon}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(validate, ["--business", str(bad)])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0] == "Error: the business file has 4 mistakes:"
    assert [line.split(" ")[2] for line in lines[1:]] == [
        f"{bad}:1", f"{bad}:1", f"{bad}:2", f"{bad}:3"
    ]  # fmt: skip
    assert "more problem" not in result.output
