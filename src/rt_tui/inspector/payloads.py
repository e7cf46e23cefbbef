"""Where the frame store keeps each entry's text: in memory, in a session log, or spilled.

Text frames keep their wire text in memory, compressed (`PackedTexts`): the detail view,
the copy and the free-text filter need it. Audio frames and big ones keep only where the
text is: the session log the frame was recorded in (a live recorder or a replayed file),
or, for a frame no log holds (the log failed, a test), a `SpillFile` in the cache folder.
Pure Python, no Textual.
"""

from __future__ import annotations

from array import array
from pathlib import Path

from rt_tui.inspector.packed_texts import PackedTexts
from rt_tui.realtime.frames import LogSource, LogSpan
from rt_tui.realtime.session_log import LogError, read_record
from rt_tui.realtime.spill import SpillFile

_IN_MEMORY = -1
_SPILLED = -2


class Payloads:
    """Every entry's text, or where to read it back from, by entry index."""

    def __init__(self, spill_dir: Path | None = None) -> None:
        """`spill_dir`: where texts no log holds go (default: the cache folder)."""
        self._spill_dir = spill_dir
        self._spill: SpillFile | None = None
        self.clear()

    def clear(self) -> None:
        """Forget every text (and release the spill file)."""
        self.close()
        self._at = array("q")
        self._length = array("I")
        self._in = array("b")
        """Where an entry's text is: _IN_MEMORY, _SPILLED, or an index into `_logs`."""
        self._logs: list[LogSource] = []
        self._texts = PackedTexts()

    def close(self) -> None:
        """Release the spill file."""
        if self._spill is not None:
            self._spill.close()
            self._spill = None

    def keep(self, text: str | bytes) -> None:
        """The next entry's text, kept in memory."""
        self._add(_IN_MEMORY, 0, 0, text)

    def keep_in_log(self, span: LogSpan) -> None:
        """The next entry's text is this span of a session log."""
        self._add(self._log_index(span.log), span.offset, span.length, None)

    def spill(self, data: bytes) -> None:
        """The next entry's text, written to the spill file."""
        if self._spill is None:
            self._spill = SpillFile(self._spill_dir)
        self._add(_SPILLED, self._spill.append(data), len(data), None)

    def _add(self, where: int, at: int, length: int, text: str | bytes | None) -> None:
        self._in.append(where)
        self._at.append(at)
        self._length.append(length)
        self._texts.append(text)

    def _log_index(self, log: LogSource) -> int:
        logs = self._logs
        if logs and logs[-1] is log:
            return len(logs) - 1
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
        where = self._in[i]
        if where == _IN_MEMORY:
            text = self._texts[i]
            return "" if text is None else text
        at, length = self._at[i], self._length[i]
        if where == _SPILLED:
            return "" if self._spill is None else self._spill.read(at, length).decode()
        try:
            return read_record(LogSpan(self._logs[where], at, length)).data
        except LogError as error:
            return f"<{str(error).rstrip('.')}>"

    def memory_bytes(self) -> int:
        """Approximate bytes held in memory."""
        arrays = (self._at, self._length, self._in)
        return int(sum(a.itemsize * len(a) for a in arrays)) + self._texts.memory_bytes()
