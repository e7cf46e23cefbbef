"""`/wav`, `/save-audio` and `/help` in the app, against the real mock server on loopback."""

from __future__ import annotations

import base64
import stat
import wave
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from conftest_app import (
    MessageLog,
    app_for_url,
    connected,
    main_screen,
    pane_items,
    pane_texts,
    submit,
    wait_for,
)
from textual.pilot import Pilot

from rt_tui.config import Config, SessionSettings, TurnDetection, TurnDetectionType
from rt_tui.mock.server import MockServer
from rt_tui.realtime.audio import duration_ms, read_wav, silence, tone, write_wav
from rt_tui.realtime.frames import Direction
from rt_tui.tui.screens.help import HelpScreen
from rt_tui.tui.screens.main import MainScreen
from rt_tui.tui.widgets.composer import SLASH_COMMANDS
from rt_tui.tui.widgets.conversation import ConversationPane

TURN_MS = 700  # tone 500 ms + silence 200 ms


@pytest.fixture
async def server() -> AsyncIterator[MockServer]:
    async with MockServer(delta_delay=0) as mock:
        yield mock


@pytest.fixture
def question(tmp_path: Path) -> Path:
    """A spoken question: a tone, then a little silence (44.1 kHz stereo, to be converted)."""
    pcm = tone(330, 500) + silence(200)
    path = tmp_path / "question.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(48_000)
        samples = memoryview(pcm).cast("h")
        # 24 kHz mono -> 48 kHz stereo: every sample twice, on both channels.
        frames = bytearray()
        for sample in samples:
            frames += sample.to_bytes(2, "little", signed=True) * 4
        wav.writeframes(bytes(frames))
    return path


def _audio_config(detection: TurnDetectionType) -> Config:
    return Config(
        session=SessionSettings(
            output_modality="audio",
            turn_detection=TurnDetection(type=detection),
            input_transcription_model="whisper-1",
        )
    )


def _notices(screen: MainScreen) -> list[str]:
    return pane_texts(screen.pane, "notice")


async def _completed_reply(pilot: Pilot[int], screen: MainScreen) -> None:
    await wait_for(
        pilot,
        lambda: any(r.status == "completed" for r in screen.conversation.responses.values()),
        "a completed reply",
    )
    pane = screen.query_one(ConversationPane)
    await wait_for(pilot, lambda: not pane.busy, "the pane to draw")


async def test_wav_in_manual_mode_appends_commits_and_asks(
    server: MockServer, tmp_path: Path, question: Path
) -> None:
    log = MessageLog()
    app = app_for_url(server.ga_url(), tmp_path, config=_audio_config("none"))
    async with app.run_test(size=(140, 40), message_hook=log) as pilot:
        screen = await connected(pilot)
        await submit(pilot, f"/wav {question}")
        await _completed_reply(pilot, screen)
        sent = [f.client_event for f in log.frames(Direction.SENT)]
        types = [event["type"] for event in sent if event]
        turn = types[types.index("input_audio_buffer.append") :]
        assert turn == ["input_audio_buffer.append"] * 7 + [
            "input_audio_buffer.commit",
            "response.create",
        ]
        audio = b"".join(
            base64.b64decode(e["audio"]) for e in sent if e and e["type"].endswith(".append")
        )
        # The file as converted to 24 kHz mono (soxr filters, so not sample for sample).
        assert audio == read_wav(question)
        assert len(audio) == len(tone(330, 500) + silence(200))

        user, reply = screen.conversation.items
        assert user.role == "user"
        assert screen.conversation.audio.duration_ms(user.id) == TURN_MS
        assert user.text  # the mock's transcript of the turn
        assert screen.conversation.audio.duration_ms(reply.id) > 0
        blocks = {block.role == "user": block for block in pane_items(screen.pane)}
        await wait_for(pilot, lambda: user.text in blocks[True].body, "the transcript")
        assert "🔊 700 ms" in blocks[True].header
        assert "🔊" in blocks[False].header
        assert any("question.wav: 700 ms of audio (manual" in n for n in _notices(screen))
        assert screen.conversation.errors == []


async def test_a_spoken_turn_without_a_transcript_reads_audio_in_plain_text(
    server: MockServer, tmp_path: Path, question: Path
) -> None:
    config = Config(
        session=SessionSettings(turn_detection=TurnDetection(type="none"))  # no transcription
    )
    app = app_for_url(server.ga_url(), tmp_path, config=config)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await connected(pilot)
        await submit(pilot, f"/wav {question}")
        await _completed_reply(pilot, screen)
        [user] = pane_items(screen.pane, "user")
        assert user.body == "(audio)"
        assert " (audio)" in screen.pane.lines()  # As is: no Markdown in what the user said.


