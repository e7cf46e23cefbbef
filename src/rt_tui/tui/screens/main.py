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

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Key, Resize
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from rt_tui import paths
from rt_tui.dialect import Dialect
from rt_tui.realtime import client_events
from rt_tui.realtime.conversation import Conversation, Totals
from rt_tui.realtime.conversation_model import Response
from rt_tui.realtime.recorder import new_session_path
from rt_tui.tool_answers.mcp_notes import mcp_lines
from rt_tui.tui import jobs
from rt_tui.tui.context import AppContext
from rt_tui.tui.conversation_export import start_conversation_export
from rt_tui.tui.frame_batches import fold_frames
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
from rt_tui.tui.slash_commands import (
    commands_help,
    is_unknown_command,
    message_text,
    raw_frame_text,
    split_command,
)
from rt_tui.tui.tool_calls import ToolAnswered, ToolCalls
from rt_tui.tui.voice import VOICE_BINDINGS, Voice, VoiceNote
from rt_tui.tui.voice_choice import voice_choice
from rt_tui.tui.voice_events import VoiceEvents
from rt_tui.tui.widgets.composer import Composer
from rt_tui.tui.widgets.conversation import ConversationPane
from rt_tui.tui.widgets.conversation_views import OUTPUT_COMMAND
from rt_tui.tui.widgets.find_bar import FindBar
from rt_tui.tui.widgets.focus_mark import mark_focused
from rt_tui.tui.widgets.inspector import EventInspector
from rt_tui.tui.widgets.key_footer import KeyFooter
from rt_tui.tui.widgets.status import LIMIT_NEAR_S, LIMIT_URGENT_S, StatusBar
from rt_tui.tui.widgets.voice_meter import VoiceMeter
from rt_tui.tui.worker import ConnectPlan, Opening, Session, run_connection

if TYPE_CHECKING:
    from rt_tui.config import Config
    from rt_tui.cost.meter import CostMeter
    from rt_tui.event_composer.history import SentHistory
    from rt_tui.tui.audio_turns import WavRead
    from rt_tui.tui.replay import ReplayEnded, ReplayFrames, ReplaySkipped
    from rt_tui.tui.screens.event_composer import ComposerOutcome
    from rt_tui.tui.screens.settings import SettingsOutcome

# What only a replay, a /wav or /save-audio, F8 or a connection needs is imported where it
# is used: the first frame needs none of it (replays and bundles bring zipfile, the log
# reader and the config's pydantic models). The messages of the replay's and /wav's jobs are
# handled by name (`on_replay_frames`…), since `@on` would need their classes at start.

NOT_CONFIGURED_HINT = "Nothing is configured: press F2 to open the settings."
"""What the status bar and a message sent too early say when no connection is set up."""

NARROW_WIDTH = 110
"""Below this many columns the inspector goes under the conversation instead of beside it."""


TRANSCRIPTION_TAKES_SPEECH = (
    "This is a transcription session: it transcribes speech (the microphone, /wav) and never "
    "answers, so nothing was sent (Up brings it back)."
)


