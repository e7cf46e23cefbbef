"""The conversation reducer, event by event: ordering, streaming, audio, odd input."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from rt_tui.realtime.audio_store import BYTES_PER_MS, AudioStore
from rt_tui.realtime.conversation import MAX_NOTES, Conversation
from rt_tui.realtime.conversation_model import NO_CHANGE, Change, TextBuffer
from rt_tui.realtime.conversation_requests import SENT_EVENT_MEMORY, RequestTracker
from rt_tui.realtime.events import parse_server_frame
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.reseed import end_socket
from rt_tui.tui.widgets.conversation_views import describe_item


class Feed:
    """Applies frames to a conversation with a ticking clock."""

    def __init__(self) -> None:
        self.conversation = Conversation()
        self.t_ms = 0.0

    def received(self, kind: str, **fields: Any) -> Change:
        self.t_ms += 10
        data = json.dumps({"type": kind, **fields})
        frame = Frame(Direction.RECEIVED, self.t_ms, 0.0, data, event=parse_server_frame(data))
        return self.conversation.apply(frame)

    def raw(self, data: str | bytes, *, parsed: bool = True) -> Change:
        self.t_ms += 10
        event = parse_server_frame(data) if parsed else None
        return self.conversation.apply(Frame(Direction.RECEIVED, self.t_ms, 0.0, data, event=event))

    def sent(self, event: dict[str, Any]) -> Change:
        self.t_ms += 10
        frame = Frame(Direction.SENT, self.t_ms, 0.0, json.dumps(event), client_event=event)
        return self.conversation.apply(frame)

    def added(self, item_id: str, previous: str | None, **item: Any) -> Change:
        body = {"id": item_id, "type": "message", "role": "user", "content": [], **item}
        return self.received("conversation.item.added", previous_item_id=previous, item=body)

    def ids(self) -> list[str]:
        return [item.id for item in self.conversation.items]


@pytest.fixture
def feed() -> Feed:
    return Feed()


def test_items_follow_previous_item_id(feed: Feed) -> None:
    assert feed.added("a", None).order
    feed.added("c", "a")
    feed.added("b", "a")  # inserted between a and c
    feed.added("first", "root")
    feed.added("z", "unknown_id")  # unknown predecessor: appended
    assert feed.ids() == ["first", "a", "b", "c", "z"]
    assert feed.conversation.item_ids == ("first", "a", "b", "c", "z")
    assert len(feed.conversation) == 5


def test_a_repeated_item_event_updates_in_place(feed: Feed) -> None:
    feed.added("a", None)
    feed.added("b", "a", status="in_progress")
    change = feed.received(
        "conversation.item.done",
        previous_item_id="a",
        item={"id": "b", "type": "message", "role": "user", "status": "completed"},
    )
    assert change == Change(items=frozenset({"b"}))
    assert feed.ids() == ["a", "b"]
    b = feed.conversation.item("b")
    assert b is not None
    assert b.status == "completed"


def test_an_item_moves_when_the_server_places_it(feed: Feed) -> None:
    feed.added("a", None)
    # The transcription came first and made a placeholder at the end.
    feed.received(
        "conversation.item.input_audio_transcription.delta",
        item_id="u",
        content_index=0,
        delta="hel",
    )
    feed.added("b", "a")
    assert feed.ids() == ["a", "b", "u"]
    change = feed.added("u", "a", content=[{"type": "input_audio", "transcript": None}])
    assert change.order
    assert feed.ids() == ["a", "u", "b"]
    assert not feed.added("u", "a").order  # already there
    u = feed.conversation.item("u")
    assert u is not None
    assert u.text == "hel"  # the null transcript did not wipe the streamed one


def test_committed_audio_shows_a_user_item_at_once(feed: Feed) -> None:
    feed.added("a", None)
    change = feed.received("input_audio_buffer.committed", previous_item_id="a", item_id="u")
    assert change.items == {"u"}
    assert change.order
    u = feed.conversation.item("u")
    assert u is not None
    assert (u.role, [p.type for p in u.content]) == ("user", ["input_audio"])


def test_input_transcription_failure_is_kept_on_the_part(feed: Feed) -> None:
    feed.added("u", None, content=[{"type": "input_audio", "transcript": None}])
    error = {"type": "transcription_error", "code": "audio_unintelligible", "message": "?"}
    feed.received(
        "conversation.item.input_audio_transcription.failed",
        item_id="u",
        content_index=0,
        error=error,
    )
    u = feed.conversation.item("u")
    assert u is not None
    assert u.content[0].transcription_error == error
    assert not u.content[0].done


def test_audio_is_decoded_into_the_store(feed: Feed) -> None:
    pcm = b"\x01\x02" * 2400  # 100 ms
    for _ in range(2):
        feed.received(
            "response.output_audio.delta",
            response_id="r",
            item_id="x",
            output_index=0,
            content_index=0,
            delta=base64.b64encode(pcm).decode(),
        )
    assert feed.conversation.audio.get("x") == pcm * 2
    assert feed.conversation.audio.duration_ms("x") == 200
    x = feed.conversation.item("x")
    assert x is not None
    assert [p.type for p in x.content] == ["output_audio"]
    # The state holds bytes only, never the base64 text.
    assert "AQI" not in repr(x)


def test_bad_base64_audio_leaves_a_note(feed: Feed) -> None:
    change = feed.received(
        "response.output_audio.delta",
        response_id="r",
        item_id="x",
        output_index=0,
        content_index=0,
        delta="Base64EncodedAudioDelta",
    )
    assert change.notes
    assert feed.conversation.audio.get("x") == b""
    assert "not valid base64" in feed.conversation.notes[-1].message


def test_truncation_cuts_the_audio_to_what_was_heard(feed: Feed) -> None:
    pcm = b"\x00\x00" * 24 * 1000  # 1 s
    feed.received(
        "response.output_audio.delta",
        response_id="r",
        item_id="x",
        output_index=0,
        content_index=0,
        delta=base64.b64encode(pcm).decode(),
    )
    change = feed.received(
        "conversation.item.truncated", item_id="x", content_index=0, audio_end_ms=250
    )
    assert change.items == {"x"}
    assert feed.conversation.audio.duration_ms("x") == 250
    x = feed.conversation.item("x")
    assert x is not None
    assert x.content[0].truncated_audio_end_ms == 250
    assert (
        feed.received(
            "conversation.item.truncated", item_id="gone", content_index=0, audio_end_ms=1
        )
        is NO_CHANGE
    )


def test_deleting_an_item_drops_its_audio(feed: Feed) -> None:
    feed.received(
        "response.output_audio.delta",
        response_id="r",
        item_id="x",
        output_index=0,
        content_index=0,
        delta=base64.b64encode(b"\0\0").decode(),
    )
    change = feed.received("conversation.item.deleted", item_id="x")
    assert change.removed_items == {"x"}
    assert feed.conversation.items == []
    assert "x" not in feed.conversation.audio
    assert feed.received("conversation.item.deleted", item_id="x") is NO_CHANGE


def test_final_text_replaces_the_streamed_text(feed: Feed) -> None:
    where = {"response_id": "r", "item_id": "x", "output_index": 0, "content_index": 0}
    feed.received("response.output_text.delta", **where, delta="Helo")
    feed.received("response.output_text.done", **where, text="Hello")
    x = feed.conversation.item("x")
    assert x is not None
    assert x.text == "Hello"
    assert x.content[0].done


def test_content_parts_are_kept_by_index(feed: Feed) -> None:
    where = {"response_id": "r", "item_id": "x", "output_index": 0}
    feed.received("response.output_text.delta", **where, content_index=1, delta="second")
    feed.received("response.output_text.delta", **where, content_index=0, delta="first")
    x = feed.conversation.item("x")
    assert x is not None
    assert [p.text for p in x.content] == ["first", "second"]
    assert x.text == "first\nsecond"


def test_active_response(feed: Feed) -> None:
    assert feed.conversation.active_response_id is None
    feed.received("response.created", response={"id": "r1", "status": "in_progress"})
    feed.received("response.created", response={"id": "r2", "status": "in_progress"})
    assert feed.conversation.active_response_id == "r2"
    feed.received("response.done", response={"id": "r2", "status": "cancelled"})
    assert feed.conversation.active_response_id == "r1"
    assert feed.conversation.response("r2") is feed.conversation.responses["r2"]
    assert feed.conversation.response("nope") is None


def test_a_new_socket_counts_usage_into_its_own_totals(feed: Feed) -> None:
    usage = {"input_tokens": 3}
    feed.received("response.done", response={"id": "r1", "status": "completed", "usage": usage})
    end_socket(feed.conversation)
    feed.received("response.done", response={"id": "r2", "status": "completed", "usage": usage})
    assert (feed.conversation.totals.responses, feed.conversation.totals.input_tokens) == (1, 3)


def test_response_done_twice_counts_usage_once(feed: Feed) -> None:
    body = {"id": "r", "status": "completed", "output": [], "usage": {"input_tokens": 3}}
    assert feed.received("response.done", response=body).totals
    assert not feed.received("response.done", response=body).totals
    assert feed.conversation.totals.input_tokens == 3


def test_vad_response_is_timed_from_the_end_of_speech(feed: Feed) -> None:
    feed.received("input_audio_buffer.speech_started", audio_start_ms=0, item_id="u")
    feed.received("input_audio_buffer.speech_stopped", audio_end_ms=900, item_id="u")
    stopped_at = feed.t_ms
    feed.received("input_audio_buffer.committed", item_id="u", previous_item_id=None)
    feed.received("response.created", response={"id": "r1", "status": "in_progress"})
    timings = feed.conversation.responses["r1"].timings
    assert (timings.request_source, timings.requested_ms) == ("speech_stopped", stopped_at)
    # The turn end is used once: a later response without a request has no request time.
    feed.received("response.created", response={"id": "r2", "status": "in_progress"})
    r2 = feed.conversation.responses["r2"].timings
    assert r2.requested_ms is None
    assert r2.time_to_created_ms is None
    assert r2.start_ms == r2.created_ms


def test_manual_commit_is_timed_from_response_create(feed: Feed) -> None:
    feed.sent({"type": "input_audio_buffer.commit", "event_id": "e1"})
    feed.received("input_audio_buffer.committed", item_id="u", previous_item_id=None)
    feed.sent({"type": "response.create", "event_id": "e2"})
    sent_at = feed.t_ms
    feed.received("response.created", response={"id": "r", "status": "in_progress"})
    timings = feed.conversation.responses["r"].timings
    assert (timings.request_source, timings.requested_ms) == ("response.create", sent_at)
    assert timings.time_to_created_ms == 10


def test_sent_frames_change_nothing_visible(feed: Feed) -> None:
    assert feed.sent({"type": "response.create", "event_id": "e1"}) is NO_CHANGE
    frame = Frame(Direction.SENT, 1.0, 0.0, "{}", client_event=None)
    assert feed.conversation.apply(frame) is NO_CHANGE
    assert not NO_CHANGE


def test_error_names_the_sent_event(feed: Feed) -> None:
    feed.sent({"type": "conversation.item.delete", "item_id": "nope", "event_id": "e9"})
    error = {"type": "invalid_request_error", "code": "item_not_found", "message": "No item."}
    change = feed.received("error", error={**error, "event_id": "e9"})
    assert change == Change(errors=True)
    record = feed.conversation.errors[0]
    assert (record.client_event_type, record.error.code, record.t_ms) == (
        "conversation.item.delete",
        "item_not_found",
        feed.t_ms,
    )
    feed.received("error", error={**error, "event_id": "never_sent"})
    assert feed.conversation.errors[1].client_event_type is None


def test_session_and_rate_limits(feed: Feed) -> None:
    assert feed.received("session.updated", session={"type": "realtime", "id": "s"}).session
    assert feed.conversation.session == {"type": "realtime", "id": "s"}
    limits = [{"name": "tokens", "limit": 10, "remaining": 5, "reset_seconds": 1.5}]
    assert feed.received("rate_limits.updated", rate_limits=limits).rate_limits
    assert feed.conversation.rate_limits[0].remaining == 5


def test_odd_frames_leave_notes_not_crashes(feed: Feed) -> None:
    assert feed.raw("not json").notes
    assert feed.raw(b"\x00\x01").notes
    assert feed.raw("[]", parsed=False).notes  # a frame handed over unparsed
    assert feed.received("brand.new_event") is NO_CHANGE
    assert feed.received("output_audio_buffer.started") is NO_CHANGE
    assert feed.received("response.output_text.delta", delta="orphan").notes
    assert feed.received("conversation.item.added", item={}).notes
    assert feed.received("response.created", response={}).notes
    assert feed.conversation.items == []
    assert len(feed.conversation.notes) == 6


def test_notes_are_bounded(feed: Feed) -> None:
    for _ in range(MAX_NOTES + 5):
        feed.raw(b"")
    assert len(feed.conversation.notes) == MAX_NOTES


def test_text_buffer_appends_and_replaces() -> None:
    buffer = TextBuffer()
    for piece in ["a", "", "bc", "d"]:
        buffer.append(piece)
    assert (buffer.text, len(buffer), str(buffer)) == ("abcd", 4, "abcd")
    buffer.append("e")
    assert buffer.text == "abcde"
    buffer.set("final")
    assert (buffer.text, len(buffer)) == ("final", 5)
    buffer.set("")
    assert (buffer.text, len(buffer)) == ("", 0)
    assert repr(TextBuffer("xyz")) == "TextBuffer(3 chars)"


def test_audio_store() -> None:
    store = AudioStore()
    store.append("a", b"\0" * BYTES_PER_MS * 10)
    store.append("b", b"\1" * 4)
    store.append("a", b"\2" * BYTES_PER_MS * 10)
    assert (store.size("a"), store.duration_ms("a"), store.total_bytes) == (960, 20.0, 964)
    assert list(store.item_ids()) == ["a", "b"]
    assert (len(store), "a" in store, "zz" in store) == (2, True, False)
    store.truncate("a", 5)
    assert store.get("a") == b"\0" * BYTES_PER_MS * 5
    store.truncate("a", 50)  # beyond the end: nothing to cut
    store.truncate("missing", 1)
    assert store.total_bytes == 244
    store.discard("a")
    store.discard("a")
    assert (store.get("a"), store.duration_ms("a"), store.total_bytes) == (b"", 0.0, 4)


def test_a_conversation_can_share_an_audio_store() -> None:
    store = AudioStore()
    assert Conversation(store).audio is store


def test_request_tracker_forgets_old_sent_events() -> None:
    tracker = RequestTracker()
    for n in range(SENT_EVENT_MEMORY + 1):
        tracker.sent("input_audio_buffer.append", f"e{n}", float(n))
    assert tracker.rejected("e0") is None
    assert tracker.rejected(f"e{SENT_EVENT_MEMORY}") == "input_audio_buffer.append"
    assert tracker.claim() is None
    tracker.turn_ended("committed", 1.0, overwrite=False)
    tracker.turn_ended("committed", 2.0, overwrite=False)  # the first end stands
    assert tracker.claim() == ("committed", 1.0)
    assert tracker.claim() is None


def test_request_tracker_forgets_everything_when_the_socket_is_lost() -> None:
    tracker = RequestTracker()
    tracker.sent("response.create", "e1", 1.0)
    tracker.turn_ended("speech_stopped", 2.0)
    tracker.forget()
    assert tracker.rejected("e1") is None
    assert tracker.claim() is None


def test_a_cut_keeps_the_transcript_that_came_with_the_audio_heard(feed: Feed) -> None:
    where = {"response_id": "r", "item_id": "x", "output_index": 0, "content_index": 0}
    for word in ("Hello ", "there, ", "how ", "are ", "you?"):  # 200 ms of audio each
        audio = base64.b64encode(b"\x01\x00" * 24 * 200).decode()
        feed.received("response.output_audio.delta", **where, delta=audio)
        feed.received("response.output_audio_transcript.delta", **where, delta=word)
    feed.received("conversation.item.truncated", item_id="x", content_index=0, audio_end_ms=450)
    x = feed.conversation.item("x")
    assert x is not None
    part = x.content[0]
    assert part.heard_chars == len("Hello there, ")  # the third word was half said
    view = describe_item(x)
    assert "Hello there, ✂" in view.body
    assert "audio cut at 450 ms: the rest was not heard" in view.body
    assert "how are you" not in view.body
