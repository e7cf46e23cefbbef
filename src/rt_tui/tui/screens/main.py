"""The main screen: conversation and event inspector side by side, composer, status bar.

It owns the conversation reducer and routes each message its jobs post (the connection,
`/wav`, a replay) to the widgets that show it; its one `Worker.StateChanged` handler says
any job's failure (`rt_tui.tui.jobs`). The connection's lifecycle (connect, drop, retry,
resume, fresh session, countdown) is its `LiveSession` (`rt_tui.tui.live_session`). It
holds no socket code: sending goes through the worker's `Session` handle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Key, Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker

from rt_tui.dialect import Dialect
from rt_tui.realtime import client_events
from rt_tui.realtime.conversation import Conversation
from rt_tui.tui import jobs
from rt_tui.tui.audio_turns import WavRead, send_audio_turn
from rt_tui.tui.bug_report import start_bundle
from rt_tui.tui.context import AppContext
from rt_tui.tui.live_session import LiveSession
from rt_tui.tui.messages import (
    FrameBatch,
    LinkChanged,
    Notice,
    RecordingFailed,
    RecordingStarted,
    SessionLost,
    SessionResumed,
)
from rt_tui.tui.replay import (
    REPLAY_BINDINGS,
    ReplayEnded,
    ReplayFrames,
    ReplayMark,
    ReplaySkipped,
    finish_replay,
    next_speed,
    note_skipped_line,
    paced,
    show_replayed_frames,
    show_replayed_mark,
    start_replay,
    step,
    toggle_pause,
)
from rt_tui.tui.slash_commands import RAW_TEMPLATE
from rt_tui.tui.submitted import submit_text
from rt_tui.tui.widgets.composer import Composer
from rt_tui.tui.widgets.conversation import ConversationPane
from rt_tui.tui.widgets.focus_mark import mark_focused
from rt_tui.tui.widgets.inspector import EventInspector
from rt_tui.tui.widgets.key_footer import KeyFooter
from rt_tui.tui.widgets.status import StatusBar
from rt_tui.tui.worker import Session

if TYPE_CHECKING:
    from rt_tui.tui.screens.settings import SettingsOutcome

NARROW_WIDTH = 110
"""Below this many columns the inspector goes under the conversation instead of beside it."""


class MainScreen(Screen[None]):
    """Talk to the model on the left, watch every frame on the right."""

    BINDINGS = [
        Binding(
            "escape",
            "cancel_response",
            "Cancel",
            tooltip="Cancel the running response (response.cancel), or stop reconnecting",
            id="main.cancel_response",
        ),
        Binding(
            "f2,ctrl+s",
            "settings",
            "Settings",
            tooltip="Profiles, connection and session settings",
            id="main.settings",
        ),
        Binding(
            "f3",
            "toggle_inspector",
            "Inspector",
            tooltip="Show or hide the event inspector",
            id="main.toggle_inspector",
        ),
        Binding(
            "f4",
            "toggle_details",
            "Details",
            tooltip="Show or hide usage and latency under each response",
            id="main.toggle_details",
        ),
        Binding(
            "ctrl+r",
            "reconnect",
            "Reconnect",
            tooltip="Open a new session now and re-send the conversation so far",
            id="main.reconnect",
        ),
        Binding(
            "ctrl+n",
            "fresh_session",
            "Fresh session",
            tooltip="Open a fresh session before the time limit, the conversation re-sent",
            show=False,
            id="main.fresh_session",
        ),
        Binding(
            "f8",  # Not ctrl+b: that is tmux's prefix, and this app lives in tmux over SSH.
            "bundle",
            "Bundle",
            tooltip="Write a bug-report zip of this session: log, conversation, audio, "
            "config without secrets, versions",
            show=False,
            id="main.bundle",
        ),
        Binding(
            "f5",
            "send_raw",
            "Send raw event",
            tooltip="Write a frame in the composer to send exactly as written (/raw)",
            show=False,
            id="main.send_raw",
        ),
        *REPLAY_BINDINGS,
    ]

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.conversation = Conversation()
        self.live = LiveSession(self, context)
        """The connection: opened, lost, retried, resumed and renewed."""
        self._responding = False
        # Kept at hand: every frame reaches them, and a DOM query per frame adds up.
        self.pane = ConversationPane(id="conversation")
        self.inspector = EventInspector(id="inspector", export_dir=context.sessions_dir)
        self.composer = Composer(
            id="composer", placeholder="Type here: Enter sends, ctrl+j starts a new line"
        )
        self.composer.border_title = "Message"
        self.status = StatusBar(id="status", clock=context.clock)

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield self.pane
            yield self.inspector
        yield self.composer
        yield self.status
        yield KeyFooter()

    def on_mount(self) -> None:
        self.composer.focus()
        if self.context.replay is not None:
            start_replay(self, self.context.replay)
        elif self.context.connect:
            # Once the screen is painted: the demo's mock server and the socket can wait.
            self.call_after_refresh(self.connect)

    def on_unmount(self) -> None:
        self.live.close()

    def watch_focused(self, focused: Widget | None) -> None:
        mark_focused((self.pane, self.inspector, self.composer), focused)

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    def on_key(self, event: Key) -> None:
        # Typing is never lost: a key no pane took goes to the composer.
        self.composer.take_stray_key(event)

    # --- the live session ------------------------------------------------------------

    @property
    def session(self) -> Session:
        """The live session's handle: what the screen sends goes through it."""
        return self.live.session

    @property
    def dialect(self) -> Dialect:
        return self.live.dialect

    @property
    def connection_worker(self) -> Worker[None] | None:
        return self.live.worker

    def connect(self) -> None:
        """Open the live session (where to is worked out from the context)."""
        self.live.connect()

    def set_responding(self, responding: bool) -> None:
        """Whether a response runs: Cancel is offered only then."""
        if responding != self._responding:
            self._responding = responding
            self.refresh_bindings()

    @on(Worker.StateChanged)
    def _on_worker_state(self, event: Worker.StateChanged) -> None:
        """The one handler of every job's worker (see `jobs`): a failure is said."""
        if event.worker.group == jobs.CONNECTION.group:
            self.live.on_worker_state(event)
        else:
            jobs.notify_failure(self, event)

    @on(LinkChanged)
    def _on_link(self, message: LinkChanged) -> None:
        self.live.on_link(message)

    @on(SessionLost)
    def _on_session_lost(self, message: SessionLost) -> None:
        self.live.on_lost(message)

    @on(SessionResumed)
    def _on_session_resumed(self, message: SessionResumed) -> None:
        self.live.on_resumed(message)

    @on(RecordingStarted)
    def _on_recording(self, message: RecordingStarted) -> None:
        self.live.on_recording(message)

    @on(RecordingFailed)
    def _on_recording_failed(self, message: RecordingFailed) -> None:
        self.live.on_recording_failed(message)

    # --- what the other jobs post -----------------------------------------------------

    @on(Notice)
    def _on_notice(self, message: Notice) -> None:
        self.pane.add_notice(message.text)

    @on(WavRead)
    def _on_wav_read(self, message: WavRead) -> None:
        send_audio_turn(self, message)

    @on(ReplayFrames)
    def _on_replay_frames(self, message: ReplayFrames) -> None:
        show_replayed_frames(self, message.frames)

    @on(ReplaySkipped)
    def _on_replay_skipped(self, message: ReplaySkipped) -> None:
        note_skipped_line(self, message.line)

    @on(ReplayMark)
    def _on_replay_mark(self, message: ReplayMark) -> None:
        show_replayed_mark(self, message.mark)

    @on(ReplayEnded)
    def _on_replay_ended(self, message: ReplayEnded) -> None:
        finish_replay(self, message.count)

    # --- what the worker posts --------------------------------------------------------

    @on(FrameBatch)
    def _on_frames(self, message: FrameBatch) -> None:
        self.live.on_frames(message)

    # --- what the user does -----------------------------------------------------------

    @on(Composer.Submitted, "#composer")
    def _on_submit(self, message: Composer.Submitted) -> None:
        submit_text(self, message.text)

    @on(Composer.CancelRequested, "#composer")
    def _on_cancel_requested(self) -> None:
        self.action_cancel_response()

    def action_replay_pause(self) -> None:
        toggle_pause(self)

    def action_replay_step(self, what: Literal["frame", "response"]) -> None:
        step(self, what)

    def action_replay_speed(self) -> None:
        next_speed(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action.startswith("replay_"):
            return paced(self)
        if action in ("cancel_response", "reconnect", "send_raw") and self.context.replay:
            return False  # A replay sends nothing.
        if action == "cancel_response" and not (self._responding or self.live.retrying):
            return None  # Shown dimmed in the footer.
        return True

    def action_cancel_response(self) -> None:
        """Ask the server to stop the response that is running, if one is; while a lost
        session is being retried, stop retrying."""
        if self.live.stop_retrying():
            return
        response_id = self.conversation.active_response_id
        if response_id is None:
            self.notify("No response is running.", timeout=2)
            return
        self.session.send(client_events.response_cancel(response_id))

    def action_send_raw(self) -> None:
        """Start a `/raw` frame in the composer, the cursor where the type goes."""
        self.composer.load_text(RAW_TEMPLATE)
        self.composer.move_cursor((0, len(RAW_TEMPLATE) - 2))
        self.composer.focus()

    def action_bundle(self) -> None:
        """Write a bug-report zip of this session (or of the replayed log)."""
        start_bundle(self)

    def action_toggle_inspector(self) -> None:
        """Show or hide the event inspector."""
        inspector = self.inspector
        inspector.display = not inspector.display
        if (
            not inspector.display
            and self.focused is not None
            and inspector in self.focused.ancestors_with_self
        ):
            self.composer.focus()

    def action_toggle_details(self) -> None:
        """Show or hide usage and latency under each response."""
        self.pane.toggle_details()

    def action_reconnect(self, fresh: bool = False) -> None:
        """Open a new session now and give it the conversation so far (what streamed is
        cut off and marked interrupted)."""
        if self.context.replay is not None:
            self.notify("replay: read-only, nothing connects.", severity="warning", timeout=3)
            return
        self.live.reconnect(fresh=fresh)

    def action_fresh_session(self) -> None:
        """A fresh session before the time limit, with the conversation re-sent."""
        self.action_reconnect(fresh=True)

    async def reset(self) -> None:
        """Forget the conversation, the frames shown and the session's usage."""
        self.conversation = Conversation()
        self.set_responding(False)
        self.status.clear_usage()
        await self.pane.clear()
        self.inspector.clear()

    def action_settings(self) -> None:
        """Open the settings screen."""
        self.open_settings()

    def open_settings(self, notice: str | None = None) -> None:
        # The settings screen is imported when first opened: the first frame does not need it.
        from rt_tui.tui.screens.settings.session_note import settings_screen

        self.app.push_screen(settings_screen(self.context, notice), self.apply_settings)

    async def apply_settings(self, outcome: SettingsOutcome | None) -> None:
        """Use what the settings screen returned: resend the session or reconnect."""
        if outcome is None:
            return
        from rt_tui.tui.screens.settings.session_note import apply_needed

        self.context.config = outcome.config
        apply = apply_needed(self.context, outcome)
        if apply == "none":
            return
        if apply == "session" and self.live.send_settings():
            self.notify("Session settings sent.", timeout=3)
        else:
            # A new endpoint, or no session to update: start one with the new settings.
            self.action_reconnect()
