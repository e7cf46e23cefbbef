"""Where an assistant item's transcript stood against its audio as both streamed in.

A barge-in cuts the audio at `audio_end_ms`, and the service drops the transcript it can
no longer vouch for; the user still wants to read what they heard. The transcript deltas
of an item arrive interleaved with its audio deltas, so the transcript's length when a
given amount of audio had arrived is where the heard part ends (as near as the service
keeps the two in step: it may send the words a little ahead of their sound).
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from typing import Final

KEPT_ITEMS: Final = 16
"""Items whose marks are kept, the newest: a barge-in cuts what is playing, the latest
reply or the few before it still queued; an hour of replies need not keep every one's."""


class TranscriptMarks:
    """Per item (the `KEPT_ITEMS` newest): after each transcript delta, how much audio had
    arrived and how long the transcript was."""

    def __init__(self, kept: int = KEPT_ITEMS) -> None:
        self._kept = kept
        self._marks: dict[str, tuple[array[int], array[int]]] = {}

    def mark(self, item_id: str, audio_bytes: int, chars: int) -> None:
        """A transcript delta made the item's transcript `chars` long after `audio_bytes`
        of its audio had arrived."""
        marks = self._marks.get(item_id)
        if marks is None:
            if len(self._marks) >= self._kept:
                del self._marks[next(iter(self._marks))]  # The oldest item.
            marks = self._marks[item_id] = (array("q"), array("q"))
        marks[0].append(audio_bytes)
        marks[1].append(chars)

    def heard_chars(self, item_id: str, audio_bytes: int) -> int | None:
        """How much of the transcript had arrived with the first `audio_bytes` of audio;
        None when the transcript did not stream alongside the audio (or the item is older
        than the kept ones)."""
        marks = self._marks.get(item_id)
        if not marks:
            return None
        index = bisect_right(marks[0], audio_bytes)
        return marks[1][index - 1] if index else 0

    def forget(self, item_id: str) -> None:
        self._marks.pop(item_id, None)
