"""Live voice in the TUI: the microphone streamed to the session, the assistant's audio
played, push-to-talk, mute, half-duplex and barge-in.

The engine (`rt_tui.realtime.audio_io`) does the audio; this is the glue. The main
screen's engine parts (`tui.screens.main_engine`) make one `Voice` for the app's life;
- the live session adds `Voice.observe` to each connection's observers, so the reply plays,
  and a barge-in happens, as frames come off the socket, without waiting for the screen's
  batches;
- `MainEngine.run_voice` starts `Voice.run` as the live-audio job: it opens the microphone
  and speaker off the event loop (PortAudio can take a moment), says once why one cannot
  be had, and streams the microphone from the moment the session exists until the source
  ends;
- the screen calls `talk` and `mute` for the keys, and the engine `close` when it goes.

Turn taking follows the session's turn detection. With server or semantic VAD the
microphone is open and the server ends the turns; the talk key interrupts the assistant.
With none, the talk key is push-to-talk: press to start, press again to commit the turn
and ask for a response.

Barge-in: when the user starts speaking (the server's `speech_started`, or the talk key)
while the assistant's audio plays, playback stops at once, `conversation.item.truncate`
says how much of the item was heard (what the sink played), and the response is
cancelled when the server will not cancel it by itself. Half-duplex mutes the microphone
while the assistant speaks.

What `Voice` has to say goes to the screen as `VoiceNote` messages.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from textual.message import Message

from rt_tui.dialect import Dialect
from rt_tui.realtime import (
    audio_io,  # its parts load when first used: not for the first frame
    client_events,
)
from rt_tui.realtime.audio_turn import (
    MIN_TURN_MS,
    TurnMode,
    server_interrupts,
    tail_silence_ms,
    turn_mode_of_session,
)
from rt_tui.realtime.client_events import ClientEvent, session_update_needed
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.tui.voice_choice import VoiceChoice, open_choice
from rt_tui.tui.voice_events import CUT, MIC, seconds
from rt_tui.tui.voice_notes import (
    NO_MIC,
    how_to_talk,
    mic_ended,
    nothing_to_play,
    talk_key,
)

if TYPE_CHECKING:
    from rt_tui.config import SessionSettings
    from rt_tui.realtime.audio_io import PlaybackCut, ReplyPlayer, Sink, Source
    from rt_tui.realtime.response_events import DeltaEvent, ResponseEvent
    from rt_tui.realtime.session_events import SessionEvent
    from rt_tui.tui.worker import Session


@dataclass
class VoiceNote(Message, bubble=False):
    """A line for the conversation from the live audio; `problem`: also worth a toast."""

    text: str
    problem: bool = False


class Voice:
    """The live audio of the app: one microphone and one speaker across its sessions."""

    def __init__(
        self,
        choice: VoiceChoice,
        post: Callable[[Message], object],
        session: Callable[[], Session],
        dialect: Callable[[], Dialect],
        settings: Callable[[], SessionSettings],
        keymap: Callable[[], Mapping[str, str]] = dict,
    ) -> None:
        """`session`, `dialect` and `settings`: the screen's current session handle, its
        dialect and the session settings it sends; `keymap`: the config's, for the talk
        key its notes name."""
        self.choice = choice
        self._keymap = keymap
        self._post = post
        self._session = session
        self._dialect = dialect
        self._settings = settings
        self.source: Source | None = None
        self.sink: Sink | None = None
        self._mic_problem: str | None = None
        """Why the microphone asked for could not be had (said when it was tried)."""
        self._player: ReplyPlayer | None = None
        self._session_frame: Frame | None = None
        """The last session.created / .updated, for a player that starts after it."""
        self._session_ready = asyncio.Event()
        self.mode: TurnMode = turn_mode_of_session(None)
        self._server_interrupts = True
        self.speaking = False
        """The server's VAD hears speech (between speech_started and speech_stopped)."""
        self.talking = False
        """Push-to-talk: the talk key was pressed and the turn is being spoken."""
        self._talk_from_ms = 0.0
        self._active_response: str | None = None
        self.file_streaming = False
        """`/wav --realtime` is speaking: the microphone waits meanwhile."""
        self.cuts = 0
        """Barge-ins so far (replies cut short)."""

    # --- what the screen asks ---------------------------------------------------------

    @property
    def half_duplex(self) -> bool:
        return self.choice.half_duplex

    @property
    def muted(self) -> bool:
        return self.source is not None and self.source.muted

    @property
    def sending(self) -> bool:
        """The microphone's audio goes to the session right now."""
        return self.source is not None and not self.source.closed and self._gate()

    @cached_property
    def _event_types(
        self,
    ) -> tuple[type[DeltaEvent], type[ResponseEvent], type[SessionEvent]]:
        """The event classes `observe` sorts frames by: loaded with the first frame (parsed
        into one), not for the first screen, and looked up once, not a frame."""
        from rt_tui.realtime.response_events import DeltaEvent, ResponseEvent
        from rt_tui.realtime.session_events import SessionEvent

        return DeltaEvent, ResponseEvent, SessionEvent

    def observe(self, frame: Frame) -> None:
        """A connection observer: every frame, both ways, as it crosses the socket."""
        event = frame.event
        if frame.direction is not Direction.RECEIVED or event is None:
            return
        if self._player is not None:
            self._player.observe(frame)
        DeltaEvent, ResponseEvent, SessionEvent = self._event_types
        if isinstance(event, DeltaEvent):
            return  # The bulk of a stream: none is a turn's or a response's start or end.
        kind = event.kind
        if isinstance(event, SessionEvent):
            self._session_frame = frame
            self.mode = turn_mode_of_session(event.session)
            self._server_interrupts = server_interrupts(event.session)
            # The microphone waits for the session it was configured for: the server's
            # VAD must judge its first chunk with the settings the user chose.
            wanted = self._settings()
            if kind == "session.updated" or not session_update_needed(wanted, event.session):
                self._session_ready.set()
        elif isinstance(event, ResponseEvent):
            if kind == "response.created":
                self._active_response = event.response_id
            elif kind == "response.done" and event.response_id == self._active_response:
                self._active_response = None
        elif kind == "input_audio_buffer.speech_started":
            self.speaking = True
            self._barge_in(cancel=not self._server_interrupts, why="you spoke")
        elif kind in ("input_audio_buffer.speech_stopped", "input_audio_buffer.committed"):
            self.speaking = False

    def talk(self) -> None:
        """The talk key: interrupt the assistant; with manual turns, start or end one."""
        key = self._talk_key()
        cut = self._barge_in(cancel=True, why=key)
        source = self.source
        if source is None or (source.closed and not self.talking):
            if cut is None:
                self._note(self._no_mic())
            return
        if not self.mode.manual:
            if cut is None:
                self._note(
                    f"{MIC} Open microphone ({self.mode.detection}): just speak, the server "
                    f"ends the turn; {key} interrupts the assistant."
                )
            return
        if not self.talking:
            self.talking = True
            self._talk_from_ms = source.delivered_ms
            self._note(f"{MIC} Talking: press {key} again to send the turn.")
            return
        self.talking = False
        spoken = source.delivered_ms - self._talk_from_ms
        if spoken < MIN_TURN_MS:
            self._send(client_events.audio_clear())
            self._note(f"{MIC} Too short to send ({spoken:.0f} ms): the turn was cleared.")
            return
        self._send(client_events.audio_commit())
        if not self.mode.asks_response:
            self._note(f"{MIC} Sent {seconds(spoken)} of speech: committed for transcription.")
            return
        self._send(client_events.response_create(self._dialect()))
        self._note(f"{MIC} Sent {seconds(spoken)} of speech: committed, response requested.")

    def mute(self) -> None:
        """The mute key: silence what the microphone sends (the meter still moves)."""
        source = self.source
        if source is None or source.closed:
            self._note(self._no_mic())
            return
        source.muted = not source.muted
        self._note(f"{MIC} Microphone {'muted: silence is sent' if source.muted else 'on'}.")

    async def run(self) -> None:
        """The live-audio job: open the devices, then stream the microphone."""
        source, sink, problems = await asyncio.to_thread(open_choice, self.choice)
        for problem in problems:
            self._note(f"{problem} Everything else works; WAV files work as both.", problem=True)
        if source is None and not isinstance(self.choice.mic, audio_io.NoAudio):
            self._mic_problem = f"No microphone: {self.choice.mic} could not be opened (see above)."
        if sink is not None:
            try:
                sink.start()
            except audio_io.AudioUnavailable as problem:  # a device that opened but will not play
                self._note(f"No speaker: {problem}", problem=True)
                sink.close()
                sink = None
        if sink is not None:
            self.sink = sink
            self._player = audio_io.ReplyPlayer(sink)
            if self._session_frame is not None:
                self._player.observe(self._session_frame)
            self._note(f"Speaker: {sink.description}.{nothing_to_play(self._settings())}")
        if source is None:
            return
        self.source = source
        how = how_to_talk(self._settings(), self._talk_key())
        self._note(f"Microphone: {source.description}. {how}")
        await self._session_ready.wait()
        try:
            await audio_io.send_source(source, self._send_audio, gate=self._gate)
        except audio_io.AudioUnavailable as problem:  # the device would not start capturing
            source.close()
            self.source = None
            self._mic_problem = f"No microphone: {problem}"
            self._note(self._mic_problem, problem=True)
            return
        self._source_ended(source)

    def close(self) -> None:
        """Let the devices and files go (the screen is going, or others replace them)."""
        if self.source is not None:
            self.source.close()
        if self.sink is not None:
            self.sink.close()

    def replace(self, choice: VoiceChoice) -> None:
        """Use another microphone and speaker from now on (the settings changed): the
        current ones are let go; `run` opens the new ones."""
        self.close()
        self.choice = choice
        self.source = self.sink = self._player = None
        self._mic_problem = None
        self.talking = False

    async def stream_file(self, path: str) -> None:
        """`/wav --realtime`: speak a WAV file into the session at real-time pace (the
        microphone waits), then end the turn as the session's turn detection wants.
        Raises WavError (one sentence)."""
        mode = self.mode
        file = await asyncio.to_thread(audio_io.WavSource, path, tail_ms=tail_silence_ms(b"", mode))
        self.file_streaming = True
        try:
            await audio_io.send_source(file, self._send_audio)
        finally:
            self.file_streaming = False
        if mode.manual:
            self._send(client_events.audio_commit())
            if mode.asks_response:
                self._send(client_events.response_create(self._dialect()))
        self._note(
            f"{MIC} Spoke {file.description} in real time: {seconds(file.duration_ms)} with "
            f"the silence after it ({mode.describe()})."
        )

    # --- inside ------------------------------------------------------------------------

    def _gate(self) -> bool:
        """Whether the microphone's chunk goes to the session now."""
        if self.file_streaming:
            return False
        if self.half_duplex and self.sink is not None and self.sink.playing:
            return False
        return self.talking if self.mode.manual else True

    def _send(self, event: ClientEvent) -> None:
        self._session().send(event)

    def _send_audio(self, event: ClientEvent) -> None:
        """Audio goes to an open socket only: while a lost one is replaced it is dropped,
        as a microphone's would be, rather than piled up for the next."""
        session = self._session()
        if session.connected:
            session.send(event)

    def _barge_in(self, *, cancel: bool, why: str) -> PlaybackCut | None:
        """Stop the assistant's audio if it plays, and tell the server where it was cut;
        the cut, or None when nothing played."""
        sink = self.sink
        if sink is None:
            return None
        cut = audio_io.interrupt_playback(sink, self._send)
        if cut is None:
            return None
        self.cuts += 1
        cancelled = ""
        if cancel and self._active_response is not None:
            self._send(client_events.response_cancel(self._active_response))
            cancelled = ", response cancelled"
        self._note(
            f"{CUT} Barge-in ({why}): playback of {cut.item_id} stopped at "
            f"{seconds(cut.audio_end_ms)}; truncate sent{cancelled}."
        )
        return cut

    def _source_ended(self, source: Source) -> None:
        if source is not self.source:
            return  # let go of (replaced): nothing to say
        source.close()  # done: the meter says so
        error = getattr(source, "error", None)
        if isinstance(error, str):
            self._note(error, problem=True)
        elif isinstance(source, audio_io.WavSource):
            self._note(f"{MIC} {source.description} has been spoken: the microphone is done.")

    def _no_mic(self) -> str:
        """Why the talk and mute keys have no microphone to work on."""
        if self.source is not None:
            return mic_ended(self.source)
        return self._mic_problem or NO_MIC

    def _talk_key(self) -> str:
        return talk_key(self._keymap())

    def _note(self, text: str, *, problem: bool = False) -> None:
        self._post(VoiceNote(text, problem))
