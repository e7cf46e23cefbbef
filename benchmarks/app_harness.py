"""The whole app, headless, with instruments: a screen that records when it was painted, a
probe of the event loop's lag, and keys sent the way a terminal sends them.

The app is built by `make_app` exactly as the CLI builds it, with the garbage collector
set as the CLI sets it, connected to a benchmark server. It runs under `run_test`, but
with `ScreenTap` as its driver instead of Textual's headless one: the app then renders
every update to terminal escape sequences as it would for a real terminal (a headless app
skips that step), and the tap notes when each update was written instead of writing it.
Keys go in through `Driver.send_message`, the path a terminal's input takes, without the
pilot's waiting for the screen to go idle.

Where this module reads the app's state (connected, a reply finished, the composer's text)
it does so in `AppRun`'s few small methods, so a change to the app's insides means a change
here only.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from textual import events
from textual.drivers.headless_driver import HeadlessDriver
from textual.widgets._toast import Toast

from benchmarks.peers import KEY
from rt_tui.config import Config
from rt_tui.inspector.filtering import FrameFilter
from rt_tui.realtime.audio_io import Sink, Source
from rt_tui.realtime.frames import Frame
from rt_tui.tui.app import RtTuiApp, make_app
from rt_tui.tui.collector import tune_for_session
from rt_tui.tui.messages import LinkState
from rt_tui.tui.screens.main import MainScreen

SCREEN_SIZE: Final = (120, 40)
"""Columns and rows of the pretend terminal (a common laptop terminal)."""
KEY_MARK: Final = "¤"
"""The character typed to time key press -> screen: nothing else on the screen has it."""
LAG_INTERVAL_S: Final = 0.005
"""How often the lag probe wakes: a callback blocking the loop for longer shows as lag."""


class ScreenTap(HeadlessDriver):
    """A driver the app renders for as for a terminal, that keeps when and what it wrote."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.writes = 0
        self.bytes_written = 0
        self._watchers: list[Callable[[float, str], None]] = []

    @property
    def is_headless(self) -> bool:
        return False  # so the app renders escape sequences, as for a terminal

    def write(self, data: str) -> None:
        now = time.perf_counter()
        self.writes += 1
        self.bytes_written += len(data)
        for watcher in list(self._watchers):
            watcher(now, data)

    def watch(self, watcher: Callable[[float, str], None]) -> Callable[[], None]:
        """Call `watcher(time, data)` on every write until the returned function is called."""
        self._watchers.append(watcher)
        return lambda: self._watchers.remove(watcher)


@dataclass
class LagProbe:
    """Wakes every LAG_INTERVAL_S on the event loop; how late each wake-up was is the time
    something else held the loop (a frozen UI)."""

    samples: list[tuple[float, float]] = field(default_factory=list)
    """(perf_counter at wake-up, lag in seconds)."""
    _task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="lag-probe")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        clock = time.perf_counter
        while True:
            before = clock()
            await asyncio.sleep(LAG_INTERVAL_S)
            now = clock()
            self.samples.append((now, max(0.0, now - before - LAG_INTERVAL_S)))

    def lags(self, start: float, end: float = float("inf")) -> list[float]:
        return [lag for at, lag in self.samples if start <= at <= end]

    def quiet_since(self, threshold_s: float = 0.05) -> float:
        """When the loop last lagged by more than `threshold_s` (0 if never)."""
        for at, lag in reversed(self.samples):
            if lag > threshold_s:
                return at
        return 0.0


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of `values` lie (nearest rank); nan for none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


def summary_ms(values: list[float]) -> dict[str, float]:
    """p50, p99, max and count of durations in seconds, as milliseconds."""
    if not values:
        return {"p50_ms": float("nan"), "p99_ms": float("nan"), "max_ms": float("nan"), "n": 0}
    return {
        "p50_ms": statistics.median(values) * 1000,
        "p99_ms": percentile(values, 0.99) * 1000,
        "max_ms": max(values) * 1000,
        "n": len(values),
    }


