"""The one mock of the WhatsApp Cloud API (Graph) for tests, demos and load runs.

:class:`MockGraph` answers sends the way Meta does (success bodies, Graph error envelopes with
Meta's codes and wording), holds each body to WhatsApp's limits with the bot's own checker,
serves media, records every request in a thread-safe :class:`MockGraphStore` and is controlled
under ``/_mock/`` (docs/testing.md). It needs no web framework: :func:`create_mock_graph_app`
serves it with Flask, the benchmark with its own asyncio server.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import logging
import secrets
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from flask import Flask, Response, request
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.config import mask
from bot.errors import LimitError
from bot.messages import check
from bot.simulate import sent_reply, wa_id_for

logger = logging.getLogger(__name__)

EXTENSION_KEY = "waflow.mockgraph"
MAX_WAIT_SECONDS = 60.0

#: Graph error code -> (title, ``error_data.details``), worded after Meta's error-code page.
ERROR_CATALOGUE: dict[int, tuple[str, str]] = {
    0: ("AuthException", "We were unable to authenticate the app user."),
    1: ("API Unknown", "Invalid request or possible server error."),
    2: ("API Service", "Temporary due to downtime or due to being overloaded."),
    4: ("API Too Many Calls", "The app has reached its API call rate limit."),
    10: ("Permission Denied", "Permission is either not granted or has been removed."),
    100: ("Invalid parameter", "The request included unsupported or misspelled parameters."),
    190: ("Invalid OAuth access token", "Error validating access token."),
    368: ("Temporarily blocked for policies violations", "The account is restricted."),
    2500: ("Unknown path components", "The path does not exist on this mock."),
    80007: ("Rate limit issues", "The WhatsApp Business Account has reached its rate limit."),
    130429: ("Rate limit hit", "Cloud API message throughput has been reached."),
    130472: ("User's number is part of an experiment", "Message held back by an experiment."),
    130497: (
        "Business account is restricted from messaging users in this country",
        "Messages to users in this country are not allowed for this account.",
    ),
    131000: ("Something went wrong", "Message failed to send due to an unknown error."),
    131005: ("Access denied", "Permission is either not granted or has been removed."),
    131008: ("Required parameter is missing", "The request is missing a required parameter."),
    131009: ("Parameter value is not valid", "One or more parameter values are invalid."),
    131016: ("Service unavailable", "A service is temporarily unavailable."),
    131021: ("Recipient cannot be sender", "Sender and recipient phone number is the same."),
    131026: ("Message undeliverable", "Unable to deliver message to the recipient."),
    131030: ("Recipient phone number not in allowed list", "Add the number to the test list."),
    131031: ("Account has been locked", "The business account was locked."),
    131042: ("Business eligibility payment issue", "There was an error with the payment method."),
    131045: ("Incorrect certificate", "Message failed due to a phone number registration error."),
    131047: (
        "Re-engagement message",
        "Message failed to send because more than 24 hours have passed since the customer "
        "last replied to this number.",
    ),
    131048: ("Spam rate limit hit", "Too many previous messages were blocked or flagged."),
    131049: ("Meta chose not to deliver.", "Not delivered to maintain healthy engagement."),
    131050: ("User has stopped marketing messages", "The recipient opted out of marketing."),
    131051: ("Unsupported message type", "Message type is not currently supported."),
    131052: ("Media download error", "Unable to download the media sent by the user."),
    131053: ("Media upload error", "Unable to upload the media used in the message."),
    131056: (
        "(Business Account, Consumer Account) pair rate limit hit",
        "Too many messages sent from the sender phone number to the same recipient phone "
        "number in a short period of time.",
    ),
    131057: ("Account in maintenance mode", "Business Account is in maintenance mode."),
    131062: ("BSUID recipients not supported", "Business-scoped user IDs cannot be used here."),
    131064: ("Messaging limit reached", "Messaging limit hit after template misclassification."),
    132000: ("Number of parameters does not match", "Template parameter count mismatch."),
    132001: ("Template name does not exist in the translation", "Template not approved."),
    132005: ("Template hydrated text too long", "Translated text is too long."),
    132007: ("Template format character policy violated", "Template content violates policy."),
    132012: ("Template parameter format mismatch", "Parameter format does not match."),
    132015: ("Template is paused", "Template is paused due to low quality."),
    132016: ("Template is disabled", "Template has been permanently disabled."),
    132068: ("Flow is in blocked state", "The flow is blocked."),
    132069: ("Flow is in throttled state", "10 messages using this flow were already sent."),
    133004: ("Server temporarily unavailable", "Server is temporarily unavailable."),
    133010: ("Phone number not registered", "The phone number is not registered."),
    134011: ("Payments terms of service not accepted", "Accept the payments terms first."),
}
#: HTTP status Meta answers with per code; everything else is a 400.
_HTTP_STATUS = {0: 401, 190: 401, 10: 403, 1: 500, 131000: 500, 2: 503, 131016: 503, 133004: 503}
_SUBCODES = {130429: 2494055}


def graph_error(
    code: int, *, details: str | None = None, http_status: int | None = None
) -> tuple[dict[str, Any], int]:
    """Build a Graph error envelope the way Meta sends it (cloud-api.md §3.3).

    Args:
        code: The Graph error code; unknown codes get a generic title.
        details: ``error_data.details``; the catalogue's text by default.
        http_status: The HTTP status; Meta's usual one for the code by default.

    Returns:
        The JSON body and the HTTP status.
    """
    title, default_details = ERROR_CATALOGUE.get(code, ("Mock error", f"Injected error {code}."))
    error: dict[str, Any] = {
        "message": f"(#{code}) {title}",
        "type": "OAuthException",
        "code": code,
        "error_data": {"messaging_product": "whatsapp", "details": details or default_details},
        "fbtrace_id": secrets.token_urlsafe(18)[:23],
    }
    if code in _SUBCODES:
        error["error_subcode"] = _SUBCODES[code]
    return {"error": error}, http_status or _HTTP_STATUS.get(code, 400)


def same_recipient(wanted: str | None, to: str | None) -> bool:
    """Tell whether a send to ``to`` matches ``wanted`` (``None`` matches all), digits compared."""
    return wanted is None or (to is not None and wa_id_for(wanted) == wa_id_for(to))


class FailureRule(BaseModel):
    """A queued Graph error (a ``POST /_mock/fail`` body): the next ``times`` sends fail.

    Attributes:
        code: The Graph error code to answer with.
        times: How many more sends it applies to.
        to: Only sends to this number (digits compared); ``None`` for any recipient.
        http_status: Override of the HTTP status; Meta's usual one when ``None``.
    """

    model_config = ConfigDict(strict=True)

    code: int
    times: int = Field(1, ge=1)
    to: str | None = None
    http_status: int | None = Field(None, ge=400, le=599)


class _WaitSpec(BaseModel):
    model_config = ConfigDict(strict=True)

    count: int = Field(1, ge=0)
    timeout: float = Field(5.0, ge=0)
    to: str | None = None
    after: int = Field(0, ge=0)


def body_problem(body: Any) -> str | None:
    """Return why the decoded body of a ``POST .../messages`` is not a valid send, or ``None``.

    The mock refuses exactly what the bot's checker (:func:`bot.messages.check`) refuses, in its
    words, even where it is stricter than Meta on purpose (a list body is held to 1,024
    characters; Meta allows 4,096). Its own rules follow Meta: a send without ``type`` is a text
    message, and a body that is not a JSON object is refused first.
    """
    if not isinstance(body, dict):
        return "The request body must be a JSON object."
    if "type" not in body and "status" not in body:
        body = {**body, "type": "text"}
    try:
        check(body)
    except LimitError as exc:
        return str(exc)
    return None


@dataclass(frozen=True)
class RecordedRequest:
    """One request the mock received on its messages endpoint.

    Attributes:
        seq: 1-based arrival number.
        path: The request path, for example ``/v23.0/123/messages``.
        headers: The request headers, with the ``Authorization`` value replaced.
        json: The parsed JSON body, or ``None`` when it was not JSON.
        received_at: Arrival time, Unix seconds.
        received_monotonic: Arrival time on :func:`time.monotonic`, which on Linux is one clock
            for every process of the machine: a load generator compares it with its own.
        kind: ``"message"``, or ``"read"`` for mark-as-read / typing-indicator calls.
        to: The ``to`` field of a message send, if any.
        status: The HTTP status the mock answered with.
        response: The JSON the mock answered with.
    """

    seq: int
    path: str
    headers: dict[str, str]
    json: Any
    received_at: float
    received_monotonic: float
    kind: str
    to: str | None
    status: int
    response: dict[str, Any]


class MockGraphStore:
    """Thread-safe record of what the mock received, plus its queue of injected failures."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._records: list[RecordedRequest] = []
        self._failures: list[FailureRule] = []
        self._per_recipient: Counter[str] = Counter()
        self._waiting = 0

    def record(self, **fields: Any) -> RecordedRequest:
        """Append and return a request (:class:`RecordedRequest` fields but ``seq``); wake waiters."""
        with self._cond:
            rec = RecordedRequest(seq=len(self._records) + 1, **fields)
            self._records.append(rec)
            if rec.to is not None:
                self._per_recipient[wa_id_for(rec.to)] += 1
            self._cond.notify_all()
        return rec

    def _select(self, to: str | None, after: int) -> list[RecordedRequest]:
        # seq is the 1-based index, so the records after the after-th are a slice.
        return [r for r in self._records[after:] if same_recipient(to, r.to)]

    def _count(self, to: str | None) -> int:
        # O(1): wait_for re-checks this on every recorded request, so it must not scan.
        return len(self._records) if to is None else self._per_recipient[wa_id_for(to)]

    def requests(self, to: str | None = None, after: int = 0) -> list[RecordedRequest]:
        """Return the records in arrival order; only sends to ``to``, only after the cursor ``after``."""
        with self._cond:
            return self._select(to, after)

    def reset(self) -> int:
        """Forget every recorded request and queued failure (numbering restarts); count dropped."""
        with self._cond:
            dropped = len(self._records)
            self._records.clear()
            self._per_recipient.clear()
            self._failures.clear()
            return dropped

    def add_failure(self, rule: FailureRule) -> int:
        """Queue ``rule`` (rules are consumed in the order they were queued); return the count."""
        with self._cond:
            self._failures.append(rule)
            return len(self._failures)

    def clear_failures(self) -> None:
        """Drop every queued failure."""
        with self._cond:
            self._failures.clear()

    def pending_failures(self) -> list[FailureRule]:
        """Return copies of the queued failures."""
        with self._cond:
            return [rule.model_copy() for rule in self._failures]

    def take_failure(self, to: str | None) -> FailureRule | None:
        """Consume one use of the first rule matching a send to ``to``; return it as it was."""
        with self._cond:
            for i, rule in enumerate(self._failures):
                if same_recipient(rule.to, to):
                    taken = rule.model_copy()
                    rule.times -= 1
                    if rule.times <= 0:
                        del self._failures[i]
                    return taken
        return None

    @property
    def waiting(self) -> int:
        """How many callers are blocked in :meth:`wait_for` right now."""
        with self._cond:
            return self._waiting

    def wait_for(
        self, count: int, timeout: float, to: str | None = None, after: int = 0
    ) -> tuple[list[RecordedRequest], bool]:
        """Block until ``count`` requests (sends to ``to``, if given) are recorded, or ``timeout``.

        Returns:
            The matching records numbered after ``after``, and whether ``count`` (counted from
            the first record) was reached.
        """
        with self._cond:
            self._waiting += 1
            try:
                reached = self._cond.wait_for(lambda: self._count(to) >= count, timeout)
            finally:
                self._waiting -= 1
            return self._select(to, after), reached


