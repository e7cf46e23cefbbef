"""Themes as data: TOML files, each value checked, turned into Textual themes.

The shipped themes live in the project's top-level `themes/` folder (copied into the
wheel as `rt_tui/themes_data`); users add their own in `rt_tui.paths.user_themes_dir()`.
A broken file never stops the app: every problem is collected into one message and the
app falls back to a built-in Textual theme.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from textual.color import Color, ColorParseError
from textual.css.stylesheet import Stylesheet, StylesheetParseError
from textual.css.tokenizer import TokenError
from textual.design import ColorSystem
from textual.theme import BUILTIN_THEMES, Theme

#: The theme used when the wanted one is missing or broken.
FALLBACK_THEME = "textual-dark"
#: The theme rt-tui starts with when the config names none.
DEFAULT_THEME = "rt-midnight"

_NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_VARIABLE_PATTERN = re.compile(r"^[a-z][a-z0-9-]*$")
#: The CSS variables a Textual theme defines, with their default values.
_THEME_VARIABLES = ColorSystem(primary="#000000").generate()


def _variable_problem(name: str, value: str) -> str | None:
    """Why `value` cannot be used for CSS variable `name` (a bad one breaks every screen)."""
    if not _VARIABLE_PATTERN.match(name):
        return f"variable name {name!r} is not a CSS variable name"
    is_style = name.endswith("-style") or name.endswith("-style-hover")
    rules = ["text-style"] if is_style else ["color"]
    if name not in _THEME_VARIABLES:
        rules = ["color", "text-style"]
    # Only the variables `value` names: the stylesheet tokenizes every variable it is
    # given, and all ~180 of a theme's took 0.6 ms a checked variable, before the first
    # frame (the others cannot change the outcome: the theme's own values name none).
    named = {key: known for key, known in _THEME_VARIABLES.items() if f"${key}" in value}
    for rule in rules:
        sheet = Stylesheet(variables={**named, name: value})
        sheet.add_source(f"Screen {{ {rule}: ${name}; }}")
        try:
            sheet.parse()
        except (StylesheetParseError, TokenError):  # TokenError: e.g. "red;", "$", "}"
            continue
        return None
    return f"variable {name!r} has an unusable value {value!r}"


_PACKAGE_DIR = Path(__file__).resolve().parent.parent


_COLOURS = (
    "primary",
    "secondary",
    "warning",
    "error",
    "success",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)
"""The colours a theme file may set: Textual's theme fields; `primary` is required."""
_FIELDS = frozenset({"name", *_COLOURS, "dark", "luminosity_spread", "text_alpha", "variables"})


def theme_from_table(table: dict[str, Any]) -> Theme:
    """The Textual theme a theme file's table describes, every value checked up front.

    Raises ValueError with the first problem, e.g. `primary: 'x' is not a colour`. Checked
    here rather than by a pydantic model: the themes load before the first frame, which
    without a config file needs no pydantic model (~100 ms to load) at all."""
    for required in ("name", "primary"):
        if required not in table:
            raise ValueError(f"field {required!r} is missing")
    name = _text(table, "name")
    if not _NAME_PATTERN.match(name):
        raise ValueError("name: use lower-case letters, digits, '-' or '_'")
    colours = {key: _colour(table, key) for key in _COLOURS if key in table}
    dark = table.get("dark", True)
    if not isinstance(dark, bool):
        raise ValueError("dark: should be true or false")
    luminosity_spread = _fraction(table, "luminosity_spread", 0.15)
    text_alpha = _fraction(table, "text_alpha", 0.95)
    variables = _variables(table.get("variables", {}))
    unknown = sorted(set(table) - _FIELDS)
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}")
    return Theme(
        name=name,
        primary=colours["primary"],
        secondary=colours.get("secondary"),
        warning=colours.get("warning"),
        error=colours.get("error"),
        success=colours.get("success"),
        accent=colours.get("accent"),
        foreground=colours.get("foreground"),
        background=colours.get("background"),
        surface=colours.get("surface"),
        panel=colours.get("panel"),
        boost=colours.get("boost"),
        dark=dark,
        luminosity_spread=luminosity_spread,
        text_alpha=text_alpha,
        variables=variables,
    )


