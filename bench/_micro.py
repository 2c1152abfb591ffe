"""In-process micro figures: the flow engine's costs and the runtime's cost per message by stage.

Every figure is the median of many repetitions timed with ``time.perf_counter`` (the pipeline
figures use ``time.process_time``, CPU only). Flow figures use a synthetic flow of ``n`` ask
states (three-option choices, three global intents, the shape of flow-engine.md §1.3):
loading (YAML to checked model), compiling to a ``transitions`` machine, and one step (the
handler answering a choice in the middle of a 50-state flow, no database). ``waflow validate``
is timed both in process and as the command a developer runs. Storage is the size of 10,000
mid-order conversations in a SQLite file. The pipeline figures push messages through the real
:class:`~bot.processing.Processor` and :class:`~bot.sending.OutboxSender` on a SQLite file with a
sender that makes no HTTP call, splitting a message's CPU into ingest, process and send. Each
figure that needs a missing part of the engine prints ``n/a`` with the reason.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench._scenarios import ROOT, STARTER, Scenario, get

DEMO_FLOWS = ROOT / "examples" / "demo" / "flows"
NA = "n/a (flow engine not available)"


def synthetic_flow(states: int) -> str:
    """YAML of a flow with ``states - 1`` choice questions in a row, then an end state."""
    lines = ["schema: 1", "flow: synthetic", "version: 1", "start: q1", "triggers: {default: true}"]
    lines.append("slots:")
    lines += [f"  s{i}: {{type: choice}}" for i in range(1, states)]
    lines += [
        "intents:",
        "  help: {global: true, match: {keywords: [help]}, say: 'Pick one.', then: resume}",
        "  cancel: {global: true, match: {keywords: [cancel]}, say: 'Stopped.', goto: end}",
        "  menu: {global: true, match: {keywords: [menu]}, goto: q1}",
        "states:",
    ]
    for i in range(1, states):
        lines += [
            f"  q{i}:",
            f"    ask: 'Question {i}: which one?'",
            "    expect: {type: choice, options: [Alpha, Beta, Gamma]}",
            "    interrupts: [help, cancel, menu]",
            f"    save: s{i}",
            f"    next: {f'q{i + 1}' if i < states - 1 else 'done'}",
        ]
    lines.append("  done: {say: 'Thanks!', end: true}")
    return "\n".join(lines) + "\n"


def _median(
    fn: Callable[[], Any], repeat: int, clock: Callable[[], float] = time.perf_counter
) -> float:
    times = []
    for _ in range(repeat):
        start = clock()
        fn()
        times.append(clock() - start)
    return statistics.median(times)


def flow_figures() -> dict[str, Any]:
    """Load, compile and step times of synthetic flows (milliseconds / microseconds)."""
    import flows
    from flows._compile import Compiler

    figures: dict[str, Any] = {}
    for size, repeat in ((50, 30), (500, 5)):
        text = synthetic_flow(size)
        flow = flows.parse_flow(text, f"synthetic{size}.yaml")
        flow_set = flows.FlowSet([flow])

        def load(text: str = text) -> None:
            flows.parse_flow(text)

        def compile_(flow_set: Any = flow_set, flow: Any = flow) -> None:
            Compiler(flow_set, flows.Hooks()).get(flow)

        figures[f"load_{size}_ms"] = 1000 * _median(load, repeat)
        figures[f"compile_{size}_ms"] = 1000 * _median(compile_, repeat)
    figures["step_50_us"] = 1e6 * _step_seconds(flows, 50)
    return figures


def _step_seconds(flows: Any, size: int, repeat: int = 2000) -> float:
    """Median time of ``FlowHandler.handle`` answering question ``size // 2``."""
    from sqlmodel import Session

    from bot import inbound, simulate
    from bot.turn import Turn
    from storage.db import create_schema, make_engine
    from storage.models import Contact, Conversation

    flow = flows.parse_flow(synthetic_flow(size), "synthetic.yaml")
    handler = flows.FlowHandler(flows.FlowSet([flow]), flows.Hooks())
    engine = make_engine("sqlite://")
    create_schema(engine)
    now = datetime.now(UTC)
    wa_id = "15550001111"
    contact = Contact(wa_id=wa_id, name="Ana", last_inbound_at=now)
    first = inbound.parse_payload(simulate.text(wa_id, "hi"))[0]
    answer = inbound.parse_payload(simulate.list_reply(wa_id, "alpha", "Alpha"))[0]
    if not isinstance(first, inbound.Message) or not isinstance(answer, inbound.Message):
        raise RuntimeError("simulated messages did not parse as messages")
    middle = f"q{size // 2}"
    with Session(engine) as session:
        start = Conversation(wa_id=wa_id)
        handler.handle(
            Turn(session=session, message=first, contact=contact, conversation=start, now=now)
        )
        fields = {
            k: getattr(start, k)
            for k in ("flow", "flow_version", "slots", "call_stack", "data", "status")
        }

        def step() -> None:
            conv = Conversation(wa_id=wa_id, state=middle, updated_at=now, **fields)
            turn = Turn(
                session=session, message=answer, contact=contact, conversation=conv, now=now
            )
            handler.handle(turn)
            if conv.state != f"q{size // 2 + 1}":
                raise RuntimeError(f"the step went to {conv.state!r}, not q{size // 2 + 1}")

        step()
        return _median(step, repeat)


