"""`rt-tui bundle [LOG]` run as users run it (a subprocess), on a session recorded by
`rt-tui send` against the mock server with a spoken reply and canary keys in the
environment, the config file and the URL."""

from __future__ import annotations

import io
import json
import stat
import wave
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from test_cli import assert_one_error_line, cli_env, run_cli, run_cli_async

from rt_tui.mock.server import MockServer
from rt_tui.realtime.audio import read_wav
from rt_tui.realtime.recorder import read_log

__all__ = ["cli_env"]  # the fixture, shared with test_cli

ENV_KEY = "sk-envCANARY0123456789abcdefgh"
CONFIG_KEY = "cfgCANARY0123456789abcdef"
URL_KEY = "urlCANARY9876543210fedcba"
CANARIES = (ENV_KEY, CONFIG_KEY, URL_KEY)
MEMBERS = [
    "README.txt",
    "session.jsonl",
    "conversation.md",
    "audio/*.wav",
    "config.toml",
    "versions.json",
]


@pytest.fixture
async def server() -> AsyncIterator[MockServer]:
    async with MockServer(delta_delay=0) as mock:
        yield mock


def _keys_everywhere(cli_env: dict[str, str]) -> Path:
    """A key in the environment and one in the config file; the sessions folder made."""
    cli_env["OPENAI_API_KEY"] = ENV_KEY
    config_dir = Path(cli_env["RT_TUI_CONFIG_DIR"])
    config_dir.mkdir(parents=True)
    (config_dir / "config.toml").write_text(
        f'[profiles.spare]\nprovider = "openai"\napi_key = "{CONFIG_KEY}"\n'
    )
    sessions = Path(cli_env["RT_TUI_DATA_DIR"]) / "sessions"
    sessions.mkdir(parents=True)
    return sessions


@pytest.fixture
async def recorded(cli_env: dict[str, str], server: MockServer) -> Path:
    """A session log in the sessions folder: one message, a spoken reply (its audio saved
    beside the log as reply.wav), a key in the environment, the config and the URL."""
    sessions = _keys_everywhere(cli_env)
    log = sessions / "20250101-120000-abcdef.jsonl"
    url = f"{server.ga_url()}&api-key={URL_KEY}"
    code, _out, err = await run_cli_async(
        cli_env, "send", "Hello bundle", "--url", url, "--log", str(log),
        "--save-audio", str(sessions / "reply.wav"),
    )  # fmt: skip
    assert (code, err) == (0, "")
    return log


def _member_names(bundle: zipfile.ZipFile) -> list[str]:
    return [name if not name.startswith("audio/") else "audio/*.wav" for name in bundle.namelist()]


def test_bundle_of_a_recorded_session_holds_every_member_and_no_key(
    cli_env: dict[str, str], recorded: Path
) -> None:
    result = run_cli(cli_env, "bundle", str(recorded))

    assert (result.returncode, result.stderr) == (0, "")
    zip_path = recorded.with_name("20250101-120000-abcdef-bundle.zip")
    frames = sum(1 for _ in read_log(recorded))
    assert result.stdout == (
        f"Bundle: {zip_path}\n"
        f"Inside: session log ({frames} frames), conversation (2 items), "
        "1 audio file (8.4 s), config, versions\n"
    )
    assert stat.S_IMODE(zip_path.stat().st_mode) == 0o600
    with zipfile.ZipFile(zip_path) as bundle:
        assert _member_names(bundle) == MEMBERS
        members = {name: bundle.read(name) for name in bundle.namelist()}
    for name, data in members.items():
        for canary in CANARIES:
            assert canary.encode() not in data, f"{name} holds a key"

    assert members["session.jsonl"] == recorded.read_bytes()  # the log was redacted already

    markdown = members["conversation.md"].decode()
    assert markdown.startswith(f"# Conversation\n\nFrom the session log `{recorded.name}`")
    (wav_name,) = (name for name in members if name.startswith("audio/"))
    assert "## You\n\nHello bundle\n\n" in markdown
    assert f"## Assistant · 🔊 8.4 s · [audio]({wav_name})\n\nYou said: “Hello bundle”" in markdown
    assert "*response completed · " in markdown

    with wave.open(io.BytesIO(members[wav_name])) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 24_000)
        pcm = wav.readframes(wav.getnframes())
    assert pcm == read_wav(recorded.with_name("reply.wav"))  # what `send` saved of the reply
    assert len(pcm) / 48 == pytest.approx(8400, abs=50)

    config = members["config.toml"].decode()
    assert 'api_key = "<redacted>"' in config
    assert '#   profile "spare" (active):\n#     OPENAI_API_KEY: set\n' in config
    versions = json.loads(members["versions.json"])
    assert list(versions) == ["rt-tui", "python", "textual", "websockets", "pydantic", "platform"]
    assert all(versions.values())
    assert "conversation.md   the conversation rebuilt" in members["README.txt"].decode()


