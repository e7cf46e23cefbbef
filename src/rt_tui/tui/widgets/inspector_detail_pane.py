"""The inspector's detail pane: showing the selected frame's JSON under the rows, sharing
the height between the two, and `z` zooming the detail to the whole inspector and back.

`EventInspector` calls these with itself; they only touch its rows, detail and filter box.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from rt_tui.inspector.detail import row_detail
from rt_tui.tui.widgets.frame_rows import FilterInput

if TYPE_CHECKING:
    from rt_tui.tui.widgets.inspector import EventInspector

ZOOM_BINDING = Binding(
    "z",
    "toggle_zoom",
    "Zoom",
    id="inspector.toggle_zoom",
    tooltip="Zoom the event's JSON to the whole inspector and back",
)


def detail_height(available: int) -> int:
    """How many of `available` lines the detail gets: 60%, at least 8 while the rows
    keep 3, and never all of them (one row stays in view)."""
    if available <= 1:
        return 0
    wanted = max(round(available * 0.6), min(8, available - 3))
    return min(wanted, available - 1)


def show_detail(inspector: EventInspector, row: int | None) -> None:
    """Show the JSON of view row `row`, or hide the detail (and unzoom) for None."""
    detail = inspector.detail
    if row is None:
        detail.remove_class("-shown")
        detail.detail = None
        if inspector.has_class("-zoomed"):
            set_zoom(inspector, False)
        layout_split(inspector)
        return
    detail.add_class("-shown")
    detail.show(row_detail(inspector.store, row))
    layout_split(inspector)


def layout_split(inspector: EventInspector) -> None:
    """Share the height between rows and detail (the detail gets a usable part)."""
    rows = inspector.rows
    detail_shown = inspector.detail.has_class("-shown")
    if not detail_shown or inspector.has_class("-zoomed") or rows.is_maximized:
        rows.styles.height = "1fr"
    else:
        filter_box = inspector.query_one(FilterInput)
        shown_filter = 3 if filter_box.has_class("-shown") else 0
        available = inspector.content_region.height - 1 - shown_filter
        rows.styles.height = max(1, available - detail_height(available))


def toggle_zoom(inspector: EventInspector) -> None:
    """Let the selected frame's detail fill the inspector, or bring the rows back."""
    if not inspector.has_class("-zoomed") and not inspector.detail.has_class("-shown"):
        inspector.notify("Select a frame to zoom into first.", severity="warning", timeout=3)
        return
    set_zoom(inspector, not inspector.has_class("-zoomed"))


def set_zoom(inspector: EventInspector, zoomed: bool) -> None:
    """Zoom in or out, moving the focus to whichever of rows and detail stays shown."""
    focus_rows = inspector.rows.has_focus
    inspector.set_class(zoomed, "-zoomed")
    if zoomed and focus_rows:
        inspector.detail.focus()
    elif not zoomed and inspector.detail.has_focus:
        inspector.rows.focus()
    layout_split(inspector)
