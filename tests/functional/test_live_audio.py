"""A WAV file as the microphone and another as the speaker, against the mock's server VAD
on loopback, in real time: the VAD hears the speech where it is, the reply is played as
the server sent it, and a second burst of speech cuts the reply where it was heard."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import wave
from array import array
from pathlib import Path
from typing import Any

from live_audio import EARLY_S, WAIT_S, until

from rt_tui.mock import MockServer
from rt_tui.realtime.audio import BYTES_PER_MS, read_wav, silence, tone, write_wav
from rt_tui.realtime.audio_io import (
    PlaybackCut,
    ReplyPlayer,
    WavSink,
    WavSource,
    interrupt_playback,
    send_source,
)
from rt_tui.realtime.connection import Connection
from rt_tui.realtime.endpoints import endpoint_for_url
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.recorder import SessionRecorder
from rt_tui.realtime.session_wav import write_session_wav

TOLERANCE_MS = 100


def voice_session(*, words: int) -> dict[str, Any]:
    """Spoken replies of `words` words (about 200 ms each), server VAD that reports speech
    where it starts (no prefix padding) and ends a turn after 300 ms of quiet."""
    return {
        "type": "session.update",
        "session": {
            "type": "realtime",
            "output_modalities": ["audio"],
            "max_output_tokens": words,
            "audio": {
                "input": {
                    "turn_detection": {
                        "type": "server_vad",
                        "prefix_padding_ms": 0,
                        "silence_duration_ms": 300,
                    }
                }
            },
        },
    }


class Frames:
    """Every frame of the session, both ways, for asserting on afterwards."""

    def __init__(self) -> None:
        self.all: list[Frame] = []

    def observe(self, frame: Frame) -> None:
        self.all.append(frame)

    def received(self, wire_type: str) -> list[dict[str, Any]]:
        return [
            f.event.raw
            for f in self.all
            if f.direction is Direction.RECEIVED and f.event and f.wire_type == wire_type
        ]

    def first(self, wire_type: str) -> Frame:
        return next(f for f in self.all if f.wire_type == wire_type)

    def sent(self, wire_type: str) -> list[dict[str, Any]]:
        return [
            f.client_event
            for f in self.all
            if f.direction is Direction.SENT and f.client_event and f.wire_type == wire_type
        ]

    def sent_audio_ms(self) -> float:
        """The microphone audio sent, in ms."""
        sent = self.sent("input_audio_buffer.append")
        return sum(len(base64.b64decode(e["audio"])) for e in sent) / BYTES_PER_MS

    def has(self, wire_type: str) -> bool:
        return any(f.wire_type == wire_type for f in self.all)

    def audio_of(self, item_id: str) -> bytes:
        """The assistant audio the server sent for an item, decoded."""
        return b"".join(
            base64.b64decode(e["delta"])
            for e in self.received("response.output_audio.delta")
            if e["item_id"] == item_id
        )


async def test_a_wav_mic_in_real_time_meets_server_vad_and_the_reply_plays_as_sent(
    tmp_path: Path,
) -> None:
    question, reply = tmp_path / "question.wav", tmp_path / "reply.wav"
    write_wav(question, silence(300) + tone(440, 600))  # speech from 300 to 900 ms
    frames = Frames()
    async with MockServer(delta_delay=0) as mock, WavSink(reply) as speaker:
        player = ReplyPlayer(speaker)
        endpoint = endpoint_for_url(mock.ga_url())
        observers = [frames.observe, player.observe]
        async with Connection(endpoint, observers=observers, buffer_received=False) as conn:
            await until(lambda: frames.has("session.created"), "session.created")
            conn.send(voice_session(words=5))
            await until(lambda: frames.has("session.updated"), "session.updated")
            mic = WavSource(question, tail_ms=400)
            mic_start_ms = conn.elapsed_ms()
            await send_source(mic, conn.send)
            await until(lambda: frames.has("response.done"), "the reply")
            await until(lambda: not speaker.playing, "the reply to play out")

    started = frames.received("input_audio_buffer.speech_started")
    stopped = frames.received("input_audio_buffer.speech_stopped")
    assert len(started) == len(stopped) == 1
    assert abs(started[0]["audio_start_ms"] - 300) <= TOLERANCE_MS
    assert abs(stopped[0]["audio_end_ms"] - (900 + 300)) <= TOLERANCE_MS
    # Paced like a voice: the server could not know where speech ended before it was said.
    heard_at = frames.first("input_audio_buffer.speech_stopped").t_ms - mic_start_ms
    assert heard_at >= stopped[0]["audio_end_ms"] - EARLY_S * 1000
    assert frames.sent_audio_ms() == 300 + 600 + 400

    (item_id,) = {e["item_id"] for e in frames.received("response.output_audio.delta")}
    sent_by_server = frames.audio_of(item_id)
    assert len(sent_by_server) > 500 * BYTES_PER_MS
    assert speaker.played_ms(item_id) == len(sent_by_server) / BYTES_PER_MS
    assert speaker.underruns == 0
    assert read_wav(reply) == sent_by_server  # byte for byte


async def test_speaking_over_the_reply_stops_it_and_truncates_it_where_it_was_heard(
    tmp_path: Path,
) -> None:
    question, reply = tmp_path / "question.wav", tmp_path / "reply.wav"
    # A question (200-700 ms, answered from 1000 ms), then speech again at 1500 ms while
    # the answer (about 1.6 s) plays.
    write_wav(question, silence(200) + tone(440, 500) + silence(800) + tone(523, 400))
    frames = Frames()
    cuts: list[tuple[PlaybackCut, float]] = []
    async with (
        MockServer(delta_delay=0) as mock,
        WavSink(reply) as speaker,
        contextlib.AsyncExitStack() as stack,
    ):
        player = ReplyPlayer(speaker)
        endpoint = endpoint_for_url(mock.ga_url())
        recorder = stack.enter_context(SessionRecorder(tmp_path / "session.jsonl"))
        conn = Connection(endpoint, observers=[frames.observe, player.observe], recorder=recorder)

        def barge_in(frame: Frame) -> None:
            if frame.wire_type == "input_audio_buffer.speech_started":
                cut = interrupt_playback(speaker, conn.send)
                if cut is not None:
                    cuts.append((cut, speaker.played_ms(cut.item_id)))

        conn.add_observer(barge_in)
        async with conn:
            await until(lambda: frames.has("session.created"), "session.created")
            conn.send(voice_session(words=8))
            await until(lambda: frames.has("session.updated"), "session.updated")
            mic = WavSource(question, tail_ms=400)
            talking = asyncio.create_task(send_source(mic, conn.send))
            await until(lambda: frames.has("conversation.item.truncated"), "the truncation")
            mic.close()  # enough said
            await asyncio.wait_for(talking, WAIT_S)

    assert len(cuts) == 1  # the first speech_started found nothing playing
    cut, played_when_cut = cuts[0]
    (truncate,) = frames.sent("conversation.item.truncate")
    assert truncate["item_id"] == cut.item_id
    assert truncate["audio_end_ms"] == cut.audio_end_ms
    assert abs(truncate["audio_end_ms"] - played_when_cut) <= TOLERANCE_MS
    (truncated,) = frames.received("conversation.item.truncated")
    assert truncated["audio_end_ms"] == cut.audio_end_ms
    item_audio = frames.audio_of(cut.item_id)
    # Cut mid-reply, roughly where the second burst began (1500 ms; the reply from ~1000).
    assert 0 < cut.played_ms < len(item_audio) / BYTES_PER_MS
    # Nothing of the item played after the cut, and the speaker holds exactly what played.
    assert speaker.played_ms(cut.item_id) == cut.played_ms
    played = round(cut.played_ms * BYTES_PER_MS)
    assert read_wav(reply) == item_audio[:played]

    # The whole session as one stereo WAV: the reply, on the right, as far as it was heard.
    both = write_session_wav(tmp_path / "session.jsonl", tmp_path / "both.wav")
    with wave.open(str(both.path), "rb") as wav:
        frames_lr = array("h", wav.readframes(wav.getnframes()))
    right = frames_lr[1::2].tobytes()
    start = right.index(item_audio[: 100 * BYTES_PER_MS])
    cut_at = start + truncate["audio_end_ms"] * BYTES_PER_MS
    assert right[start:cut_at] == item_audio[: cut_at - start]
    assert not right[cut_at:].strip(b"\0")  # nothing after the cut
    assert both.user_ms == frames.sent_audio_ms()
