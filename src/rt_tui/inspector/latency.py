"""Where a response's time went: its milestones from the end of the user's turn to
`response.done`, folded from the frames as they arrive, and the session's percentiles.

A response's milestones, in the order they normally come:

    speech stopped    input_audio_buffer.speech_stopped (server VAD heard the turn end)
    committed         input_audio_buffer.committed
    response.create   the client asked for the response
    response.created  the server started it
    first text        its first text, transcript or function-call arguments delta
    first audio       its first audio delta
    response.done     it ended

A text turn has no speech and no audio, a VAD turn no `response.create`: a response has
the milestones it has. Its spans are the times between them, one after the other in the
order they happened (the service may send the first audio before the first transcript);
its start is the earliest one. TTFA (time to first audio) and the total count from the
start.

Which turn a response answers is worked out as the conversation reducer does it: a new
response takes the oldest `response.create` not answered yet (one the server rejected is
dropped) and the speech stopped / committed marks of the turn that waits. The times are
the frames' own (ms since their socket opened), so a replayed log reads as it did live.

`add` costs one lookup for a frame's kind and, for a delta, one for its response: the
live path pays O(1) a frame, whatever the length of the session. What the figures amount
to (percentiles, a waterfall) is `latency_report`'s, worked out over the responses when
asked for.
"""

from __future__ import annotations

import math
import sys
from array import array
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from itertools import pairwise

from rt_tui.realtime.event_registry import ServerEvent
from rt_tui.realtime.events import parse_server_frame
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.response_events import DeltaEvent, ResponseEvent
from rt_tui.realtime.session_events import ErrorEvent

__all__ = ["LatencyTracker", "Mark", "Milestone", "ResponseLatency", "Span"]


class Milestone(IntEnum):
    """A moment in a response's life, in the order they normally come."""

    SPEECH_STOPPED = 0
    COMMITTED = 1
    REQUESTED = 2
    CREATED = 3
    FIRST_TEXT = 4
    FIRST_AUDIO = 5
    DONE = 6

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = (
    "speech stopped",
    "committed",
    "response.create",
    "response.created",
    "first text",
    "first audio",
    "response.done",
)

#: Received kinds that mark a milestone of the response they name.
_FIRST_DELTAS = {
    "response.output_text.delta": Milestone.FIRST_TEXT,
    "response.output_audio_transcript.delta": Milestone.FIRST_TEXT,
    "response.function_call_arguments.delta": Milestone.FIRST_TEXT,
    "response.mcp_call_arguments.delta": Milestone.FIRST_TEXT,
    "response.output_audio.delta": Milestone.FIRST_AUDIO,
}
_TURN_MARKS = {
    "input_audio_buffer.speech_stopped": Milestone.SPEECH_STOPPED,
    "input_audio_buffer.committed": Milestone.COMMITTED,
}


@dataclass(frozen=True, slots=True)
class Mark:
    """When a milestone happened: ms since its socket opened, and its frame's number (in
    arrival order, as the inspector numbers frames)."""

    t_ms: float
    frame: int


@dataclass(frozen=True, slots=True)
class Span:
    """The time between two milestones next to each other."""

    start: Milestone
    end: Milestone
    offset_ms: float
    """Where it starts, in ms after the response's start."""
    duration_ms: float

    @property
    def label(self) -> str:
        return f"{self.start.label} → {self.end.label}"


_MILESTONES = tuple(Milestone)
_NOT_YET = math.nan
"""A milestone's time before it happened."""


class MarkTable:
    """The milestones of every response of a session in two flat arrays (a time and a
    frame number for each of a response's seven milestones): an hour of replies keeps
    ~110 bytes a response here, instead of a dict and a record for each milestone."""

    __slots__ = ("frames", "times")

    def __init__(self) -> None:
        self.times = array("d")
        self.frames = array("q")

    def new_row(self) -> int:
        """Room for one more response's milestones; where its row starts."""
        start = len(self.times)
        self.times.extend(_EMPTY_TIMES)
        self.frames.extend(_EMPTY_FRAMES)
        return start


_EMPTY_TIMES = array("d", [_NOT_YET] * len(_MILESTONES))
_EMPTY_FRAMES = array("q", [-1] * len(_MILESTONES))


