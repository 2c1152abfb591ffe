"""Pins the public names of the booking, survey and handoff modules (change them on purpose)."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize(
    ("module", "names"),
    [
        pytest.param(
            "flows.features.booking.booking",
            ["BookingError", "Bookings", "Reason", "SlotTakenError"],
            id="flows.features.booking.booking",
        ),
        pytest.param(
            "flows.features.booking.messages",
            [
                "DAY_PREFIX",
                "SERVICE_PREFIX",
                "TIME_PREFIX",
                "day_label",
                "day_rows",
                "page_pick",
                "parse_day",
                "read_day",
                "read_service",
                "read_time",
                "service_line",
                "service_rows",
                "summary",
                "time_rows",
            ],
            id="flows.features.booking.messages",
        ),
        pytest.param(
            "flows.features.booking.reminders",
            ["ReminderReport", "due", "reminder_values", "send_reminders"],
            id="flows.features.booking.reminders",
        ),
        pytest.param(
            "flows.features.booking.hooks",
            ["BOOKING_PREFIX", "register_booking_hooks"],
            id="flows.features.booking.hooks",
        ),
        pytest.param(
            "flows.features.surveys.definitions",
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
            ],
            id="flows.features.surveys.definitions",
        ),
        pytest.param(
            "flows.features.surveys.generated",
            [
                "SKIP",
                "answer_keys",
                "answers_from_slots",
                "flow_id",
                "slot",
                "survey_flow_data",
                "survey_flow_yaml",
                "survey_flows",
            ],
            id="flows.features.surveys.generated",
        ),
        pytest.param(
            "flows.features.surveys.invites",
            [
                "LATER_ID",
                "PAYLOAD_PREFIX",
                "after_delivery",
                "answered",
                "invite",
                "invite_message",
                "payload",
                "surveys_of",
            ],
            id="flows.features.surveys.invites",
        ),
        pytest.param(
            "flows.features.surveys.results",
            [
                "QuestionResult",
                "SurveyResults",
                "answer_text",
                "format_answer",
                "format_results",
                "net_promoter_score",
                "survey_results",
                "write_csv",
            ],
            id="flows.features.surveys.results",
        ),
        pytest.param(
            "flows.features.surveys.hooks",
            ["register_survey_hooks"],
            id="flows.features.surveys.hooks",
        ),
        pytest.param(
            "flows.features.handoff.handoff",
            [
                "BACK_TEXT",
                "HandoffError",
                "after_hours_text",
                "console_link",
                "echo_listener",
                "last_activity",
                "next_opening",
                "paused_contacts",
                "release",
                "release_idle",
                "release_idle_task",
                "request_handoff",
                "staff_alert_text",
            ],
            id="flows.features.handoff.handoff",
        ),
        pytest.param(
            "flows.features.handoff.models",
            [
                "EVENT_KINDS",
                "EventKind",
                "HandoffEvent",
                "InboxNote",
                "InboxThread",
                "SavedReply",
                "StaffReply",
                "record_event",
            ],
            id="flows.features.handoff.models",
        ),
        pytest.param(
            "flows.features.handoff.hooks",
            ["register_handoff_hooks"],
            id="flows.features.handoff.hooks",
        ),
        pytest.param(
            "flows.features.booking.models",
            [
                "Booking",
                "BookingCell",
                "bookings_between",
                "busy_cells",
                "claim_reminder",
                "occupy",
                "release",
            ],
            id="flows.features.booking.models",
        ),
        pytest.param(
            "flows.features.surveys.models",
            [
                "ALWAYS",
                "Period",
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
            id="flows.features.surveys.models",
        ),
        pytest.param(
            "flows.features.booking.cli",
            ["bookings"],
            id="flows.features.booking.cli",
        ),
        pytest.param("flows.features.surveys.cli", ["survey"], id="flows.features.surveys.cli"),
        pytest.param("flows.features.handoff.cli", ["handoff"], id="flows.features.handoff.cli"),
    ],
)
def test_exported_names(module: str, names: list[str]) -> None:
    loaded = importlib.import_module(module)
    assert sorted(loaded.__all__) == names
    assert all(hasattr(loaded, name) for name in names)
