"""A loopback Realtime (GA) server for benchmarks, which sends frames framed in advance.

Every connection gets `session.created` at once; `session.update` gets a `session.updated`;
what follows depends on the script:

- flood:  each `response.create` gets RESPONSES replies of DELTAS text or 8 KB audio deltas,
          written as fast as the client takes them;
- paced:  the first `response.create` starts AUDIO audio deltas and TEXT transcript deltas a
          second for SECONDS, in replies RESPONSE_SECONDS long, on a schedule (the server
          notes how far behind it falls when the client does not keep up);
- big:    each `response.create` gets one reply whose single text delta is BYTES long;
- tick:   one short reply a second, unasked (text deltas and one 100 ms audio delta);
- idle:   nothing after `session.created`.

Frames are built (and framed) before the server reports ready, so sending costs a memory
copy. The server is bounded: it stops after --life seconds, when its stdin closes (its
parent went away or is done), and serves at most --max-connections connections.

    python -m benchmarks.flood_server flood --kind audio --deltas 5000
    -> prints "READY <port>", and on stdin EOF "STATS <json>" (one object per connection)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from types import TracebackType
from typing import Any, Final

from benchmarks import service_events as events
from benchmarks import wire
from benchmarks.env import python_env

_CHUNK_BYTES: Final = 1 << 20
"""A flood is written in pieces of this size, each followed by a drain (bounded memory)."""
READY: Final = "READY"
STATS: Final = "STATS"


@dataclass
class ConnectionStats:
    """What one connection saw, on the monotonic clock (comparable across processes)."""

    opened_at: float = 0.0
    frames_sent: int = 0
    bytes_sent: int = 0
    last_sent_at: float = 0.0
    responses_done_at: list[float] = field(default_factory=list)
    """When each reply's `response.done` was handed to the socket."""
    scheduled_frames: int = 0
    """Frames a paced script meant to send (all of them are sent, late if need be)."""
    max_behind_s: float = 0.0
    """How far a paced script fell behind its schedule, at worst."""
    client_types: dict[str, int] = field(default_factory=dict)
    """How many client events of each type arrived."""
    bytes_received: int = 0
    largest_received: int = 0


class Outbox:
    """One connection's way out: writes with flow control and keeps the stats."""

    def __init__(self, writer: asyncio.StreamWriter, stats: ConnectionStats) -> None:
        self._writer = writer
        self.stats = stats
        self._lock = asyncio.Lock()

    async def send(self, data: bytes, frames: int, *, response_done: bool = False) -> None:
        async with self._lock:
            for start in range(0, len(data), _CHUNK_BYTES):
                self._writer.write(data[start : start + _CHUNK_BYTES])
                await self._writer.drain()
            now = time.monotonic()
            self.stats.frames_sent += frames
            self.stats.bytes_sent += len(data)
            self.stats.last_sent_at = now
            if response_done:
                self.stats.responses_done_at.append(now)

    async def send_event(self, event: dict[str, Any]) -> None:
        await self.send(wire.text_frame(json.dumps(event)), 1)


class Script:
    """What the server does on a connection; the base class is `idle`."""

    async def on_open(self, out: Outbox) -> None:
        """Runs as a task once `session.created` went out."""

    async def on_response_create(self, out: Outbox, number: int) -> None:
        """Answer the `number`-th `response.create` of the connection (from 1)."""


class FramedReplies(Script):
    """Replies built once as frames; each is stamped with its response number."""

    def __init__(self, reply: events.Reply, responses: int = 1) -> None:
        frames = reply.framed()
        self._body = b"".join(frames[:-1])
        self._done = frames[-1]
        self._frames = len(frames)
        self.responses = responses
        self.reply_bytes = sum(len(f) for f in frames)

    async def send_reply(self, out: Outbox, number: int) -> None:
        await out.send(events.stamp(self._body, number), self._frames - 1)
        await out.send(events.stamp(self._done, number), 1, response_done=True)

    async def on_response_create(self, out: Outbox, number: int) -> None:
        first = (number - 1) * self.responses + 1
        for n in range(first, first + self.responses):
            await self.send_reply(out, n)


def flood_reply(kind: str, deltas: int) -> events.Reply:
    """DELTAS text deltas, or DELTAS 8 KB audio deltas, in one reply."""
    if kind == "text":
        return events.Reply(deltas=["text"] * deltas)
    return events.Reply(deltas=["audio"] * deltas, audio=events.audio_b64())


