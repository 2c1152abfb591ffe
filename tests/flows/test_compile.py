"""The compiler: one cached plain Machine per flow version, callables only, located errors."""

from __future__ import annotations

import textwrap

import pytest
from transitions import Machine

from bot.errors import FlowError
from flows import FlowHandler, FlowSet, Hooks, parse_flow
from flows._compile import (
    ABORT,
    FINISH,
    START,
    Compiler,
    Cursor,
    choice_labels,
    effective_intents,
    sent_messages,
)
from tests.flows.flowkit import flowset

SURVEY = """\
schema: 1
flow: survey
version: 1
start: ask_score
intents:
  help: {match: {keywords: [help]}, say: "Answer 0 to 10.", then: resume}
  cancel: {match: {keywords: [cancel]}, goto: end}
states:
  ask_score:
    ask: "Score?"
    expect: {type: number, min: 0, max: 10}
    save: score
    next:
      - {if: "slots.score <= 6", goto: why}
      - thanks
  why:
    ask: "Why?"
    interrupts: false
    save: reason
    next: thanks
  thanks:
    say: "Thanks!"
    end: true
"""


def compiled(source: str = SURVEY, hooks: Hooks | None = None) -> Compiler:
    flows = flowset(source)
    return Compiler(flows, hooks or Hooks())


def test_machine_is_built_once_per_flow_version() -> None:
    compiler = compiled()
    flow = compiler.flows.get("survey")
    first = compiler.get(flow)
    assert compiler.get(flow) is first
    assert compiler.get(parse_flow(SURVEY)).machine is first.machine  # same id and version
    bumped = parse_flow(SURVEY.replace("version: 1", "version: 2"))
    assert compiler.get(bumped).machine is not first.machine
    assert len(compiler) == 2


def test_handler_compiles_every_flow_up_front() -> None:
    handler = FlowHandler(flowset(SURVEY), Hooks())
    assert len(handler.compiler) == 1


def test_machine_configuration() -> None:
    machine = compiled().get(parse_flow(SURVEY)).machine
    assert isinstance(machine, Machine)
    assert machine.models == []  # conversations are never registered
    assert not machine.auto_transitions
    assert machine.send_event
    assert {START, FINISH, ABORT, "ask_score", "why", "thanks"} <= set(machine.states)
    assert "to_ask_score" not in machine.events


def test_every_question_and_only_a_question_can_time_out() -> None:
    machine = compiled().get(parse_flow(SURVEY)).machine
    sources = set(machine.events["timeout"].transitions)
    assert sources == {"ask_score", "why"}
    assert all(
        t.dest == ABORT for name in sources for t in machine.events["timeout"].transitions[name]
    )


def test_no_string_callbacks_reach_transitions() -> None:
    machine = compiled().get(parse_flow(SURVEY)).machine
    for state in machine.states.values():
        assert all(callable(cb) for cb in (*state.on_enter, *state.on_exit))
    for event in machine.events.values():
        for transitions in event.transitions.values():
            for transition in transitions:
                callbacks = (*transition.before, *transition.after, *transition.prepare)
                assert all(callable(cb) for cb in callbacks)
                assert all(callable(c.func) for c in transition.conditions)


def test_branches_keep_declaration_order_and_intents_respect_opt_out() -> None:
    machine = compiled().get(parse_flow(SURVEY)).machine
    assert [t.dest for t in machine.events["next"].transitions["ask_score"]] == ["why", "thanks"]
    assert "why" not in machine.events["intent:help"].transitions  # interrupts: false
    assert "ask_score" in machine.events["intent:cancel"].transitions
    assert machine.events["intent:cancel"].transitions["ask_score"][0].dest == ABORT
    assert machine.events["intent:help"].transitions["ask_score"][0].dest is None  # internal


