"""A local mock of the WhatsApp Cloud API (Graph) for tests, demos and load runs.

This module owns the fake Graph server: ``POST /<version>/<phone_number_id>/messages`` answers
the way Meta does (success body, ``{"success": true}`` for mark-as-read, Graph error envelopes),
``GET /<version>/<media_id>`` returns a media URL object, and everything sent is recorded in a
thread-safe :class:`MockGraphStore`. Tests drive it through control endpoints under ``/_mock/``:

- ``GET /_mock/messages[?to=]`` the recorded send requests; ``DELETE`` clears them and any
  queued failures.
- ``POST /_mock/fail`` ``{"code", "times", "to"?, "http_status"?}`` makes the next ``times``
  matching message sends (not mark-as-read) fail with that Graph error; ``GET`` lists the queue,
  ``DELETE`` empties it.
- ``POST /_mock/wait`` ``{"count", "timeout", "to"?}`` long-polls until ``count`` requests are
  recorded, so tests never busy-loop.

Point the bot at it with ``WHATSAPP_API_BASE_URL=http://127.0.0.1:8081``.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, replace
from typing import Any

from flask import Flask, Response, jsonify, request

from bot.config import mask
from webhooks._mockgraph_rules import (
    ERROR_CATALOGUE,
    FailureRule,
    body_problem,
    digits,
    failure_rule,
    graph_error,
    same_recipient,
)

logger = logging.getLogger(__name__)

EXTENSION_KEY = "waflow.mockgraph"
MAX_WAIT_SECONDS = 60.0


@dataclass(frozen=True)
class RecordedRequest:
    """One request the mock received on its messages endpoint.

    Attributes:
        seq: 1-based arrival number.
        path: The request path, for example ``/v23.0/123/messages``.
        headers: The request headers, with the ``Authorization`` value replaced.
        json: The parsed JSON body, or ``None`` when it was not JSON.
        received_at: Arrival time, Unix seconds.
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
    kind: str
    to: str | None
    status: int
    response: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """Return the record as a JSON-ready dict."""
        return asdict(self)


