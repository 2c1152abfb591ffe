"""The baseline bot: a minimal pywa 4.x bot on Flask that answers every message, for comparison.

It mirrors waflow's built-in starter bot message for message (a text gets the same three
reply buttons, a button tap gets the same answer text), so both bots send the same payloads to
the same mock and the load generator can walk the same script against either. It keeps pywa's
defaults that matter for the comparison: the signature check (``app_secret``), the duplicate
filter (the harness sends unique message ids, so it never skips work), and handlers running
inside the webhook request, which is how pywa serves a Flask app. It persists nothing.

Serve it with ``gunicorn 'bench._pywa_app:create_app()'`` and the same ``WHATSAPP_*`` variables
as waflow; ``WHATSAPP_API_BASE_URL`` points pywa's Graph session at the mock (pywa hard-codes
``https://graph.facebook.com`` as its session's ``base_url``, so the factory replaces it).
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

GREETING = "Hi {name}! How can I help?"
MENU = (("hours", "Opening hours"), ("about", "About waflow"), ("human", "Talk to a person"))
ANSWERS = {
    "hours": "We are open Monday to Saturday, 9:00 to 18:00.",
    "about": "This bot runs on waflow: YAML flows for WhatsApp. Replace me with your own flows.",
    "human": "A person will get back to you here soon.",
}
CANNOT_READ = "Sorry, I can't read this kind of message yet. Please type your message."


def create_app() -> Flask:
    """Build the Flask app with pywa's webhook routes on ``/webhook`` and a ``/healthz``."""
    from pywa import filters, utils
    from pywa.client import WhatsApp
    from pywa.types.callback import Button

    version = os.environ.get("WHATSAPP_API_VERSION", "v23.0").lstrip("v")
    base = os.environ["WHATSAPP_API_BASE_URL"].rstrip("/")
    app = Flask("pywa_baseline")
    wa: Any = WhatsApp(
        phone_id=os.environ["WHATSAPP_PHONE_NUMBER_ID"],
        token=os.environ["WHATSAPP_ACCESS_TOKEN"],
        server=app,
        webhook_endpoint="/webhook",
        verify_token=os.environ.get("WHATSAPP_VERIFY_TOKEN") or "bench-verify",
        app_secret=os.environ["WHATSAPP_APP_SECRET"],
        api_version=version,
        # Reply to the phone number like waflow does (pywa's default prefers the BSUID).
        user_identifier_priority=(
            utils.UserIdentifier.WA_ID,
            utils.UserIdentifier.BSUID,
            utils.UserIdentifier.PARENT_BSUID,
        ),
    )
    wa.api._session.base_url = f"{base}/v{version}"
    menu = [Button(title=title, callback_data=key) for key, title in MENU]

    @wa.on_message(filters.text)
    def greet(_: Any, msg: Any) -> None:
        msg.reply_text(GREETING.format(name=msg.from_user.name or "there"), buttons=menu)

    @wa.on_message()
    def other(_: Any, msg: Any) -> None:
        msg.reply_text(CANNOT_READ)

    @wa.on_callback_button()
    def chosen(_: Any, clb: Any) -> None:
        clb.reply_text(ANSWERS.get(str(clb.data), GREETING.format(name="there")))

    @wa.on_callback_selection()
    def selected(_: Any, sel: Any) -> None:
        sel.reply_text(ANSWERS.get(str(sel.data), GREETING.format(name="there")))

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


__all__ = ["create_app"]
