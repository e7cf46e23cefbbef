"""PCM16 24 kHz mono helpers: the one audio format the Realtime API speaks by default.

Samples are signed 16-bit little-endian; 24,000 of them a second, so 100 ms is 4,800 bytes.

G.711 and levels come from `audioop` (the standard library's up to Python 3.12, the
`audioop-lts` package from 3.13). Resampling uses soxr, a band-limited resampler with an
anti-aliasing filter, when the `audio` extra is installed; without it a linear
interpolation stands in, which lets tones above the new Nyquist frequency fold back into
the band (48 kHz input can whistle), and `take_resampling_notice` says so once.
"""

from __future__ import annotations

import math
import os
import struct
import sys
import warnings
from array import array
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import IO, Any, NamedTuple

from rt_tui.realtime.wav_file import FORMAT_PCM, WavData, parse_wav
from rt_tui.realtime.wav_file import WavError as WavError  # where callers have found it

with warnings.catch_warnings():
    # Deprecated in the standard library (3.11, 3.12), where it is still the reference
    # G.711 codec; `audioop-lts` provides the same module from 3.13 on.
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop

SAMPLE_RATE = 24_000
"""Samples per second of Realtime API PCM16 audio."""
SAMPLE_WIDTH = 2
"""Bytes per sample (16-bit)."""
BYTES_PER_MS = SAMPLE_RATE * SAMPLE_WIDTH // 1000
"""48 bytes of PCM16 per millisecond."""
LEVEL_BLOCK = 10 * BYTES_PER_MS
"""The audio whose energy is kept as one number, when levels are measured (AudioStore)."""

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


def _native(pcm: bytes) -> bytes:
    """Whole little-endian samples of `pcm` in the machine's byte order, as `audioop`
    reads them (a trailing odd byte is dropped)."""
    whole = pcm[: len(pcm) - len(pcm) % SAMPLE_WIDTH]
    return audioop.byteswap(whole, SAMPLE_WIDTH) if sys.byteorder == "big" else whole


def _little(native: bytes) -> bytes:
    """Samples in the machine's byte order (from `audioop`) as little-endian bytes."""
    return audioop.byteswap(native, SAMPLE_WIDTH) if sys.byteorder == "big" else native


def rms(pcm: bytes) -> float:
    """Root-mean-square level of `pcm`, from 0.0 (silence) to 1.0 (full scale)."""
    samples = _native(pcm)
    if not samples:
        return 0.0
    return min(1.0, audioop.rms(samples, SAMPLE_WIDTH) / _FULL_SCALE)


def block_energies(pcm: bytes, block: int, weight: float = 1.0) -> array[float]:
    """The sum of the squared samples (full scale 1.0) of each `block` bytes of `pcm`
    (`block` even), the last block maybe shorter: what the level of any run of blocks is
    made from; times `weight` (for samples that stand for more audio). At C speed: it
    runs for every audio delta the app receives."""
    samples = _native(pcm)
    measure = audioop.rms
    full = block // SAMPLE_WIDTH
    scale = full * weight / (_FULL_SCALE * _FULL_SCALE)
    view = memoryview(samples)  # slices of it are not copies
    energies = array(
        "f",
        [
            measure(view[n : n + block], SAMPLE_WIDTH) ** 2 * scale
            for n in range(0, len(samples), block)
        ],
    )
    if energies:  # the last block's samples, not a full block's
        energies[-1] *= (len(samples) - (len(energies) - 1) * block) / block
    return energies


def peak(pcm: bytes) -> float:
    """The largest absolute sample of `pcm`, from 0.0 (silence) to 1.0 (full scale)."""
    samples = _native(pcm)
    if not samples:
        return 0.0
    return min(1.0, audioop.max(samples, SAMPLE_WIDTH) / _FULL_SCALE)


class Level(NamedTuple):
    """How loud a stretch of audio is, for meters: both 0.0 (silence) to 1.0 (full scale)."""

    rms: float
    peak: float

    @property
    def dbfs(self) -> float:
        """The RMS level in dB below full scale (-inf for silence)."""
        return 20 * math.log10(self.rms) if self.rms > 0 else -math.inf


SILENT = Level(0.0, 0.0)


def level_of(pcm: bytes) -> Level:
    """The RMS and peak level of `pcm` (C speed: meters measure every chunk)."""
    samples = _native(pcm)
    if not samples:
        return SILENT
    return Level(
        min(1.0, audioop.rms(samples, SAMPLE_WIDTH) / _FULL_SCALE),
        min(1.0, audioop.max(samples, SAMPLE_WIDTH) / _FULL_SCALE),
    )


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
    top = amplitude * (_FULL_SCALE - 1)
    step = 2 * math.pi * freq / SAMPLE_RATE
    samples = array("h", bytes(count * SAMPLE_WIDTH))
    for i in range(count):
        envelope = 1.0
        if fade:
            envelope = min(1.0, i / fade, (count - 1 - i) / fade)
        samples[i] = round(top * envelope * math.sin(step * i))
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


