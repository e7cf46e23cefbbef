"""Carrying out the composer's slash commands on the main screen.

The list of commands (names, usage, what they do) belongs to the composer
(`Composer.SLASH_COMMANDS`); this module only dispatches. `/output` stays with the main
screen, which answers function calls. A line starting with any other `/word` is sent as
an ordinary message, as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rt_tui.tui.audio_turns import save_audio, send_wav
from rt_tui.tui.widgets.composer import SLASH_COMMANDS, SlashCommand

if TYPE_CHECKING:
    from rt_tui.tui.screens.main import MainScreen

_QUOTES = ("'", '"')


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


def run_slash_command(screen: MainScreen, text: str) -> bool:
    """Carry out `/wav`, `/save-audio` or `/help`; False for anything else."""
    command, argument = split_command(text)
    if command == "/wav":
        screen.run_worker(send_wav(screen, argument), group="audio-turn", exit_on_error=False)
    elif command == "/save-audio":
        save_audio(screen, argument)
    elif command == "/help":
        screen.pane.add_notice(commands_help(screen.composer.SLASH_COMMANDS))
    else:
        return False
    return True
