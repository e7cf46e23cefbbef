"""The first frame comes first: what it does not show loads after it, when first used.

Without a config file the default settings (pydantic's models, ~100 ms to load) are made
when first asked for; a config file is read and checked before the screen opens, as before.
"""

from __future__ import annotations

from pathlib import Path

from rt_tui.config import Config
from rt_tui.tui.app import make_app


def test_without_a_config_file_the_defaults_are_made_when_first_needed(tmp_path: Path) -> None:
    app = make_app(config_path=tmp_path / "config.toml", env={}, connect=False)
    assert app.context.loaded_config is None
    assert app.context.config == Config()
    assert app.context.loaded_config is app.context.config


async def test_a_config_file_is_read_before_the_screen_opens(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[ui]\ntheme = "textual-light"\n\n[reconnect]\ntries = 3\n', encoding="utf-8")
    app = make_app(config_path=path, env={}, connect=False)
    assert app.context.loaded_config is not None
    assert app.context.config.reconnect.tries == 3
    async with app.run_test(size=(120, 40)):
        assert app.theme == "textual-light"
