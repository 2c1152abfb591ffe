"""A test guard: no HTTP request while the calling thread holds a write transaction.

On SQLite a write transaction holds the one write lock every webhook needs to be stored, so a
network call inside one (a payment provider, a media download, a template list) delays every
other customer's acknowledgement for as long as the remote side takes. The autouse fixture
below wraps ``requests.Session.send`` (under ``responses``' mock, so mocked calls count too) and
fails the test that makes such a call, even when the code under test catches the error.

Every test runs under it: ``pyproject.toml`` loads this module as a plugin (``-p``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from storage.db import in_write_transaction


@pytest.fixture(autouse=True)
def no_network_in_write_transaction(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fail the test if an HTTP request is sent inside :func:`storage.db.transaction`.

    Yields:
        The offending requests seen so far (``METHOD host/path``).
    """
    offences: list[str] = []
    send = requests.Session.send

    def guarded(self: requests.Session, request: requests.PreparedRequest, **kwargs: Any) -> Any:
        if in_write_transaction():
            where = urlsplit(str(request.url))
            offences.append(f"{request.method} {where.netloc}{where.path}")
            raise AssertionError(f"HTTP request inside a write transaction: {offences[-1]}")
        return send(self, request, **kwargs)

    monkeypatch.setattr(requests.Session, "send", guarded)
    yield offences
    assert not offences, f"HTTP requests made inside a write transaction: {offences}"
