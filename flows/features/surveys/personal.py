"""What surveys keep about a customer (its ``personal_data`` entry): invitations, answers.

After an erasure the invitations and responses stay pseudonymised (the results and response
rates do not change), the ratings with them; every free-text answer is cleared.
"""

from __future__ import annotations

from flows.features._personal import PersonalTables, Rows
from flows.features.surveys.models import SurveyAnswer, SurveyInvite, SurveyResponse

survey_data = PersonalTables(
    Rows(SurveyInvite, keep=True),
    Rows(SurveyResponse, keep=True),
    Rows(SurveyAnswer, "response_id", via=SurveyResponse, keep=True, clear=("value_text",)),
)
"""The surveys' tables about a customer."""

__all__ = ["survey_data"]
