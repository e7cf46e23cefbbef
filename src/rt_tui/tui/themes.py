"""Themes as data: TOML files validated with pydantic, turned into Textual themes.

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
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from textual.color import Color, ColorParseError
from textual.css.stylesheet import Stylesheet, StylesheetParseError
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
    for rule in rules:
        sheet = Stylesheet(variables={**_THEME_VARIABLES, name: value})
        sheet.add_source(f"Screen {{ {rule}: ${name}; }}")
        try:
            sheet.parse()
        except StylesheetParseError:
            continue
        return None
    return f"variable {name!r} has an unusable value {value!r}"


_PACKAGE_DIR = Path(__file__).resolve().parent.parent


class ThemeFile(BaseModel):
    """The schema of one theme file: Textual's theme fields, colours checked up front."""

    model_config = ConfigDict(extra="forbid")

    name: str
    """Lower-case letters, digits, `-` and `_`; what the user picks in the palette."""
    primary: str
    secondary: str | None = None
    warning: str | None = None
    error: str | None = None
    success: str | None = None
    accent: str | None = None
    foreground: str | None = None
    background: str | None = None
    surface: str | None = None
    panel: str | None = None
    boost: str | None = None
    dark: bool = True
    luminosity_spread: float = Field(0.15, ge=0.0, le=1.0)
    text_alpha: float = Field(0.95, ge=0.0, le=1.0)
    variables: dict[str, str] = Field(default_factory=dict)
    """Extra Textual CSS variables, e.g. `footer-key-foreground`."""

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        if not _NAME_PATTERN.match(value):
            raise ValueError("use lower-case letters, digits, '-' or '_'")
        return value

    @field_validator(
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
    @classmethod
    def _check_colour(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                Color.parse(value)
            except ColorParseError:
                raise ValueError(f"{value!r} is not a colour") from None
        return value

    @field_validator("variables")
    @classmethod
    def _check_variables(cls, value: dict[str, str]) -> dict[str, str]:
        for name, setting in value.items():
            problem = _variable_problem(name, setting)
            if problem:
                raise ValueError(problem)
        return value

    def to_theme(self) -> Theme:
        """The Textual theme this file describes."""
        return Theme(**self.model_dump())


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


def _first_error(error: ValidationError) -> str:
    detail = error.errors()[0]
    where = ".".join(str(part) for part in detail["loc"])
    message = str(detail["msg"]).removeprefix("Value error, ")
    if detail["type"] == "extra_forbidden":
        return f"unknown field {where!r}"
    if detail["type"] == "missing":
        return f"field {where!r} is missing"
    return f"{where}: {message}" if where else message


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
        return ThemeFile.model_validate(raw).to_theme()
    except ValidationError as error:
        raise ThemeError(f"{path.name}: {_first_error(error)}.") from None


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
