"""The Cloud API client: the one place waflow talks HTTP to Meta.

:meth:`CloudClient._request` is the single method that touches ``requests``: it sets timeouts,
waits on the rate limiter, turns every failure into a :class:`~bot.errors.GraphError` through
:func:`graph_error_from_response` (``raise ... from exc``) and retries the retryable ones by a
:class:`RetryPolicy`. :class:`SandboxClient` offers the same :class:`Sender` surface without a
network. The Cloud API has no idempotency key: a retry after a timeout may deliver a message
twice, so reconcile important ones through ``biz_opaque_callback_data`` and status webhooks, or
pass ``RetryPolicy(max_attempts=1)``.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar, runtime_checkable
from urllib.parse import unquote_plus, urlencode, urlsplit, urlunsplit

import requests

from bot import messages, simulate
from bot._graph_errors import decode_answer, final, graph_error_from_response
from bot._ratelimit import DEFAULT_BURST, DEFAULT_RATE, RateLimiter, RetryPolicy
from bot.config import Config, mask
from bot.errors import ConfigError, GraphError, TransportError

logger = logging.getLogger(__name__)
_Answer = TypeVar("_Answer")


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
            raise final(TransportError("send answer without messages[0].id", raw=data))
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


@dataclass(frozen=True)
class Media:
    """The bytes of a customer's media, downloaded from the Cloud API.

    Attributes:
        content: The file.
        mime_type: Its type as Meta gives it (``image/jpeg``...).
    """

    content: bytes
    mime_type: str


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


def _own_session(url: str) -> requests.Session:
    """A session that reads proxies and the CA bundle from the environment once, not per request.

    With ``trust_env`` on, ``requests`` scans the environment on each request: a fifth of a send's
    CPU (and a ``.netrc`` entry could replace the Bearer token).
    """
    session = requests.Session()
    session.trust_env = False
    with contextlib.suppress(ValueError):  # a malformed base URL: each request will say so
        session.proxies.update(requests.utils.get_environ_proxies(url))
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if bundle:
        session.verify = bundle
    return session


class _Closing:
    """Makes a client a context manager that calls its ``close()`` on the way out."""

    def close(self) -> None:
        """Release what the client holds (the sandbox client holds nothing)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _timed_out(method: str, exc: requests.Timeout, timeout: float | tuple[float, float]) -> str:
    """Say which timeout ran out, and whether Meta may have the request (no URL: it may quote a
    credential)."""
    connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
    if isinstance(exc, requests.ConnectTimeout):
        return f"{method} timed out: no connection within {connect:g} s, nothing was sent"
    return f"{method} timed out: no answer within {read:g} s (the Cloud API may have received it)"


def _json_answer(response: requests.Response) -> dict[str, Any]:
    return decode_answer(response.status_code, response.content)


def _media(response: requests.Response) -> Media:
    if response.status_code >= 400:
        raise graph_error_from_response(response.status_code, response.content)
    kind = response.headers.get("Content-Type", "application/octet-stream")
    return Media(response.content, kind.split(";")[0].strip())


