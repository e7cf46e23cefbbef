"""Audio formats on the wire: PCM16 24 kHz, or G.711 mu-law / A-law at 8 kHz.

The mock works in PCM16 24 kHz inside (VAD, durations, its voice) and converts at the edge,
so a session set to `audio/pcmu` (beta `g711_ulaw`) hears and speaks real G.711.
"""

from __future__ import annotations

from functools import lru_cache

from rt_tui.mock.responder import speak
from rt_tui.realtime.audio import (
    G711_RATE,
    SAMPLE_RATE,
    alaw_decode,
    alaw_encode,
    resample,
    ulaw_decode,
    ulaw_encode,
)

_LAWS = {"g711_ulaw": "ulaw", "audio/pcmu": "ulaw", "g711_alaw": "alaw", "audio/pcma": "alaw"}


def law_of(audio_format: object) -> str | None:
    """'ulaw' or 'alaw' for a G.711 format of either dialect; None for PCM16."""
    if isinstance(audio_format, dict):
        audio_format = audio_format.get("type")
    return _LAWS.get(audio_format) if isinstance(audio_format, str) else None


def to_wire(pcm: bytes, audio_format: object) -> bytes:
    """PCM16 24 kHz audio in the session's output format."""
    law = law_of(audio_format)
    if law is None:
        return pcm
    narrow = resample(pcm, SAMPLE_RATE, G711_RATE)
    return ulaw_encode(narrow) if law == "ulaw" else alaw_encode(narrow)


def from_wire(data: bytes, audio_format: object) -> bytes:
    """Audio in the session's input format as PCM16 24 kHz."""
    law = law_of(audio_format)
    if law is None:
        return data
    narrow = ulaw_decode(data) if law == "ulaw" else alaw_decode(data)
    return resample(narrow, G711_RATE, SAMPLE_RATE)


@lru_cache(maxsize=4096)
def spoken(word: str, law: str | None) -> bytes:
    """The mock's voice for `word` in a wire format (`law` None = PCM16 24 kHz); cached."""
    pcm = speak(word)
    return pcm if law is None else to_wire(pcm, {"ulaw": "g711_ulaw", "alaw": "g711_alaw"}[law])
