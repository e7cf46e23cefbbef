"""The composer: a multi-line input where Enter sends and ctrl+j starts a new line.

It also owns the list of slash commands (`SLASH_COMMANDS`): the help screen and `/help`
list them from there, and the main screen carries them out.

A huge paste (a frame of megabytes for `/raw`) would make every keystroke re-wrap it, and
the paste itself froze the screen for seconds: a paste over `PASTE_INLINE_CHARS` is held
aside whole, the composer shows a stand-in with its size (`⟦paste 1: 4.8 MB⟧`), and the
message sent has the stand-in replaced by all of the pasted text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual import events
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import TextArea

from rt_tui.inspector.detail import size_text

NEWLINE_KEYS = frozenset({"ctrl+j", "shift+enter", "alt+enter", "ctrl+enter"})
"""Keys that insert a line break. ctrl+j works in every terminal and in tmux; the others only
where the terminal reports them distinctly from Enter."""

PASTE_INLINE_CHARS = 16 * 1024
"""A longer paste is shown as a stand-in (each keystroke in a line re-wraps all of it)."""
_STAND_IN = re.compile(r"⟦paste \d+: [^⟧\n]*⟧")


def stand_in(number: int, text: str) -> str:
    """What the composer shows for the `number`-th pasted text held aside."""
    return f"⟦paste {number}: {size_text(len(text))}⟧"


@dataclass(frozen=True)
class SlashCommand:
    """A command typed in the composer instead of a message."""

    name: str
    """What starts the line, e.g. `/wav`."""
    usage: str
    """How to write it, e.g. `/wav PATH`."""
    description: str


SLASH_COMMANDS: tuple[SlashCommand, ...] = (
    SlashCommand(
        "/wav",
        "/wav [--realtime] PATH",
        "send a WAV file as your spoken turn (--realtime: at a microphone's pace)",
    ),
    SlashCommand(
        "/save-audio",
        "/save-audio [--session] [PATH]",
        "save the last spoken reply as a WAV file (default: the sessions folder); "
        "--session: the whole session, you left and the assistant right",
    ),
    SlashCommand(
        "/output",
        "/output [TEXT]",
        "answer the waiting function call with TEXT (alone: in a dialog)",
    ),
    SlashCommand(
        "/raw",
        "/raw [JSON]",
        "send the text after /raw as one frame, exactly as written (valid JSON or not); "
        "alone, open the event composer (F5)",
    ),
    SlashCommand("/help", "/help", "list these commands"),
    SlashCommand("//", "//TEXT", "send a message that starts with /: //foo sends /foo"),
)
"""Any other `/word` is refused, not sent to the model."""


class Composer(TextArea):
    """Where the user writes. Posts `Submitted` on Enter and `CancelRequested` on Escape.

    Up on the first line and Down on the last line walk through earlier messages. A paste
    arrives as one Paste event, so the line breaks it contains never send.
    """

    DEFAULT_CSS = """
    Composer {
        height: auto;
        min-height: 3;
        max-height: 10;
    }
    """

    BINDINGS = [
        Binding(
            "ctrl+j",
            "newline",
            "New line",
            tooltip="Start a new line in the message (Enter sends it)",
            id="composer.newline",
            show=False,
        ),
    ]

    SLASH_COMMANDS = SLASH_COMMANDS
    """The commands this composer understands (what help lists)."""

    @dataclass
    class Submitted(Message):
        """The user pressed Enter on a message that is not blank."""

        composer: Composer
        text: str

        @property
        def control(self) -> Composer:
            return self.composer

    @dataclass
    class CancelRequested(Message):
        """The user pressed Escape: stop the running response."""

        composer: Composer

        @property
        def control(self) -> Composer:
            return self.composer

    def __init__(self, *, id: str | None = None, placeholder: str = "") -> None:
        super().__init__(id=id, soft_wrap=True, tab_behavior="focus", placeholder=placeholder)
        self.sent_history: list[str] = []
        self._recall_index: int | None = None
        """Position in `history` while recalling; None while editing a fresh message."""
        self._draft = ""
        """What was typed before recalling started, restored when walking past the newest."""
        self._pastes: dict[str, str] = {}
        """Huge pastes held aside, by the stand-in shown for them (kept while the history
        may bring a stand-in back)."""
        self._styled_theme: object | None = None
        """The text area theme last filled in from the styles (None: fill it again)."""

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styled_theme = None  # At the next paint, once the component styles are in.

    def render_lines(self, crop: Region) -> list[Strip]:
        # TextArea fills in its theme from the styles on every paint, which costs about as
        # much as painting the composer, on every keystroke; the styles change only with a
        # style update (focus, a new theme), so fill it in after one only.
        theme = self._theme
        if theme is not self._styled_theme:
            theme.apply_css(self)
            self._styled_theme = theme
        return ScrollView.render_lines(self, crop)

    def post_message(self, message: Message) -> bool:
        # TextArea posts these on every edit and cursor move, to be handled by itself and
        # then by each widget above it; nothing reads them (what was typed is read on
        # Enter), and each cost a message hop or four on every keystroke.
        if isinstance(message, TextArea.Changed | TextArea.SelectionChanged):
            return True
        return super().post_message(message)

    async def _on_key(self, event: events.Key) -> None:
        key = event.key
        if key == "backspace":
            # TextArea deletes by a binding, found only once the key has gone up to the
            # app and the bindings are looked up from here: four hops for the key typed
            # most after letters. Textual would find this one first on that walk too.
            await super()._on_key(event)  # what it does for any key (the cursor's blink)
            self._consume(event)
            self.action_delete_left()
        elif key == "enter":
            self._consume(event)
            self.submit()
        elif key in NEWLINE_KEYS:
            self._consume(event)
            self.action_newline()
        elif key == "escape":
            self._consume(event)
            self.post_message(self.CancelRequested(self))
        elif self._recall_key(key):
            self._consume(event)
        else:
            await super()._on_key(event)

    def _recall_key(self, key: str) -> bool:
        """Up on the first line / Down on the last line recall history; True if they did."""
        if key == "up" and self.cursor_at_first_line:
            return self._recall(-1)
        if key == "down" and self.cursor_at_last_line:
            return self._recall(+1)
        return False

    @staticmethod
    def _consume(event: events.Key | events.Paste) -> None:
        event.stop()
        event.prevent_default()

    async def _on_paste(self, event: events.Paste) -> None:
        # Textual calls TextArea's own handler after this one unless it is prevented.
        text = event.text
        if len(text) <= PASTE_INLINE_CHARS or self.read_only:
            return
        self._consume(event)
        token = stand_in(len(self._pastes) + 1, text)
        self._pastes[token] = text
        if result := self._replace_via_keyboard(token, *self.selection):
            self.move_cursor(result.end_location)
            self.focus()
        self.notify(
            f"Pasted {size_text(len(text))}: shown as {token}, sent whole with the message.",
            timeout=4,
        )

    def expanded(self, text: str) -> str:
        """`text` with each stand-in of a paste held aside replaced by the pasted text."""
        if not self._pastes:
            return text
        return _STAND_IN.sub(lambda m: self._pastes.get(m.group(0), m.group(0)), text)

    def take_stray_key(self, event: events.Key) -> None:
        """A printable key that reached the screen unused (the focused pane takes no text
        and has no binding for it) is typed here, so typing is never lost and never fires
        a pane's action it does not name.

        Keys that arrive together (fast typing, a terminal's burst) were all queued for the
        pane before the first one moved the focus: they come to the screen once the
        composer has it, and go on to it, Enter included, so `next⏎` typed there is sent
        whole.
        """
        if self.disabled:
            return
        screen = self.screen
        queued_for_a_pane = screen.focused is self  # The composer keeps these keys itself.
        character = event.character
        if event.is_printable and character is not None:
            if event.key in screen.active_bindings and not queued_for_a_pane:
                return  # The pane's own key: the inspector's f, d, e…
            event.stop()
            event.prevent_default()
            self.take_typing(character)
        elif event.key == "enter" and queued_for_a_pane:
            event.stop()
            event.prevent_default()
            self.submit()

    def take_typing(self, text: str) -> None:
        """`text` typed while a pane that takes no text had the focus: focus here at once
        (so the keys that follow land here too) and insert it as typing would."""
        self.screen.set_focus(self)
        start, end = self.selection
        self.replace(text, start, end, maintain_selection_offset=False)

    def action_newline(self) -> None:
        """Insert a line break at the cursor."""
        self.insert("\n")

    def submit(self) -> None:
        """Send what is written (if anything), remember it, and start afresh."""
        text = self.text
        if not text.strip():
            return
        if not self.sent_history or self.sent_history[-1] != text:
            self.sent_history.append(text)
        self._recall_index = None
        self._draft = ""
        self.clear()
        self.post_message(self.Submitted(self, self.expanded(text)))

    def _recall(self, step: int) -> bool:
        """Show the previous (-1) or next (+1) message from history; False if none."""
        if not self.sent_history:
            return False
        if self._recall_index is None:
            if step > 0:
                return False
            self._draft = self.text
            index = len(self.sent_history) - 1
        else:
            index = self._recall_index + step
        if index < 0:
            return False
        if index >= len(self.sent_history):
            self._recall_index = None
            self.load_text(self._draft)
        else:
            self._recall_index = index
            self.load_text(self.sent_history[index])
        self.move_cursor(self.document.end)
        return True
