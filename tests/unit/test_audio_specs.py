"""`--mic` / `--speaker` values, and what opening a device says where there is none."""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType

import pytest

from rt_tui.realtime.audio import write_wav
from rt_tui.realtime.audio_io import (
    AudioSpecError,
    AudioUnavailable,
    DeviceAudio,
    NoAudio,
    NullSink,
    NullSource,
    WavAudio,
    WavSink,
    WavSource,
    devices,
    live_audio_problem,
    open_sink,
    open_source,
    parse_audio_spec,
)
from rt_tui.realtime.wav_file import WavError


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("none", NoAudio()),
        (" OFF ", NoAudio()),
        ("question.wav", WavAudio(Path("question.wav"))),
        ("Takes/Question.WAV", WavAudio(Path("Takes/Question.WAV"))),
        ("default", DeviceAudio()),
        ("3", DeviceAudio(3)),
        ("USB Audio", DeviceAudio("USB Audio")),
        ("hw:1,0", DeviceAudio("hw:1,0")),
    ],
)
def test_specs_name_none_a_wav_file_or_a_device(text: str, spec: object) -> None:
    assert parse_audio_spec(text, "mic") == spec
    assert parse_audio_spec(str(spec), "speaker") == spec  # str() gives the value back


def test_a_wav_spec_expands_the_home_folder() -> None:
    spec = parse_audio_spec("~/reply.wav", "speaker")
    assert spec == WavAudio(Path.home() / "reply.wav")


def test_an_empty_spec_says_what_is_wanted() -> None:
    with pytest.raises(AudioSpecError) as info:
        parse_audio_spec("  ", "speaker")
    assert str(info.value) == ("--speaker needs a device name or number, a .wav file, or 'none'.")


async def test_none_opens_a_source_that_ends_and_a_sink_that_plays_nothing() -> None:
    source = open_source(NoAudio())
    assert isinstance(source, NullSource)
    assert [c async for c in source.chunks()] == []
    async with open_sink(NoAudio()) as sink:
        assert isinstance(sink, NullSink)
        sink.play("item_a", bytes(480))
        assert not sink.playing
        assert sink.played_ms("item_a") == 0
        assert sink.stop() is None


def test_wav_specs_open_wav_sources_and_sinks(tmp_path: Path) -> None:
    question = tmp_path / "question.wav"
    write_wav(question, bytes(200 * 48))
    source = open_source(WavAudio(question), tail_ms=0)
    assert isinstance(source, WavSource)
    assert source.duration_ms == 200
    assert source.description == "question.wav"
    sink = open_sink(WavAudio(tmp_path / "reply.wav"))
    assert isinstance(sink, WavSink)
    sink.close()
    assert (tmp_path / "reply.wav").stat().st_mode & 0o777 == 0o600


def test_wav_files_that_cannot_be_used_say_why_in_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(WavError, match=r"^missing\.wav: no such file\.$"):
        open_source(WavAudio(tmp_path / "missing.wav"))
    with pytest.raises(AudioUnavailable) as info:
        open_sink(WavAudio(tmp_path))
    assert str(info.value) == f"Cannot write {tmp_path}: it is a folder."
    with pytest.raises(AudioUnavailable) as info:
        open_sink(WavAudio(tmp_path / "no" / "such" / "reply.wav"))
    assert str(info.value).endswith(": no such file or directory.")


# --- devices where there are none -------------------------------------------------------------


class _Refuse(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Makes `import sounddevice` fail as it does without PortAudio (OSError)."""

    def find_spec(
        self, name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        return importlib.machinery.ModuleSpec(name, self) if name == "sounddevice" else None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        raise OSError("PortAudio library not found")


@pytest.fixture
def fresh_devices(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """sounddevice imported anew, as by a new process."""
    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    devices._load.cache_clear()
    yield
    devices._load.cache_clear()


@pytest.mark.usefixtures("fresh_devices")
def test_without_the_extra_opening_a_device_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "sounddevice", None)  # import fails: not installed
    message = (
        "Live audio needs the 'audio' extra, which is not installed: pip install 'rt-tui[audio]'."
    )
    for spec, opener in [(DeviceAudio(), open_source), (DeviceAudio("USB"), open_sink)]:
        with pytest.raises(AudioUnavailable) as info:
            opener(spec)  # type: ignore[operator]
        assert str(info.value) == message
    assert live_audio_problem() == message


@pytest.mark.usefixtures("fresh_devices")
def test_without_portaudio_opening_a_device_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "meta_path", [_Refuse(), *sys.meta_path])
    with pytest.raises(AudioUnavailable) as info:
        open_source(DeviceAudio(0))
    assert str(info.value) == (
        "Live audio needs the PortAudio library, which is not installed: "
        "apt install libportaudio2 (brew install portaudio on macOS)."
    )


def _portaudio_without_devices() -> str | None:
    """Why this machine is not one with PortAudio and no device (None when it is)."""
    try:
        found = devices.list_devices()
    except AudioUnavailable as problem:
        return str(problem)
    return f"this machine has {len(found)} sound devices" if found else None


_NOT_BARE = _portaudio_without_devices()


@pytest.mark.skipif(
    _NOT_BARE is not None, reason=f"needs PortAudio and no sound device: {_NOT_BARE}"
)
def test_with_portaudio_but_no_device_opening_one_says_so() -> None:
    with pytest.raises(AudioUnavailable) as info:
        open_source(DeviceAudio())
    assert str(info.value) == (
        "No microphone is available: PortAudio finds no input device; over SSH, forward "
        "your local sound server first (see the README's Audio section)."
    )
    with pytest.raises(AudioUnavailable, match=r"^No speaker is available"):
        open_sink(DeviceAudio("USB"))
