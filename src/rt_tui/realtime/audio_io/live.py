"""Joining sources and sinks to a session: the microphone's chunks out as
`input_audio_buffer.append`, the assistant's audio deltas in to the speaker.

    player = ReplyPlayer(speaker)
    async with Connection(endpoint, observers=[player.observe]) as conn:
        await send_source(mic, conn.send, gate=lambda: talking)
    ...
    interrupt_playback(speaker, conn.send)    # on speech_started while the reply plays

Both run on the event loop and never wait on a device: the source paces itself, the sink
plays from its own buffer.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable

from rt_tui.realtime import client_events
from rt_tui.realtime.audio_formats import WireDecoder, session_formats
from rt_tui.realtime.audio_io.playback import PlaybackCut
from rt_tui.realtime.audio_io.sinks import Sink
from rt_tui.realtime.audio_io.sources import Source
from rt_tui.realtime.client_events import ClientEvent
from rt_tui.realtime.frames import Frame
from rt_tui.realtime.response_events import DeltaEvent, PartDoneEvent, ResponseEvent
from rt_tui.realtime.session_events import SessionEvent

_AUDIO_DELTA = "response.output_audio.delta"
_AUDIO_DONE = "response.output_audio.done"


async def send_source(
    source: Source,
    send: Callable[[ClientEvent], object],
    *,
    gate: Callable[[], bool] | None = None,
) -> None:
    """Send each chunk of `source` as `input_audio_buffer.append` until it ends or closes.
    While `gate` says False (push-to-talk released, the mic held during playback) chunks
    are taken, so meters still move, but not sent. `send` raising (the connection closed)
    ends it."""
    async for pcm in source.chunks():
        if gate is None or gate():
            send(client_events.audio_append(pcm))


def interrupt_playback(sink: Sink, send: Callable[[ClientEvent], object]) -> PlaybackCut | None:
    """Barge-in: silence the sink at once and tell the server how much of the playing item
    was heard (`conversation.item.truncate` with `audio_end_ms`), so its copy of the item,
    and the transcript, end there. The cut (items queued behind it are in `unplayed`), or
    None if nothing was playing. Cancelling a response still running is the caller's call:
    server VAD cancels it by itself."""
    cut = sink.stop()
    if cut is not None:
        send(client_events.item_truncate(cut.item_id, cut.audio_end_ms))
    return cut


class ReplyPlayer:
    """A frame observer that plays the assistant's audio on a sink as it arrives, decoded
    from the session's output format (PCM16, or G.711 as `session.updated` says)."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink
        self._output_format: object = None
        self._decoders: dict[str, WireDecoder] = {}
        self.bad_deltas = 0
        """Audio deltas that were not base64 (skipped)."""

    def observe(self, frame: Frame) -> None:
        event = frame.event
        if isinstance(event, DeltaEvent):
            if event.kind == _AUDIO_DELTA:
                self._play(event.item_id, event.delta)
        elif isinstance(event, PartDoneEvent):
            if event.kind == _AUDIO_DONE:
                self._finish(event.item_id)
        elif isinstance(event, ResponseEvent):
            if event.kind == "response.done":
                # Whatever ended without its audio.done (a failed response) ends here too.
                for item in event.response.get("output") or ():
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        self._finish(item["id"])
        elif isinstance(event, SessionEvent):
            self._output_format = session_formats(event.session)[1]

    def _play(self, item_id: str, delta: str) -> None:
        try:
            data = base64.b64decode(delta, validate=True)
        except (binascii.Error, ValueError):
            self.bad_deltas += 1
            return
        decoder = self._decoders.get(item_id)
        if decoder is None:
            decoder = self._decoders[item_id] = WireDecoder(self._output_format)
        self.sink.play(item_id, decoder.decode(data))

    def _finish(self, item_id: str) -> None:
        decoder = self._decoders.pop(item_id, None)
        if decoder is not None:
            self.sink.play(item_id, decoder.flush())
        self.sink.finish(item_id)
