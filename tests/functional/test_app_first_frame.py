"""The first frame comes first: what it does not show loads after it, when first used.

`rt-tui --demo` runs as users run it, in a pseudo-terminal; the modules Python has loaded
are noted the moment the first frame (the conversation pane's title) reaches the terminal.
Each module kept out here is tens of milliseconds of start-up (`make bench`, first paint).
Without a config file the default settings (pydantic's models) are made when first asked
for; a config file is read and checked before the screen opens, as before.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from conftest_app import app_for_url, main_screen, offline_app, pane_items, wait_for
from textual import events
from textual.message import Message
from textual.screen import Screen

from rt_tui.config import Config
from rt_tui.mock.server import MockServer
from rt_tui.tui.app import make_app

NOTE_FIRST_FRAME = """
import os, sys
from textual.drivers.linux_driver import LinuxDriver

write = LinuxDriver.write

def noting_write(self, data):
    write(self, data)
    if " Conversation " in data:
        with open(sys.argv[1], "w") as out:
            out.write("\\n".join(sorted(sys.modules)))
        with open(sys.argv[2], "w") as out:
            out.write(data)
        os._exit(0)

LinuxDriver.write = noting_write
from rt_tui.cli import main
sys.exit(main(["--demo"]))
"""

NOT_FOR_THE_FIRST_FRAME = (
    "pydantic",  # the config's models: a start without a config file makes them later
    "rt_tui.config",
    "tomli_w",  # saving the config
    "websockets",  # the connection, opened once the frame is out
    "rt_tui.tui.live_session",  # the connection's lifecycle and worker, made then too
    "rt_tui.tui.worker",
    "rt_tui.tui.session_frames",
    "rt_tui.mock",  # the demo's server
    "markdown_it",  # the first Markdown drawn
    "rich.markdown",
    "rt_tui.tui.replay",  # rt-tui replay
    "rt_tui.realtime.conversation",  # the conversation reducer, made once the frame is out
    "rt_tui.realtime.conversation_items",
    "rt_tui.realtime.conversation_model",
    "rt_tui.realtime.conversation_markdown",
    "rt_tui.realtime.audio_store",
    "rt_tui.realtime.reseed",  # resuming a lost session
    "rt_tui.realtime.events",  # parsing frames: the first arrives after the first frame
    "rt_tui.realtime.event_registry",
    "rt_tui.realtime.session_events",
    "rt_tui.realtime.item_events",
    "rt_tui.realtime.response_events",
    "rt_tui.realtime.conversation_streams",
    "rt_tui.realtime.conversation_responses",
    "rt_tui.realtime.socket_queues",
    "rt_tui.realtime.socket_endings",
    "rt_tui.realtime.recorder",  # the session log, opened with the connection
    "rt_tui.realtime.session_log",
    "rt_tui.realtime.redaction",
    "rt_tui.inspector.store",  # the inspector's frames and trackers, made once it is out
    "rt_tui.inspector.classify",
    "rt_tui.inspector.summary",
    "rt_tui.inspector.landmarks",
    "rt_tui.inspector.latency",
    "rt_tui.inspector.export",
    "rt_tui.inspector.logs",
    "rt_tui.report",  # F8's bundle
    "zipfile",
    "secrets",  # naming a new session log (it loads hashlib and OpenSSL)
    "hashlib",
    "rt_tui.tui.screens.settings",  # F2
    "rt_tui.tui.screens.help",  # F1
    "rt_tui.inspector.filtering",  # the inspector's filters, loaded with its store
    "rt_tui.tui.commands",  # the command palette's actions, when it first opens
    "textual.widgets._footer",  # the dialogs' footers: the main screen draws its own keys
    "rt_tui.tui.voice",  # live audio, made once the frame is out (its keys are apart)
    "rt_tui.tui.voice_choice",
    "rt_tui.tui.voice_events",
    "rt_tui.realtime.audio_turn",
    "rt_tui.realtime.audio_io.devices",
    "rt_tui.realtime.audio_io.live",  # live audio's players and files, when asked for
    "rt_tui.realtime.audio_io.sources",
    "rt_tui.cost.table",  # the price table, with the first usage
    "rt_tui.tui.submitted",  # the first message sent
    "rt_tui.tui.conversation_export",  # alt+e
    "rt_tui.tui.frames_export",  # the inspector's export (x, X)
    "rt_tui.tui.export_prompt",
    "rt_tui.tui.tool_calls",  # the first function call, and the tools that answer it
    "rt_tui.tool_answers.desk",
    "rt_tui.tool_answers.shell",
    "numpy",  # live audio
    "soxr",
    "sounddevice",
)


def note_once_loaded(*modules: str) -> str:
    """A script that starts `rt-tui --demo` and, at the first screen write after which
    all of `modules` are imported, writes "loaded" to its first argument and leaves."""
    return f"""
