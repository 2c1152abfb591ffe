"""Sampling the bot under load with py-spy, and boiling the samples down to where time goes.

:func:`start` attaches ``py-spy record --subprocesses`` to a gunicorn master (so every worker is
sampled) for the closed-loop phase; :func:`finish` waits for it and summarises the raw stacks:
the share of samples per layer (SQLAlchemy, sqlite3, outbound HTTP, Flask/werkzeug...) judged
by the innermost frame, and the functions with the largest inclusive and self shares. py-spy is
optional: without it the profile is reported as unavailable. Idle threads are not sampled, so
shares are of busy time.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from bench._procs import Service

# Innermost-frame file prefixes -> layer. First match wins; the rest is "other".
LAYERS = (
    ("sqlite3", ("sqlite3/", "<built-in method execute", "execute (sqlite3")),
    ("sqlalchemy", ("sqlalchemy/",)),
    ("sqlmodel/pydantic", ("sqlmodel/", "pydantic/", "pydantic_core/")),
    ("outbound http", ("requests/", "urllib3/", "http/client", "httpx/", "httpcore/", "socket")),
    ("flask/werkzeug", ("flask/", "werkzeug/")),
    ("gunicorn", ("gunicorn/",)),
    ("json", ("json/",)),
    ("waflow", ("bot/", "storage/", "webhooks/", "flows/")),
    ("pywa", ("pywa/",)),
    ("threading/queue", ("threading.py", "queue.py", "concurrent/")),
    ("logging", ("logging/",)),
)


def _exe() -> str | None:
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.exists() else shutil.which("py-spy")


def available() -> bool:
    """True when py-spy is installed (next to this Python or on ``PATH``)."""
    return _exe() is not None


def start(
    bot: Service, seconds: float, mode: str = "cpu"
) -> tuple[subprocess.Popen[bytes], Path] | None:
    """Start sampling ``bot``'s process tree for ``seconds``; ``None`` without py-spy.

    Args:
        bot: The server.
        seconds: How long to sample.
        mode: ``cpu`` keeps only samples holding the GIL (where CPU goes); ``wall`` keeps every
            thread that is not idle, including those blocked inside C calls such as SQLite's
            busy-wait for the write lock (where time goes).
    """
    exe = _exe()
    if exe is None:
        return None
    out = bot.log.with_name(f"{bot.name}-pyspy.txt")
    argv = [
        exe, "record", "--pid", str(bot.proc.pid), "--subprocesses", "--duration", str(int(seconds)),
        "--rate", "200", "--format", "raw", "--nolineno", "--nonblocking", "--output", str(out),
    ]  # fmt: skip
    if mode == "cpu":
        argv.append("--gil")
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    return proc, out


def _layer(frame: str) -> str:
    for name, markers in LAYERS:
        if any(m in frame for m in markers):
            return name
    return "other"


def summarise(raw: str, top: int = 25) -> dict[str, Any]:
    """Layers, inclusive and self shares (percent of busy samples) from py-spy's raw output."""
    layers: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [f for f in stack.split(";") if not f.startswith(("process ", "thread "))]
        if not frames:
            continue
        total += count
        layers[_layer(frames[-1])] += count
        own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count

    def share(counter: Counter[str]) -> list[tuple[str, float]]:
        return [(k, round(100 * v / total, 1)) for k, v in counter.most_common(top)]

    return {
        "samples": total,
        "layers": share(layers) if total else [],
        "inclusive": share(inclusive) if total else [],
        "self": share(own) if total else [],
    }


def finish(handle: tuple[subprocess.Popen[bytes], Path], report: Path) -> dict[str, Any]:
    """Wait for py-spy, summarise its samples, and write a readable report next to them."""
    proc, out = handle
    try:
        proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        proc.terminate()
        proc.wait(10)
    if not out.exists():
        return {"samples": 0, "error": "py-spy wrote nothing (is ptrace allowed?)"}
    summary = summarise(out.read_text(errors="replace"))
    lines = [f"busy samples: {summary['samples']}", "", "layer (innermost frame):"]
    lines += [f"  {pct:5.1f}%  {name}" for name, pct in summary["layers"]]
    lines += ["", "inclusive:"] + [f"  {pct:5.1f}%  {f}" for f, pct in summary["inclusive"]]
    lines += ["", "self:"] + [f"  {pct:5.1f}%  {f}" for f, pct in summary["self"]]
    report.write_text("\n".join(lines) + "\n")
    summary["report"] = str(report)
    summary["raw"] = str(out)
    return summary


__all__ = ["LAYERS", "available", "finish", "start", "summarise"]
