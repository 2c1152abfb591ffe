"""`waflow validate`'s checks: the broken-flow corpus, valid flows, the demo, and edge cases.

Every file of ``tests/flows/broken/`` starts with one ``# expect:`` comment line per diagnostic
it must produce::

    # expect: <error|warning> <code> L<line> <key.path or -> ~ <part of the message>

The line numbers count from the top of the file, comment lines included. The errors reported
for a file must be exactly the expected ones; expected warnings must be among those reported
(other warnings may appear).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.errors import FlowError
from flows import FlowHandler, FlowSet, Hooks, load_flow, load_flows
from flows._validate import (
    Diagnostic,
    flow_files,
    validate_flow,
    validate_flows,
    validate_paths,
)
from tests.flows import flowkit as kit
from tests.flows.flowkit import MakeChat
from webhooks.bootstrap import load_hooks

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
BROKEN = sorted((HERE / "broken").glob("*.yaml"))
VALID = HERE / "valid"
DEMO = ROOT / "examples" / "demo"
_EXPECT = re.compile(
    r"^# expect: (?P<severity>error|warning) (?P<code>[a-z-]+) L(?P<line>\d+) "
    r"(?P<path>\S+) ~ (?P<fragment>.+)$"
)


@dataclass(frozen=True)
class Expected:
    """One ``# expect:`` line of a corpus file."""

    severity: str
    code: str
    line: int
    path: str
    fragment: str

    @property
    def key(self) -> tuple[str, str, int | None, str]:
        return (self.severity, self.code, self.line, "" if self.path == "-" else self.path)


def expectations(file: Path) -> list[Expected]:
    """Read the leading ``# expect:`` lines of a corpus file."""
    found = []
    for line in file.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        match = _EXPECT.match(line)
        assert match or not line.startswith("# expect"), f"malformed expectation: {line}"
        if match:
            found.append(Expected(**{**match.groupdict(), "line": int(match["line"])}))
    return found


def key(diagnostic: Diagnostic) -> tuple[str, str, int | None, str]:
    return (diagnostic.severity, diagnostic.code, diagnostic.line, diagnostic.path)


def make_hooks() -> Hooks:
    """The registry the corpus and the valid flows are checked against."""
    hooks = Hooks()

    @hooks.action("orders.create")
    def create(ctx: Any) -> dict[str, str]:
        return {"id": f"A-{ctx.args['qty']}-{ctx.args['cake']}"}

    return hooks


@pytest.fixture
def hooks() -> Hooks:
    return make_hooks()


def write(tmp_path: Path, name: str, text: str) -> Path:
    file = tmp_path / f"{name}.yaml"
    file.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return file


def codes(diagnostics: list[Diagnostic]) -> list[tuple[str, str, str]]:
    return [(d.severity, d.code, d.path) for d in diagnostics]


# -- the corpus ------------------------------------------------------------------------------------


def test_the_corpus_is_big_enough() -> None:
    assert len(BROKEN) >= 20


@pytest.mark.parametrize("file", BROKEN, ids=lambda file: file.stem)
def test_broken_flow_reports_its_problem(file: Path, hooks: Hooks) -> None:
    expected = expectations(file)
    assert expected, f"{file.name} declares no '# expect:' line"
    found = validate_paths([file], hooks=hooks)
    errors = {key(d) for d in found if d.severity == "error"}
    assert errors == {e.key for e in expected if e.severity == "error"}, found
    for item in expected:
        matching = [d for d in found if key(d) == item.key]
        assert matching, f"missing {item}; found {found}"
        assert any(item.fragment in d.message for d in matching), matching
    assert all(d.file == str(file) for d in found if d.code != "unused-hook")


def test_the_corpus_covers_every_check() -> None:
    covered = {e.code for file in BROKEN for e in expectations(file)}
    assert covered >= {
        "schema",
        "unknown-state",
        "unknown-flow",
        "unreachable",
        "input-less-loop",
        "no-fallback",
        "dead-branch",
        "undeclared-slot",
        "undeclared-variable",
        "template-syntax",
        "unsafe-attribute",
        "unknown-hook",
        "unknown-intent",
        "limit",
        "limit-may-exceed",
        "duplicate-option",
        "missing-reprompt",
        "help-without-resume",
        "intent-collision",
        "unused-slot",
    }


