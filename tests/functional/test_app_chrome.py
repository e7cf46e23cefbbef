"""The main screen's chrome at small sizes: status bar, footer, toasts, focus, palette."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest_app import (
    app_for_url,
    connected,
    main_screen,
    offline_app,
    screen_text,
    submit,
    type_text,
    wait_for,
)
from textual.command import CommandPalette
from textual.message import Message
from textual.messages import Layout
from textual.screen import Screen
from textual.widgets._toast import Toast
from textual.widgets._tooltip import Tooltip

from rt_tui.config import Config
from rt_tui.dialect import Dialect
from rt_tui.mock.server import MockServer
from rt_tui.tui.app import make_app
from rt_tui.tui.commands import bound_actions, is_keystroke
from rt_tui.tui.messages import LinkChanged, LinkState
from rt_tui.tui.screens.main import MainScreen
from rt_tui.tui.screens.settings import SettingsScreen
from rt_tui.tui.widgets.frame_rows import FrameRows
from rt_tui.tui.widgets.key_footer import KeyFooter, ShownKey
from rt_tui.tui.widgets.scroll_content import OVERFLOWS
from rt_tui.tui.widgets.status import StatusBar


async def test_status_bar_at_80_columns_keeps_the_log_by_shortening(tmp_path: Path) -> None:
    app = offline_app(tmp_path)
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
        assert text.startswith("● 127.0.0.1 · ga · gpt-realtime · 60:00 · 4 ms")
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
    app = offline_app(tmp_path)
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


def _footer(screen: MainScreen) -> list[str]:
    """The footer's shown key descriptions, left to right, after checking each is drawn
    whole left of the palette key; [] before the footer has its keys."""
    keys = screen.query_one(KeyFooter).keys
    palette = [key for key in keys if key.palette]
    others = [key for key in keys if not key.palette]
    if not palette or not others:
        return []
    for key in others:
        assert key.end <= palette[0].start, f"{key.description} runs under ^p"
    assert palette[0].end <= screen.size.width
    return [key.description for key in others]


def _key(screen: MainScreen, description: str) -> ShownKey:
    return next(k for k in screen.query_one(KeyFooter).keys if k.description == description)


def _cancel_dimmed(screen: MainScreen) -> bool:
    keys = screen.query_one(KeyFooter).keys
    return any(key.action == "cancel_response" and not key.enabled for key in keys)


async def test_footer_at_80_columns_shows_the_essential_keys_whole(tmp_path: Path) -> None:
    app = offline_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = main_screen(pilot)
        # Cancel keeps its place, dimmed while no response runs (see the next test).
        essential = ["Cancel", "Settings", "Inspector", "Help", "Quit"]
        await wait_for(pilot, lambda: _footer(screen)[:5] == essential, "the essential keys")
        assert _cancel_dimmed(screen)

        screen.set_responding(True)  # As while a response streams.
        await wait_for(pilot, lambda: not _cancel_dimmed(screen), "Cancel offered")
        assert _footer(screen)[:5] == essential

        screen.inspector.query_one("#inspector-rows").focus()
        # The focused pane's keys come before the screen's other keys (Details…).
        await wait_for(pilot, lambda: _footer(screen)[:6] == [*essential, "Tail"], "its keys")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_each_footer_key_is_drawn_whole_in_its_columns(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """A key's columns are worked out, not measured from a drawing: at both paddings
    (compact below 110 columns) they hold the key's text exactly, so no key is cut,
    padded or drawn where a click would not find it."""
    app = offline_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        screen = main_screen(pilot)
        await wait_for(pilot, lambda: bool(_footer(screen)), "the footer")
        footer = screen.query_one(KeyFooter)
        line = footer.render_line(0).text
        assert len(line) == size[0]
        compact = size[0] < 110
        for key in footer.keys:
            text = f"{key.key_display} {key.description}"
            if key.palette:
                text = f"▏{text}" if compact else f"▏ {text}  "
            elif not compact:
                text = f" {text} "
            assert line[key.start : key.end] == text
            if compact and not key.palette:
                assert line[key.end] == " "  # A cell of the footer after each key.


async def test_a_footer_key_runs_its_action_when_clicked(tmp_path: Path) -> None:
    app = offline_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(pilot)
        await wait_for(pilot, lambda: "Settings" in _footer(screen), "the footer")
        settings = _key(screen, "Settings")
        await pilot.click(KeyFooter, offset=(settings.end - 1, 0))
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen), "the settings")


async def test_a_hovered_footer_key_is_lit_and_says_what_it_does(tmp_path: Path) -> None:
    app = offline_app(tmp_path)
    async with app.run_test(size=(120, 40), tooltips=True) as pilot:
        screen = main_screen(pilot)
        await wait_for(pilot, lambda: "Settings" in _footer(screen), "the footer")
        footer = screen.query_one(KeyFooter)
        settings, inspector = _key(screen, "Settings"), _key(screen, "Inspector")

        def background(key: ShownKey) -> object:
            cell = list(footer.render_line(0).crop(key.start, key.start + 1))
            return cell[0].style.bgcolor if cell[0].style else None

        assert background(settings) == background(inspector)
        await pilot.hover(KeyFooter, offset=(settings.start + 1, 0))
        await wait_for(pilot, lambda: background(settings) != background(inspector), "a light")
        tooltip = screen.query_one(Tooltip)
        await wait_for(pilot, lambda: tooltip.display, "the tooltip")
        assert settings.tooltip
        assert str(tooltip.content) == settings.tooltip

        await pilot.hover(KeyFooter, offset=(inspector.start + 1, 0))
        await wait_for(pilot, lambda: background(settings) == background(_key(screen, "Help")))
        await wait_for(pilot, lambda: tooltip.display, "the tooltip")
        assert str(tooltip.content) == inspector.tooltip


@pytest.mark.parametrize("width", [160, 120])
async def test_a_stream_of_replies_lays_nothing_out_after_the_first(
    tmp_path: Path, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Replies that start and end, and panes that fill up and overflow, never lay the
    screen out again (a full layout is a pass over every widget, and a repaint of all of
    them). Cancel only brightens and dims in its place, and each pane's scrollbar is
    placed from the start, unseen until its content overflows: showing and hiding Cancel
    cost two layouts per response, each scrollbar's appearance two more. The footer
    keeps its keys (a recompose per response churned the layout, and Textual keeps every
    replaced key's styles cache, lines and all, so it grew a long session)."""
    layouts: list[Layout] = []
    counting = False

    def note(message: Message) -> None:
        if counting and isinstance(message, Layout):
            layouts.append(message)

    # A layout of the whole screen posts no Layout message: count the screen's own.
    screen_layouts: list[Screen[object]] = []
    lay_out = Screen._refresh_layout

    def count_layout(self: Screen[object], *args: Any, **kwargs: Any) -> None:
        if counting:
            screen_layouts.append(self)
        lay_out(self, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", count_layout)

    async with MockServer(delta_delay=0.005) as server:
        app = app_for_url(server.ga_url(), tmp_path)
        async with app.run_test(size=(width, 40), message_hook=note) as pilot:
            screen = await connected(pilot)
            await wait_for(pilot, lambda: _footer(screen)[:1] == ["Cancel"], "the footer")
            footer = screen.query_one(KeyFooter)
            shown = _footer(screen)
            rows = screen.inspector.query_one(FrameRows)

            async def reply(number: int) -> None:
                await submit(pilot, "hi")
                await wait_for(pilot, lambda: not _cancel_dimmed(screen), "Cancel offered")
                await wait_for(
                    pilot,
                    lambda: (
                        len(screen.conversation.responses) == number
                        and all(r.finished for r in screen.conversation.responses.values())
                    ),
                    "the response to end",
                )
                await wait_for(pilot, lambda: _cancel_dimmed(screen), "Cancel dimmed")
                await wait_for(pilot, lambda: not screen.pane.busy, "the pane drawn")

            await reply(1)
            assert not rows.has_class(OVERFLOWS)
            assert not screen.pane.has_class(OVERFLOWS)
            counting = True
            for number in range(2, 7):
                await reply(number)
            # Both panes overflowed meanwhile: their scrollbars show.
            assert rows.has_class(OVERFLOWS)
            assert screen.pane.has_class(OVERFLOWS)
            # The scrollbars' colours came without restyling the panes' insides (their
            # scrollbars then asked for a layout of the screen each).
            assert screen_layouts == []
            assert [message.widget for message in layouts] == []
            assert _footer(screen) == shown
            assert screen.query_one(KeyFooter) is footer


async def test_palette_has_human_help_and_no_cursor_moves(tmp_path: Path) -> None:
    app = offline_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = main_screen(pilot)
        for focus in (screen.composer, screen.inspector.query_one("#inspector-rows")):
            focus.focus()
            await pilot.pause()
            listed = bound_actions(screen)
            actions = {bound.action for bound in listed}
            assert not any(is_keystroke(action) for action in actions), actions
            assert not {"cursor_down", "delete_left", "app.focus_next", "focus_next"} & actions
            for bound in listed:
                assert bound.help != bound.action, f"{bound.name} shows its action name"
        helps = {bound.name: bound.help for bound in listed}
        assert helps["Settings"] == "Profiles, connection and session settings"
        assert "Tail" in helps  # A pane's own key (not a cursor move) stays listed.

        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await type_text(pilot, "settings")
        await wait_for(pilot, lambda: "Settings (f2)" in screen_text(app), "the hit")
        assert "Profiles, connection and session settings" in screen_text(app)
        assert "action_settings" not in screen_text(app)


def test_keystroke_actions() -> None:
    assert is_keystroke("cursor_down(True)")
    assert is_keystroke("inspector.page_up_rows")
    assert not is_keystroke("export(False)")
    assert not is_keystroke("app.help")


async def test_the_focused_pane_is_marked_without_colour(tmp_path: Path) -> None:
    app = offline_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = main_screen(pilot)
        panes = {
            "Conversation": screen.conversation_box,
            "Events": screen.inspector,
            "Message": screen.composer_box,
        }
        targets = {
            "Conversation": screen.pane,
            "Events": screen.inspector.query_one("#inspector-rows"),
            "Message": screen.composer,
        }
        for name, target in targets.items():
            target.focus()
            await pilot.pause()
            for other, pane in panes.items():
                title = str(pane.border_title)
                edge = pane.styles.border.top[0]
                if other == name:
                    assert (title, edge) == (f"▶ {other}", "heavy")
                else:
                    assert (title, edge) == (other, "round")