class MockGraphStore:
    """Thread-safe record of what the mock received, plus its queue of injected failures."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._records: list[RecordedRequest] = []
        self._failures: list[FailureRule] = []
        self._per_recipient: Counter[str] = Counter()
        self._waiting = 0

    def record(self, **fields: Any) -> RecordedRequest:
        """Append a request (fields of :class:`RecordedRequest` except ``seq``) and wake waiters.

        Returns:
            The stored record.
        """
        with self._cond:
            rec = RecordedRequest(seq=len(self._records) + 1, **fields)
            self._records.append(rec)
            if rec.to is not None:
                self._per_recipient[_recipient_key(rec.to)] += 1
            self._cond.notify_all()
        return rec

    def _select(self, to: str | None) -> list[RecordedRequest]:
        if to is None:
            return list(self._records)
        return [r for r in self._records if same_recipient(to, r.to)]

    def _count(self, to: str | None) -> int:
        # O(1): wait_for re-checks this on every recorded request, so it must not scan.
        return len(self._records) if to is None else self._per_recipient[_recipient_key(to)]

    def requests(self, to: str | None = None) -> list[RecordedRequest]:
        """Return the recorded requests in arrival order, optionally only those to ``to``."""
        with self._cond:
            return self._select(to)

    def reset(self) -> int:
        """Forget every recorded request and queued failure.

        Returns:
            How many records were dropped.
        """
        with self._cond:
            dropped = len(self._records)
            self._records.clear()
            self._per_recipient.clear()
            self._failures.clear()
            return dropped

    def add_failure(self, rule: FailureRule) -> None:
        """Queue ``rule``; rules are consumed in the order they were queued."""
        with self._cond:
            self._failures.append(rule)

    def clear_failures(self) -> None:
        """Drop every queued failure."""
        with self._cond:
            self._failures.clear()

    def pending_failures(self) -> list[FailureRule]:
        """Return copies of the queued failures."""
        with self._cond:
            return [replace(rule) for rule in self._failures]

    def take_failure(self, to: str | None) -> FailureRule | None:
        """Consume one use of the first queued rule matching a send to ``to``.

        Returns:
            The matching rule (as it was before this use), or ``None``.
        """
        with self._cond:
            for i, rule in enumerate(self._failures):
                if same_recipient(rule.to, to):
                    taken = replace(rule)
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
        self, count: int, timeout: float, to: str | None = None
    ) -> tuple[list[RecordedRequest], bool]:
        """Block until at least ``count`` matching requests are recorded, or ``timeout`` passes.

        Args:
            count: How many requests to wait for.
            timeout: The longest wait, in seconds.
            to: Count only sends to this number.

        Returns:
            The matching records and whether ``count`` was reached.
        """
        with self._cond:
            self._waiting += 1
            try:
                reached = self._cond.wait_for(lambda: self._count(to) >= count, timeout)
            finally:
                self._waiting -= 1
            return self._select(to), reached


def _recipient_key(to: str) -> str:
    """The key under which sends to ``to`` are counted; matches :func:`same_recipient`."""
    return digits(to) or to


def _json(payload: Any, status: int = 200) -> tuple[Response, int]:
    return jsonify(payload), status


def create_mock_graph_app(*, access_token: str | None = None) -> Flask:
    """Build the mock Graph API as a Flask app.

    Args:
        access_token: When set, every Graph call must carry ``Authorization: Bearer <token>``;
            others get a 401 with a 190 ``OAuthException`` envelope. ``None`` accepts anything.

    Returns:
        The app; its store is ``mock_store(app)``.
    """
    app = Flask(__name__)
    store = MockGraphStore()
    app.extensions[EXTENSION_KEY] = store
    expected = f"Bearer {access_token}".encode() if access_token else None

    def authorised() -> bool:
        if expected is None:
            return True
        given = request.headers.get("Authorization", "").encode("utf-8", "replace")
        return hmac.compare_digest(given, expected)

    @app.post("/<version>/<phone_number_id>/messages")
    def send(version: str, phone_number_id: str) -> tuple[Response, int]:
        body = request.get_json(force=True, silent=True)
        is_read = isinstance(body, dict) and "status" in body
        to = body.get("to") if isinstance(body, dict) and isinstance(body.get("to"), str) else None
        answer: dict[str, Any]
        if not authorised():
            answer, status = graph_error(190)
        elif problem := body_problem(body):
            answer, status = graph_error(100, details=problem)
        elif is_read:
            answer, status = {"success": True}, 200
        elif rule := store.take_failure(to):
            answer, status = graph_error(rule.code, http_status=rule.http_status)
        else:
            assert to is not None  # _body_problem checked it
            answer = {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": digits(to)}],
                "messages": [{"id": f"wamid.mock.{uuid.uuid4().hex}"}],
            }
            status = 200
        headers = {
            k: ("[redacted]" if k.lower() == "authorization" else v)
            for k, v in request.headers.items()
        }
        store.record(
            path=request.path,
            headers=headers,
            json=body,
            received_at=time.time(),
            kind="read" if is_read else "message",
            to=to,
            status=status,
            response=answer,
        )
        logger.debug("mock send to %s on %s: HTTP %d", mask(to), phone_number_id, status)
        return _json(answer, status)

    @app.get("/<version>/<media_id>")
    def media_info(version: str, media_id: str) -> tuple[Response, int]:
        if version.startswith("_"):
            return _json(*_unknown_path())
        if not authorised():
            return _json(*graph_error(190))
        content = _media_bytes(media_id)
        return _json(
            {
                "messaging_product": "whatsapp",
                "url": f"{request.host_url}_mock/media/{media_id}",
                "mime_type": "image/jpeg",
                "sha256": hashlib.sha256(content).hexdigest(),
                "file_size": len(content),
                "id": media_id,
            }
        )

    @app.get("/_mock/media/<media_id>")
    def media_download(media_id: str) -> Response | tuple[Response, int]:
        if not authorised():
            return _json(*graph_error(190))
        return Response(_media_bytes(media_id), mimetype="image/jpeg")

    @app.get("/_mock/messages")
    def list_messages() -> tuple[Response, int]:
        records = store.requests(request.args.get("to"))
        return _json({"count": len(records), "messages": [r.as_dict() for r in records]})

    @app.delete("/_mock/messages")
    def reset_messages() -> tuple[Response, int]:
        return _json({"cleared": store.reset()})

    @app.post("/_mock/fail")
    def queue_failure() -> tuple[Response, int]:
        spec = request.get_json(force=True, silent=True)
        try:
            rule = failure_rule(spec)
        except ValueError as exc:
            return _json({"error": str(exc)}, 400)
        store.add_failure(rule)
        return _json({"queued": asdict(rule), "pending": len(store.pending_failures())}, 201)

    @app.get("/_mock/fail")
    def list_failures() -> tuple[Response, int]:
        return _json({"pending": [asdict(r) for r in store.pending_failures()]})

    @app.delete("/_mock/fail")
    def clear_failures() -> tuple[Response, int]:
        store.clear_failures()
        return _json({"pending": []})

    @app.post("/_mock/wait")
    def wait() -> tuple[Response, int]:
        spec = request.get_json(force=True, silent=True)
        spec = spec if isinstance(spec, dict) else {}
        count, timeout, to = spec.get("count", 1), spec.get("timeout", 5.0), spec.get("to")
        if not (isinstance(count, int) and count >= 0) or isinstance(count, bool):
            return _json({"error": "count must be an integer >= 0"}, 400)
        if not isinstance(timeout, int | float) or timeout < 0:
            return _json({"error": "timeout must be a number of seconds >= 0"}, 400)
        if to is not None and not isinstance(to, str):
            return _json({"error": "to must be a string"}, 400)
        records, reached = store.wait_for(count, min(float(timeout), MAX_WAIT_SECONDS), to)
        return _json(
            {
                "count": len(records),
                "timed_out": not reached,
                "messages": [r.as_dict() for r in records],
            }
        )

    @app.errorhandler(404)
    @app.errorhandler(405)
    def unknown_path(_exc: Exception) -> tuple[Response, int]:
        return _json(*_unknown_path())

    return app


def _unknown_path() -> tuple[dict[str, Any], int]:
    return graph_error(2500, details=f"Unknown path components: {request.path}")


def _media_bytes(media_id: str) -> bytes:
    return f"waflow mock media {media_id}\n".encode()


def mock_store(app: Flask) -> MockGraphStore:
    """Return the store of an app built by :func:`create_mock_graph_app`.

    Args:
        app: The mock app.

    Returns:
        Its thread-safe store, for in-process tests that skip the HTTP control endpoints.
    """
    store = app.extensions[EXTENSION_KEY]
    assert isinstance(store, MockGraphStore)
    return store


__all__ = [
    "ERROR_CATALOGUE",
    "FailureRule",
    "MockGraphStore",
    "RecordedRequest",
    "create_mock_graph_app",
    "graph_error",
    "mock_store",
]
