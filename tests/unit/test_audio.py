"""PCM16 24 kHz helpers: durations, levels, tones and WAV conversion."""

from __future__ import annotations

import hashlib
import io
import math
import struct
import wave
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rt_tui.realtime import audio
from rt_tui.realtime.audio import (
    BYTES_PER_MS,
    SAMPLE_RATE,
    WavError,
    block_energies,
    duration_ms,
    read_wav,
    rms,
    tone,
    write_wav,
    write_wav_stream,
)


def _write(path: Path, frames: bytes, *, rate: int, channels: int, width: int) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(frames)
    return path


def _sine16(freq: float, rate: int, count: int, amplitude: float = 0.5) -> list[int]:
    return [
        round(amplitude * 32767 * math.sin(2 * math.pi * freq * i / rate)) for i in range(count)
    ]


def test_format_constants() -> None:
    assert SAMPLE_RATE == 24_000
    assert BYTES_PER_MS * 100 == 4_800


def test_duration_of_pcm16() -> None:
    assert duration_ms(b"") == 0
    assert duration_ms(bytes(4_800)) == 100
    assert duration_ms(bytes(48_000)) == 1_000
    assert duration_ms(bytes(4_801)) == 100  # a dangling byte is not a sample


def test_rms_of_silence_full_scale_and_sine() -> None:
    assert rms(b"") == 0.0
    assert rms(bytes(960)) == 0.0
    full = struct.pack("<4h", 32767, -32768, 32767, -32768)
    assert rms(full) == pytest.approx(1.0, abs=1e-4)
    sine = struct.pack(f"<{2400}h", *_sine16(1000, SAMPLE_RATE, 2400, 0.5))
    assert rms(sine) == pytest.approx(0.5 / math.sqrt(2), rel=0.01)


def test_tone_has_the_asked_length_and_level() -> None:
    pcm = tone(440, 250)
    assert len(pcm) == 250 * BYTES_PER_MS
    assert duration_ms(pcm) == 250
    # A 0.3 amplitude sine has an RMS near 0.3/sqrt(2); the short fades lower it a little.
    assert 0.19 < rms(pcm) < 0.22
    assert rms(tone(440, 100, amplitude=0.0)) == 0.0


def test_tone_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="tone"):
        tone(440, -1)


def test_silence() -> None:
    assert audio.silence(20) == bytes(960)


def test_wav_round_trip(tmp_path: Path) -> None:
    pcm = tone(300, 120)
    path = tmp_path / "a.wav"
    write_wav(path, pcm)
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 24_000)
    assert read_wav(path) == pcm


class _Unseekable(io.BytesIO):
    """A stream that cannot seek back (like a zip member being written)."""

    def seekable(self) -> bool:
        return False

    def seek(self, offset: int, whence: int = 0) -> int:
        raise io.UnsupportedOperation("seek")

    def tell(self) -> int:
        raise io.UnsupportedOperation("tell")