# -- flows that must pass ------------------------------------------------------------------------


def test_valid_flows_pass_strict(hooks: Hooks) -> None:
    assert validate_paths([VALID], hooks=hooks) == []


def test_valid_flows_compile_on_the_engine(hooks: Hooks) -> None:
    FlowHandler(load_flows(VALID), hooks)  # the validator and the compiler agree


def test_demo_flows_pass_strict() -> None:
    files = flow_files([DEMO / "flows"])
    assert files, "examples/demo/flows/ has no flows"
    assert all(file.exists() for file in files), "examples/demo/flows/ is missing"
    hooks_file = DEMO / "hooks.py"
    hooks = load_hooks(hooks_file) if hooks_file.is_file() else None
    assert validate_paths([DEMO / "flows"], hooks=hooks) == []


# -- the API ---------------------------------------------------------------------------------------


def test_a_diagnostic_reads_like_a_compiler_message() -> None:
    diagnostic = Diagnostic("error", "boom", "f.yaml", 12, "states.a.next[0].goto", "unknown-state")
    assert str(diagnostic) == "f.yaml:12: error [unknown-state] states.a.next[0].goto: boom"
    assert str(Diagnostic("warning", "hm", None, None, "", "x")) == "<flow>: warning [x] hm"


def test_a_flow_alone_skips_cross_flow_checks() -> None:
    flow = load_flow(VALID / "cake_order.yaml")
    assert validate_flow(flow) == []
    found = validate_flow(flow, flows={flow.id: flow})
    assert ("error", "unknown-flow", "states.get_address.call") in codes(found)


def test_validate_flows_checks_a_set_in_memory(hooks: Hooks) -> None:
    flows = [load_flow(file) for file in flow_files([VALID])]
    assert validate_flows(flows, hooks=hooks) == []
    assert ("error", "duplicate-flow", "flow") in codes(validate_flows([*flows, flows[0]]))


def test_hooks_can_be_given_as_plain_names() -> None:
    file = HERE / "broken" / "unknown_hook.yaml"
    found = validate_paths([file], hooks={"orders.create"})
    assert ("error", "unknown-hook", "states.place.run") in codes(found)
    assert ("warning", "unused-hook", "orders.create") in codes(found)


def test_without_hooks_hook_names_are_not_checked() -> None:
    found = validate_paths([HERE / "broken" / "unknown_hook.yaml"])
    assert found == []


def test_an_unused_hook_points_at_its_python_definition(tmp_path: Path) -> None:
    hooks = make_hooks()

    @hooks.condition("orders.big")
    def big(ctx: Any) -> bool:
        return True

    found = validate_paths([VALID], hooks=hooks)
    (unused,) = found
    assert unused.code == "unused-hook"
    assert unused.severity == "warning"
    assert unused.path == "orders.big"
    assert unused.file == __file__
    assert unused.line is not None
    assert "orders.big" in Path(__file__).read_text().splitlines()[unused.line - 1]


def test_a_missing_path_is_reported(tmp_path: Path) -> None:
    (found,) = validate_paths([tmp_path / "nope.yaml"])
    assert (found.severity, found.code, found.file) == ("error", "io", str(tmp_path / "nope.yaml"))


def test_a_broken_file_still_counts_for_references(tmp_path: Path) -> None:
    write(
        tmp_path, "menu", "schema: 1\nflow: menu\nversion: 1\nstart: hi\nstates: {hi: {sya: x}}\n"
    )
    write(
        tmp_path,
        "shop",
        """
        schema: 1
        flow: shop
        version: 1
        start: hi
        states:
          hi: {say: "Hi", next: "flow:menu"}
        """,
    )
    found = validate_paths([tmp_path])
    assert {d.code for d in found} == {"schema"}
    assert all(d.file == str(tmp_path / "menu.yaml") for d in found)


def test_set_checks_name_defaults_triggers_and_shared_intents(tmp_path: Path) -> None:
    for name in ("one", "two"):
        write(
            tmp_path,
            name,
            f"""
            schema: 1
            flow: {name}
            version: 1
            start: hi
            triggers: {{keywords: [Menu], default: true}}
            intents:
              agent: {{match: {{keywords: [agent]}}, goto: handoff, global: true}}
            states:
              hi: {{say: "Hi", end: true}}
            """,
        )
    found = validate_paths([tmp_path])
    assert set(codes(found)) == {
        ("error", "duplicate-trigger", "triggers.keywords"),
        ("error", "default-flow", "triggers.default"),
        ("error", "duplicate-intent", "intents.agent"),
    }
    assert {d.file for d in found} == {str(tmp_path / "two.yaml")}


