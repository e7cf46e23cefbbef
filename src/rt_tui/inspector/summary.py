"""One-line summaries of frames for the inspector's rows, and audio size arithmetic.

Everything here is pure and cheap: it runs once per frame as frames arrive. A server
event type without a case in `server_summary` is summarised by its declared text fields
(`declared_summary`). Audio sizes come from the base64 length (no decoding), assuming
PCM16 24 kHz mono, 48 bytes per millisecond.
"""

from __future__ import annotations

import json
from dataclasses import fields

from rt_tui.realtime.event_registry import ServerEvent
from rt_tui.realtime.events import BinaryFrame, MalformedFrame, UnknownEvent
from rt_tui.realtime.item_events import (
    InputAudioBufferEvent,
    InputTranscriptionEvent,
    ItemEvent,
    ItemTruncated,
)
from rt_tui.realtime.json_fields import JsonObject, obj_at, opt_str_at
from rt_tui.realtime.response_events import (
    ContentPartEvent,
    DeltaEvent,
    OutputItemEvent,
    PartDoneEvent,
    ResponseEvent,
)
from rt_tui.realtime.session_events import ErrorEvent, RateLimitsEvent, SessionEvent

BYTES_PER_MS = 48
"""PCM16: 2 bytes a sample, 24,000 samples a second."""

PREVIEW_CHARS = 80


