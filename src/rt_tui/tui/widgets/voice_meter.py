"""Live audio on the status line: input and output level meters and the turn state.

    🎤▕████▍   ▏ -18 dB · 🔊▕██      ▏ · speech

It reads the levels the microphone and speaker keep (the last chunk captured, the last
block played) on a timer, ten times a second, and repaints only when what it shows
changed: its width never changes, so a repaint is its own line, never a layout of the
screen, however fast audio moves. Hidden when no live audio was asked for.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widget import Widget

if TYPE_CHECKING:
    from rt_tui.realtime.audio import Level
    from rt_tui.tui.voice import Voice

REFRESH_S = 0.1
"""How often the meters are read: smooth enough to watch, cheap enough to ignore."""
BAR_CELLS = 8
FLOOR_DB = -60.0
"""The level shown as an empty bar; full scale fills it."""
_EIGHTHS = " ▏▎▍▌▋▊▉█"
WIDTH = 44


def level_bar(level: Level, cells: int = BAR_CELLS) -> str:
    """A horizontal bar for an RMS level on a dB scale (60 dB over the bar), to an eighth
    of a cell."""
    db = level.dbfs
    fraction = 0.0 if math.isinf(db) else max(0.0, min(1.0, 1 - db / FLOOR_DB))
    eighths = round(fraction * cells * 8)
    full, part = divmod(eighths, 8)
    bar = "█" * full + (_EIGHTHS[part] if part else "")
    return f"▕{bar:<{cells}}▏"


def db_text(level: Level) -> str:
    db = level.dbfs
    return "  -∞ dB" if math.isinf(db) or db < -99 else f"{db:4.0f} dB"


def turn_state(voice: Voice) -> str:
    """What the turn taking is doing, in a word or two."""
    if voice.source is None:
        return "no mic"
    if voice.source.closed:
        return "mic done"
    if voice.muted:
        return "muted"
    if voice.file_streaming:
        return "file"
    if voice.half_duplex and voice.sink is not None and voice.sink.playing:
        return "held"
    if voice.mode.manual:
        return "talking" if voice.talking else "push to talk"
    return "speech" if voice.speaking else "quiet"


class VoiceMeter(Widget):
    """The meters and turn state of the app's `Voice`, on one line."""

    DEFAULT_CSS = f"""
    VoiceMeter {{
        width: {WIDTH};
        height: 1;
    }}
    """

    def __init__(
        self, voice: Callable[[], Voice], wanted: Callable[[], bool], *, id: str | None = None
    ) -> None:
        """`voice`: the app's; `wanted`: whether live audio was asked for (known without
        the voice, which is made after the first frame when nothing asks for audio)."""
        super().__init__(id=id)
        self._voice = voice
        self._wanted = wanted
        self._shown: tuple[str, ...] = ()
        self._reading = False

    @property
    def voice(self) -> Voice:
        return self._voice()

    def on_mount(self) -> None:
        self.follow()

    def follow(self) -> None:
        """Show the meters if live audio was asked for (and read them from then on)."""
        self.display = self._wanted()
        if self.display and not self._reading:
            self._reading = True
            self.set_interval(REFRESH_S, self._tick)

    def reading(self) -> tuple[str, ...]:
        """What the meter shows now: input bar and level, output bar, turn state."""
        voice = self.voice
        source, sink = voice.source, voice.sink
        mic = f"{level_bar(source.level)}{db_text(source.level)}" if source else "▕ off    ▏"
        out = level_bar(sink.level) if sink is not None else "▕ off    ▏"
        return mic, out, turn_state(voice)

    def _tick(self) -> None:
        reading = self.reading()
        if reading != self._shown:
            self._shown = reading
            self.refresh()

    def render(self) -> Text:
        mic, out, state = self._shown or self.reading()
        return Text(f"🎤{mic} 🔊{out} {state}", no_wrap=True, overflow="ellipsis")
