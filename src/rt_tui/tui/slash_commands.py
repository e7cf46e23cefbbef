"""Reading the composer's slash commands: the command and its argument, `/raw`'s frame,
and the help that lists them.

The list of commands (names, usage, what they do) belongs to the composer
(`Composer.SLASH_COMMANDS`); the main screen carries them out.

`/raw` is for poking the server: what follows it goes out as one frame exactly as written
(no `event_id` added, malformed on purpose if need be), so it is not split or unquoted.
"""

from __future__ import annotations

from collections.abc import Iterable

from rt_tui.tui.widgets.composer import SLASH_COMMANDS, SlashCommand

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
