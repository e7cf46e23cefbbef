"""PCM16 24 kHz mono helpers: the one audio format the Realtime API speaks by default.

Standard library only (`audioop` is gone from Python 3.13). Samples are signed 16-bit
little-endian; 24,000 of them a second, so 100 ms is 4,800 bytes.
"""

from __future__ import annotations

import math
import os
import struct
import sys
from array import array
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import IO

from rt_tui.realtime.wav_file import FORMAT_PCM, WavData, parse_wav
from rt_tui.realtime.wav_file import WavError as WavError  # where callers have found it

SAMPLE_RATE = 24_000
"""Samples per second of Realtime API PCM16 audio."""
SAMPLE_WIDTH = 2
"""Bytes per sample (16-bit)."""
BYTES_PER_MS = SAMPLE_RATE * SAMPLE_WIDTH // 1000
"""48 bytes of PCM16 per millisecond."""

_FULL_SCALE = 32768.0
_MAX_WAV_DATA = 0xFFFF_FFFF - 36
"""The most audio a WAV file can hold: its sizes are 32-bit."""


def _samples(pcm: bytes) -> array[int]:
    """Signed 16-bit samples of little-endian PCM (a trailing odd byte is ignored)."""
    samples = array("h")
    samples.frombytes(pcm[: len(pcm) - len(pcm) % SAMPLE_WIDTH])
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def _pcm(samples: array[int]) -> bytes:
    """Little-endian bytes of signed 16-bit samples."""
    if sys.byteorder == "big":
        samples = array("h", samples)
        samples.byteswap()
    return samples.tobytes()


def duration_ms(pcm: bytes) -> float:
    """How long `pcm` (PCM16 24 kHz mono) plays, in milliseconds."""
    return len(pcm) // SAMPLE_WIDTH * 1000 / SAMPLE_RATE


def rms(pcm: bytes) -> float:
    """Root-mean-square level of `pcm`, from 0.0 (silence) to 1.0 (full scale)."""
    samples = _samples(pcm)
    if not samples:
        return 0.0
    total = math.fsum(s * s for s in samples)
    return min(1.0, math.sqrt(total / len(samples)) / _FULL_SCALE)


