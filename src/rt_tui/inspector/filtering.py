"""The inspector's filter: type patterns, direction, errors only and free text.

The filter box takes one line. Tokens are separated by spaces or commas:

- a token with a wildcard (`*`, `?`, `[`), a leading `!`, or shaped like an event type
  (`word.word…`, or the one-word type `error`) is a **type pattern** (fnmatch-style,
  case-insensitive). A pattern without wildcards also matches as a dotted prefix
  (`!response` hides `response.done`).
  `!pattern` excludes. With include patterns, a type must match at least one of them.
- everything else (and anything in double quotes) is **free text**, matched
  case-insensitively against the frame's text.

Patterns are tested against both the wire type and the internal (GA) name, so
`response.output_text.*` also finds beta `response.text.delta`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from fnmatch import fnmatchcase

_TYPE_SHAPED = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)+\.?$", re.IGNORECASE)
_TOKENS = re.compile(r'"([^"]*)"?|([^\s,]+)')
_WILDCARDS = frozenset("*?[")
_ONE_WORD_TYPES = frozenset({"error"})


class DirectionFilter(StrEnum):
    """Which directions the inspector shows."""

    ALL = "all"
    SENT = "sent"
    RECEIVED = "received"

    def next(self) -> DirectionFilter:
        """The next value in the cycle all → sent → received → all."""
        order = list(DirectionFilter)
        return order[(order.index(self) + 1) % len(order)]


@dataclass(frozen=True, slots=True)
class TypePattern:
    """One fnmatch-style pattern over event types."""

    pattern: str
    exclude: bool = False

    def matches(self, name: str) -> bool:
        name = name.lower()
        if any(ch in _WILDCARDS for ch in self.pattern):
            return fnmatchcase(name, self.pattern)
        prefix = self.pattern.rstrip(".")
        return name == prefix or name.startswith(prefix + ".")


def parse_query(query: str) -> tuple[tuple[TypePattern, ...], str]:
    """Split a filter line into type patterns and the free text."""
    patterns: list[TypePattern] = []
    words: list[str] = []
    for match in _TOKENS.finditer(query):
        quoted, token = match.group(1), match.group(2)
        if quoted is not None:
            if quoted:
                words.append(quoted)
            continue
        exclude = token.startswith("!")
        body = token[1:] if exclude else token
        if not body:
            continue
        if (
            exclude
            or any(ch in _WILDCARDS for ch in body)
            or _TYPE_SHAPED.match(body)
            or body.lower() in _ONE_WORD_TYPES
        ):
            patterns.append(TypePattern(body.lower(), exclude))
        else:
            words.append(token)
    return tuple(patterns), " ".join(words)


@dataclass(frozen=True)
class FrameFilter:
    """What the inspector shows. The default shows everything."""

    query: str = ""
    direction: DirectionFilter = DirectionFilter.ALL
    errors_only: bool = False
    patterns: tuple[TypePattern, ...] = field(init=False, repr=False, compare=False)
    text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        patterns, text = parse_query(self.query)
        object.__setattr__(self, "patterns", patterns)
        object.__setattr__(self, "text", text)

    def type_matches(self, *names: str) -> bool:
        """Whether an event known by `names` (wire type, internal name) passes the patterns."""
        includes = [p for p in self.patterns if not p.exclude]
        excludes = [p for p in self.patterns if p.exclude]
        if any(p.matches(n) for p in excludes for n in names if n):
            return False
        if not includes:
            return True
        return any(p.matches(n) for p in includes for n in names if n)

    def text_matcher(self) -> re.Pattern[str] | None:
        """A case-insensitive matcher for the free text, or None when there is none."""
        return re.compile(re.escape(self.text), re.IGNORECASE) if self.text else None

    def describe(self) -> str:
        """A short description for a status line ('' when nothing is filtered)."""
        parts = []
        if self.query.strip():
            parts.append(self.query.strip())
        if self.direction is not DirectionFilter.ALL:
            parts.append(f"{self.direction.value} only")
        if self.errors_only:
            parts.append("errors only")
        return " · ".join(parts)
