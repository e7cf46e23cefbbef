"""The responses of one mock session: create, cancel, barge-in, and what they cost.

At most one response streams at a time; `response.create` while one runs is refused, as
the service does. A response started by server VAD waits for the one before it to end.
A scenario's request budget refuses `response.create` once spent, and its cut ends the
socket in the middle of an answer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from websockets.exceptions import ConnectionClosed

from rt_tui.dialect import Dialect
from rt_tui.mock.errors import MockError, invalid_type, unknown_parameter
from rt_tui.mock.mcp import plan_mcp_call
from rt_tui.mock.responder import audio_tokens, count_tokens, last_user_text, plan_reply
from rt_tui.mock.response_run import ResponseRun
from rt_tui.mock.response_spec import ResponseSpec
from rt_tui.mock.session_config import DEFAULT_INSTRUCTIONS
from rt_tui.mock.shapes import check_response_params

if TYPE_CHECKING:
    from rt_tui.mock.session import MockSession

JsonObject = dict[str, Any]
log = logging.getLogger(__name__)

_RESPONSE_FIELDS_COMMON = {
    "instructions",
    "tools",
    "tool_choice",
    "conversation",
    "input",
    "metadata",
}
RESPONSE_FIELDS = {
    Dialect.GA: _RESPONSE_FIELDS_COMMON
    | {"output_modalities", "audio", "max_output_tokens", "prompt", "reasoning"},
    Dialect.BETA: _RESPONSE_FIELDS_COMMON
    | {"modalities", "voice", "output_audio_format", "temperature", "max_response_output_tokens"},
}


@dataclass(slots=True)
class RequestBudget:
    """Responses a server allows in its life, shared by all its sessions (the service's rate
    limits are the account's, so a new session does not start afresh)."""

    limit: int
    used: int = 0

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    def refusal(self, model: str) -> MockError:
        """The service's error for a `response.create` over the limit."""
        return MockError(
            "rate_limit_exceeded",
            f"Rate limit reached for {model} on requests per min (RPM): Limit {self.limit}, "
            f"Used {self.used}, Requested 1. Please try again in 60s.",
            error_type="requests",
        )


class Responses:
    """Owns the session's running response; the `RunHost` its streams report to."""

    def __init__(self, session: MockSession) -> None:
        self.session = session
        self.dialect = session.dialect
        self.run_in_progress: ResponseRun | None = None
        self._responses = 0
        self._tokens_used = 0
        self._last_input = (0, 0)

    async def emit(self, event: JsonObject) -> None:
        await self.session.emit(event)

    def new_id(self, prefix: str) -> str:
        return self.session.new_id(prefix)

    @property
    def active(self) -> ResponseRun | None:
        """The response streaming now, if any."""
        return self._active()

    def _active(self) -> ResponseRun | None:
        run = self.run_in_progress
        return run if run is not None and run.status == "in_progress" else None

    async def create(self, data: JsonObject) -> None:
        """`response.create`: refuse while one runs, check the overrides, start streaming."""
        active = self._active()
        if active is not None:
            raise MockError(
                "conversation_already_has_active_response",
                f"Conversation already has an active response in progress: "
                f"{active.response_id}. Wait until the response is finished before "
                "creating a new one.",
            )
        params = data.get("response")
        params = {} if params is None else params
        if not isinstance(params, dict):
            raise invalid_type("response", "an object", params)
        for key in params:
            if key not in RESPONSE_FIELDS[self.dialect]:
                raise unknown_parameter(f"response.{key}")
        check_response_params(params, self.dialect)
        budget = self.session.options.request_budget
        if budget is not None and budget.remaining == 0:
            raise budget.refusal(str(self.session.config.data.get("model") or "the model"))
        self.start(params)

    def start(self, params: JsonObject | None = None) -> ResponseRun:
        """Begin streaming a response (after any response still running has finished)."""
        self.session.audio_in.disarm_idle_timer()
        params = params or {}
        config = self.session.config
        ga = self.dialect is Dialect.GA
        out_of_band = params.get("conversation") == "none"
        context = self.session.items.items
        if out_of_band and isinstance(params.get("input"), list):
            context = [i for i in params["input"] if isinstance(i, dict)]
        raw_tools = params.get("tools")
        tools = (
            [t for t in raw_tools if isinstance(t, dict)] if isinstance(raw_tools, list) else None
        )
        instructions = params.get("instructions", config.data.get("instructions", ""))
        user_text = last_user_text(context, self.session.items.audio_ms) or ""
        mcp = plan_mcp_call(user_text, config.data.get("tools"), context)
        reply = mcp or plan_reply(
            context,
            tools if tools is not None else config.function_tools,
            params.get("tool_choice", config.tool_choice),
            self.session.items.audio_ms,
            instructions=_own_instructions(instructions),
        )
        modalities_key = "output_modalities" if ga else "modalities"
        audio_override = _as_dict(_as_dict(params.get("audio")).get("output")) if ga else params
        text_in = count_tokens(str(instructions)) + sum(_item_tokens(i) for i in context)
        audio_in = sum(
            audio_tokens(self.session.items.audio_ms.get(str(i.get("id")), 0)) for i in context
        )
        cached_text, cached_audio = (
            min(self._last_input[0], text_in),
            min(self._last_input[1], audio_in),
        )
        self._last_input = (text_in, audio_in)
        max_key = "max_output_tokens" if ga else "max_response_output_tokens"
        spec = ResponseSpec(
            response_id=self.session.new_id("resp"),
            reply=reply,
            audio=config.output_audio(params),
            modalities=_modalities(params.get(modalities_key)) or config.modalities,
            voice=audio_override.get("voice", config.voice),
            output_format=(
                audio_override.get("format", config.output_format)
                if ga
                else params.get("output_audio_format", config.output_format)
            ),
            max_output_tokens=params.get(max_key, config.max_output_tokens),
            conversation_id=None if out_of_band else self.session.conversation_id,
            metadata=params.get("metadata"),
            temperature=None if ga else params.get("temperature", config.data.get("temperature")),
            input_text_tokens=text_in,
            input_audio_tokens=audio_in,
            cached_text_tokens=cached_text,
            cached_audio_tokens=cached_audio,
        )
        budget = self.session.options.request_budget
        if budget is not None:
            budget.used += 1
        previous = self._active()
        previous_done = previous.finished if previous is not None else None
        run = ResponseRun(
            self,
            spec,
            None if out_of_band else self.session.items,
            delay=self.session.options.delta_delay,
            after=previous_done,
            pacing=self.session.options.pacing,
            rng=self.session.options.random,
        )
        self.run_in_progress = run
        self.session.spawn(self._drive(run))
        return run

    async def _drive(self, run: ResponseRun) -> None:
        try:
            await run.run()
        except ConnectionClosed:
            pass
        except Exception:  # a bug in the mock must not kill the server
            log.exception("mock response %s failed", run.response_id)
        finally:
            run.finished.set()

    def response_finished(self, run: ResponseRun) -> JsonObject:
        """Count the response against the rate limits; the `rate_limits.updated` event."""
        self._responses += 1
        self.session.audio_in.arm_idle_timer(run.audio_ms)
        usage = run.usage or {}
        self._tokens_used += int(usage.get("total_tokens", 0))
        options = self.session.options
        budget = options.request_budget
        if budget is None:
            budget = RequestBudget(options.rate_limit_requests, self._responses)
        return {
            "type": "rate_limits.updated",
            "rate_limits": [
                {
                    "name": "requests",
                    "limit": budget.limit,
                    "remaining": budget.remaining,
                    "reset_seconds": 60,
                },
                {
                    "name": "tokens",
                    "limit": options.rate_limit_tokens,
                    "remaining": max(0, options.rate_limit_tokens - self._tokens_used),
                    "reset_seconds": round(60 * self._tokens_used / options.rate_limit_tokens, 3),
                },
            ],
        }

    async def streamed(self, deltas: int) -> None:
        """A running answer has sent `deltas` deltas (0: just `response.created`): a
        scenario's cut strikes here, once in the server's life."""
        cut = self.session.options.cut
        if cut is not None and deltas >= cut.after_deltas:
            self.session.options.cut = None
            await self.session.cut_off(cut)

    async def cancel(self, data: JsonObject) -> None:
        """`response.cancel`: stop the running response, or `response_cancel_not_active`."""
        run = self._active()
        wanted = data.get("response_id")
        if (
            run is None
            or (wanted is not None and wanted != run.response_id)
            or not run.cancel("client_cancelled")
        ):
            raise MockError(
                "response_cancel_not_active",
                "Cancellation failed: no active response found.",
            )

    def interrupt(self) -> None:
        """Speech started: end the running response if the session says so (barge-in)."""
        run = self._active()
        detection = self.session.config.turn_detection or {}
        if run is not None and detection.get("interrupt_response", True):
            run.cancel("turn_detected")


def _own_instructions(instructions: object) -> str | None:
    """Instructions the client set (not the mock's default), for the reply to quote."""
    if (
        isinstance(instructions, str)
        and instructions.strip()
        and instructions != DEFAULT_INSTRUCTIONS
    ):
        return instructions
    return None


def _as_dict(value: object) -> JsonObject:
    return value if isinstance(value, dict) else {}


def _modalities(value: object) -> list[str]:
    if not isinstance(value, list):
        return []
    return [m for m in value if m in ("text", "audio")]


def _item_tokens(item: JsonObject) -> int:
    """Rough text tokens of one item, for usage figures."""
    total = 0
    for key in ("arguments", "output"):
        if isinstance(item.get(key), str):
            total += count_tokens(item[key])
    for part in item.get("content") or []:
        if isinstance(part, dict):
            for key in ("text", "transcript"):
                if isinstance(part.get(key), str):
                    total += count_tokens(part[key])
    return total
