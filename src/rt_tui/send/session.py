"""`rt-tui send`: one message, one streamed reply, then exit.

Like a careful client, it waits for the server's `session.created` (its first frame) before
sending anything. Text (or, for audio sessions, the audio transcript) streams to stdout as
it arrives; with `--json` every frame of both directions is printed as one JSON line instead,
in the order the frames crossed the socket. Problems end as one `rt-tui: …` line on stderr
and a non-zero exit code; one `--timeout` covers the whole exchange.

`--wav FILE` sends a WAV file as the user's turn (after TEXT, if given), ended as the
session's turn detection wants (`rt_tui.realtime.audio_turn`); `--save-audio FILE` asks
for a spoken reply and writes its audio. Either sends the session settings first, so the
turn detection and modality are known rather than the server's defaults. `--mic` and
`--speaker` speak the turn and play the reply in real time (`rt_tui.send.live`).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rt_tui.config import ConfigError, SessionSettings, load_config, transcribing
from rt_tui.realtime import client_events
from rt_tui.realtime.audio import WavError, take_resampling_notice
from rt_tui.realtime.audio_io import ReplyPlayer
from rt_tui.realtime.audio_turn import (
    TurnMode,
    audio_turn_events,
    load_turn_audio,
    turn_mode_of_settings,
)
from rt_tui.realtime.connection import Connection, FrameObserver, RealtimeError
from rt_tui.realtime.errors import one_line, os_reason, scrub
from rt_tui.realtime.event_registry import ServerEvent
from rt_tui.realtime.recorder import SessionRecorder
from rt_tui.realtime.response_events import DeltaEvent, PartDoneEvent, ResponseEvent
from rt_tui.realtime.retry import Backoff, drop_reason, is_drop, is_retryable
from rt_tui.realtime.session_events import ErrorEvent
from rt_tui.send.json_lines import json_printer
from rt_tui.send.live import LiveAudio, LiveAudioError, open_live_audio, speak
from rt_tui.send.output import Output
from rt_tui.send.reply_audio import AudioFileError, ReplyAudio, check_writable
from rt_tui.send.sockets import SendSockets
from rt_tui.send.transcribe import TRANSCRIBE_NEEDS_WAV, TranscriptionFailed, transcribe
from rt_tui.targets import LaunchError, resolve_target, target_endpoint

if TYPE_CHECKING:
    from rt_tui.mock.scenarios import ScenarioChoice

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

#: Our own event ids, so an `error` naming one of them is known to be fatal for the send.
SESSION_ID = "rt_send_session"
MESSAGE_ID = "rt_send_message"
RESPONSE_ID = "rt_send_response"
_OUR_IDS = {SESSION_ID: "the session settings", MESSAGE_ID: "the message"}
_OUR_IDS[RESPONSE_ID] = "the response request"

_STREAMED_KINDS = frozenset(
    {"response.output_text.delta", "response.output_audio_transcript.delta"}
)


class SendFailed(Exception):
    """Ends the send with one sentence on stderr."""


def _response_outcome(event: ResponseEvent, known_secrets: tuple[str, ...]) -> str | None:
    """None for a completed response, else the sentence saying how it ended."""
    status = event.status or "unknown"
    if status == "completed":
        return None
    details = event.response.get("status_details")
    reason = ""
    if isinstance(details, dict):
        error = details.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            reason = error["message"]
        elif isinstance(details.get("reason"), str):
            reason = details["reason"].replace("_", " ")
    suffix = f": {one_line(scrub(reason, known_secrets), 200).rstrip('.')}" if reason else ""
    return f"the response ended as {status}{suffix}."


def _report_error(event: ErrorEvent, known_secrets: tuple[str, ...]) -> None:
    """Stop on an error about one of our events; print any other error and carry on. The
    server's text may echo the key, so it is scrubbed first."""
    info = event.error
    text = one_line(scrub(info.one_line(), known_secrets), 300)
    if info.event_id in _OUR_IDS:
        raise SendFailed(f"the server rejected {_OUR_IDS[info.event_id]}: {text.rstrip('.')}.")
    print(f"rt-tui: server error: {text}", file=sys.stderr)


class _Progress:
    """How far the exchange got, so a timeout can say what was missing, and a drop
    whether it may be retried."""

    session_ready = False
    reply_started = False
    """A frame of the reply came: a drop from now on is not retried (output may have
    been printed, and a second reply would repeat it)."""


@dataclass(frozen=True)
class _Turn:
    """What the user sends: text, audio, or text then audio; and where reply audio goes."""

    text: str | None = None
    pcm: bytes | None = None
    save_audio: Path | None = None
    live: LiveAudio = field(default_factory=LiveAudio)
    """--mic, spoken after TEXT, and --speaker."""

    @property
    def has_audio(self) -> bool:
        live = self.live.source is not None or self.live.sink is not None
        return self.pcm is not None or self.save_audio is not None or live


