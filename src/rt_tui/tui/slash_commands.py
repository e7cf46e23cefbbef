"""Reading the composer's slash commands: the command and its argument, `/raw`'s frame,
and the help that lists them.

The list of commands (names, usage, what they do) belongs to the composer
(`Composer.SLASH_COMMANDS`); the main screen carries them out. A line starting with any
other `/word` is refused with the list of commands (`is_unknown_command`), since a mistyped
command sent to the model costs a response; `//` sends a message that starts with `/`
(`//foo` sends `/foo`). A slash that starts a path (`/etc/hosts is…`) is not a command and
goes as written.

`/raw` is for poking the server: what follows it goes out as one frame exactly as written
(no `event_id` added, malformed on purpose if need be), so it is not split or unquoted.
`/raw` alone opens the event composer (F5), which sends the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rt_tui.tui.widgets.composer import SLASH_COMMANDS, SlashCommand

_QUOTES = ("'", '"')

_COMMAND_WORD = re.compile(r"/[A-Za-z][A-Za-z0-9_-]*")
"""What a command's name looks like: `/wav`, `/save-audio`; not `/etc/hosts` or `/ 2`."""
ESCAPE = "//"
"""A message starting with this is sent with one slash less, never taken as a command."""

RAW_COMMAND = "/raw"


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


def is_unknown_command(command: str, commands: Iterable[SlashCommand] = SLASH_COMMANDS) -> bool:
    """True for a `/word` that looks like a command but is none of `commands`."""
    return bool(_COMMAND_WORD.fullmatch(command)) and command not in {c.name for c in commands}