class CloudClient(_Closing):
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
        self._session = session if session is not None else _own_session(config.messages_url)
        self._sleep = sleep
        self._rand = rand

    def send(self, payload: dict[str, Any]) -> SendResult:
        """Send one complete ``/messages`` body exactly as given (accepted is not delivered).

        Raises:
            GraphError: The subclass for the failure, after any retries. A
                :class:`~bot.errors.ReEngagementError` means only a template may be sent now.
        """
        data = self._request("POST", self.config.messages_url, payload, read=_json_answer)
        result = SendResult.from_answer(data)
        logger.debug(
            "sent %s to %s as %s", payload.get("type"), mask(str(payload.get("to"))), result.wamid
        )
        return result

    def mark_read(self, message_id: str, *, typing: bool = False) -> bool:
        """Mark an inbound wamid read; True when Meta answered ``{"success": true}``.

        With ``typing``, also show "typing…" until the reply or 25 s: only when one is coming.
        Best effort: one attempt, made only when the rate limiter has a token free at once, so
        a message never waits for a receipt's token or retries (False: skipped).

        Raises:
            LimitError: ``message_id`` is empty (the body is built by
                :func:`bot.messages.mark_read`).
            GraphError: The subclass for the failure (not retried).
        """
        body = messages.mark_read(message_id, typing=typing)
        if not self.rate_limiter.try_acquire():
            logger.debug("read receipt skipped: the rate limit has no room for it now")
            return False
        data = self._request(
            "POST", self.config.messages_url, body, read=_json_answer, best_effort=True
        )
        return data.get("success") is True

    def download_media(self, media_id: str) -> Media:
        """Download the media ``media_id`` of an inbound message (two calls, as Meta requires).

        ``GET /<media id>`` gives a short-lived URL, fetched with the same token; the URL itself
        is never shown to anyone.

        Raises:
            GraphError: The subclass for the failure of either call, after any retries.
            TransportError: Meta's answer has no download URL.
        """
        base = self.config.api_base_url.rstrip("/")
        info = self._request(
            "GET", f"{base}/{self.config.api_version}/{media_id}", read=_json_answer
        )
        url = info.get("url")
        if not isinstance(url, str) or not _media_host(url, base):
            # The token goes with the download: only to Meta's media hosts over HTTPS, or to
            # the configured Graph host itself (a local mock).
            raise final(TransportError("media answer without a Meta download url", raw=info))
        return self._request("GET", url, read=_media)

    def get_list(self, path: str, params: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
        """Every item of a paged Graph list, ``GET /<version>/<path>``, following ``paging.next``.

        The token goes with each page, so a ``next`` link must stay on the configured Graph
        host; paging cursors go stale, so nothing of them is kept. Graph writes the token into
        its ``next`` links too: it is cut out before the link is followed (the ``Authorization``
        header carries it), so no URL this method asks for, nor an error quoting one, holds it.

        Args:
            path: The edge below the version, such as ``<WABA id>/message_templates``.
            params: Query parameters of the first page (``fields``, ``limit``...).

        Raises:
            GraphError: The subclass for a page's failure, after any retries.
            TransportError: A page has no ``data`` list, or its ``next`` link leaves the Graph
                host or comes back to a page already read.
        """
        base = self.config.api_base_url.rstrip("/")
        url: str | None = f"{base}/{self.config.api_version}/{path.lstrip('/')}"
        if params:
            url = f"{url}?{urlencode(params)}"
        found: list[dict[str, Any]] = []
        seen: set[str] = set()
        while url is not None:
            seen.add(url)
            answer = self._request("GET", url, read=_json_answer)
            data = answer.get("data")
            if not isinstance(data, list):
                raise final(TransportError("list answer without a data list", raw=answer))
            found += [item for item in data if isinstance(item, dict)]
            paging = answer.get("paging")
            url = paging.get("next") if isinstance(paging, dict) else None
            if url is None:
                break
            if not isinstance(url, str) or not _same_host(url, base):
                raise final(TransportError("list answer with a bad paging.next"))
            url = _without_credentials(url)
            if url in seen:
                raise final(TransportError("list answer with a bad paging.next"))
        return found

    def _request(
        self,
        method: str,
        url: str,
        json: dict[str, Any] | None = None,
        *,
        read: Callable[[requests.Response], _Answer],
        best_effort: bool = False,
    ) -> _Answer:
        """Perform one Graph call: a rate-limiter token per attempt, retryable errors retried.

        ``read`` turns the HTTP answer into the result (``_json_answer``: a JSON object) or raises.
        ``best_effort``: one attempt, whose token the caller took.
        """
        recipient = mask(str(json["to"])) if json and "to" in json else "-"
        headers = {"Authorization": f"Bearer {self.config.access_token}"}
        attempts = 1 if best_effort else self.retry.max_attempts
        for attempt in range(1, attempts + 1):
            if not best_effort:
                self.rate_limiter.acquire()
            try:
                try:
                    response = self._session.request(
                        method, url, json=json, headers=headers, timeout=self.timeout
                    )
                # The exception's text quotes the URL: only its class goes into the message.
                except requests.Timeout as exc:
                    raise TransportError(_timed_out(method, exc, self.timeout)) from exc
                except requests.ConnectionError as exc:
                    raise TransportError(
                        f"{method} failed to connect ({type(exc).__name__})"
                    ) from exc
                except requests.RequestException as exc:
                    raise final(
                        TransportError(f"{method} could not be sent ({type(exc).__name__})")
                    ) from exc
                return read(response)
            except GraphError as error:
                retry = error.retryable and attempt < attempts
                wait = self.retry.delay(attempt, error, self._rand()) if retry else 0.0
                logger.log(
                    logging.INFO if retry else logging.WARNING,
                    "Graph %s to %s failed (attempt %d/%d): %s code=%s fbtrace_id=%s: %s; %s",
                    method,
                    recipient,
                    attempt,
                    attempts,
                    type(error).__name__,
                    error.code,
                    error.fbtrace_id,
                    error.details or error.message,
                    f"retrying in {wait:.2f}s" if retry else "giving up",
                )
                if not retry:
                    raise
                self._sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def close(self) -> None:
        """Close the HTTP session if this client created it."""
        if self._owns_session:
            self._session.close()


class SandboxClient(_Closing):
    """A :class:`Sender` that never touches the network, for development and tests.

    Every payload is deep-copied into :attr:`sent` and answered with a made-up wamid
    ``wamid.sandbox.<n>`` (1-based). Marked-read ids go to :attr:`read`.

    Args:
        echo: Called with each sent payload, to show it to the developer (the CLI prints it).
        keep: Keep the payloads in :attr:`sent`; a long-lived sandbox whose messages are read
            back from its database (the web simulator) passes ``False``.
    """

    def __init__(
        self, *, echo: Callable[[dict[str, Any]], None] | None = None, keep: bool = True
    ) -> None:
        self.sent: list[dict[str, Any]] = []
        self.read: list[str] = []
        self._echo = echo
        self._keep = keep
        self._count = 0
        self._lock = threading.Lock()

    def send(self, payload: dict[str, Any]) -> SendResult:
        """Record a ``/messages`` body and answer like Meta would, with ``accepted``."""
        with self._lock:
            self._count += 1
            wamid = f"wamid.sandbox.{self._count}"
            if self._keep:
                self.sent.append(copy.deepcopy(payload))
        to = payload.get("to")
        result = SendResult.from_answer(
            simulate.sent_reply(to if isinstance(to, str) else None, wamid, status="accepted")
        )
        logger.info("sandbox: %s to %s kept as %s", payload.get("type"), mask(result.wa_id), wamid)
        if self._echo is not None:
            self._echo(copy.deepcopy(payload))
        return result

    def mark_read(self, message_id: str, *, typing: bool = False) -> bool:
        """Record ``message_id`` in :attr:`read` (unless ``keep`` is false) and return True."""
        if self._keep:
            with self._lock:
                self.read.append(message_id)
        logger.debug("sandbox: marked %s read%s", message_id, " (typing)" if typing else "")
        return True


MEDIA_HOSTS = ("fbsbx.com", "facebook.com", "whatsapp.net", "fbcdn.net")
"""The domains Meta serves media downloads from (``lookaside.fbsbx.com`` today)."""


def _same_host(url: str, api_base_url: str) -> bool:
    """Whether ``url`` is on the configured Graph host (same scheme and host)."""
    parts, graph = urlsplit(url), urlsplit(api_base_url)
    return (parts.scheme, parts.netloc) == (graph.scheme, graph.netloc)


_CREDENTIALS = frozenset({"access_token", "appsecret_proof", "client_secret", "input_token"})


def _without_credentials(url: str) -> str:
    """``url`` without the query parameters that carry a credential (``access_token``...).

    The other parameters are kept as they were written, in their order.
    """
    parts = urlsplit(url)
    kept = [
        pair
        for pair in parts.query.split("&")
        if pair and unquote_plus(pair.partition("=")[0]).lower() not in _CREDENTIALS
    ]
    return urlunsplit(parts._replace(query="&".join(kept)))


def _media_host(url: str, api_base_url: str) -> bool:
    """Whether ``url`` may be fetched with the access token: Meta's media hosts over HTTPS, or
    the configured Graph host."""
    if _same_host(url, api_base_url):
        return True
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and any(
        host == domain or host.endswith("." + domain) for domain in MEDIA_HOSTS
    )


def make_client(config: Config, **kw: Any) -> Sender:
    """Return the client the configuration calls for.

    Args:
        config: Sandbox mode (no access token) gives a :class:`SandboxClient`, otherwise a
            :class:`CloudClient`.
        **kw: ``echo`` goes to the sandbox client; the rest (``session``, ``timeout``, ``retry``,
            ``sleep``, ``rand``, ``rate_limiter``) to the cloud client. Options meant for the other
            client are ignored, so one call site serves both modes.
    """
    echo = kw.pop("echo", None)
    if config.sandbox:
        return SandboxClient(echo=echo)
    return CloudClient(config, **kw)


__all__ = [
    "DEFAULT_RETRY",
    "CloudClient",
    "Media",
    "RetryPolicy",
    "SandboxClient",
    "SendResult",
    "Sender",
    "graph_error_from_response",
    "make_client",
]
