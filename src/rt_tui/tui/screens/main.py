"""The main screen: conversation and event inspector side by side, composer, status bar.

It owns the connection worker and the conversation reducer, and routes each message the
worker posts to the widgets that show it. It holds no socket code: sending goes through
the worker's `Session` handle. Function-call hints and answers live in
`main_function_calls`, the settings glue in `main_settings`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Key, Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from rt_tui.dialect import Dialect
from rt_tui.realtime import client_events
from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.recorder import new_session_path
from rt_tui.targets import NOTHING_CONFIGURED, resolve_target
from rt_tui.tui.context import AppContext
from rt_tui.tui.messages import (
    FrameMessage,
    LinkChanged,
    LinkState,
    RecordingFailed,
    RecordingStarted,
)
from rt_tui.tui.replay import start_replay
from rt_tui.tui.screens.main_function_calls import answer_call, hint_pending_call
from rt_tui.tui.screens.main_settings import apply_needed, settings_differ, settings_screen
from rt_tui.tui.slash_commands import RAW_TEMPLATE, message_text, run_slash_command
from rt_tui.tui.widgets.composer import Composer
from rt_tui.tui.widgets.conversation import ConversationPane
from rt_tui.tui.widgets.conversation_views import OUTPUT_COMMAND
from rt_tui.tui.widgets.focus_mark import mark_focused
from rt_tui.tui.widgets.inspector import EventInspector
from rt_tui.tui.widgets.key_footer import KeyFooter
from rt_tui.tui.widgets.status import StatusBar
from rt_tui.tui.worker import ConnectPlan, Session, run_connection

if TYPE_CHECKING:
    from rt_tui.tui.screens.settings import SettingsOutcome

NOT_CONFIGURED_HINT = "Nothing is configured: press F2 to open the settings."
"""What the status bar and a message sent too early say when no connection is set up."""

NARROW_WIDTH = 110
"""Below this many columns the inspector goes under the conversation instead of beside it."""


class MainScreen(Screen[None]):
    """Talk to the model on the left, watch every frame on the right."""

    BINDINGS = [
        Binding(
            "escape",
            "cancel_response",
            "Cancel",
            tooltip="Cancel the running response (response.cancel)",
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
            tooltip="Close this session and start a fresh one",
            id="main.reconnect",
        ),
        Binding(
            "f5",
            "send_raw",
            "Send raw event",
            tooltip="Write a frame in the composer to send exactly as written (/raw)",
            show=False,
            id="main.send_raw",
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
        self._setup_problem: str | None = None
        """Why the last connect could not start (nothing or a broken profile configured)."""
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
            self.connect()

    def watch_focused(self, focused: Widget | None) -> None:
        mark_focused((self.pane, self.inspector, self.composer), focused)

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

    def connect(self) -> None:
        """Work out where to connect and start the worker (replacing any running one)."""
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
        plan = ConnectPlan(
            target=target,
            log_path=self._log_path(),
        )
        self.dialect = target.dialect
        if target.endpoint is not None:
            # The key may be echoed back (an error quoting it): the inspector hides it.
            self.inspector.set_secrets(target.endpoint.secret_values())
        self.session = Session()
        self.connection_worker = self.run_worker(
            run_connection(
                plan,
                self.session,
                self.post_message,
                clock=context.clock,
                wall_clock=context.wall_clock,
                id_factory=context.id_factory,
            ),
            name="connection",
            group="connection",
            exclusive=True,
            exit_on_error=False,
        )

    def _log_path(self) -> Path:
        if self.context.log_path is not None:
            return self.context.log_path
        return new_session_path(self.context.sessions_dir)

    @on(Worker.StateChanged)
    def _on_worker_state(self, event: Worker.StateChanged) -> None:
        if event.worker is not self.connection_worker:
            return
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            detail = str(error) if error else "The connection failed."
            self.status.set_link(LinkState.FAILED, detail=detail)
            self.pane.set_link(LinkState.FAILED)  # Not "Connecting…"/"Connected" any more.
            self.notify(detail, title="Connection failed", severity="error")

    # --- what the worker posts --------------------------------------------------------

    @on(FrameMessage)
    def _on_frame(self, message: FrameMessage) -> None:
        if message.source is not self.session:
            return  # Still queued from a session that was replaced.
        frame = message.frame
        self.inspector.add_frame(frame)
        first_session = self.conversation.session is None
        change = self.conversation.apply(frame)
        server_session = self.conversation.session
        if (
            first_session
            and server_session is not None
            and settings_differ(self.context.config.session, server_session)
        ):
            self.session.send(
                client_events.session_update(self.context.config.session, self.dialect)
            )
        if change:
            self.pane.show_change(self.conversation, change)
        if change.totals or change.responses:
            self._show_usage()
            hint_pending_call(self, change.responses)
            responding = self.conversation.active_response_id is not None
            if responding != self._responding:
                self._responding = responding
                self.refresh_bindings()  # Cancel is only offered while a response runs.

    def _show_usage(self) -> None:
        totals = self.conversation.totals
        latency = None
        for response in reversed(self.conversation.responses.values()):
            latency = response.timings.time_to_first_delta_ms
            if latency is not None:
                break
        self.status.set_usage(
            latency_ms=latency,
            input_tokens=totals.input_tokens,
            output_tokens=totals.output_tokens,
        )

    @on(LinkChanged)
    def _on_link(self, message: LinkChanged) -> None:
        if message.source is not self.session:
            return
        if message.dialect is not None:
            self.dialect = message.dialect
        self.status.set_link(
            message.state,
            host=message.host,
            dialect=message.dialect,
            model=message.model,
            detail=message.detail,
        )
        self.pane.set_link(message.state, message.host, message.model)
        if message.state is LinkState.CLOSED:
            self.notify(message.detail, title="Session closed", severity="warning")

    @on(RecordingStarted)
    def _on_recording(self, message: RecordingStarted) -> None:
        self.status.set_log_path(message.path)
        self.notify(f"Recording this session to {message.path}", title="Session log")

    @on(RecordingFailed)
    def _on_recording_failed(self, message: RecordingFailed) -> None:
        self.status.set_log_path(None)
        self.notify(
            f"This session is not recorded: cannot write {message.path}: {message.reason}.",
            title="Session log",
            severity="error",
        )

    # --- what the user does -----------------------------------------------------------

    @on(Composer.Submitted, "#composer")
    def _on_submit(self, message: Composer.Submitted) -> None:
        text = message.text
        if run_slash_command(self, text):
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
        if not self.session.connected and link is not LinkState.CONNECTING:
            self.notify(
                "Not connected, so nothing was sent: press ctrl+r to reconnect "
                "(Up brings the message back).",
                severity="warning",
            )
            return
        if text.startswith(OUTPUT_COMMAND):
            answer_call(self, text.removeprefix(OUTPUT_COMMAND).strip())
            return
        self.session.send(client_events.user_message(message_text(text)))
        self.session.send(client_events.response_create(self.dialect))
        if not self.session.connected:
            self.notify("Not connected yet: the message goes out once the session opens.")

    @on(Composer.CancelRequested, "#composer")
    def _on_cancel_requested(self) -> None:
        self.action_cancel_response()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("cancel_response", "reconnect", "send_raw") and self.context.replay:
            return False  # A replay sends nothing.
        if action == "cancel_response" and not self._responding:
            return None  # Shown dimmed in the footer.
        return True

    def action_cancel_response(self) -> None:
        """Ask the server to stop the response that is running, if one is."""
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
        """Start a fresh session (the old one's conversation is cleared)."""
        if self.context.replay is not None:
            self.notify("replay: read-only, nothing connects.", severity="warning", timeout=3)
            return
        await self.reset()
        self.connect()

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
        self.app.push_screen(settings_screen(self.context, notice), self.apply_settings)

    async def apply_settings(self, outcome: SettingsOutcome | None) -> None:
        """Use what the settings screen returned: resend the session or reconnect."""
        if outcome is None:
            return
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
