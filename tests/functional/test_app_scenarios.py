"""`rt-tui --demo --scenario NAME`: the TUI's demo mock misbehaves as the scenario says."""

from __future__ import annotations

from pathlib import Path

from conftest_app import main_screen, wait_for

from rt_tui.config import Config
from rt_tui.mock.scenarios import choose
from rt_tui.tui.app import make_app
from rt_tui.tui.link_notes import KEY_HINT
from rt_tui.tui.messages import LinkState
from rt_tui.tui.widgets.status import StatusBar


async def test_the_demo_with_a_refused_key_shows_the_services_message(tmp_path: Path) -> None:
    app = make_app(
        config=Config(),
        config_path=tmp_path / "config.toml",
        env={},
        demo=True,
        scenario=choose("refused-key"),
        sessions_dir=tmp_path / "sessions",
    )
    async with app.run_test(size=(120, 40)) as pilot:
        status = main_screen(pilot).query_one(StatusBar)
        await wait_for(pilot, lambda: status.state is LinkState.FAILED, "the refusal")
        assert status.detail == (
            "The server closed the session (3000 invalid_request_error.invalid_api_key): "
            f"Incorrect API key provided. {KEY_HINT}"
        )
