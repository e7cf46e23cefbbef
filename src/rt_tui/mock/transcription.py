"""Transcription sessions in the mock: what one looks like, and what it accepts.

A socket opened with `intent=transcription` gets a session that only transcribes: GA
reports it as `session.created` with `type: "transcription"` (object
`realtime.transcription_session`), beta as `transcription_session.created`. It takes
only its input settings (GA `session.update` with `type: "transcription"`, beta
`transcription_session.update`), audio, commits and clears; every committed turn is
transcribed (`input_audio_transcription.delta`… then `.completed`), and it never
creates a response. A session of the other kind refuses the other kind's update, as the
service does ("Passing a transcription session update event to a realtime session is
not allowed").
"""

from __future__ import annotations

from typing import Any

from rt_tui.dialect import Dialect
from rt_tui.mock.errors import MockError

JsonObject = dict[str, Any]

INTENT = "transcription"
"""The handshake's `intent` query value that opens a transcription session."""
OBJECT = "realtime.transcription_session"

#: Client events a transcription session takes (anything else is an unknown type to it).
CLIENT_EVENTS = {
    Dialect.GA: (
        "session.update",
        "input_audio_buffer.append",
        "input_audio_buffer.commit",
        "input_audio_buffer.clear",
    ),
    Dialect.BETA: (
        "transcription_session.update",
        "input_audio_buffer.append",
        "input_audio_buffer.commit",
        "input_audio_buffer.clear",
    ),
}

GA_FIELDS = {"type", "audio", "include"}
BETA_FIELDS = {
    "input_audio_format",
    "input_audio_transcription",
    "input_audio_noise_reduction",
    "turn_detection",
    "include",
    "modalities",
    "client_secret",
}


def default_session(
    dialect: Dialect, *, session_id: str, expires_at: int, pcm_format: JsonObject, vad: JsonObject
) -> JsonObject:
    """A new transcription session as the service reports it: no model until one is set."""
    if dialect is Dialect.GA:
        return {
            "type": "transcription",
            "object": OBJECT,
            "id": session_id,
            "expires_at": expires_at,
            "audio": {
                "input": {
                    "format": dict(pcm_format),
                    "transcription": None,
                    "noise_reduction": None,
                    "turn_detection": {**vad, "idle_timeout_ms": None},
                }
            },
            "include": None,
        }
    return {
        "id": session_id,
        "object": OBJECT,
        "expires_at": expires_at,
        "modalities": ["text"],
        "input_audio_format": "pcm16",
        "input_audio_transcription": None,
        "input_audio_noise_reduction": None,
        "turn_detection": dict(vad),
        "include": None,
    }


def is_transcription(data: JsonObject) -> bool:
    """Whether the session object (either dialect) is a transcription session's."""
    return data.get("type") == "transcription" or data.get("object") == OBJECT


def wrong_kind(transcription_session: bool) -> MockError:
    """The refusal of an update meant for the other kind of session."""
    if transcription_session:
        message = (
            "Passing a realtime session update event to a transcription session is not allowed."
        )
    else:
        message = (
            "Passing a transcription session update event to a realtime session is not allowed."
        )
    return MockError("invalid_value", message, "session.type")
