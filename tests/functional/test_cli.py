"""The `rt-tui` command run as users run it (`python -m rt_tui` in a subprocess), against the
in-process demo mock and small scripted servers on loopback."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from scripted_server import error_event, scripted_server, send_json, session_created
from websockets.asyncio.server import ServerConnection

import rt_tui
from rt_tui import cli
from rt_tui.realtime.frames import Direction
from rt_tui.realtime.recorder import read_log

SECRET = "sk-cli-DoNotPrintThisKey1234567"
_ENV_PREFIXES = ("OPENAI_", "AZURE_OPENAI_", "RT_TUI_")


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """The process environment without any real key or endpoint, with private tmp dirs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_ENV_PREFIXES)}
    env["RT_TUI_CONFIG_DIR"] = str(tmp_path / "config")
    env["RT_TUI_DATA_DIR"] = str(tmp_path / "data")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_cli(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run `rt-tui ARGS` with `stdin` as its (piped, so not a terminal) input."""
    return subprocess.run(
        [sys.executable, "-m", "rt_tui", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def run_cli_async(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """Run the CLI without blocking the loop that serves the scripted servers."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "rt_tui",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(60):
        out, err = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def assert_one_error_line(stderr: str, expected: str) -> None:
    assert "Traceback" not in stderr
    assert stderr.endswith("\n")
    assert stderr.count("\n") == 1, stderr
    assert stderr == f"rt-tui: {expected}\n"


def test_version(cli_env: dict[str, str]) -> None:
    result = run_cli(cli_env, "--version")
    assert result.returncode == 0
    assert result.stdout == f"rt-tui {rt_tui.__version__}\n"


def test_send_demo_streams_the_reply(cli_env: dict[str, str]) -> None:
    result = run_cli(cli_env, "send", "hello mock", "--demo")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "hello mock" in result.stdout
    assert "mock" in result.stdout.lower()
    assert result.stdout.endswith("\n")


@pytest.mark.parametrize("args", [[], ["-"]])
def test_send_reads_the_message_from_stdin(cli_env: dict[str, str], args: list[str]) -> None:
    result = run_cli(cli_env, "send", *args, "--demo", stdin="hello from a pipe\n")
    assert (result.returncode, result.stderr) == (0, "")
    assert "You said: “hello from a pipe”" in result.stdout


def test_send_demo_json_prints_every_frame_both_ways(cli_env: dict[str, str]) -> None:
    result = run_cli(cli_env, "send", "hi", "--demo", "--json")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    directions = {record["direction"] for record in records}
    assert directions == {"sent", "received"}
    sent = [r["event"]["type"] for r in records if r["direction"] == "sent"]
    assert sent == ["conversation.item.create", "response.create"]
    received = [r["event"]["type"] for r in records if r["direction"] == "received"]
    assert received[0] == "session.created"
    # Exits right after response.done (frames already on the wire may still be printed).
    assert "response.done" in received
    assert any(t == "response.output_text.delta" for t in received)
    times = [r["t_ms"] for r in records]
    assert all(t >= 0 for t in times)


def _limit_written_file_size() -> None:
    # Files this process writes may not grow past 1,000 bytes: the log opens and takes its
    # meta line, then the first full frame fails with EFBIG (SIGXFSZ ignored, not fatal).
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))


