"""ReplyPlayer: the assistant's audio deltas, in the session's output format, to a sink."""

from __future__ import annotations

import base64
import json
from typing import Any

from rt_tui.realtime.audio import duration_ms, tone
from rt_tui.realtime.audio_formats import to_wire
from rt_tui.realtime.audio_io import ReplyPlayer
from rt_tui.realtime.audio_io.sinks import Sink
from rt_tui.realtime.events import parse_server_frame
from rt_tui.realtime.frames import Direction, Frame


class Recorder(Sink):
    """A sink that keeps what it is asked to play (no clock: nothing is played)."""

    def __init__(self) -> None:
        super().__init__("recorder")
        self.calls: list[tuple[str, str, int]] = []
        self.audio: dict[str, bytes] = {}

    def start(self) -> None:
        pass

    def play(self, item_id: str, pcm: bytes) -> None:
        self.calls.append(("play", item_id, len(pcm)))
        self.audio[item_id] = self.audio.get(item_id, b"") + pcm

    def finish(self, item_id: str) -> None:
        self.calls.append(("finish", item_id, 0))


def received(event: dict[str, Any]) -> Frame:
    text = json.dumps(event)
    return Frame(Direction.RECEIVED, 0.0, 0.0, text, event=parse_server_frame(text))


def delta(item_id: str, data: bytes, wire_type: str = "response.output_audio.delta") -> Frame:
    return received(
        {
            "type": wire_type,
            "response_id": "resp_1",
            "item_id": item_id,
            "output_index": 0,
            "content_index": 0,
            "delta": base64.b64encode(data).decode(),
        }
    )


def audio_done(item_id: str) -> Frame:
    return received(
        {
            "type": "response.output_audio.done",
            "response_id": "resp_1",
            "item_id": item_id,
            "output_index": 0,
            "content_index": 0,
        }
    )


def test_pcm16_deltas_play_as_they_come_and_end_with_audio_done() -> None:
    sink = Recorder()
    player = ReplyPlayer(sink)
    pcm = tone(440, 100)
    player.observe(delta("item_a", pcm[:2400]))
    player.observe(delta("item_a", pcm[2400:], wire_type="response.audio.delta"))  # beta name
    player.observe(audio_done("item_a"))
    assert sink.audio["item_a"] == pcm
    assert sink.calls[-1] == ("finish", "item_a", 0)


def test_g711_deltas_are_decoded_to_24_khz_as_the_session_says() -> None:
    sink = Recorder()
    player = ReplyPlayer(sink)
    player.observe(
        received(
            {
                "type": "session.updated",
                "session": {"audio": {"output": {"format": {"type": "audio/pcmu"}}}},
            }
        )
    )
    wire = to_wire(tone(440, 200), "g711_ulaw")
    for i in range(0, len(wire), 160):  # 20 ms deltas of 8 kHz mu-law
        player.observe(delta("item_a", wire[i : i + 160]))
    player.observe(audio_done("item_a"))  # gives what the resampler held back
    assert duration_ms(sink.audio["item_a"]) == 200


def test_response_done_finishes_items_left_open_and_bad_base64_is_skipped() -> None:
    sink = Recorder()
    player = ReplyPlayer(sink)
    player.observe(delta("item_a", tone(440, 20)))
    bad = received(
        {
            "type": "response.output_audio.delta",
            "response_id": "resp_1",
            "item_id": "item_a",
            "output_index": 0,
            "content_index": 0,
            "delta": "not base64!",
        }
    )
    player.observe(bad)
    assert player.bad_deltas == 1
    player.observe(
        received(
            {
                "type": "response.done",
                "response": {"id": "resp_1", "status": "failed", "output": [{"id": "item_a"}]},
            }
        )
    )
    assert ("finish", "item_a", 0) in sink.calls
