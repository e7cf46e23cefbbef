"""Server events about the session as a whole: the session and conversation, rate
limits, errors, and the documented events the app shows without interpreting."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from rt_tui.realtime.event_registry import ServerEvent, server_event
from rt_tui.realtime.json_fields import (
    JsonObject,
    obj_at,
    opt_float_at,
    opt_int_at,
    opt_str_at,
    str_at,
)

__all__ = [
    "OTHER_KINDS",
    "ConversationCreated",
    "ErrorEvent",
    "ErrorInfo",
    "OtherEvent",
    "RateLimit",
    "RateLimitsEvent",
    "SessionEvent",
]


@server_event("session.created", "session.updated")
@dataclass(frozen=True, slots=True)
class SessionEvent(ServerEvent):
    """`session.created` / `session.updated`: the server's full copy of the session (beta's
    `transcription_session.*` too: the session of a transcription session)."""

    session: JsonObject

    @classmethod
    def from_raw(cls, kind: str, wire_type: str, raw: JsonObject) -> Self:
        return cls(kind, wire_type, raw, session=obj_at(raw, "session"))


@server_event("conversation.created")
@dataclass(frozen=True, slots=True)
class ConversationCreated(ServerEvent):
    conversation_id: str | None

    @classmethod
    def from_raw(cls, kind: str, wire_type: str, raw: JsonObject) -> Self:
        conversation = obj_at(raw, "conversation")
        return cls(kind, wire_type, raw, conversation_id=opt_str_at(conversation, "id"))


@dataclass(frozen=True, slots=True)
class RateLimit:
    name: str
    limit: int | None
    remaining: int | None
    reset_seconds: float | None


@server_event("rate_limits.updated")
@dataclass(frozen=True, slots=True)
class RateLimitsEvent(ServerEvent):
    rate_limits: tuple[RateLimit, ...]

    @classmethod
    def from_raw(cls, kind: str, wire_type: str, raw: JsonObject) -> Self:
        entries = raw.get("rate_limits")
        limits = tuple(
            RateLimit(
                name=str_at(entry, "name", "?"),
                limit=opt_int_at(entry, "limit"),
                remaining=opt_int_at(entry, "remaining"),
                reset_seconds=opt_float_at(entry, "reset_seconds"),
            )
            for entry in (entries if isinstance(entries, list) else ())
            if isinstance(entry, dict)
        )
        return cls(kind, wire_type, raw, rate_limits=limits)


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    type: str | None
    code: str | None
    message: str
    param: str | None
    event_id: str | None
    """The client event that caused it, when the server says."""

    def one_line(self) -> str:
        """`code (param 'p'): message`; the param is left out when the message quotes it."""
        label = self.code or self.type or "error"
        if self.param and f"'{self.param}'" not in self.message:
            label += f" (param '{self.param}')"
        return f"{label}: {self.message}" if self.message else label


@server_event("error")
@dataclass(frozen=True, slots=True)
class ErrorEvent(ServerEvent):
    error: ErrorInfo

    @classmethod
    def from_raw(cls, kind: str, wire_type: str, raw: JsonObject) -> Self:
        err = obj_at(raw, "error")
        info = ErrorInfo(
            type=opt_str_at(err, "type"),
            code=opt_str_at(err, "code"),
            message=str_at(err, "message"),
            param=opt_str_at(err, "param"),
            event_id=opt_str_at(err, "event_id"),
        )
        return cls(kind, wire_type, raw, error=info)


OTHER_KINDS = frozenset(
    {
        "output_audio_buffer.started",
        "output_audio_buffer.stopped",
        "output_audio_buffer.cleared",
        "input_audio_buffer.dtmf_event_received",
        "mcp_list_tools.in_progress",
        "mcp_list_tools.completed",
        "mcp_list_tools.failed",
        "response.mcp_call.in_progress",
        "response.mcp_call.completed",
        "response.mcp_call.failed",
    }
)
"""Documented server events without a class of their own (both dialects, GA names)."""


@server_event(*sorted(OTHER_KINDS))
@dataclass(frozen=True, slots=True)
class OtherEvent(ServerEvent):
    """A documented event the app shows but does not interpret (MCP, output_audio_buffer…)."""
