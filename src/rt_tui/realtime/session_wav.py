"""A whole session's two sides as one stereo WAV: the user on the left channel, the
assistant on the right, each placed at the time it crossed the socket.

Built from the session log a frame at a time, so a session of any length costs a few
buffers of memory: each side is written as raw PCM16 24 kHz into a scratch file at the
position where it belongs, and the two are interleaved into the WAV at the end.

Where audio goes on the timeline (the milliseconds since the socket opened, `t_ms`):

- The user's `input_audio_buffer.append`: a chunk is captured before it is sent, so it ends
  at its frame's time; chunks sent faster than real time (a WAV file sent whole) are laid
  end to end from there. A chunk that left late (a busy event loop held it up, and the ones
  behind it caught up) follows the one before it without a gap: the chunks after it show
  whether the stream ran on or paused.
- The assistant's `response.output_audio.delta`: it plays from its arrival, after what is
  already queued, as a speaker plays it.
- A `conversation.item.truncate` the client sent while an item was still playing stopped
  playback there: the item's audio after `audio_end_ms`, and whatever was queued behind it,
  is left out, as are deltas of those items that arrived afterwards.

G.711 sessions (as `session.created` / `.updated` say) are decoded to PCM16 24 kHz. A log
that holds several sessions one after another (a `--log` file reused) continues the
timeline where the previous session's audio ended.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import tempfile
import wave
from array import array
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from rt_tui.realtime.audio import BYTES_PER_MS, SAMPLE_RATE, SAMPLE_WIDTH
from rt_tui.realtime.audio_formats import WireDecoder, law_of, session_formats
from rt_tui.realtime.errors import os_reason
from rt_tui.realtime.frames import Direction
from rt_tui.realtime.session_log import LogError, LogFile, LogRecord

_USER_AUDIO = "input_audio_buffer.append"
_ASSISTANT_AUDIO = frozenset({"response.output_audio.delta", "response.audio.delta"})
_SESSION = frozenset({"session.created", "session.updated"})
_TRUNCATE = "conversation.item.truncate"
_BLOCK = SAMPLE_RATE * SAMPLE_WIDTH  # one second of one side
_RESTART_MS = 1000
"""A frame this much earlier than the one before starts another session in the same log."""
_HELD_UP_MS = 500
"""The most a user's chunk can have been held up on its way and still be placed where it
was captured; the chunks after it, this much audio of them, are looked at to tell."""


class SessionAudioError(Exception):
    """The session's audio cannot be written; the message is one sentence."""


@dataclass(frozen=True, slots=True)
class SessionAudio:
    """What `write_session_wav` wrote."""

    path: Path
    duration_ms: float
    """Length of the WAV, from the session's start to the last audio."""
    user_ms: float
    """Audio on the left channel (the user)."""
    assistant_ms: float
    """Audio on the right channel (the assistant)."""


def _position(t_ms: float) -> int:
    """Byte offset of a time on a side's track (whole samples)."""
    return max(0, int(t_ms * SAMPLE_RATE / 1000)) * SAMPLE_WIDTH


