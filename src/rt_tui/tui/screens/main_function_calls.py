"""The main screen's side of function calls: saying when a response waits on one, and
answering it with `/output TEXT` from the composer.

Kept apart from `main.py` so that module stays about routing messages to widgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rt_tui.realtime import client_events
from rt_tui.tui.widgets.conversation_views import OUTPUT_COMMAND, pending_call_id

if TYPE_CHECKING:
    from rt_tui.tui.screens.main import MainScreen


def hint_pending_call(screen: MainScreen, response_ids: frozenset[str]) -> None:
    """When a response ends waiting on a function call, say how to answer it."""
    conversation = screen.conversation
    for response_id in response_ids:
        response = conversation.response(response_id)
        if response is None or response.status != "completed":
            continue
        pending = pending_call_id(conversation.items)
        for item_id in response.output_item_ids:
            item = conversation.item(item_id)
            if pending is not None and item is not None and item.call_id == pending:
                screen.notify(
                    f"The model called {item.name or 'a function'}: answer with "
                    f"'{OUTPUT_COMMAND}<result>' in the composer.",
                    title="Function call",
                )


def answer_call(screen: MainScreen, output: str) -> None:
    """`/output TEXT`: answer the newest unanswered function call, then ask for a reply."""
    call_id = pending_call_id(screen.conversation.items)
    if call_id is None:
        screen.notify("There is no function call waiting for an output.", severity="warning")
        return
    screen.session.send(client_events.function_call_output(call_id, output))
    screen.session.send(client_events.response_create(screen.dialect))