def validate_figures() -> dict[str, Any]:
    """``waflow validate`` on the demo flows: in process, and as a command (with start-up)."""
    from flows._validate import validate_paths

    figures: dict[str, Any] = {
        "validate_demo_in_process_ms": 1000 * _median(lambda: validate_paths([DEMO_FLOWS]), 20)
    }
    exe = Path(sys.executable).parent / "waflow"
    if exe.exists():
        argv = [str(exe), "validate", str(DEMO_FLOWS)]
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(argv, capture_output=True, check=False, cwd=ROOT)  # noqa: S603
            runs.append(time.perf_counter() - start)
        figures["validate_demo_command_ms"] = 1000 * statistics.median(runs)
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "synthetic500.yaml"
        big.write_text(synthetic_flow(500))
        figures["validate_500_in_process_ms"] = 1000 * _median(lambda: validate_paths([big]), 3)
    return figures


def storage_figures(count: int = 10_000) -> dict[str, Any]:
    """Size of ``count`` stored mid-order conversations (and their contacts) in SQLite."""
    import sqlite3

    from sqlmodel import Session

    from storage.db import create_schema, make_engine
    from storage.models import Contact, Conversation

    tmp = Path(tempfile.mkdtemp(prefix="waflow-micro-"))
    try:
        db = tmp / "c.db"
        engine = make_engine(f"sqlite:///{db}")
        create_schema(engine)
        engine.dispose()
        empty = db.stat().st_size
        now = datetime.now(UTC)
        engine = make_engine(f"sqlite:///{db}")
        with Session(engine) as session:
            for start in range(0, count, 1000):
                for n in range(start, min(start + 1000, count)):
                    wa_id = f"4479{n:08d}"
                    session.add(Contact(wa_id=wa_id, name=f"Customer {n}", last_inbound_at=now))
                    session.add(
                        Conversation(
                            wa_id=wa_id,
                            flow="order_cake",
                            flow_version=1,
                            state="ask_pickup",
                            slots={"cake": "lemon", "quantity": 2},
                            data={"retries": 0, "labels": {"cake": "Lemon drizzle"}},
                            last_inbound_at=now,
                            updated_at=now,
                            version=3,
                        )
                    )
                session.commit()
        engine.dispose()
        with sqlite3.connect(db) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = db.stat().st_size - empty
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"conversations": count, "db_mib_per_10k": size / 2**20 * 10_000 / count}


class _NullSender:
    """A :class:`~bot.client.Sender` that answers at once, so only waflow's own work is timed."""

    def __init__(self) -> None:
        self.count = 0

    def send(self, payload: dict[str, Any]) -> Any:
        from bot.client import SendResult

        self.count += 1
        return SendResult(f"wamid.null.{self.count}", str(payload.get("to")), None, {})

    def mark_read(self, message_id: str, *, typing: bool = False) -> bool:
        return True