async def test_wav_with_server_vad_lets_the_server_end_the_turn(
    server: MockServer, tmp_path: Path, question: Path
) -> None:
    log = MessageLog()
    app = app_for_url(server.ga_url(), tmp_path, config=_audio_config("server_vad"))
    async with app.run_test(size=(140, 40), message_hook=log) as pilot:
        screen = await connected(pilot)
        await submit(pilot, f"/wav {question}")
        await _completed_reply(pilot, screen)
        sent = log.wire_types(Direction.SENT)
        assert "input_audio_buffer.commit" not in sent
        assert "response.create" not in sent
        received = log.wire_types(Direction.RECEIVED)
        assert received.index("input_audio_buffer.speech_started") < received.index(
            "input_audio_buffer.committed"
        )
        user = screen.conversation.items[0]
        # The VAD's turn: up to the end of the tone plus the session's silence duration.
        assert screen.conversation.audio.duration_ms(user.id) == pytest.approx(1000, abs=40)


async def test_a_bad_file_is_one_line_and_nothing_is_sent(
    server: MockServer, tmp_path: Path
) -> None:
    log = MessageLog()
    app = app_for_url(server.ga_url(), tmp_path, config=_audio_config("none"))
    (tmp_path / "notes.wav").write_text("not audio")
    async with app.run_test(size=(140, 40), message_hook=log) as pilot:
        screen = await connected(pilot)
        await submit(pilot, f"/wav {tmp_path / 'missing.wav'}")
        await submit(pilot, f"/wav {tmp_path / 'notes.wav'}")
        await submit(pilot, "/wav")
        await wait_for(pilot, lambda: len(_notices(screen)) == 3, "three notices")
        missing, not_wav, no_path = _notices(screen)
        assert missing == "Nothing was sent: missing.wav: no such file."
        assert not_wav.startswith("Nothing was sent: notes.wav is not a WAV file")
        assert no_path.startswith("/wav needs the path of a WAV file")
        assert all("\n" not in notice for notice in (missing, not_wav))
        sent = log.wire_types(Direction.SENT)
        assert not any(kind.startswith("input_audio_buffer") for kind in sent)


async def test_save_audio_writes_the_last_spoken_reply(
    server: MockServer, tmp_path: Path, question: Path
) -> None:
    app = app_for_url(server.ga_url(), tmp_path, config=_audio_config("none"))
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await connected(pilot)
        await submit(pilot, "/save-audio")
        await wait_for(pilot, lambda: _notices(screen), "the notice")
        assert _notices(screen)[0].startswith("There is no assistant audio to save yet")

        await submit(pilot, f"/wav {question}")
        await _completed_reply(pilot, screen)
        reply = screen.conversation.items[-1]
        stored = screen.conversation.audio.get(reply.id)

        await submit(pilot, "/save-audio")
        default = tmp_path / "sessions" / f"{reply.id}.wav"
        await wait_for(pilot, default.exists, "the default file")
        assert read_wav(default) == stored
        with wave.open(str(default)) as wav:
            ms = wav.getnframes() * 1000 / wav.getframerate()
        assert ms == duration_ms(stored) == screen.conversation.audio.duration_ms(reply.id)

        chosen = tmp_path / "reply.wav"
        await submit(pilot, f"/save-audio {chosen}")
        await wait_for(pilot, chosen.exists, "the chosen file")
        assert read_wav(chosen) == stored
        # Private, as every file rt-tui writes.
        assert {stat.S_IMODE(p.stat().st_mode) for p in (default, chosen)} == {0o600}
        await submit(pilot, f"/save-audio {tmp_path / 'no' / 'such' / 'dir.wav'}")
        await wait_for(pilot, lambda: len(_notices(screen)) >= 5, "the failure")
        notices = _notices(screen)
        assert f"to {default}" in notices[2]
        assert f"to {chosen}" in notices[3]
        assert notices[4].startswith("Cannot write ")
        assert notices[4].endswith("no such file or directory.")


async def test_help_lists_the_commands_inline_and_on_the_help_screen(tmp_path: Path) -> None:
    app = app_for_url(None, tmp_path, connect=False)
    async with app.run_test(size=(140, 100)) as pilot:
        screen = main_screen(pilot)
        await submit(pilot, "/help")
        await wait_for(pilot, lambda: _notices(screen), "the command list")
        listed = _notices(screen)[0]
        assert all(command.usage in listed for command in SLASH_COMMANDS)

        pilot.app.push_screen(HelpScreen())
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "help")
        await pilot.pause()
        strips = pilot.app.screen._compositor.render_strips()
        text = "\n".join(strip.text for strip in strips)
        assert "Composer commands" in text
        assert all(command.usage in text for command in SLASH_COMMANDS)


async def test_wav_before_the_session_opens_sends_nothing(tmp_path: Path) -> None:
    path = tmp_path / "q.wav"
    write_wav(path, tone(440, 300))
    app = app_for_url(None, tmp_path, connect=False)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = main_screen(pilot)
        await submit(pilot, f"/wav {path}")
        await wait_for(pilot, lambda: _notices(screen), "the notice")
        assert _notices(screen)[0].startswith("Not connected yet, so nothing was sent")
