"""Loading flow files: the typed model, line numbers, and located errors for every bad shape."""

from __future__ import annotations

import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from bot.errors import FlowError, WaflowError
from flows import FlowLoadError, FlowSet, load_flow, load_flows, parse_flow, read_flow

MINIMAL = """\
schema: 1
flow: demo
version: 2
start: ask_name
states:
  ask_name:
    ask: "What's your name?"
    expect: {type: text, max_length: 40}
    save: name
    next: bye
  bye:
    say: "Bye {{ slots.name }}"
    end: true
"""


def problems(source: str) -> list[FlowError]:
    """Every problem of a document (it must have some)."""
    _, errors = read_flow(textwrap.dedent(source), file="bad.yaml")
    assert errors, "expected problems"
    return errors


def replace_state(body: str) -> str:
    """MINIMAL with ``ask_name`` replaced by ``body`` (indented as a state)."""
    head = MINIMAL.split("  ask_name:")[0]
    return (
        head
        + "  ask_name:\n"
        + textwrap.indent(textwrap.dedent(body), "    ")
        + "  bye:\n    end: true\n"
    )


def test_minimal_flow_becomes_typed_model() -> None:
    flow = parse_flow(MINIMAL, file="demo.yaml")
    assert (flow.id, flow.version, flow.start, flow.file) == ("demo", 2, "ask_name", "demo.yaml")
    state = flow.states["ask_name"]
    assert state.kind == "ask"
    assert state.expect is not None
    assert state.expect.max_length == 40
    assert state.save == "name"
    assert [b.target for b in state.next] == ["bye"]
    assert flow.states["bye"].kind == "end"
    assert flow.states["bye"].say[0].text == "Bye {{ slots.name }}"


def test_lines_map_every_key_path() -> None:
    flow = parse_flow(MINIMAL)
    assert flow.lines["states.ask_name"] == 6
    assert flow.lines["states.ask_name.expect"] == 8
    assert flow.lines["states.ask_name.expect.type"] == 8
    assert flow.lines["states.bye.say"] == 12
    assert flow.line_of("states.ask_name.expect.max_length.nothing") == 8


def test_flow_error_names_file_line_and_path() -> None:
    flow = parse_flow(MINIMAL, file="demo.yaml")
    error = flow.error("boom", "states.bye.say")
    assert (error.file, error.line, error.path) == ("demo.yaml", 12, "states.bye.say")
    assert str(error) == "demo.yaml:12 (states.bye.say): boom"
    assert isinstance(error, WaflowError)


