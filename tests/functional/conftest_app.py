"""Helpers for the app's pilot tests: build the app for a loopback server, wait on conditions.

Imported explicitly by the test_app_* modules (not a pytest conftest).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypedDict, Unpack

from textual.app import App
from textual.message import Message
from textual.pilot import Pilot

from rt_tui.config import Config
from rt_tui.inspector.logs import ReplayPlan
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.tui.app import RtTuiApp, make_app
from rt_tui.tui.messages import FrameBatch, LinkState
from rt_tui.tui.screens.main import MainScreen
from rt_tui.tui.widgets.composer import Composer
from rt_tui.tui.widgets.conversation import ConversationPane
from rt_tui.tui.widgets.conversation_blocks import ItemBlock, LineBlock, ResponseBlock
from rt_tui.tui.widgets.status import StatusBar

WAIT_TIMEOUT_S = 10.0


class OfflineOptions(TypedDict, total=False):
    """The rest of `make_app`'s arguments a test may set on an app that does not connect."""

    profile: str | None
    demo: bool
    log: Path | None
    replay: ReplayPlan | None
    clock: Callable[[], float] | None
    wall_clock: Callable[[], float] | None
    id_factory: Callable[[], str] | None
    mic: str | None
    """--mic, over the config's `[audio] mic`."""
    speaker: str | None
    """--speaker, over the config's `[audio] speaker`."""


class AppOptions(OfflineOptions, total=False):
    connect: bool


def app_for_url(
    url: str | None, tmp_path: Path, *, config: Config | None = None, **kwargs: Unpack[AppOptions]
) -> RtTuiApp:
    """The app as `rt-tui --url URL` builds it, with config and logs in `tmp_path`."""
    return make_app(
        config=config or Config(),
        config_path=tmp_path / "config.toml",
        env={},
        url=url,
        sessions_dir=tmp_path / "sessions",
        **kwargs,
    )


def offline_app(
    tmp_path: Path,
    url: str | None = None,
    *,
    config: Config | None = None,
    **kwargs: Unpack[OfflineOptions],
) -> RtTuiApp:
    """The app as `app_for_url` builds it (nothing configured by default), not connecting."""
    return app_for_url(url, tmp_path, config=config, connect=False, **kwargs)


class MessageLog:
    """A `message_hook` that keeps every message the app's nodes posted."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    def __call__(self, message: Message) -> None:
        self.messages.append(message)

    def frames(self, direction: Direction | None = None) -> list[Frame]:
        """The frames the connection handed to the screen, in order."""
        return [
            frame
            for m in self.messages
            if isinstance(m, FrameBatch)
            for frame in m.frames
            if direction is None or frame.direction is direction
        ]

    def wire_types(self, direction: Direction) -> list[str]:
        return [frame.wire_type for frame in self.frames(direction)]


async def wait_for(
    pilot: Pilot[Any], condition: Callable[[], object], what: str = "the condition"
) -> None:
    """Let the app run until `condition()` is true; fail naming `what` after a timeout."""

    async def poll() -> None:
        while not condition():
            await pilot.pause(0.01)

    try:
        await asyncio.wait_for(poll(), WAIT_TIMEOUT_S)
    except TimeoutError:
        raise AssertionError(f"Timed out waiting for {what}.") from None


def main_screen(pilot: Pilot[int]) -> MainScreen:
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen), f"expected the main screen, got {screen!r}"
    return screen


async def connected(pilot: Pilot[int]) -> MainScreen:
    """The main screen once it is connected and the session was created."""
    screen = main_screen(pilot)
    await wait_for(
        pilot, lambda: screen.query_one(StatusBar).state is LinkState.CONNECTED, "the connection"
    )
    await wait_for(pilot, lambda: screen.conversation.session is not None, "session.created")
    return screen


async def frames_shown(pilot: Pilot[int], log: MessageLog) -> None:
    """Let the app run until the main screen has taken every frame of its live session that
    `log` holds, and the conversation pane has drawn them.

    The hook keeps a `FrameBatch` when it is posted, and frames join it until the screen
    takes it: a frame can be in `log` while its batch still waits in the screen's queue,
    where the pane cannot know of it (`busy` alone may be False before it is handled)."""
    screen = main_screen(pilot)

    def shown() -> bool:
        waiting = [
            m
            for m in log.messages
            if isinstance(m, FrameBatch) and m.source is screen.session and not m.taken
        ]
        return not waiting and not screen.pane.busy

    await wait_for(pilot, shown, "the screen to show the session's frames")


async def submit(pilot: Pilot[int], text: str) -> None:
    """Put `text` in the composer and press Enter."""
    main_screen(pilot).query_one(Composer).load_text(text)
    await pilot.press("enter")


def screen_text(app: App[Any]) -> str:
    """The text of the screen as drawn, one line per row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def pane_items(pane: ConversationPane, role: str | None = None) -> list[ItemBlock]:
    """The items the conversation pane shows (only `role`'s, if given), top to bottom."""
    return [
        block
        for block in pane.blocks
        if isinstance(block, ItemBlock) and (role is None or block.role == role)
    ]


def pane_texts(pane: ConversationPane, kind: str) -> list[str]:
    """The lines the conversation pane shows for its responses, errors or notices (`kind`),
    top to bottom, unwrapped."""
    return [
        block.text
        for block in pane.blocks
        if isinstance(block, ResponseBlock | LineBlock) and block.kind == kind
    ]


async def type_text(pilot: Pilot[int], text: str) -> None:
    """Type `text` into the focused widget key by key (spaces as 'space')."""
    await pilot.press(*["space" if char == " " else char for char in text])
