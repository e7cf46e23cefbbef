"""What the conversation's state reads as on screen, without an app."""

from __future__ import annotations

from test_conversation_sequences import load_sequence

from rt_tui.realtime.conversation import Conversation
from rt_tui.tui.widgets.conversation_views import function_call_hint, pending_call_id


def test_function_call_hint_once_the_calling_response_completes() -> None:
    conversation = Conversation()
    hints: list[tuple[str, str]] = []
    for frame in load_sequence("function_call_ga"):
        change = conversation.apply(frame)
        hint = function_call_hint(conversation, change.responses)
        if hint is not None:
            hints.append((frame.wire_type, hint))
    # The first response ends waiting on get_weather; the second (after the output) does not.
    assert hints == [
        (
            "response.done",
            "The model called get_weather: answer with '/output <result>' in the composer.",
        )
    ]
    assert pending_call_id(conversation.items) is None


def test_no_function_call_hint_for_a_response_that_did_not_call() -> None:
    conversation = Conversation()
    for frame in load_sequence("text_ga"):
        change = conversation.apply(frame)
        assert function_call_hint(conversation, change.responses) is None