class ResponseLatency:
    """One response's milestones (kept in its tracker's `MarkTable`), status and tokens."""

    __slots__ = (
        "_row",
        "_table",
        "input_tokens",
        "number",
        "output_tokens",
        "response_id",
        "status",
    )

    def __init__(self, response_id: str, number: int, table: MarkTable | None = None) -> None:
        self.response_id = response_id
        self.number = number
        """1 for the session's first response, in the order they appeared."""
        self.status = "in_progress"
        self.input_tokens: int | None = None
        self.output_tokens: int | None = None
        self._table = table if table is not None else MarkTable()
        self._row = self._table.new_row()

    def __repr__(self) -> str:
        return f"ResponseLatency({self.response_id!r}, #{self.number}, {self.status})"

    def mark(self, milestone: Milestone, mark: Mark) -> bool:
        """Note `milestone` unless it is noted already; True if it is new."""
        at = self._row + milestone
        times = self._table.times
        if not math.isnan(times[at]):
            return False
        times[at] = mark.t_ms
        self._table.frames[at] = mark.frame
        return True

    def has(self, milestone: Milestone) -> bool:
        return not math.isnan(self._table.times[self._row + milestone])

    def get(self, milestone: Milestone) -> Mark | None:
        """When `milestone` happened, or None when it has not."""
        at = self._row + milestone
        t_ms = self._table.times[at]
        return None if math.isnan(t_ms) else Mark(t_ms, self._table.frames[at])

    @property
    def marks(self) -> dict[Milestone, Mark]:
        """The milestones that happened, in milestone order."""
        present = ((milestone, self.get(milestone)) for milestone in _MILESTONES)
        return {milestone: mark for milestone, mark in present if mark is not None}

    @property
    def start(self) -> Mark | None:
        """The earliest milestone: where the response's times count from (of two at the
        same moment, the one whose frame came first)."""
        marks = self.marks.values()
        return min(marks, key=lambda mark: (mark.t_ms, mark.frame)) if marks else None

    def since_start(self, milestone: Milestone) -> float | None:
        """Ms from the start to `milestone`, or None when it has not happened."""
        mark = self.get(milestone)
        start = self.start
        return None if mark is None or start is None else mark.t_ms - start.t_ms

    @property
    def ttfa_ms(self) -> float | None:
        """Time to first audio, from the start."""
        return self.since_start(Milestone.FIRST_AUDIO)

    @property
    def first_delta_ms(self) -> float | None:
        """Time to the first delta of any kind, from the start."""
        times = [
            t
            for t in (
                self.since_start(Milestone.FIRST_TEXT),
                self.since_start(Milestone.FIRST_AUDIO),
            )
            if t is not None
        ]
        return min(times) if times else None

    @property
    def total_ms(self) -> float | None:
        """From the start to `response.done`."""
        return self.since_start(Milestone.DONE)

    @property
    def tokens(self) -> int | None:
        """Input and output tokens together, once `response.done` said them."""
        if self.input_tokens is None or self.output_tokens is None:
            return None
        return self.input_tokens + self.output_tokens

    @property
    def finished(self) -> bool:
        return self.has(Milestone.DONE)

    @property
    def first_frame(self) -> int | None:
        """The number of the frame the response's turn starts with."""
        start = self.start
        return None if start is None else start.frame

    def spans(self) -> list[Span]:
        """The spans between its milestones, in the order they happened (milestones at the
        same moment in milestone order): first audio may come before first text."""
        start = self.start
        if start is None:
            return []
        present = sorted(self.marks.items(), key=lambda entry: (entry[1].t_ms, entry[0]))
        return [
            Span(a, b, mark_a.t_ms - start.t_ms, mark_b.t_ms - mark_a.t_ms)
            for (a, mark_a), (b, mark_b) in pairwise(present)
        ]