class AppRun:
    """A running app connected to a benchmark server, with its instruments."""

    def __init__(self, app: RtTuiApp, tap: ScreenTap, probe: LagProbe) -> None:
        self.app = app
        self.tap = tap
        self.probe = probe

    # --- reading the app (the only places that know its insides) -----------------------

    @property
    def screen(self) -> MainScreen:
        screen = self.app.screen
        assert isinstance(screen, MainScreen), f"expected the main screen, got {screen!r}"
        return screen

    def is_connected(self) -> bool:
        screen = self.app.screen
        return (
            isinstance(screen, MainScreen)
            and screen.status.state is LinkState.CONNECTED
            and screen.conversation.session is not None
        )

    def reply_finished(self, number: int) -> bool:
        """Whether the app has taken in the `number`-th reply's `response.done`."""
        response = self.screen.conversation.response(f"resp_{number:08d}")
        return response is not None and response.finished

    def toasts_shown(self) -> bool:
        """Whether every notification the app holds has its toast on the screen."""
        shown = [toast._notification for toast in self.app.screen.query(Toast)]
        return all(n in shown for n in self.app._notifications)  # no public accessors

    def composer_text(self) -> str:
        return self.screen.composer.text

    def live_audio(self) -> tuple[Source | None, Sink | None]:
        """The microphone and speaker the app opened (None until it has)."""
        voice = self.screen.engine.voice
        return voice.source, voice.sink

    def responses_done(self) -> int:
        return sum(1 for r in self.screen.conversation.responses.values() if r.finished)

    def fill_inspector(self, frames: list[Frame]) -> None:
        """Put `frames` in the event inspector, as a long session would have."""
        inspector = self.screen.inspector
        for frame in frames:
            inspector.add_frame(frame)

    def filter_inspector(self, query: str) -> None:
        """Filter the inspector as its filter box does when the user presses Enter."""
        self.screen.inspector.set_filter(FrameFilter(query))

    def inspector_shows_filter(self, query: str) -> bool:
        """Whether the inspector's rows are those of `query` (built, not still filtering)."""
        store = self.screen.inspector.store
        return not store.filtering and store.filter == FrameFilter(query)

    # --- driving it ---------------------------------------------------------------------

    def press(self, key: str, character: str | None = None) -> float:
        """Send one key as a terminal's input would; the time it was sent."""
        event = events.Key(key, character)
        event.set_sender(self.app)
        now = time.perf_counter()
        self.tap.send_message(event)
        return now

    def paste(self, text: str) -> float:
        event = events.Paste(text)
        event.set_sender(self.app)
        now = time.perf_counter()
        self.tap.send_message(event)
        return now

    def submit(self, text: str) -> float:
        """Type `text` and press Enter; the time Enter was sent."""
        for char in text:
            self.press(char, char)
        return self.press("enter", "\r")

    async def until(
        self, condition: Callable[[], object], within: float, what: str, every: float = 0.005
    ) -> float:
        """Poll `condition` every `every` s; the time it held. TimeoutError names `what`."""
        deadline = time.perf_counter() + within
        while not condition():
            if time.perf_counter() > deadline:
                raise TimeoutError(f"the app did not reach '{what}' within {within:g} s")
            await asyncio.sleep(every)
        return time.perf_counter()

    async def painted_once(
        self, condition: Callable[[], object], within: float, what: str
    ) -> float:
        """The time of the first screen update written once `condition` holds, checked as
        each update is written (the loop's own thread): the first screen that can show what
        the condition waits for. Polling the condition first and then waiting for a paint
        would miss a paint that came between the app's taking it in and the poll, and time
        some later, unrelated one instead."""
        painted: list[float] = []

        def note(at: float, _data: str) -> None:
            if not painted and condition():
                painted.append(at)

        stop = self.tap.watch(note)
        try:
            await self.until(lambda: painted, within, what)
        finally:
            stop()
        return painted[0]

    async def painted_after(self, moment: float, within: float = 1.0) -> float:
        """The time of the first screen update written after `moment` (or `moment` if none
        comes `within` seconds: nothing left to paint)."""
        painted: list[float] = []
        stop = self.tap.watch(lambda at, _data: painted.append(at) if at >= moment else None)
        try:
            with contextlib.suppress(TimeoutError):
                await self.until(lambda: painted, within, "a paint")
        finally:
            stop()
        return painted[0] if painted else moment

    async def key_to_screen(self, within: float = 10.0) -> float:
        """Seconds from typing KEY_MARK to a screen update that shows it; it is then
        deleted again (Backspace) and the deletion waited for."""
        shown: list[float] = []
        stop = self.tap.watch(lambda at, data: shown.append(at) if KEY_MARK in data else None)
        try:
            sent = self.press(KEY_MARK, KEY_MARK)
            await self.until(lambda: shown, within, "the typed key on screen")
        finally:
            stop()
        self.press("backspace", "\x7f")
        await self.until(lambda: KEY_MARK not in self.composer_text(), within, "the deletion")
        return shown[0] - sent

    async def settle(self, quiet_s: float = 1.0, within: float = 30.0) -> float:
        """Wait until the loop has not lagged > 50 ms for `quiet_s` (at most `within` s);
        the time it settled."""
        called = time.perf_counter()
        deadline = called + within
        # A loop just freed from a long hold has not yet noted that lag: wait until it has.
        samples = self.probe.samples
        await self.until(lambda: samples and samples[-1][0] > called, within, "a lag sample")
        while time.perf_counter() < deadline:
            now = time.perf_counter()
            if now - self.probe.quiet_since() >= quiet_s:
                return now
            await asyncio.sleep(0.05)
        return time.perf_counter()


def app_for(
    url: str | None, scratch: Path, config: Config | None = None, **kwargs: Any
) -> RtTuiApp:
    """The app as `rt-tui --url URL` builds it, with the key in its environment and its
    config and sessions in `scratch`."""
    return make_app(
        config=config or Config(),
        config_path=scratch / "config.toml",
        env={"OPENAI_API_KEY": KEY},
        url=url,
        sessions_dir=scratch / "sessions",
        **kwargs,
    )


@contextlib.asynccontextmanager
async def running_app(
    url: str | None, scratch: Path, *, connect_within: float = 30.0, **options: Any
) -> AsyncIterator[AppRun]:
    """The app connected to `url` (session created), its probe running; `options` go to
    `make_app` (config, mic, speaker). The collector is set as `rt-tui` sets it."""
    app = app_for(url, scratch, **options)
    tune_for_session()
    app.driver_class = ScreenTap
    async with app.run_test(headless=False, size=SCREEN_SIZE, notifications=True):
        tap = app._driver  # the ScreenTap the app built (no public accessor)
        assert isinstance(tap, ScreenTap)
        probe = LagProbe()
        probe.start()
        run = AppRun(app, tap, probe)
        try:
            if url is not None:
                await run.until(run.is_connected, connect_within, "connected")
                # Connecting shows a toast (where the session is recorded): its mounting
                # and layouts belong to the connection, not to what the trial times next,
                # and no one types within milliseconds of connecting.
                shown = await run.until(run.toasts_shown, connect_within, "the toasts")
                await run.painted_after(shown)
            yield run
        finally:
            await probe.stop()