@pytest.mark.parametrize(
    ("source", "line", "path", "words"),
    [
        pytest.param(
            replace_state("ask: hi\nexpct: number\nnext: bye\n"),
            8,
            "states.ask_name.expct",
            "did you mean 'expect'",
            id="unknown-key-did-you-mean",
        ),
        pytest.param(
            replace_state("say: hi\n"),
            6,
            "states.ask_name",
            "need 'next'",
            id="say-without-next",
        ),
        pytest.param(
            replace_state("next: bye\n"),
            6,
            "states.ask_name",
            "needs a kind",
            id="zero-kinds",
        ),
        pytest.param(
            replace_state("ask: hi\nrun: orders.create\nnext: bye\n"),
            6,
            "states.ask_name",
            "exactly one kind, this one has ask and run",
            id="several-kinds",
        ),
        pytest.param(
            replace_state("ask: hi\nsave: name\ntimeout: 30\nnext: bye\n"),
            9,
            "states.ask_name.timeout",
            "add a unit",
            id="duration-without-unit",
        ),
        pytest.param(
            replace_state("ask: hi\ntimeout: soon\nnext: bye\n"),
            8,
            "states.ask_name.timeout",
            "bad duration 'soon'",
            id="bad-duration",
        ),
        pytest.param(
            replace_state('ask: hi\nexpect: {type: regex, pattern: "(["}\nnext: bye\n'),
            8,
            "states.ask_name.expect.pattern",
            "invalid regular expression",
            id="invalid-regex",
        ),
        pytest.param(
            replace_state("ask: hi\nexpect: {type: number, min: 10, max: 2}\nnext: bye\n"),
            8,
            "states.ask_name.expect",
            "min (10) is greater than max (2)",
            id="number-min-above-max",
        ),
        pytest.param(
            replace_state(
                "ask: hi\nexpect: {type: text, min_length: 9, max_length: 3}\nnext: bye\n"
            ),
            8,
            "states.ask_name.expect",
            "min_length (9) is greater than max_length (3)",
            id="length-min-above-max",
        ),
        pytest.param(
            replace_state('ask: hi\nexpect: {type: date, min: "+30d", max: "+1d"}\nnext: bye\n'),
            8,
            "states.ask_name.expect",
            "is after max",
            id="date-min-after-max",
        ),
        pytest.param(
            replace_state('ask: hi\nexpect: {type: date, min: "+3h"}\nnext: bye\n'),
            8,
            "states.ask_name.expect.min",
            "days or weeks",
            id="date-bound-in-hours",
        ),
        pytest.param(
            replace_state("ask: hi\nexpect: {type: text, min: 3}\nnext: bye\n"),
            8,
            "states.ask_name.expect.min",
            "not an option of expect type 'text'",
            id="option-of-other-type",
        ),
        pytest.param(
            replace_state("ask: hi\nexpect: {type: integer}\nnext: bye\n"),
            8,
            "states.ask_name.expect.type",
            "expect type must be one of",
            id="unknown-expect-type",
        ),
        pytest.param(
            replace_state("ask: hi\nexpect: choice\nnext: bye\n"),
            8,
            "states.ask_name.expect",
            "a choice needs options",
            id="choice-without-options",
        ),
        pytest.param(
            replace_state("ask: hi\nsave: Name\nnext: bye\n"),
            8,
            "states.ask_name.save",
            "lowercase letters",
            id="bad-slot-name",
        ),
        pytest.param(
            replace_state("ask: hi\nnext: {goto: Somewhere}\n"),
            8,
            "states.ask_name.next.goto",
            "a target is a state id",
            id="bad-target",
        ),
        pytest.param(
            replace_state("ask: hi\nrun: orders.create\n"),
            6,
            "states.ask_name",
            "exactly one kind",
            id="ask-and-run",
        ),
        pytest.param(
            replace_state("run: os.system(1)\nnext: bye\n"),
            7,
            "states.ask_name.run",
            "hook name is dotted lowercase words",
            id="hook-looks-like-code",
        ),
        pytest.param(
            replace_state("end: true\nnext: bye\n"),
            8,
            "states.ask_name.next",
            "end states have no 'next'",
            id="end-with-next",
        ),
        pytest.param(
            replace_state("ask: {text: hi, buttons: [Yes], list: {rows: [A]}}\nnext: bye\n"),
            7,
            "states.ask_name.ask",
            "one shape, got buttons and list",
            id="message-with-two-shapes",
        ),
        pytest.param(
            replace_state("ask: {text: hi, footer: small}\nnext: bye\n"),
            7,
            "states.ask_name.ask.footer",
            "needs buttons, a list or a cta",
            id="footer-on-text",
        ),
        pytest.param(
            replace_state("say: {media: {kind: gif, link: 'https://x'}}\nnext: bye\n"),
            7,
            "states.ask_name.say.media.kind",
            "media kind must be",
            id="bad-media-kind",
        ),
        pytest.param(
            replace_state("ask: hi\ninterrupts: sometimes\nnext: bye\n"),
            8,
            "states.ask_name.interrupts",
            "true, false or a list",
            id="bad-interrupts",
        ),
        pytest.param(
            MINIMAL.replace("version: 2", "version: two"),
            3,
            "version",
            "must be a whole number",
            id="wrong-type",
        ),
        pytest.param(
            MINIMAL.replace("schema: 1", "schema: 2"),
            1,
            "schema",
            "unsupported schema 2",
            id="schema-version",
        ),
        pytest.param(
            MINIMAL.replace("flow: demo", "flow: Demo"),
            2,
            "flow",
            "lowercase letters",
            id="bad-flow-id",
        ),
        pytest.param(
            MINIMAL.replace("  bye:\n", "  end:\n").replace("next: bye", "next: end"),
            11,
            "states.end",
            "reserved",
            id="reserved-state-name",
        ),
        pytest.param(
            MINIMAL + "  bye:\n    end: true\n",
            14,
            "states.bye",
            "duplicate key 'bye' (first defined on line 11)",
            id="duplicate-key",
        ),
        pytest.param(
            MINIMAL + "settings: {max_retries: 0}\n",
            14,
            "settings.max_retries",
            "at least 1",
            id="max-retries-zero",
        ),
        pytest.param(
            MINIMAL + "settings: {timezone: Mars/Olympus}\n",
            14,
            "settings.timezone",
            "unknown time zone",
            id="bad-timezone",
        ),
        pytest.param(
            MINIMAL
            + "intents: {help: {match: {keywords: [help]}, say: hi, goto: bye, then: resume}}\n",
            14,
            "intents.help",
            "exactly one of 'goto' and 'then: resume'",
            id="intent-goto-and-resume",
        ),
        pytest.param(
            MINIMAL + "triggers: {referrals: [{headline: cake, source_id: '1'}]}\n",
            14,
            "triggers.referrals[0]",
            "exactly one field",
            id="referral-two-fields",
        ),
        pytest.param(
            replace_state(
                "ask: {text: hi, list: {rows: [A], sections: [{rows: [B]}]}}\nnext: bye\n"
            ),
            7,
            "states.ask_name.ask.list",
            "a list needs exactly one of 'sections' and 'rows'",
            id="list-rows-and-sections",
        ),
        pytest.param(
            replace_state("say: {media: {kind: image}}\nnext: bye\n"),
            7,
            "states.ask_name.say.media",
            "media needs exactly one of 'id' and 'link'",
            id="media-without-source",
        ),
        pytest.param(
            replace_state("ask: hi\nvalidate: [{message: no}]\nnext: bye\n"),
            8,
            "states.ask_name.validate[0]",
            "a validate rule needs exactly one of 'check' and 'hook'",
            id="validate-rule-without-check",
        ),
        pytest.param(MINIMAL + "states: [\n", 15, None, "YAML syntax error", id="yaml-syntax"),
        pytest.param(
            replace_state("ask: when?\nexpect: {type: date, max: 2025-13-01}\nnext: bye\n"),
            8,
            "states.ask_name.expect.max",
            "cannot read this value: month must be in 1..12",
            id="impossible-date",
        ),
    ],
)
def test_schema_problem_is_located(source: str, line: int, path: str | None, words: str) -> None:
    errors = problems(source)
    matching = [e for e in errors if words in e.message]
    assert matching, [str(e) for e in errors]
    assert (matching[0].file, matching[0].line, matching[0].path) == ("bad.yaml", line, path)


