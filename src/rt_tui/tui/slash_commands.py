"""Carrying out the composer's slash commands on the main screen.

The list of commands (names, usage, what they do) belongs to the composer
(`Composer.SLASH_COMMANDS`); this module only dispatches. `/output` stays with the main
screen, which answers function calls. A line starting with any other `/word` is refused
with the list of commands, since a mistyped command sent to the model costs a response;
`//` sends a message that starts with `/` (`//foo` sends `/foo`). A slash that starts a
path (`/etc/hosts is…`) is not a command and goes as written.

`/raw` is for poking the server: what follows it goes out as one frame exactly as written
(no `event_id` added, malformed on purpose if need be), so it is not split or unquoted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rt_tui.tui.audio_turns import save_audio, send_wav
from rt_tui.tui.widgets.composer import SLASH_COMMANDS, SlashCommand

if TYPE_CHECKING:
    from rt_tui.tui.screens.main import MainScreen

_QUOTES = ("'", '"')

_COMMAND_WORD = re.compile(r"/[A-Za-z][A-Za-z0-9_-]*")
"""What a command's name looks like: `/wav`, `/save-audio`; not `/etc/hosts` or `/ 2`."""
ESCAPE = "//"
"""A message starting with this is sent with one slash less, never taken as a command."""

RAW_COMMAND = "/raw"
RAW_TEMPLATE = '/raw {"type": ""}'
"""What "Send raw event" puts in the composer (the cursor goes between the empty quotes)."""


def split_command(text: str) -> tuple[str, str]:
    """`/name rest of line` -> ("/name", "rest of line"); quotes around the rest go."""
    parts = text.strip().split(None, 1)
    if not parts:
        return "", ""
    argument = parts[1].strip() if len(parts) > 1 else ""
    if len(argument) >= 2 and argument[0] in _QUOTES and argument[-1] == argument[0]:
        argument = argument[1:-1]
    return parts[0], argument


def commands_help(commands: Iterable[SlashCommand] = SLASH_COMMANDS) -> str:
    """The commands, one a line: usage, then what it does."""
    rows = list(commands)
    width = max((len(command.usage) for command in rows), default=0)
    lines = [f"  {command.usage:<{width}}  {command.description}" for command in rows]
    return "Composer commands:\n" + "\n".join(lines)


def message_text(text: str) -> str:
    """What goes to the model for a composer line that is not a command: `//…` loses
    the slash that kept it from being one."""
    stripped = text.lstrip()
    return stripped[1:] if stripped.startswith(ESCAPE) else text


def raw_frame_text(text: str) -> str | None:
    """The frame of `/raw FRAME`: everything after `/raw` and the blanks or line breaks
    that follow it, untouched; None when `text` is not a `/raw` command."""
    rest = text.lstrip()
    if not rest.startswith(RAW_COMMAND):
        return None
    rest = rest.removeprefix(RAW_COMMAND)
    if rest and not rest[0].isspace():
        return None  # `/rawness` is a word, not the command
    return rest.lstrip()


def send_raw_frame(screen: MainScreen, frame_text: str) -> None:
    """`/raw FRAME`: send the frame as is; it shows in the inspector like any sent frame."""
    if not frame_text:
        screen.pane.add_notice(
            '/raw needs the frame to send, e.g. /raw {"type": "response.create"}'
        )
        return
    if screen.context.replay is not None:
        screen.pane.add_notice("replay: read-only, nothing was sent.")
        return
    if not screen.session.send_raw(frame_text):
        screen.pane.add_notice("Not connected, so nothing was sent: press ctrl+r to reconnect.")


def run_slash_command(screen: MainScreen, text: str) -> bool:
    """Carry out `/raw`, `/wav`, `/save-audio` or `/help`, or refuse an unknown `/word`;
    False for anything else (a message, or `/output`, which the screen answers)."""
    frame_text = raw_frame_text(text)
    if frame_text is not None:
        send_raw_frame(screen, frame_text)
        return True
    command, argument = split_command(text)
    commands = screen.composer.SLASH_COMMANDS
    if command == "/wav":
        screen.run_worker(send_wav(screen, argument), group="audio-turn", exit_on_error=False)
    elif command == "/save-audio":
        save_audio(screen, argument)
    elif command == "/help":
        screen.pane.add_notice(commands_help(commands))
    elif _COMMAND_WORD.fullmatch(command) and command not in {c.name for c in commands}:
        screen.pane.add_notice(
            f"{command} is not a command, so nothing was sent (Up brings it back).\n"
            + commands_help(commands)
        )
    else:
        return False
    return True
