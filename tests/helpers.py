"""Small helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from werkzeug.test import TestResponse

PAYLOADS = Path(__file__).parent / "payloads"
PHONE_NUMBER_ID = "106540352242922"

PostWebhook = Callable[..., TestResponse]
"""The type of the ``post_webhook`` fixture."""


def load_payload(*parts: str) -> dict[str, Any]:
    """A JSON file under tests/payloads."""
    data: dict[str, Any] = json.loads(PAYLOADS.joinpath(*parts).read_text(encoding="utf-8"))
    return data
