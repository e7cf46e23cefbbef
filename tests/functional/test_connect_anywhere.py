"""Connecting through what stands between rt-tui and the service, on loopback servers: a
Microsoft Entra ID token (from a credential handed in through `resolve`'s seam), a
profile's extra headers, a CA bundle, and HTTP proxies (a tiny CONNECT proxy that sends
every host it is asked for to this machine)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import NamedTuple

import pytest
from connect_proxy import connect_proxy
from scripted_server import (
    TLS_DIR,
    scripted_server,
    self_signed_context,
    send_json,
    session_created,
    unused_port,
)
from websockets.asyncio.server import ServerConnection

from rt_tui.config import Auth, Profile, Provider
from rt_tui.mock.scenarios import Hooks
from rt_tui.mock.server import MockServer
from rt_tui.realtime.connection import Connection
from rt_tui.realtime.endpoints import Endpoint, resolve
from rt_tui.realtime.entra import ENTRA_SCOPE
from rt_tui.realtime.errors import CannotConnect, HostNotFound, ProxyFailed, TlsFailed
from rt_tui.realtime.frames import Frame
from rt_tui.realtime.recorder import SessionRecorder
from rt_tui.realtime.session_events import ErrorEvent

KEY = "0123456789abcdef0123456789abcdef"
#: Entra tokens are JWTs: nothing about them looks like an API key.
TOKENS = ("eyJ0eXAiOiJKV1QifirstTokenAAAA.body.sig", "eyJ0eXAiOiJKV1QisecondTokenBBB.body.sig")
GATEWAY_SECRET = "gw-credential-5150"
PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "ws_proxy", "wss_proxy")


class Token(NamedTuple):
    token: str
    expires_on: int


class FakeCredential:
    """azure-identity's credential interface, handing out `tokens` in turn."""

    def __init__(self, *tokens: Token) -> None:
        self.tokens = list(tokens)
        self.scopes: list[tuple[str, ...]] = []

    def get_token(self, *scopes: str) -> Token:
        self.scopes.append(scopes)
        return self.tokens.pop(0)


@pytest.fixture(autouse=True)
def no_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine's own proxy settings stay out of these tests."""
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


async def first_frames(endpoint: Endpoint, count: int, **options: object) -> list[Frame]:
    """The first `count` frames the server sends once a session opens."""
    frames: list[Frame] = []
    async with Connection(endpoint, **options) as conn:  # type: ignore[arg-type]
        async for frame in conn:
            frames.append(frame)
            if len(frames) == count:
                break
    return frames


def kind(frame: Frame) -> str | None:
    return frame.event.kind if frame.event is not None else None


def azure_entra(server: MockServer, **fields: object) -> Profile:
    return Profile(
        provider=Provider.AZURE,
        endpoint=f"http://127.0.0.1:{server.port}",
        auth=Auth.ENTRA,
        **fields,
    )


async def test_an_entra_token_signs_in_as_bearer_and_never_reaches_the_log(
    tmp_path: Path,
) -> None:
    credential = FakeCredential(Token(TOKENS[0], int(time.time()) + 3600))
    async with MockServer(require_key=True, hooks=Hooks(echo_handshake=True)) as server:
        endpoint = resolve(azure_entra(server), {}, credential=lambda: credential)
        assert "api-key" not in endpoint.headers
        log = tmp_path / "entra.jsonl"
        with SessionRecorder(log, endpoint=endpoint) as recorder:
            created, echo = await first_frames(endpoint, 2, recorder=recorder)
    seen = server.handshakes[0]
    assert (seen.auth, seen.key) == ("bearer", TOKENS[0])
    assert credential.scopes == [(ENTRA_SCOPE,)]
    assert kind(created) == "session.created"
    # The server quoted the handshake, token and all: it is scrubbed from what is kept.
    assert isinstance(echo.event, ErrorEvent)
    assert TOKENS[0] in str(echo.data)
    assert TOKENS[0] not in str(echo.redacted)
    assert TOKENS[0] not in echo.event.error.message
    assert TOKENS[0] not in log.read_text()


async def test_each_socket_gets_a_token_that_is_still_valid() -> None:
    now = int(time.time())
    credential = FakeCredential(Token(TOKENS[0], now + 60), Token(TOKENS[1], now + 3600))
    made: list[FakeCredential] = []

    def make() -> FakeCredential:
        made.append(credential)
        return credential

    async with MockServer(require_key=True) as server:
        endpoint = resolve(azure_entra(server), {}, credential=make)
        for _ in range(3):  # a reconnect opens a new socket on the same endpoint
            await first_frames(endpoint, 1)
    # The first token expires within the refresh margin, so the next socket gets a new
    # one; the third reuses the second.
    assert [seen.key for seen in server.handshakes] == [TOKENS[0], TOKENS[1], TOKENS[1]]
    assert len(credential.scopes) == 2
    assert len(made) == 1