class _Side:
    """One channel: raw PCM16 in a scratch file, written where each piece belongs."""

    def __init__(self, directory: Path) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile(dir=directory)  # noqa: SIM115
        self.size = 0
        """Bytes from the start of the timeline to the end of the last audio."""
        self.end = 0
        """Where the next piece starts if it follows on without a gap."""
        self._written = 0
        """Where the decoder's next output goes (it lags its input inside a run)."""
        self.decoder = WireDecoder(None)

    def place(self, start: int, data: bytes, decoded_size: int) -> tuple[int, int]:
        """Put a piece (`data` in the wire format, `decoded_size` bytes once decoded) at
        `start`, or right after the previous piece if that ends later. Where it went."""
        start = max(start, self.end)
        if start > self.end:  # a gap: the decoder's stream ends, a new one starts
            self._write(self._written, self.decoder.flush())
            self._written = start
        self._write(self._written, self.decoder.decode(data))
        self.end = start + decoded_size
        return start, self.end

    def set_format(self, audio_format: object) -> None:
        if law_of(audio_format) != self.decoder.law:
            self._write(self._written, self.decoder.flush())
            self.decoder = WireDecoder(audio_format)

    def cut(self, at: int) -> None:
        """Remove everything from `at` on (playback stopped there)."""
        if at >= self.size:
            return
        self.decoder.flush()  # what it held back was never played
        self._file.truncate(at)
        self.size = at
        self.end = min(self.end, at)
        self._written = min(self._written, at)

    def finish(self) -> None:
        self._write(self._written, self.decoder.flush())

    def _write(self, at: int, pcm: bytes) -> None:
        if not pcm:
            return
        self._file.seek(at)
        self._file.write(pcm)  # past the end, the hole reads as silence
        self._written = at + len(pcm)
        self.size = max(self.size, self._written)

    def read(self, at: int, size: int) -> bytes:
        """`size` bytes from `at`, silence past the end."""
        self._file.seek(at)
        data = self._file.read(size) if at < self.size else b""
        return data + bytes(size - len(data))

    def close(self) -> None:
        self._file.close()


@dataclass(frozen=True, slots=True)
class _UserChunk:
    """One `input_audio_buffer.append` of the user's, waiting to be placed."""

    start: int
    """Where it starts if it was captured just before it was sent (bytes on the track)."""
    data: bytes
    size: int
    """Its size once decoded."""


def _decoded_size(data: bytes, decoder: WireDecoder) -> int:
    """Bytes of PCM16 24 kHz that wire audio `data` decodes to."""
    if decoder.law is None:
        return len(data) - len(data) % SAMPLE_WIDTH
    return len(data) * 3 * SAMPLE_WIDTH  # one 8 kHz byte: three 24 kHz samples


def _b64(value: object) -> bytes | None:
    if not isinstance(value, str):
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


class _Timeline:
    """Reads frames in order and puts their audio on the two sides."""

    def __init__(self, user: _Side, assistant: _Side) -> None:
        self.user = user
        self.assistant = assistant
        self._offset = 0.0
        self._last_t = 0.0
        self._items: dict[str, tuple[int, int]] = {}
        """Assistant item id: (start, end) of its audio on the right channel."""
        self._cut_items: set[str] = set()
        self.user_bytes = 0
        self._user_queue: deque[_UserChunk] = deque()
        """The user's latest chunks, not placed until the ones after them are known."""
        self._queued_bytes = 0

    @property
    def assistant_bytes(self) -> int:
        """The assistant's audio that was played (cut items count up to the cut)."""
        return sum(end - start for start, end in self._items.values())

    def add(self, record: LogRecord) -> None:
        if not isinstance(record.data, str):
            return
        try:
            event: Any = json.loads(record.data)
        except ValueError:
            return
        if not isinstance(event, dict):
            return
        if record.t_ms + self._offset < self._last_t - _RESTART_MS:
            # Another session appended to the log: its clock starts again at 0.
            self.place_user_audio()
            ends = max(self.user.end, self.assistant.end) / BYTES_PER_MS
            self._offset = max(self._last_t, ends) - record.t_ms
        t_ms = record.t_ms + self._offset
        self._last_t = t_ms
        kind = event.get("type")
        if record.direction is Direction.SENT:
            if kind == _USER_AUDIO:
                self._user_audio(t_ms, _b64(event.get("audio")))
            elif kind == _TRUNCATE:
                self._truncate(t_ms, event)
        elif kind in _ASSISTANT_AUDIO:
            self._assistant_audio(t_ms, event)
        elif kind in _SESSION and isinstance(event.get("session"), dict):
            heard, spoken = session_formats(event["session"])
            self.place_user_audio()  # decoded as what it was sent in
            self.user.set_format(heard)
            self.assistant.set_format(spoken)

    def _user_audio(self, t_ms: float, data: bytes | None) -> None:
        if not data:
            return
        size = _decoded_size(data, self.user.decoder)
        self._user_queue.append(_UserChunk(_position(t_ms) - size, data, size))
        self._queued_bytes += size
        self.user_bytes += size
        while self._queued_bytes - self._user_queue[0].size >= _position(_HELD_UP_MS):
            self._place_first_user_chunk()

    def place_user_audio(self) -> None:
        """Place the user's chunks still waiting for the ones after them."""
        while self._user_queue:
            self._place_first_user_chunk()

    def _place_first_user_chunk(self) -> None:
        chunk = self._user_queue.popleft()
        self._queued_bytes -= chunk.size
        side, start = self.user, chunk.start
        gap = start - side.end
        if side.size and 0 < gap <= _position(_HELD_UP_MS):
            # Late, or after a pause? Laid end to end back from their own times, the
            # chunks behind it say where it would have started had it not been held up.
            behind = chunk.size
            for later in self._user_queue:
                start = min(start, later.start - behind)
                behind += later.size
        side.place(start, chunk.data, chunk.size)

    def _assistant_audio(self, t_ms: float, event: dict[str, Any]) -> None:
        item_id = event.get("item_id")
        data = _b64(event.get("delta"))
        if not data or not isinstance(item_id, str) or item_id in self._cut_items:
            return
        side = self.assistant
        start, end = side.place(_position(t_ms), data, _decoded_size(data, side.decoder))
        first = self._items.get(item_id)
        self._items[item_id] = (first[0] if first else start, end)

    def _truncate(self, t_ms: float, event: dict[str, Any]) -> None:
        item_id, audio_end_ms = event.get("item_id"), event.get("audio_end_ms")
        span = self._items.get(item_id) if isinstance(item_id, str) else None
        if span is None or not isinstance(audio_end_ms, int | float):
            return
        start, end = span
        if end <= _position(t_ms):
            return  # it had played out: an edit of the conversation, not an interruption
        cut = start + _position(audio_end_ms)
        if cut >= end:
            return
        self.assistant.cut(cut)
        for other, (other_start, other_end) in self._items.items():
            if other_end > cut:
                self._cut_items.add(other)
                self._items[other] = (other_start, max(other_start, cut))


