"""The event composer (F5) in the app, against the real mock server on loopback: compose
from a template filled with the session's ids, see the checker's verdict, send, and find
the event and the server's answer in the inspector; re-send from the history (kept in
the data folder), insert a snippet from the config, write the event in `$EDITOR`."""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from conftest_app import MessageLog, app_for_url, connected, submit, wait_for
from textual.pilot import Pilot
from textual.widgets import OptionList

from rt_tui.composer_settings import ComposerSettings
from rt_tui.config import Config, McpTool, SessionSettings
from rt_tui.mock.server import MockServer
from rt_tui.realtime.frames import Direction
from rt_tui.tui.app import make_app
from rt_tui.tui.mcp_approval import McpApprovalDialog
from rt_tui.tui.screens.event_composer import EventComposerScreen
from rt_tui.tui.screens.main import MainScreen


@pytest.fixture
async def server() -> AsyncIterator[MockServer]:
    async with MockServer(delta_delay=0) as mock:
        yield mock


def _sent_by_hand(log: MessageLog) -> list[str]:
    """The frames sent, bar the app's own session.update and the chat's messages."""
    ignored = ("session.update", "conversation.item.create", "response.create")
    return [
        f.data
        for f in log.frames(Direction.SENT)
        if isinstance(f.data, str) and f.wire_type not in ignored
    ]


async def _open(pilot: Pilot[int]) -> EventComposerScreen:
    await pilot.press("f5")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, EventComposerScreen), "composer")
    screen = pilot.app.screen
    assert isinstance(screen, EventComposerScreen)
    return screen


async def _choose(pilot: Pilot[int], screen: EventComposerScreen, label: str) -> None:
    """Walk the list down to `label` and press Enter on it."""
    choices = screen.query_one(OptionList)
    choices.focus()
    await pilot.press("home")
    for _ in range(len(choices.options)):
        option = choices.highlighted_option
        if option is not None and str(option.prompt) == label:
            await pilot.press("enter")
            return
        await pilot.press("down")
    raise AssertionError(f"{label!r} is not in the composer's list")


def _check_text(screen: EventComposerScreen) -> str:
    return str(screen.check_view.render())


async def test_a_truncate_from_its_template_is_fixed_sent_and_answered(
    server: MockServer, tmp_path: Path
) -> None:
    log = MessageLog()
    config = Config(session=SessionSettings(output_modality="audio"))
    app = app_for_url(server.ga_url(), tmp_path, config=config)
    async with app.run_test(size=(140, 40), message_hook=log) as pilot:
        main = await connected(pilot)
        await submit(pilot, "say something")
        conversation = main.conversation
        await wait_for(
            pilot,
            lambda: any(r.status == "completed" for r in conversation.responses.values()),
            "the spoken reply",
        )
        reply = next(i for i in conversation.items if i.role == "assistant")
        heard_ms = int(conversation.audio.duration_ms(reply.id) // 2)

        screen = await _open(pilot)
        await _choose(pilot, screen, "conversation.item.truncate")
        event = json.loads(screen.editor.text)
        assert event == {
            "type": "conversation.item.truncate",
            "item_id": reply.id,
            "content_index": 0,
            "audio_end_ms": heard_ms,
        }
        assert heard_ms > 0
        assert "✓ ok" in _check_text(screen)
        # A comma too many after the last field: the JSON error, by line and column.
        await pilot.press("down", "down", "down", "down", "end", ",")
        await wait_for(pilot, lambda: "not valid JSON" in _check_text(screen), "the error")
        assert "line 6, column 1" in _check_text(screen)
        await pilot.press("backspace")
        await wait_for(pilot, lambda: "✓ ok" in _check_text(screen), "the fix")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
        await wait_for(
            pilot,
            lambda: "conversation.item.truncated" in log.wire_types(Direction.RECEIVED),
            "the server's answer",
        )
        assert _sent_by_hand(log) == [screen.editor.text]
        store = main.inspector.store
        await wait_for(pilot, lambda: len(store) == len(log.frames()), "the inspector")
        types = [store.wire_type(i) for i in range(len(store))]
        assert types.index("conversation.item.truncate") < types.index(
            "conversation.item.truncated"
        )


async def test_an_mcp_approval_request_is_answered_from_its_template(
    server: MockServer, tmp_path: Path
) -> None:
    mcp = McpTool(
        server_label="docs", server_url="https://mcp.example/sse", require_approval="always"
    )
    log = MessageLog()
    app = app_for_url(
        server.ga_url(), tmp_path, config=Config(session=SessionSettings(tools=[mcp]))
    )
    async with app.run_test(size=(140, 40), message_hook=log) as pilot:
        main = await connected(pilot)
        await submit(pilot, "search_docs for realtime")
        await wait_for(pilot, lambda: isinstance(app.screen, McpApprovalDialog), "the dialog")
        await pilot.press("escape")  # left for later: answered by hand below
        await wait_for(pilot, lambda: app.screen is main, "the main screen")
        request = next(i for i in main.conversation.items if i.type == "mcp_approval_request")

        screen = await _open(pilot)
        await _choose(pilot, screen, "conversation.item.create (MCP approval)")
        assert json.loads(screen.editor.text) == {
            "type": "conversation.item.create",
            "item": {
                "type": "mcp_approval_response",
                "approval_request_id": request.id,
                "approve": True,
            },
        }
        assert "✓ ok" in _check_text(screen)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is main, "the main screen")

        def answered() -> bool:
            items = main.conversation.items
            return any(i.type == "mcp_approval_response" and i.approved for i in items)

        await wait_for(pilot, answered, "the server's copy of the answer")
        assert "error" not in log.wire_types(Direction.RECEIVED)


