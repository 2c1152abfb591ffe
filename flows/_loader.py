"""Loading a flow file: YAML text → a checked :class:`~flows._model.Flow`, or located errors.

This module owns the entry points (:func:`read_flow`, :func:`parse_flow`, :func:`load_flow`)
and the schema of a flow document's top level (``schema``, ``flow``, ``version``, ``start``,
``triggers``, ``slots``, ``settings``, ``intents``, ``messages``). It reads with
:mod:`flows._yaml` (line numbers), :mod:`flows._fields` (typed fields),
:mod:`flows._load_parts` (messages, questions, branches) and :mod:`flows._load_states` (one
kind per state), collects every problem of a file as a :class:`~bot.errors.FlowError` naming
file, line and key path, and raises them together as a :class:`FlowLoadError`. Checks that
need the whole graph or the hook registry (dangling targets, unreachable states, unknown
hooks, WhatsApp limits) belong to the validator.
"""

from __future__ import annotations

import re
import zoneinfo
from pathlib import Path
from typing import Any, cast

from bot.errors import FlowError
from flows._fields import Reader
from flows._load_parts import Parts
from flows._load_states import StateReader
from flows._model import (
    REFERRAL_FIELDS,
    SCHEMA_VERSION,
    SLOT_TYPES,
    Flow,
    Intent,
    MessageSpec,
    Settings,
    SlotSpec,
    SlotType,
    State,
    Trigger,
)
from flows._yaml import join, read_yaml

TOP_KEYS = frozenset(
    {"schema", "flow", "version", "name", "description", "locale", "start", "triggers"}
    | {"slots", "settings", "intents", "messages", "states"}
)
SETTINGS_KEYS = frozenset(
    {"max_retries", "on_exhausted", "session_timeout", "on_timeout", "on_error"}
    | {"unrecognized", "invalid", "timezone", "list_button", "more_title", "step_limit"}
)


class FlowLoadError(FlowError):
    """A flow file has one or more problems; all of them are in :attr:`errors`.

    ``file``, ``line`` and ``path`` are those of the first problem; ``str()`` lists them all.

    Args:
        errors: The problems, in file order.
    """

    def __init__(self, errors: list[FlowError]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.file or "", e.line or 0))
        first = self.errors[0]
        text = first.message
        if len(self.errors) > 1:
            text += f" (and {len(self.errors) - 1} more problem(s)):\n" + "\n".join(
                f"  {error}" for error in self.errors
            )
        super().__init__(text, file=first.file, line=first.line, path=first.path)


def read_flow(text: str, file: str | None = None) -> tuple[Flow | None, list[FlowError]]:
    """Parse and shape-check one flow document without raising.

    Args:
        text: The YAML source.
        file: The file name used in errors and kept on the flow.

    Returns:
        The flow (``None`` when the document is too broken to build one) and every problem
        found; a flow with problems is returned too, for tools that want to go on.
    """
    data, lines, errors = read_yaml(text, file)
    reader = Reader(file, lines)
    reader.errors.extend(errors)
    if data is None and not errors:
        reader.error(
            "the file is empty: a flow needs at least schema, flow, version, start, states", ""
        )
    if data is None:
        return None, reader.errors
    flow = _DocumentLoader(reader).flow(data)
    return flow, reader.errors


def parse_flow(text: str, file: str | None = None) -> Flow:
    """Parse one flow document.

    Args:
        text: The YAML source.
        file: The file name used in errors.

    Returns:
        The flow.

    Raises:
        FlowLoadError: The document has problems (all of them are listed).
    """
    flow, errors = read_flow(text, file)
    if errors or flow is None:
        raise FlowLoadError(errors or [FlowError("cannot read the flow", file=file)])
    return flow


def load_flow(path: str | Path) -> Flow:
    """Load one flow file.

    Args:
        path: A ``.yaml``/``.yml`` file.

    Returns:
        The flow.

    Raises:
        FlowLoadError: The file has problems.
        FlowError: The file cannot be read.
    """
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FlowError(f"cannot read the flow file: {exc}", file=file) from exc
    return parse_flow(text, file)