def _send_turn(conn: Connection, turn: _Turn, settings: SessionSettings) -> TurnMode | None:
    """Send the session settings (if needed) and the user's turn; the turn mode of audio."""
    dialect = conn.endpoint.dialect
    if turn.save_audio is not None or turn.live.sink is not None:
        settings = settings.model_copy(update={"output_modality": "audio"})
    if settings != SessionSettings() or turn.has_audio:
        conn.send({**client_events.session_update(settings, dialect), "event_id": SESSION_ID})
    if turn.text is not None:
        conn.send({**client_events.user_message(turn.text), "event_id": MESSAGE_ID})
    if turn.live.source is not None:
        return turn_mode_of_settings(settings.turn_detection)  # spoken by `speak`
    if turn.pcm is None:
        response = client_events.response_create(dialect, output_modality=settings.output_modality)
        conn.send({**response, "event_id": RESPONSE_ID})
        return None
    mode = turn_mode_of_settings(settings.turn_detection)
    events = audio_turn_events(turn.pcm, mode, dialect, output_modality=settings.output_modality)
    for event in events:
        tagged = event["type"] == "response.create"
        conn.send({**event, "event_id": RESPONSE_ID} if tagged else event)
    return mode


def _superseded(event: ResponseEvent, mode: TurnMode | None) -> bool:
    """A VAD turn's response cut short by the next stretch of speech in the same file:
    the reply to wait for comes after it."""
    if mode is None or mode.manual or event.status != "cancelled":
        return False
    details = event.response.get("status_details")
    return isinstance(details, dict) and details.get("reason") == "turn_detected"


async def _await_session(conn: Connection, progress: _Progress) -> None:
    """Wait for `session.created`; frames before it are only observed (and errors told)."""
    async for frame in conn:
        event: ServerEvent | None = frame.event
        if isinstance(event, ErrorEvent):
            _report_error(event, conn.endpoint.secret_values())
        elif event is not None and event.kind == "session.created":
            progress.session_ready = True
            return
    raise SendFailed("the server closed the session before it sent session.created.")


async def _converse(
    conn: Connection,
    turn: _Turn,
    settings: SessionSettings,
    *,
    json_lines: bool,
    out: Output,
    progress: _Progress,
) -> None:
    await _await_session(conn, progress)
    if settings.transcribes_only and turn.pcm is not None:
        progress.reply_started = True  # the audio is out: a retry would send it twice
        await transcribe(conn, turn.pcm, settings, json_lines=json_lines, out=out)
        return
    mode = _send_turn(conn, turn, settings)
    if turn.live.source is not None and mode is not None:
        request = client_events.response_create(conn.endpoint.dialect)
        spoken = speak(turn.live.source, conn.send, mode, {**request, "event_id": RESPONSE_ID})
        speaking = asyncio.create_task(spoken, name="rt-send-mic")
        try:
            await _reply(conn, turn, mode, json_lines=json_lines, out=out, progress=progress)
        finally:
            speaking.cancel()
        return
    await _reply(conn, turn, mode, json_lines=json_lines, out=out, progress=progress)


async def _reply(
    conn: Connection,
    turn: _Turn,
    mode: TurnMode | None,
    *,
    json_lines: bool,
    out: Output,
    progress: _Progress,
) -> None:
    """Print the reply as it streams until its response.done."""
    # Reply audio is gathered only when it is to be saved.
    audio = ReplyAudio() if turn.save_audio is not None else None
    printed = False
    async for frame in conn:
        event = frame.event
        if isinstance(event, ResponseEvent | DeltaEvent | PartDoneEvent):
            progress.reply_started = True
        if audio is not None:
            audio.observe(event)
        if isinstance(event, ErrorEvent):
            _report_error(event, conn.endpoint.secret_values())
        elif json_lines:
            pass
        elif isinstance(event, DeltaEvent) and event.kind in _STREAMED_KINDS:
            out.write(event.delta)
            out.flush()
            printed = printed or bool(event.delta)
        elif isinstance(event, PartDoneEvent) and event.kind.startswith("response.function_call"):
            out.write(f"{chr(10) if printed else ''}[function call] {event.name or '?'}")
            out.write(f"({event.value or ''})\n")
            printed = False
        if out.closed_by_reader and turn.save_audio is None:
            return  # The reader has read enough, and printing was all that was asked.
        if isinstance(event, ResponseEvent) and event.kind == "response.done":
            if printed and not json_lines:
                out.write("\n")
                out.flush()
            if _superseded(event, mode):
                printed = False
                continue
            outcome = _response_outcome(event, conn.endpoint.secret_values())
            if outcome is not None:
                raise SendFailed(outcome)
            if audio is not None and turn.save_audio is not None:
                audio.save(event.response_id, turn.save_audio)
            return
    raise SendFailed("the server closed the session before the reply was complete.")


