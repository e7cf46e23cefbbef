"""A transcription session in the app (`[session] type = "transcription"`, `--transcribe`),
against the real mock server on loopback: speech in, streamed transcripts out, no answers."""

from __future__ import annotations

from collections.abc import AsyncIterator
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

from rt_tui.config import Config, SessionSettings, TurnDetection, TurnDetectionType
from rt_tui.mock.server import MockServer
from rt_tui.realtime.audio import silence, tone, write_wav
from rt_tui.realtime.frames import Direction
from rt_tui.tui.submitted import TRANSCRIPTION_TAKES_SPEECH


@pytest.fixture
async def server() -> AsyncIterator[MockServer]:
    async with MockServer(delta_delay=0) as mock:
        yield mock


@pytest.fixture
def speech(tmp_path: Path) -> Path:
    path = tmp_path / "speech.wav"
    write_wav(path, tone(330, 600) + silence(200))
    return path


def _transcription(detection: TurnDetectionType) -> Config:
    turn = TurnDetection(type=detection)
    return Config(session=SessionSettings(type="transcription", turn_detection=turn))


@pytest.mark.parametrize("detection", ["none", "server_vad"])
async def test_wav_is_transcribed_and_nothing_answers(
    server: MockServer, tmp_path: Path, speech: Path, detection: TurnDetectionType
) -> None:
    log = MessageLog()
    app = app_for_url(server.ga_url(), tmp_path, config=_transcription(detection))
    async with app.run_test(size=(120, 36), message_hook=log) as pilot:
        screen = await connected(pilot)
        assert server.handshakes[-1].path.endswith("?intent=transcription")
        session = screen.conversation.session
        assert session is not None
        assert session["type"] == "transcription"
        await submit(pilot, f"/wav {speech}")
        received = log.frames(Direction.RECEIVED)
        await wait_for(
            pilot,
            lambda: (
                any(f.wire_type.endswith("transcription.completed") for f in received)
                and screen.conversation.items
                and screen.conversation.items[0].text
            ),
            "the transcript",
        )
        [user] = screen.conversation.items
        assert user.role == "user"
        deltas = [f for f in log.frames(Direction.RECEIVED) if f.wire_type.endswith(".delta")]
        assert len(deltas) > 1  # streamed, not only completed
        [block] = pane_items(screen.pane, "user")
        await wait_for(pilot, lambda: user.text in block.body, "the transcript on screen")
        sent = log.wire_types(Direction.SENT)
        assert sent[0] == "session.update"
        assert "response.create" not in sent
        assert (detection == "none") == ("input_audio_buffer.commit" in sent)
        assert screen.conversation.responses == {}
        assert screen.conversation.errors == []


async def test_typed_text_is_not_sent_to_a_transcription_session(
    server: MockServer, tmp_path: Path
) -> None:
    log = MessageLog()
    app = app_for_url(server.ga_url(), tmp_path, config=_transcription("server_vad"))
    async with app.run_test(size=(120, 36), message_hook=log) as pilot:
        screen = await connected(pilot)
        await submit(pilot, "hello?")
        await wait_for(
            pilot,
            lambda: TRANSCRIPTION_TAKES_SPEECH in pane_texts(screen.pane, "notice"),
            "the note",
        )
        assert log.wire_types(Direction.SENT) == ["session.update"]
