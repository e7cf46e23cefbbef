"""The Bundle key (F8) in the app: a bug-report zip of the running session or of the
replayed log, written by a job, against the real mock server on loopback."""

from __future__ import annotations

import io
import shutil
import wave
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from conftest_app import connected, main_screen, offline_app, submit, wait_for
from textual.command import CommandPalette
from textual.notifications import Notification
from textual.pilot import Pilot

from rt_tui.inspector.logs import ReplayPlan, check_log
from rt_tui.mock.server import MockServer
from rt_tui.realtime.recorder import read_log
from rt_tui.tui.app import RtTuiApp, make_app
from rt_tui.tui.commands import bound_actions
from rt_tui.tui.replay import replay_finished
from rt_tui.tui.widgets.conversation import ConversationPane

FIXTURE = Path(__file__).parent.parent / "fixtures" / "sessions" / "text_session.jsonl"
ENV_KEY = "sk-envCANARY0123456789abcdefgh"
CONFIG_KEY = "cfgCANARY0123456789abcdef"
URL_KEY = "urlCANARY9876543210fedcba"
TITLE = "Bug-report bundle"


@pytest.fixture
async def server() -> AsyncIterator[MockServer]:
    async with MockServer(delta_delay=0) as mock:
        yield mock


def _zips(folder: Path) -> list[Path]:
    """The zip files anywhere under `folder`."""
    return sorted(folder.rglob("*.zip"))


def _notes(app: RtTuiApp, title: str) -> list[Notification]:
    return [n for n in app._notifications if n.title == title]


async def _bundle_written(pilot: Pilot[int], app: RtTuiApp) -> str:
    await pilot.press("f8")
    await wait_for(pilot, lambda: _notes(app, TITLE), "the bundle's notification")
    (note,) = _notes(app, TITLE)
    return note.message


async def test_the_key_bundles_the_running_session_without_a_key_in_it(
    server: MockServer, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[profiles.spare]\napi_key = "{CONFIG_KEY}"\n\n[session]\noutput_modality = "audio"\n'
    )
    app = make_app(
        config_path=config,
        env={"OPENAI_API_KEY": ENV_KEY},
        url=f"{server.ga_url()}&api-key={URL_KEY}",
        sessions_dir=tmp_path / "sessions",
    )
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        screen = await connected(pilot)
        await submit(pilot, "Hello bundle")
        await wait_for(
            pilot,
            lambda: any(r.finished for r in screen.conversation.responses.values()),
            "the spoken reply",
        )
        await wait_for(pilot, lambda: not screen.query_one(ConversationPane).busy, "the pane")

        message = await _bundle_written(pilot, app)

        log = screen.status.log_path
        assert log is not None
        recorded = log.read_bytes()
        zip_path = log.with_name(f"{log.stem}-bundle.zip")
        frames = len(list(read_log(log)))
        (spoken,) = (item for item in screen.conversation.items if item.role == "assistant")
        ms = screen.conversation.audio.duration_ms(spoken.id)
        assert message == (
            f"Wrote {zip_path}: session log ({frames} frames), conversation (2 items), "
            f"1 audio file ({ms / 1000:.1f} s), config, versions."
        )
    with zipfile.ZipFile(zip_path) as bundle:
        members = {name: bundle.read(name) for name in bundle.namelist()}
    for name, data in members.items():
        for canary in (ENV_KEY, CONFIG_KEY, URL_KEY):
            assert canary.encode() not in data, f"{name} holds a key"
    # Every frame the session recorded so far, flushed before the bundle read the log.
    assert members["session.jsonl"] == recorded
    assert "## You\n\nHello bundle" in members["conversation.md"].decode()
    with wave.open(io.BytesIO(members[f"audio/{spoken.id}.wav"])) as wav:
        assert wav.getnframes() / 24 == ms


async def test_a_replay_bundles_the_log_it_replays(tmp_path: Path) -> None:
    log = tmp_path / "recorded.jsonl"
    shutil.copy(FIXTURE, log)
    app = offline_app(tmp_path, replay=ReplayPlan(check_log(log)))
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        screen = main_screen(pilot)
        await wait_for(pilot, lambda: replay_finished(screen), "the replay")
        assert "Bundle" in [bound.name for bound in bound_actions(screen)]  # in the palette

        message = await _bundle_written(pilot, app)

    zip_path = tmp_path / "recorded-bundle.zip"
    assert message.startswith(f"Wrote {zip_path}: session log (")
    with zipfile.ZipFile(zip_path) as bundle:
        assert bundle.read("session.jsonl") == log.read_bytes()
        markdown = bundle.read("conversation.md").decode()
    assert "## You\n\nWhat does the **Realtime API** send back for a text reply?" in markdown


async def test_the_palette_runs_it_and_a_broken_log_is_one_notification(tmp_path: Path) -> None:
    log = tmp_path / "recorded.jsonl"
    shutil.copy(FIXTURE, log)
    app = offline_app(tmp_path, replay=ReplayPlan(check_log(log)))
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        screen = main_screen(pilot)
        await wait_for(pilot, lambda: replay_finished(screen), "the replay")
        log.write_text("torn {\n{}\n")  # broken since the replay read it

        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.press(*"bundle")
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: _notes(app, "Bundle"), "the failure's notification")

        (note,) = _notes(app, "Bundle")
        assert note.severity == "error"
        assert note.message == (
            f"The session log {log} holds no readable frame: line 1 is not valid JSON "
            "(and 1 more broken line)."
        )
    assert _zips(tmp_path) == []


async def test_with_no_log_yet_the_key_says_there_is_nothing_to_bundle(tmp_path: Path) -> None:
    app = offline_app(tmp_path)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await pilot.press("f8")
        await wait_for(pilot, lambda: _notes(app, "Bundle"), "the notification")
        (note,) = _notes(app, "Bundle")
        assert note.message == "This session has no log yet, so there is nothing to bundle."
        assert note.severity == "warning"
    assert _zips(tmp_path) == []
