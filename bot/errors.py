"""The one exception tree of waflow.

Every error the framework raises derives from :class:`WaflowError`::

    WaflowError
    ├── ConfigError                 bad or missing configuration
    ├── LimitError (ValueError)     an outbound message breaks a WhatsApp hard limit
    ├── WindowClosedError           free-form send attempted outside the 24-hour window (local check)
    ├── PayloadError (ValueError)   an inbound webhook payload cannot be understood
    ├── FlowError                   a flow file or a flow run went wrong (see ``flows``)
    └── GraphError                  the Cloud API answered with an error envelope
        ├── TransportError          no usable HTTP answer (timeout, connection reset, bad JSON)
        ├── TransientError          Meta-side trouble, 5xx, codes 1, 2, 131000, 131016, 131057, 133004
        ├── ThrottlingError         throughput 130429, app/WABA limits 4, 80007, spam 131048, cap 131049
        │   └── PairRateLimitError  131056: too many messages to one recipient
        ├── ReEngagementError       131047: outside the 24-hour customer service window
        ├── AuthError               0, 190, 3, 10, 200-299, 131005: token or permission problems
        ├── TemplateError           132xxx: template missing, paused, wrong parameters
        ├── RecipientError          131026, 131050, 130403, 131021, 131030, 131062, 130472
        ├── AccountError            368, 131031, 131042, 131045, 133010, 130497, 131064
        └── InvalidParameterError   100, 131008, 131009, 131051, 131052, 131053, 134011 ...

:func:`bot.client.graph_error_from_response` is the one place a Graph error envelope becomes one
of these classes. The root and :class:`ConfigError` are defined in :mod:`storage.errors`, the
lowest layer, so that storage can raise them without importing ``bot``; they are re-exported here.
"""

from __future__ import annotations

from typing import Any

from storage.errors import ConfigError, WaflowError


class PayloadError(WaflowError, ValueError):
    """An inbound webhook payload does not have the shape Meta documents."""


class FlowError(WaflowError):
    """A flow definition is invalid or a flow could not run.

    Args:
        message: What went wrong.
        file: The flow file, when known.
        line: The 1-based line in that file, when known.
        path: The key path inside the document, for example ``states.ask_name.expect.type``.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        path: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.path = path
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "")
        if self.path:
            where = f"{where} ({self.path})" if where else self.path
        return f"{where}: {self.message}" if where else self.message


class LimitError(WaflowError, ValueError):
    """An outbound message breaks one of WhatsApp's hard limits.

    Args:
        field: The offending field, for example ``action.buttons[0].reply.title``.
        limit: The limit in words, for example ``at most 20 characters``.
        actual: What was found, for example ``27 characters``.
    """

    def __init__(self, field: str, limit: str, actual: str | None = None) -> None:
        self.field = field
        self.limit = limit
        self.actual = actual
        text = f"{field} must be {limit}"
        if actual is not None:
            text += f" (got {actual})"
        super().__init__(text)


class WindowClosedError(WaflowError):
    """A free-form message was about to be sent outside the 24-hour customer service window.

    Raised locally, before anything reaches Meta; send an approved template instead.
    """


class GraphError(WaflowError):
    """The Cloud API answered with an error.

    Attributes:
        code: Graph error code (``error.code``), ``None`` for transport failures.
        subcode: ``error.error_subcode`` when present.
        details: ``error.error_data.details`` when present.
        fbtrace_id: Meta's trace id; quote it when you contact Meta support.
        http_status: The HTTP status of the answer, ``None`` when there was none.
        is_transient: Meta's own ``is_transient`` flag when it sent one.
    """

    retryable: bool = False

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        subcode: int | None = None,
        details: str | None = None,
        fbtrace_id: str | None = None,
        http_status: int | None = None,
        is_transient: bool | None = None,
        raw: dict[str, Any] | None = None,
    ) -> None:
        self.message = message
        self.code = code
        self.subcode = subcode
        self.details = details
        self.fbtrace_id = fbtrace_id
        self.http_status = http_status
        self.is_transient = is_transient
        self.raw = raw or {}
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [self.message]
        if self.code is not None:
            parts.insert(0, f"[{self.code}]")
        if self.details and self.details != self.message:
            parts.append(f"- {self.details}")
        if self.fbtrace_id:
            parts.append(f"(fbtrace_id {self.fbtrace_id})")
        return " ".join(parts)


class TransportError(GraphError):
    """No usable answer from the Cloud API: timeout, connection error or unreadable body."""

    retryable = True


class TransientError(GraphError):
    """A temporary problem on Meta's side; retrying with backoff is safe."""

    retryable = True


class ThrottlingError(GraphError):
    """A rate limit was hit; retry later with backoff."""

    retryable = True


class PairRateLimitError(ThrottlingError):
    """Error 131056: too many messages to the same recipient; back off for that recipient only."""


class ReEngagementError(GraphError):
    """Error 131047: more than 24 hours since the customer last wrote; only templates may be sent."""


class AuthError(GraphError):
    """The access token is invalid or expired, or a permission is missing."""


class TemplateError(GraphError):
    """A template is missing, not approved, paused, or its parameters do not match."""


class RecipientError(GraphError):
    """The recipient cannot receive this message (not on WhatsApp, opted out, blocked...)."""


class AccountError(GraphError):
    """The business account or number is restricted, locked or misconfigured."""


class InvalidParameterError(GraphError):
    """The request was malformed: a bug in the payload. Never retried."""


__all__ = [
    "AccountError",
    "AuthError",
    "ConfigError",
    "FlowError",
    "GraphError",
    "InvalidParameterError",
    "LimitError",
    "PairRateLimitError",
    "PayloadError",
    "ReEngagementError",
    "RecipientError",
    "TemplateError",
    "ThrottlingError",
    "TransientError",
    "TransportError",
    "WaflowError",
    "WindowClosedError",
]
