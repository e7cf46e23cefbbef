"""The session config view (ctrl+o) against the mock server on loopback: what the app and
a raw session.update asked for, against what the mock's session.updated says the session
got, in both dialects; and two profiles of the config side by side."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from conftest_app import app_for_url, connected, screen_text, submit, wait_for
from textual.pilot import Pilot

from rt_tui.config import Config, Profile, Provider, SessionSettings
from rt_tui.mock.server import MockServer
from rt_tui.tui.screens.main import MainScreen
from rt_tui.tui.screens.session_diff import SessionDiffScreen


@pytest.fixture
async def server() -> AsyncIterator[MockServer]:
    async with MockServer(delta_delay=0) as mock:
        yield mock


def answered(screen: MainScreen) -> int:
    """How many of the session's session.update were answered so far."""
    return sum(
        1
        for exchange in screen.conversation.session_history.exchanges
        if exchange.kind == "session.update" and exchange.state == "answered"
    )


def words_from(text: str, field: str) -> list[str]:
    """The words of the view's line for `field`, from `field` to the end of the line."""
    for line in text.splitlines():
        words = line.replace("│", " ").replace("▎", " ").split()
        if field in words:
            return words[words.index(field) :]
    raise AssertionError(f"no line for {field} in:\n{text}")


def row(text: str, field: str) -> list[str]:
    """An update's row for `field`: its status, the field, what was sent, what the
    session got."""
    for line in text.splitlines():
        words = line.replace("│", " ").replace("▎", " ").split()
        if field in words and words.index(field) > 0:
            return words[words.index(field) - 1 :]
    raise AssertionError(f"no row for {field} in:\n{text}")


async def open_view(pilot: Pilot[int]) -> SessionDiffScreen:
    await pilot.press("ctrl+o")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SessionDiffScreen), "the view")
    view = pilot.app.screen
    assert isinstance(view, SessionDiffScreen)
    await pilot.pause()
    return view


async def test_the_view_shows_what_the_service_clamped_and_ignored(
    server: MockServer, tmp_path: Path
) -> None:
    # The voice is sent with the settings at connect; the mock has no voice "nova".
    config = Config(session=SessionSettings(voice="nova"))
    app = app_for_url(server.ga_url(), tmp_path, config=config)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await connected(pilot)
        await wait_for(pilot, lambda: answered(screen) == 1, "the settings sent at connect")
        raw = {
            "type": "session.update",
            "session": {
                "type": "realtime",
                "max_output_tokens": 10000,
                "audio": {"output": {"speed": 3}},
            },
        }
        await submit(pilot, "/raw " + json.dumps(raw))
        await wait_for(pilot, lambda: answered(screen) == 2, "the raw update answered")

        await open_view(pilot)
        text = screen_text(app)  # The newest update with a problem: the raw one.
        assert "2 clamped · 1 accepted" in text
        assert row(text, "max_output_tokens")[:4] == [
            "clamped",
            "max_output_tokens",
            "10000",
            "4096",
        ]
        assert row(text, "audio.output.speed")[:4] == ["clamped", "audio.output.speed", "3", "1.5"]

        await pilot.press("up")  # The update the app sent at connect.
        await pilot.pause()
        text = screen_text(app)
        voice = row(text, "audio.output.voice")
        assert voice[:4] == ["ignored", "audio.output.voice", '"nova"', '"marin"']
        assert "(kept its earlier" in text
        assert row(text, "output_modalities")[0] == "accepted"

        await pilot.press("n")  # Only what the service did not take as sent.
        await pilot.pause()
        text = screen_text(app)
        assert "output_modalities" not in text
        assert "audio.output.voice" in text

        await pilot.press("up")  # The new session's defaults.
        await pilot.pause()
        assert "session.created: the new session's defaults" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, "back to the main screen")


async def test_a_beta_session_clamps_temperature_and_speed(
    server: MockServer, tmp_path: Path
) -> None:
    url = server.azure_preview_url("gpt-4o-realtime-preview")
    app = app_for_url(url, tmp_path)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await connected(pilot)
        raw = {"type": "session.update", "session": {"temperature": 2.0, "speed": 0.1}}
        await submit(pilot, "/raw " + json.dumps(raw))

        def raw_answered() -> bool:
            exchanges = screen.conversation.session_history.exchanges
            return any(e.sent == raw["session"] and e.after is not None for e in exchanges)

        await wait_for(pilot, raw_answered, "the raw update answered")
        await open_view(pilot)
        text = screen_text(app)
        assert row(text, "temperature")[:4] == ["clamped", "temperature", "2.0", "1.2"]
        assert row(text, "speed")[:4] == ["clamped", "speed", "0.1", "0.25"]


async def test_a_refused_update_says_why(server: MockServer, tmp_path: Path) -> None:
    app = app_for_url(server.ga_url(), tmp_path)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await connected(pilot)
        bad = {
            "type": "session.update",
            "session": {
                "type": "realtime",
                "audio": {"input": {"turn_detection": {"threshold": 2}}},
            },
        }
        await submit(pilot, "/raw " + json.dumps(bad))
        await wait_for(pilot, lambda: screen.conversation.errors, "the error")
        await open_view(pilot)
        text = screen_text(app)
        assert "refused: decimal_out_of_range" in text
        assert row(text, "audio.input.turn_detection.threshold")[0] == "refused"


async def test_two_profiles_side_by_side(server: MockServer, tmp_path: Path) -> None:
    config = Config(
        active_profile="mock",
        profiles={
            "mock": Profile(provider=Provider.URL, endpoint=server.ga_url()),
            "azure": Profile(provider=Provider.AZURE_PREVIEW, endpoint="myres", model="dep"),
        },
    )
    app = app_for_url(None, tmp_path, config=config, profile="mock")
    async with app.run_test(size=(160, 40)) as pilot:
        await connected(pilot)
        view = await open_view(pilot)
        await pilot.press("end")  # The last profile in the list.
        await pilot.pause()
        text = screen_text(app)
        assert "Profile mock against azure" in text
        assert words_from(text, "dialect")[1:3] == ["ga", "beta"]
        assert words_from(text, "provider")[1:3] == ["url", "azure-preview"]
        assert words_from(text, "session.type")[1:3] == ['"realtime"', "—"]  # beta has no type

        await pilot.press("b")  # azure becomes the base
        await pilot.pause()
        assert view.base == "azure"
        await pilot.press("up")  # mock, against the new base
        await pilot.pause()
        text = screen_text(app)
        assert "Profile azure against mock" in text
        assert words_from(text, "dialect")[1:3] == ["beta", "ga"]