def test_without_a_log_the_newest_session_log_is_bundled_and_said(
    cli_env: dict[str, str], recorded: Path
) -> None:
    export = recorded.with_name("inspector-20300101-000000-all.jsonl")  # newer, not a session
    export.write_text('{"rt_tui": "session", "source": "inspector export"}\n')
    first = run_cli(cli_env, "bundle")
    again = run_cli(cli_env, "bundle")

    assert (first.returncode, first.stderr) == (0, "")
    lines = first.stdout.splitlines()
    assert lines[0] == f"Newest session log: {recorded}"
    assert lines[1] == f"Bundle: {recorded.with_name(recorded.stem + '-bundle.zip')}"
    assert again.stdout.splitlines()[1] == (
        f"Bundle: {recorded.with_name(recorded.stem + '-bundle-2.zip')}"
    )


def test_output_goes_where_asked_and_never_over_a_file(
    cli_env: dict[str, str], recorded: Path, tmp_path: Path
) -> None:
    target = tmp_path / "report.zip"
    assert run_cli(cli_env, "bundle", str(recorded), "-o", str(target)).returncode == 0
    assert zipfile.is_zipfile(target)
    folder = tmp_path / "reports"
    folder.mkdir()
    result = run_cli(cli_env, "bundle", str(recorded), "--output", str(folder))
    assert result.returncode == 0
    assert zipfile.is_zipfile(folder / f"{recorded.stem}-bundle.zip")

    before = target.read_bytes()
    result = run_cli(cli_env, "bundle", str(recorded), "-o", str(target))
    assert result.returncode == 2
    assert_one_error_line(
        result.stderr, f"{target} already exists; give -o a new file name or a folder."
    )
    assert target.read_bytes() == before


def test_a_corrupt_log_is_one_sentence_and_exit_1(cli_env: dict[str, str], tmp_path: Path) -> None:
    log = tmp_path / "broken.jsonl"
    # Broken lines among frames are skipped (test_damaged_logs); here every line is broken.
    log.write_text('{"rt_tui": "session"}\n{"t_ms": "soon", "direction": "sent"}\nnope\n{}\n')

    result = run_cli(cli_env, "bundle", str(log))

    assert result.returncode == 1
    assert_one_error_line(
        result.stderr,
        f"The session log {log} holds no readable frame: line 2 lacks a valid direction, "
        "data or t_ms field (and 2 more broken lines).",
    )
    assert result.stdout == ""
    assert not list(tmp_path.glob("*.zip"))


def test_usage_problems_exit_2(cli_env: dict[str, str], tmp_path: Path) -> None:
    sessions = Path(cli_env["RT_TUI_DATA_DIR"]) / "sessions"
    result = run_cli(cli_env, "bundle")
    assert result.returncode == 2
    assert_one_error_line(
        result.stderr,
        f"there is no session log in {sessions} to bundle; give its path: rt-tui bundle LOG.",
    )

    for flags in (["--demo"], ["--scenario", "refused-key"]):
        result = run_cli(cli_env, *flags, "bundle", str(tmp_path / "x.jsonl"))
        assert result.returncode == 2
        assert_one_error_line(
            result.stderr,
            "A bundle is made from a recorded log, so --url, --profile, --demo, --scenario, "
            "--log and --ephemeral do not apply.",
        )

    result = run_cli(cli_env, "bundle", "x.jsonl", "-o", str(tmp_path / "nowhere" / "b.zip"))
    assert result.returncode == 2
    assert "its folder does not exist" in result.stderr
