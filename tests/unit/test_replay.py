"""The headless part of `rt-tui replay`: log checks, meta facts, printed rows and JSONL."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from rt_tui.dialect import Dialect
from rt_tui.inspector.logs import ReplayInfo, check_log, load_store
from rt_tui.inspector.records import Row
from rt_tui.realtime.frames import Direction
from rt_tui.realtime.recorder import LogError, read_log
from rt_tui.replay import row_text, write_json, write_rows

FIXTURE = Path(__file__).parent.parent / "fixtures" / "sessions" / "text_session.jsonl"


def test_headless_replay_does_not_import_textual() -> None:
    code = (
        "import sys, rt_tui.replay\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_check_log_counts_frames_and_reads_the_meta() -> None:
    info = check_log(FIXTURE)
    assert info.frame_count == len(list(read_log(FIXTURE))) == 44
    assert info.url == "wss://api.openai.com/v1/realtime?model=gpt-realtime"
    assert info.dialect is Dialect.GA
    assert info.model == "gpt-realtime"
    assert info.host == "api.openai.com"
    assert info.describe() == "text_session.jsonl (api.openai.com)"


@pytest.mark.parametrize(
    ("meta", "dialect", "model", "described"),
    [
        (
            {"url": "wss://x.openai.azure.com/openai/realtime?api-version=v&deployment=dep"},
            None,
            "dep",
            "log.jsonl (x.openai.azure.com)",
        ),
        ({"source": "inspector export", "dialect": "beta"}, Dialect.BETA, "", None),
        ({"dialect": "klingon", "url": 3}, None, "", "log.jsonl"),
        ({}, None, "", "log.jsonl"),
    ],
)
def test_meta_facts_never_raise_on_odd_meta(
    meta: dict[str, object], dialect: Dialect | None, model: str, described: str | None
) -> None:
    info = ReplayInfo(Path("log.jsonl"), 1, meta)
    assert info.dialect is dialect
    assert info.model == model
    assert info.describe() == (described or "log.jsonl (inspector export)")


def test_a_log_without_frames_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text('{"rt_tui": "session", "version": 1}\n', encoding="utf-8")
    with pytest.raises(LogError, match=r"empty\.jsonl holds no frames to replay\.$"):
        check_log(empty)
    with pytest.raises(LogError, match="holds no frames"):
        load_store(empty)


def test_torn_last_line_is_left_out(tmp_path: Path) -> None:
    torn = tmp_path / "torn.jsonl"
    torn.write_text(FIXTURE.read_text(encoding="utf-8") + '{"t_ms": 9', encoding="utf-8")
    assert check_log(torn).frame_count == 44


def test_row_text_matches_the_inspector_columns() -> None:
    row = Row(
        frame_index=3,
        t_ms=1500.4,
        direction=Direction.RECEIVED,
        wire_type="response.output_text.delta",
        summary="line one\nline two",
        count=12,
        fold="folded",
        is_error=False,
        is_audio=False,
    )
    text = row_text(row)
    assert text.startswith("    1500 ← ▸ response.output_text.delta ")
    assert text.endswith(" x12 line one⏎line two")
    plain = row_text(Row(0, 5.0, Direction.SENT, "", "", 1, "", False, False))
    assert plain == "       5 →   (no type)"


def test_rows_and_json_follow_the_filter() -> None:
    store = load_store(FIXTURE, query="response.done")
    try:
        out = io.StringIO()
        assert write_rows(store, out) == 2
        assert [line.split()[2] for line in out.getvalue().splitlines()] == ["response.done"] * 2
        out = io.StringIO()
        assert write_json(store, out) == 2  # No meta given: frames only.
        frames = [json.loads(line) for line in out.getvalue().splitlines()]
        assert [json.loads(f["data"])["type"] for f in frames] == ["response.done"] * 2
    finally:
        store.close()
