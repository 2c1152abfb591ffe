"""The ``waflow i18n`` commands: a business's own message catalogs, from its texts.

``extract`` writes a gettext template (``locales/messages.pot`` next to the business file) of
every text the business sends a customer: its flows' texts (:func:`flows.flow_texts`), the
customer-facing data of its business file (:data:`BUSINESS_TEXTS`) and its hooks' ``texts``
calls. ``update`` creates or updates each language's ``messages.po`` from it, as ``pybabel
init`` and ``pybabel update`` do (they work on the same files). ``waflow validate`` compares
the catalogs with the same texts (:func:`business_texts`). See docs/languages.md.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import click
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

import flows
from bot.config import Config
from bot.errors import ConfigError, FlowError
from bot.messages import MAX_ROW_DESCRIPTION, MAX_ROW_TITLE
from flows import (
    LANGUAGES,
    USER_DOMAIN,
    Hooks,
    Source,
    flow_files,
    flow_texts,
    language_of,
    load_flow,
    read_yaml,
)
from flows.features.cli import fail, reporting
from webhooks.bootstrap import flow_paths

BUSINESS_TEXTS = (
    "business.name",
    "catalog.categories[].title",
    "catalog.categories[].description",
    "catalog.products[].title",
    "catalog.products[].description",
    "services[].title",
    "services[].description",
    "delivery.pickup_address",
    "payments.instructions",
    "surveys.*.title",
    "surveys.*.intro",
    "surveys.*.thanks",
    "surveys.*.already_answered",
    "surveys.*.skip_label",
    "surveys.*.questions[].text",
    "surveys.*.questions[].invalid",
    "surveys.*.questions[].options[]",
    "surveys.*.questions[].options[].title",
    "handoff.release_text",
    "handoff.after_hours_text",
    "consent.stopped_text",
    "consent.started_text",
)
"""The keys of a business file whose text reaches customers (``[]`` is any item, ``*`` any
name): the features show them through ``texts(...)``, so the business's catalogs translate
them."""

TEXT_LIMITS: Mapping[str, int] = {
    "catalog.categories[].title": MAX_ROW_TITLE,
    "catalog.categories[].description": MAX_ROW_DESCRIPTION,
    "catalog.products[].title": MAX_ROW_TITLE,
    "catalog.products[].description": MAX_ROW_DESCRIPTION,
    "services[].title": MAX_ROW_TITLE,
    "services[].description": MAX_ROW_DESCRIPTION,
}
"""The :data:`BUSINESS_TEXTS` shown as a list row's title or description, with WhatsApp's limit
on their length: a translation longer than that does not fit."""

_PACKAGE = Path(flows.__file__).resolve().parent
"""waflow's ``flows`` package: its built-in flows and the features' hooks are not a business's."""
_KINDS: tuple[Literal["action", "validator", "condition"], ...] = (
    "action",
    "validator",
    "condition",
)

HOOK_KEYWORDS: Mapping[str, Any] = {"texts": None, "plural": (1, 2)}
"""The calls of a hooks file whose first argument is a text: ``ctx.texts("...")`` and
``ctx.texts.plural("...", "...", n)`` (their plural forms)."""


def _pattern(key: str) -> str:
    return re.escape(key).replace(r"\[\]", r"\[\d+\]").replace(r"\*", r"[^.\[]+")


_CUSTOMER_KEY = re.compile("|".join(f"(?:{_pattern(key)})" for key in BUSINESS_TEXTS))

_LIMITED = {_pattern(key): limit for key, limit in TEXT_LIMITS.items()}

_FIELD = re.compile(r"\{\w+\}")

Text = str | tuple[str, str]
"""A message id: a text, or a singular and plural pair."""
Found = tuple[Text, str, int | None]
"""A business text and where it is written: ``(id, file, line)``."""


