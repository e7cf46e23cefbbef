"""The tool workbench against the mock on loopback: a call as the conversation shows it,
answered by a shell command, a demo tool or the user in a dialog (several, each on its
own) or by /output, and MCP tools."""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from conftest_app import (
    MessageLog,
    app_for_url,
    connected,
    pane_items,
    pane_texts,
    submit,
    wait_for,
)
from textual.pilot import Pilot
from textual.widgets import Input

from rt_tui.config import Config, FunctionTool, McpTool, SessionSettings
from rt_tui.mock.server import MockServer
from rt_tui.realtime.frames import Direction
from rt_tui.tui.call_answer import CallAnswerDialog
from rt_tui.tui.mcp_approval import McpApprovalDialog
from rt_tui.tui.screens.main import MainScreen
from rt_tui.tui.widgets.conversation import ConversationPane

CITY = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}


@pytest.fixture
async def server() -> AsyncIterator[MockServer]:
    async with MockServer(delta_delay=0) as mock:
        yield mock


def _sent(log: MessageLog, kind: str) -> list[dict[str, object]]:
    return [
        f.client_event
        for f in log.frames(Direction.SENT)
        if f.client_event is not None and f.client_event.get("type") == kind
    ]


def _outputs(log: MessageLog) -> list[str]:
    return [
        str(e["item"]["output"])  # type: ignore[index]
        for e in _sent(log, "conversation.item.create")
        if e["item"]["type"] == "function_call_output"  # type: ignore[index]
    ]


def _completed(screen: MainScreen) -> int:
    return sum(r.status == "completed" for r in screen.conversation.responses.values())


@asynccontextmanager
async def _tools_app(
    url: str, tmp_path: Path, *tools: FunctionTool | McpTool, log: MessageLog | None = None
) -> AsyncIterator[tuple[Pilot[int], MainScreen]]:
    """The app connected to `url` with `tools` in its session config, once the session
    has them; `log` records the messages it posts."""
    app = app_for_url(url, tmp_path, config=Config(session=SessionSettings(tools=list(tools))))
    async with app.run_test(size=(140, 48), message_hook=log) as pilot:
        screen = await connected(pilot)
        await wait_for(pilot, lambda: (screen.conversation.session or {}).get("tools"), "the tools")
        yield pilot, screen


async def _dialog(pilot: Pilot[int], after: CallAnswerDialog | None = None) -> CallAnswerDialog:
    """The dialog for a call once it is on top (another than `after`)."""

    def shown() -> bool:
        return isinstance(pilot.app.screen, CallAnswerDialog) and pilot.app.screen is not after

    await wait_for(pilot, shown, "a call's dialog")
    dialog = pilot.app.screen
    assert isinstance(dialog, CallAnswerDialog)
    return dialog


async def _answer(pilot: Pilot[int], dialog: CallAnswerDialog, output: str) -> None:
    """Type `output` as the call's answer and press Enter."""
    dialog.query_one("#call-output", Input).value = output
    await pilot.press("enter")


async def test_a_call_shows_its_name_and_arguments_and_waits_for_output_after_escape(
    server: MockServer, tmp_path: Path
) -> None:
    tool = FunctionTool(name="get_weather", description="The weather in a city.", parameters=CITY)
    log = MessageLog()
    async with _tools_app(server.ga_url(), tmp_path, tool, log=log) as (pilot, screen):
        await submit(pilot, "please call get_weather")
        await wait_for(
            pilot,
            lambda: any(
                i.type == "function_call" and i.status == "completed"
                for i in screen.conversation.items
            ),
            "the function call",
        )
        pane = screen.query_one(ConversationPane)
        await wait_for(pilot, lambda: not pane.busy, "the pane to draw")
        call = pane_items(pane, "tool")[0]
        assert call.header.startswith("ƒ get_weather  call ")
        assert '"city"' in call.body

        # The call waits for the user in a dialog; Esc leaves it waiting for /output.
        await _dialog(pilot)
        await pilot.press("escape")
        await submit(pilot, '/output {"temperature_c": 21}')
        await wait_for(pilot, lambda: _completed(screen) == 2, "the reply after the output")
        await wait_for(pilot, lambda: not pane.busy, "the pane to draw")
        assert "temperature_c" in pane_items(pane, "tool")[1].body
        assert _outputs(log) == ['{"temperature_c": 21}']


async def test_a_shell_command_answers_the_call_and_the_model_goes_on(
    server: MockServer, tmp_path: Path
) -> None:
    script = tmp_path / "lookup.py"
    script.write_text(
        "import json, sys\n"
        "city = json.load(sys.stdin)['city']\n"
        "print(json.dumps({'city': city, 'population': 1234}))\n"
    )
    tool = FunctionTool(
        name="lookup", parameters=CITY, answer="command", command=f"{sys.executable} {script}"
    )
    log = MessageLog()
    async with _tools_app(server.ga_url(), tmp_path, tool, log=log) as (pilot, screen):
        await submit(pilot, "please lookup the city")
        await wait_for(pilot, lambda: _completed(screen) == 2, "the reply after the output")
        (output,) = _outputs(log)
        assert json.loads(output)["population"] == 1234
        assert len(_sent(log, "response.create")) == 2  # The message's, then one after it.
        pane = screen.query_one(ConversationPane)
        await wait_for(pilot, lambda: not pane.busy, "the pane to draw")
        assert any("answered by its command" in line for line in pane_texts(pane, "notice"))
        assert "1234" in pane_items(pane, "assistant")[-1].body


