"""The config's [ui] section: theme and keymap, saved and loaded, bad values named."""

from __future__ import annotations

from pathlib import Path

import pytest

import rt_tui.tui.app  # noqa: F401  (loads the app and its main screen, whose bindings count)
from rt_tui.config import Config, ConfigError, UiSettings, load_config, save_config
from rt_tui.tui.ui_settings import keymap_problem, known_binding_ids


def test_ui_settings_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    config = Config(
        ui=UiSettings(
            theme="textual-light",
            keymap={"main.toggle_inspector": "f3,ctrl+o", "app.help": "f1"},
        )
    )
    save_config(config, path)
    assert load_config(path) == config
    text = path.read_text()
    assert "[ui]" in text
    assert 'theme = "textual-light"' in text


def test_no_ui_section_means_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[session]\ninstructions = "Be brief."\n')
    assert load_config(path).ui == UiSettings()


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('[ui]\ncolour = "red"\n', "'ui.colour'"),
        ('[ui.keymap]\n"app.help" = "f1,"\n', "'ui.keymap'"),
        ("[ui]\ntheme = 3\n", "'ui.theme'"),
    ],
)
def test_a_bad_ui_value_is_one_sentence_naming_it(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert where in message
    assert "\n" not in message


def test_every_binding_id_of_the_app_is_known() -> None:
    known = known_binding_ids()
    for binding_id in ("app.help", "app.quit", "main.settings", "main.toggle_inspector"):
        assert binding_id in known
    assert "inspector.filter" in known
    assert keymap_problem({"app.help": "f1"}, known) is None
    problem = keymap_problem({"app.hepl": "f1"}, known)
    assert problem is not None
    assert "'app.hepl'" in problem