class LatencyTracker:
    """Every response's milestones, folded from the frames of a session as they come."""

    def __init__(self) -> None:
        self.responses: dict[str, ResponseLatency] = {}
        """By response id, in the order they appeared."""
        self._table = MarkTable()
        self.version = 0
        """Bumped whenever a response or a milestone is added, so a view knows to redraw."""
        self._creates: deque[tuple[str | None, Mark]] = deque()
        """Sent `response.create`s no response has answered yet: (event id, mark)."""
        self._turn: dict[Milestone, Mark] = {}
        """The speech stopped / committed marks of the turn no response has answered yet."""
        self._last_t_ms = -math.inf
        self._answered: dict[int, str] = {}
        """The frames a turn ended with (a request, speech stopped, committed) by number:
        the response that answered each."""

    def add_frames(self, frames: Iterable[Frame], first_index: int) -> None:
        """Fold `frames`, numbered from `first_index` on, in order."""
        add = self.add
        for index, frame in enumerate(frames, first_index):
            add(frame, index)

    def add(self, frame: Frame, index: int) -> None:
        """Fold one frame, whose number (in arrival order) is `index`."""
        t_ms = frame.t_ms
        if t_ms < self._last_t_ms:
            self._new_socket()  # Times start again at 0: the frames of a new socket.
        self._last_t_ms = t_ms
        if frame.direction is Direction.SENT:
            if frame.client_event is not None:
                self._sent(frame.client_event, Mark(t_ms, index))
            return
        event = frame.event if frame.event is not None else parse_server_frame(frame.data)
        kind = event.kind
        milestone = _FIRST_DELTAS.get(kind)
        if milestone is not None and isinstance(event, DeltaEvent):
            response_id = event.response_id
            if response_id:
                response = self.responses.get(response_id) or self._new(response_id)
                if not response.has(milestone):
                    response.mark(milestone, Mark(t_ms, index))
                    self.version += 1
            return
        self._received(event, Mark(t_ms, index))

    def _sent(self, client_event: dict[str, object], mark: Mark) -> None:
        kind = client_event.get("type")
        if kind == "response.create":
            event_id = client_event.get("event_id")
            self._creates.append((event_id if isinstance(event_id, str) else None, mark))
        elif kind == "conversation.item.create":
            self._turn.clear()  # A typed turn: no spoken one waits for the next response.

    def _received(self, event: ServerEvent, mark: Mark) -> None:
        kind = event.kind
        turn_mark = _TURN_MARKS.get(kind)
        if turn_mark is not None:
            self._turn.setdefault(turn_mark, mark)
        elif kind == "input_audio_buffer.speech_started":
            self._turn.clear()  # A new turn starts.
        elif isinstance(event, ResponseEvent):
            self._response_event(event, mark)
        elif isinstance(event, ErrorEvent) and event.error.event_id:
            rejected = event.error.event_id
            self._creates = deque(c for c in self._creates if c[0] != rejected)
        elif kind == "session.created":
            self._new_socket()

    def _response_event(self, event: ResponseEvent, mark: Mark) -> None:
        response_id = event.response_id
        if not response_id:
            return
        response = self.responses.get(response_id) or self._new(response_id)
        status = event.status
        if status is not None:
            response.status = sys.intern(status)  # One copy for every response.
        if event.kind == "response.created":
            response.mark(Milestone.CREATED, mark)
        else:
            response.mark(Milestone.DONE, mark)
            usage = event.response.get("usage")
            if isinstance(usage, dict):
                response.input_tokens = _count(usage.get("input_tokens"))
                response.output_tokens = _count(usage.get("output_tokens"))
        self.version += 1

    def _new(self, response_id: str) -> ResponseLatency:
        """A response seen for the first time, credited with the turn it answers."""
        response = ResponseLatency(response_id, len(self.responses) + 1, self._table)
        self.responses[response_id] = response
        if self._creates:
            _, requested = self._creates.popleft()
            response.mark(Milestone.REQUESTED, requested)
        for milestone, turn_mark in self._turn.items():
            response.mark(milestone, turn_mark)
        self._turn.clear()
        for mark in response.marks.values():
            self._answered[mark.frame] = response_id
        self.version += 1
        return response

    def answering(self, frame: int) -> str | None:
        """The response that answered the turn frame number `frame` ended (its request,
        speech stopped or committed frame), if it is one."""
        return self._answered.get(frame)

    def _new_socket(self) -> None:
        """What waited for an answer was the old socket's: forget it."""
        self._creates.clear()
        self._turn.clear()

    def clear(self) -> None:
        """Forget every response (a new conversation)."""
        self.responses.clear()
        self._table = MarkTable()  # A view may still show an old response: its row stays.
        self._answered.clear()
        self._new_socket()
        self._last_t_ms = -math.inf
        self.version += 1


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
