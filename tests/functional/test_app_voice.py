"""Live voice in the app, through the pilot, against the mock's server VAD on loopback:
a WAV file as the microphone and another as the speaker, both in real time (as a user
without a sound device runs `rt-tui --mic question.wav --speaker reply.wav`)."""

from __future__ import annotations

import base64
import wave
from array import array
from pathlib import Path
from typing import Any

import pytest
from conftest_app import (
    MessageLog,
    app_for_url,
    connected,
    frames_shown,
    pane_items,
    submit,
    wait_for,
)
from textual.widgets import Input, Static

from rt_tui.config import Config, SessionSettings, TurnDetection
from rt_tui.config_audio import AudioSettings
from rt_tui.mock.server import MockServer
from rt_tui.realtime.audio import BYTES_PER_MS, read_wav, silence, tone, write_wav
from rt_tui.realtime.audio_io import live_audio_problem
from rt_tui.realtime.frames import Direction
from rt_tui.tui.screens.main import MainScreen
from rt_tui.tui.widgets.audio_levels import SPARK, sparkline
from rt_tui.tui.widgets.conversation_blocks import VoiceBlock

TOLERANCE_MS = 100


def voice_config(
    mic: Path | str, speaker: Path | str, *, words: int, detection: str = "server_vad"
) -> Config:
    """Spoken replies of `words` words (about 200 ms each); server VAD that reports speech
    where it starts and ends a turn after 300 ms of quiet."""
    return Config(
        session=SessionSettings(
            output_modality="audio",
            max_output_tokens=words,
            input_transcription_model="whisper-1",
            turn_detection=TurnDetection(
                type=detection,
                prefix_padding_ms=0,
                silence_duration_ms=300,
            ),
        ),
        audio=AudioSettings(mic=str(mic), speaker=str(speaker)),
    )


def received(log: MessageLog, wire_type: str) -> list[dict[str, Any]]:
    return [
        frame.event.raw
        for frame in log.frames(Direction.RECEIVED)
        if frame.event is not None and frame.wire_type == wire_type
    ]


def sent(log: MessageLog, wire_type: str) -> list[dict[str, Any]]:
    return [
        frame.client_event
        for frame in log.frames(Direction.SENT)
        if frame.client_event is not None and frame.wire_type == wire_type
    ]


def server_audio(log: MessageLog, item_id: str) -> bytes:
    """The assistant audio the server sent for an item, decoded."""
    return b"".join(
        base64.b64decode(event["delta"])
        for event in received(log, "response.output_audio.delta")
        if event["item_id"] == item_id
    )


def voice_lines(screen: MainScreen) -> list[str]:
    return [block.text for block in screen.pane.blocks if isinstance(block, VoiceBlock)]


@pytest.fixture
async def server() -> Any:
    async with MockServer(delta_delay=0) as mock:
        yield mock


async def test_a_wav_mic_meets_server_vad_and_the_reply_plays_into_the_wav_speaker(
    server: MockServer, tmp_path: Path
) -> None:
    question, reply = tmp_path / "question.wav", tmp_path / "reply.wav"
    write_wav(question, silence(300) + tone(440, 600))  # speech from 300 to 900 ms
    log = MessageLog()
    app = app_for_url(server.ga_url(), tmp_path, config=voice_config(question, reply, words=5))
    async with app.run_test(message_hook=log) as pilot:
        screen = await connected(pilot)
        voice = screen.engine.voice
        await wait_for(pilot, lambda: received(log, "response.done"), "the reply")
        await wait_for(pilot, lambda: voice.sink is not None and not voice.sink.playing, "play")
        await wait_for(pilot, lambda: len(pane_items(screen.pane, "assistant")) == 1, "item")
        await wait_for(pilot, lambda: not screen.pane.busy, "the pane")
        lines = voice_lines(screen)
        meter = screen.voice_meter.reading()
        header = pane_items(screen.pane, "assistant")[0].header
        both = tmp_path / "both.wav"
        await submit(pilot, f"/save-audio --session {both}")
        await wait_for(pilot, lambda: any("Saved the session's" in t for t in _notices(screen)))

    (started,) = received(log, "input_audio_buffer.speech_started")
    (stopped,) = received(log, "input_audio_buffer.speech_stopped")
    assert abs(started["audio_start_ms"] - 300) <= TOLERANCE_MS
    assert abs(stopped["audio_end_ms"] - (900 + 300)) <= TOLERANCE_MS
    (item_id,) = {e["item_id"] for e in received(log, "response.output_audio.delta")}
    by_server = server_audio(log, item_id)
    assert len(by_server) > 500 * BYTES_PER_MS
    assert read_wav(reply) == by_server  # byte for byte, as the server sent it
    # The conversation reads as a timeline, the item shows its levels, the bar its meters.
    assert any("speech started at 0.30 s of input audio" in line for line in lines)
    assert any("speech stopped at 1.20 s of input audio (a 0.90 s turn)" in line for line in lines)
    assert any(f"turn committed as {stopped['item_id']}" in line for line in lines)
    assert any("transcript of" in line and "delta" in line for line in lines)
    # Levels kept as the audio came: the mock's words are long deltas, measured from a
    # sample of each, so each cell is within a step of the level its PCM reads.
    exact = sparkline(by_server)
    shown = header.rsplit(" ", 1)[-1]
    assert len(shown) == len(exact)
    assert all(abs(SPARK.index(a) - SPARK.index(b)) <= 1 for a, b in zip(shown, exact, strict=True))
    with wave.open(str(both), "rb") as wav:
        assert wav.getnchannels() == 2
        right = array("h", wav.readframes(wav.getnframes()))[1::2].tobytes()
    assert by_server in right  # the assistant's side, as played
    assert meter[0].startswith("▕")
    assert "dB" in meter[0]


