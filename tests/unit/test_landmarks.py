"""Where each item and response first shows among the frames, and what a frame names."""

from __future__ import annotations

import json

from rt_tui.inspector import samples
from rt_tui.inspector.landmarks import FrameLandmarks, Subject, subject_of_text


def test_the_first_frame_naming_each_item_and_response_is_kept() -> None:
    frames = [
        samples.sent({"type": "response.create"}, 0),
        samples.received({"type": "response.created", "response": {"id": "r1"}}, 10),
        samples.received(
            {"type": "response.output_item.added", "response_id": "r1", "item": {"id": "i1"}}, 11
        ),
        samples.transcript_delta("Hi", 12),
        samples.received({"type": "response.done", "response": {"id": "r1"}}, 20),
        samples.sent({"type": "conversation.item.delete", "item_id": "i1"}, 30),
    ]
    landmarks = FrameLandmarks()
    for index, frame in enumerate(frames, 100):
        landmarks.add(frame, index)
    assert landmarks.first_of_response("r1") == 101
    assert landmarks.first_of_item("i1") == 102
    assert landmarks.first_of_item("nope") is None
    landmarks.clear()
    assert landmarks.first_of_response("r1") is None


def test_a_frame_names_its_item_and_response_whatever_its_shape() -> None:
    delta = {"type": "response.output_text.delta", "item_id": "i", "response_id": "r"}
    assert subject_of_text(json.dumps(delta)) == Subject("i", "r")
    done = {"type": "response.done", "response": {"id": "r", "output": [{"id": "x"}]}}
    assert subject_of_text(json.dumps(done)) == Subject(None, "r")
    assert subject_of_text(
        json.dumps({"type": "conversation.item.added", "item": {"id": "i"}})
    ) == Subject("i")
    assert not subject_of_text('{"type": "response.create"}')
    assert not subject_of_text("not json")
    assert not subject_of_text(b"\x00binary")
