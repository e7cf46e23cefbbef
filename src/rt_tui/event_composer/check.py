"""Checking a hand-written client event before it is sent: valid JSON, an object with a
known `type` for the dialect, required fields present, every field of the type the
dialect's schema (`schema.CLIENT_EVENTS`) gives.

A value in angle brackets is a template's placeholder for an id the session did not have
yet, and is warned about too.

Every problem is only reported: the composer sends the event anyway if asked, since
sending what the service should refuse is how its bugs are found. A problem is an error
when the text cannot be an event at all (not JSON, not an object, no type) and a warning
otherwise; JSON errors carry their line and column.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from rt_tui.dialect import Dialect
from rt_tui.event_composer.schema import CLIENT_EVENTS, COMMON_FIELDS, ByType, Obj, Shape
from rt_tui.mock.shapes import NUMBER

Severity = Literal["error", "warning"]

_NAMES: dict[object, str] = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "a boolean",
    dict: "an object",
    list: "an array",
}
_MAX_PROBLEMS = 20
"""Past this many, the rest are summed up in one line (a pasted log, not an event)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the event."""

    severity: Severity
    message: str
    path: str = ""
    """Where, as `item.content[0].type`; empty for the event as a whole."""
    line: int | None = None
    """1-based line and column of a JSON error."""
    column: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}, column {self.column}: " if self.line is not None else ""
        if self.path:
            where = f"{self.path}: "
        return f"{self.severity}: {where}{self.message}"


@dataclass(frozen=True)
class CheckResult:
    """What checking one text found."""

    problems: tuple[Problem, ...]
    event_type: str | None = None
    """The event's `type`, when it has a string one."""

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    def summary(self) -> str:
        """One line: `ok`, or how many errors and warnings."""
        if not self.problems:
            return f"ok: a well-formed {self.event_type}"
        parts = [(self.errors, "error"), (self.warnings, "warning")]
        counted = [f"{n} {word}{'s' if n != 1 else ''}" for n, word in parts if n]
        return ", ".join(counted)


