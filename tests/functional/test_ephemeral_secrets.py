"""Ephemeral client secrets against the mock on loopback: with `ephemeral = true` rt-tui
mints a secret with the standard key before each socket (the GA, Azure GA, beta and Azure
preview minting paths), the socket carries only the secret, each reconnect mints a new one,
and a refused minting is one sentence. The mock's side: it mints on the socket's port and,
with `require_minted`, opens sockets only for its own unexpired secrets."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from test_cli import cli_env, run_cli

from rt_tui.config import Auth, Config, Profile, Provider
from rt_tui.dialect import Dialect
from rt_tui.mock.scenarios import Hooks
from rt_tui.mock.server import MockServer
from rt_tui.realtime.connection import Connection
from rt_tui.realtime.endpoints import EndpointError, resolve
from rt_tui.realtime.errors import ServerClosed, SignInFailed
from rt_tui.realtime.frames import Frame
from rt_tui.realtime.recorder import SessionRecorder
from rt_tui.realtime.session_events import ErrorEvent
from rt_tui.targets import resolve_target, target_endpoint

__all__ = ["cli_env"]  # the fixture, shared with test_cli

KEY = "standard0key0for0minting0only00"


async def first_frames(endpoint_profile: Profile, count: int, **options: object) -> list[Frame]:
    frames: list[Frame] = []
    endpoint = resolve(endpoint_profile, {})
    async with Connection(endpoint, **options) as conn:  # type: ignore[arg-type]
        async for frame in conn:
            frames.append(frame)
            if len(frames) == count:
                break
    return frames


def ephemeral(url: str, **fields: object) -> Profile:
    return Profile(provider=Provider.URL, endpoint=url, api_key=KEY, ephemeral=True, **fields)


async def post(url: str, body: object, headers: dict[str, str]) -> tuple[int, dict[str, object]]:
    """A minting request as any HTTP client sends it (in a thread: the mock runs here)."""
    return await asyncio.to_thread(_post, url, body, headers)


def _post(url: str, body: object, headers: dict[str, str]) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(
        url, json.dumps(body).encode(), {**headers, "Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.parametrize(
    ("where", "dialect"),
    [("ga", None), ("azure-ga", None), ("beta", Dialect.BETA), ("azure-preview", None)],
)
async def test_the_socket_carries_a_minted_secret_and_never_the_key(
    where: str, dialect: Dialect | None
) -> None:
    async with MockServer(require_minted=True) as server:
        url = {
            "ga": server.ga_url(),
            "azure-ga": server.azure_ga_url("dep"),
            "beta": server.ga_url(),
            "azure-preview": server.azure_preview_url("dep"),
        }[where]
        (created,) = await first_frames(ephemeral(url, dialect=dialect), 1)
        assert created.event is not None
        assert created.event.kind == "session.created"
        (secret,) = server.mint.minted
    seen = server.handshakes[0]
    assert (seen.auth, seen.key) == ("bearer", secret)
    assert secret.startswith("ek_")
    assert all(KEY not in repr(handshake) for handshake in server.handshakes)


async def test_each_socket_mints_a_fresh_secret() -> None:
    async with MockServer(require_minted=True) as server:
        profile = ephemeral(server.ga_url())
        for _ in range(3):  # a reconnect opens a new socket on the same endpoint
            await first_frames(profile, 1)
    keys = [seen.key for seen in server.handshakes]
    assert len(set(keys)) == 3
    assert set(keys) == set(server.mint.minted)


async def test_a_minted_secret_is_scrubbed_like_the_key(tmp_path: Path) -> None:
    async with MockServer(require_minted=True, hooks=Hooks(echo_handshake=True)) as server:
        # A secret that does not look like a key: only knowing it finds it.
        server.mint.make_secret = lambda: "plainwordsecret4242azure"
        endpoint = resolve(ephemeral(server.azure_ga_url("dep")), {})
        log = tmp_path / "minted.jsonl"
        with SessionRecorder(log, endpoint=endpoint) as recorder:
            async with Connection(endpoint, recorder=recorder) as conn:
                frames = []
                async for frame in conn:
                    frames.append(frame)
                    if len(frames) == 2:
                        break
    echo = frames[1]
    assert isinstance(echo.event, ErrorEvent)
    assert "plainwordsecret4242azure" in str(echo.data)  # the server did quote it
    assert "plainwordsecret4242azure" not in str(echo.redacted)
    assert "plainwordsecret4242azure" not in echo.event.error.message
    assert "plainwordsecret4242azure" not in log.read_text()
    assert KEY not in log.read_text()


async def test_a_refused_standard_key_is_one_sentence_without_it() -> None:
    async with MockServer(require_minted=True, reject_keys={KEY}) as server:
        endpoint = resolve(ephemeral(server.ga_url()), {})
        with pytest.raises(SignInFailed) as refused:
            await Connection(endpoint).open()
        assert not server.handshakes  # no socket was tried
        port = server.port
    message = str(refused.value)
    assert message == (
        f"Minting a client secret at http://127.0.0.1:{port}/v1/realtime/client_secrets "
        "failed: HTTP 401: the standard key was refused (Incorrect API key provided)."
    )
    assert not refused.value.retryable


async def test_the_mock_refuses_the_standard_key_and_expired_secrets() -> None:
    now = [1_000_000.0]
    async with MockServer(require_minted=True, wall_clock=lambda: now[0]) as server:
        plain = Profile(provider=Provider.URL, endpoint=server.ga_url(), api_key=KEY)
        with pytest.raises(ServerClosed) as refused:
            await first_frames(plain, 2)
        assert refused.value.code == 3000
        mint_url = f"http://127.0.0.1:{server.port}/v1/realtime/client_secrets"
        body = {"expires_after": {"anchor": "created_at", "seconds": 10}}
        status, minted = await post(mint_url, body, {"Authorization": f"Bearer {KEY}"})
        assert (status, minted["expires_at"]) == (200, 1_000_010)
        secret = str(minted["value"])
        assert server.mint.accepts(secret, now[0])
        now[0] += 11
        assert not server.mint.accepts(secret, now[0])
        # A secret cannot mint another, and minting wants a key and a sane expiry.
        assert (await post(mint_url, {}, {"Authorization": f"Bearer {secret}"}))[0] == 401
        assert (await post(mint_url, {}, {}))[0] == 401
        too_long = {"expires_after": {"seconds": 99_999}}
        assert (await post(mint_url, too_long, {"api-key": KEY}))[0] == 400
        wrong = f"http://127.0.0.1:{server.port}/v1/realtime/nothing"
        assert (await post(wrong, {}, {"api-key": KEY}))[0] == 404


def test_minting_needs_a_key() -> None:
    profile = Profile(provider=Provider.URL, endpoint="ws://127.0.0.1:1/v1/realtime?model=m")
    with pytest.raises(EndpointError, match="Minting a client secret needs the standard API key"):
        resolve(profile.model_copy(update={"ephemeral": True}), {})


def test_an_entra_profile_may_mint_too() -> None:
    profile = Profile(provider=Provider.AZURE, endpoint="res", auth=Auth.ENTRA, ephemeral=True)
    endpoint = resolve(profile, {}, credential=lambda: pytest.fail("no token yet"))
    assert endpoint.client_secrets is not None
    assert "api-key" not in endpoint.headers


async def test_the_demo_mints_with_ephemeral() -> None:
    target = resolve_target(Config(), {}, profile=None, url=None, demo=True, ephemeral=True)
    async with target_endpoint(target) as endpoint:
        assert endpoint.client_secrets is not None
        async with Connection(endpoint) as conn:
            async for frame in conn:
                assert frame.event is not None
                assert frame.event.kind == "session.created"
                break
        assert len(endpoint.client_secrets.issued) == 1


def test_the_mock_server_command_can_require_minted_secrets(cli_env: dict[str, str]) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "rt_tui", "mock-server", "--port", "0", "--require-minted"],
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
        banner = [proc.stdout.readline() for _ in range(4)]
        assert banner[3] == (
            "Only client secrets minted here open a socket (connect with --ephemeral).\n"
        )
        url = f"{match.group(1)}/v1/realtime?model=m"
        env = {**cli_env, "OPENAI_API_KEY": KEY}
        assert run_cli(env, "send", "plain", "--url", url).returncode == 1
        minted = run_cli(env, "send", "minted", "--url", url, "--ephemeral")
        assert (minted.returncode, minted.stderr) == (0, "")
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert "minted a client secret (/v1/realtime/client_secrets)" in out
