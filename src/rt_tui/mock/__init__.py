"""A loopback Realtime API server for the demo, the tests and the benchmarks (no Textual).

    async with MockServer(delta_delay=0) as server:
        url = server.ga_url()  # ws://127.0.0.1:PORT/v1/realtime?model=gpt-realtime

It speaks GA at `/v1/realtime` and `/openai/v1/realtime`, beta at
`/openai/realtime?api-version&deployment` or with the `OpenAI-Beta: realtime=v1` header, and
answers as the service does: `session.created` first, merged `session.update`s, conversation
items, complete streamed responses (text, PCM16 or G.711 audio with transcripts, function
calls with arguments that fit the tool's schema), `response.cancel`, server VAD turns with
barge-in and input transcription, usage and rate limits, the service's `error` events for bad
frames, and its handshake refusals and fatal closes for bad keys and paths.

Named scenarios (`rt_tui.mock.scenarios`) make it misbehave as the service does:

    async with MockServer(hooks=choose("drop-mid-answer").hooks) as server: ...
"""

from rt_tui.mock.scenarios import Hooks, choose
from rt_tui.mock.server import Handshake, MockServer, serve
from rt_tui.mock.session import SessionOptions

__all__ = ["Handshake", "Hooks", "MockServer", "SessionOptions", "choose", "serve"]
