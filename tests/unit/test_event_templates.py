"""The event composer's templates (filled with the session's ids, each well formed) and
its history of sent events (bounded, kept in a 0600 file, secrets scrubbed)."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path
from typing import Any

import pytest

from rt_tui.config import SessionSettings
from rt_tui.dialect import Dialect
from rt_tui.event_composer.check import check_event
from rt_tui.event_composer.history import SentHistory
from rt_tui.event_composer.schema import CLIENT_EVENTS
from rt_tui.event_composer.templates import SessionIds, session_ids, templates
from rt_tui.realtime.audio_store import BYTES_PER_MS
from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.events import parse_server_frame
from rt_tui.realtime.frames import Direction, Frame


def _feed(conversation: Conversation, kind: str, **fields: Any) -> None:
    data = json.dumps({"type": kind, **fields})
    conversation.apply(Frame(Direction.RECEIVED, 0.0, 0.0, data, event=parse_server_frame(data)))


def _conversation_with_audio_and_a_call() -> Conversation:
    """Spoken audio, an MCP approval request, then a function call waiting for its output."""
    conversation = Conversation()
    user = {"id": "item_user", "type": "message", "role": "user", "content": []}
    _feed(conversation, "conversation.item.added", previous_item_id=None, item=user)
    _feed(conversation, "response.created", response={"id": "resp_1", "status": "in_progress"})
    spoken = {"id": "item_spoken", "type": "message", "role": "assistant", "content": []}
    _feed(conversation, "response.output_item.added", response_id="resp_1", item=spoken)
    audio = base64.b64encode(bytes(BYTES_PER_MS * 800)).decode()
    _feed(
        conversation,
        "response.output_audio.delta",
        response_id="resp_1",
        item_id="item_spoken",
        output_index=0,
        content_index=0,
        delta=audio,
    )
    ask = {"id": "item_ask", "type": "mcp_approval_request", "server_label": "docs"}
    _feed(conversation, "response.output_item.added", response_id="resp_1", item=ask)
    call = {"id": "item_call", "type": "function_call", "call_id": "call_9", "name": "f"}
    _feed(conversation, "response.output_item.added", response_id="resp_1", item=call)
    _feed(conversation, "response.done", response={"id": "resp_1", "status": "completed"})
    return conversation


def test_the_ids_come_from_the_conversation() -> None:
    ids = session_ids(_conversation_with_audio_and_a_call())
    assert ids == SessionIds(
        last_item="item_call",
        last_response="resp_1",
        pending_call="call_9",
        audio_item="item_spoken",
        audio_content_index=0,
        audio_end_ms=400,
        approval_request="item_ask",
    )
    assert session_ids(Conversation()) == SessionIds()


def test_the_templates_are_filled_with_the_ids() -> None:
    ids = session_ids(_conversation_with_audio_and_a_call())
    found = {t.label: t.event for t in templates(Dialect.GA, ids, SessionSettings())}
    assert found["conversation.item.truncate"] == {
        "type": "conversation.item.truncate",
        "item_id": "item_spoken",
        "content_index": 0,
        "audio_end_ms": 400,
    }
    assert found["conversation.item.create (call output)"]["item"]["call_id"] == "call_9"
    assert found["conversation.item.create (message)"]["previous_item_id"] == "item_call"
    assert found["conversation.item.retrieve"]["item_id"] == "item_call"
    assert found["response.cancel"]["response_id"] == "resp_1"
    assert found["conversation.item.create (MCP approval)"] == {
        "type": "conversation.item.create",
        "item": {
            "type": "mcp_approval_response",
            "approval_request_id": "item_ask",
            "approve": True,
        },
    }


def test_only_ga_has_an_mcp_approval_template() -> None:
    def labels(dialect: Dialect) -> list[str]:
        return [t.label for t in templates(dialect, SessionIds(), SessionSettings())]

    assert "conversation.item.create (MCP approval)" in labels(Dialect.GA)
    assert not [label for label in labels(Dialect.BETA) if "MCP" in label]


@pytest.mark.parametrize("dialect", list(Dialect))
def test_every_client_event_of_the_dialect_has_a_well_formed_template(dialect: Dialect) -> None:
    for ids in (SessionIds(), session_ids(_conversation_with_audio_and_a_call())):
        made = templates(dialect, ids, SessionSettings(output_modality="audio"))
        assert {t.event["type"] for t in made} == set(CLIENT_EVENTS[dialect])
        for template in made:
            problems = check_event(template.text, dialect).problems
            if ids == SessionIds():  # no ids yet: only the placeholders are warned about
                assert all("is a placeholder" in p.message for p in problems), template.label
            else:
                assert problems == (), template.label


def test_a_placeholder_left_in_a_template_is_warned_about() -> None:
    made = {t.label: t for t in templates(Dialect.GA, SessionIds(), SessionSettings())}
    result = check_event(made["conversation.item.truncate"].text, Dialect.GA)
    assert [str(p) for p in result.problems] == [
        "warning: item_id: <assistant audio item id> is a placeholder: put a real id here"
    ]
    assert result.summary() == "1 warning"


def test_the_history_is_bounded_persisted_and_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "sent.jsonl"
    history = SentHistory(path, limit=3)
    for n in range(5):
        history.add(f'{{"type": "t{n}"}}')
    history.add('{"type": "t4"}')  # the same as the newest: kept once
    assert history.texts == ['{"type": "t2"}', '{"type": "t3"}', '{"type": "t4"}']
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert SentHistory(path, limit=2).texts == ['{"type": "t3"}', '{"type": "t4"}']


def test_the_history_scrubs_secrets_and_survives_a_broken_line(tmp_path: Path) -> None:
    path = tmp_path / "sent.jsonl"
    history = SentHistory(path, limit=10)
    history.add('{"type": "x", "note": "my-own-secret-value"}', ["my-own-secret-value"])
    assert "my-own-secret-value" not in path.read_text()
    with path.open("a") as handle:
        handle.write('{"text": "cut sho')
    assert len(SentHistory(path, limit=10).texts) == 1


def test_a_history_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    history = SentHistory(blocker / "sent.jsonl", limit=10)
    history.add('{"type": "x"}')
    assert history.problem is not None
    assert history.problem.startswith("The composer's history")
    assert history.texts == ['{"type": "x"}']