def test_a_wav_streamed_in_pieces_needs_no_seek_and_reads_back(tmp_path: Path) -> None:
    pieces = [tone(440, 100), b"\x01", b"\x02" + tone(220, 50)]  # split mid-sample
    out = _Unseekable()
    write_wav_stream(out, iter(pieces), sum(map(len, pieces)))
    path = tmp_path / "streamed.wav"
    path.write_bytes(out.getvalue())
    assert read_wav(path) == b"".join(pieces)
    with wave.open(str(path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, SAMPLE_RATE)


def test_a_streamed_wav_stops_at_its_size_and_refuses_to_end_short() -> None:
    out = _Unseekable()
    write_wav_stream(out, [b"\x01\x00" * 10], 7)  # whole samples only: 6 bytes
    assert len(out.getvalue()) == 44 + 6
    with pytest.raises(ValueError, match="short"):
        write_wav_stream(_Unseekable(), [b"\x00\x00"], 4)


def test_read_wav_resamples_and_downmixes(tmp_path: Path) -> None:
    count = 16_000  # one second at 16 kHz
    left = _sine16(500, 16_000, count)
    frames = struct.pack(f"<{count * 2}h", *(v for s in left for v in (s, s)))
    path = _write(tmp_path / "stereo16k.wav", frames, rate=16_000, channels=2, width=2)
    pcm = read_wav(path)
    assert duration_ms(pcm) == pytest.approx(1_000, abs=1)
    assert rms(pcm) == pytest.approx(0.5 / math.sqrt(2), rel=0.02)


def test_read_wav_opposite_channels_cancel_when_downmixed(tmp_path: Path) -> None:
    count = 2_400
    left = _sine16(500, SAMPLE_RATE, count)
    frames = struct.pack(f"<{count * 2}h", *(v for s in left for v in (s, -s)))
    path = _write(tmp_path / "phase.wav", frames, rate=SAMPLE_RATE, channels=2, width=2)
    assert rms(read_wav(path)) < 0.001


def test_read_wav_8_bit_unsigned(tmp_path: Path) -> None:
    count = 8_000  # one second at 8 kHz
    frames = bytes(128 + round(100 * math.sin(2 * math.pi * 400 * i / 8_000)) for i in range(count))
    path = _write(tmp_path / "u8.wav", frames, rate=8_000, channels=1, width=1)
    pcm = read_wav(path)
    assert duration_ms(pcm) == pytest.approx(1_000, abs=1)
    assert rms(pcm) == pytest.approx(100 * 256 / 32768 / math.sqrt(2), rel=0.03)


def test_read_wav_32_bit(tmp_path: Path) -> None:
    samples = [v << 16 for v in _sine16(1000, 48_000, 4_800)]
    frames = struct.pack(f"<{len(samples)}i", *samples)
    path = _write(tmp_path / "s32.wav", frames, rate=48_000, channels=1, width=4)
    pcm = read_wav(path)
    assert duration_ms(pcm) == pytest.approx(100, abs=1)
    assert rms(pcm) == pytest.approx(0.5 / math.sqrt(2), rel=0.02)


def test_read_wav_errors_are_one_sentence(tmp_path: Path) -> None:
    not_wav = tmp_path / "notes.wav"
    not_wav.write_text("hello")
    cases = [tmp_path / "missing.wav", not_wav, tmp_path]
    for path in cases:
        with pytest.raises(WavError) as info:
            read_wav(path)
        message = str(info.value)
        assert message.endswith(".")
        assert "\n" not in message
        assert "Traceback" not in message
        assert path.name in message


_GUID_TAIL = bytes.fromhex("000000001000800000aa00389b71")


def _riff(
    tag: int, frames: bytes, *, rate: int, channels: int, bits: int, sub: int | None = None
) -> bytes:
    """A WAV file's bytes, written by hand: `wave` writes integer PCM only. With `sub`,
    a WAVE_FORMAT_EXTENSIBLE header (`tag` 0xFFFE) carrying that format."""
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, bits)
    if sub is not None:
        fmt += struct.pack("<HHIH", 22, bits, 0, sub) + _GUID_TAIL
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"LIST" + struct.pack("<I", 3) + b"abc\0"  # an odd-sized chunk, padded
    body += b"data" + struct.pack("<I", len(frames)) + frames
    return b"RIFF" + struct.pack("<I", len(body)) + body


_SINE = _sine16(1000, 48_000, 4_800)
"""100 ms of a 1 kHz sine at half scale, 48 kHz."""


