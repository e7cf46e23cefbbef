"""Where the frame store keeps each entry's text: in memory, in a session log, or spilled.

Text frames keep their wire text in memory, compressed (`PackedTexts`): the detail view,
the copy and the free-text filter need it. Audio frames and big ones keep only where the
text is: the session log the frame was recorded in (a live recorder or a replayed file),
or, for a frame no log holds (the log failed, a test), a `SpillFile` in the cache folder.
Pure Python, no Textual.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from pathlib import Path

from rt_tui.inspector.packed_texts import PackedTexts
from rt_tui.realtime.frames import LogSource, LogSpan
from rt_tui.realtime.session_log import LogError, read_record
from rt_tui.realtime.spill import SpillFile

_SPILLED = -1
"""Where a far entry is when no log holds it (else: its log's index in `_logs`)."""


class Payloads:
    """Every entry's text, or where to read it back from, by entry index.

    Only the entries kept on disk (one in a dozen of a spoken reply) pay for an offset and
    a length; an entry kept in memory costs its packed text alone, and one kept on disk a
    None among the packed texts besides."""

    def __init__(self, spill_dir: Path | None = None) -> None:
        """`spill_dir`: where texts no log holds go (default: the cache folder)."""
        self._spill_dir = spill_dir
        self._spill: SpillFile | None = None
        self.clear()

    def clear(self) -> None:
        """Forget every text (and release the spill file)."""
        self.close()
        self._texts = PackedTexts()
        """By entry: its text if kept in memory, else None (it is far)."""
        self._far = array("I")
        """The far entries, in order; `_in`, `_at` and `_length` say where, alike."""
        self._in = array("b")
        self._at = array("q")
        self._length = array("I")
        self._logs: list[LogSource] = []

    def close(self) -> None:
        """Release the spill file."""
        if self._spill is not None:
            self._spill.close()
            self._spill = None

    def keep(self, text: str | bytes) -> None:
        """The next entry's text, kept in memory."""
        self._texts.append(text)

    def keep_in_log(self, span: LogSpan) -> None:
        """The next entry's text is this span of a session log."""
        self._keep_far(self._log_index(span.log), span.offset, span.length)

    def spill(self, data: bytes) -> None:
        """The next entry's text, written to the spill file."""
        if self._spill is None:
            self._spill = SpillFile(self._spill_dir)
        self._keep_far(_SPILLED, self._spill.append(data), len(data))

    def _keep_far(self, where: int, at: int, length: int) -> None:
        self._far.append(len(self._texts))  # (Only a few frames: audio and big ones.)
        self._in.append(where)
        self._at.append(at)
        self._length.append(length)
        self._texts.append(None)

    def _log_index(self, log: LogSource) -> int:
        logs = self._logs
        if logs and logs[-1] is log:
            return len(logs) - 1  # Nearly always: a session has one log at a time.
        for n, known in enumerate(logs):
            if known is log:
                return n
        logs.append(log)
        return len(logs) - 1

    def in_memory(self, i: int) -> str | bytes | None:
        """Entry `i`'s text if it is kept in memory (None when it is read back from disk)."""
        return self._texts[i]

    def text(self, i: int) -> str | bytes:
        """Entry `i`'s text, read back from disk if need be; a one-line note in angle
        brackets if its log no longer holds it."""
        text = self._texts[i]
        if text is not None:
            return text
        slot = bisect_left(self._far, i)
        where, at, length = self._in[slot], self._at[slot], self._length[slot]
        if where == _SPILLED:
            return "" if self._spill is None else self._spill.read(at, length).decode()
        try:
            return read_record(LogSpan(self._logs[where], at, length)).data
        except LogError as error:
            return f"<{str(error).rstrip('.')}>"

    def memory_bytes(self) -> int:
        """Approximate bytes held in memory."""
        arrays = (self._far, self._in, self._at, self._length)
        return int(sum(a.itemsize * len(a) for a in arrays)) + self._texts.memory_bytes()
