"""Transcription sessions in the mock: opened by `intent=transcription`, they take input
settings and audio, transcribe every committed turn, and never answer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from mock_client import audio_append, open_client, open_mock

from rt_tui.dialect import Dialect
from rt_tui.mock import MockServer
from rt_tui.realtime.audio import silence, tone

JsonObject = dict[str, Any]
GA_UPDATE: JsonObject = {
    "type": "transcription",
    "audio": {
        "input": {
            "transcription": {"model": "gpt-4o-transcribe"},
            "turn_detection": {"type": "server_vad", "silence_duration_ms": 200},
        }
    },
}


@pytest.fixture
async def server() -> AsyncIterator[MockServer]:
    async with MockServer(delta_delay=0, seed=5) as mock:
        yield mock


def preview_url(server: MockServer) -> str:
    return server.azure_preview_url("gpt-4o-transcribe") + "&intent=transcription"


async def test_ga_transcription_session_greets_and_takes_its_update(server: MockServer) -> None:
    async with open_client(
        server.transcription_url(), skip_greeting=False, dialect=Dialect.GA
    ) as client:
        created = await client.recv()
        assert created["type"] == "session.created"
        session = created["session"]
        assert (session["type"], session["object"]) == (
            "transcription",
            "realtime.transcription_session",
        )
        assert "output_modalities" not in session
        assert "output" not in session["audio"]
        events = await client.request(
            {"type": "session.update", "session": GA_UPDATE}, "session.updated", "error"
        )
        updated = events[-1]["session"]
        assert updated["audio"]["input"]["transcription"] == {"model": "gpt-4o-transcribe"}


async def test_vad_turn_is_transcribed_and_never_answered(server: MockServer) -> None:
    async with open_client(server.transcription_url(), dialect=Dialect.GA) as client:
        await client.request({"type": "session.update", "session": GA_UPDATE}, "session.updated")
        await client.send(audio_append(silence(200) + tone(440, 600) + silence(600)))
        events = await client.until("conversation.item.input_audio_transcription.completed")
        kinds = [event["type"] for event in events]
        assert kinds[:3] == [
            "input_audio_buffer.speech_started",
            "input_audio_buffer.speech_stopped",
            "input_audio_buffer.committed",
        ]
        deltas = [e for e in events if e["type"].endswith("transcription.delta")]
        assert deltas
        assert all(e["item_id"] == events[2]["item_id"] for e in deltas)
        assert "".join(e["delta"] for e in deltas) == events[-1]["transcript"]
        # No response follows: the next frame answers the next request.
        after = await client.request(
            {"type": "input_audio_buffer.clear"}, "input_audio_buffer.cleared"
        )
        assert [e["type"] for e in after] == ["input_audio_buffer.cleared"]
        assert not any(e["type"].startswith("response.") for e in client.received)


@pytest.mark.parametrize("event", ["response.create", "conversation.item.create"])
async def test_a_transcription_session_knows_no_responses_or_items(
    server: MockServer, event: str
) -> None:
    async with open_client(server.transcription_url(), dialect=Dialect.GA) as client:
        events = await client.request({"type": event, "event_id": "e1"}, "error")
        error = events[-1]["error"]
        assert (error["code"], error["param"], error["event_id"]) == ("invalid_value", "type", "e1")
        assert f"'{event}'" in error["message"]


async def test_session_kinds_refuse_each_others_updates(server: MockServer) -> None:
    async with open_mock(server, Dialect.GA) as client:  # a realtime session
        events = await client.request({"type": "session.update", "session": GA_UPDATE}, "error")
        assert (
            "transcription session update event to a realtime session"
            in (events[-1]["error"]["message"])
        )
    async with open_client(server.transcription_url(), dialect=Dialect.GA) as client:
        realtime = {"type": "realtime", "instructions": "hi"}
        events = await client.request({"type": "session.update", "session": realtime}, "error")
        assert (
            "realtime session update event to a transcription session"
            in (events[-1]["error"]["message"])
        )
        settings = {"type": "transcription", "instructions": "hi"}
        events = await client.request({"type": "session.update", "session": settings}, "error")
        assert events[-1]["error"]["param"] == "session.instructions"


async def test_beta_transcription_session_has_events_of_its_own(server: MockServer) -> None:
    async with open_client(preview_url(server), skip_greeting=False) as client:
        created = await client.recv()
        assert created["type"] == "transcription_session.created"
        assert created["session"]["object"] == "realtime.transcription_session"
        update = {
            "type": "transcription_session.update",
            "session": {
                "input_audio_transcription": {"model": "gpt-4o-transcribe"},
                "turn_detection": None,
            },
        }
        events = await client.request(update, "transcription_session.updated")
        assert events[-1]["session"]["turn_detection"] is None
        await client.send(audio_append(tone(440, 400)))
        await client.send({"type": "input_audio_buffer.commit"})
        done = await client.until("conversation.item.input_audio_transcription.completed")
        assert done[-1]["transcript"]
        wrong = {"type": "session.update", "session": {"instructions": "hi"}}
        events = await client.request(wrong, "error")
        assert events[-1]["error"]["code"] == "invalid_value"


async def test_an_unknown_intent_is_fatal(server: MockServer) -> None:
    url = server.ga_url().replace("model=", "intent=chat&model=")
    async with open_client(url, skip_greeting=False) as client:
        events = await client.until_closed()
        assert events[-1]["error"]["code"] == "invalid_intent"
        assert client.ws.close_code == 4000