@pytest.mark.parametrize(
    ("tag", "sub", "bits", "frames"),
    [
        (3, None, 32, struct.pack(f"<{len(_SINE)}f", *(v / 32768 for v in _SINE))),
        (3, None, 64, struct.pack(f"<{len(_SINE)}d", *(v / 32768 for v in _SINE))),
        (0xFFFE, 3, 32, struct.pack(f"<{len(_SINE)}f", *(v / 32768 for v in _SINE))),
        (1, None, 24, b"".join((v << 8).to_bytes(3, "little", signed=True) for v in _SINE)),
        (0xFFFE, 1, 24, b"".join((v << 8).to_bytes(3, "little", signed=True) for v in _SINE)),
        (0xFFFE, 1, 16, struct.pack(f"<{len(_SINE)}h", *_SINE)),
    ],
    ids=["float32", "float64", "extensible-float32", "pcm24", "extensible-pcm24", "ext-pcm16"],
)
def test_read_wav_float_24_bit_and_extensible(
    tmp_path: Path, tag: int, sub: int | None, bits: int, frames: bytes
) -> None:
    path = tmp_path / "a.wav"
    path.write_bytes(_riff(tag, frames, rate=48_000, channels=1, bits=bits, sub=sub))
    pcm = read_wav(path)
    assert duration_ms(pcm) == pytest.approx(100, abs=1)
    assert rms(pcm) == pytest.approx(0.5 / math.sqrt(2), rel=0.02)


