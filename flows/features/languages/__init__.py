"""The language switch (:class:`LanguagesFeature`): a customer chooses the language the bot
writes in, and the choice is remembered.

"language" ("idioma", "língua", "bahasa", 🌐...) works from every state, the menus included: it
answers with the languages waflow has, each titled in its own language and the current one
marked. The choice is stored on the customer's contact (``Contact.language``) in the turn's
transaction, confirmed in the new language, and the customer is back at the question they were
at (or at the main menu). A language's own name ("español") switches at once. The modules are
``hooks`` (the ``languages.*`` hooks) and ``switch`` (the handler wrapper that puts the
conversation back).
"""

from __future__ import annotations

from pathlib import Path

from flows.features._feature import Feature
from flows.features.languages.hooks import LANGUAGE_NAMES


class LanguagesFeature(Feature):
    """The ``languages`` flow, its hooks, and the way back to where the customer was."""

    name = "languages"
    flows_dir = Path(__file__).parent / "flows"
    hook_registrar = "flows.features.languages.hooks:register_language_hooks"
    handler_wrapper = "flows.features.languages.switch:language_switch"


__all__ = ["LANGUAGE_NAMES", "LanguagesFeature"]