def test_sub_flow_args_and_returns_name_the_child_slots(tmp_path: Path) -> None:
    write(
        tmp_path,
        "child",
        """
        schema: 1
        flow: child
        version: 1
        start: done
        slots: {street: string}
        states:
          done: {say: "{{ slots.street }}", end: true}
        """,
    )
    write(
        tmp_path,
        "parent",
        """
        schema: 1
        flow: parent
        version: 1
        start: get
        slots: {address: string}
        states:
          get:
            call: child
            args: {stret: "x"}
            returns: {address: town}
            next: bye
          bye: {say: "{{ slots.address }}", end: true}
        """,
    )
    found = validate_paths([tmp_path])
    assert codes(found) == [
        ("error", "undeclared-slot", "states.get.args.stret"),
        ("error", "undeclared-slot", "states.get.returns.address"),
    ]
    assert "did you mean 'street'?" in found[0].message


def test_slot_reads_in_every_spelling_count(tmp_path: Path) -> None:
    file = write(
        tmp_path,
        "reads",
        """
        schema: 1
        flow: reads
        version: 1
        start: hi
        slots: {a: string, b: string, c: string, d: string}
        states:
          hi:
            say: "{{ slots.a }} {{ slots['b'] }} {{ slots.get('c', '') }} {{ slots.get('e') }}"
            end: true
        """,
    )
    found = validate_paths([file])
    assert set(codes(found)) == {
        ("error", "undeclared-slot", "states.hi.say"),
        ("warning", "unused-slot", "slots.d"),
    }
    assert "slot 'e' is not declared" in str(found)


def test_a_template_walking_all_slots_uses_them_all(tmp_path: Path) -> None:
    file = write(
        tmp_path,
        "walk",
        """
        schema: 1
        flow: walk
        version: 1
        start: hi
        slots: {a: string, b: string}
        states:
          hi: {say: "{% for k, v in slots.items() %}{{ k }}={{ v }} {% endfor %}", end: true}
        """,
    )
    assert validate_paths([file]) == []


def _choice(tmp_path: Path, options: list[str], extra: str = "") -> list[Diagnostic]:
    listed = "\n".join(f"              - {option}" for option in options)
    file = write(
        tmp_path,
        "choice",
        f"""
        schema: 1
        flow: choice
        version: 1
        start: pick
        slots: {{item: choice}}
        settings: {{unrecognized: "Pick one."}}
        states:
          pick:
            ask: "Pick one"
            expect:
              type: choice
              options:
{listed}
            save: item{extra}
            next: bye
          bye: {{say: "{{{{ slots.item }}}}", end: true}}
        """,
    )
    return validate_paths([file])


def test_a_long_choice_is_paged_by_the_engine_not_refused(tmp_path: Path) -> None:
    assert _choice(tmp_path, [f"Option {n}" for n in range(25)]) == []


def test_every_page_of_a_long_choice_is_checked(tmp_path: Path) -> None:
    options = [f"Option {n}" for n in range(25)]
    options[22] = "An option with a very long title"
    (found,) = _choice(tmp_path, options)
    assert (found.code, found.path) == ("limit", "states.pick.expect.options[22]")
    assert "a row title must be at most 24 characters" in found.message


def test_three_options_too_long_for_buttons_become_a_list(tmp_path: Path) -> None:
    assert _choice(tmp_path, ["Twenty-two characters!", "Short", "Other"]) == []


def test_a_text_reprompt_is_held_to_its_question_body_limit(tmp_path: Path) -> None:
    reprompt = "\n            reprompt: {unrecognized: '" + "x" * 1100 + "'}"
    (found,) = _choice(tmp_path, ["A", "B"], reprompt)
    assert (found.code, found.path) == ("limit", "states.pick.reprompt.unrecognized")
    assert "at most 1024 characters (got 1100 characters)" in found.message


