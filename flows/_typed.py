"""Typed reading of YAML documents with pydantic, and its errors as located ``FlowError``\\ s.

This module owns the bridge between pydantic and the project's error style: every YAML document
(flow files, the business file, test fixtures) is declared as :class:`Typed` models and checked
with :func:`read_typed`, which turns a ``ValidationError`` into one :class:`~bot.errors.FlowError`
per problem naming the file, the line and the key path, worded in plain language ("'version'
must be a whole number, got a string", "unknown key 'expct' in a state; did you mean
'expect'?"). Validators report problems by raising :func:`problem` or calling :func:`fail`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import timedelta
from typing import Annotated, Any, ClassVar, NoReturn, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainValidator,
    ValidationError,
    ValidatorFunctionWrapHandler,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from bot.errors import FlowError
from flows._yaml import join, line_of

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
Loc = tuple[str | int, ...]

_DURATION_RE = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")

_WORDING = {
    **dict.fromkeys(
        ("int_type", "int_parsing", "int_from_float"), "{key!r} must be a whole number, got {got}"
    ),
    **dict.fromkeys(("bool_type", "bool_parsing"), "{key!r} must be true or false, got {got}"),
    **dict.fromkeys(("float_type", "float_parsing"), "{key!r} must be a number, got {got}"),
    **dict.fromkeys(("list_type", "tuple_type"), "{key!r} must be a list, got {got}"),
    **dict.fromkeys(("dict_type", "model_type"), "expected a mapping, got {got}"),
    "string_type": "{key!r} must be a string, got {got}",
    "greater_than_equal": "{key!r} must be at least {ge}, got {input}",
    "empty": "{key!r} must not be empty",
    "literal_error": "{key!r} must be one of {expected}, got {input!r}",
    "missing": "{key!r} is required",
    "extra_forbidden": "unknown key {key!r}",
}
"""Pydantic error type → message; ``key`` is the last key of the error's path."""
_TYPE_NAMES = {
    type(None): "nothing", bool: "a boolean", int: "a number", float: "a number",
    str: "a string", list: "a list", dict: "a mapping",
}  # fmt: skip


def type_name(value: Any) -> str:
    """Name the YAML type of ``value`` for messages: ``a string``, ``a list``, ``nothing``..."""
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def problem(message: str) -> PydanticCustomError:
    """An error to raise from a validator or a field check, shown as written at its key."""
    return PydanticCustomError("problem", message)


def fail(*problems: tuple[str, Loc]) -> NoReturn:
    """Raise several located problems from a validator at once.

    Args:
        problems: ``(message, loc)`` pairs; ``loc`` is relative to the model being validated
            (``()`` for the model itself, ``("min",)`` for its ``min`` key).
    """
    details = [InitErrorDetails(type=problem(text), loc=loc, input=None) for text, loc in problems]
    raise ValidationError.from_exception_data("problems", details)


def _raise(errors: Sequence[Any]) -> NoReturn:
    """Raise items of ``ValidationError.errors()`` again (possibly edited), keeping their wording."""
    details = [
        InitErrorDetails(
            type=PydanticCustomError(e["type"], e["msg"])
            if e["type"] not in _WORDING
            else PydanticCustomError(e["type"], "{key}", {**e.get("ctx", {}), "key": ""}),
            loc=e["loc"],
            input=e["input"],
        )
        for e in errors
    ]
    raise ValidationError.from_exception_data("errors", details)


