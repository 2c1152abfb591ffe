"""Webhook authentication without any web framework: the GET handshake and the POST signature.

Meta signs the raw request body with HMAC-SHA256 keyed by the app secret and sends
``X-Hub-Signature-256: sha256=<lowercase hex>``. The body must be hashed exactly as received:
never re-serialise parsed JSON (Meta escapes non-ASCII as ``\\uXXXX``; re-encoding changes bytes).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

SIGNATURE_HEADER = "X-Hub-Signature-256"
_PREFIX = "sha256="


def sign(body: bytes, app_secret: str) -> str:
    """Return the ``X-Hub-Signature-256`` value Meta would send for ``body``: ``sha256=<hex>``."""
    return _PREFIX + hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def signature_valid(body: bytes, header: str | None, app_secret: str) -> bool:
    """True only when ``header`` is present, well formed and matches the raw ``body``."""
    if not header or not header.startswith(_PREFIX):
        return False
    given = header.strip().lower().encode("utf-8", "replace")
    return hmac.compare_digest(sign(body, app_secret).encode("ascii"), given)


def handshake_answer(query: Mapping[str, str], verify_token: str) -> str | None:
    """Answer Meta's verification GET (``query``: its query parameters).

    Returns:
        The ``hub.challenge`` to echo with a 200, or ``None`` when the request must be refused.
    """
    token = query.get("hub.verify_token", "").encode("utf-8")
    if not verify_token or query.get("hub.mode") != "subscribe":
        return None
    if not hmac.compare_digest(token, verify_token.encode("utf-8")):
        return None
    return query.get("hub.challenge") or None


__all__ = ["SIGNATURE_HEADER", "handshake_answer", "sign", "signature_valid"]
