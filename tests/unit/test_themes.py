"""Theme files: shipped ones load, broken ones are reported together, fallback works."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.theme import Theme

from rt_tui.tui.themes import (
    DEFAULT_THEME,
    FALLBACK_THEME,
    ThemeError,
    choose_theme,
    load_theme_file,
    load_themes,
    register_themes,
    shipped_themes_dir,
    theme_directories,
)

GOOD = """
name = "ocean"
primary = "#004578"
background = "#001020"
dark = true
[variables]
"footer-key-foreground" = "#ffa62b"
"""


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_themes_all_load() -> None:
    loaded = load_themes([shipped_themes_dir()])
    assert loaded.errors == []
    names = {theme.name for theme in loaded.themes}
    assert {"rt-midnight", "rt-paper", "rt-high-contrast"} <= names
    assert DEFAULT_THEME in names
    paper = next(theme for theme in loaded.themes if theme.name == "rt-paper")
    assert paper.dark is False


def test_good_file_becomes_a_textual_theme(tmp_path: Path) -> None:
    theme = load_theme_file(write(tmp_path, "ocean.toml", GOOD))
    assert isinstance(theme, Theme)
    assert theme.name == "ocean"
    assert theme.primary == "#004578"
    assert theme.variables == {"footer-key-foreground": "#ffa62b"}
    assert theme.secondary is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('name = "x"\nprimary = ', "is not valid TOML"),
        ('primary = "#fff"', "field 'name' is missing"),
        ('name = "x"\nprimary = "not-a-colour"', "'not-a-colour' is not a colour"),
        ('name = "x"\nprimary = "#fff"\nshiny = true', "unknown field 'shiny'"),
        ('name = "Bad Name"\nprimary = "#fff"', "name: use lower-case letters"),
        ('name = "x"\nprimary = "#fff"\ntext_alpha = 3', "text_alpha"),
        (
            'name = "x"\nprimary = "#fff"\n[variables]\n"footer-key-foreground" = "zzz"',
            "variable 'footer-key-foreground' has an unusable value 'zzz'",
        ),
        (
            'name = "x"\nprimary = "#fff"\n[variables]\n"link-style" = "wobbly"',
            "variable 'link-style' has an unusable value",
        ),
        # Values the CSS tokenizer itself stops at (not a parse error of the rule).
        (
            'name = "x"\nprimary = "#fff"\n[variables]\n"footer-key-foreground" = "red;"',
            "variable 'footer-key-foreground' has an unusable value 'red;'",
        ),
        (
            'name = "x"\nprimary = "#fff"\n[variables]\n"link-style" = "$"',
            "variable 'link-style' has an unusable value '$'",
        ),
        (
            'name = "x"\nprimary = "#fff"\n[variables]\n"text-muted" = "}"',
            "variable 'text-muted' has an unusable value '}'",
        ),
        ('name = "x"\nprimary = "#fff"\n[variables]\n"Bad Name" = "red"', "not a CSS variable"),
        ('name = "x"\nprimary = "#fff"\ndark = "yes"', "dark: should be true or false"),
        ('name = "x"\nprimary = 3', "primary: should be a quoted string"),
        ('name = "x"\nprimary = "#fff"\nvariables = "red"', "variables: should be a table"),
        ('name = "x"\nprimary = "#fff"\n[variables]\n"text-muted" = 1', "variables.text-muted"),
    ],
)
def test_broken_file_gives_one_sentence(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, "broken.toml", text)
    with pytest.raises(ThemeError) as caught:
        load_theme_file(path)
    message = str(caught.value)
    assert message.startswith("broken.toml: ")
    assert expected in message
    assert "\n" not in message
    assert "Traceback" not in message


def test_good_variables_of_every_kind_are_accepted(tmp_path: Path) -> None:
    text = """
name = "vars"
primary = "#004578"
[variables]
"footer-key-foreground" = "#ffa62b"
"text-muted" = "auto 50%"
"link-style" = "bold underline"
"input-selection-background" = "#4c9aff 35%"
"my-own-colour" = "red"
"""
    theme = load_theme_file(write(tmp_path, "vars.toml", text))
    assert theme.variables["link-style"] == "bold underline"


def test_non_utf8_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(b'name = "caf\xe9"\nprimary = "#fff"\n')
    with pytest.raises(ThemeError, match="not UTF-8"):
        load_theme_file(path)


def test_all_broken_files_reported_together_and_good_ones_kept(tmp_path: Path) -> None:
    write(tmp_path, "a-good.toml", GOOD)
    write(tmp_path, "b-bad.toml", "name = 1")
    write(tmp_path, "c-bad.toml", 'name = "c"\nprimary = "nope"')
    write(tmp_path, "notes.txt", "ignored: not a theme file")
    loaded = load_themes([tmp_path, tmp_path / "missing-dir"])
    assert [theme.name for theme in loaded.themes] == ["ocean"]
    assert len(loaded.errors) == 2
    message = loaded.error_message()
    assert message is not None
    assert message.startswith("2 theme files were skipped:")
    assert "b-bad.toml" in message
    assert "c-bad.toml" in message


def test_no_errors_means_no_message(tmp_path: Path) -> None:
    write(tmp_path, "ocean.toml", GOOD)
    assert load_themes([tmp_path]).error_message() is None


def test_builtin_names_cannot_be_replaced(tmp_path: Path) -> None:
    write(tmp_path, "fake.toml", 'name = "textual-dark"\nprimary = "#ff0000"')
    loaded = load_themes([tmp_path])
    assert loaded.themes == []
    assert "built-in" in loaded.errors[0]


def test_later_directory_overrides_earlier(tmp_path: Path) -> None:
    write(tmp_path / "shipped", "ocean.toml", GOOD)
    write(tmp_path / "user", "ocean.toml", GOOD.replace("#004578", "#123456"))
    loaded = load_themes([tmp_path / "shipped", tmp_path / "user"])
    assert [theme.primary for theme in loaded.themes] == ["#123456"]


def test_user_themes_dir_follows_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RT_TUI_CONFIG_DIR", str(tmp_path))
    directories = theme_directories()
    assert directories[0] == shipped_themes_dir()
    assert directories[1] == tmp_path / "themes"


def test_register_and_choose_with_fallback(tmp_path: Path) -> None:
    write(tmp_path, "ocean.toml", GOOD)
    write(tmp_path, "bad.toml", "oops")
    app: App[None] = App()
    loaded = register_themes(app, [tmp_path])
    assert "ocean" in app.available_themes
    assert loaded.error_message() is not None
    assert choose_theme(app, "ocean") == "ocean"
    # Neither the wanted nor the default theme is registered: a built-in is used.
    assert choose_theme(app, "missing") == FALLBACK_THEME
    register_themes(app, [shipped_themes_dir()])
    assert choose_theme(app, "missing") == DEFAULT_THEME
    assert choose_theme(app, None) == DEFAULT_THEME
