"""`waflow graph`: Mermaid state diagrams drawn from the flow IR."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from flows import Flow, load_flow, parse_flow, read_flow
from flows._graph import LABEL_MAX, mermaid

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
_ID = r"[A-Za-z][A-Za-z0-9_]*"
_NODE = rf"(?:{_ID}|\[\*\])"
STATEMENTS = [
    re.compile(p)
    for p in (
        r"^stateDiagram-v2$",
        r"^    %% [^\n]*$",
        rf"^    classDef {_ID} [a-z-]+:[^;\s]+$",
        rf'^    state "[^"]+" as (?P<declared>{_ID})$',
        rf"^    {_ID} : [^\n]+$",
        rf"^    (?P<source>{_NODE}) --> (?P<target>{_NODE})(?: : [^\n]+)?$",
        rf"^    note right of {_ID} : [^\n]+$",
        rf"^    class {_ID}(?:,{_ID})* {_ID}$",
    )
]


def _loadable() -> list[Path]:
    """Every flow of the tests and the demo that loads without problems."""
    files = sorted((HERE / "valid").glob("*.yaml")) + sorted((HERE / "broken").glob("*.yaml"))
    files += sorted((ROOT / "examples" / "demo" / "flows").glob("*.yaml"))
    return [f for f in files if not read_flow(f.read_text(encoding="utf-8"), str(f))[1]]


def assert_valid_mermaid(text: str) -> None:
    """Every line is a stateDiagram-v2 statement and every edge names a declared state."""
    declared = {"[*]"}
    used: set[str] = set()
    lines = text.splitlines()
    assert lines[0] == "stateDiagram-v2"
    assert text.endswith("\n")
    for line in lines:
        match = next((m for p in STATEMENTS if (m := p.match(line))), None)
        assert match is not None, f"not a Mermaid statement: {line!r}"
        groups = match.groupdict()
        if groups.get("declared"):
            declared.add(groups["declared"])
        used.update(groups[name] for name in ("source", "target") if groups.get(name))
    assert used <= declared, used - declared


@pytest.fixture
def cake() -> str:
    return mermaid(load_flow(HERE / "valid" / "cake_order.yaml"))


def test_the_sample_flow_has_its_states_and_edges(cake: str) -> None:
    for line in (
        'state "ask_cake" as s_ask_cake',
        "s_ask_cake : ask choice (4 options) → cake",
        "s_place : run orders.create → order",
        "s_get_address : call address, then next",
        "[*] --> s_greet",
        "s_greet --> s_ask_cake",
        "s_ask_qty --> s_big_order : slots.qty > 10",
        "s_ask_qty --> s_ask_card : otherwise",
        "s_ask_qty --> x_handoff : retries exhausted",
        "s_place --> x_handoff : hook error",
        "s_big_order --> x_handoff",
        "s_done --> [*]",
        "x_handoff --> [*]",
        "x_any --> [*] : intent cancel",
        "x_any --> [*] : session timeout",
        "note right of x_any : intents help → answer, then resume",
    ):
        assert f"    {line}\n" in cake, line


def test_kinds_are_styled(cake: str) -> None:
    assert "    class s_ask_cake,s_ask_qty,s_ask_card ask\n" in cake
    assert "    class s_place run\n" in cake


@pytest.mark.parametrize("file", _loadable(), ids=lambda f: f"{f.parent.name}/{f.stem}")
def test_every_flow_draws_valid_mermaid(file: Path) -> None:
    assert_valid_mermaid(mermaid(load_flow(file)))


def _flow(text: str) -> Flow:
    return parse_flow(textwrap.dedent(text).lstrip(), "inline.yaml")


def test_long_conditions_are_cut_and_labels_are_made_safe() -> None:
    flow = _flow(
        """
        schema: 1
        flow: labels
        version: 1
        start: hi
        states:
          hi:
            say: "Hi"
            next:
              - {if: "slots.a == 'x;y' and slots.b < 3 and slots.c is defined", goto: bye}
              - {when: crm.is_vip, goto: "flow:vip_menu"}
              - bye
          bye: {say: "Bye", end: true}
        """
    )
    text = mermaid(flow)
    assert_valid_mermaid(text)
    (label,) = re.findall(r"s_hi --> s_bye : (.+)\n", text)[:1]
    assert len(label) <= LABEL_MAX
    assert label.endswith("…")
    assert ";" not in label
    assert "<" not in label
    assert "    s_hi --> f_vip_menu : crm.is_vip\n" in text
    assert '    state "flow vip_menu" as f_vip_menu\n' in text
    assert "    s_hi --> s_bye : otherwise\n" in text


def test_a_flow_without_intents_has_no_anywhere_box() -> None:
    flow = _flow(
        """
        schema: 1
        flow: plain
        version: 1
        start: hi
        states:
          hi: {say: "Hi", next: end}
        """
    )
    assert mermaid(flow).count("x_any") == 0
    assert "    s_hi --> [*]\n" in mermaid(flow)
