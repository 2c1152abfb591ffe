"""A tiny built-in conversation: proves the path end to end when no flows are configured.

It answers every message: a menu of reply buttons for text (an edited text too), the chosen
entry for a button, a short note for other edits and for an answer to a call permission
request, and a friendly word for what it cannot read yet ("I can't read stickers yet").
"""

from __future__ import annotations

from bot import inbound, messages
from bot.turn import Turn

MENU = (("hours", "Opening hours"), ("about", "About waflow"), ("human", "Talk to a person"))
ANSWERS = {
    "hours": "We are open Monday to Saturday, 9:00 to 18:00.",
    "about": "This bot runs on waflow: YAML flows for WhatsApp. Replace me with your own flows.",
    "human": "A person will get back to you here soon.",
}
_CANNOT_READ = {
    "sticker": "stickers",
    "image": "images",
    "video": "videos",
    "audio": "voice notes and audio",
    "document": "documents",
    "location": "locations",
    "contacts": "contact cards",
    "order": "catalog orders",
}


class StarterHandler:
    """Answers every message with a small menu; a stand-in until flows are configured."""

    EDIT_TEXT = "Got your edit. If you need something, please tell me in a new message."
    CALL_ACCEPTED_TEXT = "Thank you! You have allowed us to call you on WhatsApp."
    CALL_REJECTED_TEXT = "OK, we won't call you. You can keep writing to us here."

    def handle(self, turn: Turn) -> None:
        """Reply to one message; see :class:`bot.turn.Handler`."""
        message = turn.message
        to = turn.contact.wa_id
        unsupported = getattr(message, "unsupported_type", None)  # Meta's real type, if sent
        if unsupported == "reaction" or isinstance(
            message, inbound.ReactionMessage | inbound.RevokeMessage | inbound.SystemMessage
        ):
            return  # nothing was asked: reactions, deletions and system notices need no answer
        if isinstance(message, inbound.CallPermissionReply):
            if not message.automatic:
                text = self.CALL_ACCEPTED_TEXT if message.accepted else self.CALL_REJECTED_TEXT
                turn.reply(messages.text(to, text))
            return
        if isinstance(message, inbound.EditMessage) or unsupported == "edit":
            edited = getattr(message, "edited", None)
            if not isinstance(edited, inbound.TextMessage):  # an edited caption is no question
                turn.reply(messages.text(to, self.EDIT_TEXT))
                return
            message = edited  # answer the corrected text
        choice = message.choice_id
        if choice in ANSWERS:
            turn.reply(messages.text(to, ANSWERS[choice]))
            return
        if isinstance(
            message,
            inbound.TextMessage | inbound.ButtonReply | inbound.ListReply | inbound.RequestWelcome,
        ):
            name = turn.contact_name or "there"
            turn.reply(messages.buttons(to, f"Hi {name}! How can I help?", list(MENU)))
            return
        what = _CANNOT_READ.get(message.type, "this kind of message")
        turn.reply(messages.text(to, f"Sorry, I can't read {what} yet. Please type your message."))


__all__ = ["StarterHandler"]
