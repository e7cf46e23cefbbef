"""The energy of an audio delta from its base64: short deltas measured whole, long ones
from windows that move from delta to delta."""

from __future__ import annotations

import base64
import math

import pytest

from rt_tui.realtime.audio import BYTES_PER_MS, LEVEL_BLOCK, block_energies, silence, tone
from rt_tui.realtime.delta_levels import WHOLE_CHARS, base64_pcm_size, delta_energy


def b64(pcm: bytes) -> str:
    return base64.b64encode(pcm).decode()


def energies_of(pcm: bytes, before: int) -> list[float]:
    measured = delta_energy(b64(pcm), 0, before)
    assert measured is not None
    assert measured.size == len(pcm)
    return list(measured.energies)


@pytest.mark.parametrize("size", range(10))
def test_pcm_size_is_worked_out_from_the_base64(size: int) -> None:
    assert base64_pcm_size(b64(bytes(size))) == size


def test_text_that_cannot_be_base64_has_no_size() -> None:
    assert base64_pcm_size("abc") is None
    assert base64_pcm_size("ééé=") is None


@pytest.mark.parametrize("ms", [1, 10, 15, 20])
def test_a_delta_of_20_ms_or_less_is_measured_whole_per_10_ms(ms: int) -> None:
    pcm = tone(300, ms / 2, 0.5) + tone(500, ms / 2, 0.1)
    assert len(b64(pcm)) <= WHOLE_CHARS
    measured = delta_energy(b64(pcm), 3)
    assert measured is not None
    assert (measured.size, measured.covers) == (len(pcm), LEVEL_BLOCK)
    assert measured.energies == block_energies(pcm, LEVEL_BLOCK)


def test_a_long_delta_keeps_an_energy_per_section_of_about_25_ms() -> None:
    pcm = tone(440, 200, 0.5)
    measured = delta_energy(b64(pcm), 0)
    assert measured is not None
    assert measured.size == len(pcm)
    assert len(measured.energies) == 8
    assert measured.covers == len(pcm) // 8
    exact = block_energies(pcm, measured.covers)
    # The faded ends aside, a steady tone reads as it is from any 5 ms of it.
    for got, want in zip(measured.energies[1:-1], exact[1:-1], strict=True):
        assert got == pytest.approx(want, rel=0.05)


def test_the_deltas_of_a_long_item_are_cut_into_longer_sections() -> None:
    pcm = tone(440, 200, 0.5)
    assert len(energies_of(pcm, before=0)) == 8  # 25 ms sections
    # After 20 s of audio the item's cells are 833 ms at least: sections of about 52 ms.
    assert len(energies_of(pcm, before=20_000 * BYTES_PER_MS)) == 4
    # After a minute, 2.5 s: one section, the whole delta.
    assert len(energies_of(pcm, before=60_000 * BYTES_PER_MS)) == 1


def test_over_many_deltas_the_windows_cover_each_section_evenly() -> None:
    # Each 25 ms section is loud for its first 10 ms only: a window that stayed in one
    # place would read every section as loud or as silent.
    section = tone(440, 10, 0.5) + silence(15)
    pcm = section * 4
    exact = math.fsum(block_energies(pcm, len(pcm)))
    estimates = []
    for turn in range(200):
        measured = delta_energy(b64(pcm), turn)
        assert measured is not None
        estimates.append(math.fsum(measured.energies))
    assert min(estimates) < exact / 2
    assert max(estimates) > exact * 2
    assert math.fsum(estimates) / len(estimates) == pytest.approx(exact, rel=0.1)


def test_a_long_delta_that_is_not_base64_is_refused() -> None:
    good = b64(tone(440, 100))
    assert delta_energy(good[:-1], 0) is None  # not a whole number of 4 characters
    assert delta_energy("é" * len(good), 0) is None  # not ASCII
    assert delta_energy("!" * len(good), 0) is None  # not base64 where it is sampled
    assert delta_energy("AA==" * (len(good) // 4), 0) is None  # padding inside
    assert delta_energy("!!!!", 0) is None  # short: measured whole, so checked whole


def test_a_window_at_the_padded_end_is_measured_by_its_own_samples() -> None:
    pcm = tone(440, 100, 0.5) + bytes(2)  # 4802 bytes: the base64 ends in padding
    assert b64(pcm).endswith("=")
    for turn in range(20):
        measured = delta_energy(b64(pcm), turn)
        assert measured is not None
        assert measured.size == 100 * BYTES_PER_MS + 2
        assert measured.energies[-1] > 0
