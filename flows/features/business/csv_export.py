"""CSV exports that a spreadsheet cannot run: every text cell is neutralised against formulas.

A spreadsheet reads a cell starting with ``=``, ``+``, ``-`` or ``@`` as a formula (and a leading
tab or carriage return can hide one), so a customer who names themselves
``=HYPERLINK("http://evil", "click")`` could make a staff member's spreadsheet open links or
leak data (CSV injection, as OWASP describes it). :func:`safe_cell` prefixes such text with
``'``, which spreadsheets show as plain text; numbers the code itself writes stay numbers. The
standard :mod:`csv` module does the quoting.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell as a formula."""

Cell = str | int | float | None
"""What a row may hold: text is neutralised, numbers are written as they are, ``None`` empty."""


def safe_cell(value: Cell) -> str | int | float:
    """``value`` as a CSV cell no spreadsheet reads as a formula.

    Args:
        value: Text (a leading ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a ``'``
            in front), a number (written as it is: ``-2`` is a number, not a formula) or
            ``None`` (an empty cell).
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(out: TextIO, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> int:
    """Write ``header`` and ``rows`` to ``out`` (opened with ``newline=""``), every cell safe.

    Returns:
        The number of rows written after the header.
    """
    writer = csv.writer(out)
    writer.writerow([safe_cell(name) for name in header])
    count = 0
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
        count += 1
    return count


__all__ = ["FORMULA_STARTS", "Cell", "safe_cell", "write_csv"]
