"""The main screen's keys for live voice: push-to-talk and mute.

Apart from `rt_tui.tui.voice`, which they act through: the screen's keys are made for the
first frame, the voice's engine (its audio modules) once that frame is out.
"""

from __future__ import annotations

from textual.binding import Binding

from rt_tui.tui.alt_keys import alt_letter_binding

TALK_KEY = "ctrl+t"
TALK_ID = "main.talk"
"""The talk key's binding id, by which the config's `[ui.keymap]` may move it."""

VOICE_BINDINGS = [
    Binding(
        TALK_KEY,
        "talk",
        "Talk",
        tooltip="Push-to-talk: start a spoken turn, then send it (manual turns); with VAD, "
        "interrupt the assistant",
        show=False,
        id=TALK_ID,
    ),
    alt_letter_binding(
        "alt+m",
        "mute",
        "Mute",
        tooltip="Mute or unmute the microphone (silence is sent meanwhile)",
        id="main.mute",
    ),
]
"""The main screen's keys for `Voice.talk` and `Voice.mute` (its `talk` and `mute` actions)."""
