"""The live session's lifecycle: connect, drop, retry, resume, fresh session, countdown.

The main screen holds one `LiveSession` and routes to it what the connection worker posts
(its `FrameBatch`es, `LinkChanged`, `SessionLost`, `SessionResumed`, the recording messages
and the worker's state changes); the screen keeps the composer, the replay and the keys.
The frames wait for the screen's repaint beat (`SessionFrames`), and what the worker says
of the session is handled after the frames it sent before; the screen's `Voice` observes
every socket's frames as they arrive (`ConnectPlan.observers`).

One conversation outlives its sessions: when one is lost (the worker retries it), replaced
(ctrl+r) or renewed before the time limit (ctrl+n, `[reconnect] auto_renew`), what was
cut off is marked interrupted and the new session is given the conversation so far
(`resume`). Each worker has its own `Session` handle, so nothing the old one posts, and no
response id or timer of the old session, reaches the new one.

One log outlives them too (`SessionLog`): the app run records every socket to it, marks
where a new one took over, and the conversation and the inspector show that mark. The
line a loss starts in the conversation says how the retries go and ends, in place, as the
record of what happened ("… Reconnected after 3.2 s; re-sent 4 earlier turns.").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.timer import Timer
from textual.worker import Worker, WorkerState

from rt_tui.dialect import Dialect
from rt_tui.realtime import client_events
from rt_tui.realtime.socket_mark import FRESH, RECONNECT
from rt_tui.tui import jobs
from rt_tui.tui.link_notes import fix_hint, limit_warning, lost_text, socket_note
from rt_tui.tui.messages import (
    FrameBatch,
    LinkChanged,
    LinkState,
    RecordingFailed,
    RecordingStarted,
    SessionLost,
    SessionResumed,
)
from rt_tui.tui.session_frames import SessionFrames
from rt_tui.tui.widgets.status import LIMIT_NEAR_S, LIMIT_URGENT_S
from rt_tui.tui.worker import ConnectPlan, Opening, Session, SessionLog, run_connection

if TYPE_CHECKING:
    from rt_tui.tui.context import AppContext
    from rt_tui.tui.screens.main import MainScreen
    from rt_tui.tui.widgets.conversation_blocks import LineBlock

NOT_CONFIGURED_HINT = "Nothing is configured: press F2 to open the settings."
"""What the status bar and a message sent too early say when no connection is set up."""


class LiveSession:
    """The screen's connection: the worker, its `Session` handle, the dialect, the time
    limit's timers; it says in the status bar and the conversation how the link stands."""

    def __init__(self, screen: MainScreen, context: AppContext) -> None:
        self._screen = screen
        self._context = context
        self.session = Session()
        """The handle the screen sends through; replaced with each worker."""
        self.dialect = Dialect.GA
        self.worker: Worker[None] | None = None
        self._fresh = False
        """The session being opened was asked for as a fresh one (ctrl+n, auto-renew)."""
        self._limit_timers: list[Timer] = []
        """The current session's warnings (and renewal) before the time limit."""
        self.setup_problem: str | None = None
        """Why the last connect could not start (nothing or a broken profile configured)."""
        self._log: SessionLog | None = None
        """The app run's one log, opened with the first connect."""
        self.secrets: tuple[str, ...] = ()
        """The live endpoint's secrets, scrubbed from what is kept of the sent events."""
        self._lost: tuple[str, LineBlock] | None = None
        """Why the session was lost, and the conversation's line saying it, until a new
        socket takes over or the retries end."""
        self.frames = SessionFrames(screen, lambda: self.session, self._session_opened)
        """The current session's frames, waiting for the screen's next beat."""

    @property
    def retrying(self) -> bool:
        """A lost session is being opened again by the worker."""
        return self._screen.status.state is LinkState.RECONNECTING

    # --- opening ----------------------------------------------------------------------

    def connect(self, *, resuming: bool = False) -> None:
        """Work out where to connect and start the worker (replacing any running one);
        `resuming`: the new session is given the conversation so far."""
        context, screen = self._context, self._screen
        target = context.target()
        self.setup_problem = target.problem
        if target.problem:
            from rt_tui.targets import NOTHING_CONFIGURED

            nothing = target.problem == NOTHING_CONFIGURED
            detail = NOT_CONFIGURED_HINT if nothing else target.problem
            screen.status.set_link(LinkState.IDLE, detail=detail)
            screen.open_settings(notice=target.problem)
            return
        reconnect = context.config.reconnect
        plan = ConnectPlan(
            target=target,
            log=self._session_log(),
            retry=reconnect,
            resume=self.resume,
            resuming=resuming,
            cause=FRESH if self._fresh else RECONNECT,
            observers=(screen.engine.voice.observe,),
        )
        screen.status.session_limit_s = reconnect.session_limit_s
        self._stop_limit_timers()
        self.dialect = target.dialect
        if target.endpoint is not None:
            # The key may be echoed back (an error quoting it): the inspector hides it.
            self.secrets = tuple(target.endpoint.secret_values())
            screen.inspector.set_secrets(self.secrets)
        # What waited for the old socket (typed while it was down) waits for the new one.
        self.session.retire()
        self.session = Session(self.session.waiting)
        self.worker = jobs.start(
            screen,
            jobs.CONNECTION,
            run_connection(
                plan,
                self.session,
                screen.post_message,
                clock=context.clock,
                wall_clock=context.wall_clock,
                id_factory=context.id_factory,
            ),
        )

    def resume(self) -> Opening:
        """What a new session is sent first: the session settings, then the conversation so
        far (the newest `[reconnect] reseed_turns` items). Called by the worker once the
        new socket is open."""
        from rt_tui.realtime.reseed import reseed  # not for the first frame

        config = self._context.config
        conversation = self._screen.conversation
        seed = reseed(conversation.items, config.reconnect.reseed_turns, self.dialect)
        conversation.expect_reseeded(seed.item_ids)
        events = [client_events.session_update(config.session, self.dialect), *seed.events]
        return Opening(events, seed.item_ids)

    def reconnect(self, *, fresh: bool = False) -> None:
        """Open a new session now and give it the conversation so far (what streamed is
        cut off and marked interrupted); `fresh`: asked for before the time limit."""
        self._fresh = fresh
        self.interrupt()
        self.connect(resuming=True)

    def stop_retrying(self) -> bool:
        """Cancel the worker's retries, if it is retrying; whether it was."""
        if self.retrying and self.worker is not None:
            self.worker.cancel()
            return True
        return False

    def refusal(self) -> str | None:
        """Why a message can be neither sent nor queued now, in one sentence; None if it
        can (typed while a session opens or is being opened again, it waits for it)."""
        problem = self.setup_problem
        if problem is not None:
            from rt_tui.targets import NOTHING_CONFIGURED

            if problem == NOTHING_CONFIGURED:
                problem = NOT_CONFIGURED_HINT
            else:
                problem = f"{problem.rstrip('.')}: press F2 to open the settings."
            return f"{problem} Nothing was sent (Up brings it back)."
        opening = self._screen.status.state in (LinkState.RECONNECTING, LinkState.CONNECTING)
        if not self.session.connected and not opening:
            return (
                "Not connected, so nothing was sent: press ctrl+r to reconnect "
                "(Up brings the message back)."
            )
        return None

    def _session_opened(self, server_session: dict[str, Any]) -> None:
        """The server said how the new session is set up (`session.created`): if that is
        not what the settings ask for, they are sent."""
        settings = self._context.config.session
        if client_events.session_update_needed(settings, server_session):
            self.session.send(client_events.session_update(settings, self.dialect))

    def send_settings(self) -> bool:
        """Send the session settings to the session that is open (or opening); False if
        there is none, and a new one is needed to apply them."""
        if self._screen.status.state not in (LinkState.CONNECTING, LinkState.CONNECTED):
            return False
        self.session.send(client_events.session_update(self._context.config.session, self.dialect))
        return True

    def _session_log(self) -> SessionLog:
        """The app run's log (opened on the first frame; `--log`, or a new file)."""
        if self._log is None:
            from rt_tui.realtime.recorder import SessionRecorder, new_session_path

            context, screen = self._context, self._screen
            path = context.log_path or new_session_path(context.sessions_dir)

            def failed(reason: str) -> None:
                screen.post_message(RecordingFailed(path, reason))

            self._log = SessionLog(SessionRecorder(path, on_failure=failed))
        return self._log

    def close(self) -> None:
        """Write out and close the log (the screen goes away)."""
        if self._log is not None:
            self._log.recorder.close()

    # --- losing -----------------------------------------------------------------------

    def interrupt(self) -> None:
        """The session is gone: what streamed is cut off, and its usage was its own."""
        from rt_tui.realtime.reseed import end_socket

        self.frames.take()  # What the session said before it went comes first.
        screen = self._screen
        conversation = screen.conversation
        change = end_socket(conversation)
        screen.pane.show_change(conversation, change)
        screen.status.clear_usage()
        screen.engine.costs.budget.restart()
        screen.set_responding(False)

    def _unsent_note(self) -> str:
        """What waits unsent, said so the user knows it was not lost."""
        waiting = len(self.session.waiting)
        if not waiting:
            return ""
        return f" {waiting} queued event(s) were not sent yet: ctrl+r reconnects and sends them."

    def _stopped_retrying(self) -> None:
        """The user stopped the retries (Esc)."""
        screen = self._screen
        if screen.status.state not in (LinkState.RECONNECTING, LinkState.CONNECTING):
            return
        text = "Stopped reconnecting: ctrl+r opens a new session."
        screen.status.set_link(LinkState.CLOSED, detail=text)
        self._settle_lost(text + self._unsent_note())

    def _settle_lost(self, text: str) -> None:
        """End the line a loss started with `text` (after its reason), or say `text` on a
        line of its own when nothing was lost."""
        pane = self._screen.pane
        if self._lost is None:
            pane.add_notice(text)
            return
        reason, notice = self._lost
        self._lost = None
        pane.update_notice(notice, f"{reason} {text}")

    # --- the time limit ---------------------------------------------------------------

    def _stop_limit_timers(self) -> None:
        for timer in self._limit_timers:
            timer.stop()
        self._limit_timers = []

    def _start_limit_timers(self) -> None:
        """Warn 5 minutes and 1 minute before the session's time limit; with `auto_renew`,
        open a fresh session a minute before it."""
        self._stop_limit_timers()
        screen = self._screen
        reconnect = self._context.config.reconnect
        limit = reconnect.session_limit_s
        for left in (LIMIT_NEAR_S, LIMIT_URGENT_S):
            if limit > left:
                self._limit_timers.append(
                    screen.set_timer(limit - left, lambda left=left: self._warn_limit(left))
                )
        if reconnect.auto_renew and limit > LIMIT_URGENT_S:
            # With the last warning; a limit under a minute would renew without end.
            self._limit_timers.append(screen.set_timer(limit - LIMIT_URGENT_S, self._auto_renew))

    def _warn_limit(self, seconds_left: float) -> None:
        urgent = seconds_left <= LIMIT_URGENT_S
        self._screen.notify(
            limit_warning(seconds_left),
            title="Session time limit",
            severity="error" if urgent else "warning",
            timeout=10,
        )

    async def _auto_renew(self) -> None:
        self._screen.pane.add_notice("The session nears its time limit: opening a fresh one.")
        self.reconnect(fresh=True)

    # --- what the worker posts --------------------------------------------------------

    def on_frames(self, message: FrameBatch) -> None:
        """A batch of the live session's frames: shown on the screen's next beat."""
        self.frames.add(message)

    def on_link(self, message: LinkChanged) -> None:
        if message.source is not self.session:
            return
        self.frames.take()  # What the session said before comes first.
        screen = self._screen
        if message.dialect is not None:
            self.dialect = message.dialect
        retry_text = f"try {message.attempt} of {message.tries}" if message.attempt else ""
        screen.status.set_link(
            message.state,
            host=message.host,
            dialect=message.dialect,
            model=message.model,
            detail=message.detail,
            retry_at=message.retry_at,
            retry_text=retry_text,
        )
        screen.pane.set_link(message.state, message.host, message.model)
        if message.state is LinkState.RECONNECTING and self._lost is not None:
            reason, notice = self._lost
            screen.pane.update_notice(notice, lost_text(reason, message.attempt, message.tries))
        if message.state is LinkState.CONNECTED:
            self._start_limit_timers()
        elif message.state is LinkState.CLOSED:
            self._stop_limit_timers()
            screen.notify(message.detail, title="Session closed", severity="warning", markup=False)
        screen.refresh_bindings()  # Esc stops the retries only while they run.

    def on_lost(self, message: SessionLost) -> None:
        """The worker lost the socket and will retry: say why, mark what was cut off."""
        if message.source is not self.session:
            return
        self._stop_limit_timers()
        self.interrupt()  # After what the session said before it was lost.
        text = lost_text(message.reason)
        self._lost = (message.reason, self._screen.pane.add_notice(text))
        self._screen.notify(
            text, title="Connection lost", severity="warning", timeout=5, markup=False
        )

    def on_resumed(self, message: SessionResumed) -> None:
        """A new socket took over: the inspector marks it, the conversation records it."""
        if message.source is not self.session:
            return
        self.frames.take()  # What the old socket said comes before the new one's mark.
        screen = self._screen
        self._fresh = False
        screen.inspector.add_mark(message.mark)
        text = socket_note(message.mark)
        if self._lost is None:
            screen.pane.add_notice(text)
        else:
            screen.pane.update_notice(self._lost[1], text)
            self._lost = None
        screen.notify(text, title="Session", timeout=4, markup=False)

    def on_recording(self, message: RecordingStarted) -> None:
        self._screen.status.set_log_path(message.path)
        self._screen.notify(
            f"Recording this session to {message.path}", title="Session log", markup=False
        )

    def on_recording_failed(self, message: RecordingFailed) -> None:
        self._screen.status.set_log_stopped()
        self._screen.notify(
            f"Cannot write the session log {message.path} ({message.reason}); "
            "the rest of this session is not recorded.",
            title="Session log",
            severity="error",
            markup=False,
        )

    def on_worker_state(self, event: Worker.StateChanged) -> None:
        """The connection worker's state changed: a failure is said, with what to fix."""
        if event.worker is not self.worker:
            return  # A replaced session's worker.
        self.frames.take()  # What the session said before it ended comes first.
        if event.state is WorkerState.CANCELLED:
            self._stopped_retrying()
            return
        screen = self._screen
        failure = jobs.notify_failure(screen, event)
        if failure is None:
            return
        self._stop_limit_timers()
        hint = fix_hint(event.worker.error)
        if hint is not None:
            failure = f"{failure} {hint}"
            screen.notify(hint, title="What to fix", severity="error", timeout=15, markup=False)
        screen.status.set_link(LinkState.FAILED, detail=failure)
        screen.pane.set_link(LinkState.FAILED)  # Not "Connecting…"/"Connected" any more.
        self._settle_lost(failure + self._unsent_note())
        self.interrupt()
