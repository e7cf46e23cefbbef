"""The inspector's exports: the filtered view and the whole log, through the export
prompt, and what a failed export says."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest_app import wait_for
from test_inspector import InspectorHost, add_and_settle, mixed_frames, rows_of
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Static

from rt_tui.realtime.recorder import read_log
from rt_tui.tui.export_prompt import ExportPrompt


async def export(pilot: Pilot[None], key: str) -> ExportPrompt:
    """Press the export `key`; the prompt that asks where the file goes."""
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExportPrompt), "the prompt")
    prompt = pilot.app.screen
    assert isinstance(prompt, ExportPrompt)
    return prompt


async def test_export_writes_the_view_and_the_whole_log(tmp_path: Path) -> None:
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        frames = mixed_frames()
        await add_and_settle(pilot, app, frames)
        rows_of(app).focus()
        prompt = await export(pilot, "X")
        assert prompt.default.parent == tmp_path  # The sessions folder, a new name.
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(app.exports) == 1)
        exported = app.exports[0]
        assert exported.count == len(frames)
        records = list(read_log(exported.path))
        assert [r.data for r in records] == [f.data for f in frames]
        assert [r.direction for r in records] == [f.direction for f in frames]
        assert exported.path.parent == tmp_path
        assert (exported.path.stat().st_mode & 0o777) == 0o600
        assert exported.path.name.endswith("-all.jsonl")
        await export(pilot, "x")  # no filter on: the view is every frame
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(app.exports) == 2)
        assert "-all" in app.exports[1].path.name
        assert app.exports[1].count == len(frames)
        await pilot.press("ctrl+f", *"*audio*", "enter")
        await wait_for(pilot, lambda: rows_of(app).virtual_size.height == 1)
        await export(pilot, "x")
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(app.exports) == 3)
        assert app.exports[2].path.name.endswith("-filtered.jsonl")
        exported_data = [r.data for r in read_log(app.exports[2].path)]
        assert exported_data == [frames[5].data, frames[6].data]
        notes = [n.message for n in app._notifications]
        assert any(f"Exported 2 of {len(frames)} frames (filter: *audio*) to" in n for n in notes)
        assert any(f"Exported all {len(frames)} frames to" in n for n in notes)


async def test_the_export_prompt_refuses_a_folder_that_is_a_file(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    app = InspectorHost(not_a_folder)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await add_and_settle(pilot, app, mixed_frames())
        rows_of(app).focus()
        prompt = await export(pilot, "X")
        await pilot.press("enter")
        problem = prompt.query_one("#export-problem", Static)
        await wait_for(pilot, lambda: str(problem.render()), "the problem")
        assert str(problem.render()) == f"{not_a_folder} is a file, not a folder."
        await pilot.press("escape")
        await wait_for(pilot, lambda: pilot.app.screen is not prompt, "the prompt to close")
        assert not app.exports


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
async def test_an_export_that_cannot_be_written_says_why_in_one_line(tmp_path: Path) -> None:
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await add_and_settle(pilot, app, mixed_frames())
        rows_of(app).focus()
        await export(pilot, "X")
        await pilot.press("ctrl+u")
        # A folder that takes no new file, whoever runs the test (root included).
        refused = "/proc/rt-tui-export.jsonl"
        pilot.app.screen.query_one("#export-path", Input).post_message(events.Paste(refused))
        await pilot.press("enter")

        def errors() -> list[str]:
            return [n.message for n in app._notifications if n.severity == "error"]

        await wait_for(pilot, errors, "the error notice")
        (note,) = errors()
        assert note.startswith(f"Could not export to {refused}: ")
        assert "None" not in note
        assert "\n" not in note
        assert not app.exports
