"""The endpoint's own key, echoed in a frame, never shows in the inspector, a copy or an export."""

from __future__ import annotations

import json
from pathlib import Path

from conftest_app import main_screen, wait_for

from rt_tui.config import Config
from rt_tui.inspector import samples
from rt_tui.tui.app import make_app
from rt_tui.tui.export_prompt import ExportPrompt
from rt_tui.tui.messages import LinkState
from rt_tui.tui.widgets.frame_rows import FrameRows
from rt_tui.tui.widgets.inspector import EventInspector
from rt_tui.tui.widgets.status import StatusBar

# Azure keys are 32 hex digits: nothing key-shaped, only knowing the key finds it.
KEY = "0123456789abcdef0123456789abcdef"


async def test_an_echoed_endpoint_key_is_redacted_everywhere(tmp_path: Path) -> None:
    app = make_app(
        config=Config(),
        config_path=tmp_path / "config.toml",
        env={"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"},
        sessions_dir=tmp_path / "sessions",
    )
    async with app.run_test(size=(160, 48)) as pilot:
        screen = main_screen(pilot)
        status = screen.query_one(StatusBar)
        await wait_for(pilot, lambda: status.state is LinkState.FAILED, "the failure")
        inspector = screen.query_one(EventInspector)
        inspector.clear()
        inspector.add_frame(samples.error_frame("invalid_api_key", f"Incorrect API key: {KEY}", 1))
        inspector.add_frame(samples.text_delta(f"your key is {KEY}", 2))
        inspector.add_frame(samples.sent({"type": "response.create", "note": KEY}, 3))
        rows = inspector.query_one(FrameRows)
        await wait_for(pilot, lambda: rows.virtual_size.height == 3, "the rows")
        rows.focus()
        await pilot.press("home")
        await wait_for(pilot, lambda: inspector.selected_frame == 0, "the selection")
        await pilot.pause()
        shown = app.export_screenshot()
        assert "Incorrect API key: ***" in inspector.detail.text
        assert KEY not in shown
        for row in range(3):
            assert KEY not in rows.render_line(row).text
        await pilot.press("c")
        assert "***" in app.clipboard
        assert KEY not in app.clipboard
        await pilot.press("X")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportPrompt), "the export prompt")
        await pilot.press("enter")
        export_dir = tmp_path / "sessions"
        await wait_for(pilot, lambda: any(export_dir.glob("inspector-*-all.jsonl")), "the export")
        exported = next(export_dir.glob("inspector-*-all.jsonl"))
        await wait_for(pilot, lambda: len(exported.read_text().splitlines()) == 4, "4 lines")
        text = exported.read_text()
        assert KEY not in text
        assert [json.loads(line)["direction"] for line in text.splitlines()[1:]] == [
            "received",
            "received",
            "sent",
        ]
