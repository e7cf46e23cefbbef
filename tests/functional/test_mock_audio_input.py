"""User audio into the mock: append, commit, clear, server VAD turns, transcription, barge-in."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Any

import pytest
from mock_client import MockClient, audio_append, open_client, open_mock

from rt_tui.dialect import Dialect
from rt_tui.mock import MockServer
from rt_tui.realtime import audio
from rt_tui.realtime.audio import silence, tone

JsonObject = dict[str, Any]


@pytest.fixture
async def server() -> AsyncIterator[MockServer]:
    async with MockServer(delta_delay=0, seed=9) as mock:
        yield mock


def manual_turns(dialect: Dialect) -> JsonObject:
    if dialect is Dialect.GA:
        return {"type": "realtime", "audio": {"input": {"turn_detection": None}}}
    return {"turn_detection": None}


def with_transcription(dialect: Dialect) -> JsonObject:
    if dialect is Dialect.GA:
        return {"type": "realtime", "audio": {"input": {"transcription": {"model": "whisper-1"}}}}
    return {"input_audio_transcription": {"model": "whisper-1"}}


async def update(client: MockClient, session: JsonObject) -> None:
    await client.request({"type": "session.update", "session": session}, "session.updated")


@pytest.mark.parametrize("dialect", [Dialect.GA, Dialect.BETA])
async def test_manual_commit_makes_a_user_audio_item(server: MockServer, dialect: Dialect) -> None:
    async with open_mock(server, dialect) as client:
        await update(client, manual_turns(dialect))
        await client.send(audio_append(tone(440, 300)))
        await client.send({"type": "input_audio_buffer.commit"})
        item_type = (
            "conversation.item.done" if dialect is Dialect.GA else "conversation.item.created"
        )
        events = await client.until(item_type)
        committed = events[0]
        assert committed["type"] == "input_audio_buffer.committed"
        item = events[-1]["item"]
        assert item["id"] == committed["item_id"]
        assert item["content"] == [{"type": "input_audio", "transcript": None}]
        # A commit does not start a response; the next frame answers the next request.
        after = await client.request(
            {"type": "input_audio_buffer.clear"}, "input_audio_buffer.cleared"
        )
        assert [e["type"] for e in after] == ["input_audio_buffer.cleared"]


async def test_commit_below_100_ms_is_refused(server: MockServer) -> None:
    async with open_mock(server, Dialect.GA) as client:
        await update(client, manual_turns(Dialect.GA))
        events = await client.request(
            {"type": "input_audio_buffer.commit", "event_id": "k"}, "error"
        )
        error = events[-1]["error"]
        assert (error["code"], error["event_id"]) == ("input_audio_buffer_commit_empty", "k")
        assert "0.00ms" in error["message"]
        await client.send(audio_append(tone(440, 50)))
        events = await client.request({"type": "input_audio_buffer.commit"}, "error")
        assert "50.00ms" in events[-1]["error"]["message"]
        # Clearing empties the buffer, so the 50 ms don't count towards the next commit.
        await client.request({"type": "input_audio_buffer.clear"}, "input_audio_buffer.cleared")
        await client.send(audio_append(tone(440, 60)))
        events = await client.request({"type": "input_audio_buffer.commit"}, "error")
        assert "60.00ms" in events[-1]["error"]["message"]


async def test_bad_append_is_refused(server: MockServer) -> None:
    async with open_mock(server, Dialect.GA) as client:
        events = await client.request({"type": "input_audio_buffer.append", "audio": "@@"}, "error")
        assert events[-1]["error"]["param"] == "audio"
        events = await client.request({"type": "input_audio_buffer.append"}, "error")
        assert events[-1]["error"]["code"] == "missing_required_parameter"


@pytest.mark.parametrize("dialect", [Dialect.GA, Dialect.BETA])
async def test_server_vad_turn_with_transcription_and_response(
    server: MockServer, dialect: Dialect
) -> None:
    async with open_mock(server, dialect) as client:
        await update(client, with_transcription(dialect))
        # 500 ms quiet, 600 ms "speech", 400 ms quiet, in 20 ms chunks as a microphone sends.
        audio = silence(500) + tone(300, 600) + silence(400)
        for start in range(0, len(audio), 960):
            await client.send(audio_append(audio[start : start + 960]))
        events = await client.until("rate_limits.updated")
    names = [e["type"] for e in events]
    started = events[names.index("input_audio_buffer.speech_started")]
    stopped = events[names.index("input_audio_buffer.speech_stopped")]
    committed = events[names.index("input_audio_buffer.committed")]
    assert started["audio_start_ms"] == 500 - 300  # speech start minus prefix padding
    assert stopped["audio_end_ms"] == 1100 + 200  # silence start plus silence duration
    assert started["item_id"] == stopped["item_id"] == committed["item_id"]
    completed = events[names.index("conversation.item.input_audio_transcription.completed")]
    assert completed["item_id"] == committed["item_id"]
    assert completed["transcript"] == "This is the mock transcript of 1.3 seconds of audio."
    deltas = [e["delta"] for e in events if e["type"].endswith("input_audio_transcription.delta")]
    assert "".join(deltas) == completed["transcript"]
    assert names.index("input_audio_buffer.committed") < names.index("response.created")
    final = next(e for e in events if e["type"] == "response.done")["response"]
    assert final["status"] == "completed"
    assert final["usage"]["input_token_details"]["audio_tokens"] > 0
    said = final["output"][0]["content"][0]["transcript"]
    assert "mock transcript of 1.3 seconds" in said


async def test_vad_without_create_response_only_commits(server: MockServer) -> None:
    async with open_mock(server, Dialect.GA) as client:
        vad = {"type": "server_vad", "create_response": False, "silence_duration_ms": 100}
        await update(client, {"type": "realtime", "audio": {"input": {"turn_detection": vad}}})
        await client.send(audio_append(tone(300, 300) + silence(200)))
        events = await client.until("conversation.item.done")
        assert events[0]["audio_start_ms"] == 0  # never before the buffer's start
        assert events[1]["audio_end_ms"] == 400
        after = await client.request(
            {"type": "input_audio_buffer.clear"}, "input_audio_buffer.cleared"
        )
        assert [e["type"] for e in after] == ["input_audio_buffer.cleared"]


async def test_quiet_audio_is_not_speech(server: MockServer) -> None:
    async with open_mock(server, Dialect.GA) as client:
        await client.send(audio_append(tone(300, 500, amplitude=0.01)))
        after = await client.request(
            {"type": "input_audio_buffer.clear"}, "input_audio_buffer.cleared"
        )
        assert [e["type"] for e in after] == ["input_audio_buffer.cleared"]


async def test_speech_interrupts_a_running_response() -> None:
    async with MockServer(delta_delay=0.05) as mock, open_client(mock.ga_url()) as client:
        await client.send({"type": "response.create"})
        await client.until("response.output_audio.delta")
        await client.send(audio_append(tone(300, 200)))
        events = await client.until("response.done")
    names = [e["type"] for e in events]
    assert names.index("input_audio_buffer.speech_started") < names.index("response.done")
    final = events[-1]["response"]
    assert final["status"] == "cancelled"
    assert final["status_details"]["reason"] == "turn_detected"


@pytest.mark.parametrize(
    ("dialect", "session", "law"),
    [
        (
            Dialect.GA,
            {
                "type": "realtime",
                "audio": {
                    "input": {"format": {"type": "audio/pcmu"}},
                    "output": {"format": {"type": "audio/pcma"}},
                },
            },
            ("ulaw", "alaw"),
        ),
        (
            Dialect.BETA,
            {"input_audio_format": "g711_alaw", "output_audio_format": "g711_ulaw"},
            ("alaw", "ulaw"),
        ),
    ],
)
async def test_g711_sessions_hear_and_speak_g711(
    server: MockServer, dialect: Dialect, session: JsonObject, law: tuple[str, str]
) -> None:
    encoders = {"ulaw": audio.ulaw_encode, "alaw": audio.alaw_encode}
    decoders = {"ulaw": audio.ulaw_decode, "alaw": audio.alaw_decode}
    speech = audio.resample(silence(300) + tone(300, 600) + silence(400), 24_000, 8_000)
    async with open_mock(server, dialect) as client:
        await update(client, session)
        wire = encoders[law[0]](speech)
        for start in range(0, len(wire), 160):  # 20 ms of 8 kHz G.711
            await client.send(audio_append(wire[start : start + 160]))
        events = await client.until("rate_limits.updated")
    stopped = next(e for e in events if e["type"] == "input_audio_buffer.speech_stopped")
    assert stopped["audio_end_ms"] == 900 + 200
    delta_type = "response.output_audio.delta" if dialect is Dialect.GA else "response.audio.delta"
    spoken = b"".join(base64.b64decode(e["delta"]) for e in events if e["type"] == delta_type)
    pcm8k = decoders[law[1]](spoken)
    assert len(spoken) * 2 == len(pcm8k)  # one byte a sample
    assert audio.rms(pcm8k) > 0.05
    final = next(e for e in events if e["type"] == "response.done")["response"]
    assert final["usage"]["output_token_details"]["audio_tokens"] > 0


async def test_idle_timeout_prompts_the_user(server: MockServer) -> None:
    async with open_mock(server, Dialect.GA) as client:
        vad = {"type": "server_vad", "idle_timeout_ms": 50}
        session = {"type": "realtime", "output_modalities": ["text"]}
        await update(client, {**session, "audio": {"input": {"turn_detection": vad}}})
        await client.send(audio_append(silence(200)))  # quiet audio: no turn, stays buffered
        await client.send({"type": "response.create"})
        await client.until("rate_limits.updated")
        events = await client.until("input_audio_buffer.timeout_triggered")
        timeout = events[-1]
        assert (timeout["audio_start_ms"], timeout["audio_end_ms"]) == (0, 200)
        events = await client.until("rate_limits.updated")
    names = [e["type"] for e in events]
    assert names[:3] == [
        "input_audio_buffer.committed",
        "conversation.item.added",
        "conversation.item.done",
    ]
    assert events[0]["item_id"] == timeout["item_id"]
    assert "response.done" in names


async def test_beta_turn_detection_has_no_idle_timeout(server: MockServer) -> None:
    async with open_mock(server, Dialect.BETA) as client:
        vad = {"type": "server_vad", "idle_timeout_ms": 50}
        events = await client.request(
            {"type": "session.update", "session": {"turn_detection": vad}}, "error"
        )
        assert events[-1]["error"]["param"] == "session.turn_detection.idle_timeout_ms"
