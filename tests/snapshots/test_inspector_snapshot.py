"""A snapshot of the event inspector with a folded transcript row selected."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import App, ComposeResult
from textual.pilot import Pilot

from rt_tui.inspector import samples
from rt_tui.realtime.frames import Frame
from rt_tui.tui.widgets.frame_rows import FrameRows
from rt_tui.tui.widgets.inspector import EventInspector


def session_frames() -> list[Frame]:
    """A short, fixed audio turn: sent events, a session, interleaved deltas, an error."""
    frames = [
        samples.sent(
            {
                "type": "session.update",
                "event_id": "c_1",
                "session": {"type": "realtime", "output_modalities": ["audio"]},
            },
            3,
        ),
        samples.received(
            {
                "type": "session.updated",
                "event_id": "event_1",
                "session": {
                    "type": "realtime",
                    "model": "gpt-realtime",
                    "output_modalities": ["audio"],
                    "audio": {
                        "input": {"turn_detection": {"type": "server_vad"}},
                        "output": {"voice": "marin"},
                    },
                },
            },
            41,
        ),
        samples.audio_append(4800, 60),
        samples.audio_append(4800, 160),
        samples.sent({"type": "response.create", "event_id": "c_2"}, 170),
        samples.received(
            {
                "type": "response.created",
                "event_id": "event_2",
                "response": {"id": "resp_1", "status": "in_progress", "output": []},
            },
            212,
        ),
    ]
    words = ["Hello", " there,", " how", " can", " I", " help?"]
    for k, word in enumerate(words):
        frames.append(samples.audio_delta(4800, 250 + 20 * k))
        frames.append(samples.transcript_delta(word, 251 + 20 * k))
    frames += [
        samples.received(
            {
                "type": "response.done",
                "event_id": "event_3",
                "response": {
                    "id": "resp_1",
                    "status": "completed",
                    "usage": {"input_tokens": 120, "output_tokens": 35},
                },
            },
            400,
        ),
        samples.error_frame("response_cancel_not_active", "There is no active response.", 420),
    ]
    return frames


class InspectorHost(App[None]):
    def __init__(self, export_dir: Path) -> None:
        super().__init__()
        self.export_dir = export_dir

    def compose(self) -> ComposeResult:
        yield EventInspector(id="inspector", export_dir=self.export_dir)

    def on_mount(self) -> None:
        inspector = self.query_one(EventInspector)
        for frame in session_frames():
            inspector.add_frame(frame)


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool]) -> None:
    for _ in range(500):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("the inspector did not get there in 5 s")


async def select_transcript(pilot: Pilot[None]) -> None:
    rows = pilot.app.query_one(FrameRows)
    await wait_until(pilot, lambda: rows.virtual_size.height == 9)
    rows.focus()
    await pilot.press("home", *["down"] * 6)
    inspector = pilot.app.query_one(EventInspector)
    await wait_until(pilot, lambda: inspector.selected_frame == 7)
    await pilot.pause()


def test_inspector_with_a_folded_row_selected(
    snap_compare: Callable[..., bool], tmp_path: Path
) -> None:
    app = InspectorHost(tmp_path)
    assert snap_compare(app, terminal_size=(110, 34), run_before=select_transcript)
