"""Answering function calls without an app: the desk's bookkeeping, the demo tools and
shell commands (real subprocesses, tiny scripts)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_conversation_sequences import load_sequence

from rt_tui.config import (
    Config,
    FunctionTool,
    McpTool,
    SessionSettings,
    SessionTool,
    load_config,
    save_config,
)
from rt_tui.dialect import Dialect
from rt_tui.realtime import client_events
from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.conversation_items import pending_call_id
from rt_tui.realtime.events import parse_server_frame
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.session_settings import DEMO_TOOL_NAMES
from rt_tui.tool_answers.demo import DEMO_TOOLS, demo_output
from rt_tui.tool_answers.desk import CallDesk, PendingCall
from rt_tui.tool_answers.shell import run_command

PYTHON = sys.executable


def test_the_desk_offers_a_call_once_its_response_completes() -> None:
    conversation = Conversation()
    desk = CallDesk()
    tools = [FunctionTool(name="get_weather", answer="demo")]
    offered = []
    for frame in load_sequence("function_call_ga"):
        change = conversation.apply(frame)
        calls, ready = desk.finished(conversation, change.responses, tools)
        offered += [
            (frame.wire_type, c.name, c.answer) for c in calls if isinstance(c, PendingCall)
        ]
        assert ready == []
    # The first response ends waiting on get_weather; the second (after the output) does not.
    assert offered == [("response.done", "get_weather", "demo")]
    assert pending_call_id(conversation.items) is None


def test_the_desk_offers_nothing_for_a_response_without_calls() -> None:
    conversation = Conversation()
    desk = CallDesk()
    for frame in load_sequence("text_ga"):
        change = conversation.apply(frame)
        assert desk.finished(conversation, change.responses, []) == ([], [])


def _two_calls() -> Conversation:
    """A completed response that called two tools."""
    conversation = Conversation()
    frames = [
        {"type": "response.created", "response": {"id": "r1", "status": "in_progress"}},
        *(
            {
                "type": "response.output_item.done",
                "response_id": "r1",
                "output_index": i,
                "item": {
                    "id": f"i{i}",
                    "type": "function_call",
                    "name": name,
                    "call_id": f"c{i}",
                    "arguments": "{}",
                    "status": "completed",
                },
            }
            for i, name in enumerate(["get_time", "lookup"])
        ),
        {"type": "response.done", "response": {"id": "r1", "status": "completed"}},
    ]
    for t, data in enumerate(frames):
        text = json.dumps(data)
        conversation.apply(Frame(Direction.RECEIVED, t, 0.0, text, event=parse_server_frame(text)))
    return conversation


def test_several_calls_are_answered_each_and_the_model_asked_once_after_the_last() -> None:
    conversation = _two_calls()
    desk = CallDesk()
    offered, ready = desk.finished(conversation, ["r1"], [])
    assert ready == []
    calls = [c for c in offered if isinstance(c, PendingCall)]
    assert len(calls) == len(offered)
    assert [c.call_id for c in calls] == ["c0", "c1"]
    assert [c.answer for c in calls] == ["ask", "ask"]  # Not declared: the user answers.
    assert desk.waiting() == 2
    assert desk.answer("c1") is False
    assert desk.answer("c0") is True
    assert desk.waiting() == 0
    # Looked at once: the same response finishing again offers nothing more.
    assert desk.finished(conversation, ["r1"], []) == ([], [])


def test_calls_answered_before_their_response_ended_let_the_model_go_on_at_its_end() -> None:
    conversation = _two_calls()
    desk = CallDesk()
    desk.answer("c0")
    desk.answer("c1")
    assert desk.finished(conversation, ["r1"], []) == ([], ["r1"])


def test_demo_tools_are_the_ones_the_settings_allow_and_answer_json() -> None:
    assert set(DEMO_TOOLS) == set(DEMO_TOOL_NAMES)
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert json.loads(demo_output("get_time", "{}", now)) == {
        "time": "2026-01-02T03:04:05+00:00",
        "zone": "UTC",
    }
    weather = json.loads(demo_output("get_weather", '{"city": "Oslo"}'))
    assert weather["city"] == "Oslo"
    assert weather == json.loads(demo_output("get_weather", '{"city": "Oslo"}'))
    assert json.loads(demo_output("get_weather", "not json"))["city"] == "Nowhere"


def test_tool_settings_refuse_an_answer_they_cannot_give() -> None:
    with pytest.raises(ValueError, match="needs a command"):
        FunctionTool(name="lookup", answer="command")
    with pytest.raises(ValueError, match="only for the built-in tools"):
        FunctionTool(name="lookup", answer="demo")
    settings = SessionSettings.model_validate(
        {"tools": [{"name": "a"}, {"type": "mcp", "server_label": "s", "server_url": "https://x"}]}
    )
    assert [tool.type for tool in settings.tools] == ["function", "mcp"]


async def test_a_command_gets_the_arguments_on_stdin_and_its_stdout_is_the_output() -> None:
    script = "import json,sys; a=json.load(sys.stdin); print(json.dumps({'got': a['city']}))"
    answer = await run_command(f'{PYTHON} -c "{script}"', '{"city": "Oslo"}', 10)
    assert not answer.failed
    assert json.loads(answer.output) == {"got": "Oslo"}


async def test_a_failing_command_answers_with_its_exit_status_and_stderr() -> None:
    script = "import sys; sys.stderr.write('no such city\\n'); sys.exit(3)"
    answer = await run_command(f'{PYTHON} -c "{script}"', "{}", 10)
    assert answer.failed
    assert json.loads(answer.output) == {"error": "The command exited with status 3: no such city"}


async def test_a_command_that_runs_too_long_is_stopped() -> None:
    answer = await run_command(f"{PYTHON} -c 'import time; time.sleep(30)'", "{}", 0.2)
    assert answer.failed
    assert "longer than 0.2 s" in json.loads(answer.output)["error"]


async def test_a_command_that_cannot_start_says_so() -> None:
    answer = await run_command("/nonexistent/tool-command", "{}", 5)
    assert answer.failed
    assert "status 127" in json.loads(answer.output)["error"]


def test_tools_of_every_kind_survive_the_config_file(tmp_path: Path) -> None:
    tools: list[SessionTool] = [
        FunctionTool(name="lookup", answer="command", command="./lookup", timeout_s=3),
        FunctionTool(name="get_weather", answer="demo"),
        McpTool(server_label="docs", server_url="https://mcp.example"),
    ]
    config = Config(session=SessionSettings(tools=tools))
    path = save_config(config, tmp_path / "config.toml")
    assert load_config(path).session.tools == tools


def test_session_update_sends_what_the_service_takes_of_each_tool() -> None:
    settings = SessionSettings(
        tools=[
            FunctionTool(name="lookup", answer="command", command="./lookup"),
            McpTool(server_label="docs", server_url="https://mcp.example"),
        ]
    )
    sent = client_events.session_update(settings, Dialect.GA)["session"]["tools"]
    assert sent == [
        {
            "type": "function",
            "name": "lookup",
            "description": "",
            "parameters": {"type": "object", "properties": {}},
        },
        {
            "type": "mcp",
            "server_label": "docs",
            "server_url": "https://mcp.example",
            "require_approval": "never",
        },
    ]


async def test_a_failing_command_keeps_key_shaped_text_out_of_its_error() -> None:
    key = "sk-" + "a1B2" * 10
    script = f"import sys; sys.exit('bad key {key}')"
    answer = await run_command(f'{PYTHON} -c "{script}"', "{}", 10)
    error = json.loads(answer.output)["error"]
    assert key not in error
    assert error == "The command exited with status 1: bad key ***"
