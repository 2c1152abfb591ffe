"""In-process micro figures (placeholder until the flow engine lands)."""

from __future__ import annotations

from typing import Any


def run_all() -> dict[str, Any]:
    return {}


def lines(figures: dict[str, Any]) -> str:
    return "micro: n/a"