async def test_a_failing_command_sends_its_error_as_the_output(
    server: MockServer, tmp_path: Path
) -> None:
    command = f"{sys.executable} -c \"import sys; sys.exit('no such city')\""
    tool = FunctionTool(name="lookup", parameters=CITY, answer="command", command=command)
    log = MessageLog()
    async with _tools_app(server.ga_url(), tmp_path, tool, log=log) as (pilot, screen):
        await submit(pilot, "lookup please")
        await wait_for(pilot, lambda: _completed(screen) == 2, "the reply after the output")
        error = json.loads(_outputs(log)[0])["error"]
        assert error == "The command exited with status 1: no such city"
        pane = screen.query_one(ConversationPane)
        await wait_for(pilot, lambda: not pane.busy, "the pane to draw")
        assert any(error in line for line in pane_texts(pane, "notice"))


async def test_a_demo_tool_answers_by_itself(server: MockServer, tmp_path: Path) -> None:
    tool = FunctionTool(name="get_time", answer="demo")
    log = MessageLog()
    async with _tools_app(server.ga_url(), tmp_path, tool, log=log) as (pilot, screen):
        await submit(pilot, "what does get_time say?")
        await wait_for(pilot, lambda: _completed(screen) == 2, "the reply after the output")
        assert json.loads(_outputs(log)[0])["zone"] == "UTC"


async def test_several_calls_are_answered_each_in_a_dialog_then_the_model_goes_on_once(
    server: MockServer, tmp_path: Path
) -> None:
    tools = [
        FunctionTool(name="get_weather", parameters=CITY),
        FunctionTool(name="get_rain", parameters=CITY),
    ]
    log = MessageLog()
    async with _tools_app(server.ga_url(), tmp_path, *tools, log=log) as (pilot, screen):
        await submit(pilot, "get_weather and get_rain for Oslo")
        first = await _dialog(pilot)
        assert first.call.name == "get_weather"
        assert "(1 of 2 waiting)" in str(first.query_one("#call-dialog").border_title)

        await _answer(pilot, first, "sunny")
        problem = first.query_one("#call-problem")
        await wait_for(pilot, lambda: "Not JSON" in str(problem.render()), "the JSON check")
        assert pilot.app.screen is first  # Refused, nothing sent.
        assert _outputs(log) == []

        await _answer(pilot, first, '{"sky": "sunny"}')
        second = await _dialog(pilot, after=first)
        assert second.call.name == "get_rain"
        await wait_for(pilot, lambda: len(_outputs(log)) == 1, "the first output")
        # One of two calls answered: the model is not asked to go on yet.
        assert len(_sent(log, "response.create")) == 1

        await _answer(pilot, second, '{"rain_mm": 0}')
        await wait_for(pilot, lambda: _completed(screen) == 2, "the reply after both outputs")
        assert _outputs(log) == ['{"sky": "sunny"}', '{"rain_mm": 0}']
        assert len(_sent(log, "response.create")) == 2
        reply = screen.conversation.items[-1].text
        assert "sunny" in reply
        assert "rain_mm" in reply


async def test_the_streamed_arguments_show_while_the_call_streams(tmp_path: Path) -> None:
    tool = FunctionTool(name="get_weather", parameters=CITY)
    async with (
        MockServer(delta_delay=0.2) as slow,
        _tools_app(slow.ga_url(), tmp_path, tool) as (pilot, screen),
    ):
        await submit(pilot, "get_weather please")
        pane = screen.query_one(ConversationPane)

        def streaming() -> bool:
            calls = pane_items(pane, "tool")
            return bool(calls) and calls[0].header.endswith("…") and "{" in calls[0].body

        await wait_for(pilot, streaming, "the arguments while they stream")


async def test_mcp_tools_are_listed_and_called_as_what_they_are(
    server: MockServer, tmp_path: Path
) -> None:
    mcp = McpTool(server_label="docs", server_url="https://mcp.example/sse")
    async with _tools_app(server.ga_url(), tmp_path, mcp) as (pilot, screen):
        pane = screen.query_one(ConversationPane)

        def listed() -> bool:
            tools = [i for i in pane_items(pane, "tool") if "MCP server docs" in i.header]
            return bool(tools) and "search_docs" in tools[0].body

        await wait_for(pilot, listed, "the MCP server's tools")
        await submit(pilot, "search_docs for realtime")
        await wait_for(pilot, lambda: _completed(screen) == 1, "the reply")
        await wait_for(pilot, lambda: not pane.busy, "the pane to draw")
        call = next(i for i in pane_items(pane, "tool") if "search_docs" in i.header)
        assert call.header == "⚙ MCP docs · search_docs"
        assert '"results": 3' in call.body
        notices = pane_texts(pane, "notice")
        assert any("tools are listed" in line for line in notices)
        assert any("the MCP call completed" in line for line in notices)


