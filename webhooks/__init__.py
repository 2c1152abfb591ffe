"""The edges of waflow: the Flask webhook app, the bootstrap that assembles a bot from
configuration, and the ``waflow`` command line (``webhooks.cli``)."""

from webhooks.app import create_app
from webhooks.bootstrap import app_from_env, make_app, make_runtime
from webhooks.signature import handshake_answer, sign, signature_valid

__all__ = [
    "app_from_env",
    "create_app",
    "handshake_answer",
    "make_app",
    "make_runtime",
    "sign",
    "signature_valid",
]
