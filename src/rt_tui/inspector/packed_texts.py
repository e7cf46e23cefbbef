"""Many short texts in little memory: the frame store's wire texts and summaries.

An hour of a session is tens of thousands of small JSON frames; kept as `str` objects
they cost ~300 bytes each, and that alone grew the app by ~20 MB an hour. Here the newest
texts wait in a list (appending one is a list append, the cost of every frame), and every
`BLOCK_TEXTS` texts they are packed: encoded, joined and compressed (zlib, which takes
these repetitive frames to a tenth or less) together with their kinds and lengths, so a
full block costs its compressed bytes and nothing per text. Reading one decompresses its
block; the last couple of blocks read stay decompressed, so painting the rows in view or
scanning every frame in order (a new filter) decompresses each block once.
"""

from __future__ import annotations

import zlib
from array import array
from itertools import accumulate
from typing import Final

BLOCK_TEXTS: Final = 128
"""Texts per compressed block: big enough for zlib to find the repeats between frames,
small enough that reading one back is quick."""
CACHED_BLOCKS: Final = 2
"""Decompressed blocks kept: the rows in view span at most two."""
_LEVEL: Final = 3
"""The fastest levels (1 to 3) take these frames in ~0.5 µs each, the default twice as long
for ~12% fewer bytes; packing is paid by every frame as it arrives."""

_NONE, _STR, _BYTES = 0, 1, 2
_ENCODING: Final = "utf-8"
_ERRORS: Final = "surrogatepass"
"""A lone surrogate (a hand-written `/raw` frame can hold one) survives the round trip."""
_HEADER: Final = BLOCK_TEXTS * 5
"""A packed block starts with its texts' kinds (a byte each) and lengths (four bytes
each: the store keeps no text of `BIG_FRAME_CHARS` or more in memory)."""


class _Block:
    """A packed block, decompressed for reading: its texts' kinds are its first bytes,
    and text `n` is `raw[ends[n] : ends[n + 1]]`."""

    __slots__ = ("ends", "raw")

    def __init__(self, packed: bytes) -> None:
        self.raw = raw = zlib.decompress(packed)
        lengths = array("I")
        lengths.frombytes(raw[BLOCK_TEXTS:_HEADER])
        self.ends = array("I", accumulate(lengths, initial=_HEADER))


def _pack(texts: list[str | bytes | None]) -> bytes:
    if texts.count(None) == BLOCK_TEXTS:
        return _NOTHING  # Audio frames' texts, kept on disk: one block for them all.
    joined: str | None
    try:
        joined = "".join(texts)  # type: ignore[arg-type]  # (a TypeError if not all str)
    except TypeError:
        joined = None
    if joined is not None and joined.isascii():
        # All str and ASCII (JSON as `json.dumps` writes it): encoded in one go, and each
        # one's length in bytes is its length in characters.
        kinds, data = _ALL_STR, joined.encode("ascii")
        lengths = array("I", map(len, texts))  # type: ignore[arg-type]
    else:
        kinds = bytes(
            [_NONE if t is None else _STR if isinstance(t, str) else _BYTES for t in texts]
        )
        encoded = [
            b"" if t is None else t.encode(_ENCODING, _ERRORS) if isinstance(t, str) else t
            for t in texts
        ]
        data = b"".join(encoded)
        lengths = array("I", map(len, encoded))
    return zlib.compress(b"".join((kinds, lengths.tobytes(), data)), _LEVEL)


_ALL_STR: Final = bytes([_STR]) * BLOCK_TEXTS
_NOTHING: Final = zlib.compress(bytes(_HEADER), _LEVEL)


class PackedTexts:
    """A list of `str`, `bytes` or None that only appends, held compressed."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self._blocks: list[bytes] = []
        """The full blocks, packed."""
        self._open: list[str | bytes | None] = []
        """The texts since the last full block, as they came."""
        self._cache: dict[int, _Block] = {}

    def __len__(self) -> int:
        return len(self._blocks) * BLOCK_TEXTS + len(self._open)

    def append(self, text: str | bytes | None) -> None:
        opened = self._open
        opened.append(text)
        if len(opened) == BLOCK_TEXTS:
            self._blocks.append(_pack(opened))
            self._open = []

    def __getitem__(self, index: int) -> str | bytes | None:
        # Read for every frame a new filter scans: one call, the cached block inline.
        block, n = divmod(index, BLOCK_TEXTS)
        full = len(self._blocks)
        if index < 0 or block > full:
            raise IndexError(index)
        if block == full:
            return self._open[n]
        found = self._cache.get(block)
        if found is None:
            found = self._unpack(block)
        raw = found.raw
        kind = raw[n]
        if kind == _NONE:
            return None
        data = raw[found.ends[n] : found.ends[n + 1]]
        return data.decode(_ENCODING, _ERRORS) if kind == _STR else data

    def _unpack(self, block: int) -> _Block:
        if len(self._cache) >= CACHED_BLOCKS:
            del self._cache[next(iter(self._cache))]
        found = self._cache[block] = _Block(self._blocks[block])
        return found

    def memory_bytes(self) -> int:
        """Bytes held: the packed blocks and the open block's texts (decompressed blocks
        kept for reading come and go; they are left out)."""
        waiting = sum(len(text) for text in self._open if text is not None)
        return sum(map(len, self._blocks)) + waiting
