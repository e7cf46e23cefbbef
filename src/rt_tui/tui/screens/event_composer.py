"""The event composer: write any client event by hand, from a template of the session's
dialect filled with its current ids, a snippet from the config or an event sent before;
checked as it is typed, sent as written.

The list on the left holds the templates, the snippets (`[composer.snippets]`) and the
events sent before (newest first); Enter on one puts it in the editor (a template or a
sent event replaces what is there, a snippet goes in at the cursor). Problems the checker
finds are listed under the editor and never stop the send: sending what the service
should refuse is how its bugs are found. ctrl+o opens the event in `$EDITOR`.

The screen only lays this out: the checking, the templates and the history are the
`rt_tui.event_composer` core's, and the main screen sends what it returns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from rt_tui.dialect import Dialect
from rt_tui.event_composer.check import CheckResult, check_event
from rt_tui.event_composer.templates import Template
from rt_tui.tui.external_editor import edit_text

_DIALECT_TITLES = {Dialect.GA: "GA", Dialect.BETA: "beta (Azure preview)"}
_LABEL_CHARS = 34
"""A sent event is listed by its first characters, on one line."""


@dataclass(frozen=True)
class ComposerOutcome:
    """What the composer was closed with."""

    text: str
    """The event as written (kept as the draft when not sent)."""
    send: bool


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _LABEL_CHARS else flat[: _LABEL_CHARS - 1] + "…"


def _heading(title: str) -> Option:
    return Option(Text(title, style="bold"), disabled=True)


def _choice(label: str, option_id: str) -> Option:
    """An entry on one line, cut with an ellipsis where the list is narrow."""
    return Option(Text(label, no_wrap=True, overflow="ellipsis"), id=option_id)


class EventComposerScreen(ModalScreen[ComposerOutcome]):
    """Compose a client event; ctrl+s sends it, Escape closes (keeping it as a draft)."""

    DEFAULT_CSS = """
    EventComposerScreen {
        align: center middle;
    }
    EventComposerScreen > #event-composer-dialog {
        width: 95%;
        max-width: 140;
        height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    EventComposerScreen #event-choices {
        width: 40%;
        min-width: 34;
        max-width: 40;
        height: 1fr;
    }
    EventComposerScreen #event-text {
        height: 1fr;
    }
    EventComposerScreen #event-check-scroll {
        height: auto;
        max-height: 8;
    }
    EventComposerScreen #event-check.-ok {
        color: $success;
    }
    EventComposerScreen #event-check.-problems {
        color: $warning;
    }
    """

    BINDINGS = [
        Binding(
            "ctrl+s",
            "send",
            "Send",
            tooltip="Send the event exactly as written, even with warnings",
            id="event_composer.send",
        ),
        Binding(
            "ctrl+o",
            "external_editor",
            "$EDITOR",
            tooltip="Write the event in your own editor ($VISUAL or $EDITOR)",
            id="event_composer.external_editor",
        ),
        Binding(
            "escape",
            "close",
            "Close",
            tooltip="Close the composer; the event stays for the next time",
            id="event_composer.close",
        ),
    ]

    def __init__(
        self,
        *,
        dialect: Dialect,
        templates: Sequence[Template],
        snippets: Mapping[str, str],
        sent: Sequence[str],
        draft: str,
        env: Mapping[str, str],
    ) -> None:
        """`sent`: the events sent before, oldest first; `env`: where `$EDITOR` is read."""
        super().__init__()
        self.dialect = dialect
        self.templates = list(templates)
        self.snippets = dict(snippets)
        self.sent = list(reversed(sent))
        self.env = env
        self.editor = TextArea(
            draft,
            id="event-text",
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=True,
            placeholder="Pick a template on the left (Enter), or write a client event as JSON.",
        )
        self.check_view = Static(id="event-check")

    def compose(self) -> ComposeResult:
        with Vertical(id="event-composer-dialog"):
            with Horizontal():
                yield OptionList(*self._choices(), id="event-choices")
                with Vertical():
                    yield self.editor
                    with VerticalScroll(id="event-check-scroll"):
                        yield self.check_view
            yield Footer()

    def _choices(self) -> list[Option]:
        options = [_heading("Templates")]
        options += [_choice(t.label, f"template:{i}") for i, t in enumerate(self.templates)]
        options.append(_heading("Snippets (at the cursor)"))
        if not self.snippets:
            options.append(Option(Text("none: [composer.snippets]", style="dim"), disabled=True))
        options += [_choice(name, f"snippet:{name}") for name in self.snippets]
        options.append(_heading("Sent, newest first"))
        if not self.sent:
            options.append(Option(Text("nothing yet", style="dim"), disabled=True))
        options += [_choice(_one_line(text), f"sent:{i}") for i, text in enumerate(self.sent)]
        return options

    def on_mount(self) -> None:
        dialog = self.query_one("#event-composer-dialog")
        dialog.border_title = f"Compose a client event · {_DIALECT_TITLES[self.dialect]}"
        dialog.border_subtitle = "Enter: use · Tab: editor · ctrl+s: send"
        self._show_check()
        if self.editor.text.strip():
            self.editor.focus()
            self.editor.move_cursor(self.editor.document.end)
        else:
            self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#event-choices")
    def _use_choice(self, event: OptionList.OptionSelected) -> None:
        kind, _, key = (event.option.id or "").partition(":")
        editor = self.editor
        if kind == "template":
            editor.load_text(self.templates[int(key)].text)
        elif kind == "sent":
            editor.load_text(self.sent[int(key)])
        elif kind == "snippet":
            editor.replace(self.snippets[key], *editor.selection)
        else:
            return
        editor.focus()

    @on(TextArea.Changed, "#event-text")
    def _show_check(self) -> None:
        """The checker's verdict on the text as it stands (it is quick: the events are
        small, and a paste of megabytes is checked once, as pasted)."""
        text = self.editor.text
        view = self.check_view
        if not text.strip():
            view.update("")
            view.set_classes("")
            return
        result = check_event(text, self.dialect)
        view.update(_check_text(result))
        view.set_classes("-problems" if result.problems else "-ok")

    def action_send(self) -> None:
        """Send the event as written (the main screen sends it and says so)."""
        text = self.editor.text
        if not text.strip():
            self.notify("Nothing to send: write an event or pick a template.", severity="warning")
            return
        self.dismiss(ComposerOutcome(text, send=True))

    def action_close(self) -> None:
        """Close, keeping the event for the next time the composer opens."""
        self.dismiss(ComposerOutcome(self.editor.text, send=False))

    def action_external_editor(self) -> None:
        """Hand the event to `$EDITOR` and take back what it saved."""
        edited = edit_text(self.app, self.editor.text, self.env)
        if edited.text is None:
            self.notify(edited.problem or "", title="$EDITOR", severity="warning", markup=False)
            return
        self.editor.load_text(edited.text)
        self.editor.focus()


def _check_text(result: CheckResult) -> Text:
    if not result.problems:
        return Text(f"✓ {result.summary()}")
    text = Text(f"{result.summary()} (sent anyway with ctrl+s):")
    for problem in result.problems:
        text.append(f"\n  {problem}")
    return text
