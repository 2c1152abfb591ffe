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
    """True only when the header is present, well formed and matches the body (constant time).

    Args:
        body: The raw request body, as received.
        header: The header value, or ``None`` when it was missing.
        app_secret: The app secret.
    """
    if not header or not header.startswith(_PREFIX):
        return False
    expected = sign(body, app_secret)
    # compare_digest wants both sides ASCII: a header with other characters cannot match anyway.
    try:
        given = header.strip().lower().encode("ascii")
    except UnicodeEncodeError:
        return False
    return hmac.compare_digest(expected.encode("ascii"), given)


def handshake_answer(query: Mapping[str, str], verify_token: str) -> str | None:
    """Answer Meta's verification GET.

    Args:
        query: The query string parameters.
        verify_token: The token configured on both sides.

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
