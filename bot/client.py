"""The Cloud API client: the one place waflow talks HTTP to Meta.

It owns three things. :func:`graph_error_from_response` is the single mapping from an HTTP
answer to a class of the :mod:`bot.errors` tree. :meth:`CloudClient._request` is the single
method that touches ``requests``: it sets timeouts, waits on the rate limiter, turns every
failure into a :class:`~bot.errors.GraphError` (``raise ... from exc``) and retries the
retryable ones following a :class:`RetryPolicy`. :class:`SandboxClient` offers the same
:class:`Sender` surface without any network, for development without an access token.

Retries and duplicates: the Cloud API has no idempotency key. When a request times out or the
connection drops after the body was sent, Meta may already have accepted the message, and the
retry delivers it a second time. Set ``biz_opaque_callback_data`` on important messages and
reconcile through status webhooks, or pass ``RetryPolicy(max_attempts=1)`` to never retry.
"""

from __future__ import annotations

import copy
import json
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Protocol, runtime_checkable

import requests

from bot._ratelimit import DEFAULT_BURST, DEFAULT_RATE, RateLimiter, RetryPolicy
from bot.config import Config, mask
from bot.errors import (
    AccountError,
    AuthError,
    ConfigError,
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

logger = logging.getLogger(__name__)

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


def _final(error: GraphError) -> GraphError:
    """Mark one error instance as not worth retrying and return it."""
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

    The class follows ``error.code`` (see :mod:`bot.errors` for the families), not the HTTP
    status. A known code always keeps its family; an unknown code becomes a plain
    :class:`GraphError`, or a :class:`TransientError` when Meta flags it ``is_transient`` or the
    status is 5xx.

    Args:
        status: The HTTP status code.
        body: The raw body (bytes or text) or the already parsed JSON object.

    Returns:
        The exception, carrying code, subcode, details, fbtrace_id, is_transient, the HTTP
        status and the parsed envelope as ``raw``. A 5xx without a Graph error object gives a
        :class:`TransientError`; any other body that is not an envelope gives a
        :class:`TransportError` with the status.
    """
    envelope = _load(body)
    error = envelope.get("error") if envelope else None
    if not isinstance(error, dict):
        if status >= 500:
            return TransientError(
                f"HTTP {status} without a Graph error: {_snippet(body)}",
                http_status=status,
                raw=envelope,
            )
        return TransportError(
            f"HTTP {status} with a body that is not a Graph error: {_snippet(body)}",
            http_status=status,
            raw=envelope,
        )
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
    return _final(exc) if code in _NOT_RETRIED else exc


def _decode_answer(status: int, content: bytes) -> dict[str, Any]:
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
        raise _final(TransportError(message, http_status=status)) from exc
    if not isinstance(data, dict):
        message = f"HTTP {status} with a JSON body that is not an object: {_snippet(content)}"
        raise _final(TransportError(message, http_status=status))
    if "error" in data:
        raise graph_error_from_response(status, data)
    return data


@dataclass(frozen=True)
class SendResult:
    """What the Cloud API answered to an accepted message (accepted is not delivered).

    Attributes:
        wamid: The message id; status webhooks refer to it.
        wa_id: The recipient's WhatsApp id, which may differ from the ``to`` that was sent.
        message_status: ``accepted``, ``held_for_quality_assessment`` or ``paused``; often absent.
        raw: The whole answer.
    """

    wamid: str
    wa_id: str | None
    message_status: str | None
    raw: dict[str, Any]

    @classmethod
    def from_answer(cls, data: dict[str, Any]) -> SendResult:
        """Read ``messages[0]`` and ``contacts[0]`` out of a send answer.

        Raises:
            TransportError: The answer has no ``messages[0].id`` (not retryable: the request
                was accepted).
        """
        messages = data.get("messages")
        first = messages[0] if isinstance(messages, list) and messages else None
        wamid = first.get("id") if isinstance(first, dict) else None
        if not isinstance(wamid, str) or not wamid:
            raise _final(TransportError("send answer without messages[0].id", raw=data))
        contacts = data.get("contacts")
        contact = contacts[0] if isinstance(contacts, list) and contacts else None
        wa_id = contact.get("wa_id") if isinstance(contact, dict) else None
        status = first.get("message_status") if isinstance(first, dict) else None
        return cls(
            wamid=wamid,
            wa_id=wa_id if isinstance(wa_id, str) else None,
            message_status=status if isinstance(status, str) else None,
            raw=data,
        )


DEFAULT_RETRY = RetryPolicy()


@runtime_checkable
class Sender(Protocol):
    """What the runtime needs to deliver messages; both clients satisfy it."""

    def send(self, payload: dict[str, Any]) -> SendResult:
        """Send one message payload; see :meth:`CloudClient.send`."""
        ...

    def mark_read(self, message_id: str, *, typing: bool = False) -> bool:
        """Mark an inbound message read; see :meth:`CloudClient.mark_read`."""
        ...


def _read_payload(message_id: str, typing: bool) -> dict[str, Any]:
    """Build the mark-as-read body, with the typing indicator when asked."""
    payload: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": message_id,
    }
    if typing:
        payload["typing_indicator"] = {"type": "text"}
    return payload


class CloudClient:
    """Sends messages through the WhatsApp Cloud API.

    Args:
        config: Supplies the access token and ``messages_url``; must not be in sandbox mode.
        session: A ``requests.Session`` to reuse; the client creates (and closes) its own
            otherwise. The token is sent per request, never stored on the session.
        timeout: ``requests`` timeout, seconds or a ``(connect, read)`` pair.
        retry: When and how long to retry retryable errors.
        sleep: Waits between retries (and for the default rate limiter); inject a fake in tests.
        rand: Source of jitter in [0, 1).
        rate_limiter: Spaces requests; by default 80 per second with bursts of 80, Meta's
            default per-number throughput. Share one limiter among clients of the same number.

    Raises:
        ConfigError: The configuration has no access token.
    """

    def __init__(
        self,
        config: Config,
        *,
        session: requests.Session | None = None,
        timeout: float | tuple[float, float] = (3.05, 10),
        retry: RetryPolicy = DEFAULT_RETRY,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
        rate_limiter: RateLimiter | None = None,
    ) -> None:
        if config.sandbox:
            raise ConfigError(
                "CloudClient needs WHATSAPP_ACCESS_TOKEN; use make_client() or SandboxClient "
                "to run without one."
            )
        self.config = config
        self.timeout = timeout
        self.retry = retry
        self.rate_limiter = rate_limiter or RateLimiter(DEFAULT_RATE, DEFAULT_BURST, sleep=sleep)
        self._owns_session = session is None
        self._session = session if session is not None else requests.Session()
        self._sleep = sleep
        self._rand = rand

    def send(self, payload: dict[str, Any]) -> SendResult:
        """Send one message payload exactly as given.

        Args:
            payload: A complete ``/messages`` body (``messaging_product``, ``to``, ``type`` …).

        Returns:
            The wamid and the recipient's wa_id. The message is accepted, not yet delivered.

        Raises:
            GraphError: The subclass for the failure, after any retries. A
                :class:`~bot.errors.ReEngagementError` means only a template may be sent now.
        """
        data = self._request("POST", self.config.messages_url, payload)
        result = SendResult.from_answer(data)
        logger.debug(
            "sent %s to %s as %s", payload.get("type"), mask(str(payload.get("to"))), result.wamid
        )
        return result

    def mark_read(self, message_id: str, *, typing: bool = False) -> bool:
        """Mark an inbound message read, optionally showing a typing indicator.

        Show the indicator only when a reply is coming; it lasts until that reply or 25 s.

        Args:
            message_id: The inbound wamid.
            typing: Also show "typing…" to the user.

        Returns:
            True when Meta answered ``{"success": true}``.

        Raises:
            GraphError: The subclass for the failure, after any retries.
        """
        data = self._request("POST", self.config.messages_url, _read_payload(message_id, typing))
        return data.get("success") is True

    def _request(self, method: str, url: str, json: dict[str, Any] | None = None) -> dict[str, Any]:
        """Perform one Graph call with rate limiting, timeouts and retries.

        The only method that touches ``requests``. Each attempt takes a rate-limiter token.
        Retryable errors (``error.retryable``) are retried up to ``retry.max_attempts`` with the
        waits of :meth:`RetryPolicy.delay`; permanent ones (auth, invalid parameter, template,
        recipient, account, re-engagement) are raised at once. A retry after a timeout or a
        dropped connection can deliver the message twice (see the module docstring).

        Raises:
            TransportError: Timeout, connection failure or unreadable answer, ``from`` the
                ``requests`` exception.
            GraphError: The class :func:`graph_error_from_response` chose for the answer.
        """
        recipient = mask(str(json["to"])) if json and "to" in json else "-"
        headers = {"Authorization": f"Bearer {self.config.access_token}"}
        attempts = self.retry.max_attempts
        for attempt in range(1, attempts + 1):
            self.rate_limiter.acquire()
            try:
                try:
                    response = self._session.request(
                        method, url, json=json, headers=headers, timeout=self.timeout
                    )
                except requests.Timeout as exc:
                    raise TransportError(f"{method} timed out after {self.timeout}s") from exc
                except requests.ConnectionError as exc:
                    raise TransportError(f"{method} failed to connect: {exc}") from exc
                except requests.RequestException as exc:
                    raise _final(TransportError(f"{method} could not be sent: {exc}")) from exc
                return _decode_answer(response.status_code, response.content)
            except GraphError as error:
                if not error.retryable or attempt >= attempts:
                    logger.warning(
                        "Graph %s to %s failed (attempt %d/%d): %s code=%s fbtrace_id=%s: %s",
                        method,
                        recipient,
                        attempt,
                        attempts,
                        type(error).__name__,
                        error.code,
                        error.fbtrace_id,
                        error.details or error.message,
                    )
                    raise
                wait = self.retry.delay(attempt, error, self._rand())
                logger.info(
                    "Graph %s to %s: %s code=%s fbtrace_id=%s, retrying in %.2fs (attempt %d/%d)",
                    method,
                    recipient,
                    type(error).__name__,
                    error.code,
                    error.fbtrace_id,
                    wait,
                    attempt,
                    attempts,
                )
                self._sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def close(self) -> None:
        """Close the HTTP session if this client created it."""
        if self._owns_session:
            self._session.close()

    def __enter__(self) -> CloudClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class SandboxClient:
    """A :class:`Sender` that never touches the network, for development and tests.

    Every payload is deep-copied into :attr:`sent` and answered with a made-up wamid
    ``wamid.sandbox.<n>`` (1-based). Marked-read ids go to :attr:`read`.

    Args:
        echo: Called with each sent payload, to show it to the developer (the CLI prints it).
    """

    def __init__(self, *, echo: Callable[[dict[str, Any]], None] | None = None) -> None:
        self.sent: list[dict[str, Any]] = []
        self.read: list[str] = []
        self._echo = echo
        self._lock = threading.Lock()

    def send(self, payload: dict[str, Any]) -> SendResult:
        """Record a payload and answer like Meta would.

        Args:
            payload: A ``/messages`` body.

        Returns:
            A result with wamid ``wamid.sandbox.<n>`` and ``message_status`` ``accepted``.
        """
        record = copy.deepcopy(payload)
        with self._lock:
            self.sent.append(record)
            wamid = f"wamid.sandbox.{len(self.sent)}"
        to = payload.get("to")
        wa_id = to.lstrip("+") if isinstance(to, str) else None
        logger.info("sandbox: %s to %s kept as %s", payload.get("type"), mask(wa_id), wamid)
        if self._echo is not None:
            self._echo(copy.deepcopy(payload))
        raw = {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": wa_id}],
            "messages": [{"id": wamid, "message_status": "accepted"}],
        }
        return SendResult(wamid=wamid, wa_id=wa_id, message_status="accepted", raw=raw)

    def mark_read(self, message_id: str, *, typing: bool = False) -> bool:
        """Record ``message_id`` in :attr:`read`.

        Returns:
            Always True.
        """
        with self._lock:
            self.read.append(message_id)
        return True

    def close(self) -> None:
        """Do nothing; present so both clients can be closed alike."""

    def __enter__(self) -> SandboxClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def make_client(config: Config, **kw: Any) -> Sender:
    """Return the client the configuration calls for.

    Args:
        config: Sandbox mode (no access token) gives a :class:`SandboxClient`, otherwise a
            :class:`CloudClient`.
        **kw: ``echo`` goes to the sandbox client; the rest (``session``, ``timeout``, ``retry``,
            ``sleep``, ``rand``, ``rate_limiter``) to the cloud client. Options meant for the other
            client are ignored, so one call site serves both modes.

    Returns:
        A :class:`Sender`.
    """
    echo = kw.pop("echo", None)
    if config.sandbox:
        return SandboxClient(echo=echo)
    return CloudClient(config, **kw)


__all__ = [
    "DEFAULT_RETRY",
    "CloudClient",
    "RetryPolicy",
    "SandboxClient",
    "SendResult",
    "Sender",
    "graph_error_from_response",
    "make_client",
]
