"""What the simulated customers say: a script of inputs, each with the number of replies it gets.

A :class:`Scenario` is a list of :class:`Step` (a text, a reply-button tap or a list choice)
and, optionally, the flow files the bot should load for it. Every simulated customer walks the
script from the top, waiting for a step's replies before sending the next, like a person. The
built-in ``starter`` script walks waflow's starter menu (no flows needed); the ``demo`` script
walks the demo bakery flows of ``examples/demo`` when they exist; any other script is a JSON
file (see :func:`load_script`). The pywa baseline answers every input with exactly one message,
so for it every step expects one reply.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot import simulate

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = Path(__file__).resolve().parent / "scripts"


@dataclass(frozen=True)
class Step:
    """One customer input.

    Attributes:
        kind: ``text``, ``button`` (a reply-button tap) or ``list`` (a list choice).
        value: The text, or the id of the button or row.
        title: The button or row title (what the customer saw).
        expect: How many messages waflow answers this input with.
    """

    kind: str
    value: str
    title: str = ""
    expect: int = 1

    def body(self, wa_id: str, name: str) -> dict[str, Any]:
        """The webhook body Meta would send for this input (a fresh wamid each time).

        The contact carries a business-scoped ``user_id`` as Meta's 2026 webhooks do (pywa
        4.5 refuses contacts without one), and taps carry the ``context`` of the message they
        answer (pywa refuses list replies without one).
        """
        if self.kind == "text":
            body = simulate.text(wa_id, self.value.replace("{pickup}", _pickup()), name=name)
        elif self.kind in ("button", "list"):
            # A tap quotes the business message it answers, as Meta's webhooks do.
            context = {"from": simulate.DEFAULT_DISPLAY_NUMBER, "id": simulate.new_wamid()}
            reply = simulate.button_reply if self.kind == "button" else simulate.list_reply
            body = reply(wa_id, self.value, self.title or self.value, name=name, context=context)
        else:
            raise ValueError(f"unknown step kind {self.kind!r} (text, button or list)")
        for contact in body["entry"][0]["changes"][0]["value"]["contacts"]:
            contact["user_id"] = f"US.9{wa_id}"
        return body


@dataclass(frozen=True)
class Scenario:
    """A script of customer inputs and the bot configuration it needs.

    Attributes:
        name: A label for the report.
        steps: The inputs, in order.
        flows: ``WAFLOW_FLOWS`` for the bot (empty: the built-in starter bot).
        hooks: ``WAFLOW_HOOKS`` for the bot.
        env: Other variables for the bot (``WAFLOW_DEFAULT_FLOW``...).
    """

    name: str
    steps: tuple[Step, ...]
    flows: str = ""
    hooks: str = ""
    env: dict[str, str] = field(default_factory=dict)

    def resized(self, count: int | None) -> Scenario:
        """The script cut or repeated to ``count`` steps (``None`` keeps it)."""
        if not count:
            return self
        steps = tuple(self.steps[i % len(self.steps)] for i in range(count))
        return Scenario(self.name, steps, self.flows, self.hooks, self.env)

    def expected(self, baseline: bool) -> list[int]:
        """Replies expected per step; the baseline answers each input once."""
        return [1 if baseline else s.expect for s in self.steps]

    def bot_env(self) -> dict[str, str]:
        """The variables that make the waflow bot run this scenario's logic."""
        env = dict(self.env)
        if self.flows:
            env["WAFLOW_FLOWS"] = self.flows
        if self.hooks:
            env["WAFLOW_HOOKS"] = self.hooks
        return env


def _pickup() -> str:
    """A Monday-to-Saturday date two or more days ahead, as ``dd/mm`` (the ``{pickup}`` token)."""
    day = dt.date.today() + dt.timedelta(days=2)
    while day.weekday() == 6:
        day += dt.timedelta(days=1)
    return day.strftime("%d/%m")


STARTER = Scenario(
    name="starter",
    steps=(
        Step("text", "hi"),
        Step("button", "hours", "Opening hours"),
        Step("button", "about", "About waflow"),
        Step("text", "thanks"),
        Step("button", "human", "Talk to a person"),
    ),
)


def load_script(path: str | Path) -> Scenario:
    """Read a scenario from JSON.

    The file holds ``{"name": ..., "flows": "dir[:dir]", "hooks": "file", "env": {...},
    "steps": [{"kind": "text", "value": "hi", "expect": 1}, ...]}``; relative ``flows`` and
    ``hooks`` paths are resolved from the repository root.

    Raises:
        ValueError: The file is not a valid script.
    """
    file = Path(path)
    data = json.loads(file.read_text())
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list) or not data["steps"]:
        raise ValueError(f"{file}: expected an object with a non-empty 'steps' list")
    steps = tuple(
        Step(
            kind=str(s["kind"]),
            value=str(s["value"]),
            title=str(s.get("title", "")),
            expect=int(s.get("expect", 1)),
        )
        for s in data["steps"]
    )
    flows = ":".join(str(ROOT / p) for p in str(data.get("flows", "")).split(":") if p)
    hooks = str(ROOT / data["hooks"]) if data.get("hooks") else ""
    env = {str(k): str(v) for k, v in dict(data.get("env", {})).items()}
    return Scenario(str(data.get("name", file.stem)), steps, flows, hooks, env)


def available() -> dict[str, Path | None]:
    """Built-in scenario names and their script file (``None``: defined in code)."""
    found: dict[str, Path | None] = {"starter": None}
    for file in sorted(SCRIPTS.glob("*.json")):
        found[file.stem] = file
    return found


def usable(scenario: Scenario) -> str | None:
    """Why the scenario cannot run here (its flow files are missing), or ``None``."""
    for part in scenario.flows.split(":"):
        if part and not Path(part).exists():
            return f"flow files not found: {part}"
    if scenario.hooks and not Path(scenario.hooks).is_file():
        return f"hooks file not found: {scenario.hooks}"
    return None


def get(name_or_path: str) -> Scenario:
    """A built-in scenario by name, or a script file by path.

    Raises:
        ValueError: No such scenario.
    """
    if name_or_path == "starter":
        return STARTER
    builtin = available().get(name_or_path)
    if builtin is not None:
        return load_script(builtin)
    if Path(name_or_path).is_file():
        return load_script(name_or_path)
    raise ValueError(f"unknown scenario {name_or_path!r}; built in: {', '.join(available())}")


__all__ = ["STARTER", "Scenario", "Step", "available", "get", "load_script", "usable"]
