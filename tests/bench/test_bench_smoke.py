"""The benchmark harness end to end in ``--quick`` mode: correctness only, never timing.

It runs ``python -m bench --quick`` in process (the mock Cloud API and the bot under gunicorn
are real child processes on loopback), two customers walking three steps of the starter script,
then the fixed-rate phase, and checks that every input was answered exactly once and that the
database holds every input as done and every reply as sent. The pywa baseline is left out with
the harness's own ``--no-baseline`` option (pywa belongs to the ``bench`` extra, not to CI).
"""

from __future__ import annotations

from typing import Any

import pytest

from bench.__main__ import main


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    """One quick run shared by the tests below."""
    return main(["--quick", "--no-baseline"])


@pytest.mark.parametrize("phase", ["closed", "open"])
def test_every_input_is_answered_exactly_once(report: dict[str, Any], phase: str) -> None:
    figures = report["waflow"][phase]
    check = figures["delivery"]
    assert figures["failures"] == []
    assert figures["sent"] == figures["acked"] == figures["answered"] > 0
    assert check["missing"] == 0
    assert check["duplicates"] == 0
    assert check["exact"] is True


def test_the_closed_loop_walks_two_customers_through_three_steps(report: dict[str, Any]) -> None:
    closed = report["waflow"]["closed"]
    assert closed["sent"] == 2 * 3
    assert closed["delivery"]["customers"] == 2
    assert closed["delivery"]["expected"] == closed["delivery"]["received"] == 6


def test_the_database_holds_every_input_done_and_every_reply_sent(report: dict[str, Any]) -> None:
    storage = report["waflow"]["storage"]
    inputs = report["waflow"]["closed"]["sent"] + report["waflow"]["open"]["sent"]
    assert storage["complete"] is True
    assert storage["inbound_total"] == storage["inbound"]["done"] == inputs
    assert storage["outbox"] == {"sent": storage["outbox_total"]}
    assert storage["wrong_reply_counts"] == 0


def test_the_report_has_every_figure_of_the_table(report: dict[str, Any]) -> None:
    waflow = report["waflow"]
    for phase in ("closed", "open"):
        for key in ("messages_per_s", "ack_ms", "e2e_ms", "bot_cpu_ms_per_message"):
            assert key in waflow[phase]
    assert waflow["peak_rss_mb"] > 0
    assert "pywa" not in report
