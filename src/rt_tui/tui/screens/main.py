"""The main screen: conversation and event inspector side by side, composer, status bar.

It owns the connection worker and the conversation reducer, and routes each message its
jobs post (the connection, `/wav`, a replay) to the widgets that show it; its one
`Worker.StateChanged` handler says any job's failure (`rt_tui.tui.jobs`). It holds no
socket code: sending goes through the worker's `Session` handle.

One conversation outlives its sessions: when one is lost (the worker retries it), replaced
(ctrl+r) or renewed before the time limit (ctrl+n, `[reconnect] auto_renew`), what was
cut off is marked interrupted and the new session is given the conversation so far
(`_resume`). Each worker has its own `Session` handle, so nothing the old one posts, and no
response id or timer of the old session, reaches the new one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Key, Resize
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from rt_tui.config import Config
from rt_tui.dialect import Dialect
from rt_tui.realtime import client_events
from rt_tui.realtime.conversation import Conversation, Totals
from rt_tui.realtime.recorder import new_session_path
from rt_tui.realtime.reseed import reseed
from rt_tui.targets import NOTHING_CONFIGURED, resolve_target
from rt_tui.tui import jobs
from rt_tui.tui.audio_turns import WavRead, save_audio, send_audio_turn, start_wav_turn
from rt_tui.tui.bug_report import start_bundle
from rt_tui.tui.context import AppContext
from rt_tui.tui.frame_batches import fold_frames
from rt_tui.tui.frame_intake import FrameIntake
from rt_tui.tui.link_notes import fix_hint, limit_warning, resumed_text
from rt_tui.tui.messages import (
    FrameBatch,
    LinkChanged,
    LinkState,
    Notice,
    RecordingFailed,
    RecordingStarted,
    SessionLost,
    SessionResumed,
)
from rt_tui.tui.replay import (
    ReplayEnded,
    ReplayFrames,
    ReplaySkipped,
    finish_replay,
    note_skipped_line,
    paced,
    show_replayed_frames,
    start_replay,
    step,
    toggle_pause,
)
from rt_tui.tui.slash_commands import (
    RAW_TEMPLATE,
    commands_help,
    is_unknown_command,
    message_text,
    raw_frame_text,
    split_command,
)
from rt_tui.tui.widgets.composer import Composer
from rt_tui.tui.widgets.conversation import ConversationPane
from rt_tui.tui.widgets.conversation_views import (
    OUTPUT_COMMAND,
    function_call_hint,
    pending_call_id,
)
from rt_tui.tui.widgets.focus_mark import mark_focused
from rt_tui.tui.widgets.inspector import EventInspector
from rt_tui.tui.widgets.key_footer import KeyFooter
from rt_tui.tui.widgets.pane_frame import PaneFrame
from rt_tui.tui.widgets.repaint_beat import RepaintBeat
from rt_tui.tui.widgets.status import LIMIT_NEAR_S, LIMIT_URGENT_S, StatusBar
from rt_tui.tui.worker import ConnectPlan, Opening, Session, run_connection

if TYPE_CHECKING:
    from rt_tui.tui.screens.settings import SettingsOutcome

NOT_CONFIGURED_HINT = "Nothing is configured: press F2 to open the settings."
"""What the status bar and a message sent too early say when no connection is set up."""

CANCEL_HOLD_S = 1.0
"""How long Cancel stays offered after a response ends (another may follow at once)."""

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
        # Replay at a speed only (`rt-tui replay LOG --speed 1`); the composer is off then.
        Binding("f6", "replay_pause", "Pause", tooltip="Pause or resume the replay"),
        Binding("f7", "replay_step('frame')", "Step", tooltip="Paused: show the next frame"),
        Binding(
            "f9",
            "replay_step('response')",
            "Step response",
            tooltip="Paused: show the frames through the next response.done",
        ),
    ]

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.conversation = Conversation()
        self.session = Session()
        self.dialect = Dialect.GA
        self.connection_worker: Worker[None] | None = None
        self._responding = False
        """Cancel is offered (see `_offer_cancel`)."""
        self._cancel_hold: Timer | None = None
        self._fresh = False
        """The session being opened was asked for as a fresh one (ctrl+n, auto-renew)."""
        self._limit_timers: list[Timer] = []
        """The current session's warnings (and renewal) before the time limit."""
        self._setup_problem: str | None = None
        """Why the last connect could not start (nothing or a broken profile configured)."""
        self.beat = RepaintBeat(self)
        """Takes the frames that arrived and redraws both panes, in one screen update."""
        self._arrived = FrameIntake(on_settled=self.beat.hurry)
        """Frames waiting for the next beat (a reply's end that nothing follows, less)."""
        # Kept at hand: every frame reaches them, and a DOM query per frame adds up.
        self.pane = ConversationPane(id="conversation", beat=self.beat)
        self.conversation_box = PaneFrame(self.pane, title="Conversation", id="conversation-box")
        self.inspector = EventInspector(
            id="inspector", export_dir=context.sessions_dir, beat=self.beat
        )
        self.composer = Composer(
            id="composer", placeholder="Type here: Enter sends, ctrl+j starts a new line"
        )
        self.composer_box = PaneFrame(self.composer, title="Message", id="composer-box")
        self.status = StatusBar(id="status", clock=context.clock)

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield self.conversation_box
            yield self.inspector
        yield self.composer_box
        with Vertical(id="bars"):
            yield self.status
            yield KeyFooter()

    def on_mount(self) -> None:
        self.composer.focus()
        if self.context.replay is not None:
            start_replay(self, self.context.replay)
        elif self.context.connect:
            # Once the screen is painted: the demo's mock server and the socket can wait.
            self.call_after_refresh(self.connect)

    def watch_focused(self, focused: Widget | None) -> None:
        mark_focused((self.conversation_box, self.inspector, self.composer_box), focused)

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    def on_key(self, event: Key) -> None:
        """A printable key that reached the screen unused (the focused pane takes no text
        and has no binding for it) is typed into the composer, so typing is never lost
        and never fires a pane's action it does not name.

        Keys that arrive together (fast typing, a terminal's burst) were all queued for the
        pane before the first one moved the focus: they come here once the composer has
        it, and go on to it, Enter included, so `next⏎` typed there is sent whole.
        """
        composer = self.composer
        if composer.disabled:
            return
        queued_for_a_pane = self.focused is composer  # The composer keeps these keys itself.
        character = event.character
        if event.is_printable and character is not None:
            if event.key in self.active_bindings and not queued_for_a_pane:
                return  # The pane's own key: the inspector's f, d, e…
            event.stop()
            event.prevent_default()
            composer.take_typing(character)
        elif event.key == "enter" and queued_for_a_pane:
            event.stop()
            event.prevent_default()
            composer.submit()

    # --- connecting -------------------------------------------------------------------

    def connect(self, *, resuming: bool = False) -> None:
        """Work out where to connect and start the worker (replacing any running one);
        `resuming`: the new session is given the conversation so far."""
        context = self.context
        target = resolve_target(
            context.config, context.env, profile=context.profile, url=context.url, demo=context.demo
        )
        self._setup_problem = target.problem
        if target.problem:
            nothing = target.problem == NOTHING_CONFIGURED
            detail = NOT_CONFIGURED_HINT if nothing else target.problem
            self.status.set_link(LinkState.IDLE, detail=detail)
            self.open_settings(notice=target.problem)
            return
        reconnect = context.config.reconnect
        plan = ConnectPlan(
            target=target,
            log_path=self._log_path(),
            retry=reconnect,
            resume=self._resume,
            resuming=resuming,
        )
        self.status.session_limit_s = reconnect.session_limit_s
        self._stop_limit_timers()
        self.dialect = target.dialect
        if target.endpoint is not None:
            # The key may be echoed back (an error quoting it): the inspector hides it.
            self.inspector.set_secrets(target.endpoint.secret_values())
        # What waited for the old socket (typed while it was down) waits for the new one.
        self.session = Session(self.session.waiting)
        self.connection_worker = jobs.start(
            self,
            jobs.CONNECTION,
            run_connection(
                plan,
                self.session,
                self.post_message,
                clock=context.clock,
                wall_clock=context.wall_clock,
                id_factory=context.id_factory,
            ),
        )

    def _resume(self) -> Opening:
        """What a new session is sent first: the session settings, then the conversation so
        far (the newest `[reconnect] reseed_turns` items). Called by the worker once the
        new socket is open."""
        settings = self.context.config.session
        seed = reseed(
            self.conversation.items, self.context.config.reconnect.reseed_turns, self.dialect
        )
        self.conversation.expect_reseeded(seed.item_ids)
        events = [client_events.session_update(settings, self.dialect), *seed.events]
        return Opening(events, seed.count)

    def _interrupt(self) -> None:
        """The session is gone: what streamed is cut off, and its usage was its own."""
        self._take_frames()  # What it said before it went comes first.
        change = self.conversation.mark_interrupted()
        if change:
            self.pane.show_change(self.conversation, change)
        self.conversation.totals = Totals()
        self.status.clear_usage()
        if self._responding:
            self._responding = False
            self.refresh_bindings()

    def _stop_limit_timers(self) -> None:
        for timer in self._limit_timers:
            timer.stop()
        self._limit_timers = []

    def _start_limit_timers(self) -> None:
        """Warn 5 minutes and 1 minute before the session's time limit; with `auto_renew`,
        open a fresh session a minute before it."""
        self._stop_limit_timers()
        reconnect = self.context.config.reconnect
        limit = reconnect.session_limit_s
        for left in (LIMIT_NEAR_S, LIMIT_URGENT_S):
            if limit > left:
                self._limit_timers.append(
                    self.set_timer(limit - left, lambda left=left: self._warn_limit(left))
                )
        if reconnect.auto_renew and limit > LIMIT_URGENT_S:
            # With the last warning; a limit under a minute would renew without end.
            self._limit_timers.append(self.set_timer(limit - LIMIT_URGENT_S, self._auto_renew))

    def _warn_limit(self, seconds_left: float) -> None:
        urgent = seconds_left <= LIMIT_URGENT_S
        self.notify(
            limit_warning(seconds_left),
            title="Session time limit",
            severity="error" if urgent else "warning",
            timeout=10,
        )

    async def _auto_renew(self) -> None:
        self.pane.add_notice("The session nears its time limit: opening a fresh one.")
        await self.action_fresh_session()

    def _log_path(self) -> Path:
        if self.context.log_path is not None:
            return self.context.log_path
        return new_session_path(self.context.sessions_dir)

    @on(Worker.StateChanged)
    def _on_worker_state(self, event: Worker.StateChanged) -> None:
        """The one handler of every job's worker (see `jobs`): a failure is said."""
        connection = event.worker.group == jobs.CONNECTION.group
        if connection and event.worker is not self.connection_worker:
            return  # A replaced session's worker.
        self._take_frames()  # What the session said before it ended comes first.
        if connection and event.state is WorkerState.CANCELLED:
            self._stopped_retrying()
            return
        failure = jobs.notify_failure(self, event)
        if failure is not None and connection:
            self._stop_limit_timers()
            hint = fix_hint(event.worker.error)
            if hint is not None:
                failure = f"{failure} {hint}"
                self.notify(hint, title="What to fix", severity="error", timeout=15)
            self.status.set_link(LinkState.FAILED, detail=failure)
            self.pane.set_link(LinkState.FAILED)  # Not "Connecting…"/"Connected" any more.
            self.pane.add_notice(failure + self._unsent_note())
            self._interrupt()

    def _unsent_note(self) -> str:
        """What waits unsent, said so the user knows it was not lost."""
        waiting = len(self.session.waiting)
        if not waiting:
            return ""
        return f" {waiting} queued event(s) were not sent yet: ctrl+r reconnects and sends them."

    def _stopped_retrying(self) -> None:
        """The user stopped the retries (Esc)."""
        if self.status.state not in (LinkState.RECONNECTING, LinkState.CONNECTING):
            return
        text = "Stopped reconnecting: ctrl+r opens a new session."
        self.status.set_link(LinkState.CLOSED, detail=text)
        self.pane.add_notice(text + self._unsent_note())

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

    @on(ReplayEnded)
    def _on_replay_ended(self, message: ReplayEnded) -> None:
        finish_replay(self, message.count)

    # --- what the worker posts --------------------------------------------------------

    @on(FrameBatch)
    def _on_frames(self, message: FrameBatch) -> None:
        """A batch of the live session's frames: taken on the next beat, so the frames
        that arrive meanwhile join it (one message a beat, however fast they come)."""
        if message.source is not self.session:
            return  # Still queued from a session that was replaced.
        self._arrived.add(message)
        self.beat.request(self._take_frames)

    def _take_frames(self) -> None:
        """The frames that arrived since the last beat: into the inspector and the reducer,
        in order; each pane and the status bar then catch up once for all of them."""
        frames = self._arrived.take(self.session)
        if not frames:
            return
        self.inspector.add_frames(frames)
        conversation = self.conversation
        had_session = conversation.session is not None
        change = fold_frames(
            conversation, frames, lambda run: self.pane.show_change(conversation, run)
        )
        server_session = conversation.session
        if (
            not had_session
            and server_session is not None
            and client_events.session_update_needed(self.context.config.session, server_session)
        ):
            self.session.send(
                client_events.session_update(self.context.config.session, self.dialect)
            )
        if change.totals or change.responses:
            self.status.show_usage(conversation)
            hint = function_call_hint(conversation, change.responses)
            if hint is not None:
                self.notify(hint, title="Function call")
            self._offer_cancel(conversation.active_response_id is not None)

    def _offer_cancel(self, responding: bool) -> None:
        """Offer Cancel while a response runs. It goes CANCEL_HOLD_S after the last one
        ended, so responses that follow each other do not make the footer jump, each
        time laying out the whole screen again."""
        if responding:
            if self._cancel_hold is not None:
                self._cancel_hold.stop()
                self._cancel_hold = None
            if not self._responding:
                self._responding = True
                self.refresh_bindings()
        elif self._responding and self._cancel_hold is None:
            self._cancel_hold = self.set_timer(CANCEL_HOLD_S, self._cancel_ends)

    def _cancel_ends(self) -> None:
        self._cancel_hold = None
        if self._responding and self.conversation.active_response_id is None:
            self._responding = False
            self.refresh_bindings()

    @on(LinkChanged)
    def _on_link(self, message: LinkChanged) -> None:
        if message.source is not self.session:
            return
        self._take_frames()  # What the session said before comes first.
        if message.dialect is not None:
            self.dialect = message.dialect
        retry_text = f"try {message.attempt} of {message.tries}" if message.attempt else ""
        self.status.set_link(
            message.state,
            host=message.host,
            dialect=message.dialect,
            model=message.model,
            detail=message.detail,
            retry_at=message.retry_at,
            retry_text=retry_text,
        )
        self.pane.set_link(message.state, message.host, message.model)
        if message.state is LinkState.CONNECTED:
            self._start_limit_timers()
        elif message.state is LinkState.CLOSED:
            self._stop_limit_timers()
            self.notify(message.detail, title="Session closed", severity="warning")
        self.refresh_bindings()  # Esc stops the retries only while they run.

    @on(SessionLost)
    def _on_session_lost(self, message: SessionLost) -> None:
        """The worker lost the socket and will retry: say why, mark what was cut off."""
        if message.source is not self.session:
            return
        self._take_frames()  # What the session said before it was lost comes first.
        self._stop_limit_timers()
        self._interrupt()
        text = f"{message.reason} Reconnecting (Esc stops)…"
        self.pane.add_notice(text)
        self.notify(text, title="Connection lost", severity="warning", timeout=5)

    @on(SessionResumed)
    def _on_session_resumed(self, message: SessionResumed) -> None:
        if message.source is not self.session:
            return
        self._take_frames()
        text = resumed_text(message.reseeded, message.queued, fresh=self._fresh)
        self._fresh = False
        self.pane.add_notice(text)
        self.notify(text, title="Session", timeout=4)

    @on(RecordingStarted)
    def _on_recording(self, message: RecordingStarted) -> None:
        self.status.set_log_path(message.path)
        self.notify(f"Recording this session to {message.path}", title="Session log")

    @on(RecordingFailed)
    def _on_recording_failed(self, message: RecordingFailed) -> None:
        self.status.set_log_stopped()
        self.notify(
            f"Cannot write the session log {message.path} ({message.reason}); "
            "the rest of this session is not recorded.",
            title="Session log",
            severity="error",
        )

    # --- what the user does -----------------------------------------------------------

    @on(Composer.Submitted, "#composer")
    def _on_submit(self, message: Composer.Submitted) -> None:
        text = message.text
        if self._run_slash_command(text):
            return
        link = self.status.state
        problem = self._setup_problem
        if problem is not None:
            if problem == NOTHING_CONFIGURED:
                problem = NOT_CONFIGURED_HINT
            else:
                problem = f"{problem.rstrip('.')}: press F2 to open the settings."
            self.notify(f"{problem} Nothing was sent (Up brings it back).", severity="warning")
            return
        retrying = link in (LinkState.RECONNECTING, LinkState.CONNECTING)
        if not self.session.connected and not retrying:
            self.notify(
                "Not connected, so nothing was sent: press ctrl+r to reconnect "
                "(Up brings the message back).",
                severity="warning",
            )
            return
        if text.startswith(OUTPUT_COMMAND):
            self._answer_function_call(text.removeprefix(OUTPUT_COMMAND).strip())
            return
        self.session.send(client_events.user_message(message_text(text)))
        self.session.send(client_events.response_create(self.dialect))
        if not self.session.connected:
            first_line = message_text(text).splitlines()[0] if text.strip() else ""
            self.pane.add_notice(
                f"Queued (not connected yet; sent once the session opens): {first_line}"
            )

    def _run_slash_command(self, text: str) -> bool:
        """Carry out `/raw`, `/wav`, `/save-audio` or `/help`, or refuse an unknown `/word`;
        False for anything else (a message, or `/output`, which answers a function call
        once the checks for sending have passed)."""
        frame_text = raw_frame_text(text)
        if frame_text is not None:
            self._send_raw_frame(frame_text)
            return True
        command, argument = split_command(text)
        commands = self.composer.SLASH_COMMANDS
        if command == "/wav":
            start_wav_turn(self, argument)
        elif command == "/save-audio":
            save_audio(self, argument)
        elif command == "/help":
            self.pane.add_notice(commands_help(commands))
        elif is_unknown_command(command, commands):
            self.pane.add_notice(
                f"{command} is not a command, so nothing was sent (Up brings it back).\n"
                + commands_help(commands)
            )
        else:
            return False
        return True

    def _send_raw_frame(self, frame_text: str) -> None:
        """`/raw FRAME`: send the frame as is; it shows in the inspector like any sent frame."""
        if not frame_text:
            self.pane.add_notice(
                '/raw needs the frame to send, e.g. /raw {"type": "response.create"}'
            )
            return
        if self.context.replay is not None:
            self.pane.add_notice("replay: read-only, nothing was sent.")
            return
        if not self.session.send_raw(frame_text):
            self.pane.add_notice("Not connected, so nothing was sent: press ctrl+r to reconnect.")

    def _answer_function_call(self, output: str) -> None:
        """`/output TEXT`: answer the newest unanswered function call, then ask for a reply."""
        call_id = pending_call_id(self.conversation.items)
        if call_id is None:
            self.notify("There is no function call waiting for an output.", severity="warning")
            return
        self.session.send(client_events.function_call_output(call_id, output))
        self.session.send(client_events.response_create(self.dialect))

    @on(Composer.CancelRequested, "#composer")
    def _on_cancel_requested(self) -> None:
        self.action_cancel_response()

    def action_replay_pause(self) -> None:
        toggle_pause(self)

    def action_replay_step(self, what: Literal["frame", "response"]) -> None:
        step(self, what)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action.startswith("replay_"):
            return paced(self)
        if action in ("cancel_response", "reconnect", "send_raw") and self.context.replay:
            return False  # A replay sends nothing.
        if action == "cancel_response" and not (self._responding or self._retrying):
            return None  # Shown dimmed in the footer.
        return True

    @property
    def _retrying(self) -> bool:
        """A lost session is being opened again by the worker."""
        return self.status.state is LinkState.RECONNECTING

    def action_cancel_response(self) -> None:
        """Ask the server to stop the response that is running, if one is; while a lost
        session is being retried, stop retrying."""
        if self._retrying and self.connection_worker is not None:
            self.connection_worker.cancel()
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

    async def action_reconnect(self) -> None:
        """Open a new session now and give it the conversation so far (what streamed is
        cut off and marked interrupted)."""
        if self.context.replay is not None:
            self.notify("replay: read-only, nothing connects.", severity="warning", timeout=3)
            return
        self._interrupt()
        self.connect(resuming=True)

    async def action_fresh_session(self) -> None:
        """A fresh session before the time limit, with the conversation re-sent."""
        self._fresh = True
        await self.action_reconnect()

    async def reset(self) -> None:
        """Forget the conversation, the frames shown and the session's usage."""
        self.conversation = Conversation()
        self._responding = False
        self.status.clear_usage()
        self.refresh_bindings()
        await self.pane.clear()
        self.inspector.clear()

    def action_settings(self) -> None:
        """Open the settings screen."""
        self.open_settings()

    def open_settings(self, notice: str | None = None) -> None:
        # The settings screen is imported when first opened: the first frame does not need it.
        from rt_tui.tui.screens.settings import SettingsScreen
        from rt_tui.tui.screens.settings.session_note import session_note

        context = self.context

        def problem_of(config: Config) -> str | None:
            """Why `config` would not connect either (nothing or a broken profile), or None."""
            return resolve_target(
                config, context.env, profile=context.profile, url=context.url, demo=context.demo
            ).problem

        screen = SettingsScreen(
            context.config,
            config_path=context.config_path,
            env=context.env,
            notice=notice,
            session_note=session_note(context),
            problem_of=problem_of,
        )
        self.app.push_screen(screen, self.apply_settings)

    async def apply_settings(self, outcome: SettingsOutcome | None) -> None:
        """Use what the settings screen returned: resend the session or reconnect."""
        if outcome is None:
            return
        from rt_tui.tui.screens.settings.session_note import apply_needed

        self.context.config = outcome.config
        apply = apply_needed(self.context, outcome)
        if apply == "none":
            return
        live = self.status.state in (LinkState.CONNECTING, LinkState.CONNECTED)
        if apply == "session" and live:
            self.session.send(client_events.session_update(outcome.config.session, self.dialect))
            self.notify("Session settings sent.", timeout=3)
        else:
            # A new endpoint, or no session to update: start one with the new settings.
            await self.action_reconnect()
