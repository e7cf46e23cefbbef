"""Carrying out the composer's slash commands on the main screen.

The list of commands (names, usage, what they do) belongs to the composer
(`Composer.SLASH_COMMANDS`); this module only dispatches. `/output` stays with the main
screen, which answers function calls. A line starting with any other `/word` is sent as
an ordinary message, as before.

`/raw` is for poking the server: what follows it goes out as one frame exactly as written
(no `event_id` added, malformed on purpose if need be), so it is not split or unquoted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rt_tui.tui.audio_turns import save_audio, start_wav_turn
from rt_tui.tui.widgets.composer import SLASH_COMMANDS, SlashCommand

if TYPE_CHECKING:
    from rt_tui.tui.screens.main import MainScreen

_QUOTES = ("'", '"')

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
    """Carry out `/raw`, `/wav`, `/save-audio` or `/help`; False for anything else."""
    frame_text = raw_frame_text(text)
    if frame_text is not None:
        send_raw_frame(screen, frame_text)
        return True
    command, argument = split_command(text)
    if command == "/wav":
        start_wav_turn(screen, argument)
    elif command == "/save-audio":
        save_audio(screen, argument)
    elif command == "/help":
        screen.pane.add_notice(commands_help(screen.composer.SLASH_COMMANDS))
    else:
        return False
    return True