class _DocumentLoader:
    """Reads one document's top level and states."""

    def __init__(self, reader: Reader) -> None:
        self.r = reader
        self.parts = Parts(reader)

    def flow(self, value: Any) -> Flow | None:
        r = self.r
        data = r.mapping(value, "", "a mapping at the top of the file")
        if not data:
            return None
        r.keys(data, "", TOP_KEYS, "the flow file")
        for key in ("schema", "flow", "version", "start", "states"):
            if key not in data:
                r.error(f"the flow file needs {key!r}", "")
        schema = data.get("schema")
        if "schema" in data and schema != SCHEMA_VERSION:
            r.error(
                f"unsupported schema {schema!r}: this engine reads schema {SCHEMA_VERSION}",
                "schema",
            )
        flow_id = r.name(data.get("flow"), "flow", "a flow id") if "flow" in data else None
        version = r.integer(data, "version", "", minimum=1)
        start = r.name(data.get("start"), "start", "start") if "start" in data else None
        messages = self._named_messages(data.get("messages"))
        self.parts = Parts(r, messages)
        states = self._states(data.get("states"))
        return Flow(
            id=flow_id or "invalid",
            version=version or 1,
            start=start or "",
            states=states,
            schema=SCHEMA_VERSION,
            name=r.text(data, "name", ""),
            description=r.text(data, "description", ""),
            locale=r.text(data, "locale", ""),
            triggers=self._triggers(data.get("triggers")),
            slots=self._slots(data.get("slots")),
            settings=self._settings(data.get("settings")),
            intents=self._intents(data.get("intents"), flow_id or ""),
            messages=messages,
            file=r.file,
            lines=dict(r.lines),
        )

    def _named_messages(self, value: Any) -> dict[str, MessageSpec]:
        result: dict[str, MessageSpec] = {}
        if value is None:
            return result
        for name, item in self.r.mapping(value, "messages").items():
            path = join("messages", name)
            if self.r.name(name, path, "a message name"):
                spec = self.parts.message(item, path, allow_ref=False)
                if spec is not None:
                    result[name] = spec
        return result

    def _triggers(self, value: Any) -> tuple[Trigger, ...]:
        if value is None:
            return ()
        r, path = self.r, "triggers"
        data = r.mapping(value, path)
        r.keys(data, path, {"keywords", "payloads", "referrals", "default"}, "triggers")
        found = [
            Trigger("keyword", word, path=join(path, "keywords"))
            for word in r.strings(data, "keywords", path)
        ]
        found += [
            Trigger("payload", payload, path=join(path, "payloads"))
            for payload in r.strings(data, "payloads", path)
        ]
        referrals = data.get("referrals") or []
        if not isinstance(referrals, list):
            r.error("'referrals' must be a list of {field: value}", join(path, "referrals"))
            referrals = []
        for index, item in enumerate(referrals):
            where = join(join(path, "referrals"), index)
            match = r.mapping(item, where, "a mapping such as {source_id: '1203...'}")
            r.keys(match, where, {*REFERRAL_FIELDS, "ctwa"}, "a referral trigger")
            if len(match) != 1:
                r.error("a referral trigger matches exactly one field", where)
                continue
            ((key, wanted),) = match.items()
            if key == "ctwa":
                if wanted is not True:
                    r.error("'ctwa' must be true (any Click-to-WhatsApp ad)", join(where, key))
                found.append(Trigger("referral", "*", "ctwa_clid", where))
            elif key in REFERRAL_FIELDS and r.text(match, key, where) is not None:
                found.append(Trigger("referral", str(wanted), key, where))
        if r.boolean(data, "default", path, False):
            found.append(Trigger("default", path=join(path, "default")))
        return tuple(found)

    def _slots(self, value: Any) -> dict[str, SlotSpec]:
        result: dict[str, SlotSpec] = {}
        if value is None:
            return result
        r = self.r
        for name, item in r.mapping(value, "slots").items():
            path = join("slots", name)
            if not r.name(name, path, "a slot name"):
                continue
            data = {"type": item} if isinstance(item, str) else r.mapping(item, path)
            if item is None:
                data = {}
            r.keys(data, path, {"type", "default", "description", "example"}, "a slot")
            slot_type = data.get("type", "string")
            if slot_type not in SLOT_TYPES:
                r.error(
                    f"slot type must be one of {', '.join(SLOT_TYPES)}; got {slot_type!r}",
                    join(path, "type"),
                )
                slot_type = "json"
            result[name] = SlotSpec(
                name=name,
                type=cast(SlotType, slot_type),
                default=data.get("default"),
                description=r.text(data, "description", path),
                example=data.get("example"),
                path=path,
            )
        return result

    def _settings(self, value: Any) -> Settings:
        if value is None:
            return Settings()
        r, p, path = self.r, self.parts, "settings"
        data = r.mapping(value, path)
        r.keys(data, path, SETTINGS_KEYS, "settings")
        timezone = r.text(data, "timezone", path) or "UTC"
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            r.error(
                f"unknown time zone {timezone!r} (use an IANA name such as 'Europe/Paris')",
                join(path, "timezone"),
            )
            timezone = "UTC"
        defaults = Settings()
        max_retries = r.integer(data, "max_retries", path, minimum=1)
        step_limit = r.integer(data, "step_limit", path, minimum=2)
        return Settings(
            max_retries=defaults.max_retries if max_retries is None else max_retries,
            on_exhausted=p.fallback(data.get("on_exhausted"), join(path, "on_exhausted")),
            session_timeout=r.duration(data, "session_timeout", path),
            on_timeout=p.fallback(data.get("on_timeout"), join(path, "on_timeout")),
            on_error=p.fallback(data.get("on_error"), join(path, "on_error")),
            unrecognized=p.message(data["unrecognized"], join(path, "unrecognized"))
            if data.get("unrecognized") is not None
            else None,
            invalid=p.message(data["invalid"], join(path, "invalid"))
            if data.get("invalid") is not None
            else None,
            timezone=timezone,
            list_button=r.text(data, "list_button", path) or defaults.list_button,
            more_title=r.text(data, "more_title", path) or defaults.more_title,
            step_limit=defaults.step_limit if step_limit is None else step_limit,
        )

    def _intents(self, value: Any, flow_id: str) -> dict[str, Intent]:
        result: dict[str, Intent] = {}
        if value is None:
            return result
        r, p = self.r, self.parts
        for name, item in r.mapping(value, "intents").items():
            path = join("intents", name)
            if not r.name(name, path, "an intent name"):
                continue
            data = r.mapping(item, path)
            r.keys(data, path, {"match", "say", "goto", "then", "global"}, "an intent")
            match = r.mapping(data.get("match"), join(path, "match"), "a 'match' mapping")
            where = join(path, "match")
            r.keys(match, where, {"keywords", "payloads", "regex"}, "an intent match")
            patterns = r.strings(match, "regex", where)
            for pattern in patterns:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    r.error(f"invalid regular expression {pattern!r}: {exc}", join(where, "regex"))
            keywords, payloads = (
                r.strings(match, "keywords", where),
                r.strings(match, "payloads", where),
            )
            if match and not (keywords or payloads or patterns):
                r.error("an intent must match keywords, payloads or a regex", where)
            then = data.get("then")
            if then is not None and then != "resume":
                r.error(f"'then' can only be 'resume', got {then!r}", join(path, "then"))
            if ("goto" in data) == (then is not None):
                r.error("an intent needs exactly one of 'goto' and 'then: resume'", path)
            result[name] = Intent(
                name=name,
                keywords=keywords,
                payloads=payloads,
                patterns=patterns,
                say=p.messages(data.get("say"), join(path, "say")),
                goto=p.target(data["goto"], join(path, "goto")) if "goto" in data else None,
                resume=then == "resume",
                shared=r.boolean(data, "global", path, False),
                flow=flow_id,
                path=path,
            )
        return result

    def _states(self, value: Any) -> dict[str, State]:
        return StateReader(self.r, self.parts).states(value)


__all__ = ["FlowLoadError", "load_flow", "parse_flow", "read_flow"]
