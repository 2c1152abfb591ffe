"""Inviting customers to a survey: after a delivered order, or from the main menu.

This module owns the invitation: a message with a "Begin" button whose id is the survey's
payload (``survey:<name>``, a trigger of its flow) inside the customer's 24-hour window, the
``survey_invite`` template outside it. Each invitation is recorded under a unique
``(survey, customer, ref)`` key, so an order is asked about once. It is written in the customer's
language (their remembered one, else the business's; the template's parameters in the template's
language), the survey's title and intro through the business's catalog. An invitation is marketing by
Meta's rules: the outbox stores it ``suppressed`` (the invitation still recorded) for a customer
who opted out. :func:`after_delivery` is the
listener of the shop's "order delivered" event (:mod:`flows.features.business.events`).
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial
from typing import Any

from sqlmodel import Session

from bot import messages
from bot.errors import ConfigError
from bot.turn import shown_name
from flows import Texts
from flows.features.business import BusinessConfig, outreach
from flows.features.surveys import models as store
from flows.features.surveys.definitions import SurveyDef

log = logging.getLogger(__name__)

PAYLOAD_PREFIX = "survey:"
LATER_ID = "survey_later"


def payload(survey: SurveyDef) -> str:
    """The button id that starts ``survey`` (a payload trigger of its flow)."""
    return PAYLOAD_PREFIX + survey.name


def surveys_of(config: BusinessConfig) -> list[SurveyDef]:
    """The surveys of a business file, in order."""
    return [s for s in config.surveys.values() if isinstance(s, SurveyDef)]


def answered(session: Session, survey: SurveyDef, wa_id: str) -> bool:
    """Whether ``wa_id`` already answered ``survey`` and may not again (once per contact)."""
    return survey.once_per_contact and store.has_responded(session, survey.name, wa_id)


def invite_message(to: str, survey: SurveyDef, texts: Texts) -> dict[str, Any]:
    """The in-window invitation: intro (or title) and Start / Not now buttons, in ``texts``'s
    language."""
    if survey.intro:
        body = texts(survey.intro)
    else:
        body = texts(
            "Would you answer a few quick questions ({survey})?", survey=texts(survey.title)
        )
    buttons = [(payload(survey), texts("Begin")), (LATER_ID, texts("Not now"))]
    return messages.buttons(to, body, buttons)


def invite(
    session: Session,
    config: BusinessConfig,
    survey: SurveyDef,
    wa_id: str,
    now: datetime,
    *,
    ref: str,
) -> outreach.Sent | None:
    """Invite ``wa_id`` to ``survey`` once per ``ref``, in the caller's transaction.

    Returns:
        ``None`` when not invited (already invited for ``ref``, or already answered a
        once-per-contact survey); otherwise how it was sent (``skipped``: window closed and
        no ``survey_invite`` template; the invitation is then not recorded).

    Raises:
        ConfigError: The ``survey_invite`` template names an unknown parameter.
    """
    if answered(session, survey, wa_id):
        return None
    contact = outreach.find_contact(session, wa_id)
    texts = outreach.customer_texts(session, config, wa_id)
    template = config.templates.survey_invite
    in_template = config.texts(template.language) if template is not None else texts
    values = {
        "name": shown_name(contact.name if contact else None) or "",
        "survey": in_template(survey.title),
        "business": config.business.name,
    }
    return outreach.reach_once(
        session,
        claim=partial(store.record_invite, session, survey.name, wa_id, ref, now),
        send=partial(
            outreach.reach,
            session,
            wa_id,
            now,
            free_form=invite_message(wa_id, survey, texts),
            what=f"invitation to survey {survey.name}",
            template=template,
            values=values,
            category="marketing",
        ),
    )


def after_delivery(
    session: Session, config: BusinessConfig, wa_id: str, order_ref: str, now: datetime
) -> list[str]:
    """Invite the customer to every ``after_delivery`` survey, in the delivery's transaction.

    A broken ``survey_invite`` template is logged, not raised: it must not undo the delivery.

    Returns:
        The names of the surveys an invitation was queued for.
    """
    queued = []
    for survey in (s for s in surveys_of(config) if s.after_delivery):
        try:
            sent = invite(session, config, survey, wa_id, now, ref=order_ref)
        except ConfigError as exc:
            log.error("order %s: survey invitation not sent: %s", order_ref, exc)
            continue
        if sent in ("text", "template"):
            queued.append(survey.name)
    return queued


__all__ = [
    "LATER_ID",
    "PAYLOAD_PREFIX",
    "after_delivery",
    "answered",
    "invite",
    "invite_message",
    "payload",
    "surveys_of",
]