async def run_send(
    text: str | None,
    *,
    profile: str | None,
    url: str | None,
    demo: bool,
    log: Path | None,
    json_lines: bool,
    reply_timeout: float,
    env: Mapping[str, str],
    config_path: Path | None = None,
    out: TextIO | None = None,
    wav: Path | None = None,
    save_audio: Path | None = None,
    mic: str | None = None,
    speaker: str | None = None,
    scenario: ScenarioChoice | None = None,
    transcribe: bool = False,
    ephemeral: bool = False,
) -> int:
    """Run one send; the process exit code (messages already printed).

    `text`, `wav` or both make the user's turn; `save_audio` writes the reply's audio;
    `scenario` makes the demo's mock misbehave; `ephemeral` opens the socket with a minted
    client secret.
    Once the reader closes `out` (default stdout), the send stops quietly, after saving
    the reply's audio if asked to.
    """
    output = Output(out or sys.stdout)

    def fail(message: str, code: int = EXIT_FAILED) -> int:
        output.flush()
        print(f"rt-tui: {message}", file=sys.stderr, flush=True)
        return code

    try:
        config = load_config(config_path)
    except ConfigError as exc:
        return fail(str(exc), EXIT_USAGE)
    config = transcribing(config) if transcribe else config
    if config.session.transcribes_only and (wav is None or text is not None or mic is not None):
        return fail(TRANSCRIBE_NEEDS_WAV, EXIT_USAGE)
    try:
        # A bad file or folder ends the send before anything is sent.
        pcm = load_turn_audio(wav) if wav is not None else None
        if save_audio is not None:
            check_writable(save_audio)
        live = open_live_audio(mic, speaker, config.session)
    except (WavError, AudioFileError) as exc:
        return fail(str(exc), EXIT_USAGE)
    except LiveAudioError as exc:
        return fail(str(exc), EXIT_USAGE if exc.usage else EXIT_FAILED)
    notice = take_resampling_notice()
    if notice is not None:  # the file was not at 24 kHz and soxr is not installed
        print(f"rt-tui: note: {notice}", file=sys.stderr, flush=True)
    turn = _Turn(text, pcm, save_audio, live)
    target = resolve_target(
        config, env, profile=profile, url=url, demo=demo, scenario=scenario, ephemeral=ephemeral
    )
    if target.problem is not None:
        return fail(target.problem, EXIT_USAGE)
    progress = _Progress()
    try:
        async with asyncio.timeout(reply_timeout), contextlib.AsyncExitStack() as stack:
            endpoint = await stack.enter_async_context(target_endpoint(target))
            stack.callback(live.close)
            observers: list[FrameObserver] = []
            if live.sink is not None:
                live.sink.start()
                observers.append(ReplyPlayer(live.sink).observe)
            recorder: SessionRecorder | None = None
            if log is not None:
                try:
                    recorder = stack.enter_context(SessionRecorder(log, endpoint=endpoint))
                except OSError as exc:
                    return fail(f"cannot write the log {log}: {os_reason(exc)}.", EXIT_USAGE)
                observers.append(recorder.record)
            if json_lines:
                observers.append(json_printer(output, endpoint.secret_values()))
            retry = config.reconnect
            backoff = Backoff(retry.first_delay_s, retry.max_delay_s)
            dropped = False
            sockets = SendSockets()
            for attempt in range(retry.tries + 1):
                try:
                    async with Connection(endpoint, observers=observers, t0=sockets.t0) as conn:
                        sockets.opened(conn, recorder)
                        await _converse(
                            conn,
                            turn,
                            config.session,
                            json_lines=json_lines,
                            out=output,
                            progress=progress,
                        )
                    break
                except RealtimeError as exc:
                    # Retried only before the reply began, and only what a new try may pass.
                    retryable = is_drop(exc) or (dropped and is_retryable(exc))
                    if progress.reply_started or not retryable or attempt == retry.tries:
                        raise
                    dropped = True
                    sockets.lost(f"{drop_reason(exc)}.")
                    delay = backoff.delay(attempt)
                    print(
                        f"rt-tui: {str(exc).rstrip('.')}; before any reply, so trying again "
                        f"in {delay:.1f} s ({attempt + 1} of {retry.tries}).",
                        file=sys.stderr,
                        flush=True,
                    )
                    progress.session_ready = False
                    await asyncio.sleep(delay)
            if live.sink is not None:
                await live.sink.drained()  # The reply plays out before the send ends.
            if recorder is not None:
                recorder.flush()  # A full disk shows when the lines are written.
            if recorder is not None and recorder.failure is not None:
                return fail(f"the log {log} stopped being written: {recorder.failure}.")
    except TimeoutError:
        if not progress.session_ready:
            return fail(f"the server sent no session.created within {reply_timeout:g} s.")
        return fail(f"no complete reply within {reply_timeout:g} s.")
    except (RealtimeError, LaunchError) as exc:
        return fail(str(exc))
    except (SendFailed, AudioFileError, TranscriptionFailed) as exc:
        return fail(str(exc))
    except OSError as exc:
        # e.g. the demo's mock server could not bind.
        return fail(f"{os_reason(exc)}.")
    return EXIT_OK
