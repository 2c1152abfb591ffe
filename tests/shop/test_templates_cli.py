"""``waflow templates list | pull | check`` against a mocked Cloud API template list (two pages)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import responses
from click.testing import CliRunner, Result

from flows.features.business import parse_business
from flows.features.business.meta_templates import ListedTemplate
from flows.features.business.templates_cli import templates as templates_cli
from tests.helpers import load_payload

WABA = "102290129340398"
LIST_URL = f"https://graph.facebook.com/v23.0/{WABA}/message_templates"
ENV = {
    "WHATSAPP_ACCESS_TOKEN": "test-token-abcdef",
    "WHATSAPP_BUSINESS_ACCOUNT_ID": WABA,
    "WHATSAPP_API_BASE_URL": "https://graph.facebook.com",
    "WHATSAPP_API_VERSION": "v23.0",
}
BUSINESS = """\
business: {name: Miga Bakery, timezone: Europe/Madrid, currency: EUR}
templates:
  language: en_US
  approved:
    - {name: order_update, category: utility, params: [name, number, status]}
    - {name: feedback_invite, category: marketing, params: [name, business]}
"""
Invoke = Callable[..., Result]


def _answer(page: str) -> tuple[int, dict[str, str], str]:
    body = {k: v for k, v in load_payload("templates", page).items() if k != "source"}
    return 200, {}, json.dumps(body)


@pytest.fixture
def pages(graph: responses.RequestsMock) -> list[str]:
    """Answer the template list in two pages (``after`` asks for the second); the URLs asked."""
    asked: list[str] = []

    def answer(request: Any) -> tuple[int, dict[str, str], str]:
        asked.append(request.url)
        assert request.headers["Authorization"] == "Bearer test-token-abcdef"
        return _answer("page_2.json" if "after=MjQZD" in request.url else "page_1.json")

    graph.add_callback(responses.GET, LIST_URL, callback=answer)
    return asked


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Invoke ``waflow templates …`` with ``env`` over the test settings (``None`` unsets)."""
    monkeypatch.chdir(tmp_path)  # no .env of the checkout

    def invoke(*args: str, env: dict[str, str | None] | None = None) -> Result:
        return CliRunner().invoke(templates_cli, list(args), env={**ENV, **(env or {})})

    return invoke


def _business(tmp_path: Path, text: str = BUSINESS) -> str:
    path = tmp_path / "shop.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_list_follows_paging_next_and_shows_every_template(run: Invoke, pages: list[str]) -> None:
    result = run("list")
    assert result.exit_code == 0, result.output
    assert len(pages) == 2
    assert "fields=name%2Clanguage%2Cstatus%2Ccategory" in pages[0]
    assert pages[1].endswith("&after=MjQZD")
    lines = result.output.splitlines()
    assert lines[-1] == "5 template(s)"
    assert lines[0].split() == [
        "booking_reminder",
        "es",
        "REJECTED",
        "marketing",
        "3",
        "variable(s)",
    ]
    assert [line.split()[0] for line in lines[:-1]] == [
        "booking_reminder",
        "feedback_invite",
        "order_update",
        "spring_sale",
        "staff_handoff",
    ]


def test_pull_prints_the_approved_templates_as_a_section_that_loads(
    run: Invoke, pages: list[str]
) -> None:
    result = run("pull")
    assert result.exit_code == 0, result.output
    assert "# Hi {{1}}, order {{2}} is now {{3}}." in result.output
    assert "staff_handoff" not in result.output  # pending
    text = "business: {name: Miga, timezone: Europe/Madrid, currency: EUR}\n" + result.output
    approved = parse_business(text).templates.approved
    assert [(t.name, t.language, t.category, t.params) for t in approved] == [
        ("feedback_invite", "en_US", "marketing", ("var1", "var2")),
        ("order_update", "en_US", "utility", ("var1", "var2", "var3")),
        ("spring_sale", "en_US", "marketing", ("first_name",)),
    ]


