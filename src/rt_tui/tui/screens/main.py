"""The main screen: conversation and event inspector side by side, composer, status bar.

It routes each message its jobs post (the connection, `/wav`, live voice, a replay) to
the widgets that show it; its one `Worker.StateChanged` handler says any job's failure
(`rt_tui.tui.jobs`). What runs behind the panes, each part made when first needed (the
conversation reducer, the connection, the voice, the function-call answerer, the cost
meter), is its `MainEngine` (`main_engine`). The connection's lifecycle (connect, drop,
retry, resume, fresh session, countdown) is the engine's `LiveSession`
(`rt_tui.tui.live_session`), what Enter does is `rt_tui.tui.submitted`'s, and its keys are
listed in `main_keys`. It holds no socket code: sending goes through the worker's
`Session` handle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from textual import on
from textual.app import ComposeResult
from textual.events import Key, Resize, ScreenResume
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker

from rt_tui.dialect import Dialect
from rt_tui.realtime import client_events
from rt_tui.tui import jobs
from rt_tui.tui.cancel_offer import CancelOffer
from rt_tui.tui.context import AppContext
from rt_tui.tui.item_frames import jump, show_frames_of
from rt_tui.tui.messages import (
    FrameBatch,
    LinkChanged,
    Notice,
    RecordingFailed,
    RecordingStarted,
    SessionLost,
    SessionResumed,
)
from rt_tui.tui.screens.composed_events import ComposedEvents
from rt_tui.tui.screens.main_engine import MainEngine
from rt_tui.tui.screens.main_keys import MAIN_BINDINGS
from rt_tui.tui.widgets.backdrop import Backdrop, BackdropHorizontal, BackdropVertical
from rt_tui.tui.widgets.composer import Composer
from rt_tui.tui.widgets.conversation import ConversationPane
from rt_tui.tui.widgets.find_bar import FindBar
from rt_tui.tui.widgets.focus_mark import mark_focused
from rt_tui.tui.widgets.inspector import EventInspector
from rt_tui.tui.widgets.key_footer import KeyFooter
from rt_tui.tui.widgets.markdown_text import load_markdown
from rt_tui.tui.widgets.pane_frame import PaneFrame
from rt_tui.tui.widgets.repaint_beat import RepaintBeat
from rt_tui.tui.widgets.status import StatusBar
from rt_tui.tui.widgets.voice_meter import VoiceMeter

if TYPE_CHECKING:
    from rt_tui.realtime.conversation import Conversation
    from rt_tui.realtime.conversation_model import Response
    from rt_tui.tui.audio_turns import WavRead
    from rt_tui.tui.replay import ReplayEnded, ReplayFrames, ReplayMark, ReplaySkipped
    from rt_tui.tui.screens.settings import SettingsOutcome
    from rt_tui.tui.tool_calls import ToolAnswered
    from rt_tui.tui.voice import VoiceNote
    from rt_tui.tui.worker import Session

__all__ = ["NARROW_WIDTH", "MainScreen"]

# What only a replay, a /wav or /save-audio, F8, a function call, live audio or a
# connection needs is imported where it is used: the first frame needs none of it (replays
# and bundles bring zipfile, the log reader and the config's pydantic models; live voice its
# audio modules). The messages of the replay's, /wav's, the voice's and tools' jobs are
# handled by name (`on_replay_frames`…), since `@on` would need their classes at start.

NARROW_WIDTH = 110
"""Below this many columns the inspector goes under the conversation instead of beside it."""


class MainScreen(Screen[None], Backdrop):
    """Talk to the model on the left, watch every frame on the right."""

    AUTO_FOCUS = "#composer"
    """Focused from the first frame: Textual's default, the first focusable widget (the
    conversation), had the frame drawn with it focused and every pane styled twice."""

    BINDINGS = MAIN_BINDINGS

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self._shown = False
        """Whether the screen has been shown before."""
        self.beat = RepaintBeat(self)
        """Takes the frames that arrived and redraws both panes, in one screen update."""
        self.cancel_offer = CancelOffer(
            self, lambda: self.conversation.active_response_id is not None, self.refresh_bindings
        )
        self.composed = ComposedEvents(self)
        """The event composer's history of sent events and its draft."""
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
        self.pane.response_cost = self._response_cost
        self.status = StatusBar(id="status", clock=context.clock, costs=lambda: self.engine.costs)
        self.engine = MainEngine(self, context)
        """The conversation, connection, voice, tools and costs behind the panes."""
        self.voice_meter = VoiceMeter(
            lambda: self.engine.voice, wanted=lambda: self.engine.voice_wanted, id="voice-meter"
        )
        self.find_bar = FindBar(self.pane, id="find")

    @property
    def conversation(self) -> Conversation:
        """The conversation reducer (`MainEngine.conversation`), where most views and tests
        take it from; the paths every batch of frames takes (`SessionFrames`, the replay)
        read the engine's, a call fewer."""
        return self.engine.conversation

    def compose(self) -> ComposeResult:
        with BackdropHorizontal(id="panes"):
            yield self.conversation_box
            yield self.inspector
        yield self.composer_box
        with BackdropVertical(id="bars"):
            with BackdropHorizontal(id="status-row"):
                yield self.status
                yield self.voice_meter
            yield KeyFooter()

    def on_mount(self) -> None:
        # Laid out for the terminal's width from the first frame on (see on_resize).
        self.set_class(self.app.size.width < NARROW_WIDTH, "-narrow")
        if self.context.replay is not None:
            from rt_tui.tui.replay import start_replay

            start_replay(self, self.context.replay)

    def on_screen_resume(self, event: ScreenResume) -> None:
        # Runs before Textual's own handler. The first time, every widget was just styled
        # as it mounted: styling the whole screen again (~10 ms) only delays the first frame.
        if not self._shown:
            self._shown = True
            event.refresh_styles = False

    def on_unmount(self) -> None:
        self.engine.close()

    def first_frame_shown(self) -> None:
        """Start the session, if the app connects: called once the first frame is out (the
        demo's mock server, the socket and the config's models can wait for it). Markdown
        loads then too, while the socket opens, not in the middle of the first reply, and
        so does what the first message and the first usage need."""
        # The engine's side is made now, not with the first key or frame.
        self.engine.make()
        self.inspector.start()
        # The restyle skipped for the first frame: it also styles the panes' scrollbars,
        # which otherwise take their styles, and a layout, when their pane first overflows.
        self.update_node_styles(animate=False)
        if self.context.connect:
            self.connect()
            self.engine.run_voice()
        self.call_later(load_markdown)
        self.call_later(self._ready_for_replies)

    def _ready_for_replies(self) -> None:
        """Load what Enter and the first usage need (the slash commands, the price table),
        so the first reply's frames do not wait for it."""
        from rt_tui.tui import submitted  # noqa: F401

        if self.context.connect:
            self.engine.costs  # noqa: B018  (made now, not with the first reply's usage)

    def watch_focused(self, focused: Widget | None) -> None:
        mark_focused((self.conversation_box, self.inspector, self.composer_box), focused)

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    def on_key(self, event: Key) -> None:
        # Typing is never lost: a key no pane took goes to the composer.
        self.composer.take_stray_key(event)

    # --- the live session ------------------------------------------------------------

    @property
    def session(self) -> Session:
        """The live session's handle: what the screen sends goes through it."""
        return self.engine.live.session

    @property
    def dialect(self) -> Dialect:
        return self.engine.live.dialect

    @property
    def connection_worker(self) -> Worker[None] | None:
        return self.engine.live.worker

    def connect(self) -> None:
        """Open the live session (where to is worked out from the context)."""
        self.engine.live.connect()

    def set_responding(self, responding: bool, *, hold: bool = False) -> None:
        """Whether a response runs: Cancel is offered only then (with `hold`, a moment
        longer: see `CancelOffer`)."""
        self.cancel_offer.set(responding, hold=hold)

    @on(Worker.StateChanged)
    def _on_worker_state(self, event: Worker.StateChanged) -> None:
        """The one handler of every job's worker (see `jobs`): a failure is said."""
        if event.worker.group == jobs.CONNECTION.group:
            self.engine.live.on_worker_state(event)
        else:
            jobs.notify_failure(self, event)

    @on(LinkChanged)
    def _on_link(self, message: LinkChanged) -> None:
        self.engine.live.on_link(message)

    @on(SessionLost)
    def _on_session_lost(self, message: SessionLost) -> None:
        self.engine.live.on_lost(message)

    @on(SessionResumed)
    def _on_session_resumed(self, message: SessionResumed) -> None:
        self.engine.live.on_resumed(message)

    @on(RecordingStarted)
    def _on_recording(self, message: RecordingStarted) -> None:
        self.engine.live.on_recording(message)

    @on(RecordingFailed)
    def _on_recording_failed(self, message: RecordingFailed) -> None:
        self.engine.live.on_recording_failed(message)

    # --- what the other jobs post -----------------------------------------------------
    # The session's frames wait for the next repaint beat: what a job or the user does
    # next reads the conversation after the frames that came before (the session's turn
    # detection, a response that ended), and its notices come after them.

    @on(Notice)
    def _on_notice(self, message: Notice) -> None:
        self.engine.live.frames.take()
        self.pane.add_notice(message.text)

    def on_voice_note(self, message: VoiceNote) -> None:
        self.engine.live.frames.take()
        self.pane.add_notice(message.text)
        if message.problem:
            self.notify(message.text, title="Live audio", severity="warning", timeout=10)

    def on_tool_answered(self, message: ToolAnswered) -> None:
        self.engine.live.frames.take()
        self.engine.tool_calls.command_answered(message)

    def on_wav_read(self, message: WavRead) -> None:
        from rt_tui.tui.audio_turns import send_audio_turn

        self.engine.live.frames.take()
        send_audio_turn(self, message)

    def on_replay_frames(self, message: ReplayFrames) -> None:
        from rt_tui.tui.replay import show_replayed_frames

        show_replayed_frames(self, message.frames)

    def on_replay_skipped(self, message: ReplaySkipped) -> None:
        from rt_tui.tui.replay import note_skipped_line

        note_skipped_line(self, message.line)

    def on_replay_mark(self, message: ReplayMark) -> None:
        from rt_tui.tui.replay import show_replayed_mark

        show_replayed_mark(self, message.mark)

    def on_replay_ended(self, message: ReplayEnded) -> None:
        from rt_tui.tui.replay import finish_replay

        finish_replay(self, message.count)

    # --- what the worker posts --------------------------------------------------------

    @on(FrameBatch)
    def _on_frames(self, message: FrameBatch) -> None:
        self.engine.live.on_frames(message)

    # --- what the user does -----------------------------------------------------------

    @on(Composer.Submitted, "#composer")
    def _on_submit(self, message: Composer.Submitted) -> None:
        # What a submit needs (slash commands, turns) loads with the first one, after the
        # first frame.
        from rt_tui.tui.submitted import submit_text

        self.engine.live.frames.take()
        submit_text(self, message.text)

    @on(Composer.CancelRequested, "#composer")
    def _on_cancel_requested(self) -> None:
        self.action_cancel_response()

    def action_replay_pause(self) -> None:
        from rt_tui.tui.replay import toggle_pause

        toggle_pause(self)

    def action_replay_step(self, what: Literal["frame", "response"]) -> None:
        from rt_tui.tui.replay import step

        step(self, what)

    def action_replay_speed(self) -> None:
        from rt_tui.tui.replay import next_speed

        next_speed(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action.startswith("replay_"):
            if self.context.replay is None:
                return False
            from rt_tui.tui.replay import paced

            return paced(self)
        replay_off = ("cancel_response", "reconnect", "talk", "mute")
        if action in replay_off and self.context.replay:
            return False  # A replay sends nothing.
        offered = self.cancel_offer.offered
        if action == "cancel_response" and not (offered or self.engine.retrying):
            return None  # Shown dimmed in the footer.
        return True

    def action_cancel_response(self) -> None:
        """Ask the server to stop the response that is running, if one is; while a lost
        session is being retried, stop retrying."""
        live = self.engine.live
        live.frames.take()
        if live.stop_retrying():
            return
        response_id = self.conversation.active_response_id
        if response_id is None:
            self.notify("No response is running.", timeout=2)
            return
        self.session.send(client_events.response_cancel(response_id))

    def action_talk(self) -> None:
        """Push-to-talk, or interrupt the assistant (see `rt_tui.tui.voice`)."""
        self.engine.voice.talk()

    def action_mute(self) -> None:
        """Mute or unmute the microphone."""
        self.engine.voice.mute()

    def action_compose_event(self) -> None:
        """Open the event composer, its templates filled with this session's ids."""
        self.composed.open()

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

        self.app.push_screen(CostScreen(self.conversation, self.engine.costs, self.status.model))

    def _response_cost(self, conversation: Conversation, response: Response) -> str | None:
        """What a finished response cost, for its details in the conversation pane."""
        if response.usage is None:
            return None
        costs = self.engine.costs
        return costs.cost_text(response.usage.counts, conversation.session, self.status.model)

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

    async def action_find(self) -> None:
        """Find text in the conversation."""
        if not self.find_bar.is_attached:  # Mounted when first used, not for the first frame.
            await self.mount(self.find_bar, before=self.composer_box)
        self.find_bar.open()

    def action_latency(self) -> None:
        """Open the latency screen; the response picked there is shown in the inspector."""
        from rt_tui.tui.screens.latency import LatencyScreen  # Not needed for the first frame.

        def picked(response_id: str | None) -> None:
            if response_id is not None:
                show_frames_of(self, ("response", response_id))

        self.app.push_screen(LatencyScreen(self.inspector.latency), picked)

    def action_jump(self) -> None:
        """From the conversation's selected item to its frames, or from the inspector's
        selected frame back to its item."""
        jump(self)

    def action_export_conversation(self) -> None:
        """Write the conversation as Markdown, where the user says."""
        from rt_tui.tui.conversation_export import start_conversation_export

        start_conversation_export(self)

    def action_reconnect(self, fresh: bool = False) -> None:
        """Open a new session now and give it the conversation so far (what streamed is
        cut off and marked interrupted)."""
        if self.context.replay is not None:
            self.notify("replay: read-only, nothing connects.", severity="warning", timeout=3)
            return
        self.engine.live.reconnect(fresh=fresh)

    def action_fresh_session(self) -> None:
        """A fresh session before the time limit, with the conversation re-sent."""
        self.action_reconnect(fresh=True)

    async def reset(self) -> None:
        """Forget the conversation, the frames shown and the session's usage."""
        self.engine.reset()
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

        if outcome.config.audio != self.context.config.audio:
            # Other devices: from now on the settings say which (over --mic / --speaker).
            self.engine.replace_voice(outcome.config)
            self.voice_meter.follow()
            if self.context.connect:
                self.engine.run_voice()
        self.context.config = outcome.config
        apply = apply_needed(self.context, outcome)
        if apply == "none":
            return
        if apply == "session" and self.engine.live.send_settings():
            self.notify("Session settings sent.", timeout=3)
        else:
            # A new endpoint, or no session to update: start one with the new settings.
            self.action_reconnect()
