"""`rt-tui replay FILE --print/--json/--cost` run as users run it (a subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rt_tui.realtime.recorder import read_log

FIXTURE = Path(__file__).parent.parent / "fixtures" / "sessions" / "text_session.jsonl"


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """The process environment without keys, with private config and data dirs."""
    prefixes = ("OPENAI_", "AZURE_OPENAI_", "RT_TUI_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env["RT_TUI_CONFIG_DIR"] = str(tmp_path / "config")
    env["RT_TUI_DATA_DIR"] = str(tmp_path / "data")
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def replay(env: dict[str, str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rt_tui", "replay", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def test_print_shows_the_inspector_rows(cli_env: dict[str, str]) -> None:
    result = replay(cli_env, FIXTURE, "--print")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    first = lines[0].split()
    assert first[:3] == ["41", "←", "session.created"]
    assert lines[1].split()[:3] == ["1200", "→", "conversation.item.create"]
    # The twelve text deltas are one folded row carrying the whole reply, as in the TUI.
    folded = next(line for line in lines if "x12" in line)
    assert "response.output_text.delta" in folded
    assert folded.rstrip().endswith("Each delta carries the item and response ids.")
    assert lines[-1].split()[:3] == ["5712", "←", "error"]
    assert "integer_below_min_value" in lines[-1]


def test_print_unfolded_has_one_line_per_frame(cli_env: dict[str, str]) -> None:
    result = replay(cli_env, FIXTURE, "--print", "--unfold")
    assert result.returncode == 0, result.stderr
    times = [line.split()[0] for line in result.stdout.splitlines()]
    assert times == [f"{record.t_ms:.0f}" for record in read_log(FIXTURE)]


def test_filter_keeps_only_matching_rows(cli_env: dict[str, str]) -> None:
    result = replay(cli_env, FIXTURE, "--print", "--filter", "response.* !*.delta")
    assert result.returncode == 0, result.stderr
    types = [line.split()[2] for line in result.stdout.splitlines()]
    assert types
    assert all(t.startswith("response.") and not t.endswith(".delta") for t in types)
    assert "response.done" in types

    sent = replay(cli_env, FIXTURE, "--print", "--filter", "bad event")
    assert [line.split()[1] for line in sent.stdout.splitlines()] == ["→", "←", "←"]


def test_json_prints_frames_that_replay_again(cli_env: dict[str, str], tmp_path: Path) -> None:
    result = replay(cli_env, FIXTURE, "--json", "--filter", "!*.delta")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    meta, frames = lines[0], lines[1:]
    assert meta["rt_tui"] == "session"
    assert meta["url"] == "wss://api.openai.com/v1/realtime?model=gpt-realtime"
    assert meta["filter"] == "!*.delta"
    expected = [r for r in read_log(FIXTURE) if ".delta" not in str(r.data)[:60]]
    assert [(f["t_ms"], f["direction"], f["data"]) for f in frames] == [
        (r.t_ms, r.direction.value, r.data) for r in expected
    ]
    # Written to a file, the output is a session log again.
    saved = tmp_path / "filtered.jsonl"
    saved.write_text(result.stdout, encoding="utf-8")
    again = replay(cli_env, saved, "--print")
    assert again.returncode == 0, again.stderr
    types = [line.split()[2] for line in again.stdout.splitlines()]
    assert len(types) == len(frames)
    assert not any(t.endswith(".delta") for t in types)


def test_torn_last_line_is_tolerated(cli_env: dict[str, str], tmp_path: Path) -> None:
    torn = tmp_path / "torn.jsonl"
    torn.write_text(FIXTURE.read_text(encoding="utf-8") + '{"wall_time": 1, "t_ms"', "utf-8")
    result = replay(cli_env, torn, "--print", "--unfold")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == len(list(read_log(FIXTURE)))


@pytest.mark.parametrize(
    ("content", "sentence"),
    [
        (None, "cannot be read: no such file or directory."),
        # Broken lines among frames are skipped (test_damaged_logs); here all are broken.
        (
            "not json\n[]\n",
            "holds no readable frame: line 1 is not valid JSON (and 1 more broken line).",
        ),
        (
            '{"direction": "sideways", "t_ms": 1, "data": "{}"}\n',
            "holds no readable frame: line 1 lacks a valid direction, data or t_ms field.",
        ),
        ('{"rt_tui": "session", "version": 1}\n', "holds no frames to replay."),
    ],
    ids=["missing", "not-json", "bad-field", "empty"],
)
@pytest.mark.parametrize("mode", ["--print", "--json", "--cost", "tui"])
def test_broken_log_is_one_sentence_and_a_failure(
    cli_env: dict[str, str], tmp_path: Path, content: str | None, sentence: str, mode: str
) -> None:
    path = tmp_path / "session.jsonl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    # Without --print the TUI would open; a broken log must stop before it does.
    result = replay(cli_env, path, *([] if mode == "tui" else [mode]))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"rt-tui: The session log {path}")
    assert result.stderr.rstrip().endswith(sentence)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("flag", [["--demo"], ["--scenario", "refused-key"]])
def test_replay_refuses_connection_flags(cli_env: dict[str, str], flag: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rt_tui", *flag, "replay", str(FIXTURE)],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "rt-tui: A replay connects nowhere and records nothing, so --url, --profile, "
        "--demo, --scenario, --log and --ephemeral do not apply."
    )


def test_cost_prices_each_response_and_the_session(cli_env: dict[str, str]) -> None:
    result = replay(cli_env, FIXTURE, "--cost")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Cost of gpt-realtime; USD prices as listed in ")
    rows = {line.split()[1]: line.split() for line in lines if line[:1].isdigit()}
    # 128 text in, 46 text out at $4 / $16 per 1M; then 62 fresh and 128 cached text in
    # (at $0.40), 14 text out.
    assert rows["resp_001"][2:4] == ["completed", "$0.0012"]
    assert rows["resp_002"][2:4] == ["cancelled", "$0.0005"]
    session = next(line for line in lines if "total (2 responses)" in line)
    assert "$0.0018" in session
    assert any(line.split()[:3] == ["cached", "text", "in"] for line in lines)
    assert "tokens: 39,400 of 40,000 left (98.5%), resets in 0.9 s" in result.stdout


def test_cost_uses_the_configs_prices_and_budget(cli_env: dict[str, str]) -> None:
    config = Path(cli_env["RT_TUI_CONFIG_DIR"]) / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        "[cost]\nbudget_usd = 0.001\n\n"
        '[cost.prices."gpt-realtime"]\n'
        "text_input = 40\ncached_text_input = 4\naudio_input = 320\n"
        "cached_audio_input = 4\ntext_output = 160\naudio_output = 640\n"
    )
    result = replay(cli_env, FIXTURE, "--cost")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Cost of gpt-realtime (priced as gpt-realtime, your price);")
    session = next(line for line in result.stdout.splitlines() if "total (" in line)
    assert "$0.0177" in session  # 190 at $40, 128 at $4, 60 at $160 per 1M tokens
    assert "Budget $0.0010 a session: passed." in result.stdout


@pytest.mark.parametrize(
    ("config", "args", "message"),
    [
        ("[cost]\nbudget_usd = -1\n", [], "budget_usd"),
        ("", ["--filter", "error"], "--cost prices the whole log, so --filter and --unfold"),
    ],
)
def test_cost_refuses_bad_config_and_filters_in_one_line(
    cli_env: dict[str, str], config: str, args: list[str], message: str
) -> None:
    path = Path(cli_env["RT_TUI_CONFIG_DIR"]) / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text(config)
    result = replay(cli_env, FIXTURE, "--cost", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("rt-tui: ")
    assert message in line
