"""One response, streamed as the service streams it, and cancellable between deltas.

The event order follows PROTOCOL.md §4: `response.created` → `output_item.added` →
item added (GA `conversation.item.added`, beta `conversation.item.created`) →
`content_part.added` → deltas → `.done` events → `content_part.done` → (GA
`conversation.item.done`) → `output_item.done` → `response.done` → `rate_limits.updated`.
A spoken reply sends each word's transcript delta, then its audio. A cancel (client or
VAD barge-in) stops the deltas and closes the open part and item as `incomplete`, then
`response.done` says `cancelled`.

The waits before `response.created`, the first delta and the first audio are the
session's `Pacing`; the pause between later deltas is `delay`. Every wait ends early on
a cancel.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import random
from dataclasses import dataclass, field
from typing import Any

from rt_tui.dialect import Dialect
from rt_tui.mock.formats import spoken
from rt_tui.mock.items import ItemStore
from rt_tui.mock.mcp import (
    McpApprovalAsk,
    McpCallReply,
    McpDenied,
    approval_request_item,
    mcp_call_item,
)
from rt_tui.mock.pacing import NO_PACING, Pacing
from rt_tui.mock.responder import (
    ToolCallReply,
    ToolCallsReply,
    audio_tokens,
    chunks,
    count_tokens,
    speak,
    words,
)
from rt_tui.mock.response_spec import WITHOUT_RESPONSE_ID, ResponseSpec, RunHost
from rt_tui.realtime.audio import duration_ms
from rt_tui.realtime.audio_formats import law_of

JsonObject = dict[str, Any]


@dataclass(slots=True)
class _Output:
    text: str = ""
    audio_ms: float = 0.0
    items: list[JsonObject] = field(default_factory=list)


class ResponseRun:
    """Streams one response through `host.emit`; `cancel()` ends it early."""

    def __init__(
        self,
        host: RunHost,
        spec: ResponseSpec,
        items: ItemStore | None,
        *,
        delay: float,
        after: asyncio.Event | None = None,
        pacing: Pacing = NO_PACING,
        rng: random.Random | None = None,
    ) -> None:
        self.host = host
        self.spec = spec
        self.items = items
        self.delay = delay
        self.pacing = pacing
        self._rng = rng or random.Random()
        self.cancel_reason: str | None = None
        self.status = "in_progress"
        self.status_details: JsonObject | None = None
        self.usage: JsonObject | None = None
        self._wake = asyncio.Event()
        self.finished = asyncio.Event()
        """Set by the session when the run's task has ended (for responses queued after it)."""
        self._after = after
        self._out = _Output()
        self._deltas = 0

    @property
    def response_id(self) -> str:
        return self.spec.response_id

    @property
    def audio_ms(self) -> float:
        """Milliseconds of audio this response has spoken so far."""
        return self._out.audio_ms

    @property
    def ga(self) -> bool:
        return self.host.dialect is Dialect.GA

    def cancel(self, reason: str) -> bool:
        """Ask the stream to stop ('client_cancelled' or 'turn_detected'); False if finished."""
        if self.status != "in_progress" or self.cancel_reason is not None:
            return False
        self.cancel_reason = reason
        self._wake.set()
        return True

    # --- the stream ---------------------------------------------------------------------

    async def run(self) -> None:
        """Send the whole response; returns when `rate_limits.updated` has gone out."""
        if self._after is not None:
            await self._after.wait()
        await self._wait(self.pacing.created_s)
        await self._emit("response.created", response=self._response())
        stop_reason: str | None = None
        if self.cancel_reason is None:
            reply = self.spec.reply
            if isinstance(reply, McpCallReply):
                await self._mcp_call(reply)
                stop_reason = await self._message(f"The MCP tool returned {reply.output}.", 1)
            elif isinstance(reply, McpApprovalAsk):
                item = approval_request_item(self.host.new_id("item"), reply)
                await self._item_done(item, await self._item_added(item))
            elif isinstance(reply, McpDenied):
                stop_reason = await self._message(reply.text)
            elif isinstance(reply, ToolCallReply | ToolCallsReply):
                calls = (reply,) if isinstance(reply, ToolCallReply) else reply.calls
                for index, call in enumerate(calls):
                    if self.cancel_reason is None:
                        stop_reason = await self._function_call(call, index)
            else:
                stop_reason = await self._message(reply.text)
        self._finish(stop_reason)
        rate_limits = self.host.response_finished(self)
        await self._emit("response.done", response=self._response())
        await self.host.emit(rate_limits)

    def _finish(self, stop_reason: str | None) -> None:
        if self.cancel_reason is not None:
            self.status = "cancelled"
            self.status_details = {"type": "cancelled", "reason": self.cancel_reason}
        elif stop_reason is not None:
            self.status = "incomplete"
            self.status_details = {"type": "incomplete", "reason": stop_reason}
        else:
            self.status = "completed"
        self.usage = self._usage()

    async def _message(self, text: str, output_index: int = 0) -> str | None:
        audio = self.spec.audio
        item_id = self.host.new_id("item")
        item: JsonObject = {
            "id": item_id,
            "object": "realtime.item",
            "type": "message",
            "status": "in_progress",
            "role": "assistant",
            "content": [],
        }
        previous = await self._item_added(item, output_index)
        where = {"item_id": item_id, "output_index": output_index, "content_index": 0}
        part: JsonObject = (
            {"type": "audio", "transcript": ""} if audio else {"type": "text", "text": ""}
        )
        await self._emit("response.content_part.added", **where, part=part)

        limit = self.spec.max_output_tokens
        stop_reason: str | None = None
        sent: list[str] = []
        for index, word in enumerate(words(text)):
            if self.cancel_reason is not None:
                break
            if isinstance(limit, int) and index >= limit:
                stop_reason = "max_output_tokens"
                break
            await (self._pause() if index else self._wait(self.pacing.first_delta_s))
            if self.cancel_reason is not None:
                break
            sent.append(word)
            if audio:
                await self._emit("response.output_audio_transcript.delta", **where, delta=word)
                if not index:
                    await self._wait(self.pacing.first_audio_s)
                    if self.cancel_reason is not None:
                        break
                self._out.audio_ms += duration_ms(speak(word))
                if self.items is not None:  # a barge-in may truncate what was sent so far
                    self.items.audio_ms[item_id] = self._out.audio_ms
                wire = spoken(word, law_of(self.spec.output_format))
                delta = base64.b64encode(wire).decode("ascii")
                await self._emit("response.output_audio.delta", **where, delta=delta)
            else:
                await self._emit("response.output_text.delta", **where, delta=word)

        said = "".join(sent)
        self._out.text = said
        if audio:
            await self._emit("response.output_audio.done", **where)
            await self._emit("response.output_audio_transcript.done", **where, transcript=said)
            part = {"type": "audio", "transcript": said}
            final_part: JsonObject = {"type": "output_audio" if self.ga else "audio"}
            final_part["transcript"] = said
        else:
            await self._emit("response.output_text.done", **where, text=said)
            part = {"type": "text", "text": said}
            final_part = {"type": "output_text" if self.ga else "text", "text": said}
        await self._emit("response.content_part.done", **where, part=part)

        done = self.cancel_reason is None and stop_reason is None
        final = {**item, "status": "completed" if done else "incomplete", "content": [final_part]}
        if self.items is not None and self._out.audio_ms:
            self.items.audio_ms[item_id] = self._out.audio_ms
        await self._item_done(final, previous, output_index)
        return stop_reason

    async def _mcp_call(self, call: McpCallReply) -> None:
        """An `mcp_call` item: its arguments stream, then the server runs it."""
        item_id = self.host.new_id("item")
        previous = await self._item_added(mcp_call_item(item_id, call, done=False))
        where = {"item_id": item_id, "output_index": 0}
        for index, piece in enumerate(chunks(call.arguments)):
            await (self._pause() if index else self._wait(self.pacing.first_delta_s))
            await self._emit("response.mcp_call_arguments.delta", **where, delta=piece)
        await self._emit("response.mcp_call_arguments.done", **where, arguments=call.arguments)
        await self._emit("response.mcp_call.in_progress", **where)
        await self._emit("response.mcp_call.completed", **where)
        await self._item_done(mcp_call_item(item_id, call, done=True), previous)

    async def _function_call(self, call: ToolCallReply, output_index: int = 0) -> str | None:
        item_id = self.host.new_id("item")
        call_id = self.host.new_id("call")
        item: JsonObject = {
            "id": item_id,
            "object": "realtime.item",
            "type": "function_call",
            "status": "in_progress",
            "name": call.name,
            "call_id": call_id,
            "arguments": "",
        }
        previous = await self._item_added(item, output_index)
        where = {"item_id": item_id, "output_index": output_index, "call_id": call_id}
        sent: list[str] = []
        for index, piece in enumerate(chunks(call.arguments)):
            await (self._pause() if index else self._wait(self.pacing.first_delta_s))
            if self.cancel_reason is not None:
                break
            sent.append(piece)
            await self._emit("response.function_call_arguments.delta", **where, delta=piece)
        arguments = "".join(sent)
        self._out.text += arguments
        if self.cancel_reason is None:
            extra = {"name": call.name} if self.ga else {}
            await self._emit(
                "response.function_call_arguments.done", **where, arguments=arguments, **extra
            )
        status = "completed" if self.cancel_reason is None else "incomplete"
        done = {**item, "status": status, "arguments": arguments}
        await self._item_done(done, previous, output_index)
        return None

    # --- pieces -------------------------------------------------------------------------

    async def _item_added(self, item: JsonObject, output_index: int = 0) -> str | None:
        """`response.output_item.added`, then the conversation's copy of the new item."""
        await self._emit("response.output_item.added", output_index=output_index, item=item)
        if self.items is None:
            return None
        previous = self.items.add(dict(item))
        await self._emit("conversation.item.added", previous_item_id=previous, item=item)
        return previous

    async def _item_done(
        self, item: JsonObject, previous: str | None, output_index: int = 0
    ) -> None:
        """GA `conversation.item.done` (in a conversation), then `response.output_item.done`."""
        self._out.items.append(item)
        if self.items is not None:
            self.items.replace(item)
            if self.ga:
                await self._emit("conversation.item.done", previous_item_id=previous, item=item)
        await self._emit("response.output_item.done", output_index=output_index, item=item)

    async def _pause(self) -> None:
        """The gap between deltas: wakes early on cancel; with no delay, still lets reads in."""
        if self.delay <= 0:
            await asyncio.sleep(0)
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), self.delay)

    async def _wait(self, base_s: float) -> None:
        """One of the pacing's waits (about `base_s`); wakes early on cancel."""
        seconds = self.pacing.wait_s(base_s, self._rng)
        if seconds > 0 and self.cancel_reason is None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), seconds)

    async def _emit(self, kind: str, **fields: Any) -> None:
        if kind.startswith("response.") and kind not in WITHOUT_RESPONSE_ID:
            fields.setdefault("response_id", self.spec.response_id)
        await self.host.emit({"type": kind, **fields})
        if kind.endswith(".delta"):
            self._deltas += 1
        if kind == "response.created" or kind.endswith(".delta"):
            await self.host.streamed(self._deltas)

    def _response(self) -> JsonObject:
        spec = self.spec
        response: JsonObject = {
            "object": "realtime.response",
            "id": spec.response_id,
            "status": self.status,
            "status_details": self.status_details,
            "output": list(self._out.items),
            "conversation_id": spec.conversation_id,
        }
        if self.ga:
            response["output_modalities"] = spec.modalities
            response["max_output_tokens"] = spec.max_output_tokens
            response["audio"] = {"output": {"format": spec.output_format, "voice": spec.voice}}
        else:
            response["modalities"] = spec.modalities
            response["voice"] = spec.voice
            response["output_audio_format"] = spec.output_format
            response["temperature"] = spec.temperature
            response["max_output_tokens"] = spec.max_output_tokens
        response["usage"] = self.usage
        response["metadata"] = spec.metadata
        return response

    def _usage(self) -> JsonObject:
        spec = self.spec
        text_out = count_tokens(self._out.text)
        audio_out = audio_tokens(self._out.audio_ms)
        input_total = spec.input_text_tokens + spec.input_audio_tokens
        cached = spec.cached_text_tokens + spec.cached_audio_tokens
        input_details: JsonObject = {
            "text_tokens": spec.input_text_tokens,
            "audio_tokens": spec.input_audio_tokens,
            "cached_tokens": cached,
        }
        if self.ga:
            input_details["image_tokens"] = 0
            input_details["cached_tokens_details"] = {
                "text_tokens": spec.cached_text_tokens,
                "audio_tokens": spec.cached_audio_tokens,
                "image_tokens": 0,
            }
        return {
            "total_tokens": input_total + text_out + audio_out,
            "input_tokens": input_total,
            "output_tokens": text_out + audio_out,
            "input_token_details": input_details,
            "output_token_details": {"text_tokens": text_out, "audio_tokens": audio_out},
        }