def test_send_reports_a_log_that_stops_being_written(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    log = tmp_path / "session.jsonl"
    result = subprocess.run(
        [sys.executable, "-m", "rt_tui", "send", "hi", "--demo", "--log", str(log)],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=_limit_written_file_size,
    )
    assert result.returncode == 1
    assert "mock server" in result.stdout  # the reply still arrived
    assert_one_error_line(result.stderr, f"the log {log} stopped being written: file too large.")
    assert log.stat().st_size <= 1000


def test_send_demo_records_the_session(cli_env: dict[str, str], tmp_path: Path) -> None:
    log = tmp_path / "logs" / "session.jsonl"
    result = run_cli(cli_env, "send", "record me", "--demo", "--log", str(log))
    assert result.returncode == 0, result.stderr
    records = list(read_log(log))
    assert records[0].direction in (Direction.SENT, Direction.RECEIVED)
    sent = [json.loads(r.data)["type"] for r in records if r.direction is Direction.SENT]
    assert sent == ["conversation.item.create", "response.create"]
    assert any('"response.done"' in str(r.data) for r in records)


def test_send_with_nothing_configured(cli_env: dict[str, str]) -> None:
    result = run_cli(cli_env, "send", "hi")
    assert result.returncode == 2
    assert_one_error_line(
        result.stderr,
        "Nothing is configured yet: set OPENAI_API_KEY (or AZURE_OPENAI_ENDPOINT and "
        "AZURE_OPENAI_API_KEY), add a profile in the settings, or use --url or --demo.",
    )


def test_send_with_broken_config(cli_env: dict[str, str]) -> None:
    config = Path(cli_env["RT_TUI_CONFIG_DIR"]) / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("[profiles.work]\nprovider = 'openai'\nmodel = = 'x'\n")
    result = run_cli(cli_env, "send", "hi", "--demo")
    assert result.returncode == 2
    assert_one_error_line(
        result.stderr,
        f"The config file {config} is not valid TOML at line 3, column 9: invalid value.",
    )


def test_send_with_unknown_profile(cli_env: dict[str, str]) -> None:
    result = run_cli(cli_env, "send", "hi", "--profile", "nope")
    assert result.returncode == 2
    assert_one_error_line(result.stderr, "There is no profile named 'nope' (known profiles: none).")


def test_missing_key_names_the_variable(cli_env: dict[str, str]) -> None:
    config = Path(cli_env["RT_TUI_CONFIG_DIR"]) / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("active_profile = 'az'\n[profiles.az]\nprovider = 'azure'\nendpoint = 'r'\n")
    result = run_cli(cli_env, "send", "hi")
    assert result.returncode == 2
    assert_one_error_line(
        result.stderr,
        "Profile 'az': No API key found: set the environment variable AZURE_OPENAI_API_KEY "
        "or store a key in the profile.",
    )


def test_tui_with_broken_config_fails_like_send(cli_env: dict[str, str]) -> None:
    config = Path(cli_env["RT_TUI_CONFIG_DIR"]) / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("[session]\nturn_detection = 5\n")
    expected = (
        f"The config file {config} has a bad value at 'session.turn_detection': "
        "it should be a table (e.g. [session.turn_detection])."
    )
    tui = run_cli(cli_env, "--demo")
    send = run_cli(cli_env, "send", "hi", "--demo")
    for result in (tui, send):
        assert result.returncode == 2
        assert_one_error_line(result.stderr, expected)
        assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["send"], "the message on stdin is empty; give TEXT, --wav FILE or both."),
        (["send", "-"], "the message on stdin is empty; give TEXT, --wav FILE or both."),
        (
            ["send", "x", "--demo", "--url", "ws://h/"],
            "argument --url: not allowed with argument --demo; try 'rt-tui send --help'.",
        ),
        (
            ["frobnicate"],
            "argument COMMAND: invalid choice: 'frobnicate' (choose from 'send', 'replay', "
            "'bundle', 'doctor', 'mock-server', 'audio'); try 'rt-tui --help'.",
        ),
        (["--bogus"], "unrecognized arguments: --bogus; try 'rt-tui --help'."),
        (["send", "x", "--bogus"], "unrecognized arguments: --bogus; try 'rt-tui --help'."),
        (
            ["send", "x", "--timeout", "soon"],
            "argument --timeout: invalid float value: 'soon'; try 'rt-tui send --help'.",
        ),
        (
            ["replay"],
            "the following arguments are required: FILE; try 'rt-tui replay --help'.",
        ),
    ],
)
def test_usage_errors_are_one_line(cli_env: dict[str, str], args: list[str], message: str) -> None:
    result = run_cli(cli_env, *args)
    assert result.returncode == 2
    assert_one_error_line(result.stderr, message)  # no usage block: --help has it
    assert result.stdout == ""


async def test_send_url_server_closes_with_error(cli_env: dict[str, str]) -> None:
    async def script(ws: ServerConnection) -> None:
        await send_json(ws, error_event("invalid_model", "Model 'x' is not supported."))
        await ws.close(4000, "invalid_request_error.invalid_model")

    async with scripted_server(script) as server:
        code, out, err = await run_cli_async(cli_env, "send", "hi", "--url", server.url)
    assert code == 1
    assert out == ""
    assert err.splitlines()[-1] == (
        "rt-tui: The server closed the session (4000 invalid_request_error.invalid_model): "
        "Model 'x' is not supported."
    )
    assert "Traceback" not in err


