"""The runtime of waflow: configuration, the exception tree and the handler contract.

The heavier parts are submodules: ``bot.inbound`` (typed webhook updates), ``bot.messages``
(outbound builders that enforce WhatsApp's limits), ``bot.client`` (the Cloud API client),
``bot.processing``, ``bot.sending`` and ``bot.runtime`` (durable, ordered processing and
sending), ``bot.simulate`` (Meta-shaped bodies for tests and the sandbox).
"""

from bot.config import Config
from bot.errors import (
    ConfigError,
    FlowError,
    GraphError,
    LimitError,
    PayloadError,
    ReEngagementError,
    WaflowError,
    WindowClosedError,
)
from bot.turn import Handler, Turn

__all__ = [
    "Config",
    "ConfigError",
    "FlowError",
    "GraphError",
    "Handler",
    "LimitError",
    "PayloadError",
    "ReEngagementError",
    "Turn",
    "WaflowError",
    "WindowClosedError",
]
