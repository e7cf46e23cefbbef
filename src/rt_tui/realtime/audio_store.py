"""Decoded audio per conversation item, kept out of the event stream.

The wire carries audio as base64 inside JSON; the conversation decodes each chunk once
and keeps only the raw PCM here, so nothing else has to hold base64. The interface is
small (append / get / truncate / discard / sizes) so the store could move to disk later
without its callers changing.
"""

from __future__ import annotations

from collections.abc import Iterator

#: PCM16 mono at 24 kHz: 2 bytes a sample, 24 samples a millisecond.
BYTES_PER_MS = 48


class AudioStore:
    """In-memory PCM16 24 kHz mono audio, one growing buffer per item id."""

    def __init__(self) -> None:
        self._buffers: dict[str, bytearray] = {}
        self._total = 0

    def append(self, item_id: str, pcm: bytes) -> None:
        """Add samples to the end of an item's audio."""
        buffer = self._buffers.get(item_id)
        if buffer is None:
            buffer = self._buffers[item_id] = bytearray()
        buffer += pcm
        self._total += len(pcm)

    def get(self, item_id: str) -> bytes:
        """All audio of an item so far (empty if it has none)."""
        buffer = self._buffers.get(item_id)
        return bytes(buffer) if buffer is not None else b""

    def size(self, item_id: str) -> int:
        """Bytes of audio held for an item."""
        buffer = self._buffers.get(item_id)
        return len(buffer) if buffer is not None else 0

    def duration_ms(self, item_id: str) -> float:
        """Length of an item's audio in milliseconds."""
        return self.size(item_id) / BYTES_PER_MS

    def truncate(self, item_id: str, audio_end_ms: int) -> None:
        """Keep only the first `audio_end_ms` of an item's audio (what the user heard)."""
        buffer = self._buffers.get(item_id)
        if buffer is None:
            return
        keep = max(0, audio_end_ms) * BYTES_PER_MS
        if keep < len(buffer):
            self._total -= len(buffer) - keep
            del buffer[keep:]

    def discard(self, item_id: str) -> None:
        """Forget an item's audio (the item was deleted)."""
        buffer = self._buffers.pop(item_id, None)
        if buffer is not None:
            self._total -= len(buffer)

    @property
    def total_bytes(self) -> int:
        """Bytes of audio held for all items."""
        return self._total

    def item_ids(self) -> Iterator[str]:
        """Ids of the items that have audio, in the order their audio began."""
        return iter(self._buffers)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._buffers

    def __len__(self) -> int:
        return len(self._buffers)