def test_parse_flow_raises_every_problem_at_once() -> None:
    source = MINIMAL.replace("schema: 1", "schema: 9").replace("version: 2", "version: 0")
    with pytest.raises(FlowLoadError) as caught:
        parse_flow(source, file="bad.yaml")
    assert len(caught.value.errors) == 2
    assert caught.value.line == 1
    assert "and 1 more problem" in str(caught.value)
    assert isinstance(caught.value, FlowError)


def test_every_problem_of_one_mapping_is_reported_together() -> None:
    source = replace_state(
        'ask: hi\nexpect: {type: regex, pattern: "(", min_length: 9, max_length: 3}\nnext: bye\n'
    )
    source += 'intents:\n  help:\n    match: {regex: ["(", "["]}\n    goto: bye\n'
    messages = [(e.path, e.message.split(":")[0]) for e in problems(source)]
    assert ("states.ask_name.expect.pattern", "invalid regular expression '('") in messages
    assert ("states.ask_name.expect", "min_length (9) is greater than max_length (3)") in messages
    regexes = [message for path, message in messages if path == "intents.help.match.regex"]
    assert regexes == ["invalid regular expression '('", "invalid regular expression '['"]


def test_shorthands_expand() -> None:
    flow = parse_flow(
        textwrap.dedent(
            """\
            schema: 1
            flow: short
            version: 1
            start: pick
            slots: {color: choice, note: {type: string, default: none yet}}
            states:
              pick:
                ask: {text: "Color?", buttons: [Red, "Dark blue"]}
                save: color
                next: [{if: "slots.color == 'red'", goto: done}, done]
              done:
                say: ["One", {text: "Two", preview_url: true}]
                end: true
            """
        )
    )
    pick = flow.states["pick"]
    assert pick.expect is not None
    assert pick.expect.type == "choice"
    assert [(o.id, o.title) for o in pick.expect.options] == [
        ("red", "Red"),
        ("dark_blue", "Dark blue"),
    ]
    assert pick.next[0].condition == "slots.color == 'red'"
    assert pick.next[1].unconditional
    assert flow.slots["color"].type == "choice"
    assert flow.slots["note"].default == "none yet"
    assert [m.text for m in flow.states["done"].say] == ["One", "Two"]
    assert flow.states["done"].say[1].preview_url


def test_relative_and_absolute_date_bounds() -> None:
    flow = parse_flow(
        replace_state('ask: when?\nexpect: {type: date, min: "+0d", max: 2025-12-24}\nnext: bye\n')
    )
    expect = flow.states["ask_name"].expect
    assert expect is not None
    assert expect.min_date is not None
    assert expect.max_date is not None
    assert expect.min_date.offset == timedelta(0)
    assert str(expect.max_date.absolute) == "2025-12-24"