async def test_send_url_refused_handshake_never_prints_the_key(cli_env: dict[str, str]) -> None:
    async def script(ws: ServerConnection) -> None:  # pragma: no cover - never reached
        await ws.close()

    body = json.dumps({"error": {"message": f"Incorrect API key provided: {SECRET}"}})
    env = {**cli_env, "OPENAI_API_KEY": SECRET}
    async with scripted_server(script, reject=(401, body)) as server:
        code, out, err = await run_cli_async(env, "send", "hi", "--url", server.url, "--json")
    assert code == 1
    assert SECRET not in out + err
    assert server.requests[0].headers["Authorization"] == f"Bearer {SECRET}"
    assert_one_error_line(
        err,
        f"The server 127.0.0.1:{server.port} refused the connection (HTTP 401): "
        "Incorrect API key provided: ***.",
    )


async def test_send_through_a_url_profile_in_the_config(cli_env: dict[str, str]) -> None:
    async def script(ws: ServerConnection) -> None:
        await send_json(ws, session_created())
        async for message in ws:
            event = json.loads(message)
            if event["type"] == "response.create":
                delta = {
                    "type": "response.output_text.delta",
                    "response_id": "r",
                    "item_id": "i",
                    "output_index": 0,
                    "content_index": 0,
                    "delta": "scripted reply",
                }
                await send_json(ws, delta)
                done = {"type": "response.done", "response": {"id": "r", "status": "completed"}}
                await send_json(ws, done)

    async with scripted_server(script) as server:
        config = Path(cli_env["RT_TUI_CONFIG_DIR"]) / "config.toml"
        config.parent.mkdir(parents=True)
        config.write_text(f"[profiles.local]\nprovider = 'url'\nendpoint = '{server.url}'\n")
        code, out, err = await run_cli_async(cli_env, "send", "hi", "--profile", "local")
    assert (code, out, err) == (0, "scripted reply\n", "")
    assert "Authorization" not in server.requests[0].headers


async def test_send_reports_a_failed_response(cli_env: dict[str, str]) -> None:
    async def script(ws: ServerConnection) -> None:
        await send_json(ws, session_created())
        async for message in ws:
            if json.loads(message)["type"] == "response.create":
                details = {"type": "failed", "error": {"message": "The model had a bad day."}}
                response = {"id": "r", "status": "failed", "status_details": details}
                await send_json(ws, {"type": "response.done", "response": response})

    async with scripted_server(script) as server:
        code, _out, err = await run_cli_async(cli_env, "send", "hi", "--url", server.url)
    assert code == 1
    assert_one_error_line(err, "the response ended as failed: The model had a bad day.")


async def test_send_names_the_param_of_a_server_error(cli_env: dict[str, str]) -> None:
    async def script(ws: ServerConnection) -> None:
        await send_json(ws, session_created())
        async for message in ws:
            if json.loads(message)["type"] == "response.create":
                error = error_event("invalid_value", "Invalid value: 'x'.", param="temperature")
                await send_json(ws, error)
                done = {"type": "response.done", "response": {"id": "r", "status": "completed"}}
                await send_json(ws, done)

    async with scripted_server(script) as server:
        code, _out, err = await run_cli_async(cli_env, "send", "hi", "--url", server.url)
    assert code == 0
    assert_one_error_line(
        err, "server error: invalid_value (param 'temperature'): Invalid value: 'x'."
    )


async def test_send_times_out_waiting_for_the_reply(cli_env: dict[str, str]) -> None:
    async def script(ws: ServerConnection) -> None:
        await ws.wait_closed()

    async with scripted_server(script) as server:
        code, _out, err = await run_cli_async(
            cli_env, "send", "hi", "--url", server.url, "--timeout", "0.5"
        )
    assert code == 1
    assert_one_error_line(err, "the server sent no session.created within 0.5 s.")


async def test_ctrl_c_during_send_is_one_line(cli_env: dict[str, str]) -> None:
    connected = asyncio.Event()

    async def script(ws: ServerConnection) -> None:
        connected.set()
        await ws.wait_closed()

    async with scripted_server(script) as server:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "rt_tui",
            "send",
            "hi",
            "--url",
            server.url,
            env=cli_env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        async with asyncio.timeout(30):
            await connected.wait()
            proc.send_signal(signal.SIGINT)
            _out, err = await proc.communicate()
    assert proc.returncode == 130
    assert_one_error_line(err.decode(), "interrupted.")