@dataclass(frozen=True)
class MockReply:
    """One answer of the mock: HTTP status, body bytes and content type."""

    status: int
    body: bytes
    content_type: str = "application/json"


def _reply(payload: Any, status: int = 200) -> MockReply:
    return MockReply(status, json.dumps(payload, separators=(",", ":")).encode())


def _error(code: int, **kwargs: Any) -> MockReply:
    return _reply(*graph_error(code, **kwargs))


def _invalid(exc: ValidationError) -> MockReply:
    problems = (
        f"{'.'.join(map(str, e['loc']))}: {e['msg']}" if e["loc"] else "body must be a JSON object"
        for e in exc.errors()
    )
    return _reply({"error": "; ".join(problems)}, 400)


class MockGraph:
    """The mock Cloud API without a web framework: its record, its rules and its answers.

    Any transport serves it by handing each request to :meth:`handle`; only the ``/_mock/wait``
    long poll blocks (up to its timeout), so an event-loop server runs that one in a thread.

    Args:
        access_token: When set, every Graph call must carry ``Authorization: Bearer <token>``;
            others get a 401 with a 190 ``OAuthException`` envelope. ``None`` accepts anything.
    """

    def __init__(self, access_token: str | None = None) -> None:
        self.store = MockGraphStore()
        self._expected = f"Bearer {access_token}".encode() if access_token else None
        self._wamid_prefix = f"wamid.mock.{secrets.token_hex(6)}"
        self._wamid_numbers = itertools.count(1)  # next() on it is atomic: safe across threads

    def handle(
        self,
        method: str,
        path: str,
        query: Mapping[str, str],
        headers: Mapping[str, str],
        body: bytes,
        *,
        base_url: str = "http://127.0.0.1/",
    ) -> MockReply:
        """Answer one request; unknown paths and methods get Graph's error 2500.

        Args:
            query: The query arguments (first value of each).
            headers: The request headers (any case).
            base_url: The mock's own URL with a trailing slash, for media download links.
        """
        store = self.store
        # The mock's whole route table: the /_mock/ controls first, then the Graph calls.
        match (method, *path[1:].split("/")):
            case ("GET", "_mock", "messages"):
                after = query.get("after", "0")
                if not after.isdigit():
                    return _reply({"error": "after must be an integer >= 0"}, 400)
                records = store.requests(query.get("to"), int(after))
                return _reply({"count": len(records), "messages": [asdict(r) for r in records]})
            case ("DELETE", "_mock", "messages"):
                return _reply({"cleared": store.reset()})
            case ("POST", "_mock", "fail"):
                try:
                    rule = FailureRule.model_validate(_json_or_none(body))
                except ValidationError as exc:
                    return _invalid(exc)
                pending = store.add_failure(rule)
                return _reply({"queued": rule.model_dump(), "pending": pending}, 201)
            case ("GET", "_mock", "fail"):
                return _reply({"pending": [r.model_dump() for r in store.pending_failures()]})
            case ("DELETE", "_mock", "fail"):
                store.clear_failures()
                return _reply({"pending": []})
            case ("POST", "_mock", "wait"):
                return self._wait(_json_or_none(body))
            case ("GET", "_mock", "media", media_id) if media_id:
                if not self._authorised(headers):
                    return _error(190)
                return MockReply(200, _media_bytes(media_id), "image/jpeg")
            case ("POST", version, phone_id, "messages") if (
                version not in ("", "_mock") and phone_id
            ):
                return self._send(path, headers, body)
            case ("GET", version, media_id) if version not in ("", "_mock") and media_id:
                return self._media_info(media_id, headers, base_url)
        return _error(2500, details=f"Unknown path components: {path}")

    def _authorised(self, headers: Mapping[str, str]) -> bool:
        if self._expected is None:
            return True
        given = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        return hmac.compare_digest(given.encode("utf-8", "replace"), self._expected)

    def _send(self, path: str, headers: Mapping[str, str], raw: bytes) -> MockReply:
        body = _json_or_none(raw)
        is_read = isinstance(body, dict) and "status" in body
        to = body.get("to") if isinstance(body, dict) and isinstance(body.get("to"), str) else None
        answer: dict[str, Any]
        if not self._authorised(headers):
            answer, status = graph_error(190)
        elif problem := body_problem(body):
            answer, status = graph_error(100, details=problem)
        elif is_read:
            answer, status = {"success": True}, 200
        elif rule := self.store.take_failure(to):
            answer, status = graph_error(rule.code, http_status=rule.http_status)
        else:
            assert to is not None  # body_problem checked it
            wamid = f"{self._wamid_prefix}{next(self._wamid_numbers):010d}"
            answer, status = sent_reply(to, wamid), 200
        self.store.record(
            path=path,
            headers={
                k: ("[redacted]" if k.lower() == "authorization" else v) for k, v in headers.items()
            },
            json=body,
            received_at=time.time(),
            received_monotonic=time.monotonic(),
            kind="read" if is_read else "message",
            to=to,
            status=status,
            response=answer,
        )
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("mock send to %s on %s: HTTP %d", mask(to), path, status)
        return _reply(answer, status)

    def _media_info(self, media_id: str, headers: Mapping[str, str], base_url: str) -> MockReply:
        if not self._authorised(headers):
            return _error(190)
        content = _media_bytes(media_id)
        return _reply(
            {
                "messaging_product": "whatsapp",
                "url": f"{base_url}_mock/media/{media_id}",
                "mime_type": "image/jpeg",
                "sha256": hashlib.sha256(content).hexdigest(),
                "file_size": len(content),
                "id": media_id,
            }
        )

    def _wait(self, body: Any) -> MockReply:
        try:
            spec = _WaitSpec.model_validate(body if isinstance(body, dict) else {})
        except ValidationError as exc:
            return _invalid(exc)
        timeout = min(spec.timeout, MAX_WAIT_SECONDS)
        records, reached = self.store.wait_for(spec.count, timeout, spec.to, spec.after)
        messages = [asdict(r) for r in records]
        return _reply({"count": len(messages), "timed_out": not reached, "messages": messages})


