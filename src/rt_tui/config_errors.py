"""The one-sentence messages for a config file that cannot be used, in TOML terms.

They name the file and the line or field at fault and say what was expected ("a table
(e.g. [session.turn_detection])", "one of 'openai', …", "a whole number"), built from the
schema and pydantic's error types only: a value from the file never appears (it could be
a key).
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def toml_error_sentence(path: Path, text: str, message: str) -> str:
    """tomllib's `message` about `text` as one sentence naming the line and column."""
    match = _TOML_POSITION.search(message)
    what = _TOML_POSITION.sub("", message).rstrip(".") or "invalid TOML"
    what = what[0].lower() + what[1:]
    if match and match.group(1):
        where = f"line {match.group(1)}, column {match.group(2)}"
    else:
        # "at end of document": the error is on the last line.
        where = f"line {text.rstrip(chr(10)).count(chr(10)) + 1}"
    return f"The config file {path} is not valid TOML at {where}: {what}."


def validation_sentence(path: Path, exc: ValidationError) -> str:
    """One sentence in TOML terms: the first field at fault, what it should be, and the
    other fields at fault. Built from the schema only, never from a value in the file."""
    problems = _problems(exc.errors(include_input=False, include_url=False))
    field, what = problems[0] if problems else ("(top level)", "invalid value")
    others = list(dict.fromkeys(other for other, _ in problems[1:] if other != field))
    also = ""
    if others:
        named = [f"'{other}'" for other in others[:_OTHERS_NAMED]]
        if len(others) > _OTHERS_NAMED:
            named.append(f"{len(others) - _OTHERS_NAMED} more")
        also = "; also " + _join(named, "and")
    return f"The config file {path} has a bad value at '{field}': {what}{also}."


_OTHERS_NAMED = 3
"""How many further fields at fault the sentence names before it only counts them."""

_Loc = tuple[int | str, ...]

_TYPE_TAGS = frozenset({"int", "float", "str", "bool", "dict", "list", "none", "tuple"})

_EXPECTED: dict[str, str] = {
    "string_type": "a quoted string",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
}
"""What a value of pydantic's error type should have been, in TOML terms."""

_ALSO_ACCEPTED: dict[str, str] = {"parameters": "a string of JSON"}
"""Tables that may also be written another way (see FunctionTool.parameters)."""


_TOOL_KINDS = ("function", "mcp")


def _problems(errors: list[ErrorDetails]) -> list[tuple[str, str]]:
    """(field, what it should be) per problem, in pydantic's order. A value matching no
    branch of a union gets one error per branch, each with the branch tag (e.g. "int",
    "literal['inf']") appended to the field path: they make one problem."""
    problems: list[tuple[str, str]] = []
    index = 0
    while index < len(errors):
        first = errors[index]
        loc: _Loc = _without_tool_kind(tuple(first["loc"]))
        group = [first]
        if len(loc) > 1 and _is_tag(loc[-1]):
            for other in errors[index + 1 :]:
                other_loc = tuple(other["loc"])
                same_field = len(other_loc) == len(loc) and other_loc[:-1] == loc[:-1]
                if not (same_field and _is_tag(other_loc[-1])):
                    break
                group.append(other)
        index += len(group)
        if len(group) > 1:
            loc = loc[:-1]
            options = [_expected(error, loc) for error in group]
            problems.append((_dotted(loc), "it should be " + _join(options, "or")))
        else:
            problems.append((_dotted(loc), _describe(first, loc)))
    return problems


def _without_tool_kind(loc: _Loc) -> _Loc:
    """`session.tools.0.function.name` → `session.tools.0.name`: the kind of tool the
    entry was read as (function, mcp) is no field the user wrote."""
    for at in range(2, len(loc)):
        if loc[at - 2] == "tools" and isinstance(loc[at - 1], int) and loc[at] in _TOOL_KINDS:
            return loc[:at] + loc[at + 1 :]
    return loc


def _describe(error: ErrorDetails, loc: _Loc) -> str:
    """What is wrong with one field, starting in lower case."""
    kind = error["type"]
    if kind == "extra_forbidden":
        return "this is not a setting rt-tui knows"
    if kind == "missing":
        return "this setting is required"
    if kind == "value_error":
        # Our own validators' messages come prefixed with "Value error, ".
        text = str(error["msg"]).removeprefix("Value error, ").rstrip(".")
        return text[0].lower() + text[1:] if text else "invalid value"
    return "it should be " + _expected(error, loc)


def _expected(error: ErrorDetails, loc: _Loc) -> str:
    """What the value should have been: 'a table (e.g. [session.turn_detection])',
    "'text' or 'audio'", 'a whole number'…"""
    kind = error["type"]
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        table = f"a table (e.g. {_table_header(loc)})"
        other = _ALSO_ACCEPTED.get(str(loc[-1])) if loc else None
        return f"{table} or {other}" if other else table
    if kind == "list_type":
        return f"an array (e.g. [[{_dotted(loc, indices=False)}]] tables)"
    if kind in ("enum", "literal_error"):
        # pydantic lists the allowed values from the schema: "'a', 'b' or 'c'".
        expected = str((error.get("ctx") or {}).get("expected", ""))
        if expected:
            return f"one of {expected}" if ", " in expected else expected
    if kind in _EXPECTED:
        return _EXPECTED[kind]
    return _strip_should_be(str(error["msg"]))


def _dotted(loc: _Loc, *, indices: bool = True) -> str:
    parts = [str(part) for part in loc if indices or not isinstance(part, int)]
    return ".".join(parts) or "(top level)"


def _table_header(loc: _Loc) -> str:
    """How the table at `loc` is opened in TOML: `[a.b]`, or `[[a.b]]` for an array item."""
    name = _dotted(loc, indices=False)
    return f"[[{name}]]" if loc and isinstance(loc[-1], int) else f"[{name}]"


def _join(words: list[str], conjunction: str) -> str:
    """'a', 'a or b', 'a, b or c'."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def _is_tag(part: int | str) -> bool:
    """Whether a pydantic error location part names a union branch rather than a field."""
    return isinstance(part, str) and ("[" in part or part in _TYPE_TAGS or part[:1].isupper())


def _strip_should_be(message: str) -> str:
    """'Input should be less than or equal to 1, …' → 'less than or equal to 1'."""
    text = message.split(",")[0].rstrip(".")
    prefix = "Input should be "
    if text.startswith(prefix):
        return text[len(prefix) :]
    return text[0].lower() + text[1:] if text else "a valid value"