async def test_a_speaker_given_for_the_run_asks_for_spoken_replies(
    server: MockServer, tmp_path: Path
) -> None:
    reply = tmp_path / "reply.wav"
    log = MessageLog()
    # As `rt-tui --speaker reply.wav` with the config's default text replies.
    app = app_for_url(server.ga_url(), tmp_path, config=Config(), speaker=str(reply))
    async with app.run_test(message_hook=log) as pilot:
        screen = await connected(pilot)
        voice = screen.engine.voice
        await wait_for(pilot, lambda: voice.sink is not None, "the speaker")
        await submit(pilot, "hello")
        await wait_for(pilot, lambda: received(log, "response.done"), "the reply")
        await wait_for(pilot, lambda: voice.sink is not None and not voice.sink.playing, "play")
        lines = _notices(screen)

    (update,) = sent(log, "session.update")
    assert update["session"]["output_modalities"] == ["audio"]
    (item_id,) = {e["item_id"] for e in received(log, "response.output_audio.delta")}
    assert read_wav(reply) == server_audio(log, item_id)
    assert "Speaker: reply.wav." in lines


async def test_a_speaker_with_text_replies_says_it_has_nothing_to_play(
    server: MockServer, tmp_path: Path
) -> None:
    reply = tmp_path / "reply.wav"
    # The config's [audio] speaker, its session left at text replies.
    config = Config(audio=AudioSettings(speaker=str(reply)))
    app = app_for_url(server.ga_url(), tmp_path, config=config)
    async with app.run_test() as pilot:
        screen = await connected(pilot)
        said = "Speaker: reply.wav. The replies are text, so it has nothing to play"
        await wait_for(pilot, lambda: any(said in text for text in _notices(screen)), "why")
        assert app.context.config.session.output_modality == "text"  # the config's choice


async def test_speaking_over_the_reply_cuts_it_where_it_was_heard(
    server: MockServer, tmp_path: Path
) -> None:
    question, reply = tmp_path / "question.wav", tmp_path / "reply.wav"
    # A question (200-700 ms) on the microphone; once its answer is heard, more speech, a
    # turn of its own, which the server answers too. Spoken once the answer plays, not at a
    # set moment of the microphone's (a loop running late starts the playback late), and
    # the answer is long (about 10 s): it plays on while a slow loop sends the speech.
    write_wav(question, silence(200) + tone(440, 500))
    over = tmp_path / "over.wav"
    write_wav(over, tone(523, 400))
    log = MessageLog()
    app = app_for_url(server.ga_url(), tmp_path, config=voice_config(question, reply, words=60))
    async with app.run_test(message_hook=log) as pilot:
        screen = await connected(pilot)
        voice = screen.engine.voice
        await wait_for(pilot, lambda: received(log, "response.output_audio.delta"), "audio")
        (first,) = {e["item_id"] for e in received(log, "response.output_audio.delta")}
        sink = voice.sink
        assert sink is not None
        await wait_for(pilot, lambda: sink.played_ms(first) > 0, "the answer to be heard")
        await submit(pilot, f"/wav --realtime {over}")
        await wait_for(pilot, lambda: received(log, "conversation.item.truncated"), "the cut")
        await wait_for(pilot, lambda: len(received(log, "response.done")) == 2, "2 replies")
        await frames_shown(pilot, log)
        (truncate,) = sent(log, "conversation.item.truncate")
        item_id = truncate["item_id"]
        played_ms = sink.played_ms(item_id)
        cut, answer = pane_items(screen.pane, "assistant")
        lines = voice_lines(screen)
        notices = _notices(screen)

    assert item_id == first
    assert abs(truncate["audio_end_ms"] - played_ms) <= TOLERANCE_MS
    item_audio = server_audio(log, item_id)
    assert 0 < played_ms < len(item_audio) / BYTES_PER_MS  # cut mid-reply
    # The speaker holds exactly what was played of the item, nothing of it after the cut:
    # then only the answer to the second turn, as much of it as had played.
    heard = read_wav(reply)
    played = round(played_ms * BYTES_PER_MS)
    assert heard[:played] == item_audio[:played]
    (answer_id,) = {e["item_id"] for e in received(log, "response.output_audio.delta")} - {item_id}
    assert server_audio(log, answer_id).startswith(heard[played:])
    (truncated,) = received(log, "conversation.item.truncated")
    assert truncated["audio_end_ms"] == truncate["audio_end_ms"]
    # The item is marked cut, its transcript ending where the heard audio did.
    assert f"audio cut at {truncate['audio_end_ms']} ms" in cut.body
    assert "✂" in cut.body
    assert "✂" not in answer.body
    assert any("truncated at" in line for line in lines)
    assert any(text.startswith("✂ Barge-in (you spoke)") for text in notices)


