"""Audio formats on the wire: PCM16 24 kHz, or G.711 mu-law / A-law at 8 kHz.

A session names its formats in either dialect: GA `audio.input.format` / `audio.output.format`
(`{"type": "audio/pcm" | "audio/pcmu" | "audio/pcma"}`), beta `input_audio_format` /
`output_audio_format` (`"pcm16" | "g711_ulaw" | "g711_alaw"`). Everything inside rt-tui is
PCM16 24 kHz; these convert at the edge.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from rt_tui.realtime.audio import (
    G711_RATE,
    SAMPLE_RATE,
    StreamResampler,
    alaw_decode,
    alaw_encode,
    resample,
    ulaw_decode,
    ulaw_encode,
)

Law = Literal["ulaw", "alaw"]

_LAWS: dict[str, Law] = {
    "g711_ulaw": "ulaw",
    "audio/pcmu": "ulaw",
    "g711_alaw": "alaw",
    "audio/pcma": "alaw",
}


def law_of(audio_format: object) -> Law | None:
    """'ulaw' or 'alaw' for a G.711 format of either dialect; None for PCM16 (or anything
    else)."""
    if isinstance(audio_format, Mapping):
        audio_format = audio_format.get("type")
    return _LAWS.get(audio_format) if isinstance(audio_format, str) else None


def to_wire(pcm: bytes, audio_format: object) -> bytes:
    """PCM16 24 kHz audio in `audio_format`."""
    law = law_of(audio_format)
    if law is None:
        return pcm
    narrow = resample(pcm, SAMPLE_RATE, G711_RATE)
    return ulaw_encode(narrow) if law == "ulaw" else alaw_encode(narrow)


def from_wire(data: bytes, audio_format: object) -> bytes:
    """Audio in `audio_format` as PCM16 24 kHz (one piece on its own: for a stream of
    pieces, `WireDecoder` keeps the resampler's state across them)."""
    law = law_of(audio_format)
    if law is None:
        return data
    return resample(_g711_decode(data, law), G711_RATE, SAMPLE_RATE)


def _g711_decode(data: bytes, law: Law) -> bytes:
    return ulaw_decode(data) if law == "ulaw" else alaw_decode(data)


def session_formats(session: Mapping[str, Any]) -> tuple[object, object]:
    """The (input, output) audio formats of a server's copy of the session
    (`session.created` / `.updated`), GA or beta; None where the session does not say."""
    audio = session.get("audio")
    if isinstance(audio, Mapping):
        return _format_of(audio.get("input")), _format_of(audio.get("output"))
    return session.get("input_audio_format"), session.get("output_audio_format")


def _format_of(side: object) -> object:
    return side.get("format") if isinstance(side, Mapping) else None


class WireDecoder:
    """A stream of audio pieces in one wire format as PCM16 24 kHz, resampled as one
    continuous signal (G.711 is 8 kHz). `flush` at the end of the stream, or where it
    breaks off, gives what the resampler holds back."""

    def __init__(self, audio_format: object) -> None:
        self.law = law_of(audio_format)
        self._resampler = StreamResampler(G711_RATE, SAMPLE_RATE) if self.law else None

    def decode(self, data: bytes) -> bytes:
        if self.law is None or self._resampler is None:
            return data[: len(data) - len(data) % 2]
        return self._resampler.feed(_g711_decode(data, self.law))

    def flush(self) -> bytes:
        return self._resampler.flush() if self._resampler is not None else b""
