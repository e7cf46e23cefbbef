"""What a streamed response is given: the `ResponseSpec` fixed when `response.create`
arrives, and the session it runs in (`RunHost`); and which response events carry no
`response_id`. `rt_tui.mock.response_run` streams it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from rt_tui.dialect import Dialect
from rt_tui.mock.mcp import McpPlan
from rt_tui.mock.responder import Reply

if TYPE_CHECKING:
    from rt_tui.mock.response_run import ResponseRun

JsonObject = dict[str, Any]


class RunHost(Protocol):
    """What a running response needs from its session."""

    dialect: Dialect

    async def emit(self, event: JsonObject) -> None: ...

    def new_id(self, prefix: str) -> str: ...

    def response_finished(self, run: ResponseRun) -> JsonObject:
        """Called before `response.done` goes out; returns the `rate_limits.updated` event."""
        ...

    async def streamed(self, deltas: int) -> None:
        """Called after `response.created` (0) and after each delta with the count so far."""
        ...


#: Response events that carry no `response_id` (the whole response, or the MCP call's
#: progress, as the SDK's GA models have them).
WITHOUT_RESPONSE_ID = frozenset(
    {
        "response.created",
        "response.done",
        "response.mcp_call.in_progress",
        "response.mcp_call.completed",
        "response.mcp_call.failed",
    }
)


@dataclass(slots=True)
class ResponseSpec:
    """Everything fixed when `response.create` arrives."""

    response_id: str
    reply: Reply | McpPlan
    audio: bool
    modalities: list[str]
    voice: Any
    output_format: Any
    max_output_tokens: Any
    conversation_id: str | None
    """None for an out-of-band response (`response.conversation: "none"`)."""
    metadata: Any = None
    temperature: Any = None
    input_text_tokens: int = 0
    input_audio_tokens: int = 0
    cached_text_tokens: int = 0
    cached_audio_tokens: int = 0