def test_unquoted_time_bound_is_read_as_a_time() -> None:
    flow = parse_flow(
        replace_state("ask: when?\nexpect: {type: time, min: 09:00, max: 18:30}\nnext: bye\n")
    )
    expect = flow.states["ask_name"].expect
    assert expect is not None
    assert expect.max_date is not None
    assert str(expect.max_date.absolute) == "18:30:00"


def test_yes_and_no_words_stay_text_as_in_yaml_1_2() -> None:
    body = "ask: Sure?\nexpect: {type: yes_no, yes_words: [yes, On], no_words: [no, off]}\n"
    flow = parse_flow(replace_state(body + "next: bye\n"))
    expect = flow.states["ask_name"].expect
    assert expect is not None
    assert (expect.yes_words, expect.no_words) == (("yes", "On"), ("no", "off"))


def test_yaml_syntax_errors_come_with_a_hint() -> None:
    (error,) = problems(replace_state("ask: {text: Ready?, x}\nnext: bye\n"))
    assert error.message.startswith("YAML syntax error")
    assert "(hint: " in error.message


def test_named_messages_are_resolved() -> None:
    source = MINIMAL.replace('    say: "Bye {{ slots.name }}"', "    say: {ref: goodbye}")
    source += "messages:\n  goodbye: {text: 'See you!'}\n"
    flow = parse_flow(source)
    (spec,) = flow.states["bye"].say
    assert (spec.text, spec.ref, spec.path) == ("See you!", "goodbye", "states.bye.say")


def test_unknown_message_ref_is_reported() -> None:
    errors = problems(MINIMAL.replace('    say: "Bye {{ slots.name }}"', "    say: {ref: nope}"))
    assert any("unknown message 'nope'" in e.message for e in errors)


def test_load_flow_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert load_flow(path).file == str(path)


def test_load_flow_missing_file_is_a_flow_error(tmp_path: Path) -> None:
    with pytest.raises(FlowError, match="cannot read the flow file"):
        load_flow(tmp_path / "nope.yaml")


def test_load_flows_reads_directories_and_files(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    other = tmp_path / "b.yml"
    other.write_text(MINIMAL.replace("flow: demo", "flow: other"), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a flow", encoding="utf-8")
    flows = load_flows(tmp_path)
    assert set(flows.ids) == {"demo", "other"}
    assert flows.get("other").file == str(other)


def test_load_flows_refuses_duplicate_ids(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(FlowError, match="duplicate flow id 'demo'") as caught:
        load_flows(tmp_path)
    assert caught.value.line == 2


def test_flow_set_raises_the_first_of_its_problems() -> None:
    shared = "intents:\n  agent: {match: {keywords: [agent]}, goto: end, global: true}\n"
    head = "triggers: {default: true}\n" + shared
    one = parse_flow(head + MINIMAL.replace("flow: demo", "flow: one"), "one.yaml")
    two = parse_flow(head + MINIMAL.replace("flow: demo", "flow: two"), "two.yaml")
    problems = FlowSet.problems([one, two, one])
    assert [(code, error.message, error.path, error.file) for code, error in problems] == [
        ("duplicate-flow", "duplicate flow id 'one' (also in one.yaml)", "flow", "one.yaml"),
        (
            "duplicate-intent",
            "global intent 'agent' is also declared by flow 'one'",
            "intents.agent",
            "two.yaml",
        ),
        (
            "default-flow",
            "several flows say 'default: true': one, two",
            "triggers.default",
            "two.yaml",
        ),
    ]
    with pytest.raises(FlowError, match="duplicate flow id 'one'"):
        FlowSet([one, two, one])
    with pytest.raises(FlowError, match="global intent 'agent'") as caught:
        FlowSet([one, two])
    assert caught.value.line == 3
    assert FlowSet.problems([one]) == []


def test_load_flows_collects_problems_of_every_file(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(MINIMAL.replace("schema: 1", "schema: 3"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(MINIMAL.replace("version: 2", "version: x"), encoding="utf-8")
    with pytest.raises(FlowLoadError) as caught:
        load_flows(tmp_path)
    assert {Path(e.file or "").name for e in caught.value.errors} == {"a.yaml", "b.yaml"}


def test_load_flows_missing_path() -> None:
    with pytest.raises(FlowError, match="no such flow file"):
        load_flows("/nonexistent/flows")


def test_flowset_get_unknown_flow() -> None:
    flows = load_flows(Path(__file__).parents[2] / "examples" / "demo" / "flows")
    with pytest.raises(FlowError, match="unknown flow 'nope'"):
        flows.get("nope")
    assert flows.find("nope") is None
    assert "main_menu" in flows
    assert len(flows) == 2
