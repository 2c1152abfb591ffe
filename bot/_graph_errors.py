"""Graph API answers to exceptions: the one mapping from an HTTP error to a :mod:`bot.errors` class.

:func:`graph_error_from_response` picks the class by ``error.code`` (families as in cloud-api.md
§4), or by the HTTP status when there is no envelope; :func:`decode_answer` applies it to a raw
answer; :func:`stops_sending` names the errors about the whole account (an expired token, a
blocked account) on which a sender should pause instead of failing every queued message.
"""

from __future__ import annotations

import json
from typing import Any

from bot.errors import (
    AccountError,
    AuthError,
    GraphError,
    InvalidParameterError,
    PairRateLimitError,
    RecipientError,
    ReEngagementError,
    TemplateError,
    ThrottlingError,
    TransientError,
    TransportError,
)

_FAMILIES: dict[int, type[GraphError]] = {
    **dict.fromkeys((1, 2, 131000, 131016, 131057, 133004), TransientError),
    **dict.fromkeys((4, 80007, 130429, 131048, 131049), ThrottlingError),
    131056: PairRateLimitError,
    131047: ReEngagementError,
    **dict.fromkeys((0, 3, 10, 190, 131005), AuthError),
    **dict.fromkeys((130403, 130472, 131021, 131026, 131030, 131050, 131062), RecipientError),
    **dict.fromkeys((368, 130497, 131031, 131042, 131045, 131064, 133010), AccountError),
    **dict.fromkeys((100, 131008, 131009, 131051, 131052, 131053, 134011), InvalidParameterError),
}

# Throttling codes whose remedy is hours of silence, not a retry loop (cloud-api.md §4):
# 131048 spam rate limit, 131049 per-user marketing cap. They keep their family class but are
# marked not retryable on the instance.
_NOT_RETRIED = frozenset({131048, 131049})


def _family(code: int) -> type[GraphError] | None:
    """Return the exception class of a Graph error code, ``None`` when the code is unknown."""
    if code in _FAMILIES:
        return _FAMILIES[code]
    if 200 <= code <= 299:
        return AuthError
    if 132000 <= code <= 132999:
        return TemplateError
    return None


def final(error: GraphError) -> GraphError:
    """Mark one error instance as not worth retrying and return it (its class is untouched)."""
    error.retryable = False
    return error


def _as_int(value: object) -> int | None:
    """Read a Graph integer field that may arrive as a number or a digit string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None


def _load(body: bytes | str | dict[str, Any] | None) -> dict[str, Any] | None:
    """Parse an answer body into a JSON object, ``None`` when it is not one."""
    if isinstance(body, dict):
        return body
    if not body:
        return None
    try:
        data = json.loads(body)
    except ValueError:  # includes UnicodeDecodeError and JSONDecodeError
        return None
    return data if isinstance(data, dict) else None


def _snippet(body: object, limit: int = 120) -> str:
    """Return the start of an unreadable body on one line, for an error message."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    text = " ".join(str(body or "").split())
    return text if len(text) <= limit else text[:limit] + "…"


def graph_error_from_response(status: int, body: bytes | str | dict[str, Any] | None) -> GraphError:
    """Turn an HTTP error answer from the Cloud API into the matching exception.

    The class follows ``error.code`` (families in :mod:`bot.errors`), not the HTTP status; an
    unknown code gives a plain :class:`GraphError`, or a :class:`TransientError` when Meta flags
    it ``is_transient`` or the status is 5xx. Without a Graph error object the status decides:
    5xx is transient, 429 throttling, 401 and 403 auth, 408 a retryable
    :class:`TransportError`, anything else a :class:`TransportError` that is *not* retryable.
    ``body`` is the raw body (bytes or text) or the parsed JSON object, kept as ``raw``.
    """
    envelope = _load(body)
    error = envelope.get("error") if envelope else None
    if not isinstance(error, dict):
        return _without_envelope(status, body, envelope)
    code = _as_int(error.get("code"))
    error_data = error.get("error_data")
    details = error_data.get("details") if isinstance(error_data, dict) else None
    flag = error.get("is_transient")
    is_transient = flag if isinstance(flag, bool) else None
    cls = _family(code) if code is not None else None
    if cls is None:
        cls = TransientError if (is_transient or status >= 500) else GraphError
    exc = cls(
        str(error.get("message") or error.get("error_user_msg") or f"HTTP {status}"),
        code=code,
        subcode=_as_int(error.get("error_subcode")),
        details=details if isinstance(details, str) else None,
        fbtrace_id=error.get("fbtrace_id") if isinstance(error.get("fbtrace_id"), str) else None,
        http_status=status,
        is_transient=is_transient,
        raw=envelope,
    )
    return final(exc) if code in _NOT_RETRIED else exc


_BY_STATUS: dict[int, type[GraphError]] = {429: ThrottlingError, 401: AuthError, 403: AuthError}


def _without_envelope(
    status: int, body: bytes | str | dict[str, Any] | None, envelope: dict[str, Any] | None
) -> GraphError:
    """The error for an HTTP error answer that carries no Graph error object."""
    cls = TransientError if status >= 500 else _BY_STATUS.get(status, TransportError)
    error = cls(
        f"HTTP {status} without a Graph error: {_snippet(body)}", http_status=status, raw=envelope
    )
    return final(error) if cls is TransportError and status != 408 else error


# Errors about the whole account or number, not one message (cloud-api.md §4): auth and
# permissions, a restricted or locked account (368, 131031), billing (131042) and registration.
_ACCOUNT_WIDE = frozenset({0, 3, 10, 190, 131005, 368, 131031, 131042, 131045, 133010})


def stops_sending(error: GraphError) -> bool:
    """True when an error concerns every message of the account until a human acts.

    A sender should then pause and keep its messages rather than fail each one in turn. Also
    true for a 401, 403 or 404 without a Graph envelope (the last means a wrong base URL or API
    version).
    """
    if error.code is not None:
        return error.code in _ACCOUNT_WIDE or 200 <= error.code <= 299
    return isinstance(error, AuthError) or error.http_status == 404


def decode_answer(status: int, content: bytes) -> dict[str, Any]:
    """Return the JSON object of an HTTP answer, or raise the matching :class:`GraphError`.

    Raises:
        GraphError: An error status or envelope. A 2xx answer whose body is not a JSON object
            raises a :class:`TransportError` that is *not* retryable: Meta accepted the
            request, so sending it again would deliver twice.
    """
    if status >= 400:
        raise graph_error_from_response(status, content)
    try:
        data = json.loads(content)
    except ValueError as exc:
        message = f"HTTP {status} with a body that is not JSON: {_snippet(content)}"
        raise final(TransportError(message, http_status=status)) from exc
    if not isinstance(data, dict):
        message = f"HTTP {status} with a JSON body that is not an object: {_snippet(content)}"
        raise final(TransportError(message, http_status=status))
    if "error" in data:
        raise graph_error_from_response(status, data)
    return data