class MainScreen(Screen[None]):
    """Talk to the model on the left, watch every frame on the right."""

    AUTO_FOCUS = "#composer"
    """Focused from the first frame: Textual's default, the first focusable widget (the
    conversation), had the frame drawn with it focused and every pane styled twice."""

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
            "ctrl+l",
            "latency",
            "Latency",
            tooltip="Where each response's time went: a sortable table, its waterfall, and "
            "the session's p50/p95",
            id="main.latency",
        ),
        Binding(
            "ctrl+o",
            "session_diff",
            "Session config",
            tooltip="What each session.update asked for against what the session got "
            "(clamped, rewritten, ignored, defaulted); two profiles side by side",
            id="main.session_diff",
        ),
        Binding(
            "alt+c",
            "cost",
            "Cost",
            tooltip="What this session cost: tokens and cost per response, budget, rate limits",
            show=False,
            id="main.cost",
        ),
        Binding(
            "ctrl+f",
            "find",
            "Find",
            tooltip="Find text in the conversation (in the inspector, ctrl+f filters)",
            id="main.find",
        ),
        Binding(
            "ctrl+g",
            "jump",
            "Item ⇄ frames",
            tooltip="From the selected conversation item to its frames in the inspector, "
            "and from the selected frame back to its item",
            id="main.jump",
        ),
        Binding(
            "alt+e",
            "export_conversation",
            "Export conversation",
            tooltip="Write the conversation as Markdown to a file you choose",
            show=False,
            id="main.export_conversation",
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
            "compose_event",
            "Compose event",
            tooltip="Write any client event from a template, a snippet or one sent before; "
            "checked, then sent exactly as written",
            show=False,
            id="main.compose_event",
        ),
        *VOICE_BINDINGS,
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
        self._fresh = False
        """The session being opened was asked for as a fresh one (ctrl+n, auto-renew)."""
        self._limit_timers: list[Timer] = []
        """The current session's warnings (and renewal) before the time limit."""
        self._setup_problem: str | None = None
        """Why the last connect could not start (nothing or a broken profile configured)."""
        self._secrets: tuple[str, ...] = ()
        """The live endpoint's secrets, scrubbed from what is kept of the sent events."""
        self._sent_events: SentHistory | None = None
        """Events sent by hand (the composer, /raw); read from the data folder when needed."""
        self._event_draft = ""
        """What the event composer held when it was last closed."""
        # Kept at hand: every frame reaches them, and a DOM query per frame adds up.
        self.pane = ConversationPane(id="conversation")
        self.inspector = EventInspector(id="inspector", export_dir=context.sessions_dir)
        self.composer = Composer(
            id="composer", placeholder="Type here: Enter sends, ctrl+j starts a new line"
        )
        self.composer.border_title = "Message"
        self.pane.response_cost = self._response_cost
        self.status = StatusBar(id="status", clock=context.clock, costs=lambda: self.costs)
        # Without a config file or an audio flag, nothing opens: the settings' models can
        # wait until after the first frame.
        asked = context.mic is not None or context.speaker is not None
        config = context.config if asked else context.loaded_config
        choice = voice_choice(config, context.mic, context.speaker)
        self.voice = Voice(
            choice,
            self.post_message,
            session=lambda: self.session,
            dialect=lambda: self.dialect,
            settings=lambda: self.context.config.session,
        )
        self.voice_meter = VoiceMeter(self.voice, id="voice-meter")
        self.voice_events = VoiceEvents()
        self.find_bar = FindBar(self.pane, id="find")
        self.tool_calls = ToolCalls(
            self,
            send=lambda event: self.session.send(event),
            response_create=lambda: client_events.response_create(self.dialect),
            notice=self.pane.add_notice,
        )

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield self.pane
            yield self.inspector
        yield self.find_bar
        yield self.composer
        with Horizontal(id="status-row"):
            yield self.status
            yield self.voice_meter
        yield KeyFooter()

    def on_mount(self) -> None:
        # Laid out for the terminal's width from the first frame on (see on_resize).
        self.set_class(self.app.size.width < NARROW_WIDTH, "-narrow")
        if self.context.replay is not None:
            from rt_tui.tui.replay import start_replay

            start_replay(self, self.context.replay)

    def on_unmount(self) -> None:
        self.voice.close()

    def first_frame_shown(self) -> None:
        """Start the session, if the app connects: called once the first frame is out (the
        demo's mock server, the socket and the config's models can wait for it)."""
        if self.context.connect:
            self.connect()
            if self.voice.choice.wanted:
                jobs.start(self, jobs.LIVE_AUDIO, self.voice.run())

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

    def connect(self, *, resuming: bool = False) -> None:
        """Work out where to connect and start the worker (replacing any running one);
        `resuming`: the new session is given the conversation so far."""
        from rt_tui.targets import NOTHING_CONFIGURED, resolve_target

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
            observers=(self.voice.observe,),
        )
        self.status.session_limit_s = reconnect.session_limit_s
        self._stop_limit_timers()
        self.dialect = target.dialect
        if target.endpoint is not None:
            # The key may be echoed back (an error quoting it): the inspector hides it.
            self._secrets = tuple(target.endpoint.secret_values())
            self.inspector.set_secrets(self._secrets)
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
        from rt_tui.realtime.reseed import reseed

        settings = self.context.config.session
        seed = reseed(
            self.conversation.items, self.context.config.reconnect.reseed_turns, self.dialect
        )
        self.conversation.expect_reseeded(seed.item_ids)
        events = [client_events.session_update(settings, self.dialect), *seed.events]
        return Opening(events, seed.count)

    def _interrupt(self) -> None:
        """The session is gone: what streamed is cut off, and its usage was its own."""
        change = self.conversation.mark_interrupted()
        if change:
            self.pane.show_change(self.conversation, change)
        self.conversation.totals = Totals()
        self.status.clear_usage()
        self.costs.budget.restart()
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
        if connection and event.state is WorkerState.CANCELLED:
            self._stopped_retrying()
            return
        failure = jobs.notify_failure(self, event)
        if failure is not None and connection:
            self._stop_limit_timers()
            hint = fix_hint(event.worker.error)
            if hint is not None:
                failure = f"{failure} {hint}"
                self.notify(hint, title="What to fix", severity="error", timeout=15, markup=False)
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

    @on(VoiceNote)
    def _on_voice_note(self, message: VoiceNote) -> None:
        self.pane.add_notice(message.text)
        if message.problem:
            self.notify(message.text, title="Live audio", severity="warning", timeout=10)

    @on(ToolAnswered)
    def _on_tool_answered(self, message: ToolAnswered) -> None:
        self.tool_calls.command_answered(message)

    def on_wav_read(self, message: WavRead) -> None:
        from rt_tui.tui.audio_turns import send_audio_turn

        send_audio_turn(self, message)

    def on_replay_frames(self, message: ReplayFrames) -> None:
        from rt_tui.tui.replay import show_replayed_frames

        show_replayed_frames(self, message.frames)

    def on_replay_skipped(self, message: ReplaySkipped) -> None:
        from rt_tui.tui.replay import note_skipped_line

        note_skipped_line(self, message.line)

    def on_replay_ended(self, message: ReplayEnded) -> None:
        from rt_tui.tui.replay import finish_replay

        finish_replay(self, message.count)

    # --- what the worker posts --------------------------------------------------------

    @on(FrameBatch)
    def _on_frames(self, message: FrameBatch) -> None:
        """A batch of the live session's frames: into the inspector and the reducer, in
        order; each pane and the status bar then catch up once for the whole batch."""
        if message.source is not self.session:
            return  # Still queued from a session that was replaced.
        frames = message.take()
        self.inspector.add_frames(frames)
        for line in self.voice_events.lines(frames):
            self.pane.add_notice(line, voice=True)
        for line in mcp_lines(frames):
            self.pane.add_notice(line)
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
        if change.totals or change.responses or change.rate_limits:
            self.status.show_usage(conversation)
        if change.totals:
            self._warn_over_budget()
        if change.responses:
            tools = self.context.config.session.tools
            self.tool_calls.responses_finished(conversation, change.responses, tools)
        if change.totals or change.responses:
            responding = conversation.active_response_id is not None
            if responding != self._responding:
                self._responding = responding
                self.refresh_bindings()  # Cancel is only offered while a response runs.

    def _response_cost(self, conversation: Conversation, response: Response) -> str | None:
        """What a finished response cost, for its details in the conversation pane."""
        if response.usage is None:
            return None
        return self.costs.cost_text(response.usage.counts, conversation.session, self.status.model)

    def _warn_over_budget(self) -> None:
        """Say it, once a session, when the session's cost passes `[cost] budget_usd`."""
        conversation = self.conversation
        counts = conversation.totals.counts
        warning = self.costs.budget_warning(counts, conversation.session, self.status.model)
        if warning is not None:
            # No markup: the warning names the config's [cost] section.
            self.notify(warning, title="Budget", severity="warning", timeout=10, markup=False)

    @on(LinkChanged)
    def _on_link(self, message: LinkChanged) -> None:
        if message.source is not self.session:
            return
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
            self.notify(message.detail, title="Session closed", severity="warning", markup=False)
        self.refresh_bindings()  # Esc stops the retries only while they run.

    @on(SessionLost)
    def _on_session_lost(self, message: SessionLost) -> None:
        """The worker lost the socket and will retry: say why, mark what was cut off."""
        if message.source is not self.session:
            return
        self._stop_limit_timers()
        self._interrupt()
        text = f"{message.reason} Reconnecting (Esc stops)…"
        self.pane.add_notice(text)
        self.notify(text, title="Connection lost", severity="warning", timeout=5, markup=False)

    @on(SessionResumed)
    def _on_session_resumed(self, message: SessionResumed) -> None:
        if message.source is not self.session:
            return
        text = resumed_text(message.reseeded, message.queued, fresh=self._fresh)
        self._fresh = False
        self.pane.add_notice(text)
        self.notify(text, title="Session", timeout=4)

    @on(RecordingStarted)
    def _on_recording(self, message: RecordingStarted) -> None:
        self.status.set_log_path(message.path)
        self.notify(f"Recording this session to {message.path}", title="Session log", markup=False)

    @on(RecordingFailed)
    def _on_recording_failed(self, message: RecordingFailed) -> None:
        self.status.set_log_stopped()
        self.notify(
            f"Cannot write the session log {message.path} ({message.reason}); "
            "the rest of this session is not recorded.",
            title="Session log",
            severity="error",
            markup=False,
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
            from rt_tui.targets import NOTHING_CONFIGURED

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
        if self.context.config.session.transcribes_only:
            self.pane.add_notice(TRANSCRIPTION_TAKES_SPEECH)
            return
        if text.strip() == OUTPUT_COMMAND.strip() or text.startswith(OUTPUT_COMMAND):
            output = text.removeprefix(OUTPUT_COMMAND.strip()).strip()
            self.tool_calls.answer_by_hand(self.conversation, output)
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
            from rt_tui.tui.audio_turns import start_wav_turn

            start_wav_turn(self, argument)
        elif command == "/save-audio":
            from rt_tui.tui.audio_turns import save_audio

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
        """`/raw FRAME` or the event composer: send the frame as is (it shows in the
        inspector like any sent frame) and keep it in the composer's history; `/raw`
        alone opens the composer."""
        if not frame_text:
            self.action_compose_event()
            return
        if self.context.replay is not None:
            self.pane.add_notice("replay: read-only, nothing was sent.")
            return
        if not self.session.send_raw(frame_text):
            self.pane.add_notice("Not connected, so nothing was sent: press ctrl+r to reconnect.")
            return
        history = self.sent_events
        history.add(frame_text, self._secrets)
        if history.problem:
            self.notify(history.problem, title="Composer", severity="warning", markup=False)

    @on(Composer.CancelRequested, "#composer")
    def _on_cancel_requested(self) -> None:
        self.action_cancel_response()

    def action_replay_pause(self) -> None:
        from rt_tui.tui.replay import toggle_pause

        toggle_pause(self)

    def action_replay_step(self, what: Literal["frame", "response"]) -> None:
        from rt_tui.tui.replay import step

        step(self, what)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action.startswith("replay_"):
            if self.context.replay is None:
                return False
            from rt_tui.tui.replay import paced

            return paced(self)
        replay_off = ("cancel_response", "reconnect", "talk", "mute")
        if action in replay_off and self.context.replay:
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

    def action_talk(self) -> None:
        """Push-to-talk, or interrupt the assistant (see `rt_tui.tui.voice`)."""
        self.voice.talk()

    def action_mute(self) -> None:
        """Mute or unmute the microphone."""
        self.voice.mute()

    @cached_property
    def costs(self) -> CostMeter:
        """Prices the session's tokens; made with the first usage, not for the first frame."""
        from rt_tui.cost.meter import CostMeter
        from rt_tui.cost.table import price_table

        cost = self.context.config.cost
        return CostMeter(price_table(cost), budget_usd=cost.budget_usd)

    @property
    def sent_events(self) -> SentHistory:
        """The events sent by hand, this session's and earlier ones (from the data folder)."""
        if self._sent_events is None:
            from rt_tui.event_composer.history import HISTORY_FILE, SentHistory

            path = paths.data_dir() / HISTORY_FILE
            limit = self.context.config.composer.history_size
            self._sent_events = SentHistory(path, limit)
        return self._sent_events

    def action_compose_event(self) -> None:
        """Open the event composer, its templates filled with this session's ids."""
        from rt_tui.tui.screens.event_composer import EventComposerScreen

        config = self.context.config
        from rt_tui.event_composer.templates import session_ids, templates

        ids = session_ids(self.conversation)
        screen = EventComposerScreen(
            dialect=self.dialect,
            templates=templates(self.dialect, ids, config.session),
            snippets=config.composer.snippets,
            sent=self.sent_events.texts,
            draft=self._event_draft,
            env=self.context.env,
        )
        self.app.push_screen(screen, self._composed)

    def _composed(self, outcome: ComposerOutcome | None) -> None:
        if outcome is None:
            return
        self._event_draft = outcome.text
        if outcome.send:
            self._send_raw_frame(outcome.text)

    def action_bundle(self) -> None:
        """Write a bug-report zip of this session (or of the replayed log)."""
        from rt_tui.tui.bug_report import start_bundle

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

    def action_cost(self) -> None:
        """Show what this session cost: per response, by kind of token, budget, limits."""
        from rt_tui.tui.screens.cost import CostScreen  # Not needed for the first frame.

        self.app.push_screen(CostScreen(self.conversation, self.costs, self.status.model))

    def action_session_diff(self) -> None:
        """Show what each session.update asked for against what the session got."""
        from rt_tui.tui.screens.session_diff import SessionDiffScreen

        context = self.context
        screen = SessionDiffScreen(self.conversation, context.config, context.env, context.profile)
        self.app.push_screen(screen)

    def action_toggle_details(self) -> None:
        """Show or hide usage and latency under each response."""
        self.pane.toggle_details()

    # --- finding things ---------------------------------------------------------------

    def action_find(self) -> None:
        """Find text in the conversation."""
        self.find_bar.open()

    def action_latency(self) -> None:
        """Open the latency screen; the response picked there is shown in the inspector."""
        from rt_tui.tui.screens.latency import LatencyScreen  # Not needed for the first frame.

        def picked(response_id: str | None) -> None:
            if response_id is not None:
                self.show_frames_of(("response", response_id))

        self.app.push_screen(LatencyScreen(self.inspector.latency), picked)

    def action_jump(self) -> None:
        """From the conversation's selected item to its frames, or from the inspector's
        selected frame back to its item."""
        inspector, pane = self.inspector, self.pane
        if inspector.has_focus_within:
            if pane.select_subject(inspector.selected_subject()):
                pane.focus()
            else:
                self.notify("The conversation shows nothing of this frame.", timeout=3)
        elif (key := pane.selected_key) is None:
            self.notify(
                "Select an item first: alt+up / alt+down in the conversation, or ctrl+f.",
                timeout=4,
            )
        else:
            self.show_frames_of(key)

    def show_frames_of(self, key: tuple[str, str]) -> None:
        """Show the frames of a conversation item or a response in the inspector."""
        if self.inspector.show_entry(key):
            self.inspector.display = True
            self.inspector.rows.focus()
        else:
            self.notify("The inspector holds no frame of it.", timeout=3)

    def action_export_conversation(self) -> None:
        """Write the conversation as Markdown, where the user says."""
        start_conversation_export(self)

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
        self.tool_calls.reset()
        self._responding = False
        self.status.clear_usage()
        self.costs.budget.restart()
        self.refresh_bindings()
        await self.pane.clear()
        self.inspector.clear()

    def action_settings(self) -> None:
        """Open the settings screen."""
        self.open_settings()

    def open_settings(self, notice: str | None = None) -> None:
        # The settings screen is imported when first opened: the first frame does not need it.
        from rt_tui.targets import resolve_target
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

        if outcome.config.audio != self.context.config.audio:
            self._replace_voice(outcome.config)
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

    def _replace_voice(self, config: Config) -> None:
        """The settings name another microphone or speaker: from now on they say which
        (over --mic / --speaker), and the new ones are opened."""
        context = self.context
        context.mic = context.speaker = None
        self.voice.replace(voice_choice(config))
        self.voice_meter.follow()
        if self.voice.choice.wanted and context.connect:
            jobs.start(self, jobs.LIVE_AUDIO, self.voice.run())
