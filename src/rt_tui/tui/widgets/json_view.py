"""The inspector's detail panel: one frame's JSON, pretty-printed and coloured."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.highlight import highlight
from textual.widgets import Static

from rt_tui.inspector.detail import Detail, soft_wrap


def wrap_content(content: Content, width: int) -> Content:
    """`content` with every line longer than `width` soft-wrapped, keeping its indent."""
    if width <= 0 or all(len(line) <= width for line in content.plain.split("\n")):
        return content
    lines: list[Content] = []
    for line in content.split("\n", allow_blank=True):
        for start, end, indent in soft_wrap(line.plain, width):
            piece = line[start:end]
            lines.append(Content(" " * indent) + piece if indent else piece)
    return Content("\n").join(lines)


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
        width: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.detail: Detail | None = None
        self._body = Content("")
        self._wrapped_at = -1

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
        self._body = (
            highlight(detail.body, language="json")
            if detail.language == "json"
            else Content(detail.body)
        )
        self._wrapped_at = -1
        self._wrap_body()
        if changed_title:
            self.scroll_home(animate=False)

    def on_resize(self) -> None:
        self._wrap_body()

    def _wrap_body(self) -> None:
        """Fit the body to the width: long lines (a long "text") wrap, indented."""
        # The vertical scrollbar may appear once the body is laid out: leave it room.
        width = self.content_region.width - 1
        if width <= 0 or width == self._wrapped_at:
            return
        self._wrapped_at = width
        self.query_one("#json-body", Static).update(wrap_content(self._body, width))

    @property
    def text(self) -> str:
        """The plain text shown (for tests and copying)."""
        if self.detail is None:
            return ""
        return f"{self.detail.title}\n{self.detail.body}"
