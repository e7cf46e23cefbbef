"""The canary test: a whole session against a server that echoes the handshake back, with
canary keys in the environment and the URL, then everything a user can do that shows or
writes something. No canary, in any form, may appear anywhere.

The TUI runs with pilot: chat with a spoken reply, copy, export the view and everything,
save the audio, open the settings, reconnect into a refusal, then replay the log. `rt-tui
send` runs in a subprocess, in text and `--json` mode, then `rt-tui replay --print/--json`.
Searched: every file under the test's folders, every screen drawn, every notification, the
inspector's every row and detail, the clipboard (and so the OSC 52 payload), stdout and
stderr.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from canary import (
    CANARIES,
    CANARY_ENV,
    FORMS,
    PATHS,
    EchoingServer,
    assert_no_canary,
    canary_forms,
    canary_url,
    hits_in_files,
    hits_in_text,
    written_files,
)
from conftest_app import connected, main_screen, screen_text, submit, wait_for
from scripted_server import header, scripted_server
from test_cli import cli_env, run_cli_async
from textual.app import App
from textual.pilot import Pilot

from rt_tui.config import Config, SessionSettings
from rt_tui.inspector.logs import ReplayPlan, check_log
from rt_tui.mock.scenarios import Hooks
from rt_tui.mock.server import MockServer
from rt_tui.tui.app import RtTuiApp, make_app
from rt_tui.tui.export_prompt import ExportPrompt
from rt_tui.tui.messages import LinkState
from rt_tui.tui.replay import replay_finished
from rt_tui.tui.screens.settings import SettingsScreen
from rt_tui.tui.widgets.frame_rows import FrameRows

__all__ = ["cli_env"]  # the fixture, shared with test_cli

SIZE = (180, 50)


class Seen:
    """Everything the app showed: screens, notifications, the clipboard, the inspector."""

    def __init__(self, forms: Iterable[str] = FORMS) -> None:
        self.found: list[str] = []
        self.forms = tuple(forms)

    def text(self, text: str, where: str) -> None:
        self.found += hits_in_text(text, where, self.forms)

    def screen(self, app: App[Any], where: str) -> None:
        self.text(screen_text(app), f"screen ({where})")
        self.text(app.export_screenshot(), f"screenshot ({where})")

    def clipboard(self, app: App[Any], where: str) -> None:
        self.text(app.clipboard, f"clipboard ({where})")
        # What the terminal is sent: OSC 52 with the text in base64.
        payload = base64.b64encode(app.clipboard.encode()).decode()
        self.text(f"\x1b]52;c;{payload}\a", f"OSC 52 ({where})")

    async def every_inspector_row(self, pilot: Pilot[int], where: str) -> None:
        """Select each row in turn: its line, its detail, the screen, and a copy of the
        first (the handshake's echo)."""
        screen = main_screen(pilot)
        rows = screen.inspector.query_one(FrameRows)
        count = rows.virtual_size.height
        assert count > 5
        rows.focus()
        await pilot.press("home")
        await wait_for(pilot, lambda: rows.cursor_row == 0, "the first row")
        await pilot.press("c")
        self.clipboard(pilot.app, where)
        for row in range(count):
            await wait_for(pilot, lambda: rows.cursor_row == row, f"row {row}")  # noqa: B023
            await pilot.pause()
            self.text(rows.render_line(rows.size.height // 2).text, f"row {row} ({where})")
            self.text(screen.inspector.detail.text, f"detail of row {row} ({where})")
            self.screen(pilot.app, f"row {row}, {where}")
            await pilot.press("down")


def _record_notifications(monkeypatch: pytest.MonkeyPatch, seen: Seen) -> None:
    original = RtTuiApp.notify

    def notify(app: RtTuiApp, message: str, **kwargs: Any) -> None:
        seen.text(f"{kwargs.get('title', '')}: {message}", "notification")
        original(app, message, **kwargs)

    monkeypatch.setattr(RtTuiApp, "notify", notify)


async def _live_session(app: RtTuiApp, seen: Seen, sessions: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await connected(pilot)
        await wait_for(pilot, lambda: screen.conversation.errors, "the echoed error")
        await pilot.pause()
        seen.screen(app, "the echo")
        for error in screen.conversation.errors:
            seen.text(repr(error), "the conversation's error")

        await submit(pilot, "Say something")
        await wait_for(
            pilot,
            lambda: any(r.status == "completed" for r in screen.conversation.responses.values()),
            "the spoken reply",
        )
        await wait_for(pilot, lambda: not screen.pane.busy, "the pane to draw")
        seen.screen(app, "the reply")

        await submit(pilot, "/save-audio")
        await wait_for(pilot, lambda: any(sessions.glob("*.wav")), "the saved audio")

        await seen.every_inspector_row(pilot, "live")

        def exports() -> int:
            return len(list(sessions.glob("inspector-*.jsonl")))

        await pilot.press("e", "x")  # the errors only, then the view
        await wait_for(pilot, lambda: isinstance(app.screen, ExportPrompt), "the export prompt")
        await pilot.press("enter")
        await wait_for(pilot, lambda: exports() == 1, "export x")
        await pilot.press("e", "X")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportPrompt), "the export prompt")
        await pilot.press("enter")
        await wait_for(pilot, lambda: exports() == 2, "export X")
        seen.screen(app, "the exports")

        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen), "the settings")
        await pilot.pause()
        seen.screen(app, "the settings")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, SettingsScreen), "main screen")

        # The next session is refused with the echo in the error and the close reason.
        await pilot.press("ctrl+r")
        screen = main_screen(pilot)
        await wait_for(pilot, lambda: screen.status.state is LinkState.FAILED, "the refusal")
        await pilot.pause()
        seen.screen(app, "the refusal")