def test_mock_server_serves_until_ctrl_c(cli_env: dict[str, str]) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "rt_tui", "mock-server", "--port", "0"],
        env=cli_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        match = re.fullmatch(r"rt-tui mock server listening on (ws://127\.0\.0\.1:\d+)\n", first)
        assert match, first
        base = match.group(1)
        urls = [proc.stdout.readline() for _ in range(3)]
        assert f"{base}/v1/realtime?model=gpt-realtime" in urls[0]
        assert f"{base}/openai/v1/realtime?model=gpt-realtime" in urls[1]
        assert f"{base}/openai/realtime?api-version=" in urls[2]
        # The served mock answers a real send.
        reply = run_cli(cli_env, "send", "ping", "--url", f"{base}/v1/realtime?model=m")
        assert reply.returncode == 0, reply.stderr
        assert "ping" in reply.stdout
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130
    assert err == "rt-tui: mock server stopped.\n"


def test_mock_server_port_in_use(cli_env: dict[str, str]) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli(cli_env, "mock-server", "--port", str(port))
    assert result.returncode == 1
    assert_one_error_line(
        result.stderr, f"cannot listen on 127.0.0.1:{port}: address already in use."
    )


def test_no_command_opens_the_tui_with_the_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    import rt_tui.tui.app

    calls: list[dict[str, object]] = []

    def fake_run_tui(**kwargs: object) -> int:
        calls.append(kwargs)
        return 7

    monkeypatch.setattr(rt_tui.tui.app, "run_tui", fake_run_tui)
    assert cli.main(["--demo", "--log", "x.jsonl"]) == 7
    assert cli.main(["--profile", "work", "--mic", "q.wav", "--speaker", "default"]) == 7
    assert cli.main(["--demo", "--transcribe"]) == 7
    assert cli.main(["--profile", "work", "--ephemeral"]) == 7
    no_audio = {"mic": None, "speaker": None, "transcribe": False, "ephemeral": False}
    assert calls == [
        {"profile": None, "url": None, "demo": True, "log": Path("x.jsonl"), "scenario": None}
        | no_audio,
        {"profile": "work", "url": None, "demo": False, "log": None, "scenario": None}
        | no_audio
        | {"mic": "q.wav", "speaker": "default"},
        {"profile": None, "url": None, "demo": True, "log": None, "scenario": None}
        | no_audio
        | {"transcribe": True},
        {"profile": "work", "url": None, "demo": False, "log": None, "scenario": None}
        | no_audio
        | {"ephemeral": True},
    ]


@pytest.mark.parametrize("form", ["ga", "azure-ga", "azure-preview"])
async def test_send_speaks_each_dialect_of_the_mock(cli_env: dict[str, str], form: str) -> None:
    from rt_tui.mock.server import MockServer

    async with MockServer(delta_delay=0) as server:
        url = {
            "ga": server.ga_url("m"),
            "azure-ga": server.azure_ga_url("dep"),
            "azure-preview": server.azure_preview_url("dep"),
        }[form]
        code, out, err = await run_cli_async(cli_env, "send", "dialect check", "--url", url)
    assert (code, err) == (0, "")
    assert "dialect check" in out


async def test_send_ephemeral_mints_a_secret_for_the_socket(cli_env: dict[str, str]) -> None:
    from rt_tui.mock.server import MockServer

    key = "standard-key-for-minting-0123"
    async with MockServer(delta_delay=0, require_minted=True) as server:
        args = ("send", "minted", "--url", server.ga_url("m"))
        code, out, err = await run_cli_async({**cli_env, "OPENAI_API_KEY": key}, *args)
        assert code == 1  # the mock takes only minted secrets
        assert "Incorrect API key provided" in err
        env = {**cli_env, "OPENAI_API_KEY": key}
        code, out, err = await run_cli_async(env, *args, "--ephemeral")
        assert (code, err) == (0, "")
        assert "minted" in out
        code, out, err = await run_cli_async(cli_env, *args, "--ephemeral")
        assert code == 2
        assert (
            err
            == "rt-tui: Minting a client secret needs the standard API key: set OPENAI_API_KEY.\n"
        )
    assert [seen.key for seen in server.handshakes] == [key, *server.mint.minted]
