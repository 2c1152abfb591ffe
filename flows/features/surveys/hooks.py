"""The survey hooks: what the generated survey flows and ``survey.yaml`` call.

:func:`register_survey_hooks` adds ``survey.begin``, ``survey.question``, ``survey.save`` and
``survey.invite`` to a :class:`flows.Hooks` registry (each listed with what it returns in
docs/business.md); they work in the turn's transaction, and write in the customer's language.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.config import mask
from bot.errors import FlowError
from flows import HookContext, Hooks
from flows.features.business import BusinessConfig
from flows.features.surveys import models as store
from flows.features.surveys.definitions import SurveyDef
from flows.features.surveys.generated import answers_from_slots
from flows.features.surveys.invites import LATER_ID, answered, invite_message, surveys_of

log = logging.getLogger(__name__)


def register_survey_hooks(hooks: Hooks, business: BusinessConfig) -> Hooks:
    """Register the ``survey.*`` actions for ``business`` on ``hooks``, and return ``hooks``.

    Raises:
        FlowError: A ``survey.*`` hook is already registered.
    """
    by_name = {s.name: s for s in surveys_of(business)}

    def survey_of(ctx: HookContext) -> SurveyDef:
        name = str(ctx.args.get("survey", ""))
        if name not in by_name:
            raise FlowError(f"the business file has no survey named {name!r}")
        return by_name[name]

    @hooks.action("survey.begin")
    def begin(ctx: HookContext) -> str:
        return "answered" if answered(ctx.session, survey_of(ctx), ctx.contact.wa_id) else "ok"

    @hooks.action("survey.question")
    def question(ctx: HookContext) -> None:
        """Before a typed question: its text in the customer's language (``question``, from the
        business's catalog) and a text answer's longest length (``limit``)."""
        asked = survey_of(ctx).question(str(ctx.args.get("id", "")))
        if asked.kind == "nps":
            ctx.set_slot("question", ctx.texts(asked.text))
        else:
            ctx.set_slot("limit", asked.max_length)

    @hooks.action("survey.save")
    def save(ctx: HookContext) -> str:
        survey = survey_of(ctx)
        response = store.record_response(
            ctx.session,
            survey.name,
            ctx.contact.wa_id,
            answers_from_slots(survey, ctx.slots),
            once_per_contact=survey.once_per_contact,
            now=ctx.now,
        )
        if response is None:
            return "answered"
        log.info("survey %s answered by %s", survey.name, mask(ctx.contact.wa_id))
        return "saved"

    @hooks.action("survey.invite")
    def invite(ctx: HookContext) -> dict[str, Any]:
        if ctx.message is not None and ctx.message.choice_id == LATER_ID:
            return {"status": "later"}
        for survey in by_name.values():
            if not answered(ctx.session, survey, ctx.contact.wa_id):
                ctx.reply(invite_message(ctx.to, survey, ctx.texts))
                return {"status": "sent", "survey": survey.name}
        return {"status": "none"}

    return hooks


__all__ = ["register_survey_hooks"]
