"""What the service changes in a `session.update` instead of refusing it.

A value of the right type but out of range is not an error: the service clamps it into
range, and a voice it does not have becomes its default voice. `session.updated` then
reports what the session really got, which is what the config diff view shows against
what the client sent.

- `temperature` (beta only; GA has none): 0.6 to 1.2.
- `max_output_tokens` (beta `max_response_output_tokens`): 1 to 4096, or "inf".
- `audio.output.speed` (beta `speed`): 0.25 to 1.5.
- `audio.output.voice` (beta `voice`): one of the dialect's voices (or, in GA, a custom
  voice `{"id": …}`); any other name becomes the default voice.
"""

from __future__ import annotations

from typing import Any

from rt_tui.dialect import Dialect

JsonObject = dict[str, Any]

__all__ = ["BETA_VOICES", "DEFAULT_VOICE", "GA_VOICES", "clamp_session"]

BETA_VOICES = ("alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse")
GA_VOICES = (*BETA_VOICES, "marin", "cedar")
DEFAULT_VOICE = {Dialect.GA: "marin", Dialect.BETA: "alloy"}

TEMPERATURE = (0.6, 1.2)
MAX_OUTPUT_TOKENS = (1, 4096)
SPEED = (0.25, 1.5)


def _clamp(value: object, bounds: tuple[float, float]) -> object:
    """`value` moved into `bounds` if it is a number outside them; anything else as is."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return value
    low, high = bounds
    return min(max(value, low), high)


def _clamp_key(section: object, key: str, bounds: tuple[float, float]) -> None:
    if isinstance(section, dict) and key in section:
        section[key] = _clamp(section[key], bounds)


def _voice(section: object, key: str, dialect: Dialect) -> None:
    if not isinstance(section, dict) or key not in section:
        return
    voice = section[key]
    known = GA_VOICES if dialect is Dialect.GA else BETA_VOICES
    if isinstance(voice, str) and voice not in known:
        section[key] = DEFAULT_VOICE[dialect]


def clamp_session(session: JsonObject, dialect: Dialect) -> None:
    """Bring the values of `session` (the server's copy, in `dialect`'s shape) into the
    ranges the service allows, in place."""
    if dialect is Dialect.GA:
        _clamp_key(session, "max_output_tokens", MAX_OUTPUT_TOKENS)
        audio = session.get("audio")
        output = audio.get("output") if isinstance(audio, dict) else None
        _clamp_key(output, "speed", SPEED)
        _voice(output, "voice", dialect)
        return
    _clamp_key(session, "temperature", TEMPERATURE)
    _clamp_key(session, "max_response_output_tokens", MAX_OUTPUT_TOKENS)
    _clamp_key(session, "speed", SPEED)
    _voice(session, "voice", dialect)