def test_literal_parts_of_a_template_alone_can_break_a_limit(tmp_path: Path) -> None:
    file = write(
        tmp_path,
        "tpl",
        """
        schema: 1
        flow: tpl
        version: 1
        start: pick
        slots: {item: choice}
        settings: {unrecognized: "Tap one."}
        states:
          pick:
            ask:
              text: "Which?"
              buttons:
                - {id: a, title: "{{ contact.name }}, the very first option"}
                - {id: b, title: "B"}
            save: item
            next: bye
          bye: {say: "{{ slots.item }}", end: true}
        """,
    )
    (found,) = validate_paths([file])
    assert (found.severity, found.code) == ("error", "limit")
    assert found.path == "states.pick.ask.buttons[0].title"
    assert "(got 23 characters)" in found.message


def test_context_names_depend_on_the_place(tmp_path: Path) -> None:
    file = write(
        tmp_path,
        "ctx",
        """
        schema: 1
        flow: ctx
        version: 1
        start: qty
        slots: {n: integer}
        settings:
          unrecognized: "{{ received }} is not a number. {{ hint }}"
          invalid: "{{ error }}"
        states:
          qty:
            ask: "How many, {{ contact.name }}? It is {{ now }}, {{ today }}, try {{ retries }}."
            expect: {type: number, integer: true}
            validate: {check: "value < 10", message: "{{ value }} is too many"}
            save: n
            next: run
          run:
            run: orders.create
            args: {n: "{{ slots.n }}", flow: "{{ flow.id }}"}
            on_error: {say: "Failed: {{ error }}", goto: end}
            next: bye
          bye: {say: "{{ value }}", end: true}
        """,
    )
    found = validate_paths([file], hooks={"orders.create"})
    assert codes(found) == [("error", "undeclared-variable", "states.bye.say")]


def test_diagnostics_come_sorted_by_file_and_line(hooks: Hooks) -> None:
    found = validate_paths([HERE / "broken"], hooks=hooks)
    order = [(d.file or "", d.line or 0) for d in found]
    assert order == sorted(order)


_EXAMPLE = re.compile(r"<!-- example: (?P<file>\S+) -->\n```yaml\n(?P<text>.*?)```\n", re.S)


def test_the_docs_complete_example_is_the_tested_one() -> None:
    doc = (ROOT / "docs" / "flows.md").read_text(encoding="utf-8")
    examples = {m["file"]: m["text"] for m in _EXAMPLE.finditer(doc)}
    assert set(examples) == {
        "tests/flows/valid/cake_order.yaml",
        "tests/flows/valid/address.yaml",
    }
    for file, text in examples.items():
        assert text == (ROOT / file).read_text(encoding="utf-8"), file


def test_the_docs_example_conversation_happens(make_chat: MakeChat) -> None:
    chat = make_chat(load_flows(VALID))  # hooks: this module's fixture
    (hello, question) = chat.send("cake")
    assert kit.body(hello) == "Hi Ana! Let's order a cake."
    assert kit.body(question) == "Which cake would you like?"
    assert [title for _, title in kit.rows(question)] == [
        "Chocolate",
        "Lemon",
        "Carrot",
        "Cheesecake",
    ]
    assert chat.say("the lemon one please") == ["How many lemon cakes?"]
    assert chat.say("30") == ["Between 1 and 20, please."]
    (card,) = chat.send("2")
    assert (kit.body(card), kit.buttons(card)) == ("Add a greeting card?", ["Yes", "No"])
    assert chat.say("yes") == ["Your street in FR?"]
    assert chat.say("12 rue de Rivoli") == ["Thanks Ana!", "Order A-2-lemon is confirmed."]


def test_say_messages_are_checked_as_the_engine_renders_them(tmp_path: Path) -> None:
    file = write(
        tmp_path,
        "say",
        """
        schema: 1
        flow: say
        version: 1
        start: hi
        slots: {code: {type: string, example: "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}}
        states:
          hi:
            say:
              - text: "Pick"
                buttons:
                  - {id: a, title: Same}
                  - {id: b, title: Same}
              - text: "Open"
                cta: {display_text: "Open", url: "https://x.example/{{ slots.code }}"}
              - template:
                  name: order_ready
                  language: en
                  components:
                    - {type: button, sub_type: url, index: "12", parameters: [{type: text, text: "{{ slots.code }}"}]}
              - text: "Go"
                header: "Code {{ slots.code }} {{ slots.code }} {{ slots.code }}"
                buttons: [Ok]
            end: true
        """,
    )
    found = validate_paths([file])
    assert codes(found) == [
        ("error", "limit", "states.hi.say[0].buttons[1].title"),
        ("error", "limit", "states.hi.say[2].template.components[0]"),
        ("warning", "limit-may-exceed", "states.hi.say[3].header"),
    ]
    assert "already used by states.hi.say[0].buttons[0].title" in found[0].message
    assert 'a component must be a string from "0" to "9"' in found[1].message
    assert "the header must be at most 60 characters (got 85 characters)" in found[2].message


