"""Consent imported from a CSV file: the choices customers made in another system.

A shop moving to waflow brings its list of who agreed to offers and who asked to stop, usually
as a spreadsheet export. :func:`read_choices` reads it: a header line naming the columns
``phone`` and ``status`` (``at`` and ``note`` optional, other columns ignored), separated by
commas, semicolons or tabs, in UTF-8 with or without a byte order mark (else Windows-1252, as
older spreadsheets save). A status is ``in`` / ``out`` or a usual synonym (:data:`OPTED_IN`,
:data:`OPTED_OUT`); ``at`` is an ISO 8601 time, in the shop's time zone unless it says its
offset; numbers are read by :func:`storage.models.wa_id_from`. Every line is checked before
anything is written, and each problem is reported with its line number.

:func:`apply_choices` then writes the ledger (source ``import``) in the caller's transaction:

* the customer's recorded choice is the file's: nothing is written (importing the same file
  twice adds nothing); a customer who never chose gets the file's opt-in recorded;
* the customer made a different choice after the line's ``at``: it stands, and the line is
  counted as superseded (an old list never undoes a STOP sent since);
* a number the database does not know yet becomes a contact (who has not written yet), so their
  choice holds from their first message and a broadcast to those opted in reaches them; with
  ``create=False`` such a line is an error instead.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from flows.features.business.outreach import find_contact
from flows.features.business.timestamps import as_utc
from flows.features.consent.consent import fold
from flows.features.consent.models import Opted, change
from flows.features.consent.staff import ConsentError, add_customer, clean_note
from flows.features.console.forms import FormError, parse_moment
from storage.models import wa_id_from

OPTED_IN: frozenset[str] = frozenset(
    {"in", "opted in", "opt in", "yes", "y", "true", "1", "subscribed", "subscribe", "si", "sim"}
)
"""Statuses (:func:`~flows.features.consent.consent.fold`-ed) that mean marketing is welcome."""
OPTED_OUT: frozenset[str] = frozenset(
    {"out", "opted out", "opt out", "no", "n", "false", "0", "unsubscribed", "unsubscribe", "stop"}
)
"""Statuses that mean the customer asked for no marketing."""
COLUMNS: dict[str, tuple[str, ...]] = {
    "phone": ("phone", "number", "phone number", "wa id", "whatsapp", "mobile"),
    "status": ("status", "consent", "marketing", "opted"),
    "at": ("at", "time", "date", "when"),
    "note": ("note", "notes", "comment"),
}
"""Each column and the header names (folded) that name it; ``phone`` and ``status`` are required."""

_SEPARATORS = ",;\t"
_FLOAT_EXPORT = re.compile(r"^\+?\d+\.0+$")  # 34600111222.0: a number cell saved as a float
_SHORTENED = re.compile(r"^\+?\d(\.\d+)?e\+?\d+$", re.I)  # 3.46E+10: digits already lost


@dataclass(frozen=True)
class Choice:
    """One line of the file, checked.

    Attributes:
        line: Its line number in the file (the header is line 1).
        wa_id: The customer's number, digits only.
        opted: ``"in"`` or ``"out"``.
        at: When the customer chose (aware), or ``None``: now.
        note: The line's note.
    """

    line: int
    wa_id: str
    opted: Opted
    at: datetime | None
    note: str


@dataclass(frozen=True)
class LineError:
    """A line that cannot be imported, and why."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class ChoiceFile:
    """What :func:`read_choices` found: the good lines, the bad ones, the columns not read."""

    choices: list[Choice]
    errors: list[LineError]
    ignored_columns: tuple[str, ...] = ()


@dataclass
class ImportReport:
    """What :func:`apply_choices` did (or, in a dry run, would do).

    Attributes:
        opted_out: Customers now opted out.
        opted_in: Customers now opted in.
        unchanged: Lines that repeat the customer's current choice.
        superseded: Lines older than a different choice the customer made since.
        new_contacts: Contacts added for numbers not known yet.
        errors: Lines not imported (unknown numbers with ``create=False``).
    """

    opted_out: int = 0
    opted_in: int = 0
    unchanged: int = 0
    superseded: int = 0
    new_contacts: int = 0
    errors: list[LineError] = field(default_factory=list)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ConsentError("the file is neither UTF-8 nor Windows-1252 text") from None


def _separator(header: str) -> str:
    counts = {sep: header.count(sep) for sep in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _columns(header: list[str]) -> tuple[dict[str, int], tuple[str, ...]]:
    names = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}
    found: dict[str, int] = {}
    ignored: list[str] = []
    for index, raw in enumerate(header):
        column = names.get(fold(raw))
        if column is None or column in found:
            if raw.strip():
                ignored.append(raw.strip())
            continue
        found[column] = index
    missing = [c for c in ("phone", "status") if c not in found]
    if missing:
        raise ConsentError(
            f"the first line must name the columns: {' and '.join(missing)} not found "
            f"(it reads {', '.join(repr(h) for h in header[:10]) or 'nothing'})"
        )
    return found, tuple(ignored)