async def test_a_warning_does_not_stop_the_send(server: MockServer, tmp_path: Path) -> None:
    log = MessageLog()
    app = app_for_url(server.ga_url(), tmp_path)
    async with app.run_test(size=(140, 40), message_hook=log) as pilot:
        main = await connected(pilot)
        screen = await _open(pilot)
        await _choose(pilot, screen, "conversation.item.retrieve")
        assert json.loads(screen.editor.text)["item_id"] == "<item id>"  # none yet
        await pilot.press("down", "end", "left", "left", *"zz")
        await wait_for(pilot, lambda: "warning" in _check_text(screen), "the warning")
        assert "is not a client event of the GA dialect" in _check_text(screen)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: main.conversation.errors, "the server's error")
        assert main.conversation.errors[-1].error.code == "invalid_value"
        sent = _sent_by_hand(log)
        assert len(sent) == 1
        assert json.loads(sent[0])["type"] == "conversation.item.retrievezz"


async def test_the_history_resends_and_outlives_the_app(server: MockServer, tmp_path: Path) -> None:
    log = MessageLog()
    app = app_for_url(server.ga_url(), tmp_path)
    async with app.run_test(size=(140, 40), message_hook=log) as pilot:
        await connected(pilot)
        await submit(pilot, '/raw {"type": "response.cancel"}')
        await wait_for(pilot, lambda: len(_sent_by_hand(log)) == 1, "the /raw frame")
        screen = await _open(pilot)
        await _choose(pilot, screen, '{"type": "response.cancel"}')
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(_sent_by_hand(log)) == 2, "the frame sent again")
        assert _sent_by_hand(log) == ['{"type": "response.cancel"}'] * 2

    again = app_for_url(None, tmp_path, connect=False)
    async with again.run_test(size=(140, 40)) as pilot:
        screen = await _open(pilot)
        await _choose(pilot, screen, '{"type": "response.cancel"}')
        assert screen.editor.text == '{"type": "response.cancel"}'


async def test_a_snippet_from_the_config_goes_in_at_the_cursor(
    server: MockServer, tmp_path: Path
) -> None:
    log = MessageLog()
    snippet = '{"type": "response.create", "response": {"conversation": "none"}}'
    config = Config(composer=ComposerSettings(snippets={"out of band": snippet}))
    app = app_for_url(server.ga_url(), tmp_path, config=config)
    async with app.run_test(size=(140, 40), message_hook=log) as pilot:
        main = await connected(pilot)
        screen = await _open(pilot)
        await _choose(pilot, screen, "out of band")
        assert screen.editor.text == snippet
        assert app.focused is screen.editor
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: main.conversation.responses, "the out-of-band response")
        sent = [f.data for f in log.frames(Direction.SENT) if f.wire_type == "response.create"]
        assert sent == [snippet]


async def test_the_event_is_written_in_the_editor_from_the_environment(
    server: MockServer, tmp_path: Path
) -> None:
    log = MessageLog()
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import json, sys\n"
        "path = sys.argv[1]\n"
        "event = json.load(open(path))\n"
        "event['response'] = {'instructions': 'from the editor'}\n"
        "open(path, 'w').write(json.dumps(event))\n"
    )
    app = make_app(
        config=Config(),
        config_path=tmp_path / "config.toml",
        env={"EDITOR": f"{sys.executable} {editor}"},
        url=server.ga_url(),
        sessions_dir=tmp_path / "sessions",
    )
    async with app.run_test(size=(140, 40), message_hook=log) as pilot:
        main = await connected(pilot)
        screen = await _open(pilot)
        await _choose(pilot, screen, "response.create")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: "from the editor" in screen.editor.text, "the edit")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: main.conversation.responses, "the response")
        sent = [f.data for f in log.frames(Direction.SENT) if f.wire_type == "response.create"]
        assert json.loads(sent[-1]) == {
            "type": "response.create",
            "response": {"instructions": "from the editor"},
        }


async def test_without_an_editor_the_composer_says_how_to_set_one(tmp_path: Path) -> None:
    app = app_for_url(None, tmp_path, connect=False)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _open(pilot)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: app._notifications, "the notification")
        assert "Set $EDITOR" in next(iter(app._notifications)).message
        assert isinstance(app.screen, EventComposerScreen)
        assert screen.editor.text == ""