@lru_cache(maxsize=256)
def tone(freq: float, ms: float, amplitude: float = 0.3) -> bytes:
    """A sine tone of `freq` Hz lasting `ms` milliseconds at `amplitude` (0..1) of full scale.

    The ends fade over 5 ms so joined tones do not click. Cached: the mock speaks the same
    few tones over and over.
    """
    if freq < 0 or ms < 0 or not 0 <= amplitude <= 1:
        raise ValueError("tone() needs freq >= 0, ms >= 0 and 0 <= amplitude <= 1.")
    count = round(ms * SAMPLE_RATE / 1000)
    fade = min(count // 2, SAMPLE_RATE * 5 // 1000)
    peak = amplitude * (_FULL_SCALE - 1)
    step = 2 * math.pi * freq / SAMPLE_RATE
    samples = array("h", bytes(count * SAMPLE_WIDTH))
    for i in range(count):
        envelope = 1.0
        if fade:
            envelope = min(1.0, i / fade, (count - 1 - i) / fade)
        samples[i] = round(peak * envelope * math.sin(step * i))
    return _pcm(samples)


def silence(ms: float) -> bytes:
    """`ms` milliseconds of PCM16 silence."""
    return bytes(round(ms * SAMPLE_RATE / 1000) * SAMPLE_WIDTH)


def _float_to_16(frames: bytes, width: int) -> list[int]:
    """Float samples (full scale is ±1.0) as signed 16-bit values, clipped."""
    floats = array("f" if width == 4 else "d")
    floats.frombytes(frames)
    if sys.byteorder == "big":
        floats.byteswap()
    # `x == x` is False for NaN, which becomes silence.
    return [round(max(-1.0, min(1.0, x)) * 32767) if x == x else 0 for x in floats]


def _to_mono16(wav: WavData) -> array[int]:
    """Decode a WAV file's interleaved frames to mono signed 16-bit samples."""
    frames, channels, width = wav.frames, wav.channels, wav.width
    if wav.floating:
        values = _float_to_16(frames, width)
    elif width == 1:  # 8-bit WAV is unsigned
        values = [(b - 128) << 8 for b in frames]
    elif width == 2:
        values = list(_samples(frames))
    else:  # 3 or 4 bytes: keep the top 16 bits of each little-endian signed sample.
        values = [
            int.from_bytes(frames[i + width - 2 : i + width], "little", signed=True)
            for i in range(0, len(frames) - width + 1, width)
        ]
    if channels == 1:
        return array("h", values)
    mono = array("h")
    for i in range(0, len(values) - channels + 1, channels):
        mono.append(sum(values[i : i + channels]) // channels)
    return mono


def _resample(samples: array[int], rate: int, to_rate: int = SAMPLE_RATE) -> array[int]:
    """Linear resampling of mono samples from `rate` to `to_rate` (24 kHz by default)."""
    if rate == to_rate or not samples:
        return samples
    count = max(1, round(len(samples) * to_rate / rate))
    ratio = rate / to_rate
    last = len(samples) - 1
    out = array("h", bytes(count * SAMPLE_WIDTH))
    for i in range(count):
        pos = i * ratio
        left = min(int(pos), last)
        right = min(left + 1, last)
        frac = pos - left
        out[i] = round(samples[left] + (samples[right] - samples[left]) * frac)
    return out


def resample(pcm: bytes, from_rate: int, to_rate: int) -> bytes:
    """Mono PCM16 at `from_rate` Hz converted to `to_rate` Hz (linear interpolation)."""
    if from_rate < 1 or to_rate < 1:
        raise ValueError("resample() needs positive sample rates.")
    return _pcm(_resample(_samples(pcm), from_rate, to_rate))


def read_wav(path: Path | str) -> bytes:
    """The audio of a WAV file as PCM16 24 kHz mono: any rate and channel count, integer
    PCM of 8 to 32 bits or float of 32 or 64 bits, plain or WAVE_FORMAT_EXTENSIBLE.

    Raises `WavError` with a one-sentence message for a missing, unreadable or
    unsupported file.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise WavError(f"{path.name}: no such file.") from None
    except IsADirectoryError:
        raise WavError(f"{path.name} is a directory, not a WAV file.") from None
    except OSError as exc:
        raise WavError(f"{path.name} cannot be read ({exc.strerror or exc}).") from None
    wav = parse_wav(data, path.name)
    return _pcm(_resample(_to_mono16(wav), wav.rate))


def write_wav(path: Path | str, pcm: bytes) -> None:
    """Write PCM16 24 kHz mono `pcm` as a WAV file, mode 0600 like every file rt-tui
    writes (it holds what was said); OSError if it cannot be created."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(fd, "wb") as file:
        os.fchmod(fd, 0o600)  # a file that was there would keep its mode
        write_wav_stream(file, [pcm], len(pcm))


def write_wav_stream(file: IO[bytes], pieces: Iterable[bytes], size: int) -> None:
    """Write `size` bytes of PCM16 24 kHz mono audio, handed over in `pieces`, as a WAV
    file to `file`, which need not be seekable (a zip member). The header goes first and
    already says how long the audio is, so a long recording never has to be in memory
    whole. An odd last byte is left out. ValueError if the pieces hold less than `size`."""
    size -= size % SAMPLE_WIDTH
    if size > _MAX_WAV_DATA:
        raise ValueError("The audio is too long for one WAV file (over 4 GB).")
    file.write(
        struct.pack(
            "<4sI4s4sIHHIIHH4sI",
            b"RIFF",
            36 + size,
            b"WAVE",
            b"fmt ",
            16,  # the size of the format chunk below
            FORMAT_PCM,
            1,  # mono
            SAMPLE_RATE,
            SAMPLE_RATE * SAMPLE_WIDTH,  # bytes a second
            SAMPLE_WIDTH,  # bytes a frame
            SAMPLE_WIDTH * 8,  # bits a sample
            b"data",
            size,
        )
    )
    left = size
    for piece in pieces:
        if left <= 0:
            break
        piece = piece[:left]
        file.write(piece)
        left -= len(piece)
    if left:
        raise ValueError(f"The audio ended {left} bytes short of the {size} announced.")


# --- G.711 (the `g711_ulaw` / `g711_alaw` beta formats, GA `audio/pcmu` / `audio/pcma`) -------
# 8 kHz, one byte a sample. Encoders and decoders follow the ITU reference (Sun's g711.c).

G711_RATE = 8_000
"""G.711 audio is 8 kHz by definition (the formats carry no rate)."""
_ULAW_BIAS = 0x84
_ULAW_CLIP = 8159


def _ulaw_byte(sample: int) -> int:
    value = sample >> 2
    mask = 0xFF
    if value < 0:
        value, mask = -value, 0x7F
    value = min(value, _ULAW_CLIP) + (_ULAW_BIAS >> 2)
    segment = max(0, value.bit_length() - 6)
    if segment >= 8:
        return 0x7F ^ mask
    return ((segment << 4) | ((value >> (segment + 1)) & 0x0F)) ^ mask


def _alaw_byte(sample: int) -> int:
    value = sample >> 3
    mask = 0xD5
    if value < 0:
        value, mask = -value - 1, 0x55
    segment = max(0, value.bit_length() - 5)
    if segment >= 8:
        return 0x7F ^ mask
    quantised = (value >> 1) if segment < 2 else (value >> segment)
    return ((segment << 4) | (quantised & 0x0F)) ^ mask


def _ulaw_sample(byte: int) -> int:
    inverted = ~byte & 0xFF
    magnitude = (((inverted & 0x0F) << 3) + _ULAW_BIAS) << ((inverted & 0x70) >> 4)
    return _ULAW_BIAS - magnitude if inverted & 0x80 else magnitude - _ULAW_BIAS


def _alaw_sample(byte: int) -> int:
    value = byte ^ 0x55
    magnitude = (value & 0x0F) << 4
    segment = (value & 0x70) >> 4
    if segment == 0:
        magnitude += 8
    else:
        magnitude = (magnitude + 0x108) << (segment - 1)
    return magnitude if value & 0x80 else -magnitude


@lru_cache(maxsize=2)
def _encode_table(law: str) -> bytes:
    """G.711 byte for every 16-bit sample, indexed by the sample's unsigned bit pattern."""
    encode = _ulaw_byte if law == "ulaw" else _alaw_byte
    return bytes(encode(i - 65536 if i >= 32768 else i) for i in range(65536))


@lru_cache(maxsize=2)
def _decode_table(law: str) -> bytes:
    """PCM16 little-endian bytes for each of the 256 G.711 codes, one after another."""
    decode = _ulaw_sample if law == "ulaw" else _alaw_sample
    return _pcm(array("h", (decode(b) for b in range(256))))


def _g711_encode(pcm: bytes, law: str) -> bytes:
    table = _encode_table(law)
    return bytes(table[s & 0xFFFF] for s in _samples(pcm))


def _g711_decode(data: bytes, law: str) -> bytes:
    table = _decode_table(law)
    return b"".join(table[2 * b : 2 * b + 2] for b in data)


def ulaw_encode(pcm: bytes) -> bytes:
    """PCM16 samples as G.711 mu-law bytes (same rate; resample to 8 kHz first for the API)."""
    return _g711_encode(pcm, "ulaw")


def ulaw_decode(data: bytes) -> bytes:
    """G.711 mu-law bytes as PCM16 samples (same rate)."""
    return _g711_decode(data, "ulaw")


def alaw_encode(pcm: bytes) -> bytes:
    """PCM16 samples as G.711 A-law bytes (same rate; resample to 8 kHz first for the API)."""
    return _g711_encode(pcm, "alaw")


def alaw_decode(data: bytes) -> bytes:
    """G.711 A-law bytes as PCM16 samples (same rate)."""
    return _g711_decode(data, "alaw")