def write_session_wav(log: Path, out: Path) -> SessionAudio:
    """Write the audio of the session log `log` to `out` as a stereo WAV (user left,
    assistant right, PCM16 24 kHz), mode 0600. Raises SessionAudioError."""
    try:
        directory = out.parent
        user, assistant = _Side(directory), _Side(directory)
    except OSError as exc:
        raise SessionAudioError(f"Cannot write {out}: {os_reason(exc)}.") from None
    try:
        timeline = _Timeline(user, assistant)
        try:
            for record, _span in LogFile(log).records():
                timeline.add(record)
        except LogError as error:
            raise SessionAudioError(str(error)) from None
        timeline.place_user_audio()
        user.finish()
        assistant.finish()
        if not timeline.user_bytes and not timeline.assistant_bytes:
            raise SessionAudioError(f"{log.name} holds no audio, so {out} was not written.")
        size = max(user.size, assistant.size)
        try:
            _interleave(user, assistant, size, out)
        except OSError as exc:
            raise SessionAudioError(f"Cannot write {out}: {os_reason(exc)}.") from None
        return SessionAudio(
            out,
            duration_ms=size / BYTES_PER_MS,
            user_ms=timeline.user_bytes / BYTES_PER_MS,
            assistant_ms=timeline.assistant_bytes / BYTES_PER_MS,
        )
    finally:
        user.close()
        assistant.close()


def _interleave(left: _Side, right: _Side, size: int, out: Path) -> None:
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(fd, "wb") as file:
        os.fchmod(fd, 0o600)  # a file that was there would keep its mode
        with wave.open(file, "wb") as wav:
            wav.setnchannels(2)
            wav.setsampwidth(SAMPLE_WIDTH)
            wav.setframerate(SAMPLE_RATE)
            for at in range(0, size, _BLOCK):
                count = min(_BLOCK, size - at)
                frames = array("h", bytes(2 * count))
                frames[0::2] = array("h", left.read(at, count))
                frames[1::2] = array("h", right.read(at, count))
                wav.writeframes(frames.tobytes())