def _phone(cell: str) -> str:
    typed = cell.strip().lstrip("'")  # a leading ' marks text in spreadsheets and our exports
    if not typed:
        raise ConsentError("no phone number")
    if _SHORTENED.match(typed):
        raise ConsentError(
            f"{typed!r} is a number the spreadsheet shortened: format the column as text "
            "and export it again"
        )
    if _FLOAT_EXPORT.match(typed):
        typed = typed.partition(".")[0]
    wa_id = wa_id_from(typed)
    if wa_id is None:
        raise ConsentError(
            f"{typed[:30]!r} is not a phone number in international form (country code first)"
        )
    return wa_id


def _opted(cell: str) -> Opted:
    status = fold(cell)
    if status in OPTED_IN:
        return "in"
    if status in OPTED_OUT:
        return "out"
    raise ConsentError(f"status {cell.strip()[:30]!r} is neither in nor out (in, out, yes, no...)")


def _at(cell: str, zone: ZoneInfo, now: datetime) -> datetime | None:
    if not cell.strip():
        return None
    try:
        moment = parse_moment(cell, zone, now)
    except FormError as exc:
        raise ConsentError(f"time {exc}") from None
    if moment > now:
        raise ConsentError(f"time {cell.strip()[:30]!r} is in the future")
    return moment


def _choice(
    line: int, row: list[str], columns: dict[str, int], zone: ZoneInfo, now: datetime
) -> Choice:
    def cell(column: str) -> str:
        index = columns.get(column)
        return row[index] if index is not None and index < len(row) else ""

    return Choice(
        line=line,
        wa_id=_phone(cell("phone")),
        opted=_opted(cell("status")),
        at=_at(cell("at"), zone, now),
        note=clean_note(cell("note")),
    )


def read_choices(data: bytes, zone: ZoneInfo, now: datetime) -> ChoiceFile:
    """Read and check a CSV file of consent choices (see the module's description).

    Args:
        data: The file's bytes.
        zone: The shop's time zone, for an ``at`` without an offset.
        now: The current time (an ``at`` after it is an error).

    Returns:
        The good lines in file order, and the errors.

    Raises:
        ConsentError: The file cannot be read at all: a spreadsheet's own format, not text, or
            no header naming ``phone`` and ``status``.
    """
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ConsentError("this is a spreadsheet file, not CSV: save it as CSV first")
    text = _decode(data)
    first = text.lstrip("\r\n").partition("\n")[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(first))
    choices: list[Choice] = []
    errors: list[LineError] = []
    columns: dict[str, int] | None = None
    ignored: tuple[str, ...] = ()
    start = 1
    try:
        for row in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue  # blank lines, and the trailing ones spreadsheets add
            if columns is None:
                columns, ignored = _columns(row)
                continue
            try:
                choices.append(_choice(line, row, columns, zone, now))
            except ConsentError as exc:
                errors.append(LineError(line, str(exc)))
    except csv.Error as exc:
        errors.append(LineError(start, f"not CSV: {exc}"))
    if columns is None:
        raise ConsentError("the file is empty: it needs a header line (phone,status)")
    return ChoiceFile(choices, errors, ignored)


def apply_choices(
    session: Session, choices: list[Choice], now: datetime, *, source_name: str, create: bool = True
) -> ImportReport:
    """Write ``choices`` to the ledger (source ``import``) in the caller's transaction.

    Args:
        session: The open transaction.
        choices: The lines, in file order (:func:`read_choices`).
        now: The time of a line without ``at``.
        source_name: The file's name, kept with each event.
        create: Add a contact for a number not known yet (else the line is an error).

    Returns:
        What was written.
    """
    report = ImportReport()
    for choice in choices:
        contact = find_contact(session, choice.wa_id)
        if contact is None:
            if not create:
                report.errors.append(LineError(choice.line, "no customer has this number"))
                continue
            contact = add_customer(session, choice.wa_id, now)
            report.new_contacts += 1
        at = choice.at or now
        last = contact.marketing_changed_at
        differs = contact.marketing_opt_out != (choice.opted == "out")
        if differs and last is not None and as_utc(last) > at:
            report.superseded += 1
            continue
        detail: dict[str, object] = {"file": source_name, "line": choice.line}
        if choice.note:
            detail["note"] = choice.note
        if change(session, contact, choice.opted, "import", at, detail) is None:
            report.unchanged += 1
        elif choice.opted == "out":
            report.opted_out += 1
        else:
            report.opted_in += 1
    return report


__all__ = [
    "COLUMNS",
    "OPTED_IN",
    "OPTED_OUT",
    "Choice",
    "ChoiceFile",
    "ImportReport",
    "LineError",
    "apply_choices",
    "read_choices",
]
