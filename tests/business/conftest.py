"""Business fixtures: the salon of the handoff and booking tests."""

from __future__ import annotations

from tests.handoff.conftest import salon

__all__ = ["salon"]
