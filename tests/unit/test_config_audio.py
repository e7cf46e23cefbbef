"""The config file's [audio] section, and the settings form's Audio fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from rt_tui.config import Config, ConfigError, load_config, save_config
from rt_tui.config_audio import AudioSettings
from rt_tui.tui.screens.settings.audio_form import build_audio


def test_audio_is_off_unless_asked_for_and_round_trips(tmp_path: Path) -> None:
    assert Config().audio == AudioSettings(mic="none", speaker="none", half_duplex=False)
    path = tmp_path / "config.toml"
    path.write_text('[audio]\nmic = "USB"\nspeaker = "~/reply.wav"\nhalf_duplex = true\n')
    config = load_config(path)
    assert config.audio == AudioSettings(mic="USB", speaker="~/reply.wav", half_duplex=True)
    save_config(config, path)
    assert load_config(path).audio == config.audio


def test_an_empty_or_unknown_audio_value_is_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[audio]\nmic = " "\n')
    with pytest.raises(ConfigError, match=r"audio\.mic"):
        load_config(path)
    path.write_text('[audio]\nmicrophone = "default"\n')
    with pytest.raises(ConfigError, match="microphone"):
        load_config(path)


def test_the_audio_fields_are_checked_as_the_flags_are(tmp_path: Path) -> None:
    question = tmp_path / "question.wav"
    question.write_bytes(b"")
    audio, errors = build_audio(str(question), "", True)
    assert errors == {}
    assert audio == AudioSettings(mic=str(question), speaker="none", half_duplex=True)
    audio, errors = build_audio("missing.wav", str(tmp_path / "no" / "reply.wav"), False)
    assert audio is None
    assert errors["audio-mic"].startswith("The microphone file missing.wav does not exist")
    assert "its folder does not exist" in errors["audio-speaker"]
    assert build_audio("USB Audio", "3", False)[0] == AudioSettings(mic="USB Audio", speaker="3")
