"""Surveys (:class:`SurveysFeature`): defined in the business file, asked by generated flows.

The modules are ``definitions`` (the ``surveys`` section), ``generated`` (one flow per survey),
``invites``, ``results`` (counts, NPS, CSV), ``hooks``, ``models``, ``cli`` and ``web`` (the
results in the console). Importing the
package registers the tables, the section's reader and the listener that invites customers when
an order is delivered.
"""

from __future__ import annotations

from pathlib import Path

from flows.features._feature import ConsoleLink, Feature
from flows.features.business import events, on_section
from flows.features.surveys import models as _models  # noqa: F401  (registers the tables)
from flows.features.surveys.definitions import SurveyDef, parse_survey
from flows.features.surveys.invites import after_delivery

events.on_order_delivered(after_delivery)
on_section(
    "surveys", lambda key, raw, path, file, lines: parse_survey(raw, path, file=file, lines=lines)
)


class SurveysFeature(Feature):
    """The business file's surveys: the ``survey`` menu flow, one generated flow per survey."""

    name = "surveys"
    personal_data = "flows.features.surveys.personal:survey_data"
    flows_dir = Path(__file__).parent / "flows"
    hook_registrar = "flows.features.surveys.hooks:register_survey_hooks"
    flow_generator = "flows.features.surveys.generated:survey_flows"
    command_group = "flows.features.surveys.cli:survey"
    console_factory = "flows.features.surveys.web:console_pages"
    console_links = (
        ConsoleLink("Surveys", "waflow_surveys_console.overview", owner_only=True, rank=26),
    )


__all__ = ["SurveyDef", "SurveysFeature", "parse_survey"]
