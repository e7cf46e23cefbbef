"""The RIFF/WAVE container: which samples a WAV file holds, for `audio.read_wav` to convert.

The standard `wave` module reads plain integer PCM only, so float WAVs (format 3) and the
WAVE_FORMAT_EXTENSIBLE header most tools write for 24-bit audio were refused. This reads
the `fmt ` and `data` chunks itself: integer PCM of 8 to 32 bits and IEEE float of 32 or
64 bits, plain or extensible. Every problem is a `WavError` of one sentence.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

FORMAT_PCM = 0x0001
FORMAT_IEEE_FLOAT = 0x0003
FORMAT_EXTENSIBLE = 0xFFFE
_GUID_TAIL = bytes.fromhex("000000001000800000aa00389b71")
"""The fixed part of an extensible sub-format GUID; its first two bytes are the format."""
_WIDTHS = {FORMAT_PCM: (1, 2, 3, 4), FORMAT_IEEE_FLOAT: (4, 8)}
"""Bytes per sample each format may use."""


class WavError(ValueError):
    """A WAV file that cannot be read or converted (the message is one sentence)."""


@dataclass(frozen=True, slots=True)
class WavData:
    """The samples of a WAV file as stored: interleaved, little-endian."""

    channels: int
    rate: int
    width: int
    """Bytes per sample: 1 (unsigned) to 4 for integer PCM, 4 or 8 for float."""
    floating: bool
    frames: bytes
    """Whole frames only (a torn last frame is dropped)."""


def _chunks(data: bytes) -> dict[bytes, bytes]:
    """The first chunk of each id after the RIFF/WAVE header (a short last chunk is kept
    as far as it goes: recorders that were stopped leave one)."""
    chunks: dict[bytes, bytes] = {}
    pos = 12
    while pos + 8 <= len(data):
        chunk_id, size = struct.unpack_from("<4sI", data, pos)
        chunks.setdefault(chunk_id, data[pos + 8 : pos + 8 + size])
        pos += 8 + size + size % 2  # chunks are padded to an even length
    return chunks


def _sample_format(fmt: bytes) -> int:
    """The sample format of a `fmt ` chunk, looking inside an extensible one."""
    (tag,) = struct.unpack_from("<H", fmt)
    if tag != FORMAT_EXTENSIBLE:
        return int(tag)
    if len(fmt) < 40 or fmt[26:40] != _GUID_TAIL:
        return FORMAT_EXTENSIBLE  # of a kind this cannot read
    (sub,) = struct.unpack_from("<H", fmt, 24)
    return int(sub)


def parse_wav(data: bytes, name: str) -> WavData:
    """The samples of the WAV file `name` whose bytes are `data`."""
    if not data:
        raise WavError(f"{name} is empty (0 bytes), not a WAV file.")
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise WavError(f"{name} is not a WAV file: it does not start with a RIFF/WAVE header.")
    chunks = _chunks(data)
    fmt = chunks.get(b"fmt ")
    if fmt is None or len(fmt) < 16:
        raise WavError(f"{name} is not a complete WAV file: its format (fmt) chunk is missing.")
    if b"data" not in chunks:
        raise WavError(f"{name} is not a complete WAV file: its data chunk is missing.")
    _tag, channels, rate, _byte_rate, block_align, bits = struct.unpack_from("<HHIIHH", fmt)
    if channels < 1 or rate < 1:
        raise WavError(f"{name} has an invalid header ({channels} channels, {rate} Hz).")
    sample_format = _sample_format(fmt)
    width = (bits + 7) // 8
    if width not in _WIDTHS.get(sample_format, ()):
        kind = {FORMAT_PCM: "integer", FORMAT_IEEE_FLOAT: "float"}.get(sample_format)
        what = f"{bits}-bit {kind} samples" if kind else f"audio format {sample_format:#06x}"
        raise WavError(
            f"{name} holds {what}, which rt-tui cannot read; "
            "use 8- to 32-bit integer PCM or 32-bit float."
        )
    if block_align != width * channels:
        raise WavError(
            f"{name} has an invalid header ({block_align}-byte frames of {channels} channels "
            f"at {bits} bits)."
        )
    frames = chunks[b"data"]
    frames = frames[: len(frames) - len(frames) % block_align]
    return WavData(channels, rate, width, sample_format == FORMAT_IEEE_FLOAT, frames)