def _leaves(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every text of a YAML document with its key path (``catalog.products[2].title``)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _leaves(child, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _leaves(child, f"{path}[{index}]")


def _read(file: Path) -> tuple[Any, Mapping[str, int]]:
    try:
        data, lines, errors = read_yaml(file.read_text(encoding="utf-8"), str(file))
    except OSError as exc:
        raise ConfigError(f"cannot read the business file: {exc}") from exc
    if errors:
        raise ConfigError(f"invalid business file: {errors[0]}")
    return data, lines


def business_name(file: Path) -> str:
    """The ``business.name`` of a business file, or ``""``.

    Raises:
        ConfigError: The file cannot be read or is not YAML.
    """
    data, _lines = _read(file)
    info = data.get("business") if isinstance(data, dict) else None
    name = info.get("name") if isinstance(info, dict) else None
    return name if isinstance(name, str) else ""


def business_file_texts(file: Path) -> Iterator[Found]:
    """The customer-facing texts of a business file (:data:`BUSINESS_TEXTS`), in file order.

    Raises:
        ConfigError: The file cannot be read or is not YAML.
    """
    data, lines = _read(file)
    for path, text in _leaves(data):
        if _CUSTOMER_KEY.fullmatch(path) and text.strip():
            yield text, str(file), lines.get(path)


def text_limits(file: Path) -> dict[str, int]:
    """The length limit of each text of a business file that has one (:data:`TEXT_LIMITS`),
    the smallest when a text is written in two places.

    Raises:
        ConfigError: The file cannot be read or is not YAML.
    """
    data, _lines = _read(file)
    limits: dict[str, int] = {}
    for path, text in _leaves(data):
        for pattern, limit in _LIMITED.items():
            if re.fullmatch(pattern, path) and text.strip():
                limits[text] = min(limit, limits.get(text, limit))
    return limits


def hook_texts(file: Path) -> Iterator[Found]:
    """The texts of a hooks file's ``ctx.texts(...)`` and ``ctx.texts.plural(...)`` calls."""
    for line, message, _comments, _context in extract_from_file(
        "python", str(file), keywords=HOOK_KEYWORDS, comment_tags=()
    ):
        if isinstance(message, tuple):
            if message[0] and message[1]:
                yield (message[0], message[1]), str(file), line
        elif message:
            yield message, str(file), line


def flows_texts(paths: Iterable[Path]) -> Iterator[Found]:
    """The texts of the flow files under ``paths``.

    Raises:
        FlowError: A flow file cannot be loaded (``waflow validate`` says why).
    """
    for file in flow_files(paths):
        for found in flow_texts(load_flow(file)):
            yield found.text, str(file), found.line


def business_texts(
    business: Path | None, flows: Iterable[Path] = (), hooks: Iterable[Path] = ()
) -> list[Found]:
    """Every text a business sends its customers: its business file's customer-facing data,
    then its flows' texts, then its hooks files' (each as many times as it is written)."""
    found: list[Found] = []
    if business is not None:
        found.extend(business_file_texts(business))
    found.extend(flows_texts(flows))
    for file in hooks:
        found.extend(hook_texts(file))
    return found


def _waflows(path: Path) -> bool:
    """Whether ``path`` is one of waflow's own files (a built-in flow, a feature's hooks)."""
    return path.resolve().is_relative_to(_PACKAGE)


def own_flows(paths: Iterable[Path]) -> list[Path]:
    """The flow files under ``paths`` that are the business's, not waflow's built-in ones."""
    return [file for file in flow_files(paths) if not _waflows(file)]


def hook_files(hooks: Hooks) -> list[Path]:
    """The files defining the hooks of ``hooks`` that are the business's (not waflow's)."""
    files: set[Path] = set()
    for kind in _KINDS:
        for name in hooks.names(kind):
            with suppress(TypeError):  # a builtin or a C function has no source file
                source = inspect.getsourcefile(inspect.unwrap(hooks.get(kind, name)))
                if source is not None and not _waflows(Path(source)):
                    files.add(Path(source))
    return sorted(files)


def _msgid(text: Text) -> str:
    return text if isinstance(text, str) else text[0]


def _flags(text: Text) -> tuple[str, ...]:
    """``python-brace-format`` for a text with ``{name}`` fields (a hook's, a payment's)."""
    first = _msgid(text)
    return ("python-brace-format",) if "{{" not in first and _FIELD.search(first) else ()


def used_ids(found: Iterable[Found]) -> set[str]:
    """The message ids (a plural one by its singular) of ``found``."""
    return {_msgid(text) for text, _file, _line in found}


def template(found: Iterable[Found], base: Path, project: str = "") -> Catalog:
    """A catalog template of ``found``, each text's locations relative to ``base`` (the
    business file's folder)."""
    name = project or "the business"
    header = (
        f"# Translations template for {name}.\n"
        "# The texts it sends its customers, written by `waflow i18n extract` from its business\n"
        "# file, its flows and its hooks; `waflow i18n update` makes each language's catalog.\n#"
    )
    catalog = Catalog(
        project=project or None, domain=USER_DOMAIN, header_comment=header, fuzzy=False
    )
    for text, file, line in found:
        try:
            where = Path(file).resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            where = Path(file).as_posix()
        catalog.add(text, locations=[(where, line or 1)], flags=_flags(text))
    return catalog


def _business_file(config: Config) -> Path:
    raw = config.extra.get("WAFLOW_BUSINESS", "").strip()
    if not raw:
        fail("give the business file: --business FILE (or set WAFLOW_BUSINESS)")
    file = Path(raw)
    if not file.is_file():
        fail(f"no such business file: {file}")
    return file


def catalog_source(business: Path) -> Source:
    """The business's own catalogs: ``locales/`` next to its business file."""
    return Source(business.resolve().parent / "locales", USER_DOMAIN)


def _config(business: Path | None, hooks: Path | None) -> Config:
    config = Config.from_env()
    given = {"WAFLOW_BUSINESS": business, "WAFLOW_HOOKS": hooks}
    extra = {**config.extra, **{name: str(p) for name, p in given.items() if p is not None}}
    return config.with_overrides(extra=extra)


@click.group()
def i18n() -> None:
    """A business's own message catalogs: its texts in its customers' languages.

    They live in locales/<language>/LC_MESSAGES/messages.po next to the business file
    (docs/languages.md). `extract` writes the template of every text the business sends;
    `update` creates or updates each language's catalog from it.
    """


_BUSINESS_OPTION = click.option(
    "--business",
    "business_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The business file [default: $WAFLOW_BUSINESS].",
)
"""Which business file (both commands)."""


@i18n.command()
@_BUSINESS_OPTION
@click.option(
    "--flows",
    "flow_dirs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="The business's flow files or directories (repeatable) [default: $WAFLOW_FLOWS].",
)
@click.option(
    "--hooks",
    "hooks_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The hooks file [default: $WAFLOW_HOOKS]: its ctx.texts(...) calls are extracted.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The template to write [default: locales/messages.pot next to the business file].",
)
def extract(
    business_file: Path | None,
    flow_dirs: tuple[Path, ...],
    hooks_file: Path | None,
    output: Path | None,
) -> None:
    """Write the template (.pot) of every text the business sends its customers.

    The business file's customer-facing data (product, category and service titles and
    descriptions, the pickup address, the payment instructions, survey questions...), the
    texts of its flows (what they say and ask, buttons, list rows, re-prompts, validate
    messages) and its hooks' ctx.texts(...) calls, each with its file and line.
    """
    config = _config(business_file, hooks_file)
    business = _business_file(config)
    hooks_raw = config.extra.get("WAFLOW_HOOKS", "").strip()
    hooks = Path(hooks_raw) if hooks_raw else None
    paths = list(flow_dirs) or flow_paths(config)
    with reporting():
        try:
            found = business_texts(business, paths, [hooks] if hooks else [])
            project = business_name(business)
        except FlowError as exc:
            raise ConfigError(f"{exc} (run `waflow validate`)") from exc
    target = output or catalog_source(business).path / f"{USER_DOMAIN}.pot"
    catalog = template(found, business.resolve().parent, project=project)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as pot:
        write_po(pot, catalog, width=100)
    click.echo(f"wrote {target}: {len(catalog)} text(s)")


@i18n.command()
@_BUSINESS_OPTION
@click.option(
    "--template",
    "-i",
    "pot_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The template [default: locales/messages.pot next to the business file].",
)
@click.option(
    "--language",
    "-l",
    "languages",
    multiple=True,
    help="A language to create or update (repeatable), one of "
    + ", ".join(LANGUAGES[1:])
    + " [default: every language that has a catalog, or all of them when none has].",
)
def update(business_file: Path | None, pot_file: Path | None, languages: tuple[str, ...]) -> None:
    """Create or update each language's messages.po from the template.

    Translations are kept; a new text gets an empty entry (a changed one a fuzzy guess to
    review); an entry no text uses any more is kept as obsolete (#~) at the end of the file.
    """
    business = _business_file(_config(business_file, None))
    source = catalog_source(business)
    pot = pot_file or source.path / f"{USER_DOMAIN}.pot"
    if not pot.is_file():
        fail(f"no template {pot}: run `waflow i18n extract` first")
    existing = sorted(p.parent.parent.name for p in source.path.glob("*/LC_MESSAGES/*.po"))
    chosen = languages or tuple(existing) or LANGUAGES[1:]
    for given in chosen:
        language = language_of(given, default="")
        if not language:
            fail(
                f"waflow does not speak {given!r}: a catalog is read only for one of "
                + ", ".join(LANGUAGES[1:])
                + " (docs/languages.md, Adding a language)"
            )
        if language != given:
            click.echo(f"note: {given!r} is read as {language!r}, the language waflow speaks")
        click.echo(f"{update_catalog(source, language, pot)} {source.file(language)}")


def update_catalog(source: Source, language: str, pot: Path) -> str:
    """Create or update ``source``'s catalog of ``language`` from the template ``pot``.

    Returns:
        ``created`` or ``updated``.
    """
    with pot.open("rb") as file:
        template_catalog = read_po(file, domain=source.domain)
    target = source.file(language)
    if target.is_file():
        catalog = source.read(language)
        catalog.update(template_catalog)
        action = "updated"
    else:
        with pot.open("rb") as file:
            catalog = read_po(file, domain=source.domain)
        catalog.locale = Locale.parse(language)
        for message in catalog:
            if message.pluralizable:  # as many forms as the language has
                message.string = ("",) * catalog.num_plurals
        catalog.revision_date = datetime.now(UTC)
        catalog.fuzzy = False
        action = "created"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as file:
        write_po(file, catalog, width=100)
    return action
