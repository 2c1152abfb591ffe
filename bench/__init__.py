"""End-to-end and micro benchmarks of waflow, side by side with a minimal pywa bot.

``python -m bench`` (or ``make bench``) starts the mock Cloud API, then each bot under gunicorn
with a fresh SQLite database, drives it with signed webhooks from simulated customers walking a
multi-step conversation, and prints a table of throughput, latency, CPU, memory and correctness
figures with waflow's figure over pywa's. ``docs/benchmarks.md`` has the figures and the analysis.

Modules: :mod:`bench._run` (the sequence), :mod:`bench._loadgen` (the load),
:mod:`bench._mock` (serves :mod:`webhooks.mockgraph`, the mock Cloud API),
:mod:`bench._procs` (processes and their cost), :mod:`bench._checks` (correctness),
:mod:`bench._micro` (in-process figures), :mod:`bench._scenarios` (what customers say),
:mod:`bench._report` (the table).
"""

from __future__ import annotations

__all__: list[str] = []