def test_read_wav_clips_loud_floats_and_silences_nan(tmp_path: Path) -> None:
    frames = struct.pack("<4f", 2.0, -3.0, float("nan"), 0.5)
    path = tmp_path / "loud.wav"
    path.write_bytes(_riff(3, frames, rate=SAMPLE_RATE, channels=1, bits=32))
    assert struct.unpack("<4h", read_wav(path)) == (32767, -32767, 0, 16384)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty.wav is empty (0 bytes), not a WAV file."),
        (b"hello", "empty.wav is not a WAV file: it does not start with a RIFF/WAVE header."),
        (
            _riff(6, b"\0" * 8, rate=8000, channels=1, bits=8),
            "empty.wav holds audio format 0x0006, which rt-tui cannot read; "
            "use 8- to 32-bit integer PCM or 32-bit float.",
        ),
        (
            _riff(3, b"\0" * 8, rate=8000, channels=1, bits=16),
            "empty.wav holds 16-bit float samples, which rt-tui cannot read; "
            "use 8- to 32-bit integer PCM or 32-bit float.",
        ),
        (
            _riff(1, b"", rate=8000, channels=1, bits=16)[:-8],
            "empty.wav is not a complete WAV file: its data chunk is missing.",
        ),
    ],
    ids=["empty", "not-riff", "compressed", "float16", "no-data"],
)
def test_read_wav_refuses_with_a_sentence(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "empty.wav"
    path.write_bytes(content)
    with pytest.raises(WavError) as info:
        read_wav(path)
    assert str(info.value) == message


def test_read_wav_takes_8_to_48_khz_mono_or_stereo_16_24_bit_and_float(tmp_path: Path) -> None:
    for rate in (8_000, 11_025, 16_000, 22_050, 44_100, 48_000):
        sine = _sine16(440, rate, rate // 4)  # 250 ms of 440 Hz at half scale
        for channels in (1, 2):
            interleaved = [v for s in sine for v in [s] * channels]
            for bits, tag, frames in (
                (16, 1, struct.pack(f"<{len(interleaved)}h", *interleaved)),
                (24, 1, b"".join((v << 8).to_bytes(3, "little", signed=True) for v in interleaved)),
                (32, 3, struct.pack(f"<{len(interleaved)}f", *(v / 32768 for v in interleaved))),
            ):
                path = tmp_path / f"{rate}-{channels}-{bits}.wav"
                path.write_bytes(_riff(tag, frames, rate=rate, channels=channels, bits=bits))
                pcm = read_wav(path)
                assert duration_ms(pcm) == pytest.approx(250, abs=1), path.name
                # Away from the edges, where a filter rings in from the silence around the file.
                middle = pcm[50 * BYTES_PER_MS : 200 * BYTES_PER_MS]
                assert rms(middle) == pytest.approx(0.5 / math.sqrt(2), rel=0.02), path.name


def _tone_at(freq: float, rate: int, ms: int) -> bytes:
    """Half-scale `freq` Hz at `rate`, faded in and out over 10 ms so only the tone is heard."""
    count = rate * ms // 1000
    fade = rate // 100
    envelope = [0.5 * 32767 * min(1.0, i / fade, (count - 1 - i) / fade) for i in range(count)]
    return struct.pack(
        f"<{count}h",
        *(round(e * math.sin(2 * math.pi * freq * i / rate)) for i, e in enumerate(envelope)),
    )


needs_soxr = pytest.mark.skipif(
    not audio.filtered_resampling(), reason="soxr (the 'audio' extra) is not installed"
)


@needs_soxr
def test_resampling_48_khz_keeps_tones_above_12_khz_out_of_the_band() -> None:
    # 15 kHz does not exist at 24 kHz (Nyquist: 12 kHz); unfiltered, it folds back to 9 kHz.
    high = audio.resample(_tone_at(15_000, 48_000, 500), 48_000, SAMPLE_RATE)
    assert duration_ms(high) == 500
    assert rms(high) < 0.001  # below -60 dBFS, from a tone at -9 dBFS
    # A tone inside the band passes at its level.
    low = audio.resample(_tone_at(5_000, 48_000, 500), 48_000, SAMPLE_RATE)
    assert rms(low) == pytest.approx(rms(_tone_at(5_000, 48_000, 500)), rel=0.02)
    assert audio.take_resampling_notice() is None


def test_without_soxr_resampling_falls_back_and_says_so_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(audio, "_soxr", lambda: None)
    monkeypatch.setattr(audio, "_notice", {"due": False, "given": False})
    assert not audio.filtered_resampling()
    assert audio.take_resampling_notice() is None  # nothing resampled yet
    assert audio.resample(tone(440, 100), SAMPLE_RATE, SAMPLE_RATE) == tone(440, 100)
    assert audio.take_resampling_notice() is None  # nothing to resample at the same rate
    aliased = audio.resample(_tone_at(15_000, 48_000, 500), 48_000, SAMPLE_RATE)
    assert rms(aliased) > 0.3  # the 15 kHz tone comes back as a 9 kHz one
    notice = audio.take_resampling_notice()
    assert notice is not None
    assert "pip install 'rt-tui[audio]'" in notice
    assert audio.take_resampling_notice() is None


def test_resample_changes_length_not_level() -> None:
    pcm = tone(440, 500)
    low = audio.resample(pcm, SAMPLE_RATE, 8_000)
    assert len(low) == len(pcm) // 3
    assert rms(low) == pytest.approx(rms(pcm), rel=0.03)
    assert audio.resample(pcm, SAMPLE_RATE, SAMPLE_RATE) == pcm
    with pytest.raises(ValueError, match="positive"):
        audio.resample(pcm, 0, 8_000)


def test_g711_reference_values() -> None:
    pcm = struct.pack("<3h", 0, 1000, -1000)
    assert audio.ulaw_encode(pcm) == bytes([0xFF, 0xCE, 0x4E])
    assert audio.alaw_encode(pcm) == bytes([0xD5, 0xFA, 0x7A])
    assert struct.unpack("<3h", audio.ulaw_decode(bytes([0xFF, 0xCE, 0x4E]))) == (0, 988, -988)
    assert struct.unpack("<3h", audio.alaw_decode(bytes([0xD5, 0xFA, 0x7A]))) == (8, 1008, -1008)


def test_g711_matches_the_reference_codec_for_every_sample() -> None:
    # Digests of the ITU reference (Sun's g711.c) output, as the hand-written tables before
    # `audioop` produced them: every 16-bit sample encoded, every code decoded.
    every_sample = struct.pack("<65536h", *range(-32768, 32768))
    every_code = bytes(range(256))
    digests = {
        "ulaw_encode": (audio.ulaw_encode(every_sample), "81d633c9e6972a18c74a5872"),
        "alaw_encode": (audio.alaw_encode(every_sample), "38488f6fd710f4686360edc4"),
        "ulaw_decode": (audio.ulaw_decode(every_code), "3dab54339e520bb2c924826e"),
        "alaw_decode": (audio.alaw_decode(every_code), "e04788d110e58ff8c70c93b8"),
    }
    for name, (output, digest) in digests.items():
        assert hashlib.sha256(output).hexdigest().startswith(digest), name
    extremes = struct.pack("<2h", 32767, -32768)
    assert audio.ulaw_encode(extremes) == bytes([0x80, 0x00])
    assert audio.alaw_encode(extremes) == bytes([0xAA, 0x2A])
    assert struct.unpack("<2h", audio.ulaw_decode(bytes([0x80, 0x00]))) == (32124, -32124)
    assert struct.unpack("<2h", audio.alaw_decode(bytes([0xAA, 0x2A]))) == (32256, -32256)
    assert audio.ulaw_encode(extremes + b"\x01") == bytes([0x80, 0x00])  # a torn sample


def test_levels_for_meters() -> None:
    assert audio.level_of(b"") == audio.SILENT
    assert audio.level_of(bytes(960)) == audio.SILENT
    level = audio.level_of(struct.pack("<4h", 16384, -16384, 0, 0))
    assert level.peak == 0.5
    assert level.rms == pytest.approx(0.5 / math.sqrt(2), rel=0.001)
    assert level.dbfs == pytest.approx(-9.03, abs=0.01)
    assert audio.SILENT.dbfs == -math.inf
    assert audio.peak(struct.pack("<h", -32768)) == 1.0


def test_g711_codes_survive_a_round_trip() -> None:
    codes = bytes(range(256))
    assert audio.alaw_encode(audio.alaw_decode(codes)) == codes
    # mu-law has two zeros (0x7F and 0xFF); every other code maps back to itself.
    back = audio.ulaw_encode(audio.ulaw_decode(codes))
    assert [b for b, c in zip(back, codes, strict=True) if b != c] == [0xFF]


@given(st.lists(st.integers(-32768, 32767), min_size=1, max_size=200))
def test_g711_error_stays_within_the_quantisation_step(samples: list[int]) -> None:
    pcm = struct.pack(f"<{len(samples)}h", *samples)
    for encode, decode in [
        (audio.ulaw_encode, audio.ulaw_decode),
        (audio.alaw_encode, audio.alaw_decode),
    ]:
        back = struct.unpack(f"<{len(samples)}h", decode(encode(pcm)))
        for original, decoded in zip(samples, back, strict=True):
            # Logarithmic steps: the error is about 1/32 of the magnitude; both laws clip
            # a little below full scale.
            limit = 700 if abs(original) > 32_000 else max(abs(original) // 16, 16)
            assert abs(original - decoded) <= limit


def test_block_energies_are_each_blocks_rms_squared_times_its_samples() -> None:
    loud, quiet = tone(440, 20, amplitude=0.5), tone(440, 15, amplitude=0.05)
    energies = block_energies(loud + quiet, 20 * BYTES_PER_MS)
    assert len(energies) == 2  # the second block is the shorter rest
    assert energies[0] == pytest.approx(rms(loud) ** 2 * (len(loud) // 2), rel=1e-5)
    assert energies[1] == pytest.approx(rms(quiet) ** 2 * (len(quiet) // 2), rel=1e-5)
    assert len(block_energies(b"", 480)) == 0
    # Samples that stand for five times as much audio (a sample of it).
    weighted = block_energies(loud + quiet, 20 * BYTES_PER_MS, 5.0)
    assert list(weighted) == pytest.approx([5 * e for e in energies], rel=1e-6)
