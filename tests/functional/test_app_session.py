"""The app against the real mock server on loopback: chat, inspector, cancel, errors, settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from conftest_app import (
    MessageLog,
    app_for_url,
    connected,
    main_screen,
    offline_app,
    pane_items,
    pane_texts,
    submit,
    type_text,
    wait_for,
)
from textual.pilot import Pilot
from textual.widgets import TextArea

from rt_tui.config import Config, SessionSettings
from rt_tui.mock.server import MockServer
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.recorder import read_log
from rt_tui.tui import cancel_offer
from rt_tui.tui.messages import FrameBatch, LinkState
from rt_tui.tui.screens.main import MainScreen
from rt_tui.tui.screens.settings import SettingsOutcome, SettingsScreen
from rt_tui.tui.widgets.composer import Composer
from rt_tui.tui.widgets.conversation import ConversationPane
from rt_tui.tui.widgets.conversation_blocks import ItemBlock
from rt_tui.tui.widgets.inspector import EventInspector
from rt_tui.tui.widgets.status import StatusBar

TEXT_SESSION = Path(__file__).parent.parent / "fixtures" / "sessions" / "text_session.jsonl"


@pytest.fixture
async def server() -> AsyncIterator[MockServer]:
    async with MockServer(delta_delay=0) as mock:
        yield mock


@pytest.fixture
async def slow_server() -> AsyncIterator[MockServer]:
    # Slow enough that a cancel lands while the reply still streams.
    async with MockServer(delta_delay=0.05) as mock:
        yield mock


def _connected(pilot: Pilot[int]) -> bool:
    return main_screen(pilot).query_one(StatusBar).state is LinkState.CONNECTED


def _cancel_offered(screen: MainScreen) -> bool:
    """Whether the footer offers Escape as an enabled Cancel."""
    return any(
        active.binding.action == "cancel_response" and active.enabled
        for active in screen.active_bindings.values()
    )


def _assistant_blocks(pilot: Pilot[int]) -> list[ItemBlock]:
    pane = main_screen(pilot).query_one(ConversationPane)
    return pane_items(pane, "assistant")


async def test_message_gets_a_streamed_reply_shown_in_both_panes(
    server: MockServer, tmp_path: Path
) -> None:
    log = MessageLog()
    app = app_for_url(server.ga_url(), tmp_path)
    async with app.run_test(size=(140, 40), message_hook=log) as pilot:
        await connected(pilot)
        await type_text(pilot, "hello mock")
        await pilot.press("enter")
        screen = main_screen(pilot)
        await wait_for(
            pilot,
            lambda: any(r.status == "completed" for r in screen.conversation.responses.values()),
            "a completed response",
        )
        pane = screen.query_one(ConversationPane)
        await wait_for(pilot, lambda: not pane.busy, "the pane to draw")

        sent = log.wire_types(Direction.SENT)
        received = log.wire_types(Direction.RECEIVED)
        # The app asks for text replies (the service starts with audio), then sends the turn.
        assert sent[:3] == ["session.update", "conversation.item.create", "response.create"]
        assert "response.output_text.delta" in received
        assert received.count("response.output_text.delta") > 1  # It streamed.

        reply = next(i for i in screen.conversation.items if i.role == "assistant")
        assert reply.text
        blocks = _assistant_blocks(pilot)
        assert len(blocks) == 1
        assert blocks[0].body == reply.text
        user = pane_items(pane, "user")
        assert user
        assert "hello mock" in user[0].body
        [response] = pane_texts(pane, "response")
        assert "completed" in response

        inspector_frames = len(screen.query_one(EventInspector).store)
        assert inspector_frames == len(log.frames())


async def test_escape_cancels_the_running_response(slow_server: MockServer, tmp_path: Path) -> None:
    app = app_for_url(slow_server.ga_url(), tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await connected(pilot)
        assert not _cancel_offered(screen)
        await type_text(pilot, "tell me a long story")
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: any(i.role == "assistant" and i.text for i in screen.conversation.items),
            "the first delta",
        )
        assert _cancel_offered(screen)
        await pilot.press("escape")
        await wait_for(
            pilot,
            lambda: any(r.finished for r in screen.conversation.responses.values()),
            "the response to end",
        )
        (response,) = screen.conversation.responses.values()
        assert response.status == "cancelled"
        assert response.status_reason == "client_cancelled"
        pane = screen.query_one(ConversationPane)
        await wait_for(pilot, lambda: not pane.busy, "the pane to draw")
        [response_line] = pane_texts(pane, "response")
        assert "cancelled" in response_line
        await wait_for(pilot, lambda: not _cancel_offered(screen), "Cancel to be withdrawn")


async def test_server_error_shows_inline_and_in_the_inspector(
    server: MockServer, tmp_path: Path
) -> None:
    log = MessageLog()
    app = app_for_url(server.ga_url(), tmp_path)
    async with app.run_test(size=(140, 40), message_hook=log) as pilot:
        screen = await connected(pilot)
        screen.session.send({"type": "no.such.event"})
        await wait_for(pilot, lambda: screen.conversation.errors, "the error event")
        pane = screen.query_one(ConversationPane)
        await wait_for(pilot, lambda: pane_texts(pane, "error"), "the inline error")
        [line] = pane_texts(pane, "error")
        assert "invalid_value" in line
        assert "error" in log.wire_types(Direction.RECEIVED)
        assert len(screen.query_one(EventInspector).store) == len(log.frames())


async def test_applied_session_settings_reach_the_server(
    server: MockServer, tmp_path: Path
) -> None:
    log = MessageLog()
    app = app_for_url(server.ga_url(), tmp_path)
    async with app.run_test(size=(140, 40), message_hook=log) as pilot:
        screen = await connected(pilot)
        config = Config(session=SessionSettings(instructions="Answer like a pirate."))
        await screen.apply_settings(SettingsOutcome(config=config, apply="session"))
        await wait_for(
            pilot,
            lambda: (
                (screen.conversation.session or {}).get("instructions") == "Answer like a pirate."
            ),
            "session.updated with the new instructions",
        )
        assert "session.update" in log.wire_types(Direction.SENT)


async def test_changed_settings_are_sent_at_connect(server: MockServer, tmp_path: Path) -> None:
    config = Config(session=SessionSettings(instructions="Be brief."))
    app = app_for_url(server.ga_url(), tmp_path, config=config)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = main_screen(pilot)
        await wait_for(
            pilot,
            lambda: (screen.conversation.session or {}).get("instructions") == "Be brief.",
            "the session.update sent at connect",
        )


async def test_session_is_recorded_where_the_status_bar_says(
    server: MockServer, tmp_path: Path
) -> None:
    log_file = tmp_path / "chosen.jsonl"
    app = app_for_url(server.ga_url(), tmp_path, log=log_file)
    async with app.run_test(size=(140, 40)) as pilot:
        await connected(pilot)
        status = main_screen(pilot).query_one(StatusBar)
        assert status.log_path == log_file
        await type_text(pilot, "hi")
        await pilot.press("enter")
        screen = main_screen(pilot)
        await wait_for(
            pilot,
            lambda: any(r.finished for r in screen.conversation.responses.values()),
            "the response",
        )
    directions = {record.direction for record in read_log(log_file)}
    assert directions == {Direction.SENT, Direction.RECEIVED}


async def test_a_log_that_cannot_be_written_is_reported_not_claimed(
    server: MockServer, tmp_path: Path
) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    app = app_for_url(server.ga_url(), tmp_path, log=not_a_folder / "session.jsonl")
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        screen = await connected(pilot)
        await wait_for(pilot, lambda: screen.conversation.session, "session.created")

        def errors() -> list[str]:
            return [n.message for n in app._notifications if n.severity == "error"]

        await wait_for(pilot, errors, "the error notice")
        (note,) = errors()
        assert note.startswith(f"Cannot write the session log {not_a_folder}")
        assert "rec stopped" in screen.query_one(StatusBar).render().plain


async def test_reconnect_starts_a_fresh_session(server: MockServer, tmp_path: Path) -> None:
    app = app_for_url(server.ga_url(), tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await connected(pilot)
        first = screen.session
        await pilot.press("ctrl+r")
        await wait_for(
            pilot, lambda: screen.session is not first and _connected(pilot), "the new session"
        )
        await wait_for(pilot, lambda: screen.conversation.session, "the new session.created")


async def test_token_totals_are_the_sessions_and_start_afresh_on_reconnect(
    server: MockServer, tmp_path: Path
) -> None:
    app = app_for_url(server.ga_url(), tmp_path)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await connected(pilot)
        status = screen.query_one(StatusBar)
        await submit(pilot, "hello")
        await wait_for(pilot, lambda: status.output_tokens, "the first session's tokens")
        totals = screen.conversation.totals
        shown = f"session {totals.input_tokens:,} in / {totals.output_tokens:,} out tok"
        await wait_for(pilot, lambda: shown in str(status.render()), "the totals labelled")

        old = screen.session
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.session is not old and _connected(pilot), "reconnect")
        await wait_for(pilot, lambda: screen.conversation.session, "the new session.created")
        # Nothing was said in this session yet: no tokens, no latency (the account's rate
        # limits, in tokens too, stay).
        text = str(status.render())
        assert " out tok" not in text, text
        assert " ms" not in text, text


async def test_the_conversation_follows_through_re_layouts_cancels_and_details(
    slow_server: MockServer, tmp_path: Path
) -> None:
    app = app_for_url(slow_server.ga_url(), tmp_path)
    async with app.run_test(size=(140, 20)) as pilot:
        screen = await connected(pilot)
        pane = screen.query_one(ConversationPane)

        def at_end() -> bool:
            return not pane.busy and pane.scroll_y == pane.max_scroll_y > 0

        def settled() -> bool:
            responses = screen.conversation.responses.values()
            return bool(responses) and screen.conversation.active_response_id is None

        # Long enough to wrap beside the inspector and not without it.
        await submit(pilot, "a long message that says nothing much " * 3)
        await wait_for(pilot, settled, "the first reply")
        await wait_for(pilot, at_end, "the end of the first reply")

        # Hiding and showing the inspector re-wraps the text (F3 twice): still following.
        await pilot.press("f3", "f3")
        await wait_for(pilot, at_end, "the end after F3")

        await submit(pilot, "cancel me")
        await wait_for(pilot, lambda: screen.conversation.active_response_id, "streaming")
        await pilot.press("escape")
        await wait_for(pilot, settled, "the cancelled reply")
        assert any(r.status == "cancelled" for r in screen.conversation.responses.values())
        await wait_for(pilot, at_end, "the end after Esc")

        await pilot.press("f4")
        await wait_for(pilot, at_end, "the end after F4")

        # Scrolled up, the view stays where the user put it.
        await pilot.click(ConversationPane)
        await pilot.press("home")
        await pilot.press("f4")
        await wait_for(pilot, lambda: not pane.busy, "the details drawn")
        await pilot.pause()
        assert pane.scroll_y == 0


async def test_settings_screen_apply_sends_session_update(
    server: MockServer, tmp_path: Path
) -> None:
    log = MessageLog()
    app = app_for_url(server.ga_url(), tmp_path)
    async with app.run_test(size=(140, 48), message_hook=log) as pilot:
        screen = await connected(pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen), "the settings screen")
        app.screen.query_one("#instructions", TextArea).load_text("Answer like a pirate.")
        await pilot.press("ctrl+o")
        await wait_for(
            pilot,
            lambda: (
                (screen.conversation.session or {}).get("instructions") == "Answer like a pirate."
            ),
            "session.updated with the new instructions",
        )
        assert app.screen is screen
        updates = [f for f in log.frames(Direction.SENT) if f.wire_type == "session.update"]
        assert updates[-1].client_event is not None
        assert updates[-1].client_event["session"]["instructions"] == "Answer like a pirate."


async def test_output_command_without_a_waiting_call_sends_nothing(
    server: MockServer, tmp_path: Path
) -> None:
    log = MessageLog()
    app = app_for_url(server.ga_url(), tmp_path)
    async with app.run_test(size=(140, 40), message_hook=log) as pilot:
        screen = await connected(pilot)
        before = len(log.frames(Direction.SENT))
        screen.query_one(Composer).load_text("/output 42")
        await pilot.press("enter")
        await pilot.pause()
        assert len(log.frames(Direction.SENT)) == before


async def test_audio_reply_shows_its_transcript(server: MockServer, tmp_path: Path) -> None:
    config = Config(session=SessionSettings(output_modality="audio"))
    app = app_for_url(server.ga_url(), tmp_path, config=config)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = main_screen(pilot)
        await connected(pilot)
        await type_text(pilot, "say something")
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: any(r.status == "completed" for r in screen.conversation.responses.values()),
            "the spoken reply",
        )
        reply = next(i for i in screen.conversation.items if i.role == "assistant")
        assert screen.conversation.audio.duration_ms(reply.id) > 0
        pane = screen.query_one(ConversationPane)
        await wait_for(pilot, lambda: not pane.busy, "the pane to draw")
        (block,) = _assistant_blocks(pilot)
        assert block.body == reply.text
        assert reply.text  # The transcript.
        assert "🔊" in block.header


async def _play(pilot: Pilot[int], screen: MainScreen, part: list[Frame]) -> None:
    """Hand the screen `part` as the worker would, and wait until it took them."""
    taken = len(screen.inspector.store) + len(part)
    screen.post_message(FrameBatch(part, screen.session))
    await wait_for(pilot, lambda: len(screen.inspector.store) == taken, "the frames")


TEXT_FRAMES = [record.to_frame() for record in read_log(TEXT_SESSION)]
FIRST_DONE = next(n for n, f in enumerate(TEXT_FRAMES) if f.wire_type == "response.done")


async def test_cancel_stays_offered_between_responses_that_follow_each_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Cancel lighting up and dimming at once would flicker: between two responses it
    # stays (here for an hour after one ends).
    monkeypatch.setattr(cancel_offer, "CANCEL_HOLD_S", 3600.0)
    async with offline_app(tmp_path).run_test(size=(140, 40)) as pilot:
        screen = main_screen(pilot)
        await _play(pilot, screen, TEXT_FRAMES[:10])  # The first response streams.
        assert _cancel_offered(screen)
        await _play(pilot, screen, TEXT_FRAMES[10 : FIRST_DONE + 1])  # It ends.
        assert screen.conversation.active_response_id is None
        assert _cancel_offered(screen)
        await _play(pilot, screen, TEXT_FRAMES[FIRST_DONE + 1 : 35])  # The next one starts.
        assert _cancel_offered(screen)


async def test_cancel_goes_a_moment_after_the_last_response_ended(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cancel_offer, "CANCEL_HOLD_S", 0.01)
    async with offline_app(tmp_path).run_test(size=(140, 40)) as pilot:
        screen = main_screen(pilot)
        await _play(pilot, screen, TEXT_FRAMES[:10])
        assert _cancel_offered(screen)
        await _play(pilot, screen, TEXT_FRAMES[10 : FIRST_DONE + 1])
        await wait_for(pilot, lambda: not _cancel_offered(screen), "Cancel to go")
