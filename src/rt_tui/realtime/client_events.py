"""Builders for the client events the app sends, in either dialect.

Each builder returns a plain dict ready to serialise. None of them sets `event_id`:
the connection adds one to every event it sends, so errors can point back at it.
Only `session.update` and `response.create` differ between the dialects (PROTOCOL.md
§2a, §3); the rest have the same shape in both.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any, Literal

from rt_tui.dialect import Dialect

if TYPE_CHECKING:
    from rt_tui.config import SessionSettings, TurnDetection

ClientEvent = dict[str, Any]
OutputModality = Literal["text", "audio"]


def _turn_detection(settings: TurnDetection, dialect: Dialect) -> dict[str, Any] | None:
    """The turn_detection object, with only the parameters of the chosen VAD type.

    None means manual turns (push-to-talk): the wire wants an explicit null for it.
    """
    if settings.type == "none":
        return None
    detection: dict[str, Any] = {"type": settings.type}
    if settings.type == "server_vad":
        detection["threshold"] = settings.threshold
        detection["prefix_padding_ms"] = settings.prefix_padding_ms
        detection["silence_duration_ms"] = settings.silence_duration_ms
        # idle_timeout_ms exists only in GA.
        if dialect is Dialect.GA and settings.idle_timeout_ms is not None:
            detection["idle_timeout_ms"] = settings.idle_timeout_ms
    else:
        detection["eagerness"] = settings.eagerness
    detection["create_response"] = settings.create_response
    detection["interrupt_response"] = settings.interrupt_response
    return detection


def _tools(settings: SessionSettings) -> list[dict[str, Any]]:
    """The tools as the service takes them: how the app answers a call stays in the app."""
    tools: list[dict[str, Any]] = []
    for tool in settings.tools:
        if tool.type == "mcp":
            tools.append(tool.model_dump())
        else:
            tools.append(
                {
                    "type": "function",
                    "name": tool.name,
                    "description": tool.description,
                    "parameters": tool.parameters,
                }
            )
    return tools


def _transcription(settings: SessionSettings) -> dict[str, Any] | None:
    # An explicit null turns transcription off even if an earlier update turned it on.
    model = settings.transcription_model
    return {"model": model} if model else None


def _beta_modalities(modality: OutputModality) -> list[str]:
    # Beta audio responses always carry text (the transcript) as well.
    return ["text"] if modality == "text" else ["text", "audio"]


def _beta_session(settings: SessionSettings) -> dict[str, Any]:
    session: dict[str, Any] = {"modalities": _beta_modalities(settings.output_modality)}
    if settings.instructions is not None:
        session["instructions"] = settings.instructions
    if settings.voice is not None:
        session["voice"] = settings.voice
    session["input_audio_transcription"] = _transcription(settings)
    session["turn_detection"] = _turn_detection(settings.turn_detection, Dialect.BETA)
    session["tools"] = _tools(settings)
    session["max_response_output_tokens"] = settings.max_output_tokens
    return session


def _ga_session(settings: SessionSettings) -> dict[str, Any]:
    session: dict[str, Any] = {
        "type": "realtime",
        "output_modalities": [settings.output_modality],
    }
    if settings.instructions is not None:
        session["instructions"] = settings.instructions
    audio_input: dict[str, Any] = {
        "transcription": _transcription(settings),
        "turn_detection": _turn_detection(settings.turn_detection, Dialect.GA),
    }
    audio: dict[str, Any] = {"input": audio_input}
    if settings.voice is not None:
        audio["output"] = {"voice": settings.voice}
    session["audio"] = audio
    session["tools"] = _tools(settings)
    session["max_output_tokens"] = settings.max_output_tokens
    return session


def _transcription_session(settings: SessionSettings, dialect: Dialect) -> ClientEvent:
    """A transcription session takes only the input side: GA nests it under `audio.input`
    of a `session.update` with `type: transcription`; beta has its own event, flat."""
    transcription = _transcription(settings)
    detection = _turn_detection(settings.turn_detection, dialect)
    if dialect is Dialect.BETA:
        flat = {"input_audio_transcription": transcription, "turn_detection": detection}
        return {"type": "transcription_session.update", "session": flat}
    audio_input = {"transcription": transcription, "turn_detection": detection}
    session = {"type": "transcription", "audio": {"input": audio_input}}
    return {"type": "session.update", "session": session}


def session_update(settings: SessionSettings, dialect: Dialect) -> ClientEvent:
    """`session.update` carrying `settings`: flat for beta, nested (`type: realtime`) for GA;
    for a transcription session, its own shape (`_transcription_session`).

    Settings left at None (instructions, voice) are omitted so the server keeps its
    default; turn detection "none" is sent as null (manual turns).
    """
    if settings.transcribes_only:
        return _transcription_session(settings, dialect)
    session = _beta_session(settings) if dialect is Dialect.BETA else _ga_session(settings)
    return {"type": "session.update", "session": session}


def session_update_needed(settings: SessionSettings, server_session: dict[str, Any]) -> bool:
    """Whether `settings` need a `session.update` on a server whose session (as
    `session.created` gave it, in either dialect) is `server_session`.

    Any change from the app's defaults does; so does the output modality when the
    server starts with another one (the service defaults to audio, the app to text).
    """
    # Here, not at the top: the TUI's first frame needs these builders' module, not the
    # config's pydantic models (which `settings` has loaded by now).
    from rt_tui.config import SessionSettings

    if settings != SessionSettings():
        return True
    modalities = server_session.get("output_modalities") or server_session.get("modalities")
    server_modality = "audio" if isinstance(modalities, list) and "audio" in modalities else "text"
    return server_modality != settings.output_modality


def _message(role: Literal["user", "system"], text: str) -> ClientEvent:
    return {
        "type": "conversation.item.create",
        "item": {
            "type": "message",
            "role": role,
            "content": [{"type": "input_text", "text": text}],
        },
    }


def user_message(text: str) -> ClientEvent:
    """`conversation.item.create` with a user text message, appended to the conversation."""
    return _message("user", text)


def system_message(text: str) -> ClientEvent:
    """`conversation.item.create` with a system message, appended to the conversation."""
    return _message("system", text)


def response_create(
    dialect: Dialect,
    *,
    instructions: str | None = None,
    output_modality: OutputModality | None = None,
) -> ClientEvent:
    """`response.create`, optionally overriding the session's instructions or modality
    for this one response (the override field names differ between the dialects)."""
    event: ClientEvent = {"type": "response.create"}
    overrides: dict[str, Any] = {}
    if instructions is not None:
        overrides["instructions"] = instructions
    if output_modality is not None:
        if dialect is Dialect.BETA:
            overrides["modalities"] = _beta_modalities(output_modality)
        else:
            overrides["output_modalities"] = [output_modality]
    if overrides:
        event["response"] = overrides
    return event


def response_cancel(response_id: str | None = None) -> ClientEvent:
    """`response.cancel`: the given response, or whichever is active."""
    event: ClientEvent = {"type": "response.cancel"}
    if response_id is not None:
        event["response_id"] = response_id
    return event


def audio_append(pcm: bytes) -> ClientEvent:
    """`input_audio_buffer.append` with raw PCM16 samples, base64-encoded for the wire."""
    return {
        "type": "input_audio_buffer.append",
        "audio": base64.b64encode(pcm).decode("ascii"),
    }


def audio_commit() -> ClientEvent:
    """`input_audio_buffer.commit`: turn the buffered audio into a user item."""
    return {"type": "input_audio_buffer.commit"}


def audio_clear() -> ClientEvent:
    """`input_audio_buffer.clear`: drop the buffered audio."""
    return {"type": "input_audio_buffer.clear"}


def function_call_output(call_id: str, output: str) -> ClientEvent:
    """`conversation.item.create` answering a function call (`output` is a string,
    usually JSON)."""
    return {
        "type": "conversation.item.create",
        "item": {"type": "function_call_output", "call_id": call_id, "output": output},
    }


def mcp_approval_response(request_id: str, approve: bool) -> ClientEvent:
    """`conversation.item.create` answering an MCP server's `mcp_approval_request` (GA):
    approve lets the service run the call, deny keeps it from running."""
    item = {"type": "mcp_approval_response", "approval_request_id": request_id, "approve": approve}
    return {"type": "conversation.item.create", "item": item}


def item_delete(item_id: str) -> ClientEvent:
    """`conversation.item.delete`."""
    return {"type": "conversation.item.delete", "item_id": item_id}


def item_retrieve(item_id: str) -> ClientEvent:
    """`conversation.item.retrieve`: ask the server for its copy of an item."""
    return {"type": "conversation.item.retrieve", "item_id": item_id}


def item_truncate(item_id: str, audio_end_ms: int, content_index: int = 0) -> ClientEvent:
    """`conversation.item.truncate`: cut an assistant audio item at what was played."""
    return {
        "type": "conversation.item.truncate",
        "item_id": item_id,
        "content_index": content_index,
        "audio_end_ms": audio_end_ms,
    }
