"""How long the mock takes at each step of a response, as the service does.

The service does not answer at once: `response.created` comes a little after the request,
the first delta a few hundred ms after that (the model at work), and in a spoken reply the
first audio a little after the first transcript (the voice is made from the text). A
`Pacing` says how long each of those waits is; `jitter` varies each wait by up to that
fraction either way, so no two responses take the same time and a session's latency
waterfall has a slowest response to find. The pause between later deltas is the session
options' `delta_delay`.

The demo and `rt-tui mock-server` pace their responses as `REALISTIC` says; a `MockServer`
built without a pacing (the tests) answers at once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Pacing:
    """The waits of one response, in seconds (0: none)."""

    created_s: float = 0.0
    """From the request (`response.create`, or the end of a VAD turn) to `response.created`."""
    first_delta_s: float = 0.0
    """From `response.created` to the first text, transcript or arguments delta."""
    first_audio_s: float = 0.0
    """From the first transcript delta to the first audio delta of a spoken reply."""
    jitter: float = 0.0
    """Each wait is its value times a random factor between 1 - jitter and 1 + jitter."""

    def wait_s(self, base_s: float, rng: random.Random) -> float:
        """One wait of about `base_s` seconds, varied by the jitter."""
        if base_s <= 0 or self.jitter <= 0:
            return max(0.0, base_s)
        return base_s * (1 + rng.uniform(-self.jitter, self.jitter))

    def with_first_delta(self, seconds: float) -> Pacing:
        """The same pacing with another wait before the first delta."""
        return replace(self, first_delta_s=seconds)


NO_PACING = Pacing()
"""Every step at once (the tests' mock)."""

REALISTIC = Pacing(created_s=0.12, first_delta_s=0.35, first_audio_s=0.15, jitter=0.6)
"""About what a realtime model takes: ~0.6 s to the first audio, each response its own."""
