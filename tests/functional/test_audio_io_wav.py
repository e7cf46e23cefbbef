"""WAV files as a virtual microphone and a virtual speaker, in real time (no fake clock:
the tests use short audio)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from live_audio import EARLY_S, WAIT_S, until

from rt_tui.realtime.audio import BYTES_PER_MS, SILENT, read_wav, silence, tone, write_wav
from rt_tui.realtime.audio_io import WavSink, WavSource


async def test_a_wav_source_yields_its_audio_as_it_would_be_spoken(tmp_path: Path) -> None:
    speech = tone(440, 300)
    write_wav(tmp_path / "q.wav", speech)
    source = WavSource(tmp_path / "q.wav", tail_ms=100, chunk_ms=40)
    assert source.duration_ms == 400
    chunks: list[bytes] = []
    start = time.monotonic()
    async for pcm in source.chunks():
        chunks.append(pcm)
        spoken_s = sum(len(c) for c in chunks) / BYTES_PER_MS / 1000
        # Never ahead of real time: each chunk comes once its last sample was "spoken".
        assert time.monotonic() - start >= spoken_s - EARLY_S
    assert b"".join(chunks) == speech + silence(100)
    assert [len(c) // BYTES_PER_MS for c in chunks] == [40] * 10
    assert source.delivered_ms == 400
    assert source.level.rms == 0.0  # the last chunk is the tail's silence
    assert source.overruns == 0


async def test_a_wav_source_ends_with_the_silence_server_vad_needs(tmp_path: Path) -> None:
    write_wav(tmp_path / "q.wav", tone(440, 100))
    source = WavSource(tmp_path / "q.wav")
    # The service's default server VAD waits 500 ms of silence; 200 ms more to be sure.
    assert source.duration_ms == 100 + 700


async def test_a_muted_source_sends_silence_but_still_measures(tmp_path: Path) -> None:
    write_wav(tmp_path / "q.wav", tone(440, 80))
    source = WavSource(tmp_path / "q.wav", tail_ms=0, chunk_ms=40)
    source.muted = True
    sent = [pcm async for pcm in source.chunks()]
    assert sent == [silence(40), silence(40)]
    assert source.level.rms > 0.1


async def test_a_closed_source_ends(tmp_path: Path) -> None:
    write_wav(tmp_path / "q.wav", tone(440, 2000))
    source = WavSource(tmp_path / "q.wav", tail_ms=0)
    async with source:
        got = 0
        async for _pcm in source.chunks():
            got += 1
            if got == 2:
                source.close()
    assert got == 2
    assert source.delivered_ms == 80


async def test_a_wav_sink_writes_at_speaker_pace_exactly_what_it_played(tmp_path: Path) -> None:
    first, second = tone(440, 300), tone(660, 200)
    path = tmp_path / "reply.wav"
    async with WavSink(path) as sink:
        start = time.monotonic()
        sink.play("item_a", first[:4800])
        sink.play("item_a", first[4800:])
        sink.finish("item_a")
        sink.play("item_b", second)
        sink.finish("item_b")
        assert sink.playing
        await until(lambda: sink.level.rms > 0.1, "the output level to show the tone")
        # Half-way, the file holds what was "heard" so far, no more.
        await until(lambda: sink.played_ms("item_a") >= 150, "150 ms played")
        heard = read_wav(path)
        assert 0 < len(heard) <= len(first)
        assert heard == first[: len(heard)]
        await asyncio.wait_for(sink.drained(), WAIT_S)
        assert time.monotonic() - start >= 0.5 - EARLY_S  # 500 ms of audio took 500 ms
        assert sink.played_ms("item_a") == 300
        assert sink.played_ms("item_b") == 200
        assert sink.written_ms == 500
        assert sink.underruns == 0
        await until(lambda: sink.level.rms == 0, "the output level to fall silent")
    assert read_wav(path) == first + second
    assert path.stat().st_mode & 0o777 == 0o600


async def test_a_stopped_wav_sink_holds_exactly_what_was_played(tmp_path: Path) -> None:
    reply = tone(440, 1000)
    path = tmp_path / "reply.wav"
    async with WavSink(path) as sink:
        sink.play("item_a", reply)
        await until(lambda: sink.played_ms("item_a") >= 200, "200 ms played")
        cut = sink.stop()
        assert cut is not None
        assert cut.item_id == "item_a"
        assert 200 <= cut.played_ms < 1000
        assert not sink.playing
        sink.play("item_a", tone(440, 100))  # a delta still in flight: dropped
        assert not sink.playing
        sink.play("item_b", tone(660, 100))
        sink.finish("item_b")
        await asyncio.wait_for(sink.drained(), WAIT_S)
        assert sink.played_ms("item_a") == cut.played_ms
    played = int(cut.played_ms * BYTES_PER_MS)
    assert read_wav(path) == reply[:played] + tone(660, 100)


async def test_stopping_a_wav_sink_with_nothing_playing_cuts_nothing(tmp_path: Path) -> None:
    async with WavSink(tmp_path / "reply.wav") as sink:
        assert sink.stop() is None
        sink.play("item_a", tone(440, 50))
        sink.finish("item_a")
        await asyncio.wait_for(sink.drained(), WAIT_S)
        assert sink.stop() is None  # item_a was over
        assert sink.played_ms("item_a") == 50


async def test_audio_arriving_late_mid_item_is_an_underrun(tmp_path: Path) -> None:
    async with WavSink(tmp_path / "reply.wav", prebuffer_ms=0) as sink:
        sink.play("item_a", tone(440, 60))
        await until(lambda: not sink.playing, "the first piece to play out")
        # A tick with nothing to play: the listener hears a gap...
        await until(lambda: sink.level == SILENT, "the speaker to fall silent")
        assert sink.underruns == 0
        sink.play("item_a", tone(440, 60))  # ...which late audio of the same item proves
        assert sink.underruns == 1
        sink.finish("item_a")
        await asyncio.wait_for(sink.drained(), WAIT_S)
    assert read_wav(tmp_path / "reply.wav") == tone(440, 60) * 2  # the tape keeps no gap
