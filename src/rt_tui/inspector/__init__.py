"""The event inspector's Textual-free parts: frame store, filter, summaries, detail, export."""

from rt_tui.inspector.detail import Detail, row_detail
from rt_tui.inspector.filtering import DirectionFilter, FrameFilter
from rt_tui.inspector.records import Row
from rt_tui.inspector.store import FrameStore

__all__ = ["Detail", "DirectionFilter", "FrameFilter", "FrameStore", "Row", "row_detail"]
