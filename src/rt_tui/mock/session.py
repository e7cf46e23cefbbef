"""One mock realtime session: reads client events from a socket and answers as the service does.

`MockSession.run()` sends `session.created` (beta: then `conversation.created`) and handles
each client frame in order. Mistakes get the service's non-fatal `error` event with the
client's `event_id`; the session lives on. Responses stream in their own task so that
`response.cancel`, VAD barge-in and other events are handled while one runs.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from rt_tui.dialect import Dialect, wire_name
from rt_tui.mock.errors import (
    MockError,
    error_event,
    invalid_type,
    invalid_value,
    unknown_parameter,
)
from rt_tui.mock.ids import IdFactory
from rt_tui.mock.input_audio import InputAudio
from rt_tui.mock.items import ItemStore, client_item, item_not_found
from rt_tui.mock.mcp import listing_events
from rt_tui.mock.pacing import NO_PACING, Pacing
from rt_tui.mock.responses import RequestBudget, Responses
from rt_tui.mock.scenarios import Cut
from rt_tui.mock.session_config import SessionConfig, default_session
from rt_tui.mock.transcription import CLIENT_EVENTS as TRANSCRIPTION_EVENTS
from rt_tui.mock.transcription import wrong_kind

JsonObject = dict[str, Any]
log = logging.getLogger(__name__)

_BASE_KEYS = {"type", "event_id"}
#: Fields each client event may carry (anything else is `unknown_parameter`).
CLIENT_EVENT_FIELDS: dict[str, set[str]] = {
    "session.update": {"session"},
    "transcription_session.update": {"session"},
    "input_audio_buffer.append": {"audio"},
    "input_audio_buffer.commit": set(),
    "input_audio_buffer.clear": set(),
    "conversation.item.create": {"item", "previous_item_id"},
    "conversation.item.retrieve": {"item_id"},
    "conversation.item.delete": {"item_id"},
    "conversation.item.truncate": {"item_id", "content_index", "audio_end_ms"},
    "response.create": {"response"},
    "response.cancel": {"response_id"},
    "output_audio_buffer.clear": set(),
}


@dataclass(slots=True)
class SessionOptions:
    """How a mock session behaves (shared by every session of one `MockServer`).

    Changes apply to what starts afterwards, e.g. `server.options.delta_delay = 0.05`
    slows the next responses of every open session.
    """

    delta_delay: float = 0.015
    """Seconds between streamed deltas (0 = as fast as the socket takes them)."""
    pacing: Pacing = NO_PACING
    """The waits before `response.created`, the first delta and the first audio."""
    random: random.Random = field(default_factory=random.Random)
    """Where the pacing's jitter comes from (seeded with the server's seed)."""
    max_session_s: float | None = 3600.0
    """After this, `session_expired` and CLOSE 1001, as the service's 60-minute limit."""
    rate_limit_requests: int = 1000
    rate_limit_tokens: int = 50_000
    request_budget: RequestBudget | None = None
    """Responses allowed in the server's life, counted across its sessions (a scenario's
    rate limit); None counts each session's requests against `rate_limit_requests`."""
    cut: Cut | None = None
    """Cut off the next answer that streams this far (a scenario's fault); cleared when it
    strikes, so it strikes once."""


