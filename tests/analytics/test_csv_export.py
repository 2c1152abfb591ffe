"""The safe CSV writer: text that a spreadsheet would run as a formula is written as text."""

from __future__ import annotations

import csv
import io

import pytest

from flows.features.business.csv_export import Cell, safe_cell, write_csv


@pytest.mark.parametrize(
    ("value", "written"),
    [
        pytest.param(
            '=HYPERLINK("http://evil.test","x")',
            '\'=HYPERLINK("http://evil.test","x")',
            id="equals",
        ),
        pytest.param("+1", "'+1", id="plus"),
        pytest.param("-2", "'-2", id="minus"),
        pytest.param("@SUM(A1:A2)", "'@SUM(A1:A2)", id="at"),
        pytest.param("\t=1+1", "'\t=1+1", id="tab"),
        pytest.param("\r=1+1", "'\r=1+1", id="carriage-return"),
        pytest.param("Ana = happy", "Ana = happy", id="formula-character-inside"),
        pytest.param("", "", id="empty"),
        pytest.param(None, "", id="none"),
        pytest.param(-2, -2, id="a-number-stays-a-number"),
        pytest.param(1.5, 1.5, id="float"),
    ],
)
def test_safe_cell(value: Cell, written: object) -> None:
    assert safe_cell(value) == written


def test_write_csv_neutralises_every_cell_and_round_trips() -> None:
    out = io.StringIO(newline="")
    count = write_csv(
        out,
        ["name", "=total"],
        [['=HYPERLINK("http://evil.test")', 3], ["@SUM(A1)", -2], ["plain, with comma", None]],
    )
    assert count == 3
    read = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert read == [
        ["name", "'=total"],
        ['\'=HYPERLINK("http://evil.test")', "3"],
        ["'@SUM(A1)", "-2"],
        ["plain, with comma", ""],
    ]
