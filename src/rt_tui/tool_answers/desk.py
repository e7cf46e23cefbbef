"""Which function calls and MCP approval requests wait for an answer, who answers each,
and when the model may be asked to go on.

A response may end with several calls; each is answered on its own (a dialog, a demo
tool, a command), and the next `response.create` goes out once, when the response is
done and every one of its calls has an output: asking earlier would have the model
answer without the outputs still to come. An MCP server that asks before each call leaves
an `mcp_approval_request` instead, which the user approves or denies; it counts as one
of the response's calls, keyed by the request item's id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rt_tui.realtime.conversation import Conversation

if TYPE_CHECKING:
    from rt_tui.session_settings import FunctionTool, SessionTool, ToolAnswer


@dataclass(frozen=True, slots=True)
class PendingCall:
    """A function call the model waits on."""

    call_id: str
    name: str
    arguments: str
    response_id: str
    answer: ToolAnswer
    """Who answers it, as the settings say ("ask" for a tool they do not declare)."""
    command: str = ""
    timeout_s: float = 10.0


@dataclass(frozen=True, slots=True)
class PendingApproval:
    """An MCP call the service runs only once the user approves it."""

    request_id: str
    """The `mcp_approval_request` item's id, which the answer names."""
    server_label: str
    name: str
    arguments: str
    response_id: str


def _declared(tools: Sequence[SessionTool], name: str) -> FunctionTool | None:
    for tool in tools:  # Not isinstance: the settings' models load after the first frame.
        if tool.type == "function" and tool.name == name:
            return tool
    return None


class CallDesk:
    """The calls of one conversation that wait for outputs, by response."""

    def __init__(self) -> None:
        self._waiting: dict[str, set[str]] = {}
        """Finished responses' calls without an output yet, by response id."""
        self._answered: set[str] = set()
        """Calls with an output sent (their items may not be back from the server yet)."""
        self._seen: set[str] = set()
        """Responses with calls already looked at once they finished (one without calls
        leaves nothing to look at again: most replies, so they are not noted)."""

    def finished(
        self,
        conversation: Conversation,
        response_ids: Iterable[str],
        tools: Sequence[SessionTool],
    ) -> tuple[list[PendingCall | PendingApproval], list[str]]:
        """Look at the responses among `response_ids` that just completed: the calls and
        approval requests they left to answer, and the responses whose calls were all
        answered already (before the response ended), for which the model may be asked
        to go on now."""
        calls: list[PendingCall | PendingApproval] = []
        ready: list[str] = []
        for response_id in response_ids:
            response = conversation.response(response_id)
            if response is None or response.status != "completed" or response_id in self._seen:
                continue
            outputs = [item for item in map(conversation.item, response.output_item_ids) if item]
            made = [item for item in outputs if item.type == "function_call" and item.call_id]
            asks = [item for item in outputs if item.type == "mcp_approval_request"]
            open_calls = {item.id for item in asks if item.id not in self._answered}
            calls += [
                PendingApproval(
                    request_id=item.id,
                    server_label=item.server_label or "?",
                    name=item.name or "?",
                    arguments=item.arguments,
                    response_id=response_id,
                )
                for item in asks
                if item.id in open_calls
            ]
            if not made and not asks:
                continue  # Most replies: the whole conversation need not be looked through.
            self._seen.add(response_id)
            answered = self._answered | {
                item.call_id
                for item in conversation.items
                if item.type == "function_call_output" and item.call_id
            }
            for item in made:
                assert item.call_id is not None  # (filtered above)
                if item.call_id in answered:
                    continue
                open_calls.add(item.call_id)
                tool = _declared(tools, item.name or "")
                calls.append(
                    PendingCall(
                        call_id=item.call_id,
                        name=item.name or "?",
                        arguments=item.arguments,
                        response_id=response_id,
                        answer=tool.answer if tool is not None else "ask",
                        command=tool.command if tool is not None else "",
                        timeout_s=tool.timeout_s if tool is not None else 10.0,
                    )
                )
            if open_calls:
                self._waiting[response_id] = open_calls
            else:
                ready.append(response_id)
        return calls, ready

    def answer(self, call_id: str) -> bool:
        """Note that `call_id` (or an approval request's id) has its answer; True when
        that was the last one its finished response waited on (time to ask the model to
        go on)."""
        self._answered.add(call_id)
        for response_id, calls in list(self._waiting.items()):
            if call_id in calls:
                calls.discard(call_id)
                if not calls:
                    del self._waiting[response_id]
                    return True
        return False

    def waiting(self) -> int:
        """How many calls of finished responses still wait for an output."""
        return sum(len(calls) for calls in self._waiting.values())

    def is_answered(self, call_id: str) -> bool:
        return call_id in self._answered
