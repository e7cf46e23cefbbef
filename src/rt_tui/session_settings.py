"""The config's `[session]` section: what `session.update` carries.

Kept apart from where to connect (`rt_tui.config`'s profiles) and how the app behaves:
these are the settings the protocol builders (`rt_tui.realtime.client_events`) turn into
either dialect's session object. `rt_tui.config` re-exports them.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

__all__ = [
    "DEFAULT_TRANSCRIPTION_MODEL",
    "DEMO_TOOL_NAMES",
    "FunctionTool",
    "McpTool",
    "SessionSettings",
    "SessionTool",
    "SessionType",
    "ToolAnswer",
    "TurnDetection",
    "TurnDetectionType",
]

DEMO_TOOL_NAMES = ("get_time", "get_weather")
"""The tools the app can answer by itself (`answer = "demo"`), with fixed-shape data."""

ToolAnswer = Literal["ask", "demo", "command"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


TurnDetectionType = Literal["none", "server_vad", "semantic_vad"]
SessionType = Literal["realtime", "transcription"]

DEFAULT_TRANSCRIPTION_MODEL = "gpt-4o-transcribe"
"""What a transcription session transcribes with when no model is set (it streams deltas)."""


class TurnDetection(_Section):
    type: TurnDetectionType = "server_vad"
    threshold: float = Field(0.5, ge=0.0, le=1.0)
    """server_vad: activation threshold."""
    prefix_padding_ms: int = Field(300, ge=0)
    """server_vad: audio kept before speech starts."""
    silence_duration_ms: int = Field(500, ge=0)
    """server_vad: silence that ends a turn."""
    idle_timeout_ms: int | None = Field(None, ge=0)
    """server_vad (GA): commit after this much idle time."""
    eagerness: Literal["low", "medium", "high", "auto"] = "auto"
    """semantic_vad: how soon the model answers."""
    create_response: bool = True
    interrupt_response: bool = True


class FunctionTool(_Section):
    """A function the model may call; `parameters` is a JSON schema."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    type: Literal["function"] = "function"
    name: str
    description: str = ""
    parameters: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})
    """In the file either a TOML table or, when the schema holds JSON nulls (which TOML
    cannot write), a string of JSON."""

    @field_validator("parameters", mode="before")
    @classmethod
    def _parameters_from_json_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise ValueError("parameters text is not valid JSON") from None
            if not isinstance(value, dict):
                raise ValueError("parameters must be a JSON object")
        return value

    answer: ToolAnswer = "ask"
    """Who answers a call: "ask" the user in a dialog, a built-in "demo" tool (get_time,
    get_weather), or "command" (the shell command below). Never sent to the service."""
    command: str = ""
    """answer = "command": run by the shell, the call's arguments JSON on its stdin; what
    it prints is the output."""
    timeout_s: float = Field(10.0, gt=0)
    """answer = "command": how long the command may run before it is stopped."""

    @model_validator(mode="after")
    def _answer_is_possible(self) -> FunctionTool:
        if self.answer == "command" and not self.command.strip():
            raise ValueError('answer = "command" needs a command to run')
        if self.answer == "demo" and self.name not in DEMO_TOOL_NAMES:
            names = ", ".join(DEMO_TOOL_NAMES)
            raise ValueError(f'answer = "demo" is only for the built-in tools ({names})')
        return self


class McpTool(_Section):
    """A remote MCP server whose tools the service lists and calls by itself."""

    type: Literal["mcp"] = "mcp"
    server_label: str
    server_url: str
    require_approval: Literal["always", "never"] = "never"
    """Sent as is: "always" makes each call wait for the user's approval, which rt-tui
    asks for in a dialog and sends as an `mcp_approval_response`."""


def _tool_type(value: Any) -> str:
    # A tool written without a type is a function, as the service reads it.
    if isinstance(value, dict):
        return str(value.get("type", "function"))
    return str(getattr(value, "type", "function"))


SessionTool = Annotated[
    Annotated[FunctionTool, Tag("function")] | Annotated[McpTool, Tag("mcp")],
    Discriminator(_tool_type),
]


class SessionSettings(_Section):
    """What `session.update` carries."""

    type: SessionType = "realtime"
    """transcription: the session only transcribes what it hears and never answers (GA
    `session.type`, beta `transcription_session.update`); only the turn detection and the
    transcription model apply. `rt-tui --transcribe` chooses it for one run."""
    instructions: str | None = None
    """None leaves the server's default instructions in place."""
    voice: str | None = None
    """None leaves the server's default voice."""
    output_modality: Literal["text", "audio"] = "text"
    turn_detection: TurnDetection = Field(default_factory=TurnDetection)
    input_transcription_model: str | None = None
    """e.g. whisper-1, gpt-4o-transcribe; None turns input transcription off."""
    tools: list[SessionTool] = Field(default_factory=list)
    max_output_tokens: int | Literal["inf"] = "inf"

    @property
    def transcribes_only(self) -> bool:
        return self.type == "transcription"

    @property
    def transcription_model(self) -> str | None:
        """The model input audio is transcribed with (a transcription session always has one)."""
        if self.input_transcription_model:
            return self.input_transcription_model
        return DEFAULT_TRANSCRIPTION_MODEL if self.transcribes_only else None
