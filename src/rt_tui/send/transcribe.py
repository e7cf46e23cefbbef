"""`rt-tui send --transcribe --wav FILE`: a WAV in, its transcript out.

The session is a transcription session (`[session] type = "transcription"`); the file is
one turn, committed by the client (manual turns, whatever the config's turn detection:
a file has a known end, and a VAD would split it into several items). The transcript
streams to stdout as its deltas arrive; the send ends with the item's `.completed`, or
fails in one sentence with its `.failed`.
"""

from __future__ import annotations

from rt_tui.config import SessionSettings, TurnDetection
from rt_tui.realtime import client_events
from rt_tui.realtime.audio_turn import audio_turn_events, turn_mode_of_settings
from rt_tui.realtime.connection import Connection
from rt_tui.realtime.errors import one_line, scrub
from rt_tui.realtime.item_events import InputAudioBufferEvent, InputTranscriptionEvent
from rt_tui.realtime.session_events import ErrorEvent
from rt_tui.send.output import Output

TRANSCRIBE_NEEDS_WAV = (
    "--transcribe needs --wav FILE, the speech to transcribe (TEXT and --mic do not apply; "
    "the TUI transcribes a microphone: rt-tui --transcribe --mic SOURCE)."
)


class TranscriptionFailed(Exception):
    """Ends the send with one sentence on stderr."""


def transcription_settings(settings: SessionSettings) -> SessionSettings:
    """The session settings for one file: a transcription session with manual turns."""
    return settings.model_copy(
        update={"type": "transcription", "turn_detection": TurnDetection(type="none")}
    )


async def transcribe(
    conn: Connection,
    pcm: bytes,
    settings: SessionSettings,
    *,
    json_lines: bool,
    out: Output,
) -> None:
    """Send `pcm` as one committed turn; print its transcript as it streams."""
    dialect = conn.endpoint.dialect
    settings = transcription_settings(settings)
    conn.send(client_events.session_update(settings, dialect))
    mode = turn_mode_of_settings(settings.turn_detection, transcribes=True)
    for client_event in audio_turn_events(pcm, mode, dialect):
        conn.send(client_event)
    item_id: str | None = None
    printed = False
    secrets = conn.endpoint.secret_values()
    async for frame in conn:
        event = frame.event
        if isinstance(event, ErrorEvent):
            text = one_line(scrub(event.error.one_line(), secrets), 300)
            raise TranscriptionFailed(f"the server refused the transcription: {text}")
        if isinstance(event, InputAudioBufferEvent) and event.kind.endswith(".committed"):
            item_id = item_id or event.item_id
        if not isinstance(event, InputTranscriptionEvent) or event.item_id != item_id:
            continue
        if event.kind.endswith(".delta") and not json_lines:
            out.write(event.text or "")
            out.flush()
            printed = printed or bool(event.text)
        elif event.kind.endswith(".completed"):
            if not json_lines:  # a model that streams no deltas says it all here
                out.write(("" if printed else event.text or "") + "\n")
                out.flush()
            return
        elif event.kind.endswith(".failed"):
            reason = (event.error or {}).get("message") or "no reason given"
            raise TranscriptionFailed(
                f"the transcription failed: {one_line(scrub(str(reason), secrets), 200)}"
            )
    raise TranscriptionFailed("the server closed the session before the transcript was complete.")
