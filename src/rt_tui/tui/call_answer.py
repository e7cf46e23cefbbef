"""The dialog that answers a function call by hand: the call's name and streamed
arguments above, the output typed below.

The output must be JSON (what the model expects of a tool); Enter sends it, a typing
mistake is said under the field with its column, and Esc leaves the call waiting
(`/output` reopens the dialog).
"""

from __future__ import annotations

import json
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Static

from rt_tui.tool_answers.desk import PendingCall
from rt_tui.tui.tool_dialog import ToolDialog


def output_problem(text: str) -> str | None:
    """Why `text` cannot be sent as a call's output (it must be JSON), or None."""
    if not text.strip():
        return 'Type the output as JSON, e.g. {"ok": true}.'
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return f"Not JSON: {error.msg} at column {error.colno}."
    return None


class CallAnswerDialog(ToolDialog[str | None]):
    """Answer one function call; dismissed with the output (JSON text), or None."""

    DEFAULT_CSS = """
    CallAnswerDialog #call-problem { color: $text-error; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Later", id="call.cancel", tooltip="Leave the call waiting"),
    ]
    BOX_ID = "call-dialog"

    def __init__(self, call: PendingCall, waiting: int = 1) -> None:
        """`waiting`: how many calls wait for the user, this one included."""
        super().__init__(
            heading=f"ƒ {call.name}  call {call.call_id}",
            arguments=call.arguments,
            hint="Type the output (JSON); Enter sends it. Esc leaves the call waiting "
            "(/output reopens this).",
            waiting=waiting,
        )
        self.call = call

    def compose_answer(self) -> ComposeResult:
        yield Input(id="call-output", placeholder='{"result": …}')
        yield Static("", id="call-problem", markup=False)

    def on_mount(self) -> None:
        self.query_one("#call-output", Input).focus()

    @on(Input.Submitted, "#call-output")
    def _on_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        problem = output_problem(message.value)
        if problem is not None:
            self.query_one("#call-problem", Static).update(problem)
            return
        self.dismiss(message.value.strip())

    @on(Input.Changed, "#call-output")
    def _on_changed(self) -> None:
        self.query_one("#call-problem", Static).update("")

    def action_cancel(self) -> None:
        self.dismiss(None)
