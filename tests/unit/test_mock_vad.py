"""The mock's energy VAD: where turns start and stop on the audio clock."""

from __future__ import annotations

from typing import TypedDict

from rt_tui.mock.vad import EnergyVad, SpeechStarted, SpeechStopped
from rt_tui.realtime.audio import silence, tone


class VadSettings(TypedDict):
    """`EnergyVad.feed`'s turn detection settings."""

    threshold: float
    prefix_padding_ms: int
    silence_duration_ms: int


SETTINGS: VadSettings = {"threshold": 0.5, "prefix_padding_ms": 300, "silence_duration_ms": 200}


def test_one_turn() -> None:
    vad = EnergyVad()
    events = vad.feed(silence(1000) + tone(300, 500) + silence(300), **SETTINGS)
    assert events == [SpeechStarted(700), SpeechStopped(1700)]
    assert vad.clock_ms == 1800
    assert not vad.speaking


def test_chunking_does_not_change_the_result() -> None:
    audio = silence(400) + tone(300, 300) + silence(250) + tone(300, 100) + silence(500)
    whole = EnergyVad().feed(audio, **SETTINGS)
    vad = EnergyVad()
    pieces = []
    for start in range(0, len(audio), 1234):  # odd sizes, not aligned to windows or samples
        pieces += vad.feed(audio[start : start + 1234], **SETTINGS)
    assert pieces == whole
    # 20 ms windows: the second tone (950-1050 ms) is heard in the 940 and 1040 windows.
    assert whole == [
        SpeechStarted(100),
        SpeechStopped(900),
        SpeechStarted(640),
        SpeechStopped(1260),
    ]


def test_short_pauses_do_not_end_a_turn() -> None:
    audio = tone(300, 200) + silence(100) + tone(300, 200) + silence(200)
    assert EnergyVad().feed(audio, **SETTINGS) == [SpeechStarted(0), SpeechStopped(700)]


def test_threshold_decides_what_is_speech() -> None:
    quiet = tone(300, 300, amplitude=0.05)  # RMS about 0.035
    assert EnergyVad().feed(quiet, **SETTINGS) == []
    sensitive: VadSettings = {**SETTINGS, "threshold": 0.2}
    assert EnergyVad().feed(quiet, **sensitive) == [SpeechStarted(0)]


def test_floor_and_skip_keep_the_clock() -> None:
    vad = EnergyVad()
    vad.skip(len(silence(1010)))  # audio while turn detection was off
    events = vad.feed(silence(10) + tone(300, 100), **SETTINGS, floor_ms=900)
    assert events == [SpeechStarted(900)]
    vad.reset_turn()
    assert not vad.speaking