async def _replayed_session(log: Path, tmp_path: Path, seen: Seen) -> None:
    app = make_app(
        config=Config(),
        config_path=tmp_path / "config.toml",
        env=CANARY_ENV,
        sessions_dir=tmp_path / "sessions",
        replay=ReplayPlan(check_log(log)),
    )
    async with app.run_test(size=SIZE) as pilot:
        screen = main_screen(pilot)
        await wait_for(pilot, lambda: replay_finished(screen), "the replay")
        seen.screen(app, "the replay")
        await seen.every_inspector_row(pilot, "replay")


@pytest.mark.parametrize("path", PATHS.values(), ids=PATHS.keys())
async def test_no_canary_leaves_the_tui(
    path: str, tmp_path: Path, isolated_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = Seen()
    _record_notifications(monkeypatch, seen)
    sessions = tmp_path / "sessions"
    async with scripted_server(EchoingServer()) as server:
        app = make_app(
            config=Config(session=SessionSettings(output_modality="audio")),
            config_path=tmp_path / "config.toml",
            env=CANARY_ENV,
            url=canary_url(server.base_url, path),
            sessions_dir=sessions,
        )
        await _live_session(app, seen, sessions)
    # The server did see the keys (on loopback): the echo was real.
    auth = header(server.requests[0], "authorization") or header(server.requests[0], "api-key")
    assert auth is not None
    assert auth.endswith(tuple(CANARY_ENV.values()))
    logs = [p for p in sessions.glob("*.jsonl") if not p.name.startswith("inspector-")]
    # The session and the refused one after ctrl+r, in the app run's one log, marked apart.
    assert len(logs) == 1
    assert '{"rt_tui": "socket"' in logs[0].read_text()
    await _replayed_session(logs[0], tmp_path, seen)

    assert_no_canary(seen.found + hits_in_files(tmp_path, isolated_environment))
    assert any(p.suffix == ".wav" for p in written_files(tmp_path))


@pytest.mark.parametrize("path", PATHS.values(), ids=PATHS.keys())
async def test_no_canary_leaves_send_or_replay(
    path: str, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, **CANARY_ENV}
    found: list[str] = []
    log, wav = tmp_path / "send.jsonl", tmp_path / "reply.wav"
    async with scripted_server(EchoingServer()) as server:
        url = canary_url(server.base_url, path)
        runs = {
            "send": ["send", "hi", "--url", url, "--log", str(log), "--save-audio", str(wav)],
            "send --json (refused)": ["send", "hi", "--url", url, "--json"],
        }
        for name, args in runs.items():
            code, out, err = await run_cli_async(env, *args)
            found += hits_in_text(out, f"{name} stdout") + hits_in_text(err, f"{name} stderr")
            assert "Traceback" not in err
            assert "rt-tui: server error: echo" in err
        # The log's client events sent again to the echoing server, recorded again.
        for flag in ("--print", "--json"):
            args = ["replay", str(log), "--send", url, flag, "--log", str(tmp_path / "again")]
            code, out, err = await run_cli_async(env, *args, "--speed", "max", "--timeout", "5")
            found += hits_in_text(out + err, f"replay --send {flag}")
            assert "Traceback" not in err
    assert wav.stat().st_size > 44
    for flag in ("--print", "--json"):
        code, out, err = await run_cli_async(env, "replay", str(log), flag)
        assert code == 0, err
        found += hits_in_text(out + err, f"replay {flag}")
    assert_no_canary(found + hits_in_files(tmp_path))


#: What the mock mints: secrets that look like no key, so only knowing them finds them.
MINTED = tuple(f"CANARYminted{n}secret0000" for n in range(4))


async def test_no_minted_secret_or_standard_key_leaves_the_tui(
    tmp_path: Path, isolated_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--ephemeral` against a mock that echoes the handshake (the minted secret in it):
    a session, a reconnect that mints a new secret, every inspector row, the replay."""
    seen = Seen(canary_forms((*CANARIES, *MINTED)))
    _record_notifications(monkeypatch, seen)
    sessions = tmp_path / "sessions"
    async with MockServer(require_minted=True, hooks=Hooks(echo_handshake=True)) as server:
        server.mint.make_secret = iter(MINTED).__next__
        app = make_app(
            config=Config(),
            config_path=tmp_path / "config.toml",
            env=CANARY_ENV,
            url=server.ga_url("m"),
            ephemeral=True,
            sessions_dir=sessions,
        )
        async with app.run_test(size=SIZE) as pilot:
            screen = await connected(pilot)
            await wait_for(pilot, lambda: screen.conversation.errors, "the echoed handshake")
            await submit(pilot, "Say something")
            await wait_for(pilot, lambda: screen.conversation.responses, "the reply")
            seen.screen(app, "the first session")
            echoes = len(screen.conversation.errors)
            await pilot.press("ctrl+r")
            await wait_for(pilot, lambda: len(server.handshakes) == 2, "the reconnect")
            screen = await connected(pilot)
            await wait_for(
                pilot, lambda: len(screen.conversation.errors) > echoes, "the echo again"
            )
            seen.screen(app, "the second session")
            await seen.every_inspector_row(pilot, "ephemeral")
    # Each socket carried its own minted secret, which the server quoted back.
    assert [seen.key for seen in server.handshakes] == list(MINTED[:2])
    logs = [p for p in sessions.glob("*.jsonl") if not p.name.startswith("inspector-")]
    await _replayed_session(logs[0], tmp_path, seen)
    assert_no_canary(seen.found + hits_in_files(tmp_path, isolated_environment, forms=seen.forms))
