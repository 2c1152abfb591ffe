"""Turning a run's JSON report into the side-by-side table ``python -m bench`` prints.

Each row is one figure for waflow, for the pywa baseline, and waflow's figure over pywa's from
the same run (for throughput above 1 is better, for latency, CPU and memory below 1 is).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

Getter = Callable[[dict[str, Any]], float | str | None]


def _dig(*keys: str) -> Getter:
    def get(figures: dict[str, Any]) -> Any:
        value: Any = figures
        for key in keys:
            if not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
        return value

    return get


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}"
    return str(value)


def _ratio(ours: Any, theirs: Any) -> str:
    if isinstance(ours, bool) or isinstance(theirs, bool):
        return ""
    if not isinstance(ours, int | float) or not isinstance(theirs, int | float):
        return ""
    if not theirs or math.isnan(float(ours)) or math.isnan(float(theirs)):
        return ""
    return f"{ours / theirs:.2f}x"


def _exact(phase: str) -> Getter:
    def get(figures: dict[str, Any]) -> Any:
        check = _dig(phase, "delivery")(figures)
        if not isinstance(check, dict):
            return None
        return f"{check['received']}/{check['expected']} (missing {check['missing']}, dup {check['duplicates']})"

    return get


def rows(report: dict[str, Any]) -> list[tuple[str, Getter]]:
    """The table's rows: a label and how to read the figure from one bot's results."""
    opts = report.get("options", {})
    rate = opts.get("rate")
    customers = opts.get("customers")
    found: list[tuple[str, Getter]] = [
        (f"closed loop: customer msgs/s ({customers} customers)", _dig("closed", "messages_per_s")),
        ("closed loop: end-to-end p50 ms", _dig("closed", "e2e_ms", "p50")),
        ("closed loop: end-to-end p99 ms", _dig("closed", "e2e_ms", "p99")),
        ("closed loop: webhook ack p50 ms", _dig("closed", "ack_ms", "p50")),
        ("closed loop: webhook ack p99 ms", _dig("closed", "ack_ms", "p99")),
        ("bot CPU ms per message (closed loop)", _dig("closed", "bot_cpu_ms_per_message")),
        ("bot CPU cores busy (closed loop)", _dig("closed", "bot_cpu_cores")),
    ]
    if opts.get("open_loop", True):
        found += [
            (f"open loop @{rate:g}/s: achieved msgs/s", _dig("open", "messages_per_s")),
            (f"open loop @{rate:g}/s: webhook ack p50 ms", _dig("open", "ack_ms", "p50")),
            (f"open loop @{rate:g}/s: webhook ack p99 ms", _dig("open", "ack_ms", "p99")),
            (f"open loop @{rate:g}/s: end-to-end p50 ms", _dig("open", "e2e_ms", "p50")),
            (f"open loop @{rate:g}/s: end-to-end p99 ms", _dig("open", "e2e_ms", "p99")),
            ("bot CPU ms per message (open loop)", _dig("open", "bot_cpu_ms_per_message")),
        ]
    found += [
        ("peak RSS of the bot, MiB (master+workers)", _dig("peak_rss_mb")),
        ("replies received/expected (closed)", _exact("closed")),
    ]
    if opts.get("open_loop", True):
        found.append(("replies received/expected (open)", _exact("open")))
    found += [
        ("DB: every input done, every reply sent", _dig("storage", "complete")),
        (
            "DB: file size MiB",
            lambda f: (f["storage"]["db_bytes"] / 2**20) if "storage" in f else None,
        ),
    ]
    return found


def table(report: dict[str, Any]) -> str:
    """The side-by-side table as text."""
    ours = report.get("waflow", {})
    theirs = report.get("pywa")
    lines = []
    header = (
        "figure",
        "waflow",
        "pywa 4.5" if theirs is not None else "",
        "waflow/pywa" if theirs else "",
    )
    body: list[tuple[str, str, str, str]] = []
    for label, get in rows(report):
        a = get(ours)
        b = get(theirs) if theirs else None
        body.append((label, _fmt(a), _fmt(b) if theirs else "", _ratio(a, b) if theirs else ""))
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(4)]
    for row in [header, *body]:
        lines.append(
            "  ".join(
                (cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]))
                for i, cell in enumerate(row)
            ).rstrip()
        )
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def mock_lines(report: dict[str, Any]) -> str:
    """The mock-alone calibration as text."""
    alone = report.get("mock_alone")
    if not alone:
        return ""
    parts = []
    for name, figures in alone.items():
        parts.append(
            f"  {name:5s} {figures['requests_per_s']:8,.0f} req/s   mock CPU "
            f"{figures['mock_cpu_ms_per_request']:.3f} ms/req   load generator CPU "
            f"{figures['loadgen_cpu_ms_per_request']:.3f} ms/req"
        )
    return "mock Cloud API alone (load generator at full speed, 64 connections):\n" + "\n".join(
        parts
    )


__all__ = ["mock_lines", "rows", "table"]
