"""Keys stay where the user sent them: redirects to another origin are refused, on real
loopback servers."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

import pytest
from scripted_server import error_event, header, scripted_server, send_json, session_created
from websockets.asyncio.server import ServerConnection, serve
from websockets.http11 import Request, Response

from rt_tui.realtime.connection import (
    CannotConnect,
    Connection,
    HandshakeRejected,
    RedirectRefused,
)
from rt_tui.realtime.endpoints import Endpoint, endpoint_for_url
from rt_tui.realtime.session_events import ErrorEvent

SECRET = "0123456789abcdef0123456789abcdef"  # Azure keys are 32 hex digits: not key-shaped


@contextlib.asynccontextmanager
async def redirecting_server(location: str, requests: list[Request]) -> AsyncIterator[int]:
    """A loopback server that answers every upgrade with 302 to `location` (`{port}` in it
    becomes the server's own port); yields that port."""
    port = 0

    def process_request(connection: ServerConnection, request: Request) -> Response:
        requests.append(request)
        response = connection.respond(302, "")
        response.headers["Location"] = location.replace("{port}", str(port))
        return response

    async def never(_ws: ServerConnection) -> None:  # pragma: no cover - upgrade never happens
        return

    async with serve(never, "127.0.0.1", 0, process_request=process_request) as server:
        port = server.sockets[0].getsockname()[1]
        yield port


async def open_refused(endpoint: Endpoint) -> CannotConnect:
    """The RedirectRefused that opening `endpoint` raises."""
    with pytest.raises(RedirectRefused) as caught:
        await Connection(endpoint).open()
    return caught.value


async def greet(ws: ServerConnection) -> None:
    await send_json(ws, session_created())
    await ws.wait_closed()


async def test_redirect_to_another_port_is_refused_and_the_key_stays_home() -> None:
    first: list[Request] = []
    async with scripted_server(greet) as elsewhere:
        location = f"{elsewhere.url}&api-key=leaked-secret"
        async with redirecting_server(location, first) as port:
            endpoint = endpoint_for_url(
                f"ws://127.0.0.1:{port}/openai/v1/realtime?model=m", api_key=SECRET
            )
            error = await open_refused(endpoint)
    assert first[0].headers["api-key"] == SECRET
    assert elsewhere.requests == []
    assert str(error) == (
        f"The server redirected to another host (ws://127.0.0.1:{elsewhere.port}"
        "/v1/realtime?model=test-model&api-key=***); rt-tui does not follow it so the key "
        "is not sent elsewhere."
    )
    assert error.__cause__ is None
    assert error.__suppress_context__


async def test_redirect_to_another_scheme_on_the_same_port_is_refused() -> None:
    async with redirecting_server("wss://127.0.0.1:{port}/v1/realtime", []) as port:
        endpoint = endpoint_for_url(f"ws://127.0.0.1:{port}/v1/realtime", api_key=SECRET)
        error = await open_refused(endpoint)
    assert f"(wss://127.0.0.1:{port}/v1/realtime)" in str(error)


async def test_redirect_to_an_unparsable_location_is_refused_in_one_sentence() -> None:
    async with redirecting_server("ftp://127.0.0.1/x", []) as port:
        error = await open_refused(endpoint_for_url(f"ws://127.0.0.1:{port}/v1/realtime"))
    assert str(error).startswith("The server redirected to another host (ftp://127.0.0.1/x);")


async def test_redirect_within_the_same_server_is_followed() -> None:
    async with scripted_server(greet) as server:
        seen: list[Request] = []

        def process_request(connection: ServerConnection, request: Request) -> Response | None:
            seen.append(request)
            if request.path.startswith("/old"):
                response = connection.respond(307, "")
                response.headers["Location"] = "/v1/realtime?model=m"
                return response
            return None

        async with serve(greet, "127.0.0.1", 0, process_request=process_request) as moved:
            port = moved.sockets[0].getsockname()[1]
            endpoint = endpoint_for_url(f"ws://127.0.0.1:{port}/old/realtime", api_key=SECRET)
            async with Connection(endpoint) as conn:
                frame = await anext(aiter(conn))
    assert frame.wire_type == "session.created"
    assert [request.path for request in seen] == ["/old/realtime", "/v1/realtime?model=m"]
    assert seen[1].headers["Authorization"] == f"Bearer {SECRET}"
    assert server.requests == []


async def test_a_401_after_a_withheld_key_says_why_no_key_was_sent() -> None:
    body = '{"error": {"message": "Missing bearer or basic authentication in header."}}'
    async with scripted_server(greet, reject=(401, body)) as server:
        # A loopback server stands in for a LAN host: the endpoint says the key was withheld.
        endpoint = Endpoint(server.url, {}, key_withheld=True)
        with pytest.raises(HandshakeRejected) as caught:
            await Connection(endpoint).open()
    assert str(caught.value) == (
        f"The server 127.0.0.1:{server.port} refused the connection (HTTP 401): Missing bearer "
        "or basic authentication in header (rt-tui sent no key: it never sends one over "
        "unencrypted ws:// to another host)."
    )


async def test_an_unusable_proxy_setting_is_one_sentence_without_its_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("https_proxy", "ftp://me:pr0xy-pass@proxy.example:8080")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    endpoint = endpoint_for_url("wss://realtime.example/v1/realtime", SECRET)
    with pytest.raises(CannotConnect) as caught:
        await Connection(endpoint).open()
    assert str(caught.value) == (
        "Cannot connect to realtime.example: the proxy setting "
        "ftp://me:***@proxy.example:8080 is not usable (scheme ftp isn't supported)."
    )


async def test_debug_logging_never_shows_the_key(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    async with scripted_server(greet) as server:
        endpoint = endpoint_for_url(server.url.replace("/v1/", "/openai/v1/"), api_key=SECRET)
        async with Connection(endpoint) as conn:
            frame = await anext(aiter(conn))
    assert frame.wire_type == "session.created"
    assert header(server.requests[0], "api-key") == SECRET
    # The loopback test server logs what it received; only the client side matters here.
    client = [r for r in caplog.records if not r.name.startswith("websockets.server")]
    assert not [r for r in client if SECRET in r.getMessage()]
    assert not [r for r in client if r.name.startswith(("websockets", "rt_tui"))]


async def test_what_a_server_echoes_is_parsed_without_the_secrets() -> None:
    """An echo of the key and of the URL's `api-key=` reaches no field of the parsed event
    (which the conversation, `send` and every error sentence read), nor the close reason."""
    url_key = "url%2Bkey0123456789"

    async def echo(ws: ServerConnection) -> None:
        assert ws.request is not None
        said = f"{ws.request.path} api-key={ws.request.headers['api-key']}"
        await send_json(ws, error_event("echo", said, param=ws.request.path))
        await ws.close(1000, f"bye {SECRET}")

    async with scripted_server(echo) as server:
        url = f"{server.base_url}/openai/v1/realtime?model=m&api-key={url_key}"
        async with Connection(endpoint_for_url(url, api_key=SECRET)) as conn:
            frame = await anext(aiter(conn))
            await conn.wait_closed()
    assert isinstance(frame.event, ErrorEvent)
    shown = f"{frame.event.error.one_line()} {frame.event.raw} {conn.close_reason}"
    for secret in (SECRET, url_key, "url+key0123456789"):
        assert secret not in shown
    assert frame.event.error.message == "/openai/v1/realtime?model=m&api-key=*** api-key=***"
    assert conn.close_reason == "bye ***"
