"""The inspector's detail panel: one frame's JSON, pretty-printed and coloured."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.highlight import highlight
from textual.widgets import Static

from rt_tui.tui.inspector.detail import Detail


class JsonView(VerticalScroll, can_focus=True):
    """A scrollable title + JSON body. Colours come from the theme (Textual's highlighter)."""

    ALLOW_MAXIMIZE = True
    """'Maximize' in the palette shows a long frame on the whole screen."""

    DEFAULT_CSS = """
    JsonView {
        height: auto;
        background: $surface;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    JsonView > #json-title {
        color: $text-muted;
        text-style: bold;
    }
    JsonView > #json-body {
        width: auto;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.detail: Detail | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="json-title", markup=False)
        yield Static(id="json-body", markup=False)

    def show(self, detail: Detail) -> None:
        """Show `detail` (the scroll position goes back to the top when it is new)."""
        if detail == self.detail:
            return
        changed_title = self.detail is None or detail.title != self.detail.title
        self.detail = detail
        self.query_one("#json-title", Static).update(Content(detail.title))
        body = (
            highlight(detail.body, language="json")
            if detail.language == "json"
            else Content(detail.body)
        )
        self.query_one("#json-body", Static).update(body)
        if changed_title:
            self.scroll_home(animate=False)

    @property
    def text(self) -> str:
        """The plain text shown (for tests and copying)."""
        if self.detail is None:
            return ""
        return f"{self.detail.title}\n{self.detail.body}"
