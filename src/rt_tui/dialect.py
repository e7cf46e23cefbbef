"""The two shapes of the Realtime API and how their event names map onto one vocabulary.

The app speaks one internal vocabulary, the GA names. Beta names that differ are
translated on the way in (server events) and on the way out (client events).
"""

from __future__ import annotations

from enum import StrEnum


class Dialect(StrEnum):
    """Which shape of the protocol a socket speaks."""

    GA = "ga"
    """`/v1/realtime`, `/openai/v1/realtime`: nested `session`, `output_*` event names."""
    BETA = "beta"
    """Azure preview `/openai/realtime?api-version&deployment`, or `OpenAI-Beta: realtime=v1`."""


#: Beta server event name → GA (internal) name. Names not listed are the same in both.
BETA_TO_GA: dict[str, str] = {
    "conversation.item.created": "conversation.item.added",
    "response.text.delta": "response.output_text.delta",
    "response.text.done": "response.output_text.done",
    "response.audio.delta": "response.output_audio.delta",
    "response.audio.done": "response.output_audio.done",
    "response.audio_transcript.delta": "response.output_audio_transcript.delta",
    "response.audio_transcript.done": "response.output_audio_transcript.done",
}

#: Beta's transcription sessions have server events of their own; GA folds them into
#: `session.*` (a session of `type: transcription`), so the app reads them as those.
BETA_TRANSCRIPTION_TO_GA: dict[str, str] = {
    "transcription_session.created": "session.created",
    "transcription_session.updated": "session.updated",
}

#: GA name → beta wire name, for the mock server speaking beta.
GA_TO_BETA: dict[str, str] = {ga: beta for beta, ga in BETA_TO_GA.items()}


def normalise(wire_type: str) -> str:
    """The internal (GA) name of a server event's wire type, in either dialect."""
    return BETA_TO_GA.get(wire_type) or BETA_TRANSCRIPTION_TO_GA.get(wire_type, wire_type)


def wire_name(kind: str, dialect: Dialect) -> str:
    """The wire name of an internal event kind in `dialect`."""
    if dialect is Dialect.BETA:
        return GA_TO_BETA.get(kind, kind)
    return kind