class MockSession:
    """The server side of one realtime socket."""

    def __init__(
        self,
        ws: ServerConnection,
        *,
        dialect: Dialect,
        model: str,
        options: SessionOptions,
        ids: IdFactory,
        now: float,
        after_greeting: Sequence[JsonObject] = (),
        transcribes: bool = False,
    ) -> None:
        """`after_greeting` are events sent right after `session.created` (a scenario's);
        `transcribes` makes it a transcription session (`rt_tui.mock.transcription`)."""
        self.ws = ws
        self.dialect = dialect
        self.options = options
        self._ids = ids
        self._after_greeting = tuple(after_greeting)
        session = default_session(
            dialect, session_id=ids("sess"), model=model, now=now, transcribes=transcribes
        )
        self.config = SessionConfig(dialect, session)
        self.conversation_id = ids("conv")
        self.items = ItemStore()
        self.audio_in = InputAudio(self)
        self.responses = Responses(self)
        self._tasks: set[asyncio.Task[None]] = set()
        self._handlers: dict[str, Callable[[JsonObject], Awaitable[None]]] = {
            "session.update": self._session_update,
            "input_audio_buffer.append": self.audio_in.append,
            "input_audio_buffer.commit": self.audio_in.commit,
            "input_audio_buffer.clear": self.audio_in.clear,
            "conversation.item.create": self._item_create,
            "conversation.item.retrieve": self._item_retrieve,
            "conversation.item.delete": self._item_delete,
            "conversation.item.truncate": self._item_truncate,
            "response.create": self.responses.create,
            "response.cancel": self.responses.cancel,
            "output_audio_buffer.clear": self._ignore,
        }
        if dialect is Dialect.BETA:
            self._handlers["transcription_session.update"] = self._session_update
        if transcribes:  # it knows no other events
            self._handlers = {kind: self._handlers[kind] for kind in TRANSCRIPTION_EVENTS[dialect]}

    # --- plumbing -----------------------------------------------------------------------

    def new_id(self, prefix: str) -> str:
        return self._ids(prefix)

    async def emit(self, event: JsonObject) -> None:
        """Send a server event: wire name of the dialect, a fresh `event_id`, compact JSON."""
        wire: JsonObject = {"type": wire_name(event["type"], self.dialect)}
        wire["event_id"] = self._ids("event")
        for key, value in event.items():
            if key != "type":
                wire[key] = value
        await self.ws.send(json.dumps(wire, separators=(",", ":"), ensure_ascii=False))

    async def run(self) -> None:
        """Serve the socket until the client leaves (or the session limit ends it)."""
        limit = self.spawn(self._expire()) if self.options.max_session_s else None
        try:
            await self.emit({"type": self._session_event("created"), "session": self.config.data})
            if self.dialect is Dialect.BETA and not self.config.transcribes_only:
                conversation = {"id": self.conversation_id, "object": "realtime.conversation"}
                await self.emit({"type": "conversation.created", "conversation": conversation})
            for event in self._after_greeting:
                await self.emit(event)
            async for message in self.ws:
                await self.handle(message)
        except ConnectionClosed:
            pass
        finally:
            if limit is not None:
                limit.cancel()
            await self.shutdown()

    async def shutdown(self) -> None:
        """Stop any running response; wait for every task this session started."""
        if self.responses.run_in_progress is not None:
            self.responses.run_in_progress.cancel("client_cancelled")
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def spawn(self, coro: Awaitable[None]) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _expire(self) -> None:
        assert self.options.max_session_s is not None
        await asyncio.sleep(self.options.max_session_s)
        limit = self.options.max_session_s
        span = f"{limit / 60:g} minutes" if limit >= 60 else f"{limit:g} seconds"
        message = f"Your session hit the maximum duration of {span}."
        try:
            await self.emit(error_event(MockError("session_expired", message)))
            await self.ws.close(1001, message)
        except ConnectionClosed:
            pass

    async def cut_off(self, cut: Cut) -> None:
        """End the socket mid-answer as a scenario says: an error, then a close frame or
        none at all (the client sees 1006); returns once the socket is closed."""
        if cut.error is not None:
            await self.emit(error_event(cut.error))
        if cut.close_code is None:
            self.ws.transport.abort()
        else:
            await self.ws.close(cut.close_code, cut.close_reason)
        await self.ws.wait_closed()

    # --- dispatch -----------------------------------------------------------------------

    async def handle(self, message: str | bytes) -> None:
        """Answer one client frame (errors become `error` events; nothing raises)."""
        client_id: str | None = None
        try:
            if isinstance(message, bytes):
                raise MockError(
                    "invalid_event",
                    "Invalid event: binary frames are not supported; send JSON text frames.",
                )
            try:
                data = json.loads(message)
            except json.JSONDecodeError as exc:
                raise MockError(
                    "invalid_json",
                    f"Invalid event: failed to parse JSON value; {exc.msg} at column {exc.colno}.",
                ) from None
            except RecursionError:
                raise MockError(
                    "invalid_json", "Invalid event: failed to parse JSON value; nested too deeply."
                ) from None
            if not isinstance(data, dict):
                raise MockError("invalid_event", "Invalid event: expected a JSON object.")
            if isinstance(data.get("event_id"), str):
                client_id = data["event_id"]
            kind = data.get("type")
            if kind is None:
                raise MockError("invalid_event", "The 'type' field is missing.")
            handler = self._handlers.get(kind) if isinstance(kind, str) else None
            if handler is None:
                raise invalid_value("type", kind, list(self._handlers))
            for key in data:
                if key not in _BASE_KEYS and key not in CLIENT_EVENT_FIELDS[kind]:
                    raise unknown_parameter(key)
            await handler(data)
        except MockError as error:
            await self.emit(error_event(error, client_id))
        except ConnectionClosed:
            raise
        except Exception:  # a bug in the mock: answer as the service does, keep serving
            log.exception("mock session failed on a client event")
            failure = MockError(
                "server_error",
                "The server had an error while processing your request.",
                error_type="server_error",
            )
            await self.emit(error_event(failure, client_id))

    async def _ignore(self, data: JsonObject) -> None:
        """WebRTC/SIP-only events do nothing on a WebSocket."""

    # --- session and items --------------------------------------------------------------

    def _session_event(self, what: str) -> str:
        """`session.created` / `.updated`; beta transcription sessions name theirs apart."""
        if self.dialect is Dialect.BETA and self.config.transcribes_only:
            return f"transcription_session.{what}"
        return f"session.{what}"

    async def _session_update(self, data: JsonObject) -> None:
        beta_transcription = data.get("type") == "transcription_session.update"
        if self.dialect is Dialect.BETA and beta_transcription != self.config.transcribes_only:
            raise wrong_kind(self.config.transcribes_only)
        tools_before = self.config.data.get("tools")
        self.config.update(data.get("session"))
        await self.emit({"type": self._session_event("updated"), "session": self.config.data})
        for event in listing_events(tools_before, self.config.data.get("tools"), self.new_id):
            await self.emit(event)

    async def add_item(
        self, item: JsonObject, previous_item_id: str | None = None, audio_ms: float = 0.0
    ) -> None:
        """Put an item in the conversation and announce it (GA added + done, beta created)."""
        previous = self.items.add(item, previous_item_id)
        if audio_ms:
            self.items.audio_ms[str(item["id"])] = audio_ms
        await self.emit(
            {"type": "conversation.item.added", "previous_item_id": previous, "item": item}
        )
        if self.dialect is Dialect.GA:
            await self.emit(
                {"type": "conversation.item.done", "previous_item_id": previous, "item": item}
            )

    async def _item_create(self, data: JsonObject) -> None:
        item, audio_ms = client_item(
            data.get("item"), self.dialect, self._ids, self.config.input_format
        )
        previous = data.get("previous_item_id")
        if previous is not None and not isinstance(previous, str):
            raise invalid_type("previous_item_id", "a string", previous)
        await self.add_item(item, previous, audio_ms)

    def _existing(self, data: JsonObject) -> tuple[str, JsonObject]:
        item_id = data.get("item_id")
        item = self.items.get(item_id) if isinstance(item_id, str) else None
        if item is None:
            raise item_not_found(item_id)
        return str(item_id), item

    async def _item_retrieve(self, data: JsonObject) -> None:
        _, item = self._existing(data)
        await self.emit({"type": "conversation.item.retrieved", "item": item})

    async def _item_delete(self, data: JsonObject) -> None:
        item_id, _ = self._existing(data)
        self.items.delete(item_id)
        await self.emit({"type": "conversation.item.deleted", "item_id": item_id})

    async def _item_truncate(self, data: JsonObject) -> None:
        item_id, item = self._existing(data)
        played = self.items.audio_ms.get(item_id, 0.0)
        if item.get("role") != "assistant" or not played:
            raise MockError(
                "invalid_value",
                "Only assistant messages with audio can be truncated.",
                "item_id",
            )
        if data.get("content_index", 0) != 0:
            raise invalid_value("content_index", data.get("content_index"), ["0"])
        end = data.get("audio_end_ms")
        if not isinstance(end, int) or isinstance(end, bool) or end < 0:
            raise invalid_type("audio_end_ms", "a non-negative integer", end)
        if end > played:
            raise MockError(
                "invalid_value",
                f"Audio content of {played:.0f}ms is already shorter than {end}ms.",
                "audio_end_ms",
            )
        self.items.audio_ms[item_id] = float(end)
        for part in item.get("content") or []:
            if isinstance(part, dict) and "transcript" in part:
                part["transcript"] = ""  # the service drops the transcript it can't vouch for
        await self.emit(
            {
                "type": "conversation.item.truncated",
                "item_id": item_id,
                "content_index": 0,
                "audio_end_ms": end,
            }
        )
