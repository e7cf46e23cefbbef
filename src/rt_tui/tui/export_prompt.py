"""Where an export goes: a dialog with the path to write, a sensible default filled in.

Every export of the app asks here first (the inspector's frames, the conversation as
Markdown). Enter takes the path as typed: `~` is the home folder, a relative path is
from the folder rt-tui was started in, and a folder gets the default's file name in it.
A file that exists is never replaced: the dialog says so and waits for another name.
Esc cancels; nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from rt_tui.realtime.errors import error_reason


def export_target(typed: str, default: Path, cwd: Path) -> Path | str:
    """The file `typed` names (see the module doc), or one sentence saying why it
    cannot be written."""
    text = typed.strip()
    if not text:
        return "Type where to write the file."
    try:
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = cwd / path
        if path.is_dir():
            path = path / default.name
        if path.exists():
            return f"{path} exists: type another name (an export never replaces a file)."
        for parent in path.parents:
            if parent.exists():
                if not parent.is_dir():
                    return f"{parent} is a file, not a folder."
                break
    except (OSError, RuntimeError) as error:  # RuntimeError: `~user` with no such user.
        reason = error_reason(error)
        return f"Cannot write to {text}: {reason}."
    return path


class ExportPrompt(ModalScreen[Path | None]):
    """Ask where an export goes; dismissed with the path to write, or None."""

    DEFAULT_CSS = """
    ExportPrompt { align: center middle; }
    ExportPrompt > #export-dialog {
        width: 90%;
        max-width: 110;
        height: auto;
        border: round $accent;
        padding: 0 1;
        background: $surface;
    }
    ExportPrompt #export-problem { color: $text-error; }
    ExportPrompt #export-hint { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel", tooltip="Write nothing"),
    ]

    def __init__(self, title: str, default: Path, *, cwd: Path | None = None) -> None:
        """`title` says what is exported ('Export the conversation as Markdown')."""
        super().__init__()
        self.title_text = title
        self.default = default
        self.cwd = cwd if cwd is not None else Path.cwd()

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog") as dialog:
            dialog.border_title = self.title_text
            yield Static(
                "Enter writes the file (a folder: this name in it); Esc cancels.",
                id="export-hint",
            )
            yield Input(str(self.default), id="export-path")
            yield Static("", id="export-problem", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        path = self.query_one("#export-path", Input)
        path.focus()
        path.cursor_position = len(path.value)

    @on(Input.Submitted, "#export-path")
    def _on_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        target = export_target(message.value, self.default, self.cwd)
        if isinstance(target, str):
            self.query_one("#export-problem", Static).update(target)
            return
        self.dismiss(target)

    @on(Input.Changed, "#export-path")
    def _on_changed(self) -> None:
        self.query_one("#export-problem", Static).update("")

    def action_cancel(self) -> None:
        self.dismiss(None)
