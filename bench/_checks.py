"""Correctness after a load run: every input answered exactly once, nothing lost or left behind.

Two independent witnesses are read. The mock Cloud API's record (through
:class:`bench._loadgen.Replies`) must hold, for every customer, exactly the number of replies
the script expects: fewer means a lost or unanswered input, more means a duplicate send. The
bot's database (waflow only) must hold every input as a ``done`` inbound update and every reply
as a ``sent`` outbox row, with the expected number of outbox rows per inbound update.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from storage.models import InboundUpdate, OutboxMessage


@dataclass(frozen=True)
class Delivery:
    """The mock's side: replies received against replies expected.

    Attributes:
        customers: Customers that sent at least one input.
        expected: Replies the script calls for.
        received: Replies the mock recorded for these customers.
        missing: Replies that never came (lost or unanswered inputs).
        duplicates: Replies beyond what was expected (double sends).
    """

    customers: int
    expected: int
    received: int
    missing: int
    duplicates: int

    @property
    def exact(self) -> bool:
        """Every input answered exactly once."""
        return self.missing == 0 and self.duplicates == 0

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, with ``exact``."""
        return {**asdict(self), "exact": self.exact}


def delivery(expected: Mapping[str, int], times: Mapping[str, list[float]]) -> Delivery:
    """Compare the replies each customer got with what it should have got."""
    missing = duplicates = received = 0
    for wa_id, want in expected.items():
        got = len(times.get(wa_id, ()))
        received += got
        missing += max(0, want - got)
        duplicates += max(0, got - want)
    return Delivery(len(expected), sum(expected.values()), received, missing, duplicates)


@dataclass(frozen=True)
class Stored:
    """The database's side (waflow only).

    Attributes:
        inbound: Inbound updates by state (``done``, ``pending``, ``failed``).
        outbox: Outbox rows by state (``sent``, ``pending``, ``failed``).
        inbound_total: All inbound updates.
        outbox_total: All outbox rows.
        wrong_reply_counts: Inbound messages whose number of outbox rows differs from the script.
        db_bytes: Size of the database files (main file plus WAL).
    """

    inbound: dict[str, int]
    outbox: dict[str, int]
    inbound_total: int
    outbox_total: int
    wrong_reply_counts: int
    db_bytes: int

    def complete(self, inputs: int) -> bool:
        """All ``inputs`` stored and done, all replies sent, none with a wrong reply count."""
        return (
            self.inbound_total == inputs
            and self.inbound.get("done", 0) == inputs
            and self.outbox.get("sent", 0) == self.outbox_total
            and self.wrong_reply_counts == 0
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


def stored(db: Path, replies_per_input: Mapping[str, list[int]]) -> Stored:
    """Read the bot's SQLite database after a run.

    Args:
        db: The database file.
        replies_per_input: For each customer, the replies expected for each of its inputs, in
            order (inputs are matched to inbound rows by arrival order per customer).
    """
    inbound_table = str(InboundUpdate.__tablename__)
    outbox_table = str(OutboxMessage.__tablename__)
    uri = f"file:{db}?mode=ro"
    # Table names come from our own models, never from input.
    by_state = "SELECT state, count(*) FROM {} GROUP BY state"
    per_row = "SELECT inbound_id, count(*) FROM {} GROUP BY inbound_id"
    in_order = "SELECT id, wa_id FROM {} ORDER BY id"
    with sqlite3.connect(uri, uri=True, timeout=30) as conn:
        inbound = dict(conn.execute(by_state.format(inbound_table)))
        outbox = dict(conn.execute(by_state.format(outbox_table)))
        per_inbound = Counter(dict(conn.execute(per_row.format(outbox_table))))
        rows = conn.execute(in_order.format(inbound_table)).fetchall()
    seen: Counter[str] = Counter()
    wrong = 0
    for row_id, wa_id in rows:
        wanted = replies_per_input.get(wa_id, [])
        index = seen[wa_id]
        seen[wa_id] += 1
        if index >= len(wanted) or per_inbound.get(row_id, 0) != wanted[index]:
            wrong += 1
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.is_file())
    return Stored(
        inbound={str(k): int(v) for k, v in inbound.items()},
        outbox={str(k): int(v) for k, v in outbox.items()},
        inbound_total=len(rows),
        outbox_total=sum(outbox.values()),
        wrong_reply_counts=wrong,
        db_bytes=size,
    )


__all__ = ["Delivery", "Stored", "delivery", "stored"]
