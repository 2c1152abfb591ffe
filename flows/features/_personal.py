"""A feature's personal data in a few lines: :class:`Rows` of its tables in :class:`PersonalTables`.

A feature names, table by table, where a customer's rows are and what erasing does with them:
delete them, or keep them for accounting with the customer column replaced by the pseudonym and
the person's details (an address, a free-text note) cleared. Rows reached through another table
(an order's lines) name that table with ``via``::

    personal_data = PersonalTables(
        Rows(Order, keep=True, clear=("address",)),
        Rows(OrderLine, "order_id", via=Order, keep=True),
        Rows(CartLine),
    )

The feature then points its ``personal_data`` entry at that object (see
:class:`~flows.features._feature.PersonalData`). A table whose rows need more than this (text to
search and replace) implements ``export`` and ``erase`` itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, SQLModel, col, select


@dataclass(frozen=True)
class Rows:
    """One table's rows about a customer, and what erasing does with them.

    Attributes:
        model: The table's SQLModel class.
        column: The column holding the customer's number, or with ``via`` the one holding the
            ``id`` of a row of ``via``.
        via: The table whose customer rows these rows belong to: declared before them, or
            another feature's table with a ``wa_id`` column (the outbox).
        keep: Keep the rows on erasure (for accounting), the customer replaced by the
            pseudonym; otherwise they are deleted.
        clear: Columns set to ``None`` in kept rows (an address, a note).
        omit: Columns left out of the export: who on the staff did something (the customer
            gets the export, and a staff member's identity is not their data).
    """

    model: type[SQLModel]
    column: str = "wa_id"
    via: type[SQLModel] | None = None
    keep: bool = False
    clear: tuple[str, ...] = ()
    omit: tuple[str, ...] = ()

    @property
    def table(self) -> str:
        """The table's name."""
        return str(self.model.__tablename__)


def row_dict(row: SQLModel, omit: tuple[str, ...] = ()) -> dict[str, Any]:
    """A row as JSON-ready values by column (times in ISO 8601), without the ``omit`` ones."""
    return row.model_dump(mode="json", exclude=set(omit))


class PersonalTables:
    """A :class:`~flows.features._feature.PersonalData` made of :class:`Rows` declarations."""

    def __init__(self, *rows: Rows) -> None:
        self.rows: tuple[Rows, ...] = rows

    @property
    def tables(self) -> tuple[str, ...]:
        """The names of the tables covered."""
        return tuple(r.table for r in self.rows)

    def _found(self, session: Session, wa_id: str) -> list[tuple[Rows, Sequence[SQLModel]]]:
        """Every declared table's rows of ``wa_id``, in declaration order."""
        found: list[tuple[Rows, Sequence[SQLModel]]] = []
        ids: dict[type[SQLModel], list[Any]] = {}
        for rows in self.rows:
            column = col(getattr(rows.model, rows.column))
            if rows.via is None:
                query = select(rows.model).where(column == wa_id)
            else:
                query = select(rows.model).where(column.in_(self._ids(session, wa_id, rows, ids)))
            key = rows.model.__table__.primary_key.columns  # type: ignore[attr-defined]
            matches = list(session.exec(query.order_by(*key)))
            ids[rows.model] = [getattr(row, "id", None) for row in matches]
            found.append((rows, matches))
        return found

    @staticmethod
    def _ids(
        session: Session, wa_id: str, rows: Rows, ids: dict[type[SQLModel], list[Any]]
    ) -> list[Any]:
        """The ids of the customer's rows of ``rows.via`` (another feature's: by ``wa_id``)."""
        parent = rows.via
        assert parent is not None
        if parent not in ids:
            columns = parent.__table__.c  # type: ignore[attr-defined]
            ids[parent] = list(session.exec(select(columns.id).where(columns.wa_id == wa_id)))
        return ids[parent]

    def export(self, session: Session, wa_id: str) -> dict[str, list[dict[str, Any]]]:
        """Every declared table's rows of ``wa_id``, by table name (without the omitted columns)."""
        return {
            rows.table: [row_dict(r, rows.omit) for r in found]
            for rows, found in self._found(session, wa_id)
        }

    def erase(self, session: Session, wa_id: str, pseudonym: str, now: datetime) -> dict[str, int]:
        """Delete ``wa_id``'s rows, or keep them pseudonymised and cleared (see :class:`Rows`).

        Returns:
            How many rows of each table were deleted or changed.
        """
        counts: dict[str, int] = {}
        for rows, found in reversed(self._found(session, wa_id)):  # children first
            for row in found:
                if not rows.keep:
                    session.delete(row)
                    continue
                if rows.via is None:
                    setattr(row, rows.column, pseudonym)
                for name in rows.clear:
                    setattr(row, name, None)
                session.add(row)
            counts[rows.table] = len(found)
            session.flush()
        return counts