async def test_push_to_talk_sends_the_turn_on_the_second_press(
    server: MockServer, tmp_path: Path
) -> None:
    question, reply = tmp_path / "question.wav", tmp_path / "reply.wav"
    write_wav(question, tone(440, 3000))
    log = MessageLog()
    config = voice_config(question, reply, words=2, detection="none")
    app = app_for_url(server.ga_url(), tmp_path, config=config)
    async with app.run_test(message_hook=log) as pilot:
        screen = await connected(pilot)
        voice = screen.engine.voice
        await wait_for(pilot, lambda: voice.source is not None and voice.mode.manual, "mic")
        mic = voice.source
        assert mic is not None
        await wait_for(pilot, lambda: mic.delivered_ms >= 200, "the mic to stream")
        assert not sent(log, "input_audio_buffer.append")  # nothing sent before the key
        await pilot.press("ctrl+t")
        start = mic.delivered_ms
        await wait_for(pilot, lambda: mic.delivered_ms >= start + 400, "speech")
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: received(log, "response.done"), "the reply")
        appended = len(sent(log, "input_audio_buffer.append"))
        await wait_for(pilot, lambda: mic.delivered_ms >= start + 800, "more audio")
        assert len(sent(log, "input_audio_buffer.append")) == appended  # the key stopped it

    assert sent(log, "input_audio_buffer.commit")
    assert sent(log, "response.create")
    (committed,) = received(log, "input_audio_buffer.committed")
    assert committed["item_id"]


async def test_wav_realtime_streams_a_file_at_a_microphones_pace(
    server: MockServer, tmp_path: Path
) -> None:
    question = tmp_path / "question.wav"
    write_wav(question, silence(200) + tone(440, 400))
    log = MessageLog()
    config = voice_config("none", "none", words=2)
    app = app_for_url(server.ga_url(), tmp_path, config=config)
    async with app.run_test(message_hook=log) as pilot:
        await connected(pilot)
        asked_ms = log.frames()[-1].t_ms  # on the frames' clock, before the file starts
        await submit(pilot, f"/wav --realtime {question}")
        await wait_for(pilot, lambda: received(log, "response.done"), "the reply")

    appends = [f for f in log.frames(Direction.SENT) if f.wire_type == "input_audio_buffer.append"]
    (started,) = received(log, "input_audio_buffer.speech_started")
    (stopped,) = received(log, "input_audio_buffer.speech_stopped")
    assert abs(started["audio_start_ms"] - 200) <= TOLERANCE_MS
    # Paced, not a burst: the server heard the turn end (the file, then the VAD's 300 ms of
    # silence) no sooner than that much audio takes to say. Counted from before the
    # command, not from the first chunk: a loop that runs late sends the chunks that came
    # due meanwhile together, so the first ones may go late, but none goes early.
    assert abs(stopped["audio_end_ms"] - (600 + 300)) <= TOLERANCE_MS
    assert appends[-1].t_ms - asked_ms >= stopped["audio_end_ms"]


