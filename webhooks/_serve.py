"""Run any WSGI app in a background thread (werkzeug's ``make_server``), for tests and tools.

The socket listens as soon as :func:`serve_in_thread` returns (port 0 picks a free one), so
callers can send requests at once; the handle stops the server cleanly.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

logger = logging.getLogger(__name__)


class _QuietRequestHandler(WSGIRequestHandler):
    """No access log line per request (under load it floods the output); errors still logged."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Log nothing."""


class ServerHandle:
    """A running background server: use it as a context manager, or call :meth:`stop` when done.

    Attributes:
        port: The bound port (the real one when 0 was asked for).
        url: The base URL, for example ``http://127.0.0.1:50123`` (no trailing slash).
    """

    def __init__(self, server: BaseWSGIServer, thread: threading.Thread, host: str) -> None:
        self._server = server
        self._thread = thread
        self.port: int = server.port
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{self.port}"
        self._stopped = False

    @property
    def running(self) -> bool:
        """True until :meth:`stop` has been called and the serving thread has ended."""
        return not self._stopped and self._thread.is_alive()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving, close the socket and wait ``timeout`` for the thread. Safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout)
        logger.debug("stopped server on %s", self.url)

    def wait(self) -> None:
        """Block until the server stops (from another thread or a ``KeyboardInterrupt``).

        Raises:
            KeyboardInterrupt: Re-raised after stopping the server when the user presses Ctrl-C.
        """
        try:
            while self._thread.is_alive():
                self._thread.join(0.5)
        except KeyboardInterrupt:
            self.stop()
            raise

    def __enter__(self) -> ServerHandle:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def serve_in_thread(
    app: WSGIApplication,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    poll_interval: float = 0.05,
) -> ServerHandle:
    """Serve a WSGI ``app`` from a daemon thread (threaded werkzeug server, no access log).

    ``port`` 0 lets the operating system pick a free one; ``poll_interval`` is how often the
    serving loop checks for :meth:`ServerHandle.stop`. The handle returned already accepts
    connections.

    Raises:
        OSError: The address could not be bound (for example, the port is in use).
    """
    try:
        server = make_server(host, port, app, threaded=True, request_handler=_QuietRequestHandler)
    except SystemExit as exc:  # werkzeug prints the reason and exits when it cannot bind
        raise OSError(f"cannot listen on {host}:{port}") from exc

    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": poll_interval},
        name=f"wsgi-{host}:{server.port}",
        daemon=True,
    )
    thread.start()
    handle = ServerHandle(server, thread, host)
    logger.debug("serving on %s", handle.url)
    return handle
