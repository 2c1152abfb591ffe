"""Choice questions: matching what people type to an option, and paging long option lists.

This module owns the forgiving side of ``expect: choice`` and ``expect: yes_no``. A tap returns
the option id; typed text is compared after :func:`normalize` (trim, case, accents, emoji and
punctuation dropped) with ids, titles, ordinals ("2", "2.", "#2", "2nd", "second", and in the
customer's language "segunda", "kedua") and declared synonyms, in that order, then with a title
that appears once as whole words in the text ("the chocolate one please"). Yes and no are read
from English words and the customer's language's own ("sí", "não", "iya", "enggak"). It also cuts more than ten options into pages of nine with a
"More…" row, the row that shows the next page. Rendering the pages is :mod:`flows._render`'s job.
:func:`says_intent` is the one rule for typed text firing an intent (runtime and validator);
:class:`IntentIndex` applies it to every message with one dictionary lookup.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from bot.messages import MAX_LIST_ROWS
from flows._model import Intent, Option

MORE_ID = "__more__:"
"""Id prefix of the "More…" row of a long list; the page it shows follows (``__more__:1``)."""
PAGE_SIZE = MAX_LIST_ROWS - 1
"""Options per page of a long list; the tenth row is "More…"."""

_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
    "last": -1,
}  # fmt: skip
ORDINAL_WORDS: Mapping[str, Mapping[str, int]] = {
    "es": {
        "primero": 1, "primera": 1, "primer": 1, "segundo": 2, "segunda": 2,
        "tercero": 3, "tercera": 3, "tercer": 3, "cuarto": 4, "cuarta": 4,
        "quinto": 5, "quinta": 5, "sexto": 6, "sexta": 6, "septimo": 7, "septima": 7,
        "octavo": 8, "octava": 8, "noveno": 9, "novena": 9, "decimo": 10, "decima": 10,
        "ultimo": -1, "ultima": -1,
    },
    "pt_BR": {
        "primeiro": 1, "primeira": 1, "segundo": 2, "segunda": 2, "terceiro": 3,
        "terceira": 3, "quarto": 4, "quarta": 4, "quinto": 5, "quinta": 5,
        "sexto": 6, "sexta": 6, "setimo": 7, "setima": 7, "oitavo": 8, "oitava": 8,
        "nono": 9, "nona": 9, "decimo": 10, "decima": 10,
        "ultimo": -1, "ultima": -1,
    },
    "id": {
        "pertama": 1, "kedua": 2, "ketiga": 3, "keempat": 4, "kelima": 5,
        "keenam": 6, "ketujuh": 7, "kedelapan": 8, "kesembilan": 9, "kesepuluh": 10,
        "terakhir": -1,
    },
}  # fmt: skip
"""Ordinal words of each other language (accents folded, as :func:`normalize` leaves them),
matched besides the English ones: ``segunda``, ``kedua``. Number words (``dos``) count too."""
_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a dozen": 12, "dozen": 12,
    "none": 0, "a couple": 2, "a single": 1, "half a dozen": 6,
}  # fmt: skip
NUMBER_WORDS: dict[str, dict[str, int]] = {
    "es": {
        "cero": 0, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
        "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
        "una docena": 12, "docena": 12, "media docena": 6, "ninguno": 0, "ninguna": 0,
    },
    "pt_BR": {
        "zero": 0, "um": 1, "uma": 1, "dois": 2, "duas": 2, "tres": 3, "quatro": 4, "cinco": 5,
        "seis": 6, "sete": 7, "oito": 8, "nove": 9, "dez": 10, "onze": 11, "doze": 12,
        "uma duzia": 12, "duzia": 12, "meia duzia": 6, "nenhum": 0, "nenhuma": 0,
    },
    "id": {
        "nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6,
        "tujuh": 7, "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11,
        "dua belas": 12, "selusin": 12, "setengah lusin": 6, "tidak ada": 0,
    },
}  # fmt: skip
"""Number words of each other language (accents folded), understood besides the English ones:
by number questions, quantities and ordinals alike (:func:`number_word`)."""


def number_word(text: str, language: str) -> int | None:
    """The number a word stands for, in English or in ``language``: ``dos`` → 2, ``selusin`` →
    12, ``cero`` → 0; ``None`` for anything else."""
    folded = normalize(text)
    return _NUMBER_WORDS.get(folded, NUMBER_WORDS.get(language, {}).get(folded))


_ORDINAL_RE = re.compile(
    r"^(?:#|no\.?|n[º°o]\.?|nr\.?|number|option|opt\.?)?\s*(\d{1,3})\s*(?:st|nd|rd|th)?\s*[.):]?$",
    re.IGNORECASE,
)
_ORDINAL_PHRASE = re.compile(
    r"^(?:(?:the|el|la|lo|o|a|yang|pilihan|nomor|opcion|opcao)\s+)?(\w+)"
    r"(?:\s+(?:one|option|opcion|opcao|pilihan))?$"
)
YES_WORDS = frozenset(
    {"yes", "y", "yeah", "yep", "yup", "sure", "ok", "okay", "of course", "correct", "right"}
    | {"si", "sim", "oui", "ja", "da", "👍", "✅", "true", "affirmative", "please do"}
)
NO_WORDS = frozenset(
    {"no", "n", "nope", "nah", "not really", "no thanks", "no thank you", "non", "nein"}
    | {"nao", "👎", "❌", "false", "negative", "never"}
)
YES_NO_WORDS: Mapping[str, tuple[frozenset[str], frozenset[str]]] = {
    "es": (
        frozenset({"si", "sí", "claro", "vale", "dale", "de acuerdo", "por supuesto", "correcto",
                   "si por favor", "afirmativo", "venga", "perfecto"}),
        frozenset({"no", "nop", "para nada", "no gracias", "nunca", "negativo", "todavia no"}),
    ),
    "pt_BR": (
        frozenset({"sim", "claro", "pode", "pode ser", "com certeza", "certo", "isso",
                   "beleza", "ta", "ok", "sim por favor", "perfeito"}),
        frozenset({"nao", "não", "nao obrigado", "nao obrigada", "nunca", "negativo",
                   "ainda nao"}),
    ),
    "id": (
        frozenset({"ya", "iya", "yoi", "betul", "benar", "boleh", "oke", "siap", "setuju",
                   "tentu", "mau", "ya benar"}),
        frozenset({"tidak", "tdk", "enggak", "engga", "nggak", "ngga", "gak", "ga", "bukan",
                   "jangan", "belum", "tidak usah", "gak usah", "ga usah", "tidak mau"}),
    ),
}  # fmt: skip
"""The yes and no words of each other language, understood besides the English ones
(:data:`YES_WORDS`, :data:`NO_WORDS`) from a customer speaking it."""


def yes_no_words(language: str | None = None) -> tuple[frozenset[str], frozenset[str]]:
    """The words read as yes and as no: English's and ``language``'s, or every language's."""
    languages = [language] if language else list(YES_NO_WORDS)
    yes, no = set(YES_WORDS), set(NO_WORDS)
    for name in languages:
        more_yes, more_no = YES_NO_WORDS.get(name, (frozenset(), frozenset()))
        yes |= more_yes
        no |= more_no
    return frozenset(yes), frozenset(no)


