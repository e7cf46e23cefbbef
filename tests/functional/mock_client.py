"""A tiny raw-websockets client for talking to the mock server in tests, and a schema check.

Deliberately independent of `rt_tui.realtime.connection`: the mock is tested against the wire,
with plain `websockets`, so both sides can be trusted separately.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, get_args

import openai.types.beta.realtime as beta_types
import openai.types.realtime as ga_types
import pytest
from pydantic import BaseModel, TypeAdapter
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from rt_tui.dialect import Dialect
from rt_tui.mock import MockServer

JsonObject = dict[str, Any]
TIMEOUT = 5.0

_ADAPTERS: dict[Dialect, TypeAdapter[Any]] = {
    Dialect.GA: TypeAdapter(ga_types.RealtimeServerEvent),
    Dialect.BETA: TypeAdapter(beta_types.RealtimeServerEvent),
}


def _models_by_type(union: Any) -> dict[str, type[BaseModel]]:
    """`type` literal → SDK model, from an `Annotated[Union[...], ...]` event union."""
    members = get_args(get_args(union)[0])
    found: dict[str, type[BaseModel]] = {}
    for model in members:
        for literal in get_args(model.model_fields["type"].annotation):
            found[literal] = model
    return found


#: Validating against the one model a `type` names gives a readable error; the whole union
#: is still used as well, as the SDK's own parser would.
_MODELS = {
    Dialect.GA: _models_by_type(ga_types.RealtimeServerEvent),
    Dialect.BETA: _models_by_type(beta_types.RealtimeServerEvent),
}

#: Fields the service sends that the SDK models do not declare (PROTOCOL.md §3: "The server's
#: copy of the session adds object, id and expires_at"; the beta spec example has `object`).
ALLOWED_EXTRAS: dict[Dialect, set[str]] = {
    Dialect.GA: {"session.object", "session.id", "session.expires_at"},
    Dialect.BETA: {"session.object"},
}


def _extras(value: object, path: str) -> Iterator[str]:
    if isinstance(value, BaseModel):
        for key in value.model_extra or {}:
            yield f"{path}.{key}".lstrip(".")
        for name in type(value).model_fields:
            yield from _extras(getattr(value, name), f"{path}.{name}")
    elif isinstance(value, list):
        for item in value:
            yield from _extras(item, path)


def check_server_event(event: JsonObject, dialect: Dialect) -> None:
    """Assert `event` validates against the official SDK union of `dialect`, with no stray fields.

    The SDK models accept extra fields, so a misspelt or wrong-dialect field would pass a
    plain validation; this also rejects any field the models do not declare.
    """
    specific = _MODELS[dialect].get(event.get("type", ""))
    assert specific is not None, f"{event.get('type')!r} is not a {dialect} server event"
    specific.model_validate(event)
    model = _ADAPTERS[dialect].validate_python(event)
    assert model.type == event["type"], f"validated as {model.type}: {event}"
    extras = set(_extras(model, "")) - ALLOWED_EXTRAS[dialect]
    assert not extras, f"{event['type']} has fields the {dialect} schema lacks: {sorted(extras)}"


class MockClient:
    """A client socket that decodes every server frame and remembers them in order."""

    def __init__(self, ws: ClientConnection, dialect: Dialect | None = None) -> None:
        self.ws = ws
        self.dialect = dialect
        """When set, every received event is checked against that dialect's SDK schema."""
        self.received: list[JsonObject] = []

    async def send(self, event: JsonObject | str | bytes) -> None:
        """Send a dict as JSON text, or a raw str / bytes frame as is."""
        await self.ws.send(json.dumps(event) if isinstance(event, dict) else event)

    async def recv(self, wait_s: float = TIMEOUT) -> JsonObject:
        """The next server event (fails the test if none comes within `wait_s`)."""
        raw = await asyncio.wait_for(self.ws.recv(), wait_s)
        assert isinstance(raw, str), "the server sent a binary frame"
        event = json.loads(raw)
        assert isinstance(event, dict)
        if self.dialect is not None:
            check_server_event(event, self.dialect)
        self.received.append(event)
        return event

    async def until(self, *types: str, wait_s: float = TIMEOUT) -> list[JsonObject]:
        """Receive events up to and including the first whose type is one of `types`."""
        got: list[JsonObject] = []
        async with asyncio.timeout(wait_s):
            while True:
                event = await self.recv(wait_s)
                got.append(event)
                if event["type"] in types:
                    return got

    async def until_closed(self, wait_s: float = TIMEOUT) -> list[JsonObject]:
        """Receive everything until the server closes the socket."""
        got: list[JsonObject] = []
        async with asyncio.timeout(wait_s):
            while True:
                try:
                    got.append(await self.recv(wait_s))
                except ConnectionClosed:
                    return got

    async def request(self, event: JsonObject, *until: str) -> list[JsonObject]:
        """Send `event`, then receive up to the first event of one of the `until` types."""
        await self.send(event)
        return await self.until(*until)


@asynccontextmanager
async def open_client(
    url: str,
    *,
    headers: dict[str, str] | None = None,
    subprotocols: list[str] | None = None,
    skip_greeting: bool = True,
    dialect: Dialect | None = None,
) -> AsyncIterator[MockClient]:
    """Connect to `url`; by default consume `session.created` (and beta `conversation.created`).

    Every event received is schema-checked for `dialect` (inferred from `session.created`
    when the greeting is consumed here).
    """
    async with connect(
        url,
        additional_headers=headers,
        subprotocols=subprotocols,  # type: ignore[arg-type]
        open_timeout=TIMEOUT,
        close_timeout=2,
        max_size=None,
    ) as ws:
        client = MockClient(ws, dialect)
        if skip_greeting:
            first = await client.recv()
            assert first["type"] == "session.created", first
            beta = "modalities" in first["session"]
            if client.dialect is None:
                client.dialect = Dialect.BETA if beta else Dialect.GA
                check_server_event(first, client.dialect)
            if beta:  # conversation.created follows
                second = await client.recv()
                assert second["type"] == "conversation.created", second
        yield client


def beta_headers() -> dict[str, str]:
    return {"OpenAI-Beta": "realtime=v1"}


def open_mock(server: MockServer, dialect: Dialect) -> AbstractAsyncContextManager[MockClient]:
    """A client for the mock's GA path speaking `dialect` (beta asks with OpenAI-Beta)."""
    return open_client(server.ga_url(), headers=beta_headers() if dialect is Dialect.BETA else None)


def audio_append(pcm: bytes) -> JsonObject:
    """The client event that appends `pcm` to the input audio buffer."""
    return {"type": "input_audio_buffer.append", "audio": base64.b64encode(pcm).decode()}


# Clients of the test module's own `server` fixture (each module sets up its mock, with
# its own seed); a module that uses them imports them and names them in `__all__`.


@pytest.fixture
async def ga(server: MockServer) -> AsyncIterator[MockClient]:
    """A GA client of the module's mock, greeted."""
    async with open_mock(server, Dialect.GA) as client:
        yield client


@pytest.fixture
async def beta(server: MockServer) -> AsyncIterator[MockClient]:
    """A beta client (OpenAI-Beta: realtime=v1) of the module's mock, greeted."""
    async with open_mock(server, Dialect.BETA) as client:
        yield client
