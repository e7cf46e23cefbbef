"""What the app says to someone talking to it for the first time, through the pilot against
the mock: how turns go, which key talks (as the keymap has it), and why a key has no
microphone to work on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from conftest_app import app_for_url, connected, wait_for
from textual.pilot import Pilot

from rt_tui.config import Config, SessionSettings, TurnDetection, UiSettings
from rt_tui.config_audio import AudioSettings
from rt_tui.mock.server import MockServer
from rt_tui.realtime.audio import silence, tone, write_wav
from rt_tui.realtime.audio_io import live_audio_problem
from rt_tui.tui.screens.main import MainScreen
from rt_tui.tui.voice_events import MIC


@pytest.fixture
async def server() -> AsyncIterator[MockServer]:
    async with MockServer(delta_delay=0) as mock:
        yield mock


def notices(screen: MainScreen) -> list[str]:
    return [getattr(block, "text", "") for block in screen.pane.blocks]


async def said(pilot: Pilot[int], screen: MainScreen, text: str) -> None:
    await wait_for(pilot, lambda: any(text in line for line in notices(screen)), repr(text))


@asynccontextmanager
async def mic_app(
    server: MockServer,
    tmp_path: Path,
    mic: bytes | str,
    detection: str,
    keymap: dict[str, str] | None = None,
) -> AsyncIterator[tuple[Pilot[int], MainScreen]]:
    """The app connected to the mock with `mic` as its microphone: audio to speak from
    question.wav, or a device's name; `detection`: the session's turn detection."""
    if isinstance(mic, bytes):
        write_wav(tmp_path / "question.wav", mic)
        mic = str(tmp_path / "question.wav")
    config = Config(
        session=SessionSettings(turn_detection=TurnDetection(type=detection)),
        audio=AudioSettings(mic=mic),
        ui=UiSettings(keymap=keymap or {}),
    )
    app = app_for_url(server.ga_url(), tmp_path, config=config)
    async with app.run_test() as pilot:
        yield pilot, await connected(pilot)


async def test_push_to_talk_names_its_key_as_the_keymap_has_it(
    server: MockServer, tmp_path: Path
) -> None:
    keymap = {"main.talk": "f12"}
    async with mic_app(server, tmp_path, tone(440, 3000), "none", keymap) as (pilot, screen):
        await said(
            pilot,
            screen,
            "Microphone: question.wav. Turn detection is off: press f12 to talk, and "
            "f12 again to send.",
        )
        await pilot.press("f12")
        await said(pilot, screen, "Talking: press f12 again to send the turn.")


async def test_an_open_microphone_says_the_server_ends_the_turns(
    server: MockServer, tmp_path: Path
) -> None:
    async with mic_app(server, tmp_path, silence(3000), "server_vad") as (pilot, screen):
        await said(
            pilot,
            screen,
            "Microphone: question.wav. Open microphone (server_vad): just speak, the server "
            "ends each turn; ctrl+t interrupts the assistant.",
        )


async def test_the_talk_key_after_the_wav_microphone_is_done_says_so(
    server: MockServer, tmp_path: Path
) -> None:
    async with mic_app(server, tmp_path, silence(100), "server_vad") as (pilot, screen):
        await said(pilot, screen, "question.wav has been spoken: the microphone is done.")
        await pilot.press("ctrl+t")
        await said(
            pilot,
            screen,
            "The microphone is done: question.wav has been spoken (/wav --realtime FILE "
            "speaks another file).",
        )
        await pilot.press("alt+m")
        await wait_for(
            pilot,
            lambda: sum("The microphone is done" in line for line in notices(screen)) == 2,
            "the mute key's answer",
        )
        assert not any(line.startswith(f"{MIC} Open microphone") for line in notices(screen))


@pytest.mark.skipif(live_audio_problem() is None, reason="this machine has a sound device")
async def test_the_talk_key_without_the_device_asked_for_says_it_could_not_be_opened(
    server: MockServer, tmp_path: Path
) -> None:
    async with mic_app(server, tmp_path, "default", "server_vad") as (pilot, screen):
        await said(pilot, screen, "No microphone: ")
        await pilot.press("ctrl+t")
        await said(pilot, screen, "No microphone: default could not be opened (see above).")
        assert not any(
            line.startswith("No microphone: start with --mic") for line in notices(screen)
        )