import os, sys
from textual.drivers.linux_driver import LinuxDriver

write = LinuxDriver.write

def noting_write(self, data):
    write(self, data)
    if all(name in sys.modules for name in {modules!r}):
        with open(sys.argv[1], "w") as out:
            out.write("loaded")
        os._exit(0)

LinuxDriver.write = noting_write
from rt_tui.cli import main
sys.exit(main(["--demo"]))
"""


NOTE_MARKDOWN_LOADED = note_once_loaded("rich.markdown", "markdown_it")
NOTE_FIRST_REPLY_READY = note_once_loaded("rt_tui.tui.submitted", "rt_tui.cost.table")


def run_demo(script: str, *args: Path, within: float = 60.0) -> None:
    """Run `script` (which starts `rt-tui --demo`) in a 120x40 pseudo-terminal until it
    exits, or `within` seconds have passed."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", script, *map(str, args)],
            stdin=follower,
            stdout=follower,
            stderr=follower,
            # The terminal's size, not one the test run may set (Textual reads these first).
            env={k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")},
        )
        deadline = time.monotonic() + within
        try:
            # Read what it writes, so it never blocks on it.
            while proc.poll() is None and time.monotonic() < deadline:
                if select.select([leader], [], [], 0.1)[0]:
                    os.read(leader, 1 << 16)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    finally:
        os.close(follower)
        os.close(leader)


def first_frame(tmp_path: Path) -> tuple[set[str], str]:
    """What `rt-tui --demo` wrote as its first frame to a 120x40 terminal, and the modules
    loaded then."""
    noted, frame = tmp_path / "modules.txt", tmp_path / "frame.txt"
    run_demo(NOTE_FIRST_FRAME, noted, frame)
    assert noted.exists(), "the first frame never reached the terminal"
    return set(noted.read_text().split()), frame.read_text()


def test_the_first_frame_loads_only_what_it_shows(tmp_path: Path) -> None:
    modules, _ = first_frame(tmp_path)
    assert "rt_tui.tui.screens.main" in modules  # Guards against noting nothing.
    loaded_early = [
        name
        for name in NOT_FOR_THE_FIRST_FRAME
        if name in modules or any(module.startswith(f"{name}.") for module in modules)
    ]
    assert loaded_early == []


def test_markdown_loads_once_the_first_frame_is_out_not_with_the_first_reply(
    tmp_path: Path,
) -> None:
    # Loading Markdown holds the screen ~50 ms: while the socket opens, not while the first
    # reply streams (the demo sends nothing until the user types, so nothing else loads it).
    noted = tmp_path / "loaded.txt"
    run_demo(NOTE_MARKDOWN_LOADED, noted, within=30)
    assert noted.exists(), "Markdown did not load before a reply needed it"


def test_what_the_first_reply_needs_loads_once_the_first_frame_is_out(tmp_path: Path) -> None:
    # Enter's slash commands and the price table (the first usage) took ~10 ms of the
    # first reply's frames: while the socket opens instead (nothing is typed here).
    noted = tmp_path / "loaded.txt"
    run_demo(NOTE_FIRST_REPLY_READY, noted, within=30)
    assert noted.exists(), "what the first reply needs did not load before it"