def normalize(text: str) -> str:
    """Fold typed text or a title for comparison: trim, casefold, drop accents, emoji, punctuation.

    Returns:
        Lowercase words separated by single spaces (``"Crème Brûlée 🍮!"`` → ``"creme brulee"``);
        text made only of symbols (``"👍"``) comes back trimmed, so emoji-only answers can match.
    """
    decomposed = unicodedata.normalize("NFKD", text.strip())
    kept: list[str] = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category == "Mn":
            continue
        kept.append(char if category[0] in "LN" else " ")
    folded = " ".join("".join(kept).casefold().split())
    return folded or text.strip()


def says_intent(intent: Intent, text: str) -> bool:
    """True when typed ``text`` fires ``intent``.

    Keywords compare after :func:`normalize` (blank text never fires one); patterns are searched
    in the text, ignoring case.
    """
    folded = normalize(text)
    if folded and any(normalize(keyword) == folded for keyword in intent.keywords):
        return True
    return any(re.search(pattern, text, re.IGNORECASE) for pattern in intent.patterns)


@dataclass(frozen=True, slots=True)
class IntentIndex:
    """Intents in match order, their keywords and payloads indexed, so that finding the intent
    a message fires is one dictionary lookup (and a search for the few with ``regex``).

    Attributes:
        intents: The intents, in match order.
        words: Each keyword after :func:`normalize` → the names of the intents it fires.
        payloads: Each payload → the names of the intents it fires.
    """

    intents: tuple[Intent, ...]
    words: Mapping[str, frozenset[str]]
    payloads: Mapping[str, frozenset[str]]

    @classmethod
    def of(cls, intents: Sequence[Intent]) -> IntentIndex:
        """Index ``intents`` (in match order)."""
        words: dict[str, set[str]] = {}
        payloads: dict[str, set[str]] = {}
        for intent in intents:
            for keyword in intent.keywords:
                words.setdefault(normalize(keyword), set()).add(intent.name)
            for payload in intent.payloads:
                payloads.setdefault(payload, set()).add(intent.name)
        return cls(
            tuple(intents),
            {word: frozenset(names) for word, names in words.items() if word},
            {payload: frozenset(names) for payload, names in payloads.items()},
        )

    def fired(self, choice_id: str | None, text: str | None) -> Iterator[Intent]:
        """The intents a tap on ``choice_id`` or typed ``text`` fires, in match order."""
        names: frozenset[str] = frozenset()
        if choice_id is not None:
            names = self.payloads.get(choice_id, names)
        typed = self.words.get(normalize(text), frozenset()) if text else frozenset()
        for intent in self.intents:
            indexed = intent.name in names or intent.name in typed
            if indexed or (text and any(re.search(p, text, re.I) for p in intent.patterns)):
                yield intent


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a choice list.

    Attributes:
        number: 0-based page number.
        options: The options shown on this page.
        more: True when a "More…" row follows them.
        first: 1-based position of the first option in the whole list.
        total: How many options there are in all.
    """

    number: int
    options: tuple[Option, ...]
    more: bool
    first: int
    total: int


def page_of(options: Sequence[Option], number: int) -> Page:
    """Return page ``number`` (out-of-range numbers wrap around) of ``options``.

    Ten options or fewer fit one page. Longer lists show :data:`PAGE_SIZE` options per page
    plus a "More…" row; "More…" on the last page leads back to the first.
    """
    if len(options) <= MAX_LIST_ROWS:
        return Page(0, tuple(options), False, 1, len(options))
    pages = -(-len(options) // PAGE_SIZE)
    number %= pages
    start = number * PAGE_SIZE
    return Page(number, tuple(options[start : start + PAGE_SIZE]), True, start + 1, len(options))


def _ordinal(text: str, language: str) -> int | None:
    if match := _ORDINAL_RE.match(text.strip()):
        return int(match.group(1))
    phrase = _ORDINAL_PHRASE.match(normalize(text))
    if phrase is None:
        return None
    word = phrase.group(1)
    found = _ORDINAL_WORDS.get(word, ORDINAL_WORDS.get(language, {}).get(word))
    if found is None and (number := number_word(word, language)) is not None and number >= 1:
        found = number
    return found


def match_option(
    options: Sequence[Option],
    *,
    choice_id: str | None,
    text: str | None,
    page: Sequence[Option] | None = None,
    language: str = "en",
) -> Option | None:
    """Find the option the customer meant.

    Args:
        options: Every option of the question.
        choice_id: The id of a tapped button or row, if any.
        text: What the customer typed (or the title of what they tapped).
        page: The options currently shown, when the list is paged; ordinals count on it.
        language: The customer's language: its ordinal words count too (``segunda``).

    Returns:
        The option, or ``None`` when nothing matches or the text is ambiguous.
    """
    tapped = next((option for option in options if option.id == choice_id), None)
    if tapped is not None or not text or not text.strip():
        return tapped
    folded = normalize(text)
    for candidates in (
        [o for o in options if normalize(o.id) == folded or normalize(o.title) == folded],
        [o for o in options if folded in (normalize(s) for s in o.synonyms)],
    ):
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            return None
    starting = [o for o in options if normalize(o.title).startswith(f"{folded} ")]
    if len(starting) == 1:  # "sexta" is Friday ("Sexta-feira"), not the sixth option
        return starting[0]
    position = _ordinal(text, language)
    shown = list(page) if page is not None else list(options)
    if position == -1:
        return shown[-1] if shown else None
    if position is not None and position >= 1:
        if position <= len(shown):
            return shown[position - 1]
        if position <= len(options):
            return options[position - 1]
        return None
    contained = [
        o
        for o in options
        if any(
            len(name) >= 3 and f" {name} " in f" {folded} "
            for name in (normalize(o.title), normalize(o.id), *(normalize(s) for s in o.synonyms))
        )
    ]
    return contained[0] if len(contained) == 1 else None


def match_yes_no(
    *,
    choice_id: str | None,
    text: str | None,
    yes: Sequence[str] = (),
    no: Sequence[str] = (),
    language: str = "en",
) -> bool | None:
    """Read a yes/no answer: a tapped ``yes``/``no`` button, or typed text (``yes`` and ``no``
    add words of each meaning, and the customer's ``language`` its own: ``sí``, ``não``,
    ``iya``, ``enggak``); ``None`` when it is neither."""
    if choice_id in ("yes", "no"):
        return choice_id == "yes"
    if not text:
        return None
    folded = normalize(text)
    own_yes, own_no = YES_NO_WORDS.get(language, (frozenset(), frozenset()))
    if folded in YES_WORDS | {normalize(word) for word in (*own_yes, *yes)}:
        return True
    if folded in NO_WORDS | {normalize(word) for word in (*own_no, *no)}:
        return False
    return None
