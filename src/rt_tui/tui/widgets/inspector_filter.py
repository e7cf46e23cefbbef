"""The inspector's filter: the text typed in its box (ctrl+f), the direction `d` cycles and
`e`'s errors only, each a change of the one `FrameFilter` the rows pass; and the rows
rebuilt for a new one.

Typing filters as it goes, once it pauses FILTER_DEBOUNCE seconds; Enter or Esc applies
what was typed and closes the box, the filter staying on (the status line says what it
is); backspace clears all of it. A new filter's rows are built at once in a short
session; over many frames, in slices with the loop free in between (the socket, the audio
and the keys wait for one slice at most), the old rows staying shown until they are done.

The inspector keeps the keys and the messages (`EventInspector.FilterChanged`), and hands
them here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from rt_tui.tui.widgets.filter_input import FilterInput
from rt_tui.tui.widgets.one_shot import call_after

if TYPE_CHECKING:
    from rt_tui.inspector.filtering import FrameFilter
    from rt_tui.tui.widgets.inspector import EventInspector

FILTER_DEBOUNCE = 0.15
"""A filter typed applies once typing pauses this long."""


class InspectorFilter:
    """The filter of `inspector`'s rows. `changed` asks for a repaint (the rows or what the
    status line says changed); `relayout` shares the height again (the box came or went)."""

    def __init__(
        self,
        inspector: EventInspector,
        *,
        changed: Callable[[], object],
        relayout: Callable[[], object],
    ) -> None:
        self._inspector = inspector
        self._changed = changed
        self._relayout = relayout
        self._typed: asyncio.TimerHandle | None = None
        """Applies what was typed once typing pauses."""

    @property
    def wanted(self) -> FrameFilter:
        """The filter asked for last (its rows may still be being built)."""
        return self._inspector.store.wanted_filter

    def set(self, frame_filter: FrameFilter, *, at_once: bool = False) -> None:
        """Show only the frames passing `frame_filter`: at once in a short session (or
        with `at_once`), else built in slices; the inspector then says it changed."""
        inspector = self._inspector
        store = inspector.store
        store.start_filter(frame_filter)
        if at_once or store.filter_step() or not inspector.is_mounted:
            store.finish_filter()
            self._filtered()
        else:
            inspector.run_worker(self._filter_in_slices(), group="filter", exclusive=True)
        self._changed()
        inspector.post_message(inspector.FilterChanged(inspector, frame_filter))

    async def _filter_in_slices(self) -> None:
        store = self._inspector.store
        done = False
        while not done:
            await asyncio.sleep(0)  # what waits on the loop runs between two slices
            done = store.filter_step()
        self._filtered()

    def _filtered(self) -> None:
        """The rows of the filter are shown: keep the selection, offer what fits them."""
        inspector = self._inspector
        if inspector.is_mounted:
            inspector.rows.resync_cursor()
            inspector.refresh_bindings()
        self._changed()

    def clear(self, *, at_once: bool = False) -> None:
        """Show every frame again (types, text, direction and errors only all cleared)."""
        self._cancel_typed()
        from rt_tui.inspector.filtering import FrameFilter  # Loaded by the store.

        self._box.value = ""
        self.set(FrameFilter(), at_once=at_once)

    def cycle_direction(self) -> None:
        """Show all → sent only → received only → all."""
        current = self.wanted
        self.set(replace(current, direction=current.direction.next()))
        self._inspector.notify(f"Showing {current.direction.next().value} frames.", timeout=2)

    def toggle_errors(self) -> None:
        """Show only errors (error events, failed responses, malformed frames) or everything."""
        current = self.wanted
        self.set(replace(current, errors_only=not current.errors_only))

    # -- the box -----------------------------------------------------------------------

    @property
    def _box(self) -> FilterInput:
        return self._inspector.query_one(FilterInput)

    def show_box(self) -> None:
        """Show the filter box and type into it."""
        box = self._box
        box.add_class("-shown")
        box.focus()
        self._relayout()

    def typed(self) -> None:
        """The box's text changed: it applies once typing pauses."""
        self._cancel_typed()
        self._typed = call_after(self._inspector, FILTER_DEBOUNCE, self._apply_query)

    def submitted(self) -> None:
        """Enter or Esc in the box: what it holds applies now, and the box closes."""
        self._cancel_typed()
        self._apply_query()
        # The box closes; the filter stays on, and the status line says what it is.
        self._box.remove_class("-shown")
        self._inspector.rows.focus()
        self._relayout()

    def _apply_query(self) -> None:
        query = self._box.value
        current = self.wanted
        if query != current.query:
            self.set(replace(current, query=query))

    def _cancel_typed(self) -> None:
        if self._typed is not None:
            self._typed.cancel()
