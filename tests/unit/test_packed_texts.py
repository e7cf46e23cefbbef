"""The frame store's compressed column of texts: every text comes back as it went in."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rt_tui.inspector.packed_texts import BLOCK_TEXTS, PackedTexts

texts = st.one_of(st.none(), st.text(), st.binary())


@given(st.lists(texts, max_size=3 * BLOCK_TEXTS + 5))
def test_every_text_comes_back_as_it_went_in(values: list[str | bytes | None]) -> None:
    packed = PackedTexts()
    for value in values:
        packed.append(value)
    assert len(packed) == len(values)
    assert [packed[i] for i in range(len(values))] == values
    # Out of order too (blocks decompressed again after leaving the cache).
    assert [packed[i] for i in reversed(range(len(values)))] == values[::-1]


def test_a_lone_surrogate_survives() -> None:
    packed = PackedTexts()
    packed.append('{"delta": "\ud800"}')
    assert packed[0] == '{"delta": "\ud800"}'


def test_an_index_out_of_range_is_an_index_error() -> None:
    packed = PackedTexts()
    packed.append("a")
    for index in (1, -1):
        with pytest.raises(IndexError):
            packed[index]


def test_similar_frames_take_a_fraction_of_their_size() -> None:
    packed = PackedTexts()
    frames = [
        f'{{"type":"response.output_audio_transcript.delta","event_id":"event_{n:06d}",'
        f'"response_id":"resp_0001","item_id":"item_0001","output_index":0,'
        f'"content_index":0,"delta":"word{n % 7} "}}'
        for n in range(20 * BLOCK_TEXTS)
    ]
    for frame in frames:
        packed.append(frame)
    assert packed.memory_bytes() < sum(map(len, frames)) / 5
    assert packed[5 * BLOCK_TEXTS + 3] == frames[5 * BLOCK_TEXTS + 3]


def test_clear_forgets_everything() -> None:
    packed = PackedTexts()
    for n in range(BLOCK_TEXTS + 1):
        packed.append(str(n))
    packed.clear()
    assert len(packed) == 0
    packed.append("again")
    assert packed[0] == "again"