class Typed(BaseModel):
    """Base of a typed YAML mapping: frozen, unknown keys refused with a "did you mean".

    An optional key given as null (``key:`` with nothing after it) counts as absent.

    Subclasses name themselves for messages with the class keywords ``what`` ("unknown key 'x'
    in a state", "a cta needs 'url'") and ``expected`` ("expected a mapping (a state), got a
    list"), as in ``class Cta(Typed, what="a cta"): ...``; ``one_of=("id", "link")`` requires
    exactly one of those keys. They may accept a non-mapping shorthand by overriding
    :meth:`shorthand` and check which keys go together in :meth:`rules`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    what: ClassVar[str] = "a mapping"
    expected: ClassVar[str] = "a mapping"
    one_of: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(
        cls, what: str = "", expected: str = "", one_of: tuple[str, ...] = (), **kwargs: Any
    ) -> None:
        super().__init_subclass__(**kwargs)
        cls.what, cls.expected = what or cls.what, expected or cls.expected
        cls.one_of = one_of or cls.one_of

    @classmethod
    def shorthand(cls, value: Any) -> Any:
        """Expand a non-mapping value into a mapping; return it unchanged when not a shorthand."""
        return value

    @classmethod
    def rules(cls, data: dict[str, Any]) -> list[tuple[str, Loc]]:
        """Problems of which keys go together in the raw mapping, reported with field errors.

        Returns:
            ``(message, loc)`` pairs, ``loc`` relative to this mapping; by default, those of
            :attr:`one_of`.
        """
        if cls.one_of and sum(key in data for key in cls.one_of) != 1:
            return [(f"{cls.what} needs exactly one of {' and '.join(map(repr, cls.one_of))}", ())]
        return []

    @classmethod
    def describe(cls, data: Mapping[str, Any]) -> str:
        """Name this mapping in messages; may depend on its data (``expect (text)``)."""
        return cls.what

    @classmethod
    def keys(cls) -> list[str]:
        """The YAML keys this mapping knows (field aliases)."""
        return sorted(field.alias or name for name, field in cls.model_fields.items())

    @model_validator(mode="wrap")
    @classmethod
    def _typed(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if isinstance(value, cls):
            return value
        value = cls.shorthand(value)
        if not isinstance(value, dict):
            raise problem(f"expected {cls.expected}, got {type_name(value)}")
        found: list[Any] = [
            {"type": "problem", "msg": text, "loc": loc, "input": None}
            for text, loc in cls.rules(value)
        ]
        required = {f.alias or name for name, f in cls.model_fields.items() if f.is_required()}
        try:
            result = handler({k: v for k, v in value.items() if v is not None or k in required})
        except ValidationError as exc:
            for error in exc.errors():
                loc = error["loc"]
                if error["type"] == "extra_forbidden" and len(loc) == 1:
                    error = {**error, "type": "unknown_key", "msg": cls._unknown(value, loc[0])}
                elif error["type"] == "missing" and len(loc) == 1:
                    what = cls.describe(value)
                    error = {**error, "type": "needs", "msg": f"{what} needs {loc[0]!r}", "loc": ()}
                found.append(error)
        if found:
            _raise(found)
        return result

    @classmethod
    def _unknown(cls, data: Mapping[str, Any], key: Any) -> str:
        known = cls.keys()
        close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        where = cls.describe(data)
        return f"unknown key {key!r} in {where}{hint} (known keys: {', '.join(known)})"


class Record(Typed):
    """A :class:`Typed` mapping that Python code may also build positionally, like a dataclass.

    ``TemplateRef("reminder", "es")`` fills the fields in their declared order; keywords work as
    usual. Use it for models that are the configuration objects themselves.
    """

    def __init__(self, *args: Any, **data: Any) -> None:
        super().__init__(**dict(zip(type(self).model_fields, args, strict=False)), **data)

    # Only reshapes the arguments: validation (model_validate, with its context) may skip it.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]


def typed_errors(
    exc: ValidationError,
    *,
    file: str | None = None,
    lines: Mapping[str, int] | None = None,
    path: str = "",
) -> list[FlowError]:
    """Turn a pydantic ``ValidationError`` into located :class:`~bot.errors.FlowError`\\ s.

    One error per problem, worded with the key it concerns, in document order.

    Args:
        lines: Key path → 1-based line (from :func:`flows._yaml.read_yaml`).
        path: The key path the validated value sits at (``""`` for the document root).
    """
    found: list[FlowError] = []
    for error in exc.errors():
        where, key = path, ""
        for part in (part for part in error["loc"] if part != "[key]"):
            where = join(where, part)
            key = part if isinstance(part, str) else key
        template = _WORDING.get(error["type"])
        message = error["msg"]
        if template is not None:
            value = error.get("input")
            ctx = {k: v for k, v in error.get("ctx", {}).items() if k != "key"}
            message = template.format(key=key, got=type_name(value), input=value, **ctx)
        line = line_of(lines or {}, where)
        found.append(FlowError(message, file=file, line=line, path=where or None))
    return sorted(found, key=lambda e: e.line or 0)


def read_typed(
    model: type[M],
    data: Any,
    *,
    file: str | None = None,
    lines: Mapping[str, int] | None = None,
    path: str = "",
    context: dict[str, Any] | None = None,
) -> tuple[M | None, list[FlowError]]:
    """Validate YAML data against a pydantic model, returning located errors instead of raising.

    The usual pairing with :func:`flows.read_yaml`::

        data, lines, errors = read_yaml(text, file)
        config, problems = read_typed(Config, data, file=file, lines=lines)
        errors += problems

    Args:
        model: The pydantic model (ideally a :class:`Typed` subclass, for "did you mean").
        lines: Key path → 1-based line, for errors.
        path: Where ``data`` sits in its document, when it is not the root.
        context: Passed to the validators as ``info.context``.

    Returns:
        The model (``None`` when anything is wrong) and every problem found.
    """
    try:
        return model.model_validate(data, context=context), []
    except ValidationError as exc:
        return None, typed_errors(exc, file=file, lines=lines, path=path)


def _text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise PydanticCustomError("string_type", "{key}", {"key": ""})
    if not str(value).strip():
        raise PydanticCustomError("empty", "{key}", {"key": ""})
    return str(value)


def _string(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def _item(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise problem(f"expected a string, got {type_name(value)}")
    if not str(value).strip():
        raise problem("must not be empty")
    return str(value)


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(items(list(value), _item)) if isinstance(value, (list, tuple)) else (_item(value),)


def items(values: list[Any], check: Callable[[Any], T]) -> list[T]:
    """Check every item of a list with ``check``, reporting each problem at its index.

    ``check`` returns the checked item, or raises ``ValidationError``/``PydanticCustomError``.
    """
    found: list[T] = []
    errors: list[Any] = []
    for index, item in enumerate(values):
        try:
            found.append(check(item))
        except ValidationError as exc:
            errors += [{**e, "loc": (index, *e["loc"])} for e in exc.errors()]
        except PydanticCustomError as exc:
            ctx = exc.context or {}
            errors.append(
                {"type": exc.type, "msg": exc.message(), "loc": (index,), "input": item, "ctx": ctx}
            )
    if errors:
        _raise(errors)
    return found


def many(model: type[M], empty: str | None = None) -> PlainValidator:
    """Validate one ``model`` or a list of them; with ``empty``, a non-empty list (else that error).

    One item comes back as a tuple and a list as a list, so :func:`each` can give the key path
    of each (``say`` or ``say[0]``).
    """

    def check(value: Any) -> Sequence[M]:
        if empty is not None and (not isinstance(value, list) or not value):
            raise problem(empty)
        if value is None:
            return ()
        if isinstance(value, list):
            return items(value, model.model_validate)
        return (model.model_validate(value),)

    return PlainValidator(check)


def each(values: Sequence[T], path: str) -> Iterator[tuple[T, str]]:
    """Pair the items of a :func:`many` field with their key paths."""
    for index, item in enumerate(values):
        yield item, join(path, index) if isinstance(values, list) else path


def parse_duration(value: Any) -> timedelta:
    """Read a duration such as ``30m``, ``2h``, ``1h30m``, ``1d`` or ``45s``.

    Raises:
        PydanticCustomError: The text is not a duration, or is zero.
    """
    text = str(value).strip().replace(" ", "") if not isinstance(value, bool) else ""
    match = _DURATION_RE.match(text)
    if match is None or not any(match.groups()):
        hint = " (add a unit: s, m, h or d)" if text.isdigit() else ""
        raise problem(f"bad duration {value!r}: use forms like 30m, 2h, 1h30m, 1d{hint}")
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    result = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    if not result:
        raise problem(f"duration {value!r} must be longer than zero")
    return result


Text = Annotated[str, BeforeValidator(_text)]
"""A non-empty string; numbers are accepted and turned into text."""
OptText = Text | None
"""An optional :data:`Text`."""
OptString = Annotated[str | None, BeforeValidator(_string)]
"""An optional string that may be empty; numbers are accepted and turned into text."""
Strings = Annotated[tuple[str, ...], BeforeValidator(_strings)]
"""A string or a list of non-empty strings (numbers become text)."""
Duration = Annotated[timedelta, BeforeValidator(parse_duration)] | None
"""An optional duration written ``30m``, ``2h``, ``1h30m``, ``1d`` or ``45s``."""
