"""The mock's copy of the session configuration, in the wire shape of its dialect.

GA nests audio settings (`audio.input.turn_detection`, `audio.output.voice`) and calls the
modalities `output_modalities`; beta is flat (`turn_detection`, `voice`, `modalities`).
`session.update` changes only the fields it sends; an unknown field or a bad value raises
`MockError` and the whole update is discarded, as the service does. A value out of range
is clamped instead, and an unknown voice replaced (`session_clamps`).
"""

from __future__ import annotations

import copy
from typing import Any

from rt_tui.dialect import Dialect
from rt_tui.mock import transcription
from rt_tui.mock.errors import (
    MockError,
    invalid_type,
    invalid_value,
    missing_parameter,
    unknown_parameter,
)
from rt_tui.mock.session_clamps import clamp_session
from rt_tui.mock.shapes import BETA_SESSION, GA_SESSION, check_shape, check_tool

JsonObject = dict[str, Any]

DEFAULT_INSTRUCTIONS = (
    "You are the rt-tui mock server. Your replies are scripted and deterministic, "
    "so they are good for demos and tests and useless for anything else."
)
SESSION_LIFETIME_S = 3600
"""GA sessions expire 60 minutes after creation."""

PCM_FORMAT: JsonObject = {"type": "audio/pcm", "rate": 24000}

_SERVER_VAD: JsonObject = {
    "type": "server_vad",
    "threshold": 0.5,
    "prefix_padding_ms": 300,
    "silence_duration_ms": 200,
    "create_response": True,
    "interrupt_response": True,
}
_SEMANTIC_VAD: JsonObject = {
    "type": "semantic_vad",
    "eagerness": "auto",
    "create_response": True,
    "interrupt_response": True,
}
_VAD_KEYS = {
    "type",
    "threshold",
    "prefix_padding_ms",
    "silence_duration_ms",
    "idle_timeout_ms",
    "create_response",
    "interrupt_response",
    "eagerness",
}
#: Silence that ends a turn under semantic VAD, by eagerness (the service waits 2 to 8 s at most).
SEMANTIC_SILENCE_MS = {"high": 300, "medium": 600, "auto": 600, "low": 1000}

GA_FIELDS = {
    "type",
    "model",
    "output_modalities",
    "instructions",
    "audio",
    "include",
    "tracing",
    "tools",
    "tool_choice",
    "max_output_tokens",
    "prompt",
    "truncation",
    "reasoning",
    "parallel_tool_calls",
}
GA_AUDIO_FIELDS = {
    "input": {"format", "transcription", "noise_reduction", "turn_detection"},
    "output": {"format", "voice", "speed"},
}
BETA_FIELDS = {
    "model",
    "modalities",
    "instructions",
    "voice",
    "input_audio_format",
    "output_audio_format",
    "input_audio_transcription",
    "input_audio_noise_reduction",
    "turn_detection",
    "tools",
    "tool_choice",
    "temperature",
    "max_response_output_tokens",
    "speed",
    "tracing",
    "client_secret",
}
_AUDIO_FORMATS_BETA = ["pcm16", "g711_ulaw", "g711_alaw"]


#: Models a beta session may report (the beta schema allows no others).
BETA_MODELS = (
    "gpt-4o-realtime-preview",
    "gpt-4o-realtime-preview-2024-10-01",
    "gpt-4o-realtime-preview-2024-12-17",
    "gpt-4o-realtime-preview-2025-06-03",
    "gpt-4o-mini-realtime-preview",
    "gpt-4o-mini-realtime-preview-2024-12-17",
)
BETA_FALLBACK_MODEL = "gpt-4o-realtime-preview-2024-12-17"
"""What a beta session reports for an Azure deployment name (the model behind it)."""