def _text(table: dict[str, Any], key: str) -> str:
    value = table[key]
    if not isinstance(value, str):
        raise ValueError(f"{key}: should be a quoted string")
    return value


def _colour(table: dict[str, Any], key: str) -> str:
    value = _text(table, key)
    try:
        Color.parse(value)
    except ColorParseError:
        raise ValueError(f"{key}: {value!r} is not a colour") from None
    return value


def _fraction(table: dict[str, Any], key: str, default: float) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(f"{key}: should be a number from 0 to 1")
    return float(value)


def _variables(value: object) -> dict[str, str]:
    """Extra Textual CSS variables, e.g. `footer-key-foreground`, each checked."""
    if not isinstance(value, dict):
        raise ValueError("variables: should be a table of CSS variables")
    for name, setting in value.items():
        if not isinstance(setting, str):
            raise ValueError(f"variables.{name}: should be a quoted string")
        problem = _variable_problem(name, setting)
        if problem:
            raise ValueError(f"variables: {problem}")
    return dict(value)


class ThemeError(Exception):
    """A theme file that cannot be used; str() is one sentence naming the file."""


@dataclass
class ThemeLoad:
    """What loading a set of theme directories produced."""

    themes: list[Theme] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    """One sentence per broken file."""

    def error_message(self) -> str | None:
        """All problems as one notification text, or None when every file loaded."""
        if not self.errors:
            return None
        count = len(self.errors)
        files = "1 theme file was" if count == 1 else f"{count} theme files were"
        heading = f"{files} skipped:"
        return "\n".join([heading, *(f"• {error}" for error in self.errors)])


class ThemeHost(Protocol):
    """The part of `textual.app.App` that theme registration needs."""

    def register_theme(self, theme: Theme) -> None: ...

    @property
    def available_themes(self) -> dict[str, Theme]: ...


def load_theme_file(path: Path) -> Theme:
    """Read and validate one theme file; raises ThemeError with a one-sentence reason."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ThemeError(f"{path.name}: cannot be read ({error.strerror or error}).") from None
    except UnicodeDecodeError:
        raise ThemeError(f"{path.name}: is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as error:
        raise ThemeError(f"{path.name}: is not valid TOML ({error}).") from None
    try:
        return theme_from_table(raw)
    except ValueError as error:
        raise ThemeError(f"{path.name}: {error}.") from None


def load_themes(directories: Iterable[Path]) -> ThemeLoad:
    """Load every `*.toml` in `directories` (missing directories are fine).

    Later directories win on a name clash, so a user theme can replace a shipped one.
    Built-in Textual theme names cannot be replaced.
    """
    result = ThemeLoad()
    by_name: dict[str, Theme] = {}
    for directory in directories:
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.toml")):
            try:
                theme = load_theme_file(path)
            except ThemeError as error:
                result.errors.append(str(error))
                continue
            if theme.name in BUILTIN_THEMES:
                result.errors.append(
                    f"{path.name}: the name {theme.name!r} belongs to a built-in theme."
                )
                continue
            by_name[theme.name] = theme
    result.themes = list(by_name.values())
    return result


def shipped_themes_dir() -> Path:
    """The folder of themes that come with rt-tui (wheel data or the source checkout)."""
    in_wheel = _PACKAGE_DIR / "themes_data"
    if in_wheel.is_dir():
        return in_wheel
    # Source checkout / editable install: src/rt_tui -> project root.
    return _PACKAGE_DIR.parent.parent / "themes"


def theme_directories() -> list[Path]:
    """Shipped themes first, then the user's (so user files override)."""
    from rt_tui.paths import user_themes_dir

    return [shipped_themes_dir(), user_themes_dir()]


def register_themes(app: ThemeHost, directories: Iterable[Path] | None = None) -> ThemeLoad:
    """Register every valid theme with `app`; the caller shows `error_message()` if any."""
    loaded = load_themes(theme_directories() if directories is None else directories)
    for theme in loaded.themes:
        app.register_theme(theme)
    return loaded


def choose_theme(app: ThemeHost, wanted: str | None) -> str:
    """`wanted` if the app knows it, else the default theme, else a built-in."""
    available = app.available_themes
    for name in (wanted, DEFAULT_THEME):
        if name and name in available:
            return name
    return FALLBACK_THEME
