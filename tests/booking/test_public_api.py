"""Pins the public names of the booking, survey and handoff modules (change them on purpose)."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize(
    ("module", "names"),
    [
        pytest.param(
            "flows.builtin.booking",
            ["BookingError", "Bookings", "Reason", "SlotTakenError"],
            id="flows.builtin.booking",
        ),
        pytest.param(
            "flows.builtin.booking_messages",
            [
                "DAY_PREFIX",
                "SERVICE_PREFIX",
                "TIME_PREFIX",
                "day_rows",
                "list_of",
                "page_pick",
                "parse_clock",
                "parse_day",
                "read_day",
                "read_service",
                "read_time",
                "service_line",
                "service_rows",
                "summary",
                "time_rows",
            ],
            id="flows.builtin.booking_messages",
        ),
        pytest.param(
            "flows.builtin.booking_reminders",
            ["ReminderReport", "due", "reminder_values", "send_reminders"],
            id="flows.builtin.booking_reminders",
        ),
        pytest.param(
            "flows.builtin.hooks_booking",
            ["BOOKING_PREFIX", "register_booking_hooks"],
            id="flows.builtin.hooks_booking",
        ),
        pytest.param(
            "flows.builtin.surveys",
            [
                "AnswerValue",
                "Condition",
                "KINDS",
                "NPS_RANGE",
                "Option",
                "Question",
                "QuestionKind",
                "RATING_RANGE",
                "SurveyDef",
                "parse_survey",
                "parse_surveys",
            ],
            id="flows.builtin.surveys",
        ),
        pytest.param(
            "flows.builtin.survey_flows",
            [
                "SKIP",
                "answers_from_slots",
                "flow_id",
                "slot",
                "survey_flow_data",
                "survey_flow_yaml",
                "survey_flows",
            ],
            id="flows.builtin.survey_flows",
        ),
        pytest.param(
            "flows.builtin.survey_invites",
            [
                "LATER_ID",
                "PAYLOAD_PREFIX",
                "after_delivery",
                "invite",
                "invite_message",
                "payload",
                "surveys_of",
            ],
            id="flows.builtin.survey_invites",
        ),
        pytest.param(
            "flows.builtin.survey_results",
            [
                "QuestionResult",
                "SurveyResults",
                "format_answer",
                "format_results",
                "net_promoter_score",
                "survey_results",
                "write_csv",
            ],
            id="flows.builtin.survey_results",
        ),
        pytest.param(
            "flows.builtin.hooks_survey", ["register_survey_hooks"], id="flows.builtin.hooks_survey"
        ),
        pytest.param(
            "flows.builtin.handoff",
            [
                "BACK_TEXT",
                "HandoffError",
                "paused_contacts",
                "release",
                "request_handoff",
                "staff_alert_text",
            ],
            id="flows.builtin.handoff",
        ),
        pytest.param(
            "flows.builtin.hooks_handoff",
            ["register_handoff_hooks"],
            id="flows.builtin.hooks_handoff",
        ),
        pytest.param(
            "storage.bookings",
            [
                "Booking",
                "BookingCell",
                "aware",
                "bookings_between",
                "busy_cells",
                "claim_reminder",
                "occupy",
                "release",
            ],
            id="storage.bookings",
        ),
        pytest.param(
            "storage.surveys",
            [
                "StoredAnswer",
                "SurveyAnswer",
                "SurveyInvite",
                "SurveyResponse",
                "answer_counts",
                "has_responded",
                "question_counts",
                "record_invite",
                "record_response",
                "response_count",
                "responses",
            ],
            id="storage.surveys",
        ),
        pytest.param(
            "webhooks._cli_booking",
            ["Shop", "bookings", "business_option", "fail", "open_business"],
            id="webhooks._cli_booking",
        ),
        pytest.param("webhooks._cli_survey", ["survey"], id="webhooks._cli_survey"),
        pytest.param("webhooks._cli_handoff", ["handoff"], id="webhooks._cli_handoff"),
    ],
)
def test_exported_names(module: str, names: list[str]) -> None:
    loaded = importlib.import_module(module)
    assert sorted(loaded.__all__) == names
    assert all(hasattr(loaded, name) for name in names)