def default_session(
    dialect: Dialect, *, session_id: str, model: str, now: float, transcribes: bool = False
) -> JsonObject:
    """The session object `session.created` carries, as the service reports its defaults
    (`transcribes`: a transcription session's, `rt_tui.mock.transcription`)."""
    if transcribes:
        return transcription.default_session(
            dialect,
            session_id=session_id,
            expires_at=int(now) + SESSION_LIFETIME_S,
            pcm_format=PCM_FORMAT,
            vad=_SERVER_VAD,
        )
    if dialect is Dialect.GA:
        return {
            "type": "realtime",
            "object": "realtime.session",
            "id": session_id,
            "model": model,
            "output_modalities": ["audio"],
            "instructions": DEFAULT_INSTRUCTIONS,
            "tools": [],
            "tool_choice": "auto",
            "max_output_tokens": "inf",
            "tracing": None,
            "prompt": None,
            "expires_at": int(now) + SESSION_LIFETIME_S,
            "audio": {
                "input": {
                    "format": dict(PCM_FORMAT),
                    "transcription": None,
                    "noise_reduction": None,
                    "turn_detection": {**_SERVER_VAD, "idle_timeout_ms": None},
                },
                "output": {"format": dict(PCM_FORMAT), "voice": "marin", "speed": 1},
            },
            "include": None,
        }
    return {
        "id": session_id,
        "object": "realtime.session",
        "model": model if model in BETA_MODELS else BETA_FALLBACK_MODEL,
        "modalities": ["text", "audio"],
        "instructions": DEFAULT_INSTRUCTIONS,
        "voice": "alloy",
        "input_audio_format": "pcm16",
        "output_audio_format": "pcm16",
        "input_audio_transcription": None,
        "input_audio_noise_reduction": None,
        "turn_detection": dict(_SERVER_VAD),
        "tools": [],
        "tool_choice": "auto",
        "temperature": 0.8,
        "max_response_output_tokens": "inf",
        "speed": 1.0,
        "tracing": None,
    }


class SessionConfig:
    """The session as the server holds it; `data` is what `session.updated` reports."""

    def __init__(self, dialect: Dialect, data: JsonObject) -> None:
        self.dialect = dialect
        self.data = data

    # --- update -------------------------------------------------------------------------

    @property
    def transcribes_only(self) -> bool:
        """A transcription session: it transcribes what it hears and never answers."""
        return transcription.is_transcription(self.data)

    def update(self, patch: object) -> None:
        """Apply a `session.update` (beta transcription sessions: `transcription_session.update`)
        payload, all or nothing (raises `MockError`)."""
        if not isinstance(patch, dict):
            if patch is None:
                raise missing_parameter("session")
            raise invalid_type("session", "an object", patch)
        check_shape(patch, GA_SESSION if self.dialect is Dialect.GA else BETA_SESSION, "session")
        for index, tool in enumerate(patch.get("tools") or []):
            check_tool(tool, f"session.tools[{index}]")
        merged = copy.deepcopy(self.data)
        if self.dialect is Dialect.GA:
            _merge_ga(merged, patch)
        else:
            _merge_beta(merged, patch)
        clamp_session(merged, self.dialect)
        self.data = merged

    # --- what the mock's behaviour depends on -------------------------------------------

    def output_audio(self, override: JsonObject | None = None) -> bool:
        """Whether a response speaks (audio + transcript) or writes text."""
        key = "output_modalities" if self.dialect is Dialect.GA else "modalities"
        modalities = (override or {}).get(key) or self.data.get(key) or []
        return isinstance(modalities, list) and "audio" in modalities

    @property
    def modalities(self) -> list[str]:
        key = "output_modalities" if self.dialect is Dialect.GA else "modalities"
        return list(self.data.get(key) or [])

    @property
    def turn_detection(self) -> JsonObject | None:
        if self.dialect is Dialect.GA:
            value = self.data.get("audio", {}).get("input", {}).get("turn_detection")
        else:
            value = self.data.get("turn_detection")
        return value if isinstance(value, dict) else None

    @property
    def transcription(self) -> JsonObject | None:
        if self.dialect is Dialect.GA:
            value = self.data.get("audio", {}).get("input", {}).get("transcription")
        else:
            value = self.data.get("input_audio_transcription")
        return value if isinstance(value, dict) else None

    @property
    def voice(self) -> Any:
        if self.dialect is Dialect.GA:
            return self.data.get("audio", {}).get("output", {}).get("voice")
        return self.data.get("voice")

    @property
    def input_format(self) -> Any:
        if self.dialect is Dialect.GA:
            return self.data.get("audio", {}).get("input", {}).get("format")
        return self.data.get("input_audio_format")

    @property
    def output_format(self) -> Any:
        if self.dialect is Dialect.GA:
            return self.data.get("audio", {}).get("output", {}).get("format")
        return self.data.get("output_audio_format")

    @property
    def max_output_tokens(self) -> Any:
        key = "max_output_tokens" if self.dialect is Dialect.GA else "max_response_output_tokens"
        return self.data.get(key, "inf")

    @property
    def function_tools(self) -> list[JsonObject]:
        tools = self.data.get("tools") or []
        return [t for t in tools if isinstance(t, dict) and t.get("type", "function") == "function"]

    @property
    def tool_choice(self) -> Any:
        return self.data.get("tool_choice", "auto")


# --- merging ----------------------------------------------------------------------------


