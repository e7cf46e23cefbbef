"""The mock server's front door: paths, dialects, keys, refusals, shutdown and session limits."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from mock_client import beta_headers, check_server_event, open_client
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from rt_tui.dialect import Dialect
from rt_tui.mock import MockServer, serve

BAD_KEY = "sk-mock-bad-0123456789"
GOOD_KEY = "sk-mock-good-0123456789"


@pytest.fixture
async def server() -> AsyncIterator[MockServer]:
    async with MockServer(delta_delay=0, seed=7, reject_keys={BAD_KEY}) as mock:
        yield mock


async def _refusal(url: str, **kwargs: object) -> tuple[int, dict[str, object]]:
    with pytest.raises(InvalidStatus) as info:
        async with connect(url, open_timeout=5, **kwargs):  # type: ignore[arg-type]
            pass
    response = info.value.response
    assert response.headers["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.body)


def test_urls_follow_the_service_shapes() -> None:
    mock = MockServer()
    with pytest.raises(RuntimeError, match="not running"):
        _ = mock.port


async def test_url_builders(server: MockServer) -> None:
    assert server.base_url == f"ws://127.0.0.1:{server.port}"
    assert server.ga_url() == f"{server.base_url}/v1/realtime?model=gpt-realtime"
    assert server.azure_ga_url("dep1") == f"{server.base_url}/openai/v1/realtime?model=dep1"
    assert server.azure_preview_url("dep1") == (
        f"{server.base_url}/openai/realtime?api-version=2025-04-01-preview&deployment=dep1"
    )


@pytest.mark.parametrize(
    ("kind", "headers", "dialect"),
    [
        ("openai", None, Dialect.GA),
        ("azure_ga", None, Dialect.GA),
        ("azure_preview", None, Dialect.BETA),
        ("openai", beta_headers(), Dialect.BETA),
        ("azure_ga", beta_headers(), Dialect.BETA),
    ],
)
async def test_path_and_header_choose_the_dialect(
    server: MockServer, kind: str, headers: dict[str, str] | None, dialect: Dialect
) -> None:
    model = "gpt-realtime-mini" if dialect is Dialect.GA else "gpt-4o-realtime-preview"
    url = {
        "openai": server.ga_url(model),
        "azure_ga": server.azure_ga_url(model),
        "azure_preview": server.azure_preview_url(model),
    }[kind]
    async with open_client(url, headers=headers, skip_greeting=False, dialect=dialect) as client:
        created = await client.recv()
        assert created["type"] == "session.created"
        session = created["session"]
        assert session["model"] == model
        assert session["id"].startswith("sess_")
        if dialect is Dialect.GA:
            assert session["type"] == "realtime"
            assert session["audio"]["output"]["format"] == {"type": "audio/pcm", "rate": 24000}
            assert "modalities" not in session
        else:
            assert session["modalities"] == ["text", "audio"]
            assert session["turn_detection"]["type"] == "server_vad"
            conversation = await client.recv()
            assert conversation["type"] == "conversation.created"
            assert conversation["conversation"]["object"] == "realtime.conversation"
    assert server.handshakes[-1].dialect is dialect


async def test_beta_reports_a_beta_model_for_any_deployment(server: MockServer) -> None:
    async with open_client(server.azure_preview_url("my-deployment"), skip_greeting=False) as c:
        created = await c.recv()
        check_server_event(created, Dialect.BETA)
        assert created["session"]["model"].startswith("gpt-4o-realtime-preview")


async def test_unknown_path_is_a_404_with_the_service_error_body(server: MockServer) -> None:
    status, body = await _refusal(f"{server.base_url}/v2/realtime?model=x")
    assert status == 404
    assert body["error"]["message"] == "Invalid URL (GET /v2/realtime)"  # type: ignore[index]
    assert body["error"]["type"] == "invalid_request_error"  # type: ignore[index]
    assert server.handshakes[-1].dialect is None


async def test_azure_preview_needs_api_version_and_deployment(server: MockServer) -> None:
    status, _ = await _refusal(f"{server.base_url}/openai/realtime?deployment=d")
    assert status == 404
    status, body = await _refusal(
        f"{server.base_url}/openai/realtime?api-version=2025-04-01-preview"
    )
    assert status == 404
    assert body["error"]["code"] == "DeploymentNotFound"  # type: ignore[index]


async def test_azure_ga_refuses_an_api_version(server: MockServer) -> None:
    status, body = await _refusal(server.azure_ga_url("d") + "&api-version=2025-04-01-preview")
    assert status == 401
    assert "api-version" in body["error"]["message"]  # type: ignore[index]


async def test_bad_key_at_openai_path_gets_error_then_close_3000(server: MockServer) -> None:
    headers = {"Authorization": f"Bearer {BAD_KEY}"}
    async with open_client(
        server.ga_url(), headers=headers, skip_greeting=False, dialect=Dialect.GA
    ) as client:
        error = await client.recv()
        assert error["type"] == "error"
        assert error["error"]["code"] == "invalid_api_key"
        assert BAD_KEY not in json.dumps(error)
        with pytest.raises(ConnectionClosed):
            await client.recv()
        assert client.ws.close_code == 3000
        assert client.ws.close_reason == "invalid_request_error.invalid_api_key"
    assert server.sessions_served == 0


@pytest.mark.parametrize(
    ("where", "expected_auth"),
    [("header", "api-key-header"), ("query", "api-key-query"), ("bearer", "bearer")],
)
async def test_bad_key_at_azure_paths_is_a_401(
    server: MockServer, where: str, expected_auth: str
) -> None:
    url = server.azure_preview_url("d")
    kwargs: dict[str, object] = {}
    if where == "header":
        kwargs["additional_headers"] = {"api-key": BAD_KEY}
    elif where == "bearer":
        kwargs["additional_headers"] = {"Authorization": f"Bearer {BAD_KEY}"}
        url = server.azure_ga_url("d")
    else:
        url += f"&api-key={BAD_KEY}"
    status, body = await _refusal(url, **kwargs)
    assert status == 401
    assert body["error"]["code"] == "401"  # type: ignore[index]
    record = server.handshakes[-1]
    assert record.auth == expected_auth
    assert record.key == BAD_KEY
    assert BAD_KEY not in repr(record)
    assert BAD_KEY not in record.path


async def test_good_keys_are_recorded_but_never_shown(server: MockServer) -> None:
    async with open_client(
        server.ga_url(), subprotocols=["realtime", f"openai-insecure-api-key.{GOOD_KEY}"]
    ) as client:
        assert client.ws.subprotocol == "realtime"
    record = server.handshakes[-1]
    assert (record.auth, record.key, record.dialect) == ("subprotocol", GOOD_KEY, Dialect.GA)
    assert GOOD_KEY not in repr(record)


async def test_require_key_refuses_a_missing_key() -> None:
    async with MockServer(require_key=True, delta_delay=0) as mock:
        status, _ = await _refusal(mock.azure_ga_url("d"))
        assert status == 401
        async with open_client(mock.ga_url(), skip_greeting=False, dialect=Dialect.GA) as client:
            assert (await client.recv())["error"]["code"] == "invalid_api_key"
        async with open_client(mock.ga_url(), headers={"api-key": GOOD_KEY}) as client:
            assert client.dialect is Dialect.GA


async def test_missing_model_is_fatal_with_close_4000(server: MockServer) -> None:
    async with open_client(
        f"{server.base_url}/v1/realtime", skip_greeting=False, dialect=Dialect.GA
    ) as client:
        error = await client.recv()
        assert error["error"]["code"] == "missing_model"
        with pytest.raises(ConnectionClosed):
            await client.recv()
        assert client.ws.close_code == 4000
        assert client.ws.close_reason == "invalid_request_error.missing_model"


async def test_beta_header_can_be_refused_as_openai_does_now() -> None:
    async with MockServer(openai_beta_disabled=True, delta_delay=0) as mock:
        async with open_client(
            mock.ga_url(), headers=beta_headers(), skip_greeting=False, dialect=Dialect.BETA
        ) as client:
            error = await client.recv()
            assert error["error"]["code"] == "beta_api_shape_disabled"
            await client.until_closed()
            assert client.ws.close_code == 4000
            assert client.ws.close_reason == "invalid_request_error.beta_api_shape_disabled"
        # Azure preview still speaks beta.
        async with open_client(mock.azure_preview_url("d")) as client:
            assert client.dialect is Dialect.BETA


async def test_stop_closes_every_session_and_leaves_no_task() -> None:
    mock = MockServer(delta_delay=0.5)
    await mock.start()
    async with open_client(mock.ga_url()) as first, open_client(mock.ga_url()) as second:
        await first.send({"type": "response.create"})
        await first.until("response.created")
        await mock.stop()
        for client in (first, second):
            await client.until_closed()
            assert client.ws.close_code == 1001
    current = asyncio.current_task()
    assert [t for t in asyncio.all_tasks() if t is not current] == []
    await mock.stop()  # a second stop is harmless


async def test_close_and_drop_sessions_for_client_tests(server: MockServer) -> None:
    async with open_client(server.ga_url()) as client:
        await server.close_sessions(4001, "mock says bye")
        assert await client.until_closed() == []
        assert (client.ws.close_code, client.ws.close_reason) == (4001, "mock says bye")
    async with open_client(server.ga_url()) as client:
        server.drop_sessions()
        await client.until_closed()
        assert client.ws.close_code == 1006  # no close frame: an abnormal closure
    async with open_client(server.ga_url()) as client:  # the server itself carries on
        assert client.dialect is Dialect.GA


async def test_session_limit_expires_the_session() -> None:
    async with (
        MockServer(delta_delay=0, max_session_s=0.05) as mock,
        open_client(mock.ga_url()) as client,
    ):
        error = await client.recv()
        assert error["error"]["code"] == "session_expired"
        with pytest.raises(ConnectionClosed):
            await client.recv()
        assert client.ws.close_code == 1001
        assert "maximum duration" in (client.ws.close_reason or "")


async def test_serve_runs_until_cancelled() -> None:
    ready: asyncio.Queue[MockServer] = asyncio.Queue()
    task = asyncio.create_task(serve(delta_delay=0, on_ready=ready.put_nowait))
    mock = await asyncio.wait_for(ready.get(), 5)
    async with open_client(mock.ga_url()) as client:
        assert client.dialect is Dialect.GA
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_same_seed_gives_the_same_ids() -> None:
    sessions = []
    for _ in range(2):
        async with (
            MockServer(delta_delay=0, seed="repeat") as mock,
            open_client(mock.ga_url(), skip_greeting=False, dialect=Dialect.GA) as client,
        ):
            created = await client.recv()
            check_server_event(created, Dialect.GA)
            sessions.append((created["event_id"], created["session"]["id"]))
    assert sessions[0] == sessions[1]
