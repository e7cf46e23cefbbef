"""Wire formats (PCM16, G.711) and resampling a stream chunk by chunk."""

from __future__ import annotations

import pytest

from rt_tui.realtime import audio
from rt_tui.realtime.audio import (
    BYTES_PER_MS,
    SAMPLE_RATE,
    StreamResampler,
    duration_ms,
    rms,
    tone,
)
from rt_tui.realtime.audio_formats import (
    WireDecoder,
    from_wire,
    law_of,
    session_formats,
    to_wire,
)

needs_soxr = pytest.mark.skipif(
    not audio.filtered_resampling(), reason="soxr (the 'audio' extra) is not installed"
)


def test_law_of_both_dialects() -> None:
    assert law_of("g711_ulaw") == law_of({"type": "audio/pcmu"}) == "ulaw"
    assert law_of("g711_alaw") == law_of({"type": "audio/pcma"}) == "alaw"
    assert law_of("pcm16") is law_of({"type": "audio/pcm", "rate": 24000}) is None
    assert law_of(None) is None


def test_session_formats_both_dialects() -> None:
    ga = {"audio": {"input": {"format": {"type": "audio/pcmu"}}, "output": {}}}
    assert session_formats(ga) == ({"type": "audio/pcmu"}, None)
    beta = {"input_audio_format": "pcm16", "output_audio_format": "g711_alaw"}
    assert session_formats(beta) == ("pcm16", "g711_alaw")
    assert session_formats({}) == (None, None)


def test_g711_on_the_wire_is_8_khz_one_byte_a_sample() -> None:
    pcm = tone(440, 200)
    wire = to_wire(pcm, "g711_ulaw")
    assert len(wire) == 200 * 8  # 8 kHz, one byte a sample
    back = from_wire(wire, {"type": "audio/pcmu"})
    assert duration_ms(back) == 200
    assert rms(back[20 * BYTES_PER_MS : -20 * BYTES_PER_MS]) == pytest.approx(
        rms(pcm[20 * BYTES_PER_MS : -20 * BYTES_PER_MS]), rel=0.03
    )
    assert to_wire(pcm, "pcm16") is pcm
    assert from_wire(pcm, None) is pcm


def _chunked(resampler: StreamResampler, pcm: bytes, chunk: int) -> bytes:
    pieces = [resampler.feed(pcm[i : i + chunk]) for i in range(0, len(pcm), chunk)]
    return b"".join(pieces) + resampler.flush()


def _worst_difference(a: bytes, b: bytes) -> int:
    pairs = zip(memoryview(a).cast("h"), memoryview(b).cast("h"), strict=True)
    return max(abs(x - y) for x, y in pairs)


@needs_soxr
def test_a_stream_resampled_in_chunks_matches_the_whole() -> None:
    narrow = audio.resample(tone(300, 1000), SAMPLE_RATE, 8_000)
    resampler = StreamResampler(8_000, SAMPLE_RATE)
    streamed = _chunked(resampler, narrow, 320)  # 20 ms chunks
    whole = audio.resample(narrow, 8_000, SAMPLE_RATE)
    assert len(streamed) == len(whole) == 1000 * BYTES_PER_MS
    # No clicks where the chunks meet: the stream is the signal resampled as one (each
    # chunk resampled alone is off by 200 at its edges).
    assert _worst_difference(streamed, whole) <= 4
    # After a flush the stream starts anew.
    again = _chunked(resampler, narrow, 1600)
    assert _worst_difference(again, whole) <= 4


def test_without_soxr_a_stream_is_resampled_chunk_by_chunk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(audio, "_soxr", lambda: None)
    narrow = audio.resample(tone(300, 1000), SAMPLE_RATE, 8_000)
    streamed = _chunked(StreamResampler(8_000, SAMPLE_RATE), narrow, 320)
    assert len(streamed) == 1000 * BYTES_PER_MS
    assert rms(streamed) == pytest.approx(rms(tone(300, 1000)), rel=0.03)
    same = StreamResampler(SAMPLE_RATE, SAMPLE_RATE)
    assert same.feed(narrow + b"\x01") == narrow
    assert same.flush() == b""


def test_wire_decoder_streams_g711_and_passes_pcm16() -> None:
    pcm = tone(440, 300)
    wire = to_wire(pcm, "g711_alaw")
    decoder = WireDecoder("g711_alaw")
    decoded = b"".join(decoder.decode(wire[i : i + 160]) for i in range(0, len(wire), 160))
    decoded += decoder.flush()
    assert duration_ms(decoded) == 300
    plain = WireDecoder({"type": "audio/pcm"})
    assert plain.decode(pcm + b"\x01") == pcm
    assert plain.flush() == b""
