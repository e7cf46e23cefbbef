"""The main screen's chrome at small sizes: status bar, footer, toasts, focus, palette."""

from __future__ import annotations

from pathlib import Path

from conftest_app import main_screen, type_text, wait_for
from textual.widgets._footer import FooterKey
from textual.widgets._toast import Toast

from rt_tui.config import Config
from rt_tui.realtime.dialect import Dialect
from rt_tui.tui.app import make_app
from rt_tui.tui.messages import LinkChanged, LinkState
from rt_tui.tui.screens.settings import SettingsScreen
from rt_tui.tui.widgets.key_footer import KeyFooter
from rt_tui.tui.widgets.status import StatusBar


def offline(tmp_path: Path, **kwargs: object):
    return make_app(
        config=Config(),
        config_path=tmp_path / "config.toml",
        env={},
        sessions_dir=tmp_path / "sessions",
        connect=False,
        **kwargs,  # type: ignore[arg-type]
    )


async def test_status_bar_at_80_columns_keeps_the_log_by_shortening(tmp_path: Path) -> None:
    app = offline(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = main_screen(pilot)
        screen.post_message(
            LinkChanged(
                LinkState.CONNECTED,
                host="127.0.0.1",
                dialect=Dialect.GA,
                model="gpt-realtime",
                source=screen.session,
            )
        )
        status = screen.query_one(StatusBar)
        await wait_for(pilot, lambda: status.state is LinkState.CONNECTED, "the state")
        status.set_usage(latency_ms=4, input_tokens=1_044, output_tokens=72)
        status.set_log_path(tmp_path / "20261124-042513-bd19df.jsonl")
        text = str(status.render())
        assert text.startswith("● 127.0.0.1 · ga · gpt-realtime · 00:00 · 4 ms")
        assert "1,044/72 tok" in text
        assert text.endswith("rec …bd19df")
        assert len(text) <= status.size.width


async def test_nothing_configured_says_to_open_the_settings(tmp_path: Path) -> None:
    app = make_app(config=Config(), config_path=tmp_path / "config.toml", env={})
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen), "the settings")
        await pilot.press("escape")
        screen = main_screen(pilot)
        status = str(screen.query_one(StatusBar).render())
        assert status == "○ idle Nothing is configured: press F2 to open the settings."
        await type_text(pilot, "hi")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app._notifications, "a notification")
        said = [n.message for n in app._notifications]
        assert any(m.startswith("Nothing is configured: press F2") for m in said), said
        assert not any("ctrl+r" in m for m in said)


async def test_notifications_are_short_and_leave_the_status_bar_visible(tmp_path: Path) -> None:
    app = offline(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = main_screen(pilot)
        screen.notify("Saved.")
        screen.notify("Could not connect.", title="Connection failed", severity="error")
        await wait_for(pilot, lambda: len(screen.query(Toast)) == 2, "the toasts")
        info, error = (n.timeout for n in app._notifications)
        assert 3 <= info <= 4
        assert info < error <= 6
        status = screen.query_one(StatusBar).region
        for toast in screen.query(Toast):
            assert not toast.region.overlaps(status)


def _names(screen) -> list[str]:
    """The footer's key descriptions, left to right ([] while it recomposes)."""
    keys = screen.query(KeyFooter).first().query(FooterKey)
    return [key.description for key in keys if not key.has_class("-command-palette")]


def _footer_keys(screen) -> tuple[list[FooterKey], FooterKey]:
    keys = list(screen.query(KeyFooter).first().query(FooterKey))
    palette = next(key for key in keys if key.has_class("-command-palette"))
    return [key for key in keys if key is not palette], palette


async def test_footer_at_80_columns_shows_the_essential_keys_whole(tmp_path: Path) -> None:
    app = offline(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = main_screen(pilot)
        await wait_for(pilot, lambda: "Quit" in _names(screen), "the footer keys")
        keys, palette = _footer_keys(screen)
        assert [key.description for key in keys[:4]] == ["Settings", "Inspector", "Help", "Quit"]
        for key in keys:
            assert key.region.right <= palette.region.x, f"{key.description} runs under ^p"
        assert palette.region.right <= 80

        screen._responding = True  # As while a response streams.
        screen.refresh_bindings()
        await wait_for(pilot, lambda: _names(screen)[:1] == ["Cancel"], "Cancel first")
        keys, palette = _footer_keys(screen)
        assert all(key.region.right <= palette.region.x for key in keys)
        assert "Quit" in [key.description for key in keys]

        screen.inspector.query_one("#inspector-rows").focus()
        await wait_for(pilot, lambda: _names(screen)[5:6] == ["Tail"], "its keys next")
        keys, palette = _footer_keys(screen)
        names = [key.description for key in keys]
        assert names[:5] == ["Cancel", "Settings", "Inspector", "Help", "Quit"]
        assert "Details" not in names  # The focused pane's keys come before the others.
        assert all(key.region.right <= palette.region.x for key in keys)