def base64_decoded_size(b64: str) -> int:
    """Bytes a base64 string decodes to, worked out from its length alone."""
    length = len(b64)
    padding = 0
    if length and b64[-1] == "=":
        padding = 2 if length > 1 and b64[-2] == "=" else 1
    return max(0, length * 3 // 4 - padding)


def audio_ms(size: int) -> float:
    """Duration in ms of `size` bytes of PCM16 24 kHz mono."""
    return size / BYTES_PER_MS


def audio_label(size: int) -> str:
    """'4800 B · 100 ms' for a chunk of PCM16 audio."""
    return f"{size} B · {audio_ms(size):.0f} ms"


def preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    """`text` on one line (newlines shown as ⏎), cut to `limit` characters."""
    flat = text.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎").replace("\t", " ")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _join(parts: list[str]) -> str:
    return " · ".join(p for p in parts if p)


def session_summary(session: JsonObject) -> str:
    """The key settings of a session in either dialect (GA nested or beta flat)."""
    audio = obj_at(session, "audio")
    audio_in, audio_out = obj_at(audio, "input"), obj_at(audio, "output")
    modalities = session.get("output_modalities", session.get("modalities"))
    turn = audio_in.get("turn_detection", session.get("turn_detection", "unset"))
    voice = audio_out.get("voice", session.get("voice"))
    transcription = audio_in.get("transcription", session.get("input_audio_transcription"))
    tools = session.get("tools")
    parts = [
        opt_str_at(session, "model") or "",
        f"type {session['type']}" if isinstance(session.get("type"), str) else "",
        "+".join(str(m) for m in modalities) if isinstance(modalities, list) else "",
        f"voice {voice}" if isinstance(voice, str) else "",
    ]
    if isinstance(turn, dict):
        parts.append(f"turn {turn.get('type', '?')}")
    elif turn is None:
        parts.append("turn manual")
    if isinstance(transcription, dict):
        parts.append(f"transcribe {transcription.get('model', '?')}")
    if isinstance(tools, list) and tools:
        parts.append(f"{len(tools)} tool{'s' if len(tools) != 1 else ''}")
    instructions = opt_str_at(session, "instructions")
    if instructions:
        parts.append(f'"{preview(instructions, 30)}"')
    return _join(parts)


def item_summary(item: JsonObject) -> str:
    """Role or type of a conversation item, its status and a text preview."""
    kind = opt_str_at(item, "type") or "item"
    role = opt_str_at(item, "role")
    head = f"{role} {kind}" if role else kind
    parts = [head, opt_str_at(item, "status") or ""]
    if kind == "function_call":
        arguments = preview(opt_str_at(item, "arguments") or "", 40)
        parts.append(f"{opt_str_at(item, 'name') or '?'}({arguments})")
    elif kind == "function_call_output":
        output = preview(opt_str_at(item, "output") or "", 40)
        parts.append(f"{opt_str_at(item, 'call_id') or '?'} → {output}")
    elif kind in ("mcp_call", "mcp_approval_request"):
        arguments = preview(opt_str_at(item, "arguments") or "", 40)
        server = opt_str_at(item, "server_label") or "?"
        parts.append(f"{server}.{opt_str_at(item, 'name') or '?'}({arguments})")
    elif kind == "mcp_list_tools":
        tools = item.get("tools")
        count = len(tools) if isinstance(tools, list) else 0
        parts.append(f"{opt_str_at(item, 'server_label') or '?'}: {count} tools")
    content = item.get("content")
    if isinstance(content, list):
        for part in content:
            if not isinstance(part, dict):
                continue
            text = opt_str_at(part, "text") or opt_str_at(part, "transcript")
            if text:
                parts.append(f'"{preview(text, 50)}"')
                break
            if opt_str_at(part, "type") in ("input_audio", "audio", "output_audio"):
                parts.append(str(part.get("type")))
                break
    return _join(parts)


def usage_summary(usage: JsonObject) -> str:
    """'in 120 (cached 64) · out 35' from a response's usage block."""
    if not usage:
        return ""
    total_in, total_out = usage.get("input_tokens"), usage.get("output_tokens")
    cached = obj_at(usage, "input_token_details").get("cached_tokens")
    text = f"in {total_in}"
    if isinstance(cached, int) and cached:
        text += f" (cached {cached})"
    return f"{text} · out {total_out}"


def response_summary(response: JsonObject) -> str:
    """A response's status, the reason when it did not complete, and usage."""
    details = obj_at(response, "status_details")
    reason = opt_str_at(details, "reason")
    error = obj_at(details, "error")
    parts = [
        opt_str_at(response, "status") or "",
        reason or "",
        opt_str_at(error, "message") or "",
        usage_summary(obj_at(response, "usage")),
    ]
    output = response.get("output")
    if isinstance(output, list) and output:
        parts.append(f"{len(output)} output item{'s' if len(output) != 1 else ''}")
    return _join(parts)


def server_summary(event: ServerEvent) -> str:
    """The short text shown beside a received frame's type."""
    match event:
        case DeltaEvent(kind="response.output_audio.delta"):
            return audio_label(base64_decoded_size(event.delta))
        case DeltaEvent():
            return event.delta
        case PartDoneEvent():
            return preview(event.value) if event.value is not None else ""
        case ErrorEvent():
            return event.error.one_line()
        case SessionEvent():
            return session_summary(event.session)
        case ItemEvent():
            return item_summary(event.item)
        case ResponseEvent():
            return _join([event.response_id or "", response_summary(event.response)])
        case OutputItemEvent():
            return item_summary(event.item)
        case ContentPartEvent():
            text = opt_str_at(event.part, "text") or opt_str_at(event.part, "transcript") or ""
            return _join([opt_str_at(event.part, "type") or "", preview(text) if text else ""])
        case InputAudioBufferEvent():
            parts = [event.item_id or ""]
            if event.audio_start_ms is not None:
                parts.append(f"start {event.audio_start_ms} ms")
            if event.audio_end_ms is not None:
                parts.append(f"end {event.audio_end_ms} ms")
            return _join(parts)
        case InputTranscriptionEvent():
            if event.error:
                reason = opt_str_at(event.error, "message") or opt_str_at(event.error, "code")
                return f"failed: {reason or '?'}"
            if event.kind.endswith(".delta"):
                return event.text or ""
            return preview(event.text or "")
        case RateLimitsEvent():
            return _join(
                [
                    f"{r.name} {r.remaining}/{r.limit} reset {r.reset_seconds}s"
                    for r in event.rate_limits
                ]
            )
        case ItemTruncated():
            return f"{event.item_id} at {event.audio_end_ms} ms"
        case MalformedFrame():
            return f"malformed: {event.reason}"
        case BinaryFrame():
            return f"binary frame, {event.size} bytes"
        case UnknownEvent():
            return "unknown event type"
    return declared_summary(event)


_OWN_FIELDS: dict[type[ServerEvent], tuple[str, ...]] = {}
"""The fields each event class declares beyond those of `ServerEvent`, worked out once."""


def declared_summary(event: ServerEvent) -> str:
    """The summary of an event type that has none of its own above: its declared text
    fields, so a newly declared type shows its ids without a line here."""
    cls = type(event)
    names = _OWN_FIELDS.get(cls)
    if names is None:
        base = {f.name for f in fields(ServerEvent)}
        names = _OWN_FIELDS[cls] = tuple(f.name for f in fields(cls) if f.name not in base)
    values = [getattr(event, name) for name in names]
    return _join([preview(value) for value in values if isinstance(value, str)])


def client_summary(event: JsonObject) -> str:
    """The short text shown beside a sent frame's type."""
    kind = opt_str_at(event, "type") or ""
    if kind.endswith("input_audio_buffer.append"):
        return audio_label(base64_decoded_size(opt_str_at(event, "audio") or ""))
    if kind in ("session.update", "transcription_session.update"):
        return session_summary(obj_at(event, "session"))
    if kind == "conversation.item.create":
        return item_summary(obj_at(event, "item"))
    if kind == "response.create":
        response = obj_at(event, "response")
        modalities = response.get("output_modalities", response.get("modalities"))
        parts = ["+".join(str(m) for m in modalities) if isinstance(modalities, list) else ""]
        if opt_str_at(response, "conversation") == "none":
            parts.append("out of band")
        instructions = opt_str_at(response, "instructions")
        if instructions:
            parts.append(f'"{preview(instructions, 40)}"')
        return _join(parts)
    if kind == "conversation.item.truncate":
        return f"{opt_str_at(event, 'item_id') or '?'} at {event.get('audio_end_ms')} ms"
    parts = [opt_str_at(event, "response_id") or "", opt_str_at(event, "item_id") or ""]
    return _join(parts)


def decode_client_text(data: str | bytes) -> JsonObject | None:
    """The dict of a sent frame known only by its text (None if it is not a JSON object)."""
    if not isinstance(data, str):
        return None
    try:
        decoded = json.loads(data)
    except (ValueError, RecursionError):
        return None
    return decoded if isinstance(decoded, dict) else None