async def test_an_mcp_server_that_cannot_be_reached_says_its_listing_failed(
    server: MockServer, tmp_path: Path
) -> None:
    mcp = McpTool(server_label="docs", server_url="http://plain.example")
    async with _tools_app(server.ga_url(), tmp_path, mcp) as (pilot, screen):
        pane = screen.query_one(ConversationPane)
        await wait_for(
            pilot,
            lambda: any(
                "listing the MCP server's tools failed" in t for t in pane_texts(pane, "notice")
            ),
            "the failure",
        )


def _approvals(log: MessageLog) -> list[object]:
    return [
        e["item"]
        for e in _sent(log, "conversation.item.create")
        if e["item"]["type"] == "mcp_approval_response"  # type: ignore[index]
    ]


@pytest.mark.parametrize(("key", "approve"), [("a", True), ("d", False)])
async def test_an_mcp_call_waits_for_approval_in_a_dialog(
    server: MockServer, tmp_path: Path, key: str, approve: bool
) -> None:
    mcp = McpTool(
        server_label="docs", server_url="https://mcp.example/sse", require_approval="always"
    )
    log = MessageLog()
    async with _tools_app(server.ga_url(), tmp_path, mcp, log=log) as (pilot, screen):
        app = pilot.app
        await submit(pilot, "search_docs for realtime")
        await wait_for(pilot, lambda: isinstance(app.screen, McpApprovalDialog), "the dialog")
        dialog = app.screen
        assert isinstance(dialog, McpApprovalDialog)
        assert (dialog.ask.server_label, dialog.ask.name) == ("docs", "search_docs")
        assert "search_docs for realtime" in dialog.ask.arguments
        assert not _approvals(log)  # nothing goes out before the user says
        await pilot.press(key)
        await wait_for(pilot, lambda: _completed(screen) == 2, "the reply after the answer")
        (approval,) = _approvals(log)
        request = next(i for i in screen.conversation.items if i.type == "mcp_approval_request")
        assert approval == {
            "type": "mcp_approval_response",
            "approval_request_id": request.id,
            "approve": approve,
        }
        assert len(_sent(log, "response.create")) == 2  # The message's, then one after it.
        pane = screen.query_one(ConversationPane)
        await wait_for(pilot, lambda: not pane.busy, "the pane to draw")
        notices = pane_texts(pane, "notice")
        calls = [i for i in pane_items(pane, "tool") if i.header == "⚙ MCP docs · search_docs"]
        verdict = "⚙ MCP call approved" if approve else "⚙ MCP call denied"
        assert verdict in [i.header for i in pane_items(pane, "tool")]
        if approve:
            assert any("search_docs approved: the service runs it" in n for n in notices)
            assert len(calls) == 1
            assert '"results": 3' in calls[0].body
        else:
            assert any("search_docs denied: it does not run" in n for n in notices)
            assert calls == []
            assert "was not approved" in pane_items(pane, "assistant")[-1].body


async def test_an_mcp_approval_left_for_later_is_reopened_by_output(
    server: MockServer, tmp_path: Path
) -> None:
    mcp = McpTool(
        server_label="docs", server_url="https://mcp.example/sse", require_approval="always"
    )
    async with _tools_app(server.ga_url(), tmp_path, mcp) as (pilot, screen):
        app = pilot.app
        await submit(pilot, "fetch_page about sessions")
        await wait_for(pilot, lambda: isinstance(app.screen, McpApprovalDialog), "the dialog")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, "the dialog to close")
        await submit(pilot, "/output")
        await wait_for(pilot, lambda: isinstance(app.screen, McpApprovalDialog), "it again")
        await pilot.press("a")
        await wait_for(pilot, lambda: _completed(screen) == 2, "the call and its reply")


async def test_mcp_call_arguments_stream_into_the_conversation(tmp_path: Path) -> None:
    mcp = McpTool(server_label="docs", server_url="https://mcp.example/sse")
    async with (
        MockServer(delta_delay=0.2) as slow,
        _tools_app(slow.ga_url(), tmp_path, mcp) as (pilot, screen),
    ):
        await submit(pilot, "search_docs for streaming")
        pane = screen.query_one(ConversationPane)

        def streaming() -> bool:
            calls = [i for i in pane_items(pane, "tool") if "search_docs" in i.header]
            # Arguments before the server returned anything: they came as deltas.
            return bool(calls) and "{" in calls[0].body and "returned" not in calls[0].body

        await wait_for(pilot, streaming, "the MCP call's arguments while they stream")
        call = next(i for i in screen.conversation.items if i.type == "mcp_call")
        assert call.arguments.startswith('{"query"')
