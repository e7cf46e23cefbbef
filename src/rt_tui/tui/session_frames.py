"""The live session's frames on their way to the screen: gathered until the screen's next
repaint beat, then handed to everything that shows them, in order, once for all of them.

The worker's `FrameFeed` posts a `FrameBatch` and keeps adding the frames that follow to it
until it is taken; the batches wait in a `FrameIntake` for the beat (`RepaintBeat`, shared
with both panes), so a stream costs one message and one screen update a beat however fast
its frames come. What the worker says about the session itself (connected, lost, resumed,
ended) comes after the frames it sent before: `LiveSession` takes what waits first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rt_tui.realtime.response_events import DeltaEvent
from rt_tui.tool_answers.mcp_notes import mcp_lines
from rt_tui.tui.frame_batches import fold_frames
from rt_tui.tui.frame_intake import FrameIntake
from rt_tui.tui.messages import FrameBatch

if TYPE_CHECKING:
    from rt_tui.tui.screens.main import MainScreen
    from rt_tui.tui.worker import Session


class SessionFrames:
    """The frames the current session's worker posted, taken on the screen's beat."""

    def __init__(
        self,
        screen: MainScreen,
        current: Callable[[], Session],
        opened: Callable[[dict[str, Any]], object],
    ) -> None:
        self._screen = screen
        self._current = current
        """The handle of the session whose frames are shown (a replaced one's are not)."""
        self._opened = opened
        """Called with what the server said of a session once it is created."""
        self._arrived = FrameIntake(on_settled=screen.beat.hurry, on_full=self._flooded)

    def add(self, batch: FrameBatch) -> None:
        """A batch the worker posted: taken on the next beat, with the frames that join it
        meanwhile."""
        if batch.source is not self._current():
            return  # Still queued from a session that was replaced.
        self._arrived.add(batch)
        self._screen.beat.request(self.take)

    def _flooded(self) -> None:
        """A flood (FULL_BYTES or FULL_FRAMES within a beat): take it now, and paint less
        often while it lasts."""
        self._screen.beat.slow_down()
        self.take()

    def take(self) -> None:
        """The frames that arrived since the last beat: into the inspector and the reducer,
        in order; each pane and the status bar then catch up once for all of them."""
        frames = self._arrived.take(self._current())
        if not frames:
            return
        screen = self._screen
        engine = screen.engine
        screen.inspector.add_frames(frames)
        # Deltas, the bulk of a stream, make no notice: only the other frames are read.
        others = [frame for frame in frames if not isinstance(frame.event, DeltaEvent)]
        for line in engine.voice_events.lines(others):
            screen.pane.add_notice(line, voice=True)
        for line in mcp_lines(others):
            screen.pane.add_notice(line)
        conversation = engine.conversation
        had_session = conversation.session is not None
        change = fold_frames(
            conversation, frames, lambda run: screen.pane.show_change(conversation, run)
        )
        if not had_session and conversation.session is not None:
            self._opened(conversation.session)
        if change.totals or change.responses or change.rate_limits:
            screen.status.show_usage(conversation)
        if change.totals:
            self._warn_over_budget()
        if change.responses:
            tools = screen.context.config.session.tools
            engine.tool_calls.responses_finished(conversation, change.responses, tools)
        if change.totals or change.responses:
            screen.set_responding(conversation.active_response_id is not None, hold=True)

    def _warn_over_budget(self) -> None:
        """Say it, once a session, when the session's cost passes `[cost] budget_usd`."""
        screen = self._screen
        engine = screen.engine
        conversation = engine.conversation
        counts = conversation.totals.counts
        warning = engine.costs.budget_warning(counts, conversation.session, screen.status.model)
        if warning is not None:
            # No markup: the warning names the config's [cost] section.
            screen.notify(warning, title="Budget", severity="warning", timeout=10, markup=False)