RESAMPLING_NOTICE = (
    "Audio was resampled without an anti-aliasing filter (soxr is not installed), so "
    "high tones may fold back as noise; pip install 'rt-tui[audio]' for clean resampling."
)
_notice = {"due": False, "given": False}
"""Whether a resampling without soxr happened, and whether `RESAMPLING_NOTICE` was taken."""


@lru_cache(maxsize=1)
def _soxr() -> ModuleType | None:
    """The soxr module (imported on first use: it brings numpy), or None without the extra."""
    try:
        import numpy  # noqa: F401 - soxr's arrays
        import soxr
    except ImportError:
        return None
    module: ModuleType = soxr
    return module


def filtered_resampling() -> bool:
    """Whether resampling uses soxr's anti-aliasing filter (the `audio` extra is installed)."""
    return _soxr() is not None


def take_resampling_notice() -> str | None:
    """`RESAMPLING_NOTICE` the first time it is asked for after audio was resampled without
    soxr; None otherwise, and ever after (a face shows it once)."""
    if not _notice["due"] or _notice["given"]:
        return None
    _notice["given"] = True
    return RESAMPLING_NOTICE


def _resample_linear(samples: array[int], rate: int, to_rate: int) -> array[int]:
    """Linear interpolation of mono samples from `rate` to `to_rate`: no filter, so it
    aliases when it lowers the rate. The fallback without soxr."""
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
    """Mono PCM16 at `from_rate` Hz converted to `to_rate` Hz: soxr's high-quality
    band-limited resampler, or linear interpolation without the `audio` extra."""
    if from_rate < 1 or to_rate < 1:
        raise ValueError("resample() needs positive sample rates.")
    pcm = pcm[: len(pcm) - len(pcm) % SAMPLE_WIDTH]
    if from_rate == to_rate or not pcm:
        return pcm
    soxr = _soxr()
    if soxr is not None:
        import numpy

        samples = numpy.frombuffer(pcm, dtype="<i2")
        # int16 in, int16 out: soxr filters in floating point and clips on the way back.
        out = soxr.resample(samples, from_rate, to_rate, quality="HQ")
        return bytes(out.astype("<i2", copy=False).tobytes())
    _notice["due"] = True
    return _pcm(_resample_linear(_samples(pcm), from_rate, to_rate))


class StreamResampler:
    """Resamples one continuous stream of mono PCM16 a chunk at a time, keeping the filter's
    state between chunks: resampling each chunk alone would click at every seam. Output
    comes in bursts and lags the input by the filter's delay; `flush` gives the rest."""

    def __init__(self, from_rate: int, to_rate: int) -> None:
        if from_rate < 1 or to_rate < 1:
            raise ValueError("StreamResampler needs positive sample rates.")
        self.from_rate = from_rate
        self.to_rate = to_rate
        soxr = _soxr() if from_rate != to_rate else None
        self._stream: Any = None
        if soxr is not None:
            self._stream = soxr.ResampleStream(from_rate, to_rate, 1, dtype="int16", quality="HQ")

    def feed(self, pcm: bytes, *, last: bool = False) -> bytes:
        """The resampled audio that `pcm` (whole samples) completes; `last` ends the stream
        and gives everything that was held back."""
        pcm = pcm[: len(pcm) - len(pcm) % SAMPLE_WIDTH]
        if self._stream is None:
            # Equal rates, or no soxr: chunk by chunk (linear interpolation keeps no state).
            return resample(pcm, self.from_rate, self.to_rate)
        import numpy

        out = self._stream.resample_chunk(numpy.frombuffer(pcm, dtype="<i2"), last=last)
        if last:
            self._stream.clear()
        return bytes(out.astype("<i2", copy=False).tobytes())

    def flush(self) -> bytes:
        """The audio still held back; the stream then starts anew."""
        return self.feed(b"", last=True)


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
    return resample(_pcm(_to_mono16(wav)), wav.rate, SAMPLE_RATE)


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
# 8 kHz, one byte a sample; `audioop` follows the ITU reference (Sun's g711.c) exactly.

G711_RATE = 8_000
"""G.711 audio is 8 kHz by definition (the formats carry no rate)."""


def ulaw_encode(pcm: bytes) -> bytes:
    """PCM16 samples as G.711 mu-law bytes (same rate; resample to 8 kHz first for the API)."""
    return audioop.lin2ulaw(_native(pcm), SAMPLE_WIDTH)


def ulaw_decode(data: bytes) -> bytes:
    """G.711 mu-law bytes as PCM16 samples (same rate)."""
    return _little(audioop.ulaw2lin(data, SAMPLE_WIDTH))


def alaw_encode(pcm: bytes) -> bytes:
    """PCM16 samples as G.711 A-law bytes (same rate; resample to 8 kHz first for the API)."""
    return audioop.lin2alaw(_native(pcm), SAMPLE_WIDTH)


def alaw_decode(data: bytes) -> bytes:
    """G.711 A-law bytes as PCM16 samples (same rate)."""
    return _little(audioop.alaw2lin(data, SAMPLE_WIDTH))