def pipeline_figures(scenario: Scenario, customers: int = 60) -> dict[str, Any]:
    """CPU per message of each runtime stage, in process on a SQLite file, no HTTP."""
    from bot.config import Config
    from webhooks.bootstrap import make_handler, make_runtime

    tmp = Path(tempfile.mkdtemp(prefix="waflow-micro-"))
    try:
        config = Config(database_url=f"sqlite:///{tmp / 'p.db'}", extra=scenario.bot_env())
        sender = _NullSender()
        runtime = make_runtime(config, inline=False, handler=make_handler(config), client=sender)
        stages = {"ingest": 0.0, "process": 0.0, "send": 0.0}
        messages = 0
        for n in range(customers):
            wa_id = f"4478{n:08d}"
            for step in scenario.steps:
                body = step.body(wa_id, f"Customer {n}")
                t0 = time.process_time()
                runtime.processor.ingest(body)
                t1 = time.process_time()
                runtime.processor.process_contact(wa_id)
                t2 = time.process_time()
                runtime.sender.drain([wa_id])
                t3 = time.process_time()
                stages["ingest"] += t1 - t0
                stages["process"] += t2 - t1
                stages["send"] += t3 - t2
                messages += 1
        runtime.engine.dispose()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    figures = {f"{k}_ms": 1000 * v / messages for k, v in stages.items()}
    figures["total_ms"] = sum(figures.values())
    figures["messages"] = messages
    figures["replies"] = sender.count
    return figures


def run_all() -> dict[str, Any]:
    """Every micro figure; a figure that cannot run is the reason it could not."""
    figures: dict[str, Any] = {}
    parts: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("flow", flow_figures),
        ("validate", validate_figures),
        ("storage", storage_figures),
        ("pipeline_starter", lambda: pipeline_figures(STARTER)),
        ("pipeline_demo", lambda: pipeline_figures(get("demo"))),
    ]
    for name, part in parts:
        try:
            figures[name] = part()
        except ImportError as exc:
            figures[name] = f"{NA}: {exc}"
        except Exception as exc:  # an engine still being written: report, do not crash
            figures[name] = f"n/a ({type(exc).__name__}: {exc})"
    return figures


def lines(figures: dict[str, Any]) -> str:
    """The micro figures as text."""

    def get(part: str, key: str, fmt: str) -> str:
        value = figures.get(part)
        if not isinstance(value, dict):
            return str(value) if value is not None else "n/a"
        return format(value[key], fmt) if key in value else "n/a"

    rows = [
        ("flow step, 50-state flow (handler only, no DB)", get("flow", "step_50_us", ",.0f"), "µs"),
        ("load (YAML -> checked model), 50 states", get("flow", "load_50_ms", ".1f"), "ms"),
        ("load, 500 states", get("flow", "load_500_ms", ".1f"), "ms"),
        ("compile to a transitions machine, 50 states", get("flow", "compile_50_ms", ".2f"), "ms"),
        ("compile, 500 states", get("flow", "compile_500_ms", ".1f"), "ms"),
        (
            "validate demo flows, in process",
            get("validate", "validate_demo_in_process_ms", ".1f"),
            "ms",
        ),
        (
            "`waflow validate` demo flows, command",
            get("validate", "validate_demo_command_ms", ",.0f"),
            "ms",
        ),
        (
            "validate 500-state flow, in process",
            get("validate", "validate_500_in_process_ms", ",.0f"),
            "ms",
        ),
        (
            "SQLite size of 10,000 stored conversations",
            get("storage", "db_mib_per_10k", ".2f"),
            "MiB",
        ),
    ]
    for name in ("starter", "demo"):
        part = f"pipeline_{name}"
        rows.append(
            (
                f"runtime CPU per message, {name} ({get(part, 'messages', 'd')} msgs, no HTTP)",
                get(part, "total_ms", ".2f"),
                "ms",
            )
        )
        for stage in ("ingest", "process", "send"):
            rows.append((f"  of which {stage}", get(part, f"{stage}_ms", ".2f"), "ms"))
    width = max(len(r[0]) for r in rows)
    out = ["micro figures (in process, median of many runs):"]
    out += [
        f"  {label.ljust(width)}  {value:>10} {unit if not value.startswith('n/a') else ''}".rstrip()
        for label, value, unit in rows
    ]
    return "\n".join(out)


__all__ = ["lines", "pipeline_figures", "run_all", "storage_figures", "synthetic_flow"]