def check_event(text: str, dialect: Dialect) -> CheckResult:
    """Check `text` as a client event of `dialect` (see the module docstring)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        problem = Problem("error", f"not valid JSON: {error.msg}", "", error.lineno, error.colno)
        return CheckResult((problem,))
    except RecursionError:
        return CheckResult((Problem("error", "not valid JSON: nested too deeply"),))
    if not isinstance(data, dict):
        return CheckResult((Problem("error", f"an event is a JSON object, not {_kind(data)}"),))
    event_type = data.get("type")
    if event_type is None:
        return CheckResult((Problem("error", "the event has no type", "type"),))
    if not isinstance(event_type, str):
        return CheckResult(
            (Problem("error", f"expected a string, got {_kind(event_type)}", "type"),)
        )
    events = CLIENT_EVENTS[dialect]
    schema = events.get(event_type)
    if schema is None:
        return CheckResult((_unknown_type(event_type, dialect),), event_type)
    fields = {**COMMON_FIELDS, **schema.fields.fields}
    shape = Obj(fields, required=schema.fields.required)
    problems: list[Problem] = []
    _check(data, shape, "", problems)
    problems += _placeholders(data, "")
    if len(problems) > _MAX_PROBLEMS:
        more = len(problems) - _MAX_PROBLEMS
        problems = [*problems[:_MAX_PROBLEMS], Problem("warning", f"and {more} more")]
    return CheckResult(tuple(problems), event_type)


_DIALECT_NAMES = {Dialect.GA: "GA", Dialect.BETA: "beta"}


def _unknown_type(event_type: str, dialect: Dialect) -> Problem:
    other = Dialect.BETA if dialect is Dialect.GA else Dialect.GA
    name, other_name = _DIALECT_NAMES[dialect], _DIALECT_NAMES[other]
    if event_type in CLIENT_EVENTS[other]:
        message = f"{event_type} is a {other_name} client event, not a {name} one"
    else:
        message = f"{event_type} is not a client event of the {name} dialect"
    return Problem("warning", message, "type")


def _placeholders(value: object, path: str) -> list[Problem]:
    """A warning for each `<…>` a template left where the session had no id to give."""
    if isinstance(value, str):
        if len(value) > 2 and value.startswith("<") and value.endswith(">"):
            return [Problem("warning", f"{value} is a placeholder: put a real id here", path)]
        return []
    if isinstance(value, dict):
        return [p for key, inner in value.items() for p in _placeholders(inner, _join(path, key))]
    if isinstance(value, list):
        return [p for i, inner in enumerate(value) for p in _placeholders(inner, f"{path}[{i}]")]
    return []


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _check(value: object, shape: Shape, path: str, problems: list[Problem]) -> None:
    """Add to `problems` what in `value` does not fit `shape`."""
    if isinstance(shape, ByType):
        _check_by_type(value, shape, path, problems)
    elif isinstance(shape, Obj | dict):
        _check_object(value, shape if isinstance(shape, Obj) else Obj(shape), path, problems)
    elif isinstance(shape, list):
        if not isinstance(value, list):
            problems.append(_wrong(value, "an array", path))
            return
        for index, item in enumerate(value):
            _check(item, shape[0], f"{path}[{index}]", problems)
    elif isinstance(shape, tuple):
        _check_alternatives(value, shape, path, problems)
    elif not _fits(value, shape):
        problems.append(_wrong(value, _describe(shape), path))


def _check_object(value: object, shape: Obj, path: str, problems: list[Problem]) -> None:
    if not isinstance(value, dict):
        problems.append(_wrong(value, "an object", path))
        return
    for key in shape.required:
        if key not in value:
            problems.append(Problem("warning", "required, missing", _join(path, key)))
    for key, item in value.items():
        if key in shape.fields:
            _check(item, shape.fields[key], _join(path, key), problems)
        elif not shape.open:
            problems.append(Problem("warning", "not a known field", _join(path, key)))


def _check_by_type(value: object, shape: ByType, path: str, problems: list[Problem]) -> None:
    if not isinstance(value, dict):
        problems.append(_wrong(value, "an object", path))
        return
    kind = value.get("type")
    variant = shape.variants.get(kind) if isinstance(kind, str) else None
    if variant is None:
        names = ", ".join(shape.variants)
        problems.append(Problem("warning", f"type must be one of {names}", _join(path, "type")))
        return
    _check_object(value, variant, path, problems)


def _check_alternatives(
    value: object, shape: tuple[Shape, ...], path: str, problems: list[Problem]
) -> None:
    if any(_fits_deep(value, alternative) for alternative in shape):
        return
    # An object that fits none: its fields are checked against the object alternative,
    # which says more than "expected an object".
    objects = [s for s in shape if isinstance(s, Obj | dict | ByType)]
    if objects and isinstance(value, dict):
        _check(value, objects[0], path, problems)
        return
    problems.append(_wrong(value, _describe(shape), path))


def _fits_deep(value: object, shape: Shape) -> bool:
    found: list[Problem] = []
    _check(value, shape, "", found)
    return not found


def _fits(value: object, shape: Shape) -> bool:
    if shape is None:
        return value is None
    if isinstance(shape, str):
        return value == shape
    if shape is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if shape is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(shape, type) and isinstance(value, shape)


def _describe(shape: Shape) -> str:
    if shape is None:
        return "null"
    if isinstance(shape, str):
        return f'"{shape}"'
    if isinstance(shape, tuple):
        if shape == NUMBER:
            return "a number"
        return " or ".join(dict.fromkeys(_describe(s) for s in shape))
    if isinstance(shape, Obj | dict | ByType):
        return "an object"
    if isinstance(shape, list):
        return "an array"
    return _NAMES.get(shape, str(shape))


def _kind(value: object) -> str:
    """What a JSON value is, in words: `a string ("x")`, `an integer (3)`, `null`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({json.dumps(value)})"
    for python_type in (int, float, str):
        if isinstance(value, python_type):
            shown = json.dumps(value)
            shown = shown if len(shown) <= 30 else shown[:27] + "…"
            return f"{_NAMES[python_type]} ({shown})"
    return _NAMES.get(type(value), type(value).__name__)


def _wrong(value: object, expected: str, path: str) -> Problem:
    return Problem("warning", f"expected {expected}, got {_kind(value)}", path)


def known_types(dialect: Dialect) -> Mapping[str, str]:
    """Each client event type of `dialect` with what it does."""
    return {name: schema.purpose for name, schema in CLIENT_EVENTS[dialect].items()}