def _json_or_none(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _media_bytes(media_id: str) -> bytes:
    return f"waflow mock media {media_id}\n".encode()


def create_mock_graph_app(*, access_token: str | None = None) -> Flask:
    """Serve a :class:`MockGraph` with ``access_token`` as a Flask app (store: ``mock_store(app)``)."""
    app = Flask(__name__)
    mock = MockGraph(access_token)
    app.extensions[EXTENSION_KEY] = mock

    @app.route("/", defaults={"path": ""}, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    @app.route("/<path:path>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    def any_path(path: str) -> Response:
        reply = mock.handle(
            request.method,
            request.path,
            request.args,
            dict(request.headers),
            request.get_data(),
            base_url=request.host_url,
        )
        return Response(reply.body, status=reply.status, mimetype=reply.content_type)

    return app


def mock_store(app: Flask) -> MockGraphStore:
    """Return the store of an app built by :func:`create_mock_graph_app` (for in-process tests)."""
    mock = app.extensions[EXTENSION_KEY]
    assert isinstance(mock, MockGraph)
    return mock.store


__all__ = [
    "ERROR_CATALOGUE",
    "FailureRule",
    "MockGraph",
    "MockGraphStore",
    "MockReply",
    "RecordedRequest",
    "body_problem",
    "create_mock_graph_app",
    "graph_error",
    "mock_store",
    "same_recipient",
    "sent_reply",
]
