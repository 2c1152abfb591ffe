"""One benchmark run: the mock, then each bot under gunicorn, its load phases and its checks.

:func:`run` is the whole sequence behind ``python -m bench``. It starts the mock Cloud API and
measures it alone first (with the load generator at full speed against it, so neither can be
the hidden bottleneck), then for each bot (waflow, and the pywa baseline unless disabled) starts
``gunicorn -w N --threads T`` with a fresh SQLite file in a temporary directory, warms it up,
runs the closed-loop phase (sustained throughput, end-to-end latency, CPU per message, peak
memory) and the open-loop phase (ack latency at a fixed rate), checks delivery against the mock
and storage against the database, and stops it. Every phase is bounded in time and count.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench import _profile
from bench._checks import delivery, stored
from bench._http import HttpPool
from bench._loadgen import Replies, Result, Target, closed_loop, open_loop
from bench._procs import Service, base_env, start_gunicorn, start_mock, wait_ready
from bench._scenarios import Scenario
from bench._stats import summary
from bot.simulate import DEFAULT_PHONE_NUMBER_ID

TOKEN = "bench-access-token"  # noqa: S105  (a fake credential for the local mock)
SECRET = "bench-app-secret"  # noqa: S105


@dataclass
class Options:
    """Everything a run can be told (see ``python -m bench --help``)."""

    duration: float = 20.0
    customers: int = 100
    rate: float = 500.0
    open_duration: float = 10.0
    warmup: float = 3.0
    workers: int = 2
    threads: int = 8
    steps: int | None = None
    conversations: int | None = None
    max_messages: int = 500_000
    send_rate: float = 1000.0
    baseline: bool = True
    open_loop: bool = True
    calibrate: bool = True
    profile: str | None = None
    grace: float = 1.0
    keep: Path | None = None
    app: str | None = None


def _bot_env(mock: Service, db: Path, scenario: Scenario, options: Options) -> dict[str, str]:
    env = {
        "WHATSAPP_ACCESS_TOKEN": TOKEN,
        "WHATSAPP_APP_SECRET": SECRET,
        "WHATSAPP_VERIFY_TOKEN": "bench-verify",
        "WHATSAPP_PHONE_NUMBER_ID": DEFAULT_PHONE_NUMBER_ID,
        "WHATSAPP_API_BASE_URL": mock.url,
        "DATABASE_URL": f"sqlite:///{db}",
        "BENCH_SEND_RATE": str(options.send_rate),
    }
    return base_env({**env, **scenario.bot_env()})


async def calibrate(mock: Service, seconds: float = 2.0, concurrency: int = 64) -> dict[str, Any]:
    """Drive the mock alone at full speed: its capacity bounds what any bot can show.

    ``sink`` posts to a path the mock refuses at once (Graph error 2500, nothing recorded), which
    is close to the load generator alone; ``send`` is a checked, recorded message send. The
    record is cleared afterwards.
    """
    pool = HttpPool("127.0.0.1", mock.port, concurrency)
    body = json.dumps(
        {
            "messaging_product": "whatsapp",
            "to": "19990000000",
            "type": "text",
            "text": {"body": "x"},
        }
    ).encode()
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    figures: dict[str, Any] = {}
    for name, path in (
        ("sink", "/_sink"),
        ("send", f"/v23.0/{DEFAULT_PHONE_NUMBER_ID}/messages"),
    ):
        count = 0
        cpu0, own0, start = mock.cpu(), time.process_time(), time.monotonic()
        deadline = start + seconds

        async def worker(path: str = path, deadline: float = deadline) -> None:
            nonlocal count
            while time.monotonic() < deadline:
                await pool.request("POST", path, body, headers)
                count += 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.monotonic() - start
        figures[name] = {
            "requests_per_s": count / elapsed,
            "mock_cpu_ms_per_request": 1000 * (mock.cpu() - cpu0) / max(count, 1),
            "loadgen_cpu_ms_per_request": 1000 * (time.process_time() - own0) / max(count, 1),
        }
    await pool.request("DELETE", "/_mock/messages")
    pool.close()
    return figures


async def _phase(
    bot: Service, load: Any, *, grace: float, replies: Replies
) -> tuple[Result, dict[str, Any]]:
    """Run one load phase, measuring the bot's CPU and the load generator's own CPU."""
    cpu0, own0 = bot.cpu(), time.process_time()
    result: Result = await load
    cpu = bot.cpu() - cpu0
    own = time.process_time() - own0
    await asyncio.sleep(grace)  # late duplicates would arrive now
    check = delivery({k: sum(v) for k, v in result.inputs.items()}, replies.times)
    figures = {
        "sent": result.sent,
        "acked": result.acked,
        "answered": result.answered,
        "elapsed_s": result.elapsed,
        "messages_per_s": result.answered / result.elapsed if result.elapsed else 0.0,
        "ack_ms": summary(result.ack),
        "e2e_ms": summary(result.e2e),
        "bot_cpu_s": cpu,
        "bot_cpu_ms_per_message": 1000 * cpu / max(result.answered, 1),
        "bot_cpu_cores": cpu / result.elapsed if result.elapsed else 0.0,
        "loadgen_cpu_s": own,
        "delivery": check.as_dict(),
        "failures": result.failures,
    }
    return result, figures


async def run_bot(
    kind: str, mock: Service, scenario: Scenario, options: Options, workdir: Path, run_no: int
) -> dict[str, Any]:
    """Start one bot under gunicorn, load it, check it, stop it; returns its figures."""
    baseline = kind == "pywa"
    expected = scenario.expected(baseline)
    home = workdir / kind
    home.mkdir()
    db = home / "bot.db"
    if baseline:
        app = "bench._pywa_app:create_app()"
    elif options.app:
        app = options.app
    elif options.send_rate > 0:
        app = "bench._waflow_app:create_app()"
    else:
        app = "webhooks.bootstrap:app_from_env()"
    bot = start_gunicorn(
        kind,
        app,
        workers=options.workers,
        threads=options.threads,
        env=_bot_env(mock, db, scenario, options),
        cwd=home,
    )
    pool = HttpPool("127.0.0.1", bot.port, size=max(options.customers, 64) + 64)
    feed = HttpPool("127.0.0.1", mock.port, size=2)
    replies = Replies(feed)
    figures: dict[str, Any] = {"app": app, "workers": options.workers, "threads": options.threads}
    inputs: dict[str, list[int]] = {}
    try:
        wait_ready(bot, "/healthz")
        await replies.start()
        target = Target(pool, SECRET)
        common = {"run": run_no * 10, "max_messages": options.max_messages}
        if options.warmup > 0:
            warm = closed_loop(
                target, replies, scenario, expected, customers=min(options.customers, 8 * options.workers),
                duration=options.warmup, **common,
            )  # fmt: skip
            result, figures["warmup"] = await _phase(bot, warm, grace=0.2, replies=replies)
            inputs.update(result.inputs)
        bot.start_sampling()
        profiler = (
            _profile.start(bot, options.duration + 5, options.profile) if options.profile else None
        )
        load = closed_loop(
            target, replies, scenario, expected, customers=options.customers,
            duration=options.duration, conversations=options.conversations,
            **{**common, "run": run_no * 10 + 1},
        )  # fmt: skip
        result, figures["closed"] = await _phase(bot, load, grace=options.grace, replies=replies)
        inputs.update(result.inputs)
        if profiler is not None:
            where = options.keep or home
            where.mkdir(parents=True, exist_ok=True)
            figures["profile"] = _profile.finish(profiler, where / f"{kind}-profile.txt")
        if options.open_loop:
            load = open_loop(
                target, replies, scenario, expected, run=run_no * 10 + 2, rate=options.rate,
                duration=options.open_duration, customers=options.customers,
            )  # fmt: skip
            result, figures["open"] = await _phase(bot, load, grace=options.grace, replies=replies)
            inputs.update(result.inputs)
        figures["peak_rss_mb"] = bot.stop_sampling() / 2**20
    finally:
        await replies.stop()
        pool.close()
        feed.close()
        bot.stop()
    if not baseline:
        figures["storage"] = stored(db, inputs).as_dict()
        figures["storage"]["complete"] = stored(db, inputs).complete(
            sum(len(v) for v in inputs.values())
        )
    return figures


async def run(scenario: Scenario, options: Options) -> dict[str, Any]:
    """The whole benchmark; returns a JSON-ready report."""
    workdir = Path(tempfile.mkdtemp(prefix="waflow-bench-"))
    report: dict[str, Any] = {"options": _jsonable(asdict(options)), "scenario": scenario.name}
    mock = start_mock(token=TOKEN, cwd=workdir)
    try:
        if options.calibrate:
            report["mock_alone"] = await calibrate(
                mock, seconds=min(2.0, max(0.5, options.duration / 10))
            )
        kinds = ["waflow", "pywa"] if options.baseline else ["waflow"]
        for run_no, kind in enumerate(kinds, start=1):
            report[kind] = await run_bot(kind, mock, scenario, options, workdir, run_no)
    finally:
        mock.stop()
        if options.keep is not None:
            shutil.copytree(workdir, options.keep, dirs_exist_ok=True)
        shutil.rmtree(workdir, ignore_errors=True)
    return report


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, Path):
        return str(value)
    return value


__all__ = ["SECRET", "TOKEN", "Options", "calibrate", "run", "run_bot"]
