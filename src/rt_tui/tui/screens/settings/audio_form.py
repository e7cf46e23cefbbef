"""The Audio section of the settings form as plain data: widget values -> `[audio]`.

A microphone or speaker is checked the way `--mic` / `--speaker` are: the words must name
something, and a WAV file must be usable (a device is only looked for when it is opened,
since the app works without one).
"""

from __future__ import annotations

from rt_tui.config_audio import AudioSettings
from rt_tui.realtime.audio_io import AudioSpecError, file_problem, parse_audio_spec
from rt_tui.realtime.audio_io.specs import Role

#: Widget id -> one-sentence problem (as `form.FieldErrors`).
FieldErrors = dict[str, str]


def _problem(text: str, role: Role) -> str | None:
    try:
        spec = parse_audio_spec(text, role)
    except AudioSpecError as problem:
        return str(problem)
    return file_problem(spec, role)


def build_audio(
    mic: str, speaker: str, half_duplex: bool
) -> tuple[AudioSettings | None, FieldErrors]:
    """The `[audio]` section from the form's values (empty means none), or the problems
    by widget id."""
    mic, speaker = mic.strip() or "none", speaker.strip() or "none"
    problems = {"audio-mic": _problem(mic, "mic"), "audio-speaker": _problem(speaker, "speaker")}
    errors = {widget: problem for widget, problem in problems.items() if problem is not None}
    if errors:
        return None, errors
    return AudioSettings(mic=mic, speaker=speaker, half_duplex=half_duplex), {}
