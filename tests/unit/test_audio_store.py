"""Audio stays on disk: the assistant's deltas are read back from the session log that
recorded them, other audio from a scratch file in the cache folder."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from pathlib import Path

import pytest

from rt_tui import paths
from rt_tui.realtime import audio as rt_audio
from rt_tui.realtime.audio_store import (
    BYTES_PER_MS,
    AudioStore,
    AudioUnavailable,
)
from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.events import parse_server_frame
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.recorder import SessionRecorder
from rt_tui.send.reply_audio import ReplyAudio
from rt_tui.tui.audio_turns import SaveAudioError, save_last_audio
from rt_tui.tui.widgets.audio_levels import (
    SPARK,
    ItemLevels,
    sparkline,
    sparkline_of_pieces,
)


def tone(ms: int, level: int) -> bytes:
    return bytes([level, 0]) * (ms * BYTES_PER_MS // 2)


def audio_frame(pcm: bytes, t_ms: float, item_id: str = "item_1") -> Frame:
    data = json.dumps(
        {
            "type": "response.output_audio.delta",
            "response_id": "resp_1",
            "item_id": item_id,
            "output_index": 0,
            "content_index": 0,
            "delta": base64.b64encode(pcm).decode(),
        }
    )
    return Frame(Direction.RECEIVED, t_ms, 0.0, data, event=parse_server_frame(data))


def recorded_conversation(log: Path, pieces: list[bytes], levels: bool = False) -> Conversation:
    """A conversation fed the way a connection with a recorder feeds it."""
    conversation = Conversation(AudioStore(levels=levels))
    recorder = SessionRecorder(log)
    conversation.apply(
        Frame(
            Direction.RECEIVED,
            0.0,
            0.0,
            (
                added := json.dumps(
                    {
                        "type": "response.output_item.added",
                        "response_id": "resp_1",
                        "item": {"id": "item_1", "type": "message", "role": "assistant"},
                    }
                )
            ),
            event=parse_server_frame(added),
        )
    )
    for n, pcm in enumerate(pieces):
        frame = audio_frame(pcm, float(n + 1))
        span = recorder.append(frame.direction, frame.t_ms, frame.wall_time, frame.data)
        conversation.apply(replace(frame, redacted=frame.data, log_span=span))
    recorder.close()
    return conversation


def test_recorded_audio_is_read_back_from_the_log_not_kept(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    pieces = [tone(100, 1), tone(100, 2)]
    conversation = recorded_conversation(log, pieces)
    audio = conversation.audio
    assert audio.duration_ms("item_1") == 200
    assert audio.get("item_1") == b"".join(pieces)
    # Change the samples in the log without moving a byte: the store reads the log.
    log.write_bytes(log.read_bytes().replace(b"AQAB", b"AwAD"))  # 01 00 01 -> 03 00 03
    assert audio.get("item_1")[:6] == b"\x03\x00\x03\x00\x01\x00"
    assert not paths.cache_dir().exists()  # nothing was written twice


def test_truncating_recorded_audio_keeps_what_was_heard(tmp_path: Path) -> None:
    pieces = [tone(100, 1), tone(100, 2), tone(100, 3)]
    conversation = recorded_conversation(tmp_path / "s.jsonl", pieces)
    data = json.dumps(
        {
            "type": "conversation.item.truncated",
            "item_id": "item_1",
            "content_index": 0,
            "audio_end_ms": 150,
        }
    )
    conversation.apply(Frame(Direction.RECEIVED, 9.0, 0.0, data, event=parse_server_frame(data)))
    audio = conversation.audio
    assert audio.duration_ms("item_1") == 150
    assert audio.total_bytes == 150 * BYTES_PER_MS
    assert audio.get("item_1") == tone(100, 1) + tone(50, 2)
    audio.append("item_1", tone(10, 9))  # later audio goes after the cut
    assert audio.get("item_1") == tone(100, 1) + tone(50, 2) + tone(10, 9)


def test_audio_whose_log_is_gone_is_one_sentence(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    conversation = recorded_conversation(log, [tone(100, 1)])
    log.unlink()
    with pytest.raises(AudioUnavailable, match=r"^The audio is no longer in the session log "):
        conversation.audio.get("item_1")
    with pytest.raises(SaveAudioError) as caught:
        save_last_audio(conversation, str(tmp_path / "out.wav"), tmp_path)
    assert str(caught.value) == f"The audio is no longer in the session log {log}."
    assert not (tmp_path / "out.wav").exists()


def test_unrecorded_audio_goes_to_a_scratch_file_in_the_cache_folder() -> None:
    store = AudioStore()
    store.append("a", tone(10, 1))
    store.append("a", b"")
    assert paths.cache_dir().is_dir()
    assert store.get("a") == tone(10, 1)
    assert [len(chunk) for chunk in store.chunks("a")] == [10 * BYTES_PER_MS]
    store.close()


def test_send_gathers_reply_audio_in_a_scratch_file() -> None:
    reply = ReplyAudio()
    for level in (1, 2):
        reply.observe(audio_frame(tone(100, level), 1.0).event)
    assert paths.cache_dir().is_dir()
    assert reply.pcm("resp_1") == tone(100, 1) + tone(100, 2)
    assert reply.pcm("other") == b""


def test_interleaved_items_keep_their_own_pieces_through_a_cut() -> None:
    store = AudioStore()
    a1, a2, a3, a4 = tone(100, 1), tone(100, 2), tone(100, 3), tone(50, 4)
    b1, b2 = tone(100, 5), tone(100, 6)
    for item_id, pcm in [("a", a1), ("b", b1), ("a", a2), ("b", b2), ("a", a3)]:
        store.append(item_id, pcm)
    store.truncate("a", 150)  # what was heard: a1 and half of a2
    store.append("a", a4)  # a server that goes on after the cut
    assert store.get("a") == a1 + a2[: 50 * BYTES_PER_MS] + a4
    assert store.get("b") == b1 + b2
    assert store.duration_ms("a") == 200
    assert store.total_bytes == (200 + 200) * BYTES_PER_MS
    store.truncate("b", 0)
    assert store.get("b") == b""
    store.discard("a")
    assert "a" not in store
    assert store.total_bytes == 0
    store.close()


LEVELS = (0.0, 0.02, 0.3, 0.9, 0.5, 0.05, 0.0, 0.7)


def speech_like(delta_bytes: tuple[int, ...]) -> list[bytes]:
    """Two seconds of audio rising and falling a quarter second at a time, as deltas of
    the given lengths in turn (the last shorter)."""
    pcm = b"".join(
        rt_audio.tone(220 + 40 * n, 250, level) if level else rt_audio.silence(250)
        for n, level in enumerate(LEVELS)
    )
    pieces, at, n = [], 0, 0
    while at < len(pcm):
        size = delta_bytes[n % len(delta_bytes)]
        pieces.append(pcm[at : at + size])
        at, n = at + size, n + 1
    return pieces


def steps_apart(line: str, other: str) -> list[int]:
    """How many steps of the scale each cell of two sparklines differs by."""
    assert len(line) == len(other)
    return [abs(SPARK.index(a) - SPARK.index(b)) for a, b in zip(line, other, strict=True)]


def test_an_items_sparkline_is_drawn_from_levels_kept_as_the_audio_came(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    # Uneven deltas of 20 ms or less (measured whole, per 10 ms from each one's start),
    # whose 10 ms blocks hold one level each.
    pieces = speech_like((960, 480, 720, 240))
    conversation = recorded_conversation(log, pieces, levels=True)
    log.unlink()  # nothing is read back: the sparkline comes from the store's levels
    line = ItemLevels().of(conversation.audio, "item_1")
    assert line == sparkline(b"".join(pieces))
    assert len(set(line)) > 4


CHANGES_MS = range(250, 2000, 250)
"""Where the level of `speech_like` audio changes."""


@pytest.mark.parametrize("delta_bytes", [(1440,), (4000, 2000, 3000), (6144,), (9600,), (24_000,)])
def test_long_deltas_are_measured_from_a_sample_within_a_step(
    tmp_path: Path, delta_bytes: tuple[int, ...]
) -> None:
    pieces = speech_like(delta_bytes)
    conversation = recorded_conversation(tmp_path / "s.jsonl", pieces, levels=True)
    line = ItemLevels().of(conversation.audio, "item_1")
    exact = sparkline(b"".join(pieces))
    assert len(line) == 20  # 100 ms cells
    # A sampled section across a change of level lends its level to all of it: a cell
    # beside a change may read further off; every other cell is within a step.
    beside_a_change = {n for n in range(20) for ms in CHANGES_MS if -30 < ms - 100 * n < 130}
    apart = steps_apart(line, exact)
    assert [n for n in range(20) if apart[n] > 1 and n not in beside_a_change] == []
    assert line[16] == exact[16] == SPARK[0]  # silence inside silence stays silence
    assert line[8] == exact[8] == SPARK[-1]  # loud stays loud


def test_a_long_replys_later_deltas_are_sampled_sparser_and_still_read_true(
    tmp_path: Path,
) -> None:
    # 40 s in runs of 5 s at the levels of `speech_like`, as 200 ms deltas: cells of
    # 1.67 s; sections grow to about 100 ms as the reply does.
    run = {
        level: rt_audio.tone(300, 250, level) if level else rt_audio.silence(250)
        for level in LEVELS
    }
    pcm = b"".join(run[level] * 20 for level in LEVELS)
    delta = 200 * BYTES_PER_MS
    pieces = [pcm[at : at + delta] for at in range(0, len(pcm), delta)]
    conversation = recorded_conversation(tmp_path / "s.jsonl", pieces, levels=True)
    runs = list(conversation.audio.energy_runs("item_1"))
    assert [len(energies) for _, _, energies in runs][:: len(runs) - 1] == [8, 2]
    line = ItemLevels().of(conversation.audio, "item_1")
    exact = sparkline(pcm)
    assert len(line) == 24
    cell_ms = 40_000 / 24
    beside_a_change = {
        n
        for n in range(24)
        for ms in range(5000, 40_000, 5000)
        if -130 < ms - cell_ms * n < cell_ms + 130
    }
    apart = steps_apart(line, exact)
    assert [n for n in range(24) if apart[n] > 1 and n not in beside_a_change] == []
    assert line[19] == exact[19] == SPARK[0]  # inside the silence from 30 to 35 s
    assert line[10] == exact[10] == SPARK[-1]  # inside the loudest run, 15 to 20 s


def test_a_cut_inside_a_sampled_delta_keeps_its_share_of_the_energy(tmp_path: Path) -> None:
    pieces = speech_like((9600,))
    conversation = recorded_conversation(tmp_path / "s.jsonl", pieces, levels=True)
    audio = conversation.audio
    audio.truncate("item_1", 1303)  # inside a delta, inside one of its sections
    cut = ItemLevels().of(audio, "item_1")
    exact = sparkline(b"".join(pieces)[: 1303 * BYTES_PER_MS])
    assert len(cut) == 13
    assert [size for size, _, _ in audio.energy_runs("item_1")][-1] == 1303 * BYTES_PER_MS % 9600
    assert max(steps_apart(cut, exact)) <= 1


def test_levels_are_kept_per_10_ms_so_a_delta_across_a_change_of_level_reads_true() -> None:
    store = AudioStore(levels=True)
    pieces = speech_like((7000, 2222))  # edges anywhere: a delta may hold two levels
    for pcm in pieces:
        store.append("a", pcm)
    assert ItemLevels().of(store, "a") == sparkline(b"".join(pieces))
    store.truncate("a", 1303)  # inside a 10 ms block
    cut = sparkline_of_pieces(store.energy_runs("a"))
    assert cut == sparkline(b"".join(pieces)[: 1303 * BYTES_PER_MS])
    assert len(cut) == 13
    store.close()


def test_a_piece_spanning_several_stretches_is_measured_a_block_at_a_time() -> None:
    # A whole user turn is one piece: it crosses many stretch edges, which fall inside
    # its 10 ms blocks; small deltas around it lie inside one stretch each.
    store = AudioStore(levels=True)
    pieces = speech_like((1234, 60_000, 966, 480, 2222))
    for pcm in pieces:
        store.append("a", pcm)
    assert [size for size, _, _ in store.energy_runs("a")] == [len(pcm) for pcm in pieces]
    assert ItemLevels().of(store, "a") == sparkline(b"".join(pieces))
    store.close()


def test_a_store_that_does_not_measure_levels_draws_no_sparkline(tmp_path: Path) -> None:
    conversation = recorded_conversation(tmp_path / "s.jsonl", speech_like((4800,)))
    assert list(conversation.audio.energy_runs("item_1")) == []
    assert ItemLevels().of(conversation.audio, "item_1") == ""
    assert conversation.audio.duration_ms("item_1") == 2000
