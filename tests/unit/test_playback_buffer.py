"""The jitter buffer between audio deltas and a player: priming, what counts as played,
underruns, and cutting playback short for a barge-in."""

from __future__ import annotations

import threading

from rt_tui.realtime.audio import BYTES_PER_MS, tone
from rt_tui.realtime.audio_io.playback import PlaybackBuffer, PlaybackCut

MS = BYTES_PER_MS


def test_playback_waits_for_the_prebuffer_then_plays_in_order() -> None:
    buffer = PlaybackBuffer(prebuffer_ms=60)
    assert buffer.pull(20 * MS) == b""  # nothing queued
    first, second = tone(440, 40), tone(660, 40)
    buffer.push("item_a", first)
    assert buffer.pull(20 * MS) == b""  # 40 ms < 60 ms of prebuffer
    buffer.push("item_a", second)
    assert buffer.queued_ms == 80
    played = buffer.pull(50 * MS) + buffer.pull(50 * MS)
    assert played == first + second
    assert buffer.played_ms("item_a") == 80
    assert buffer.idle
    assert buffer.underruns == 0  # ran dry, but nothing more came: not a gap yet


def test_a_finished_item_shorter_than_the_prebuffer_plays_at_once() -> None:
    buffer = PlaybackBuffer(prebuffer_ms=200)
    buffer.push("item_a", tone(440, 30))
    assert buffer.pull(20 * MS) == b""
    buffer.finish("item_a")
    assert len(buffer.pull(20 * MS) + buffer.pull(20 * MS)) == 30 * MS


def test_running_dry_mid_item_is_an_underrun_once_the_item_goes_on() -> None:
    buffer = PlaybackBuffer(prebuffer_ms=0)
    buffer.push("item_a", tone(440, 20))
    assert len(buffer.pull(40 * MS)) == 20 * MS  # dry after 20 ms: the listener hears a gap
    assert buffer.underruns == 0
    buffer.push("item_a", tone(440, 20))  # ...which the late audio proves
    assert buffer.underruns == 1
    assert len(buffer.pull(20 * MS)) == 20 * MS
    # Dry at the end of a finished item: the end of speech, no gap.
    buffer.finish("item_a")
    assert buffer.pull(20 * MS) == b""
    buffer.push("item_b", tone(440, 20))
    assert buffer.underruns == 1
    # Dry in the middle of item_b, then item_b is finished: no gap was heard after all.
    assert len(buffer.pull(40 * MS)) == 20 * MS
    buffer.finish("item_b")
    buffer.push("item_c", tone(440, 20))
    assert buffer.underruns == 1


def test_after_an_underrun_playback_refills_the_prebuffer_first() -> None:
    buffer = PlaybackBuffer(prebuffer_ms=40)
    buffer.push("item_a", tone(440, 40))
    assert len(buffer.pull(60 * MS)) == 40 * MS
    buffer.push("item_a", tone(440, 20))
    assert buffer.pull(20 * MS) == b""  # 20 ms < 40 ms: wait for more
    buffer.push("item_a", tone(440, 20))
    assert len(buffer.pull(40 * MS)) == 40 * MS


def test_cut_stops_at_once_and_says_how_much_of_the_item_was_played() -> None:
    buffer = PlaybackBuffer(prebuffer_ms=0)
    buffer.push("item_a", tone(440, 500))
    buffer.push("item_b", tone(660, 100))
    buffer.pull(123 * MS)
    cut = buffer.cut()
    assert cut == PlaybackCut("item_a", 123.0, unplayed=("item_b",))
    assert cut.audio_end_ms == 123
    assert buffer.idle
    assert buffer.pull(20 * MS) == b""
    # Deltas of the cut items still in flight are dropped; a new reply plays.
    buffer.push("item_a", tone(440, 100))
    buffer.push("item_b", tone(440, 100))
    assert buffer.idle
    assert buffer.played_ms("item_a") == 123
    buffer.push("item_c", tone(440, 20))
    assert len(buffer.pull(20 * MS)) == 20 * MS
    assert buffer.underruns == 0


def test_cut_of_an_item_that_ran_dry_still_names_it() -> None:
    buffer = PlaybackBuffer(prebuffer_ms=0)
    buffer.push("item_a", tone(440, 30))
    buffer.pull(50 * MS)  # all played, more may be coming
    assert buffer.cut() == PlaybackCut("item_a", 30.0)
    buffer.push("item_b", tone(440, 30))
    buffer.finish("item_b")
    buffer.pull(50 * MS)
    assert buffer.cut() is None  # item_b is over: nothing was cut
    assert buffer.played_ms("item_b") == 30


def test_audio_not_played_yet_is_cut_at_zero() -> None:
    buffer = PlaybackBuffer(prebuffer_ms=100)
    buffer.push("item_a", tone(440, 40))
    assert buffer.cut() == PlaybackCut("item_a", 0.0)


def test_a_player_thread_and_the_loop_share_the_buffer() -> None:
    buffer = PlaybackBuffer(prebuffer_ms=0)
    pieces = [bytes([n % 251, 0]) * 480 for n in range(400)]  # 20 ms each, each distinct
    total = sum(len(p) for p in pieces)
    out = bytearray()

    def player() -> None:
        while len(out) < total:
            out.extend(buffer.pull(7 * MS))

    thread = threading.Thread(target=player, daemon=True)
    thread.start()
    for piece in pieces:
        buffer.push("item_a", piece)
    thread.join(timeout=30)
    assert bytes(out) == b"".join(pieces)
    assert buffer.played_ms("item_a") == 400 * 20