@pytest.mark.skipif(live_audio_problem() is None, reason="this machine has a sound device")
async def test_without_a_sound_device_the_app_says_why_and_still_talks(
    server: MockServer, tmp_path: Path
) -> None:
    log = MessageLog()
    config = Config(audio=AudioSettings(mic="default", speaker="default"))
    app = app_for_url(server.ga_url(), tmp_path, config=config)
    async with app.run_test(message_hook=log) as pilot:
        screen = await connected(pilot)
        problem = live_audio_problem()
        assert problem is not None
        await wait_for(pilot, lambda: any(problem in text for text in _notices(screen)), "why")
        await submit(pilot, "hello")
        await wait_for(pilot, lambda: received(log, "response.done"), "the reply")
        notices = _notices(screen)

    # Said once, naming both it keeps from the user, and that the rest works.
    (said,) = [text for text in notices if problem in text]
    assert (
        said
        == f"No microphone or speaker: {problem} Everything else works; WAV files work as both."
    )
    assert screen.voice_meter.reading()[2] == "no mic"


def _notices(screen: MainScreen) -> list[str]:
    return [getattr(block, "text", "") for block in screen.pane.blocks]


async def test_the_settings_audio_section_opens_the_new_microphone_at_once(
    server: MockServer, tmp_path: Path
) -> None:
    question, reply = tmp_path / "question.wav", tmp_path / "reply.wav"
    write_wav(question, silence(200) + tone(440, 500))
    log = MessageLog()
    config = voice_config("none", "none", words=2)
    app = app_for_url(server.ga_url(), tmp_path, config=config)
    async with app.run_test(message_hook=log) as pilot:
        screen = await connected(pilot)
        assert not screen.voice_meter.display  # no live audio asked for: no meters
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.screen is not screen, "the settings")
        app.screen.query_one("#audio-mic", Input).value = str(question)
        app.screen.query_one("#audio-speaker", Input).value = str(reply)
        await pilot.pause()
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: app.screen is screen, "the main screen")
        await wait_for(pilot, lambda: received(log, "response.done"), "the spoken turn's reply")
        await wait_for(pilot, lambda: reply.stat().st_size > 44, "the reply played")
        assert screen.voice_meter.display
        assert app.context.config.audio.mic == str(question)


async def test_the_settings_audio_section_says_what_the_runs_flags_use(
    server: MockServer, tmp_path: Path
) -> None:
    question, reply = tmp_path / "question.wav", tmp_path / "reply.wav"
    write_wav(question, silence(200))
    app = app_for_url(server.ga_url(), tmp_path, mic=str(question), speaker=str(reply))
    async with app.run_test() as pilot:
        screen = await connected(pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.screen is not screen, "the settings")
        note = str(app.screen.query_one("#audio-run", Static).render())
        shown = app.screen.query_one("#audio-mic", Input).value

    assert note == (
        f"This run uses --mic {question} and --speaker {reply}; the fields below are the "
        "config file's, and applying a change to them replaces both."
    )
    assert shown == "none"  # the file's, which a save keeps


async def test_half_duplex_holds_the_microphone_while_the_reply_plays(
    server: MockServer, tmp_path: Path
) -> None:
    question, reply = tmp_path / "question.wav", tmp_path / "reply.wav"
    # Two bursts: the second (2500-2900 ms) falls well inside the reply, played from about
    # 1000 ms for 3.2 s: a loaded machine may start playing it a second late and still
    # hold the microphone over the whole burst.
    write_wav(question, silence(200) + tone(440, 500) + silence(1800) + tone(523, 400))
    log = MessageLog()
    config = voice_config(question, reply, words=16)
    config.audio.half_duplex = True
    app = app_for_url(server.ga_url(), tmp_path, config=config)
    async with app.run_test(message_hook=log) as pilot:
        screen = await connected(pilot)
        voice = screen.engine.voice
        await wait_for(pilot, lambda: received(log, "response.done"), "the reply")
        await wait_for(pilot, lambda: voice.source is not None and voice.source.closed, "mic")
        await wait_for(pilot, lambda: voice.sink is not None and not voice.sink.playing, "play")
        assert screen.voice_meter.reading()[2] == "mic done"

    assert not sent(log, "conversation.item.truncate")
    assert len(received(log, "input_audio_buffer.speech_started")) == 1
    (item_id,) = {e["item_id"] for e in received(log, "response.output_audio.delta")}
    assert read_wav(reply) == server_audio(log, item_id)  # played whole
    # What the microphone heard while the reply played was not sent.
    spoken_ms = len(sent(log, "input_audio_buffer.append")) * 40
    assert spoken_ms < 200 + 500 + 1800 + 400
