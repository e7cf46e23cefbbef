"""Each mock scenario, seen from the client side as the service would show it: the engine's
typed failure and its sentence, the close code, and the events (schema-checked) before it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from mock_client import TIMEOUT, check_server_event, open_client
from test_mock_pacing import SCENARIO_TESTS as pacing_scenario_tests
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from rt_tui.config import Config
from rt_tui.dialect import Dialect
from rt_tui.mock import MockServer
from rt_tui.mock.scenarios import choose, names
from rt_tui.realtime import client_events
from rt_tui.realtime.connection import (
    Connection,
    ConnectionDropped,
    HandshakeRejected,
    RealtimeError,
    ServerClosed,
)
from rt_tui.realtime.endpoints import endpoint_for_url
from rt_tui.realtime.frames import Frame
from rt_tui.realtime.response_events import ResponseEvent
from rt_tui.realtime.session_events import ErrorEvent
from rt_tui.targets import Target, TargetKind, resolve_target, target_endpoint

KEY = "sk-scenario-0123456789abcdef"
AZURE_KEY = "azure-scenario-key-0123456789"
QUERY_KEY = "query-scenario-key-0123456789"


def scenario_server(text: str) -> MockServer:
    return MockServer(delta_delay=0, seed="scenarios", hooks=choose(text).hooks)


@pytest.fixture
async def refusing() -> AsyncIterator[MockServer]:
    async with scenario_server("refused-key") as server:
        yield server


def ask(conn: Connection, text: str = "hello scenario") -> None:
    """One user message and a request for a text reply."""
    conn.send(client_events.user_message(text))
    conn.send(client_events.response_create(Dialect.GA, output_modality="text"))


async def until_end(conn: Connection) -> tuple[list[Frame], RealtimeError | None]:
    """Every frame until the socket ends, and how it ended (None for a normal close)."""
    frames: list[Frame] = []
    async with asyncio.timeout(TIMEOUT):
        try:
            async for frame in conn:
                check_server_event(json.loads(frame.data), Dialect.GA)
                frames.append(frame)
        except RealtimeError as error:
            return frames, error
    return frames, None


async def until(conn: Connection, wire_type: str = "response.done") -> list[Frame]:
    """Frames up to and including the first of `wire_type`."""
    frames: list[Frame] = []
    async with asyncio.timeout(TIMEOUT):
        async for frame in conn:
            check_server_event(json.loads(frame.data), Dialect.GA)
            frames.append(frame)
            if frame.wire_type == wire_type:
                return frames
    raise AssertionError(f"the session ended before {wire_type}")


def deltas(frames: list[Frame]) -> list[Frame]:
    return [f for f in frames if f.wire_type == "response.output_text.delta"]


def last_status(frames: list[Frame]) -> str | None:
    done = [f.event for f in frames if isinstance(f.event, ResponseEvent)]
    return done[-1].status if done else None


async def answered_in_full(server: MockServer) -> None:
    """A new session on `server` gets a whole answer."""
    async with Connection(endpoint_for_url(server.ga_url())) as conn:
        ask(conn)
        frames = await until(conn)
    assert last_status(frames) == "completed"
    assert len(deltas(frames)) > 10


# --- refusals -------------------------------------------------------------------------


async def test_refused_key_is_invalid_api_key_then_close_3000_every_time(
    refusing: MockServer,
) -> None:
    for key in (KEY, None):  # any key, and none
        conn = Connection(endpoint_for_url(refusing.ga_url(), key))
        await conn.open()
        frames, error = await until_end(conn)
        assert [f.wire_type for f in frames] == ["error"]
        event = frames[0].event
        assert isinstance(event, ErrorEvent)
        assert (event.error.code, event.error.type) == ("invalid_api_key", "invalid_request_error")
        assert isinstance(error, ServerClosed)
        assert str(error) == (
            "The server closed the session (3000 invalid_request_error.invalid_api_key): "
            "Incorrect API key provided."
        )
        assert conn.close_code == 3000
    assert refusing.sessions_served == 0


async def test_refused_key_on_an_azure_path_is_http_401(refusing: MockServer) -> None:
    with pytest.raises(HandshakeRejected) as caught:
        await Connection(endpoint_for_url(refusing.azure_ga_url("dep"), AZURE_KEY)).open()
    assert caught.value.status == 401
    assert caught.value.message.startswith("Access denied due to invalid subscription key")


OPENAI_401 = (
    "Incorrect API key provided. You can find your API key at "
    "https://platform.openai.com/account/api-keys."
)
AZURE_401 = (
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide "
    "a valid key for an active subscription and use a correct regional API endpoint for your "
    "resource."
)
OPENAI_429 = (
    "Rate limit reached for gpt-realtime on requests per min (RPM): Limit 1000, Used 1000, "
    "Requested 1. Please try again in 60s."
)
AZURE_429 = (
    "Requests to the Realtime API have exceeded the rate limit of your current pricing tier. "
    "Please retry after 60 seconds."
)


@pytest.mark.parametrize(
    ("scenario", "azure", "status", "code", "message"),
    [
        ("http-401", False, 401, "invalid_api_key", OPENAI_401),
        ("http-401", True, 401, "401", AZURE_401),
        (
            "http-404",
            False,
            404,
            "model_not_found",
            "The model `gpt-realtime` does not exist or you do not have access to it.",
        ),
        (
            "http-404",
            True,
            404,
            "DeploymentNotFound",
            "The API deployment for this resource does not exist.",
        ),
        ("http-429", False, 429, "rate_limit_exceeded", OPENAI_429),
        ("http-429", True, 429, "429", AZURE_429),
    ],
    ids=["401-openai", "401-azure", "404-openai", "404-azure", "429-openai", "429-azure"],
)
async def test_handshake_refusals_carry_the_services_status_and_body(
    scenario: str, azure: bool, status: int, code: str, message: str
) -> None:
    async with scenario_server(scenario) as server:
        url = server.azure_ga_url("gpt-realtime") if azure else server.ga_url()
        for _attempt in range(2):  # until the server is restarted
            with pytest.raises(HandshakeRejected) as caught:
                await Connection(endpoint_for_url(url, KEY)).open()
            assert caught.value.status == status
            assert str(caught.value) == (
                f"The server 127.0.0.1:{server.port} refused the connection (HTTP {status}): "
                f"{message}"
            )
        with pytest.raises(InvalidStatus) as raw:
            async with connect(url, open_timeout=TIMEOUT):
                pass
        response = raw.value.response
        assert response.headers["Content-Type"] == "application/json"
        assert json.loads(response.body)["error"]["code"] == code
        assert response.headers.get("Retry-After") == ("60" if status == 429 else None)
        assert server.sessions_served == 0


# --- faults mid-answer ----------------------------------------------------------------


async def test_drop_mid_answer_closes_1012_once_then_serves() -> None:
    async with scenario_server("drop-mid-answer") as server:
        async with Connection(endpoint_for_url(server.ga_url())) as conn:
            ask(conn)
            frames, error = await until_end(conn)
        assert len(deltas(frames)) == 3
        assert frames[-1].wire_type == "response.output_text.delta"
        assert last_status(frames) == "in_progress"  # response.created only: no done
        assert isinstance(error, ServerClosed)
        assert str(error) == "The server closed the session (1012 service restart)."
        assert conn.close_code == 1012
        await answered_in_full(server)


async def test_reset_mid_answer_sends_no_close_frame_once_then_serves() -> None:
    async with scenario_server("reset-mid-answer") as server:
        async with Connection(endpoint_for_url(server.ga_url())) as conn:
            ask(conn)
            frames, error = await until_end(conn)
        assert len(deltas(frames)) == 3
        assert isinstance(error, ConnectionDropped)
        assert str(error) == (
            f"The connection to 127.0.0.1:{server.port} dropped without a close frame (1006)."
        )
        assert conn.close_code == 1006
        await answered_in_full(server)


async def test_server_error_is_an_error_event_then_close_1011_once_then_serves() -> None:
    async with scenario_server("server-error") as server:
        async with Connection(endpoint_for_url(server.ga_url())) as conn:
            ask(conn)
            frames, error = await until_end(conn)
        assert len(deltas(frames)) == 3
        event = frames[-1].event
        assert isinstance(event, ErrorEvent)
        assert (event.error.type, event.error.code) == ("server_error", "server_error")
        assert isinstance(error, ServerClosed)
        assert str(error) == (
            "The server closed the session (1011 server_error.server_error): "
            "The server had an error while processing your request."
        )
        assert conn.close_code == 1011
        await answered_in_full(server)


@pytest.mark.parametrize("after", [0, 1, 5])
async def test_a_drop_comes_after_the_deltas_asked_for(after: int) -> None:
    async with (
        scenario_server(f"drop-mid-answer:{after}") as server,
        Connection(endpoint_for_url(server.ga_url())) as conn,
    ):
        ask(conn)
        frames, error = await until_end(conn)
    assert len(deltas(frames)) == after
    assert frames[-1].wire_type == (
        "response.created" if after == 0 else "response.output_text.delta"
    )
    assert isinstance(error, ServerClosed)


# --- limits and pace ------------------------------------------------------------------


async def test_session_limit_expires_every_session_after_n_seconds() -> None:
    message = "Your session hit the maximum duration of 0.1 seconds."
    async with scenario_server("session-limit:0.1") as server:
        for _session in range(2):
            conn = Connection(endpoint_for_url(server.ga_url()))
            await conn.open()
            frames, error = await until_end(conn)
            assert [f.wire_type for f in frames] == ["session.created", "error"]
            event = frames[-1].event
            assert isinstance(event, ErrorEvent)
            assert (event.error.code, event.error.message) == ("session_expired", message)
            assert isinstance(error, ServerClosed)
            assert str(error) == f"The server closed the session (1001 {message}): {message}"
            assert conn.close_code == 1001


async def test_slow_stream_trickles_deltas() -> None:
    # A minute between deltas: the answer cannot be out before the cancel that follows the
    # first delta, whatever the machine's speed.
    async with scenario_server("slow-stream:60000") as server:
        assert server.options.delta_delay == 60
        async with Connection(endpoint_for_url(server.ga_url())) as conn:
            ask(conn)
            frames = await until(conn, "response.output_text.delta")
            conn.send(client_events.response_cancel())
            frames += await until(conn)
    assert len(deltas(frames)) == 1
    assert last_status(frames) == "cancelled"


async def test_rate_limit_counts_down_then_refuses_response_create_on_every_session() -> None:
    async with scenario_server("rate-limit:2") as server:
        async with open_client(server.ga_url()) as client:
            remaining: list[int] = []
            for _turn in range(2):
                await client.send({"type": "response.create"})
                limits = (await client.until("rate_limits.updated"))[-1]["rate_limits"]
                requests = next(r for r in limits if r["name"] == "requests")
                assert requests["limit"] == 2
                remaining.append(requests["remaining"])
            assert remaining == [1, 0]
        async with Connection(
            endpoint_for_url(server.ga_url())
        ) as conn:  # not reset by a new session
            conn.send({**client_events.response_create(Dialect.GA), "event_id": "evt_over"})
            conn.send(client_events.user_message("still here?"))
            frames = await until(conn, "conversation.item.added")
    errors = [f.event for f in frames if isinstance(f.event, ErrorEvent)]
    assert len(errors) == 1
    error = errors[0].error
    assert (error.code, error.type, error.event_id) == (
        "rate_limit_exceeded",
        "requests",
        "evt_over",
    )
    assert error.message == (
        "Rate limit reached for gpt-realtime on requests per min (RPM): Limit 2, Used 2, "
        "Requested 1. Please try again in 60s."
    )
    assert not any(f.wire_type == "response.created" for f in frames)


# --- the echo -------------------------------------------------------------------------


async def test_echo_handshake_quotes_url_and_key_headers_exactly_then_serves() -> None:
    async with scenario_server("echo-handshake") as server:
        url = f"{server.azure_ga_url('gpt-realtime')}&api-key={QUERY_KEY}"
        headers = {"Authorization": f"Bearer {KEY}", "api-key": AZURE_KEY}
        async with open_client(url, headers=headers) as client:
            echo = await client.recv()
            assert echo["type"] == "error"
            message = echo["error"]["message"]
            assert message.startswith(f"Echo of your handshake: GET {url} with headers ")
            assert f"authorization=Bearer {KEY}" in message
            assert f"api-key={AZURE_KEY}" in message
            await client.send({"type": "response.create"})
            done = (await client.until("response.done"))[-1]
            assert done["response"]["status"] == "completed"
        async with Connection(endpoint_for_url(url, AZURE_KEY)) as conn:
            ask(conn)
            frames = await until(conn)
    assert [f.wire_type for f in frames[:2]] == ["session.created", "error"]
    event = frames[1].event
    assert isinstance(event, ErrorEvent)
    assert event.error.code == "handshake_echo"
    assert last_status(frames) == "completed"


# --- the demo target ------------------------------------------------------------------


async def test_the_demo_target_runs_the_scenario_it_is_given() -> None:
    target = resolve_target(
        Config(), {}, profile=None, url=None, demo=True, scenario=choose("refused-key")
    )
    assert (target.kind, target.description) == (
        TargetKind.DEMO,
        "demo (mock server, scenario refused-key)",
    )
    async with target_endpoint(target) as endpoint:
        assert endpoint.url.startswith("ws://127.0.0.1:")
        conn = Connection(endpoint)
        await conn.open()
        _frames, error = await until_end(conn)
    assert isinstance(error, ServerClosed)
    assert error.code == 3000


def test_the_scenario_applies_to_the_demo_only() -> None:
    scenario = choose("refused-key")
    url = "ws://127.0.0.1:9/v1/realtime"
    target = resolve_target(Config(), {}, profile=None, url=url, demo=False, scenario=scenario)
    assert target.ok
    assert target.scenario is None
    assert resolve_target(Config(), {}, profile=None, url=None, demo=True) == Target(
        TargetKind.DEMO
    )


TESTS_OF_EACH_SCENARIO = {
    "refused-key": test_refused_key_is_invalid_api_key_then_close_3000_every_time,
    "http-401": test_handshake_refusals_carry_the_services_status_and_body,
    "http-404": test_handshake_refusals_carry_the_services_status_and_body,
    "http-429": test_handshake_refusals_carry_the_services_status_and_body,
    "drop-mid-answer": test_drop_mid_answer_closes_1012_once_then_serves,
    "reset-mid-answer": test_reset_mid_answer_sends_no_close_frame_once_then_serves,
    "server-error": test_server_error_is_an_error_event_then_close_1011_once_then_serves,
    "session-limit": test_session_limit_expires_every_session_after_n_seconds,
    "slow-stream": test_slow_stream_trickles_deltas,
    "rate-limit": test_rate_limit_counts_down_then_refuses_response_create_on_every_session,
    "echo-handshake": test_echo_handshake_quotes_url_and_key_headers_exactly_then_serves,
}


def test_every_scenario_has_a_test_here_or_with_the_pacing() -> None:
    assert sorted(TESTS_OF_EACH_SCENARIO | pacing_scenario_tests) == sorted(names())
