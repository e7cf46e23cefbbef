"""The inspector's detail panel: one frame's JSON, pretty-printed and coloured.

A Line API view: only the lines in view are coloured and drawn, so a frame of megabytes
costs no more to show than a short one. The body is split into lines and each line is
soft-wrapped to the width as offsets only (`soft_wrap`); a line is highlighted when it
first comes into view (pretty JSON has no token across lines, so a line colours alone).

A huge body is shown cut (`cut_body`) with a last line that says how much is left out;
`show_whole` shows all of it.
"""

from __future__ import annotations

from typing import ClassVar

from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from rt_tui.inspector.detail import Detail, cut_body, size_text, soft_wrap

WHOLE_KEY = "w"
"""The key that shows a cut body whole (an inspector binding; the note names it)."""

_TITLE, _NOTE = -1, -2
"""Row sources that are not lines of the body."""


class JsonView(ScrollView, can_focus=True):
    """A scrollable title + JSON body. Colours come from the theme (Textual's highlighter)."""

    ALLOW_MAXIMIZE = True
    """'Maximize' in the palette shows a long frame on the whole screen."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"json-view--title", "json-view--note"}
    DEFAULT_CSS = """
    JsonView {
        height: auto;
        background: $surface;
        padding: 0 1;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    JsonView > .json-view--title {
        color: $text-muted;
        text-style: bold;
    }
    JsonView > .json-view--note {
        color: $text-warning;
        text-style: italic;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.detail: Detail | None = None
        self.whole = False
        """Whether the body is shown whole however long it is."""
        self.left_out = 0
        """Characters of the body not shown (it was cut); 0 when it is whole."""
        self._lines: list[str] = []
        """The shown part of the body, one entry per line."""
        self._note = ""
        self._rows: list[tuple[int, int, int, int]] = []
        """What each row of the view shows: (source, start, end, indent), where source is
        the index of a body line, or _TITLE / _NOTE."""
        self._wrapped_at = -1
        self._coloured: LRUCache[int, Content] = LRUCache(256)
        self._strips: LRUCache[tuple[int, int], Strip] = LRUCache(256)

    # -- what is shown ---------------------------------------------------------------------

    def show(self, detail: Detail, *, whole: bool = False) -> None:
        """Show `detail` (cut if huge, unless `whole`); the view goes back to the top when
        its title is new."""
        if detail == self.detail and whole == self.whole:
            return
        changed_title = self.detail is None or detail.title != self.detail.title
        self.detail, self.whole = detail, whole
        body, self.left_out = (detail.body, 0) if whole else cut_body(detail.body)
        self._lines = body.split("\n")
        self._note = (
            f"… {size_text(self.left_out)} more, {size_text(len(detail.body))} in all: "
            f"{WHOLE_KEY} shows all of it"
            if self.left_out
            else ""
        )
        self._coloured.clear()
        self._wrapped_at = -1
        self._wrap()
        if changed_title:
            self.scroll_home(animate=False, immediate=True)

    def clear(self) -> None:
        """Show nothing (the next `show` draws afresh)."""
        self.detail, self.whole, self.left_out = None, False, 0
        self._lines, self._note = [], ""
        self._wrapped_at = -1
        self._wrap()

    def show_whole(self) -> None:
        """Show all of the body of a detail that was cut."""
        if self.detail is not None:
            self.show(self.detail, whole=True)

    @property
    def text(self) -> str:
        """The plain text shown (for tests and copying): title, body, and the note when the
        body is cut."""
        if self.detail is None:
            return ""
        parts = [self.detail.title, *self._lines, *([self._note] if self._note else [])]
        return "\n".join(parts)

    # -- layout ------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._wrap()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def _wrap(self) -> None:
        """Cut the lines into rows that fit the width (offsets only, nothing rendered)."""
        # The vertical scrollbar may appear once the body is laid out: leave it room.
        width = self.content_region.width - 1
        if width == self._wrapped_at or (width <= 0 and self.detail is not None):
            return
        self._wrapped_at = width
        rows: list[tuple[int, int, int, int]] = []
        if self.detail is not None and width > 0:
            title = self.detail.title
            rows += [(_TITLE, s, e, i) for s, e, i in soft_wrap(title, width)] if title else []
            for n, line in enumerate(self._lines):
                rows += [(n, s, e, i) for s, e, i in soft_wrap(line, width)]
            if self._note:
                rows += [(_NOTE, s, e, i) for s, e, i in soft_wrap(self._note, width)]
        self._rows = rows
        self._strips.clear()
        self.virtual_size = Size(width, len(rows))
        self.refresh()

    # -- drawing -----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_offset.y) + y
        if index >= len(self._rows):
            return Strip.blank(width, self.rich_style)
        key = (index, width)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips[key] = self._render_row(index, width)
        return strip

    def _render_row(self, index: int, width: int) -> Strip:
        source, start, end, indent = self._rows[index]
        if source == _TITLE:
            assert self.detail is not None
            text = self.detail.title[start:end]
            content = Content.styled(text, self.get_visual_style("json-view--title"))
        elif source == _NOTE:
            text = self._note[start:end]
            content = Content.styled(text, self.get_visual_style("json-view--note"))
        else:
            content = self._colour(source)[start:end]
        if indent:
            content = Content(" " * indent) + content
        strips = Visual.to_strips(self, content, width, 1, self.visual_style, pad=True)
        return strips[0] if strips else Strip.blank(width, self.rich_style)

    def _colour(self, line: int) -> Content:
        """Body line `line`, highlighted as JSON when the body is JSON."""
        content = self._coloured.get(line)
        if content is None:
            text = self._lines[line]
            if self.detail is not None and self.detail.language == "json":
                # Imported with the first detail shown (Pygments): the first frame has none.
                from textual.highlight import highlight

                content = highlight(text, language="json")
            else:
                content = Content(text)
            self._coloured[line] = content
        return content
