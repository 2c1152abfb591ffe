"""The edges of waflow: the Flask webhook app, the bootstrap that assembles a bot from
configuration, and the ``waflow`` command line (``webhooks.cli``).

The names below are imported when first used, not with the package: importing
``webhooks.gunicorn_conf`` must come before anything imports ``prometheus_client``, whose
multiprocess mode is chosen once, at its import, from the environment that module sets.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from webhooks.app import create_app
    from webhooks.bootstrap import app_from_env, make_app, make_runtime
    from webhooks.signature import handshake_answer, sign, signature_valid

_HOMES = {
    "app_from_env": "webhooks.bootstrap",
    "create_app": "webhooks.app",
    "handshake_answer": "webhooks.signature",
    "make_app": "webhooks.bootstrap",
    "make_runtime": "webhooks.bootstrap",
    "sign": "webhooks.signature",
    "signature_valid": "webhooks.signature",
}


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use."""
    if name not in _HOMES:
        raise AttributeError(f"module 'webhooks' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)


__all__ = [
    "app_from_env",
    "create_app",
    "handshake_answer",
    "make_app",
    "make_runtime",
    "sign",
    "signature_valid",
]