def test_the_first_frame_shows_the_whole_screen(tmp_path: Path) -> None:
    """Not a part of it that is still being built: the panes, the composer, the status
    bar and the keys are all in the first frame written."""
    _, frame = first_frame(tmp_path)
    for part in ("Conversation", "Events", "Message", "idle", "Settings", "palette"):
        assert part in frame


def test_the_first_frame_has_the_composer_focused(tmp_path: Path) -> None:
    """Its heavy border and mark from the start, not the conversation's for a frame."""
    _, frame = first_frame(tmp_path)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", frame)  # The text, without the styles.
    assert "┏━ ▶ Message" in text
    assert "╭─ Conversation" in text


def test_without_a_config_file_the_defaults_are_made_when_first_needed(tmp_path: Path) -> None:
    app = make_app(config_path=tmp_path / "config.toml", env={}, connect=False)
    assert app.context.loaded_config is None
    assert app.context.config == Config()
    assert app.context.loaded_config is app.context.config


async def test_a_config_file_is_read_before_the_screen_opens(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[ui]\ntheme = "textual-light"\n\n[reconnect]\ntries = 3\n', encoding="utf-8")
    app = make_app(config_path=path, env={}, connect=False)
    assert app.context.loaded_config is not None
    assert app.context.config.reconnect.tries == 3
    async with app.run_test(size=(120, 40)):
        assert app.theme == "textual-light"


async def test_the_find_bar_is_built_when_first_asked_for(tmp_path: Path) -> None:
    """Not composed for the first frame, which does not show it; ctrl+f builds and opens it."""
    app = offline_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        main = main_screen(pilot)
        assert not main.query("#find")
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: main.find_bar.input.has_focus, "the find bar's focus")
        assert main.query_one("#find") is main.find_bar
        assert main.find_bar.shown


async def test_the_main_screen_is_styled_once_for_the_first_frame(tmp_path: Path) -> None:
    """Its widgets are styled as they mount: Textual's restyle of the whole screen as it is
    first shown would only delay the first frame (the snapshots show the same screen)."""
    app = offline_app(tmp_path)
    resumes: list[tuple[Screen[object], events.ScreenResume]] = []

    def note_resumes(message: Message) -> None:
        if isinstance(message, events.ScreenResume):  # Handled by the screen on top.
            resumes.append((app.screen, message))

    async with app.run_test(size=(120, 40), message_hook=note_resumes) as pilot:
        main = main_screen(pilot)
        await wait_for(pilot, lambda: bool(resumes), "the screen to be shown")
        assert [(screen, m.refresh_styles) for screen, m in resumes] == [(main, False)]


async def test_a_message_typed_at_once_is_sent_and_answered(tmp_path: Path) -> None:
    """Keys pressed before the engine's side is made (the conversation reducer comes after
    the first frame) are not lost: Enter makes it, and the reply streams as usual."""
    async with MockServer(delta_delay=0) as server:
        app = app_for_url(server.ga_url(), tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press(*"hi", "enter")
            screen = main_screen(pilot)
            await wait_for(pilot, lambda: pane_items(screen.pane, "assistant"), "the reply")
            [user] = pane_items(screen.pane, "user")
            assert user.body == "hi"


async def test_threads_switch_as_usual_once_the_first_frame_is_out(tmp_path: Path) -> None:
    """The start-up lets other threads in sooner, so the writer thread puts the first
    frame on the terminal at once; the session switches at Python's own interval."""
    usual = sys.getswitchinterval()
    app = offline_app(tmp_path)
    app.hurry_start()
    try:
        assert sys.getswitchinterval() < usual
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: sys.getswitchinterval() == usual, "the usual interval")
    finally:
        sys.setswitchinterval(usual)
