"""The tool workbench's glue: the function calls a finished response leaves are answered
by a demo tool, a shell command (a background job) or the user in a dialog, each on its
own, and an MCP server's approval requests by the user (approve or deny, in a dialog);
the model is asked to go on once all of a response's calls have answers.

The main screen hands it each batch's finished responses (`responses_finished`), the
commands' answers (`ToolAnswered`) and `/output` (`answer_by_hand`); it sends through the
callables it was given and shows what happened as notices in the conversation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from textual.dom import DOMNode
from textual.message import Message

from rt_tui.realtime import client_events
from rt_tui.realtime.client_events import ClientEvent
from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.conversation_items import pending_call_id
from rt_tui.realtime.errors import one_line, scrub
from rt_tui.tool_answers.demo import demo_output
from rt_tui.tool_answers.desk import CallDesk, PendingApproval, PendingCall
from rt_tui.tool_answers.shell import CommandAnswer, run_command
from rt_tui.tui import jobs

if TYPE_CHECKING:
    from rt_tui.session_settings import SessionTool


class ToolAnswered(Message):
    """A tool's shell command finished (or failed, said in `answer`)."""

    def __init__(self, call: PendingCall, answer: CommandAnswer) -> None:
        super().__init__()
        self.call = call
        self.answer = answer


async def _run(call: PendingCall, post: Callable[[Message], Any]) -> None:
    """The command job's body: run it, post what it answered."""
    post(ToolAnswered(call, await run_command(call.command, call.arguments, call.timeout_s)))


class ToolCalls:
    """Answers the calls of one conversation (see the module doc)."""

    def __init__(
        self,
        node: DOMNode,
        *,
        send: Callable[[ClientEvent], object],
        response_create: Callable[[], ClientEvent],
        notice: Callable[[str], object],
    ) -> None:
        """`node` runs the command jobs and opens the dialogs (the main screen)."""
        self.node = node
        self.send = send
        self.response_create = response_create
        self.notice = notice
        self.desk = CallDesk()
        self._asks: list[PendingCall | PendingApproval] = []
        """Calls and approval requests waiting for the user, oldest first."""
        self._asking = False

    def reset(self) -> None:
        """A new conversation: nothing waits."""
        self.desk = CallDesk()
        self._asks = []

    def responses_finished(
        self,
        conversation: Conversation,
        response_ids: Iterable[str],
        tools: Sequence[SessionTool],
    ) -> None:
        """Answer, or ask for, the calls of the responses that just finished."""
        calls, ready = self.desk.finished(conversation, response_ids, tools)
        for _ in ready:
            self.send(self.response_create())
        for call in calls:
            if isinstance(call, PendingApproval):
                self._asks.append(call)
            elif call.answer == "demo":
                self._answer(call.call_id, demo_output(call.name, call.arguments))
                self.notice(f"ƒ {call.name} answered by the built-in demo tool.")
            elif call.answer == "command":
                # A command line may hold a token: what is key-shaped is not shown.
                shown = one_line(scrub(call.command), 80)
                self.notice(f"ƒ {call.name}: running `{shown}`…")
                jobs.start(self.node, jobs.TOOL_COMMAND, _run(call, self.node.post_message))
            else:
                self._asks.append(call)
        self._ask_next()

    def command_answered(self, message: ToolAnswered) -> None:
        call, answer = message.call, message.answer
        if answer.failed:
            self.notice(f"ƒ {call.name}: {answer.output} (sent to the model as the output)")
        else:
            self.notice(f"ƒ {call.name} answered by its command.")
        self._answer(call.call_id, answer.output)

    def answer_by_hand(self, conversation: Conversation, output: str) -> None:
        """`/output TEXT` answers the newest waiting call; `/output` alone opens the dialog."""
        if not output:
            if not self._asks:
                self.notice("No function call or MCP approval waits for an answer from you.")
            self._ask_next()
            return
        call_id = pending_call_id(conversation.items)
        if call_id is None or self.desk.is_answered(call_id):
            self.notice("There is no function call waiting for an output.")
            return
        self._asks = [c for c in self._asks if getattr(c, "call_id", None) != call_id]
        self._answer(call_id, output)

    def _answer(self, call_id: str, output: str) -> None:
        self.send(client_events.function_call_output(call_id, output))
        if self.desk.answer(call_id):
            self.send(self.response_create())

    def _approve(self, ask: PendingApproval, approve: bool) -> None:
        self.send(client_events.mcp_approval_response(ask.request_id, approve))
        verdict = "approved: the service runs it" if approve else "denied: it does not run"
        self.notice(f"⚙ MCP {ask.server_label} · {ask.name} {verdict}.")
        if self.desk.answer(ask.request_id):
            self.send(self.response_create())

    def _ask_next(self) -> None:
        """Open the dialog for the oldest call or approval that waits for the user, if
        none is open."""
        if self._asking or not self._asks:
            return
        ask = self._asks[0]
        self._asking = True

        def answered(answer: str | bool | None) -> None:
            self._asking = False
            if answer is None:
                return  # Later: it keeps waiting, `/output` reopens the dialog.
            if ask in self._asks:
                self._asks.remove(ask)
                if isinstance(ask, PendingApproval):
                    self._approve(ask, answer is True)
                else:
                    self._answer(ask.call_id, str(answer))
            self._ask_next()

        if isinstance(ask, PendingApproval):
            from rt_tui.tui.mcp_approval import McpApprovalDialog

            self.node.app.push_screen(McpApprovalDialog(ask, len(self._asks)), answered)
        else:
            from rt_tui.tui.call_answer import CallAnswerDialog

            self.node.app.push_screen(CallAnswerDialog(ask, len(self._asks)), answered)