def test_check_passes_when_every_declared_template_matches(
    run: Invoke, pages: list[str], tmp_path: Path
) -> None:
    result = run("check", "--business", _business(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "ok     order_update (en_US)",
        "ok     feedback_invite (en_US)",
        "all 2 template(s) match WhatsApp Manager",
    ]


def test_check_names_each_problem_and_exits_1(
    run: Invoke, pages: list[str], tmp_path: Path
) -> None:
    text = BUSINESS.replace("[name, number, status]", "[number, status]") + (
        "    - {name: staff_handoff, category: utility, params: [name, number, message]}\n"
        "    - {name: booking_reminder, language: es, category: utility, params: [name, when, service]}\n"
        "    - {name: spring_sale, category: marketing, params: [name]}\n"
        "    - {name: ghost, category: utility}\n"
        "    - {name: feedback_invite, language: es, category: marketing}\n"
    )
    result = run("check", "--business", _business(tmp_path, text))
    assert result.exit_code == 1, result.output
    wrong = dict(
        line.split(": ", 1) for line in result.output.splitlines() if line.startswith("wrong")
    )
    assert wrong == {
        "wrong  order_update (en_US)": "the body has 3 variable(s) ({{1}}, {{2}}, {{3}}); params "
        "names 2 (number, status)",
        "wrong  staff_handoff (en_US)": "status PENDING: only APPROVED templates can be sent",
        "wrong  booking_reminder (es)": "status REJECTED: only APPROVED templates can be sent; "
        "category marketing in WhatsApp Manager, utility in the business file",
        "wrong  spring_sale (en_US)": "it uses named variables; waflow fills body variables by "
        "position; its header has a variable; waflow fills only the body; its button has a "
        "variable; waflow fills only the body",
        "wrong  ghost (en_US)": "not in WhatsApp Manager in en_US",
        "wrong  feedback_invite (es)": "not in WhatsApp Manager in es (it exists in en_US)",
    }
    assert "6 of 7 template(s) need attention" in result.output


def test_check_refuses_a_broken_business_file_before_asking_meta(
    run: Invoke, graph: responses.RequestsMock, tmp_path: Path
) -> None:
    text = BUSINESS + "  handoff: order_update\n"
    result = run("check", "--business", _business(tmp_path, text))
    assert result.exit_code == 2
    assert "(templates.handoff): unknown handoff parameter 'status'" in result.output
    assert not graph.calls


@pytest.mark.parametrize(
    ("unset", "message"),
    [
        pytest.param("WHATSAPP_ACCESS_TOKEN", "set WHATSAPP_ACCESS_TOKEN", id="no-token"),
        pytest.param(
            "WHATSAPP_BUSINESS_ACCOUNT_ID", "set WHATSAPP_BUSINESS_ACCOUNT_ID", id="no-waba"
        ),
    ],
)
@pytest.mark.parametrize("command", ["list", "pull"])
def test_a_missing_setting_is_one_clear_line_without_a_call(
    run: Invoke, graph: responses.RequestsMock, command: str, unset: str, message: str
) -> None:
    result = run(command, env={unset: None})
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {message}")
    assert "Traceback" not in result.output
    assert not graph.calls


def test_a_graph_error_is_one_line_not_a_traceback(
    run: Invoke, graph: responses.RequestsMock
) -> None:
    envelope = load_payload("graph_errors", "190_token_expired.json")
    graph.add(responses.GET, LIST_URL, json=envelope["body"], status=envelope["http_status"])
    result = run("list")
    assert result.exit_code == 2
    assert result.output.startswith("Error: ")
    assert "Error validating access token" in result.output
    assert isinstance(result.exception, SystemExit)


def test_a_next_page_on_another_host_is_refused(run: Invoke, graph: responses.RequestsMock) -> None:
    body = {"data": [], "paging": {"next": "https://evil.example/v23.0/x?after=1"}}
    graph.add(responses.GET, LIST_URL, json=body)
    result = run("list")
    assert result.exit_code == 2
    assert "bad paging.next" in result.output
    assert len(graph.calls) == 1


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        pytest.param({"language": "en_US"}, None, id="no-name"),
        pytest.param(
            {"name": "t", "language": "es", "status": "APPROVED", "category": "UTILITY"},
            ListedTemplate("t", "es", "APPROVED", "utility"),
            id="no-components",
        ),
        pytest.param(
            {
                "name": "t",
                "language": "es",
                "components": [{"type": "BODY", "text": "{{1}} {{2}} {{1}} {{ 3 }}"}],
            },
            ListedTemplate("t", "es", "", "", "{{1}} {{2}} {{1}} {{ 3 }}", ("1", "2", "3")),
            id="repeated-variable",
        ),
    ],
)
def test_listed_items_are_read_leniently(
    item: dict[str, Any], expected: ListedTemplate | None
) -> None:
    assert ListedTemplate.from_graph(item) == expected
