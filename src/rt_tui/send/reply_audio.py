"""`rt-tui send --save-audio FILE`: gather the reply's audio as it streams, write it at the end.

Audio deltas are decoded as they arrive and kept per response in a scratch file (the
cache folder), not in memory, so the file holds exactly the audio of the response that
answered (not of one cut short by a later turn).
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

from rt_tui.realtime.audio import duration_ms, write_wav
from rt_tui.realtime.audio_store import AudioStore
from rt_tui.realtime.errors import os_reason
from rt_tui.realtime.event_registry import ServerEvent
from rt_tui.realtime.response_events import DeltaEvent

_AUDIO_DELTA = "response.output_audio.delta"


class AudioFileError(Exception):
    """The reply's audio cannot be written (the message is one sentence)."""


def check_writable(path: Path) -> None:
    """Fail early, before anything is sent, if `path` cannot be a new file."""
    if path.is_dir():
        raise AudioFileError(f"cannot write the audio to {path}: it is a folder.")
    if not path.parent.is_dir():
        raise AudioFileError(f"cannot write the audio to {path}: its folder does not exist.")


class ReplyAudio:
    """PCM16 audio of each response, by response id."""

    def __init__(self) -> None:
        self._by_response = AudioStore()

    def observe(self, event: ServerEvent | None) -> None:
        """Keep the audio of an audio delta; ignore anything else."""
        if not isinstance(event, DeltaEvent) or event.kind != _AUDIO_DELTA:
            return
        try:
            pcm = base64.b64decode(event.delta, validate=True)
        except (binascii.Error, ValueError):
            return
        self._by_response.append(event.response_id, pcm)

    def pcm(self, response_id: str | None) -> bytes:
        """The audio of one response so far (empty if it had none)."""
        return self._by_response.get(response_id or "")

    def save(self, response_id: str | None, path: Path) -> float:
        """Write one response's audio to `path` as a WAV file; its duration in ms."""
        pcm = self.pcm(response_id)
        if not pcm:
            raise AudioFileError(f"the reply carried no audio, so {path} was not written.")
        try:
            write_wav(path, pcm)
        except OSError as exc:
            raise AudioFileError(f"cannot write the audio to {path}: {os_reason(exc)}.") from None
        return duration_ms(pcm)
