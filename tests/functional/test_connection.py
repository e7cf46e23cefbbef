"""Connection against small scripted WebSocket servers on loopback: the normal exchange and
every kind of failure, each with its one-sentence message."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable

import pytest
from scripted_server import (
    error_event,
    header,
    recv_json,
    scripted_server,
    self_signed_context,
    send_json,
    session_created,
    silent_tcp_server,
    unused_port,
)
from websockets.asyncio.server import ServerConnection

from rt_tui.realtime.connection import (
    MAX_OBSERVER_ERRORS,
    CannotConnect,
    Connection,
    ConnectionDropped,
    ConnectTimeout,
    HandshakeRejected,
    NotConnected,
    RealtimeError,
    ServerClosed,
)
from rt_tui.realtime.endpoints import endpoint_for_url
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.response_events import DeltaEvent, ResponseEvent
from rt_tui.realtime.session_events import SessionEvent

SECRET = "sk-test-ThisIsTheSecretKey123456"


def collect() -> tuple[list[Frame], Callable[[Frame], None]]:
    frames: list[Frame] = []
    return frames, frames.append


async def drain(conn: Connection) -> list[Frame]:
    async with asyncio.timeout(5):
        return [frame async for frame in conn]


async def test_normal_exchange_reaches_observers_in_order() -> None:
    async def script(ws: ServerConnection) -> None:
        await send_json(ws, session_created())
        user = await recv_json(ws)
        create = await recv_json(ws)
        assert user["type"] == "conversation.item.create"
        assert create["type"] == "response.create"
        await send_json(ws, {"type": "response.created", "response": {"id": "resp_1"}})
        for word in ("Hello", " there"):
            await send_json(
                ws,
                {
                    "type": "response.output_text.delta",
                    "response_id": "resp_1",
                    "item_id": "item_1",
                    "output_index": 0,
                    "content_index": 0,
                    "delta": word,
                },
            )
        await send_json(ws, {"type": "response.done", "response": {"id": "resp_1"}})
        await ws.wait_closed()

    ids = (f"evt_{n}" for n in itertools.count(1))
    observed: list[Frame] = []
    async with scripted_server(script) as server:
        endpoint = endpoint_for_url(server.url, api_key=SECRET)
        async with Connection(
            endpoint, observers=[observed.append], id_factory=lambda: next(ids)
        ) as conn:
            received: list[Frame] = []
            async with asyncio.timeout(5):
                async for frame in conn:
                    received.append(frame)
                    if isinstance(frame.event, SessionEvent):
                        conn.send({"type": "conversation.item.create", "item": {"type": "message"}})
                        conn.send({"type": "response.create", "event_id": "mine"})
                    if isinstance(frame.event, ResponseEvent) and frame.wire_type.endswith("done"):
                        break
        assert conn.close_code == 1000
        assert conn.error is None

    assert header(server.requests[0], "Authorization") == f"Bearer {SECRET}"
    assert [f.wire_type for f in received] == [
        "session.created",
        "response.created",
        "response.output_text.delta",
        "response.output_text.delta",
        "response.done",
    ]
    deltas = [f.event.delta for f in received if isinstance(f.event, DeltaEvent)]
    assert "".join(deltas) == "Hello there"
    # Observers see both directions, the sends between session.created and response.created.
    assert [(f.direction, f.wire_type) for f in observed] == [
        (Direction.RECEIVED, "session.created"),
        (Direction.SENT, "conversation.item.create"),
        (Direction.SENT, "response.create"),
        *[(Direction.RECEIVED, f.wire_type) for f in received[1:]],
    ]
    sent = [f for f in observed if f.direction is Direction.SENT]
    assert [json.loads(f.data)["event_id"] for f in sent] == ["evt_1", "mine"]
    assert sent[0].client_event is not None
    assert sent[0].client_event["event_id"] == "evt_1"
    times = [f.t_ms for f in observed]
    assert times == sorted(times)
    assert times[0] >= 0


async def test_every_frame_is_redacted_once_for_all_observers() -> None:
    # An Azure key is not key-shaped: only the endpoint's own list finds it.
    azure_key = "0123456789abcdef0123456789abcdef"

    async def script(ws: ServerConnection) -> None:
        await send_json(ws, session_created())
        await send_json(ws, {"type": "error", "error": {"message": f"bad key {azure_key}"}})
        await ws.wait_closed()

    async with scripted_server(script) as server:
        url = f"{server.base_url}/openai/v1/realtime?model=dep"
        endpoint = endpoint_for_url(url, api_key=azure_key)
        frames, observe = collect()
        async with Connection(endpoint, observers=[observe]) as conn:
            conn.send({"type": "response.create", "note": f"mine {azure_key}"})
            async with asyncio.timeout(5):
                async for frame in conn:
                    if frame.wire_type == "error":
                        break
    by_type = {frame.wire_type: frame for frame in frames}
    session, sent, error = (by_type[t] for t in ("session.created", "response.create", "error"))
    assert session.redacted is session.data  # nothing to hide: shared, not copied
    assert isinstance(sent.redacted, str)
    assert isinstance(error.redacted, str)
    assert azure_key in sent.data
    assert azure_key not in sent.redacted
    assert json.loads(error.redacted)["error"]["message"] == "bad key ***"


async def test_send_after_close_is_refused_in_one_sentence() -> None:
    async def script(ws: ServerConnection) -> None:
        await ws.wait_closed()

    async with scripted_server(script) as server:
        conn = Connection(endpoint_for_url(server.url))
        with pytest.raises(NotConnected):
            conn.send({"type": "response.create"})
        await conn.open()
        await conn.close()
    with pytest.raises(NotConnected, match=r"^The connection is not open\.$"):
        conn.send({"type": "response.create"})


async def test_queued_events_are_sent_before_close() -> None:
    got: list[dict[str, object]] = []
    done = asyncio.Event()

    async def script(ws: ServerConnection) -> None:
        async for message in ws:
            got.append(json.loads(message))
        done.set()

    async with scripted_server(script) as server:
        async with Connection(endpoint_for_url(server.url)) as conn:
            for n in range(20):
                conn.send({"type": "input_audio_buffer.append", "audio": str(n)})
        async with asyncio.timeout(5):
            await done.wait()
    assert [event["audio"] for event in got] == [str(n) for n in range(20)]


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (
            401,
            json.dumps({"error": {"code": "401", "message": "Access denied due to invalid key."}}),
            "refused the connection (HTTP 401): Access denied due to invalid key.",
        ),
        (
            404,
            json.dumps(
                {
                    "error": {
                        "code": "DeploymentNotFound",
                        "message": "The API deployment for this resource does not exist",
                    }
                }
            ),
            "(HTTP 404): The API deployment for this resource does not exist.",
        ),
        (429, "Too many requests, slow down", "(HTTP 429): Too many requests, slow down."),
        (403, "", "refused the connection (HTTP 403)."),
    ],
)
async def test_handshake_refused_reports_status_and_server_message(
    status: int, body: str, expected: str
) -> None:
    async def script(ws: ServerConnection) -> None:  # pragma: no cover - never reached
        await ws.close()

    async with scripted_server(script, reject=(status, body)) as server:
        conn = Connection(endpoint_for_url(server.url, api_key=SECRET))
        with pytest.raises(HandshakeRejected) as caught:
            await conn.open()
    error = caught.value
    assert error.status == status
    assert str(error).startswith(f"The server 127.0.0.1:{server.port} refused")
    assert str(error).endswith(expected)


async def test_handshake_message_never_carries_the_key() -> None:
    body = json.dumps({"error": {"message": f"Incorrect API key provided: {SECRET}."}})

    async def script(ws: ServerConnection) -> None:  # pragma: no cover - never reached
        await ws.close()

    async with scripted_server(script, reject=(401, body)) as server:
        endpoint = endpoint_for_url(server.url, api_key=SECRET)
        with pytest.raises(HandshakeRejected) as caught:
            await Connection(endpoint).open()
    assert SECRET not in str(caught.value)
    assert SECRET not in repr(caught.value)
    assert SECRET not in repr(endpoint)
    assert "Incorrect API key provided: ***." in str(caught.value)


@pytest.mark.parametrize(
    ("code", "reason", "error_code", "message"),
    [
        (
            3000,
            "invalid_request_error.invalid_api_key",
            "invalid_api_key",
            "Incorrect API key provided.",
        ),
        (
            4000,
            "invalid_request_error.invalid_model",
            "invalid_model",
            "Model 'nope' is not supported in realtime mode.",
        ),
    ],
)
async def test_error_event_then_close_explains_the_close(
    code: int, reason: str, error_code: str, message: str
) -> None:
    async def script(ws: ServerConnection) -> None:
        await send_json(ws, error_event(error_code, message))
        await ws.close(code, reason)

    async with (
        scripted_server(script) as server,
        Connection(endpoint_for_url(server.url)) as conn,
    ):
        with pytest.raises(ServerClosed) as caught:
            await drain(conn)
    error = caught.value
    assert (error.code, error.reason) == (code, reason)
    assert str(error) == f"The server closed the session ({code} {reason}): {message}"
    assert conn.close_code == code
    assert conn.close_reason == reason
    assert conn.error is error


async def test_close_without_error_event_names_code_and_reason() -> None:
    reason = "Your session hit the maximum duration of 60 minutes."

    async def script(ws: ServerConnection) -> None:
        await send_json(ws, session_created())
        await ws.close(1001, reason)

    async with (
        scripted_server(script) as server,
        Connection(endpoint_for_url(server.url)) as conn,
    ):
        with pytest.raises(ServerClosed) as caught:
            await drain(conn)
    assert str(caught.value) == f"The server closed the session (1001 {reason})."


async def test_normal_server_close_ends_iteration_quietly() -> None:
    async def script(ws: ServerConnection) -> None:
        await send_json(ws, session_created())
        await ws.close(1000, "bye")

    async with scripted_server(script) as server:
        async with Connection(endpoint_for_url(server.url)) as conn:
            frames = await drain(conn)
            # A second loop ends at once rather than hanging.
            assert await drain(conn) == []
        assert await conn.wait_closed() is None
    assert [f.wire_type for f in frames] == ["session.created"]
    assert conn.close_code == 1000


async def test_abrupt_drop_raises_connection_dropped() -> None:
    async def script(ws: ServerConnection) -> None:
        await send_json(ws, session_created())
        ws.transport.abort()

    async with (
        scripted_server(script) as server,
        Connection(endpoint_for_url(server.url)) as conn,
    ):
        with pytest.raises(ConnectionDropped) as caught:
            await drain(conn)
    assert str(caught.value) == (
        f"The connection to 127.0.0.1:{server.port} dropped without a close frame (1006)."
    )
    assert conn.close_code == 1006


async def test_stuck_handshake_times_out() -> None:
    async with silent_tcp_server() as port:
        conn = Connection(
            endpoint_for_url(f"ws://127.0.0.1:{port}/v1/realtime"), connect_timeout=0.2
        )
        with pytest.raises(ConnectTimeout) as caught:
            await conn.open()
    assert str(caught.value) == (
        f"127.0.0.1:{port} did not complete the WebSocket handshake within 0.2 s."
    )


async def test_refused_connection_is_one_sentence() -> None:
    port = unused_port()
    conn = Connection(endpoint_for_url(f"ws://127.0.0.1:{port}/v1/realtime"))
    with pytest.raises(CannotConnect) as caught:
        await conn.open()
    assert str(caught.value) == f"Cannot connect to 127.0.0.1:{port}: connection refused."


async def test_unknown_host_is_one_sentence() -> None:
    conn = Connection(endpoint_for_url("ws://no-such-host.invalid/v1/realtime"))
    with pytest.raises(CannotConnect) as caught:
        await conn.open()
    assert str(caught.value) == (
        "Cannot connect to no-such-host.invalid: the host name could not be resolved."
    )


@pytest.mark.parametrize("count", [2, MAX_OBSERVER_ERRORS + 5])
async def test_broken_observer_does_not_stop_the_session(count: int) -> None:
    async def script(ws: ServerConnection) -> None:
        for n in range(count):
            await send_json(ws, session_created(f"event_{n + 1}"))
        await ws.close()

    def broken(frame: Frame) -> None:
        raise RuntimeError("observer bug")

    async with (
        scripted_server(script) as server,
        Connection(endpoint_for_url(server.url), observers=[broken]) as conn,
    ):
        frames = await drain(conn)
    assert len(frames) == count
    # The first ones are kept, not all: each holds the frame it failed on.
    assert len(conn.observer_errors) == min(count, MAX_OBSERVER_ERRORS)


async def test_observer_only_mode_and_wait_closed() -> None:
    async def script(ws: ServerConnection) -> None:
        await send_json(ws, error_event("invalid_model", "No such model."))
        await ws.close(4000, "invalid_request_error.invalid_model")

    seen: list[Frame] = []
    async with scripted_server(script) as server:
        conn = Connection(
            endpoint_for_url(server.url), observers=[seen.append], buffer_received=False
        )
        await conn.open()
        async with asyncio.timeout(5):
            error = await conn.wait_closed()
        with pytest.raises(RealtimeError, match="buffer_received=False"):
            await anext(aiter(conn))
        await conn.close()
    assert isinstance(error, ServerClosed)
    assert [f.wire_type for f in seen] == ["error"]
    assert repr(conn).endswith(", closed)")


async def test_tls_verification_refuses_a_self_signed_certificate() -> None:
    async def script(ws: ServerConnection) -> None:  # pragma: no cover - never reached
        await ws.close()

    async with scripted_server(script, tls=self_signed_context()) as server:
        conn = Connection(endpoint_for_url(server.url))
        with pytest.raises(CannotConnect) as caught:
            await conn.open()
    assert str(caught.value) == (
        f"Cannot connect to 127.0.0.1:{server.port}: the TLS certificate could not be "
        "verified (self-signed certificate)."
    )


async def test_tls_verification_off_accepts_a_self_signed_certificate() -> None:
    async def script(ws: ServerConnection) -> None:
        await send_json(ws, session_created())
        await ws.close()

    async with scripted_server(script, tls=self_signed_context()) as server:
        endpoint = endpoint_for_url(server.url, verify_tls=False)
        async with Connection(endpoint) as conn:
            frames = await drain(conn)
    assert server.url.startswith("wss://")
    assert [f.wire_type for f in frames] == ["session.created"]


async def test_messages_keep_their_order_however_they_arrive() -> None:
    # Some come with the handshake, some one by one, one in fragments, one binary: every
    # one reaches the observers and the iterator whole and in order.
    def delta(n: int) -> str:
        return json.dumps({"type": "response.output_text.delta", "item_id": "i", "delta": f"{n}"})

    async def script(ws: ServerConnection) -> None:
        for n in range(3):
            await ws.send(delta(n))
        await recv_json(ws)  # the client is surely reading by now
        await ws.send(delta(3))
        await ws.send([delta(4)[:20], delta(4)[20:]])  # one message in two fragments
        await ws.send(delta(5))
        await ws.send(b"\x00\x01")
        await ws.send(delta(6))
        await ws.close()

    async with scripted_server(script) as server:
        frames, observe = collect()
        conn = Connection(endpoint_for_url(server.url), observers=[observe])
        await conn.open()
        conn.send({"type": "session.update", "session": {}})
        received = await drain(conn)
    texts = [f.data for f in received]
    expected = [delta(n) for n in range(6)] + [b"\x00\x01", delta(6)]
    assert texts == expected
    assert [f.data for f in frames if f.direction is Direction.RECEIVED] == expected
    assert [f.event.delta for f in received if isinstance(f.event, DeltaEvent)] == [
        str(n) for n in range(7)
    ]