def _merge_ga(merged: JsonObject, patch: JsonObject) -> None:
    transcribes = transcription.is_transcription(merged)
    if "type" not in patch:
        raise missing_parameter("session.type")
    if patch["type"] not in ("realtime", "transcription"):
        raise invalid_value("session.type", patch["type"], ["realtime", "transcription"])
    if patch["type"] != merged.get("type", "realtime"):
        raise transcription.wrong_kind(transcribes)
    for key in patch:
        if key not in (transcription.GA_FIELDS if transcribes else GA_FIELDS):
            raise unknown_parameter(f"session.{key}")
    if transcribes and isinstance(patch.get("audio"), dict) and "output" in patch["audio"]:
        raise unknown_parameter("session.audio.output")
    for key, value in patch.items():
        if key == "audio":
            _merge_ga_audio(merged, value)
        elif key == "output_modalities":
            if value not in (["text"], ["audio"]):
                raise invalid_value("session.output_modalities", value, ["text", "audio"])
            merged[key] = value
        else:
            merged[key] = value


def _merge_ga_audio(merged: JsonObject, audio: object) -> None:
    if not isinstance(audio, dict):
        raise invalid_type("session.audio", "an object", audio)
    target = merged.setdefault("audio", {})
    for direction, value in audio.items():
        if direction not in GA_AUDIO_FIELDS:
            raise unknown_parameter(f"session.audio.{direction}")
        if not isinstance(value, dict):
            raise invalid_type(f"session.audio.{direction}", "an object", value)
        section = target.setdefault(direction, {})
        for key, field_value in value.items():
            param = f"session.audio.{direction}.{key}"
            if key not in GA_AUDIO_FIELDS[direction]:
                raise unknown_parameter(param)
            if key == "turn_detection":
                section[key] = _turn_detection(field_value, param, Dialect.GA)
            elif key == "format":
                section[key] = _ga_format(field_value, param)
            else:
                section[key] = field_value


def _merge_beta(merged: JsonObject, patch: JsonObject) -> None:
    fields = transcription.BETA_FIELDS if transcription.is_transcription(merged) else BETA_FIELDS
    for key in patch:
        if key not in fields:
            raise unknown_parameter(f"session.{key}")
    for key, value in patch.items():
        param = f"session.{key}"
        if key == "client_secret":
            continue
        if key == "turn_detection":
            merged[key] = _turn_detection(value, param, Dialect.BETA)
        elif key == "modalities":
            if not isinstance(value, list) or sorted(value) not in (["text"], ["audio", "text"]):
                raise invalid_value(param, value, ["text", "audio"])
            merged[key] = value
        elif key in ("input_audio_format", "output_audio_format"):
            if value not in _AUDIO_FORMATS_BETA:
                raise invalid_value(param, value, _AUDIO_FORMATS_BETA)
            merged[key] = value
        else:
            merged[key] = value


def _turn_detection(value: object, param: str, dialect: Dialect) -> JsonObject | None:
    """A turn detection setting with the service's defaults filled in (None = manual turns)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise invalid_type(param, "an object", value)
    for key in value:
        if key not in _VAD_KEYS:
            raise unknown_parameter(f"{param}.{key}")
    kind = value.get("type", "server_vad")
    if kind == "server_vad":
        defaults = dict(_SERVER_VAD)
        if dialect is Dialect.GA:
            defaults["idle_timeout_ms"] = None
    elif kind == "semantic_vad":
        defaults = dict(_SEMANTIC_VAD)
    else:
        raise invalid_value(f"{param}.type", kind, ["server_vad", "semantic_vad"])
    threshold = value.get("threshold")
    if threshold is not None and (
        not isinstance(threshold, int | float) or not 0.0 <= threshold <= 1.0
    ):
        raise MockError(
            "decimal_out_of_range",
            f"Invalid '{param}.threshold': expected a number between 0 and 1.",
            f"{param}.threshold",
        )
    return {**defaults, **value}


def _ga_format(value: object, param: str) -> JsonObject:
    if not isinstance(value, dict):
        raise invalid_type(param, "an object", value)
    kind = value.get("type")
    if kind == "audio/pcm":
        rate = value.get("rate", 24000)
        if rate != 24000:
            raise invalid_value(f"{param}.rate", rate, ["24000"])
        return {"type": kind, "rate": 24000}
    if kind in ("audio/pcmu", "audio/pcma"):
        return {"type": kind}
    raise invalid_value(f"{param}.type", kind, ["audio/pcm", "audio/pcmu", "audio/pcma"])