def test_the_engines_more_row_is_checked_where_its_title_is_set(tmp_path: Path) -> None:
    options = "\n".join(f"              - Option {n}" for n in range(12))
    file = write(
        tmp_path,
        "more",
        f"""
        schema: 1
        flow: more
        version: 1
        start: pick
        slots: {{item: choice}}
        settings: {{unrecognized: "Pick one.", more_title: "A great many more options, please"}}
        states:
          pick:
            ask: "Pick one"
            expect:
              type: choice
              options:
{options}
            save: item
            next: bye
          bye: {{say: "{{{{ slots.item }}}}", end: true}}
        """,
    )
    (found,) = validate_paths([file])
    assert (found.code, found.path, found.line) == ("limit", "settings.more_title", 6)
    assert "a row title must be at most 24 characters (got 33 characters)" in found.message


def test_engine_words_are_reported_where_the_flow_sets_them(tmp_path: Path) -> None:
    file = write(
        tmp_path,
        "layout",
        """
        schema: 1
        flow: layout
        version: 1
        start: pick
        slots: {shop: {type: string, example: "A long example value here"}, x: choice}
        settings: {unrecognized: "Again."}
        states:
          pick:
            ask: "Pick"
            expect:
              type: choice
              list_button: "Choose one of these please"
              options:
                - {id: a, title: "{{ slots.shop }}", section: "Shops in the city centre area"}
                - {id: b, title: "B", section: "Other"}
                - {id: c, title: "C", section: "Other"}
                - {id: d, title: "D", section: "Other"}
            save: x
            next: end
        """,
    )
    found = validate_paths([file])
    assert codes(found) == [
        ("error", "limit", "states.pick.expect.list_button"),
        ("error", "limit", "states.pick.expect.options[0].section"),
        ("warning", "limit-may-exceed", "states.pick.expect.options[0].title"),
    ]
    assert "the list button must be at most 20 characters (got 26 characters)" in found[0].message
    assert "a section title must be at most 24 characters (got 29 characters)" in found[1].message
    assert "a row title must be at most 24 characters (got 25 characters)" in found[2].message


def test_templates_in_a_questions_options_are_checked(tmp_path: Path) -> None:
    file = write(
        tmp_path,
        "options",
        """
        schema: 1
        flow: options
        version: 1
        start: pick
        slots: {shop: string, x: choice}
        settings: {unrecognized: "Again."}
        states:
          pick:
            ask: "Pick"
            expect:
              type: choice
              options:
                - {id: a, title: "{{ slots.shop }}", description: "{{ slots.shp }}"}
                - {id: b, title: "B"}
            save: x
            next: end
        """,
    )
    found = validate_paths([file])
    assert codes(found) == [
        ("error", "undeclared-slot", "states.pick.expect.options[0].description")
    ]
    assert "did you mean 'shop'?" in found[0].message


@pytest.mark.parametrize("value", ["{{ qty qty }}", "{{ qty | shout }}", "{% if %}x{% endif %}"])
def test_a_hook_argument_the_engine_would_refuse_is_a_template_error(
    tmp_path: Path, value: str
) -> None:
    file = write(
        tmp_path,
        "args",
        f"""
        schema: 1
        flow: args
        version: 1
        start: place
        states:
          place:
            run: orders.create
            args: {{qty: "{value}", cake: lemon}}
            next: done
          done: {{say: "Done.", end: true}}
        """,
    )
    (found,) = validate_paths([file], hooks={"orders.create"})
    assert (found.code, found.path, found.line) == ("template-syntax", "states.place.args.qty", 8)
    with pytest.raises(FlowError, match="error: "):  # the same string stops the engine's start
        FlowHandler(FlowSet([load_flow(file)]), make_hooks())