def test_cursor_is_a_tiny_object() -> None:
    assert set(Cursor.__slots__) == {"runner", "state"}


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        pytest.param(
            ("next: thanks", "next: nowhere"), 20, "'nowhere' is not a state", id="dangling-target"
        ),
        pytest.param(
            ("start: ask_score", "start: missing"), 4, "start state 'missing'", id="missing-start"
        ),
        pytest.param(
            ('    say: "Thanks!"\n    end: true', "    run: crm.save\n    next: why"),
            22,
            "no action hook named 'crm.save'",
            id="missing-hook",
        ),
        pytest.param(
            ('"slots.score <= 6"', '"slots.score <="'), 14, "expression error", id="bad-expression"
        ),
        pytest.param(('ask: "Why?"', 'ask: "Why {{ ?"'), 17, "template error", id="bad-template"),
        pytest.param(("goto: end}", "goto: 'flow:ghost'}"), 7, "unknown flow", id="unknown-flow"),
    ],
)
def test_compile_errors_are_located(change: tuple[str, str], line: int, words: str) -> None:
    source = SURVEY.replace(*change)
    with pytest.raises(FlowError, match=words) as caught:
        compiled(source).get(parse_flow(source, file="survey.yaml"))
    assert caught.value.file == "survey.yaml"
    assert caught.value.line == line


def test_call_to_unknown_flow_fails_at_startup() -> None:
    source = SURVEY.replace('    say: "Thanks!"\n    end: true', "    call: ghost\n    next: why")
    with pytest.raises(FlowError, match="unknown flow 'ghost'"):
        FlowHandler(FlowSet([parse_flow(source)]), Hooks())


def test_shared_intents_are_compiled_into_every_flow() -> None:
    menu = textwrap.dedent(
        """\
        schema: 1
        flow: menu
        version: 1
        start: pick
        intents:
          agent: {global: true, match: {keywords: [agent]}, goto: handoff}
        states:
          pick: {ask: "Pick", expect: text, next: pick}
        """
    )
    compiler = Compiler(flowset(SURVEY, menu), Hooks())
    survey = compiler.get(compiler.flows.get("survey"))
    assert [i.name for i in survey.intents] == ["help", "cancel", "agent"]
    assert "intent:agent" in survey.machine.events


MENU = """\
schema: 1
flow: menu
version: 1
start: pick
settings: {unrecognized: "Tap one.", on_error: {say: "Sorry: {{ error }}"}}
intents:
  agent: {global: true, match: {keywords: [agent]}, say: "Connecting.", goto: handoff}
  help: {global: true, match: {keywords: [help]}, say: "Menu help.", then: resume}
states:
  pick:
    ask: "Pick"
    expect: {type: choice, options: [Cakes, Bread]}
    save: what
    next: fetch
  fetch: {run: menu.fetch, next: pick}
"""


def test_effective_intents_are_own_first_then_shared_ones_not_overridden() -> None:
    survey, menu = parse_flow(SURVEY), parse_flow(MENU)
    assert [i.name for i in effective_intents(survey, [survey, menu])] == [
        "help",
        "cancel",
        "agent",
    ]
    assert effective_intents(survey, [menu])[0].flow == "survey"  # its own help wins
    assert [i.flow for i in effective_intents(menu, [survey, menu])] == ["menu", "menu"]


def test_choice_labels_name_the_options_of_saved_choices() -> None:
    assert choice_labels(parse_flow(MENU)) == {"what": {"cakes": "Cakes", "bread": "Bread"}}
    assert choice_labels(parse_flow(SURVEY)) == {}


def test_sent_messages_say_where_each_message_is_sent() -> None:
    menu = parse_flow(MENU)
    sent = [(s.spec.path, s.place, s.state.name if s.state else None) for s in sent_messages(menu)]
    assert sent == [
        ("settings.on_error.say", "on_error", None),
        ("intents.agent.say", None, None),
        ("intents.help.say", None, None),
        ("states.pick.ask", None, "pick"),
        ("settings.unrecognized", "reprompt", "pick"),  # the flow's re-prompt, in pick's shape
        ("settings.unrecognized", "reprompt", None),
    ]
    shared = sent_messages(parse_flow(SURVEY), effective_intents(parse_flow(SURVEY), [menu]))
    assert "intents.agent.say" in [s.spec.path for s in shared]
