"""Many short texts in little memory: the frame store's wire texts and summaries.

An hour of a session is tens of thousands of small JSON frames; kept as `str` objects
they cost ~300 bytes each, and that alone grew the app by ~20 MB an hour. Here they are
appended to an open block of bytes, and every `BLOCK_TEXTS` texts the block is
compressed (zlib, which takes these repetitive frames to a tenth or less). Reading one
decompresses its block; the last couple of blocks read stay decompressed, so painting
the rows in view or scanning every frame in order (a new filter) decompresses each block
once.
"""

from __future__ import annotations

import zlib
from array import array
from typing import Final

BLOCK_TEXTS: Final = 128
"""Texts per compressed block: big enough for zlib to find the repeats between frames,
small enough that reading one back is quick."""
CACHED_BLOCKS: Final = 2
"""Decompressed blocks kept: the rows in view span at most two."""

_NONE, _STR, _BYTES = 0, 1, 2
_ENCODING: Final = "utf-8"
_ERRORS: Final = "surrogatepass"
"""A lone surrogate (a hand-written `/raw` frame can hold one) survives the round trip."""


class PackedTexts:
    """A list of `str`, `bytes` or None that only appends, held compressed."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self._kinds = bytearray()
        self._ends = array("I")
        """Where each text ends in its block's bytes (a block stays far below 4 GiB: the
        store keeps no text of `BIG_FRAME_CHARS` or more in memory)."""
        self._blocks: list[bytes] = []
        """The full blocks, compressed."""
        self._open = bytearray()
        """The texts since the last full block, as bytes."""
        self._cache: dict[int, bytes] = {}

    def __len__(self) -> int:
        return len(self._kinds)

    def append(self, text: str | bytes | None) -> None:
        if text is None:
            kind = _NONE
        elif isinstance(text, str):
            kind = _STR
            self._open += text.encode(_ENCODING, _ERRORS)
        else:
            kind = _BYTES
            self._open += text
        self._kinds.append(kind)
        self._ends.append(len(self._open))
        if len(self._kinds) % BLOCK_TEXTS == 0:
            self._blocks.append(zlib.compress(self._open))
            self._open = bytearray()

    def __getitem__(self, index: int) -> str | bytes | None:
        if not 0 <= index < len(self._kinds):
            raise IndexError(index)
        kind = self._kinds[index]
        if kind == _NONE:
            return None
        block, first = divmod(index, BLOCK_TEXTS)
        start = self._ends[index - 1] if first else 0
        data = self._block(block)[start : self._ends[index]]
        return data.decode(_ENCODING, _ERRORS) if kind == _STR else bytes(data)

    def _block(self, block: int) -> bytes | bytearray:
        if block == len(self._blocks):
            return self._open
        data = self._cache.get(block)
        if data is None:
            if len(self._cache) >= CACHED_BLOCKS:
                del self._cache[next(iter(self._cache))]
            data = self._cache[block] = zlib.decompress(self._blocks[block])
        return data

    def memory_bytes(self) -> int:
        """Bytes held: the compressed blocks, the open one and the per-text bookkeeping
        (decompressed blocks kept for reading come and go; they are left out)."""
        return (
            sum(map(len, self._blocks))
            + len(self._open)
            + len(self._kinds)
            + self._ends.itemsize * len(self._ends)
        )
