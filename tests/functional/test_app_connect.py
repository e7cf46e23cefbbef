"""The app on a profile that signs in with Microsoft Entra ID, through Textual's pilot."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest_app import app_for_url, main_screen, screen_text, wait_for

from rt_tui.config import Auth, Config, Profile, Provider
from rt_tui.mock.server import MockServer
from rt_tui.realtime.entra import AZURE_EXTRA_MISSING
from rt_tui.tui.messages import LinkState


async def test_without_the_azure_extra_the_failure_notification_names_it_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "azure.identity", None)  # as if the extra were missing
    async with MockServer() as server:
        profile = Profile(
            provider=Provider.AZURE, endpoint=f"http://127.0.0.1:{server.port}", auth=Auth.ENTRA
        )
        config = Config(active_profile="entra", profiles={"entra": profile})
        app = app_for_url(None, tmp_path, config=config)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            screen = main_screen(pilot)
            await wait_for(pilot, lambda: screen.status.state is LinkState.FAILED, "the failure")
            await pilot.pause()

            def failure_toasts() -> list[str]:
                toasts = [str(toast.render()) for toast in app.screen.query("Toast")]
                return [text for text in toasts if text.startswith("Connection failed")]

            await wait_for(pilot, failure_toasts, "the notification")
            # It shows the sentence as written: "[azure]" is no markup.
            assert failure_toasts() == [f"Connection failed\n{AZURE_EXTRA_MISSING}"]
            assert AZURE_EXTRA_MISSING in " ".join(screen_text(app).split())
        assert server.handshakes == []
