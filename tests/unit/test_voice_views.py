"""How live audio reads on screen: meters, sparklines and the voice timeline."""

from __future__ import annotations

import json
from typing import Any

from rt_tui.realtime.audio import SILENT, level_of, silence, tone
from rt_tui.realtime.events import parse_server_frame
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.tui.voice_events import VoiceEvents
from rt_tui.tui.widgets.audio_levels import sparkline
from rt_tui.tui.widgets.voice_meter import level_bar


def test_a_sparkline_rises_where_the_audio_does() -> None:
    line = sparkline(silence(1000) + tone(440, 1000, amplitude=0.5))
    assert len(line) == 20  # one cell per 100 ms, up to 24
    assert set(line[:10]) == {"▁"}
    assert set(line[10:]) <= {"▇", "█"}  # -9 dB: near the top
    assert sparkline(b"") == ""
    assert len(sparkline(tone(440, 10_000))) == 24


def test_a_level_bar_is_a_fixed_width_on_a_db_scale() -> None:
    assert level_bar(SILENT) == "▕        ▏"
    full = level_bar(level_of(tone(440, 100, amplitude=1.0)))
    assert full.startswith("▕███████")
    quiet = level_bar(level_of(tone(440, 100, amplitude=0.01)))
    assert len(quiet) == len(full) == 10
    assert quiet.count("█") < full.count("█")


def _frame(t_ms: float, kind: str, **fields: Any) -> Frame:
    data = json.dumps({"type": kind, **fields})
    return Frame(Direction.RECEIVED, t_ms, 0.0, data, event=parse_server_frame(data))


def test_voice_events_read_as_a_timeline_with_their_times() -> None:
    events = VoiceEvents()
    item = {"item_id": "u1", "content_index": 0}
    lines = events.lines(
        [
            _frame(1200, "input_audio_buffer.speech_started", audio_start_ms=300, item_id="u1"),
            _frame(2100, "response.output_audio.delta", delta="", item_id="a", response_id="r"),
            _frame(2200, "input_audio_buffer.speech_stopped", audio_end_ms=1200, item_id="u1"),
            _frame(2210, "input_audio_buffer.committed", item_id="u1", previous_item_id=None),
            _frame(2300, "conversation.item.input_audio_transcription.delta", **item, delta="Hi"),
            _frame(2310, "conversation.item.input_audio_transcription.delta", **item, delta="!"),
            _frame(
                2400,
                "conversation.item.input_audio_transcription.completed",
                **item,
                transcript="Hi!",
            ),
            _frame(
                3000, "conversation.item.truncated", item_id="a", content_index=0, audio_end_ms=640
            ),
        ]
    )
    assert lines == [
        "1.20 s  🎤 speech started at 0.30 s of input audio",
        "2.20 s  🎤 speech stopped at 1.20 s of input audio (a 0.90 s turn)",
        "2.21 s  🎤 turn committed as u1",
        "2.30 s  🎤 transcribing u1…",
        "2.40 s  🎤 transcript of u1 complete: 2 deltas from 2.30 s",
        "3.00 s  ✂ a truncated at 0.64 s of its audio: the service keeps no transcript past it",
    ]
