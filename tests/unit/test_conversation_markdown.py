"""The conversation as Markdown: what each kind of item, response, error and note reads."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.conversation_markdown import audio_length, conversation_markdown, fenced
from rt_tui.realtime.events import parse_server_frame
from rt_tui.realtime.frames import Direction, Frame

ONE_SECOND = b"\x01\x00" * 24_000


class Feed:
    """Server events into a conversation, 10 ms apart."""

    def __init__(self) -> None:
        self.conversation = Conversation()
        self.t_ms = 0.0

    def __call__(self, kind: str, **fields: Any) -> None:
        self.t_ms += 10
        data = json.dumps({"type": kind, **fields})
        frame = Frame(Direction.RECEIVED, self.t_ms, 0.0, data, event=parse_server_frame(data))
        self.conversation.apply(frame)

    def user_says(self, item_id: str, text: str) -> None:
        content = [{"type": "input_text", "text": text}]
        item = {"id": item_id, "type": "message", "role": "user", "content": content}
        self("conversation.item.added", item=item)

    def assistant_says(self, response_id: str, item_id: str, text: str) -> None:
        item = {"id": item_id, "type": "message", "role": "assistant", "content": []}
        self("response.output_item.added", response_id=response_id, output_index=0, item=item)
        ids = {"response_id": response_id, "item_id": item_id, "output_index": 0}
        self("response.output_text.delta", **ids, content_index=0, delta=text)

    def done(self, response_id: str, status: str = "completed", **body: Any) -> None:
        self("response.done", response={"id": response_id, "status": status, **body})


@pytest.fixture
def feed() -> Feed:
    return Feed()


def test_turns_read_in_order_with_how_each_response_ended(feed: Feed) -> None:
    feed.user_says("u1", "What is 2 + 2?")
    feed("response.created", response={"id": "r1", "status": "in_progress"})
    feed.assistant_says("r1", "a1", "It is **4**.")
    feed.done("r1", usage={"input_tokens": 12, "output_tokens": 5, "total_tokens": 17})
    feed.user_says("u2", "Thanks")

    text = conversation_markdown(feed.conversation, about="From the session log `x.jsonl`")

    assert text == (
        "# Conversation\n\n"
        "From the session log `x.jsonl`\n\n"
        "## You\n\nWhat is 2 + 2?\n\n"
        "## Assistant\n\nIt is **4**.\n\n"
        "*response completed · first delta 20 ms · total 30 ms · 12 in / 5 out tokens*\n\n"
        "## You\n\nThanks\n"
    )


def test_spoken_replies_link_their_audio_and_say_where_they_were_cut(feed: Feed) -> None:
    item = {"id": "a1", "type": "message", "role": "assistant", "content": []}
    feed("response.output_item.added", response_id="r1", output_index=0, item=item)
    ids = {"response_id": "r1", "item_id": "a1", "output_index": 0, "content_index": 0}
    feed("response.output_audio.delta", **ids, delta=base64.b64encode(ONE_SECOND * 3).decode())
    feed("response.output_audio_transcript.delta", **ids, delta="Let me tell you a long")
    feed("conversation.item.truncated", item_id="a1", content_index=0, audio_end_ms=1500)

    text = conversation_markdown(feed.conversation, audio_link=lambda item: f"audio/{item.id}.wav")

    assert "## Assistant · 🔊 1.5 s · [audio](audio/a1.wav)\n\nLet me tell you a long\n\n" in text
    assert "*(audio cut at 1,500 ms)*" in text


def test_audio_without_a_transcript_and_a_failed_transcription_are_said(feed: Feed) -> None:
    item = {"id": "u1", "type": "message", "role": "user", "content": [{"type": "input_audio"}]}
    feed("conversation.item.added", item=item)
    feed(
        "conversation.item.input_audio_transcription.failed",
        item_id="u1",
        content_index=0,
        error={"message": "audio too short"},
    )
    item = {"id": "u2", "type": "message", "role": "user", "content": [{"type": "input_audio"}]}
    feed("conversation.item.added", item=item)

    text = conversation_markdown(feed.conversation)

    assert "## You · 🔊\n\n*(transcription failed: audio too short)*" in text
    assert "## You · 🔊\n\n*(audio without a transcript)*" in text


def test_function_calls_and_outputs_are_fenced_whatever_they_hold(feed: Feed) -> None:
    arguments = '{"code": "```python\\nprint(1)\\n```"}'
    call = {
        "id": "c1",
        "type": "function_call",
        "name": "run",
        "call_id": "call_1",
        "arguments": arguments,
    }
    feed("conversation.item.added", item=call)
    output = {"id": "o1", "type": "function_call_output", "call_id": "call_1", "output": "1"}
    feed("conversation.item.added", item=output)

    text = conversation_markdown(feed.conversation)

    assert f"## Function call `run` (call call_1)\n\n````json\n{arguments}\n````" in text
    assert "## Function output (call call_1)\n\n```\n1\n```" in text


def test_mcp_items_say_which_server_and_tool_and_what_the_user_answered(feed: Feed) -> None:
    server = {"server_label": "docs"}
    tools = [{"name": "search_docs"}, {"name": "fetch_page"}]
    feed(
        "conversation.item.done",
        item={"id": "l1", "type": "mcp_list_tools", **server, "tools": tools},
    )
    asked = {"id": "a1", "type": "mcp_approval_request", **server, "name": "search_docs"}
    feed("conversation.item.done", item={**asked, "arguments": '{"query": "x"}'})
    answer = {"id": "r1", "type": "mcp_approval_response", "approval_request_id": "a1"}
    feed("conversation.item.done", item={**answer, "approve": False})
    call = {"id": "m1", "type": "mcp_call", **server, "name": "fetch_page", "arguments": "{}"}
    feed("conversation.item.done", item={**call, "output": '{"page": 1}'})

    text = conversation_markdown(feed.conversation)

    assert "## MCP server `docs`: tools\n\n`search_docs`, `fetch_page`" in text
    assert '## MCP call `docs` · `search_docs` asks for approval\n\n```json\n{"query": "x"}' in text
    assert "## MCP call denied" in text
    assert "## MCP call `docs` · `fetch_page`\n\n```json\n{}\n```\n\nReturned:" in text
    assert '{"page": 1}' in text


def test_errors_notes_and_responses_without_items_close_the_document(feed: Feed) -> None:
    feed.done("r9", "failed", status_details={"error": {"message": "Rate limit reached"}})
    feed("error", error={"type": "invalid_request_error", "code": "bad", "message": "No."})
    feed("response.output_text.delta", response_id="r9", delta="orphan")  # no item id

    text = conversation_markdown(feed.conversation)

    assert text.startswith("# Conversation\n\n*(no conversation items)*\n\n")
    assert "## Responses without items\n\n- `r9`: *response failed: Rate limit reached*" in text
    assert "## Errors\n\n- 0.0 s: bad: No." in text
    assert "## Notes\n\n- 0.0 s: response.output_text.delta without an item id" in text


def test_fences_and_lengths() -> None:
    assert fenced("a ``` b") == "````\na ``` b\n````"
    assert fenced("{}", "json") == "```json\n{}\n```"
    assert [audio_length(ms) for ms in (850, 2400, 185_000)] == ["850 ms", "2.4 s", "3:05"]