async def test_extra_headers_reach_the_server_and_credential_values_are_scrubbed() -> None:
    headers = {"X-Tenant": "blue-team", "X-Gateway-Token": GATEWAY_SECRET}
    async with MockServer(hooks=Hooks(echo_handshake=True)) as server:
        profile = Profile(endpoint=f"http://127.0.0.1:{server.port}/v1", headers=headers)
        endpoint = resolve(profile, {"OPENAI_API_KEY": KEY})
        _, echo = await first_frames(endpoint, 2)
    assert "x-tenant=blue-team" in str(echo.data)
    assert f"x-gateway-token={GATEWAY_SECRET}" in str(echo.data)
    assert "x-tenant=blue-team" in str(echo.redacted)
    assert GATEWAY_SECRET not in str(echo.redacted)


async def greet(ws: ServerConnection) -> None:
    await send_json(ws, session_created())
    await ws.wait_closed()


def wss_profile(port: int, **fields: object) -> Profile:
    url = f"wss://127.0.0.1:{port}/v1/realtime?model=m"
    return Profile(provider=Provider.URL, endpoint=url, **fields)


async def test_a_ca_bundle_is_trusted_instead_of_the_systems_certificates() -> None:
    async with scripted_server(greet, tls=self_signed_context()) as server:
        trusted = resolve(wss_profile(server.port, ca_bundle=TLS_DIR / "selfsigned.crt"), {})
        [created] = await first_frames(trusted, 1)
        assert kind(created) == "session.created"

        with pytest.raises(TlsFailed) as caught:
            await Connection(resolve(wss_profile(server.port), {})).open()
        assert caught.value.unverified

        not_pem = resolve(wss_profile(server.port, ca_bundle=TLS_DIR / "README.md"), {})
        with pytest.raises(CannotConnect) as refused:
            await Connection(not_pem).open()
        assert str(refused.value) == (
            f"The CA bundle {TLS_DIR / 'README.md'} cannot be used: it holds no PEM certificate."
        )


def behind_proxy(port: int, **fields: object) -> Profile:
    """A profile for a host that is not loopback (the proxy takes it to this machine)."""
    url = f"ws://realtime.test:{port}/v1/realtime?model=m"
    return Profile(provider=Provider.URL, endpoint=url, **fields)


async def test_a_profiles_proxy_carries_the_session() -> None:
    async with MockServer() as server, connect_proxy() as proxy:
        endpoint = resolve(behind_proxy(server.port, proxy=proxy.url), {})
        [created] = await first_frames(endpoint, 1)
        assert proxy.requests == [f"CONNECT realtime.test:{server.port} HTTP/1.1"]
    assert kind(created) == "session.created"


async def test_the_environments_proxy_is_used_unless_the_profile_says_direct(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with MockServer() as server, connect_proxy() as proxy:
        monkeypatch.setenv("http_proxy", proxy.url)
        await first_frames(resolve(behind_proxy(server.port), {}), 1)
        assert len(proxy.requests) == 1
        with pytest.raises(HostNotFound):
            await Connection(resolve(behind_proxy(server.port, proxy="direct"), {})).open()
    assert len(proxy.requests) == 1


async def test_loopback_never_goes_through_a_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    async with MockServer() as server, connect_proxy() as proxy:
        monkeypatch.setenv("http_proxy", proxy.url)
        url = f"ws://127.0.0.1:{server.port}/v1/realtime?model=m"
        for chosen in (None, proxy.url):
            profile = Profile(provider=Provider.URL, endpoint=url, proxy=chosen)
            await first_frames(resolve(profile, {}), 1)
    assert proxy.requests == []
    assert len(server.handshakes) == 2


async def test_a_refusing_proxy_is_named_with_its_answer_and_without_its_password() -> None:
    async with connect_proxy(refuse=407) as proxy:
        with_password = proxy.url.replace("http://", "http://me:pr0xy-secret-77@")
        endpoint = resolve(behind_proxy(443, proxy=with_password), {})
        with pytest.raises(ProxyFailed) as caught:
            await Connection(endpoint).open()
    assert caught.value.status == 407
    assert str(caught.value) == (
        f"The proxy http://me:***@127.0.0.1:{proxy.port} refused to open a tunnel to "
        "realtime.test:443: HTTP 407 Refused (it wants a user name and password in the "
        "proxy URL)."
    )
    assert any(line.startswith("Proxy-Authorization: Basic ") for line in proxy.headers)
    assert "pr0xy-secret-77" in endpoint.secret_values()


async def test_a_proxy_that_is_not_running_is_named() -> None:
    port = unused_port()
    endpoint = resolve(behind_proxy(443, proxy=f"http://127.0.0.1:{port}"), {})
    with pytest.raises(ProxyFailed) as caught:
        await Connection(endpoint).open()
    assert str(caught.value) == (
        f"Cannot connect to the proxy http://127.0.0.1:{port}: connection refused."
    )
