"""A session's two sides as one stereo WAV, built from its log a frame at a time."""

from __future__ import annotations

import base64
import json
import tracemalloc
import wave
from array import array
from pathlib import Path
from typing import Any

import pytest

from rt_tui.realtime.audio import BYTES_PER_MS, rms, silence, tone
from rt_tui.realtime.audio_formats import to_wire
from rt_tui.realtime.frames import Direction
from rt_tui.realtime.recorder import log_line, meta_line
from rt_tui.realtime.session_wav import SessionAudioError, write_session_wav


class Log:
    """A session log written by hand, frame by frame, at chosen times."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines = [meta_line(url="ws://127.0.0.1/v1/realtime", dialect="ga")]

    def frame(self, t_ms: float, direction: Direction, event: dict[str, Any]) -> None:
        self.lines.append(log_line(1e9 + t_ms / 1000, t_ms, direction, json.dumps(event)))

    def user(self, t_ms: float, audio: bytes) -> None:
        event = {"type": "input_audio_buffer.append", "audio": base64.b64encode(audio).decode()}
        self.frame(t_ms, Direction.SENT, event)

    def assistant(self, t_ms: float, item_id: str, audio: bytes) -> None:
        event = {
            "type": "response.output_audio.delta",
            "response_id": "resp_1",
            "item_id": item_id,
            "output_index": 0,
            "content_index": 0,
            "delta": base64.b64encode(audio).decode(),
        }
        self.frame(t_ms, Direction.RECEIVED, event)

    def truncate(self, t_ms: float, item_id: str, audio_end_ms: int) -> None:
        event = {
            "type": "conversation.item.truncate",
            "item_id": item_id,
            "content_index": 0,
            "audio_end_ms": audio_end_ms,
        }
        self.frame(t_ms, Direction.SENT, event)

    def write(self) -> Path:
        self.path.write_text("\n".join(self.lines) + "\n")
        return self.path


def channels(path: Path) -> tuple[bytes, bytes]:
    """The left and right channels of a stereo PCM16 24 kHz WAV."""
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (2, 2, 24_000)
        frames = array("h", wav.readframes(wav.getnframes()))
    return frames[0::2].tobytes(), frames[1::2].tobytes()


def at(ms: float) -> int:
    return int(ms * BYTES_PER_MS)


def test_each_side_is_placed_at_its_time(tmp_path: Path) -> None:
    log = Log(tmp_path / "s.jsonl")
    question = tone(440, 300)
    for n in range(3):  # a microphone: each 100 ms chunk sent as it ends
        log.user(100 * (n + 1), question[at(100 * n) : at(100 * (n + 1))])
    answer = tone(660, 300)
    for n in range(3):  # the service: faster than real time, played as it arrives
        log.assistant(1000 + n, "item_a", answer[at(100 * n) : at(100 * (n + 1))])
    out = tmp_path / "both.wav"
    summary = write_session_wav(log.write(), out)
    left, right = channels(out)
    assert len(left) == len(right) == at(1300)
    assert left == question + silence(1000)
    assert right == silence(1000) + answer
    assert (summary.duration_ms, summary.user_ms, summary.assistant_ms) == (1300, 300, 300)
    assert out.stat().st_mode & 0o777 == 0o600


def test_audio_sent_faster_than_real_time_is_laid_end_to_end(tmp_path: Path) -> None:
    log = Log(tmp_path / "s.jsonl")
    speech = tone(440, 500)
    for n in range(5):  # a WAV file sent whole, all at 600 ms
        log.user(600, speech[at(100 * n) : at(100 * (n + 1))])
    out = tmp_path / "both.wav"
    write_session_wav(log.write(), out)
    left, right = channels(out)
    assert left == silence(500) + speech  # the first chunk ends at 600 ms
    assert right == silence(1000)


def test_a_microphone_chunk_held_up_on_its_way_does_not_move_the_rest(tmp_path: Path) -> None:
    log = Log(tmp_path / "s.jsonl")
    speech = tone(440, 1000)
    sent_at = [40 * (n + 1) for n in range(25)]  # each 40 ms chunk sent as it ends...
    sent_at[10:14] = [600] * 4  # ...but a busy event loop held four back until the fifth
    for n, t_ms in enumerate(sent_at):
        log.user(t_ms, speech[at(40 * n) : at(40 * (n + 1))])
    out = tmp_path / "both.wav"
    write_session_wav(log.write(), out)
    left, _right = channels(out)
    assert left == speech  # where it was spoken, not 160 ms later from the held chunk on


def test_a_pause_in_the_microphones_audio_stays_a_pause(tmp_path: Path) -> None:
    log = Log(tmp_path / "s.jsonl")
    speech = tone(440, 800)
    for n in range(20):  # nothing sent from 400 to 700 ms (push-to-talk released)
        log.user(40 * (n + 1) + (300 if n >= 10 else 0), speech[at(40 * n) : at(40 * (n + 1))])
    out = tmp_path / "both.wav"
    write_session_wav(log.write(), out)
    left, _right = channels(out)
    assert left == speech[: at(400)] + silence(300) + speech[at(400) :]


def test_a_truncated_reply_stops_where_it_was_cut(tmp_path: Path) -> None:
    log = Log(tmp_path / "s.jsonl")
    answer = tone(660, 1000)
    log.assistant(1000, "item_a", answer[: at(500)])
    log.assistant(1001, "item_a", answer[at(500) :])
    log.assistant(1002, "item_b", tone(300, 200))  # queued behind it
    log.truncate(1400, "item_a", 400)  # the user spoke over it
    log.assistant(1405, "item_a", tone(660, 100))  # already on its way: never played
    log.assistant(3000, "item_c", tone(500, 100))  # the next reply
    log.truncate(5000, "item_c", 50)  # long after it played out: an edit, not a cut
    out = tmp_path / "both.wav"
    summary = write_session_wav(log.write(), out)
    _left, right = channels(out)
    assert right == silence(1000) + answer[: at(400)] + silence(1600) + tone(500, 100)
    assert summary.assistant_ms == 400 + 100


def test_g711_sessions_are_decoded(tmp_path: Path) -> None:
    log = Log(tmp_path / "s.jsonl")
    session = {
        "type": "realtime",
        "audio": {
            "input": {"format": {"type": "audio/pcmu"}},
            "output": {"format": {"type": "audio/pcma"}},
        },
    }
    log.frame(5, Direction.RECEIVED, {"type": "session.updated", "session": session})
    question = to_wire(tone(440, 400), "g711_ulaw")
    for n in range(20):  # 20 ms chunks of 8 kHz mu-law
        log.user(20 * (n + 1), question[160 * n : 160 * (n + 1)])
    log.assistant(1000, "item_a", to_wire(tone(660, 200), "g711_alaw"))
    out = tmp_path / "both.wav"
    summary = write_session_wav(log.write(), out)
    left, right = channels(out)
    assert (summary.user_ms, summary.assistant_ms) == (400, 200)
    assert len(left) == at(1200)
    assert rms(left[at(50) : at(350)]) == pytest.approx(rms(tone(440, 300)), rel=0.05)
    assert rms(left[at(450) :]) < 0.01
    assert rms(right[at(1050) : at(1150)]) == pytest.approx(rms(tone(660, 100)), rel=0.05)


def test_a_log_holding_two_sessions_keeps_them_apart(tmp_path: Path) -> None:
    log = Log(tmp_path / "s.jsonl")
    log.user(2000, tone(440, 100))
    log.user(100, tone(550, 100))  # a second session appended: its clock starts again
    out = tmp_path / "both.wav"
    write_session_wav(log.write(), out)
    left, _right = channels(out)
    assert left == silence(1900) + tone(440, 100) + tone(550, 100)


def test_problems_are_one_sentence(tmp_path: Path) -> None:
    quiet = Log(tmp_path / "quiet.jsonl")
    quiet.frame(10, Direction.SENT, {"type": "response.create"})
    quiet.write()
    out = tmp_path / "both.wav"
    with pytest.raises(SessionAudioError) as info:
        write_session_wav(quiet.path, out)
    assert str(info.value) == f"quiet.jsonl holds no audio, so {out} was not written."
    assert not out.exists()
    with pytest.raises(SessionAudioError, match=r"missing\.jsonl cannot be read"):
        write_session_wav(tmp_path / "missing.jsonl", out)
    talk = Log(tmp_path / "talk.jsonl")
    talk.user(100, tone(440, 100))
    talk.write()
    with pytest.raises(SessionAudioError, match=r"^Cannot write .*: no such file or directory\.$"):
        write_session_wav(talk.path, tmp_path / "nowhere" / "both.wav")


def test_a_long_session_is_never_held_in_memory(tmp_path: Path) -> None:
    log = Log(tmp_path / "s.jsonl")
    chunk = tone(440, 100)
    minutes = 3
    for n in range(minutes * 600):  # each side talks half the time
        if n % 20 < 10:
            log.user(100 * (n + 1), chunk)
        else:
            log.assistant(100 * n, f"item_{n // 20}", chunk)
    log.write()
    out = tmp_path / "both.wav"
    tracemalloc.start()
    try:
        summary = write_session_wav(log.path, out)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert summary.duration_ms == minutes * 60_000
    pcm_bytes = 2 * minutes * 60 * 24_000 * 2  # both channels
    assert out.stat().st_size > pcm_bytes
    assert peak < pcm_bytes / 10  # a few buffers, not the session
