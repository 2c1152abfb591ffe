"""Loading the business file: one YAML file per shop, read into a frozen, checked configuration.

This module owns loading; :mod:`flows.features.business._model` declares the sections. Every
mistake is reported with the file, the line and the key path, all at once (checks across a
section, such as an unknown category, once the section itself is valid). ``stock`` is the
*opening* stock: the live level is kept in the database (:mod:`flows.features.shop.models`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from bot.errors import FlowError
from flows import Record, line_of, read_typed, read_yaml
from flows.features.business._model import BusinessConfig, BusinessFile
from flows.features.business.money import is_currency

_FEATURE_SECTIONS = ("surveys", "consent", "privacy", "broadcasts")
"""The sections of the business file that features read (:func:`on_section`)."""


class BusinessConfigError(FlowError):
    """A business file has one or more mistakes.

    ``errors`` holds every one of them, each a located :class:`~bot.errors.FlowError`, sorted by
    line; the message, ``file``, ``line`` and ``path`` are those of the first, so the message
    stays one line (the command line prints them all: :func:`flows.features.cli.reporting`).
    """

    def __init__(self, errors: list[FlowError]) -> None:
        self.errors = sorted(errors, key=lambda e: e.line or 0)
        first = self.errors[0]
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        super().__init__(first.message + more, file=first.file, line=first.line, path=first.path)


def check_business(
    text: str, file: str | None = None
) -> tuple[BusinessConfig | None, list[FlowError]]:
    """Read a business file's text and report every problem instead of raising.

    Args:
        text: The YAML source.
        file: Its name, used in the errors.

    Returns:
        The configuration (``None`` when anything is wrong) and the list of located errors.
    """
    data, lines, errors = read_yaml(text, file)
    if errors:
        return None, errors
    if data is None:
        return None, [FlowError("the business file is empty", file=file)]
    root = data if isinstance(data, dict) else {}
    info = root.get("business")
    currency = info.get("currency") if isinstance(info, dict) else None
    context = {
        "currency": currency if isinstance(currency, str) and is_currency(currency) else "EUR"
    }
    doc, errors = read_typed(BusinessFile, data, file=file, lines=lines, context=context)
    read = {
        name: _section(name, raw, file, lines, errors) if isinstance(raw, dict) else {}
        for name in _FEATURE_SECTIONS
        for raw in [root.get(name)]
    }
    if doc is None or doc.business is None or errors:
        return None, sorted(errors, key=lambda e: e.line or 0)
    sections = {name: getattr(doc, name) for name in type(doc).model_fields}
    config = BusinessConfig(**{**sections, **read}, file=file)
    errors = [
        FlowError(message, file=file, line=line_of(lines, path), path=path)
        for check in _section_checks.values()
        for message, path in check(config)
    ]
    if errors:
        return None, sorted(errors, key=lambda e: e.line or 0)
    return config, []


SectionReader = Callable[[str, Any, str, "str | None", Mapping[str, int]], Any]
"""Reads one entry of a feature's section: ``(key, raw, path, file, lines)`` → its value.

Raises :class:`~bot.errors.FlowError`, located, for a mistake in the entry.
"""

SectionCheck = Callable[[BusinessConfig], Iterable[tuple[str, str]]]
"""Checks a feature's section against the whole loaded file → ``(message, key path)`` problems.

The key path (``broadcasts.templates[1]``) places the problem at its line.
"""

_section_readers: dict[str, SectionReader] = {}
_section_checks: dict[str, SectionCheck] = {}


def on_section(section: str, reader: SectionReader, check: SectionCheck | None = None) -> None:
    """Let a feature read the entries of its own section of the business file, and check them.

    The feature registers its reader when its package is imported (the surveys feature reads
    ``surveys``), as it registers event listeners (:mod:`flows.features.business.events`), so
    this package never imports a feature. A section nobody reads keeps its raw entries.

    ``check`` sees the whole :class:`BusinessConfig` once every section reads without a
    mistake (the broadcasts feature checks its templates against ``templates``): its problems
    are reported as the others are, located and all at once, by :func:`check_business` and so
    by every command that loads the file.
    """
    _section_readers[section] = reader
    if check is not None:
        _section_checks[section] = check


def settings_reader(model: type[Record]) -> SectionReader:
    """The :data:`SectionReader` of a section written as ``model``'s fields.

    Each entry is checked as that field of ``model`` (with its defaults for the others), so a
    mistake is reported at its key: ``on_section("consent", settings_reader(ConsentSettings))``.
    """

    def read(key: str, raw: Any, path: str, file: str | None, lines: Mapping[str, int]) -> Any:
        settings, errors = read_typed(
            model, {key: raw}, file=file, lines=lines, path=path.rpartition(".")[0]
        )
        if settings is None:
            raise errors[0]
        return getattr(settings, key)

    return read


def _section(
    name: str,
    raw: Mapping[str, Any],
    file: str | None,
    lines: Mapping[str, int],
    errors: list[FlowError],
) -> dict[str, Any]:
    """The entries of section ``name``, each read by its feature's registered reader."""
    reader = _section_readers.get(name)
    if reader is None:
        return dict(raw)
    result: dict[str, Any] = {}
    for key, value in raw.items():
        try:
            result[key] = reader(key, value, f"{name}.{key}", file, lines)
        except FlowError as exc:  # located by the reader
            errors.append(exc)
    return result


def parse_business(text: str, file: str | None = None) -> BusinessConfig:
    """Read a business file's text.

    Args:
        text: The YAML source.
        file: Its name, used in the errors.

    Returns:
        The checked configuration.

    Raises:
        BusinessConfigError: The file has mistakes; all are in ``errors``.
    """
    config, errors = check_business(text, file)
    if config is None:
        raise BusinessConfigError(errors)
    return config


def load_business(path: str | Path) -> BusinessConfig:
    """Load a business file from disk.

    Args:
        path: The YAML file.

    Returns:
        The checked configuration.

    Raises:
        BusinessConfigError: The file cannot be read or has mistakes.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BusinessConfigError(
            [FlowError(f"cannot read the business file: {exc}", file=str(file))]
        ) from exc
    return parse_business(text, str(file))
