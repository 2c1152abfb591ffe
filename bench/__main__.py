"""``python -m bench``: end-to-end benchmarks of waflow side by side with pywa, plus micro figures.

See :mod:`bench` and ``docs/benchmarks.md``. ``--quick`` is a few-second smoke run for CI (two
customers, three steps, no timing assertions anywhere); the default is the documented run.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

from bench import _micro, _profile, _report, _scenarios
from bench._run import Options, run

DEFAULT_OUT = Path(__file__).resolve().parent.parent / ".bench"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="tiny smoke run (2 customers x 3 steps)")
    p.add_argument("--duration", type=float, default=20.0, help="closed-loop seconds [20]")
    p.add_argument("--customers", type=int, default=100, help="concurrent customers [100]")
    p.add_argument("--rate", type=float, default=500.0, help="open-loop messages/s [500]")
    p.add_argument("--open-duration", type=float, default=10.0, help="open-loop seconds [10]")
    p.add_argument("--warmup", type=float, default=3.0, help="warm-up seconds per bot [3]")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers, both bots [2]")
    p.add_argument("--threads", type=int, default=8, help="gunicorn threads, both bots [8]")
    p.add_argument("--scenario", default="starter", help="built-in name or JSON script [starter]")
    p.add_argument("--steps", type=int, default=None, help="cut/repeat the script to N steps")
    p.add_argument(
        "--conversations", type=int, default=None, help="scripts per customer, then stop"
    )
    p.add_argument("--max-messages", type=int, default=500_000, help="cap on inputs per phase")
    p.add_argument(
        "--send-rate", type=float, default=1000.0,
        help="waflow's outbound rate limit per worker (Meta's upgraded tier) [1000]; "
        "0 runs the stock webhooks.bootstrap:app_from_env() with its 80/s default",
    )  # fmt: skip
    p.add_argument("--app", default=None, help="another WSGI factory for waflow (experiments)")
    p.add_argument("--no-baseline", action="store_true", help="skip the pywa baseline")
    p.add_argument("--no-open-loop", action="store_true", help="skip the fixed-rate phase")
    p.add_argument("--no-micro", action="store_true", help="skip the in-process micro figures")
    p.add_argument("--micro-only", action="store_true", help="only the micro figures")
    p.add_argument(
        "--profile", nargs="?", const="cpu", choices=("cpu", "wall"), default=None,
        help="py-spy the bot in the closed loop: cpu (GIL holders) or wall (busy threads)",
    )  # fmt: skip
    p.add_argument("--json", type=Path, default=None, help="also write the report here")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="profiles and kept files [.bench]")
    p.add_argument("--keep", action="store_true", help="keep logs and databases under --out")
    return p.parse_args(argv)


def options_from(args: argparse.Namespace) -> Options:
    """Map the command line onto :class:`~bench._run.Options` (``--quick`` overrides sizes)."""
    opts = Options(
        duration=args.duration,
        customers=args.customers,
        rate=args.rate,
        open_duration=args.open_duration,
        warmup=args.warmup,
        workers=args.workers,
        threads=args.threads,
        steps=args.steps,
        conversations=args.conversations,
        max_messages=args.max_messages,
        send_rate=args.send_rate,
        baseline=not args.no_baseline and importlib.util.find_spec("pywa") is not None,
        open_loop=not args.no_open_loop,
        profile=args.profile,
        app=args.app,
        keep=(args.out / "last-run") if args.keep or args.profile else None,
    )
    if args.quick:
        opts.customers, opts.conversations, opts.steps = 2, 1, args.steps or 3
        opts.duration, opts.warmup, opts.calibrate, opts.grace = 30.0, 0.0, False, 0.5
        opts.rate, opts.open_duration = 20.0, 0.5
        opts.workers, opts.threads = min(args.workers, 1), min(args.threads, 4)
    return opts


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmarks, print the table, and return the report (tests read it)."""
    args = parse_args(argv)
    report: dict[str, Any] = {}
    if not args.micro_only:
        scenario = _scenarios.get(args.scenario)
        problem = _scenarios.usable(scenario)
        if problem:
            print(f"scenario {scenario.name}: {problem}; using the starter script", file=sys.stderr)
            scenario = _scenarios.STARTER
        opts = options_from(args)
        scenario = scenario.resized(opts.steps)
        if opts.profile and not _profile.available():
            print("py-spy is not installed: no profile", file=sys.stderr)
            opts.profile = None
        if not opts.baseline and not args.no_baseline:
            print("pywa is not installed: no baseline (pip install pywa)", file=sys.stderr)
        report = asyncio.run(run(scenario, opts))
        print(_report.mock_lines(report))
        print()
        print(f"scenario {scenario.name} ({len(scenario.steps)} steps), gunicorn -w "
              f"{opts.workers} --threads {opts.threads}, SQLite file DB")  # fmt: skip
        print(_report.table(report))
        for kind in ("waflow", "pywa"):
            prof = report.get(kind, {}).get("profile")
            if prof:
                print(f"\n{kind} profile ({prof.get('samples', 0)} busy samples), by layer:")
                for name, pct in prof.get("layers", [])[:10]:
                    print(f"  {pct:5.1f}%  {name}")
                print(f"  full report: {prof.get('report', '-')}")
    if not args.no_micro and not args.quick:
        report["micro"] = _micro.run_all()
        print()
        print(_micro.lines(report["micro"]))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, default=str))
    return report


if __name__ == "__main__":
    main()