def big_reply(delta_bytes: int) -> events.Reply:
    """One text delta of about `delta_bytes` characters (words and spaces)."""
    sentence = events.SENTENCE + " "
    text = (sentence * (delta_bytes // len(sentence) + 1))[: delta_bytes - 1]
    return events.Reply(deltas=["text"], words=[text])


class Paced(Script):
    """`audio` audio + `text` transcript deltas a second for `seconds`, in replies of
    `reply_seconds`, sent on schedule from the first `response.create`."""

    def __init__(self, audio: int, text: int, seconds: float, reply_seconds: float) -> None:
        self.timeline: list[tuple[float, bytes, int, bool]] = []
        """(due offset in s, frames, frame count, ends a reply) in order."""
        audio_b64 = events.audio_b64()
        replies = max(1, round(seconds / reply_seconds))
        length = seconds / replies
        per_reply = events.interleaved(round(audio * length), round(text * length))
        frames = events.Reply(deltas=per_reply, audio=audio_b64).framed()
        head, deltas, tail = (
            frames[:4],
            frames[4 : 4 + len(per_reply)],
            frames[4 + len(per_reply) :],
        )
        for r in range(replies):
            start = r * length
            number = r + 1
            self.timeline.append((start, events.stamp(b"".join(head), number), len(head), False))
            step = length / max(1, len(deltas))
            for k, delta in enumerate(deltas):
                self.timeline.append((start + k * step, events.stamp(delta, number), 1, False))
            end = start + length - step / 2 if deltas else start
            self.timeline.append(
                (end, events.stamp(b"".join(tail[:-1]), number), len(tail) - 1, False)
            )
            self.timeline.append((end, events.stamp(tail[-1], number), 1, True))
        self._started = False

    async def on_response_create(self, out: Outbox, number: int) -> None:
        if self._started:
            return  # one stream per connection: later requests ride along
        self._started = True
        out.stats.scheduled_frames = sum(count for _, _, count, _ in self.timeline)
        start = time.monotonic()
        index = 0
        timeline = self.timeline
        while index < len(timeline):
            now = time.monotonic() - start
            due = timeline[index][0]
            if due > now:
                await asyncio.sleep(due - now)
                now = time.monotonic() - start
            out.stats.max_behind_s = max(out.stats.max_behind_s, now - due)
            # Everything due by now goes out in one write.
            batch: list[bytes] = []
            count = 0
            ends = False
            while index < len(timeline) and timeline[index][0] <= now:
                _, data, frames, ends_reply = timeline[index]
                batch.append(data)
                count += frames
                index += 1
                if ends_reply:
                    ends = True
                    break  # note each reply's end on its own
            await out.send(b"".join(batch), count, response_done=ends)


class Tick(Script):
    """One short reply every `every` seconds, unasked: transcript deltas of a sentence and
    one 100 ms audio delta (the shape of a long, quiet session)."""

    def __init__(self, every: float = 1.0) -> None:
        self.every = every
        self._audio = events.audio_b64(events.TICK_AUDIO_PCM_BYTES)

    async def on_open(self, out: Outbox) -> None:
        start = time.monotonic()
        number = 0
        while True:
            number += 1
            words = f"Tick number {number} at {time.strftime('%H:%M:%S')}, all is well.".split()
            deltas: list[events.Delta] = ["transcript"] * len(words)
            reply = events.Reply(deltas=[*deltas, "audio"], audio=self._audio, words=words)
            frames = reply.framed()
            await out.send(events.stamp(b"".join(frames[:-1]), number), len(frames) - 1)
            await out.send(events.stamp(frames[-1], number), 1, response_done=True)
            await asyncio.sleep(max(0.0, start + number * self.every - time.monotonic()))


class FloodServer:
    """The server on 127.0.0.1, a free port; `async with` starts and stops it."""

    def __init__(self, script: Script, *, max_connections: int = 16) -> None:
        self.script = script
        self.max_connections = max_connections
        self.connections: list[ConnectionStats] = []
        self.port = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.errors: list[str] = []

    async def __aenter__(self) -> FloodServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/v1/realtime?model=gpt-realtime"

    @property
    def base_url(self) -> str:
        """For the openai SDK's `websocket_base_url`."""
        return f"ws://127.0.0.1:{self.port}/v1"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            if len(self.connections) >= self.max_connections:
                return
            await self._converse(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client went away
        except wire.HandshakeFailed as exc:
            self.errors.append(str(exc))
        finally:
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                await writer.wait_closed()

    async def _converse(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await wire.accept(reader, writer)
        stats = ConnectionStats(opened_at=time.monotonic())
        self.connections.append(stats)
        out = Outbox(writer, stats)
        session = events.session_created()
        await out.send_event(session)
        side: set[asyncio.Task[None]] = {asyncio.create_task(self.script.on_open(out))}
        creates = 0
        try:
            while True:
                opcode, payload = await wire.read_message(reader)
                stats.bytes_received += len(payload)
                stats.largest_received = max(stats.largest_received, len(payload))
                if opcode == wire.CLOSE:
                    await out.send(wire.frame(wire.CLOSE, payload[:2]), 0)
                    return
                if opcode == wire.PING:
                    await out.send(wire.frame(wire.PONG, payload), 0)
                    continue
                if opcode != wire.TEXT:
                    continue
                kind = _event_type(payload)
                stats.client_types[kind] = stats.client_types.get(kind, 0) + 1
                if kind == "response.create":
                    creates += 1
                    side.add(asyncio.create_task(self.script.on_response_create(out, creates)))
                elif kind == "session.update":
                    await out.send_event(events.session_updated(session["session"]))
        finally:
            for task in side:
                task.cancel()
            await asyncio.gather(*side, return_exceptions=True)


def _event_type(payload: bytes) -> str:
    try:
        decoded = json.loads(payload)
    except ValueError:
        return "(not JSON)"
    kind = decoded.get("type") if isinstance(decoded, dict) else None
    return kind if isinstance(kind, str) else "(no type)"


# --- as a process ---------------------------------------------------------------------


def build_script(args: argparse.Namespace) -> Script:
    if args.script == "flood":
        return FramedReplies(flood_reply(args.kind, args.deltas), args.responses)
    if args.script == "paced":
        return Paced(args.audio, args.text, args.seconds, args.reply_seconds)
    if args.script == "big":
        return FramedReplies(big_reply(args.bytes))
    if args.script == "tick":
        return Tick(args.every)
    return Script()


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m benchmarks.flood_server", description=__doc__)
    p.add_argument("script", choices=("flood", "paced", "big", "tick", "idle"))
    p.add_argument("--kind", choices=("text", "audio"), default="text")
    p.add_argument("--deltas", type=int, default=10_000)
    p.add_argument("--responses", type=int, default=1, help="replies per response.create")
    p.add_argument("--audio", type=int, default=50, help="paced: audio deltas a second")
    p.add_argument("--text", type=int, default=100, help="paced: transcript deltas a second")
    p.add_argument("--seconds", type=float, default=10.0, help="paced: how long")
    p.add_argument("--reply-seconds", type=float, default=5.0, help="paced: reply length")
    p.add_argument("--bytes", type=int, default=2_000_000, help="big: the delta's size")
    p.add_argument("--every", type=float, default=1.0, help="tick: seconds between replies")
    p.add_argument("--life", type=float, default=900.0, help="stop after this many seconds")
    p.add_argument("--max-connections", type=int, default=16)
    return p


async def serve_until_done(args: argparse.Namespace) -> None:
    script = build_script(args)
    async with FloodServer(script, max_connections=args.max_connections) as server:
        print(f"{READY} {server.port}", flush=True)
        stdin_closed = asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stdin_closed, args.life)
    print(f"{STATS} " + json.dumps([asdict(c) for c in server.connections]), flush=True)


class ServerProcess:
    """The server in its own process (so it does not share a core, a GIL or an event loop
    with what it measures): `with ServerProcess("flood", "--deltas", "100") as server:`."""

    def __init__(self, *args: str, life: float = 900.0) -> None:
        self.args = [*args, "--life", str(life)]
        self.port = 0
        self.connections: list[dict[str, Any]] = []
        self._process: subprocess.Popen[str] | None = None

    def __enter__(self) -> ServerProcess:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.flood_server", *self.args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=python_env(),
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline().split()
        if len(line) != 2 or line[0] != READY:
            self._process.kill()
            raise RuntimeError(f"The benchmark server did not start (said {line!r}).")
        self.port = int(line[1])
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> list[dict[str, Any]]:
        """Stop the server; the stats of its connections."""
        process = self._process
        if process is None:
            return self.connections
        self._process = None
        out, _ = process.communicate(input="", timeout=30)
        for line in out.splitlines():
            if line.startswith(STATS + " "):
                self.connections = json.loads(line.removeprefix(STATS + " "))
        return self.connections

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/v1/realtime?model=gpt-realtime"

    @property
    def base_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/v1"


def main(argv: Sequence[str] | None = None) -> None:
    asyncio.run(serve_until_done(parser().parse_args(argv)))


if __name__ == "__main__":
    main()
