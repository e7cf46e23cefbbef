"""What the dialogs that answer a tool's request share: a framed box in the middle of the
screen, titled with what asks and how many wait, the arguments the request came with and
a hint; below them each dialog's own way to answer, and the footer of its keys."""

from __future__ import annotations

import json
from typing import ClassVar, TypeVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

AnswerT = TypeVar("AnswerT")


def pretty_arguments(arguments: str) -> str:
    """The call's arguments indented when they are JSON, as they came when not."""
    try:
        return json.dumps(json.loads(arguments), indent=2, ensure_ascii=False)
    except ValueError:
        return arguments or "(no arguments)"


class ToolDialog(ModalScreen[AnswerT]):
    """One waiting tool request and how to answer it; a subclass gives the box's id and
    composes its answer widgets in `compose_answer`."""

    DEFAULT_CSS = """
    ToolDialog { align: center middle; }
    ToolDialog > .tool-dialog {
        width: 90%;
        max-width: 110;
        height: auto;
        max-height: 90%;
        border: round $accent;
        padding: 0 1;
        background: $surface;
    }
    ToolDialog .tool-arguments { max-height: 16; overflow-y: auto; }
    ToolDialog .tool-hint { color: $text-muted; }
    """
    BOX_ID: ClassVar[str]

    def __init__(self, *, heading: str, arguments: str, hint: str, waiting: int) -> None:
        """`waiting`: how many calls and requests wait for the user, this one included."""
        super().__init__()
        self.heading = heading
        self.arguments = arguments
        self.hint = hint
        self.waiting = waiting

    def compose(self) -> ComposeResult:
        with Vertical(id=self.BOX_ID, classes="tool-dialog") as box:
            more = f" (1 of {self.waiting} waiting)" if self.waiting > 1 else ""
            box.border_title = f"{self.heading}{more}"
            yield Static(pretty_arguments(self.arguments), classes="tool-arguments", markup=False)
            yield Static(self.hint, classes="tool-hint", markup=False)
            yield from self.compose_answer()
        yield Footer()

    def compose_answer(self) -> ComposeResult:
        """The widgets that answer the request, under the hint."""
        raise NotImplementedError
