"""The dialog that answers an MCP server's approval request: the server, the tool and the
arguments it would be called with, then approve or deny.

The answer goes out as an `mcp_approval_response` item; Esc leaves the request waiting
(`/output` reopens the dialog).
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Button

from rt_tui.tool_answers.desk import PendingApproval
from rt_tui.tui.tool_dialog import ToolDialog


class McpApprovalDialog(ToolDialog[bool | None]):
    """Approve or deny one MCP call; dismissed with True, False, or None (later)."""

    DEFAULT_CSS = """
    McpApprovalDialog > .tool-dialog { border: round $warning; }
    McpApprovalDialog #approval-buttons { height: auto; margin-top: 1; }
    McpApprovalDialog #approval-buttons Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "approve", "Approve", id="approval.approve", tooltip="Let the call run"),
        Binding("d", "deny", "Deny", id="approval.deny", tooltip="Keep the call from running"),
        Binding(
            "escape",
            "later",
            "Later",
            id="approval.later",
            tooltip="Leave the request waiting",
        ),
    ]
    BOX_ID = "approval-dialog"

    def __init__(self, ask: PendingApproval, waiting: int = 1) -> None:
        """`waiting`: how many calls and requests wait for the user, this one included."""
        super().__init__(
            heading=f"⚙ MCP {ask.server_label} · {ask.name} asks to run",
            arguments=ask.arguments,
            hint=f"The MCP server {ask.server_label} wants to run {ask.name} with these "
            "arguments. a approves, d denies; Esc leaves it waiting (/output reopens this).",
            waiting=waiting,
        )
        self.ask = ask

    def compose_answer(self) -> ComposeResult:
        with Horizontal(id="approval-buttons"):
            yield Button("Approve (a)", id="approve", variant="success", compact=True)
            yield Button("Deny (d)", id="deny", variant="error", compact=True)

    def on_mount(self) -> None:
        self.query_one("#approve", Button).focus()

    @on(Button.Pressed, "#approve")
    def action_approve(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#deny")
    def action_deny(self) -> None:
        self.dismiss(False)

    def action_later(self) -> None:
        self.dismiss(None)
