"""The mock's voice in each wire format (the conversions are the engine's:
`rt_tui.realtime.audio_formats`).

The mock works in PCM16 24 kHz inside (VAD, durations, its voice) and converts at the edge,
so a session set to `audio/pcmu` (beta `g711_ulaw`) hears and speaks real G.711.
"""

from __future__ import annotations

from functools import lru_cache

from rt_tui.mock.responder import speak
from rt_tui.realtime.audio_formats import to_wire


@lru_cache(maxsize=4096)
def spoken(word: str, law: str | None) -> bytes:
    """The mock's voice for `word` in a wire format (`law` None = PCM16 24 kHz); cached."""
    pcm = speak(word)
    return pcm if law is None else to_wire(pcm, {"ulaw": "g711_ulaw", "alaw": "g711_alaw"}[law])
