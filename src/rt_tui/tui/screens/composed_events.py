"""The event composer (F5) as the main screen opens it: its templates filled with the
session's ids, the events sent by hand before (this session's and earlier ones, kept in the
data folder), and the draft it held when it was last closed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rt_tui import paths

if TYPE_CHECKING:
    from rt_tui.event_composer.history import SentHistory
    from rt_tui.tui.screens.event_composer import ComposerOutcome
    from rt_tui.tui.screens.main import MainScreen


class ComposedEvents:
    """What the event composer needs between openings, for `screen`."""

    def __init__(self, screen: MainScreen) -> None:
        self._screen = screen
        self._history: SentHistory | None = None
        self._draft = ""
        """What the event composer held when it was last closed."""

    @property
    def history(self) -> SentHistory:
        """The events sent by hand (the composer, /raw), read from the data folder when
        first needed."""
        if self._history is None:
            from rt_tui.event_composer.history import HISTORY_FILE, SentHistory

            path = paths.data_dir() / HISTORY_FILE
            limit = self._screen.context.config.composer.history_size
            self._history = SentHistory(path, limit)
        return self._history

    def open(self) -> None:
        """Open the event composer, its templates filled with this session's ids."""
        from rt_tui.event_composer.templates import session_ids, templates
        from rt_tui.tui.screens.event_composer import EventComposerScreen

        screen = self._screen
        config, dialect = screen.context.config, screen.dialect
        composer = EventComposerScreen(
            dialect=dialect,
            templates=templates(dialect, session_ids(screen.conversation), config.session),
            snippets=config.composer.snippets,
            sent=self.history.texts,
            draft=self._draft,
            env=screen.context.env,
        )
        screen.app.push_screen(composer, self._composed)

    def _composed(self, outcome: ComposerOutcome | None) -> None:
        if outcome is None:
            return
        self._draft = outcome.text
        if outcome.send:
            from rt_tui.tui.submitted import send_raw_frame  # loads with the first send

            send_raw_frame(self._screen, outcome.text)
