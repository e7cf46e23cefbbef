"""A session log broken in the middle: `rt-tui replay` (TUI, --print, --json) and
`rt-tui bundle` pass over the broken lines, say which, and show the rest; a log with no
readable frame is still refused with one sentence."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from conftest_app import main_screen, offline_app, wait_for
from test_cli import assert_one_error_line, cli_env, run_cli

from rt_tui.inspector.logs import ReplayPlan, check_log
from rt_tui.realtime.recorder import read_log
from rt_tui.tui.replay import replay_finished
from rt_tui.tui.widgets.conversation_blocks import NoticeBlock

__all__ = ["cli_env"]  # the fixture, shared with test_cli

FIXTURE = Path(__file__).parent.parent / "fixtures" / "sessions" / "text_session.jsonl"
NOT_JSON = '{"t_ms": 12, "direction": "rece'
HUGE_T_MS = '{"t_ms": 1' + "0" * 400 + ', "direction": "sent", "data": "{}"}'
NOT_BASE64 = '{"t_ms": 13, "direction": "received", "data": "été", "binary": true}'


def damaged_log(tmp_path: Path) -> Path:
    """The fixture with three broken lines among its frames (lines 4, 6 and 8)."""
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    lines[3:3] = [NOT_JSON]
    lines[5:5] = [HUGE_T_MS]
    lines[7:7] = [NOT_BASE64]
    path = tmp_path / "damaged.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


NOTES = [
    "Skipped line 4 of damaged.jsonl: it is not valid JSON.",
    "Skipped line 6 of damaged.jsonl: it lacks a valid direction, data or t_ms field.",
    "Skipped line 8 of damaged.jsonl: it has binary data that is not base64.",
]


def test_replay_print_and_json_skip_broken_lines_with_a_note_each(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    log = damaged_log(tmp_path)
    expected = [f"rt-tui: {note}" for note in NOTES]
    frames = len(list(read_log(FIXTURE)))

    printed = run_cli(cli_env, "replay", str(log), "--print", "--unfold")
    assert printed.returncode == 0
    assert printed.stderr.splitlines() == expected
    assert len(printed.stdout.splitlines()) == frames

    as_json = run_cli(cli_env, "replay", str(log), "--json")
    assert as_json.returncode == 0
    assert as_json.stderr.splitlines() == expected
    out = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert len([line for line in out if "direction" in line]) == frames


def test_a_log_with_no_readable_frame_is_refused_in_one_sentence(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    log = tmp_path / "broken.jsonl"
    # The last line is not torn (it is JSON), so it counts as broken too.
    log.write_text(f'{{"rt_tui": 1}}\n{NOT_BASE64}\n{NOT_JSON}\n[]\n', encoding="utf-8")
    for mode in ("--print", "--json", None):
        result = run_cli(cli_env, "replay", str(log), *([mode] if mode else []))
        assert result.returncode == 1
        assert_one_error_line(
            result.stderr,
            f"The session log {log} holds no readable frame: line 2 has binary data that "
            "is not base64 (and 2 more broken lines).",
        )


def test_bundle_skips_broken_lines_with_a_note_each(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    log = damaged_log(tmp_path)
    result = run_cli(cli_env, "bundle", str(log))
    assert result.returncode == 0
    assert result.stderr.splitlines() == [f"rt-tui: {note}" for note in NOTES]
    assert "3 broken lines skipped" in result.stdout
    with zipfile.ZipFile(tmp_path / "damaged-bundle.zip") as bundle:
        markdown = bundle.read("conversation.md").decode()
    assert "Each delta carries the item and response ids." in markdown


async def test_the_tui_replay_notes_each_broken_line_and_shows_the_rest(tmp_path: Path) -> None:
    log = damaged_log(tmp_path)
    info = check_log(log)
    assert [line.describe() for line in info.skipped] == NOTES
    app = offline_app(tmp_path, replay=ReplayPlan(info))
    async with app.run_test(size=(140, 40)) as pilot:
        screen = main_screen(pilot)
        await wait_for(pilot, lambda: replay_finished(screen), "the replay to load and draw")
        assert len(screen.inspector.store) == len(list(read_log(FIXTURE)))
        notices = [b.text for b in screen.pane.blocks if isinstance(b, NoticeBlock)]
        assert [n for n in notices if n.startswith("Skipped")] == NOTES
        [note] = [n.message for n in app._notifications if "Replayed" in str(n.message)]
        assert "skipped 3 broken lines" in str(note)
