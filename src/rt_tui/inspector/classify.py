"""Classify one frame for the inspector: type, summary, flags, audio size, fold key.

Runs once per frame as it arrives; everything later reads the stored results.
"""

from __future__ import annotations

from typing import NamedTuple

from rt_tui.inspector.status_line import plural
from rt_tui.inspector.summary import (
    base64_decoded_size,
    client_summary,
    decode_client_text,
    server_summary,
)
from rt_tui.realtime.event_registry import ServerEvent
from rt_tui.realtime.events import BinaryFrame, MalformedFrame, parse_server_frame
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.item_events import InputTranscriptionEvent
from rt_tui.realtime.response_events import DeltaEvent, ResponseEvent
from rt_tui.realtime.socket_mark import DROPPED, FRESH, RECONNECT, SocketMark

FLAG_ERROR = 1
FLAG_AUDIO = 2
"""The frame's text is in the spill file, not in memory."""
FLAG_BINARY = 4
FLAG_MALFORMED = 8

SENT, RECEIVED, MARK = 0, 1, 2
"""Directions as stored; MARK: not a frame but where a new socket took the session over."""
SOCKET_TYPE = "(new socket)"
_AUDIO_KINDS = frozenset({"response.output_audio.delta", "input_audio_buffer.append"})

FoldKey = tuple[int, str, str, int]
"""(direction, wire type, item id, content index) of a run of deltas."""


class Classified(NamedTuple):
    """What the store keeps of one frame (a tuple: one is built for every frame)."""

    direction: int
    wire_type: str
    kind: str
    summary: str | None
    flags: int
    audio_size: int
    fold_key: FoldKey | None
    piece: str | None


def classify_mark(mark: SocketMark) -> Classified:
    """A socket mark's row: its own type, and what the conversation says of it, shorter."""
    how = {DROPPED: "after a drop", RECONNECT: "reconnected", FRESH: "fresh session"}
    facts = [f"socket {mark.number}", how.get(mark.cause, "the log does not say why")]
    if mark.cause == DROPPED:
        facts.append(f"down {mark.gap_ms / 1000:.1f} s")
    if mark.reseeded:
        facts.append(f"{plural(len(mark.reseeded), 'item')} re-sent")
    if mark.queued:
        facts.append(f"{plural(mark.queued, 'queued event')} sent")
    return Classified(MARK, SOCKET_TYPE, "rt_tui.socket", " · ".join(facts), 0, 0, None, None)


def classify(frame: Frame) -> Classified:
    if frame.direction is Direction.RECEIVED:
        event = frame.event if frame.event is not None else parse_server_frame(frame.data)
        return _classify_received(event)
    if isinstance(frame.data, bytes):
        return Classified(SENT, "(binary)", "rt_tui.binary", None, FLAG_BINARY, 0, None, None)
    client = frame.client_event if frame.client_event is not None else None
    if client is None:
        client = decode_client_text(frame.data)
    if client is None:
        summary = "malformed: the frame is not a JSON object."
        return Classified(SENT, "(malformed)", "rt_tui.malformed", summary, 0, 0, None, None)
    wire = client.get("type")
    wire_type = wire if isinstance(wire, str) else ""
    summary = client_summary(client)
    if wire_type in _AUDIO_KINDS:
        audio = client.get("audio")
        size = base64_decoded_size(audio if isinstance(audio, str) else "")
        key: FoldKey = (SENT, wire_type, "", 0)
        return Classified(SENT, wire_type, wire_type, None, FLAG_AUDIO, size, key, None)
    return Classified(SENT, wire_type, wire_type, summary, 0, 0, None, None)


def _classify_received(event: ServerEvent) -> Classified:
    if isinstance(event, DeltaEvent):
        return _classify_delta(event)  # Most frames of a session, and never an error.
    flags = 0
    if isinstance(event, BinaryFrame):
        flags |= FLAG_BINARY | FLAG_ERROR
    elif isinstance(event, MalformedFrame):
        flags |= FLAG_MALFORMED | FLAG_ERROR
    elif (
        event.kind == "error"
        or event.kind.endswith(".failed")
        or (isinstance(event, ResponseEvent) and event.status == "failed")
    ):
        flags |= FLAG_ERROR
    wire_type = event.wire_type
    if not wire_type:
        wire_type = "(binary)" if flags & FLAG_BINARY else "(malformed)"
    key: FoldKey | None = None
    piece: str | None = None
    summary: str | None
    if isinstance(event, InputTranscriptionEvent) and event.kind.endswith(".delta"):
        key = (RECEIVED, wire_type, event.item_id, event.content_index)
        summary = piece = event.text or ""
    else:
        summary = server_summary(event)
    return Classified(RECEIVED, wire_type, event.kind, summary, flags, 0, key, piece)


def _classify_delta(event: DeltaEvent) -> Classified:
    wire_type = event.wire_type or "(malformed)"
    key = (RECEIVED, wire_type, event.item_id, event.content_index)
    kind = event.kind
    if kind in _AUDIO_KINDS:
        size = base64_decoded_size(event.delta)
        return Classified(RECEIVED, wire_type, kind, None, FLAG_AUDIO, size, key, None)
    delta = event.delta
    return Classified(RECEIVED, wire_type, kind, delta, 0, 0, key, delta)
