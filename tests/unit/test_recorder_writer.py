"""The session log's writer thread: lines read back while they are being written, flush and
close wait for it, a failed write is reported once on the thread that records, and no
thread outlives its recorder.

A disk that does not keep up is a named pipe nobody reads yet: a write blocks once the
pipe holds 64 KB, so the lines after that stay in flight until the test reads them. A full
disk is a file size limit (RLIMIT_FSIZE), which makes writes past it fail with EFBIG.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
from pathlib import Path

import pytest
from full_disk import files_limited_to

from rt_tui.realtime.batch_writer import MAX_QUEUED_BYTES, BatchWriter
from rt_tui.realtime.frames import Direction, LogSpan
from rt_tui.realtime.recorder import FLUSH_BYTES, SessionRecorder, read_log

WRITER_THREAD = "session-log"


class PipeReader:
    """Reads a named pipe to its end on a thread, once `start` is called."""

    def __init__(self, path: Path) -> None:
        os.mkfifo(path)
        # Opened before the recorder's end, non-blocking (no writer yet), then blocking.
        self._fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        os.set_blocking(self._fd, True)
        self.data = bytearray()
        self._thread = threading.Thread(target=self._read)

    def start(self) -> None:
        self._thread.start()

    def _read(self) -> None:
        while chunk := os.read(self._fd, 1 << 16):
            self.data += chunk

    def join(self) -> bytes:
        """Everything read once the last writer closed the pipe."""
        self._thread.join()
        os.close(self._fd)
        return bytes(self.data)


def text_of(n: int, size: int) -> str:
    return json.dumps({"type": "x.delta", "n": n, "pad": "p" * size})


def writer_threads() -> set[threading.Thread]:
    """The recorders' writer threads running now."""
    return {t for t in threading.enumerate() if t.name == WRITER_THREAD}


def test_lines_in_flight_read_back_and_close_waits_for_them(tmp_path: Path) -> None:
    path = tmp_path / "slow-disk"
    reader = PipeReader(path)
    before = writer_threads()
    recorder = SessionRecorder(path).open()
    # Each big line is handed to the writer at once; the pipe takes 64 KB of the first.
    sizes = [FLUSH_BYTES + 1000, 10, FLUSH_BYTES // 2, 3000, FLUSH_BYTES, 20]
    written: list[tuple[str, LogSpan]] = []
    for n, size in enumerate(sizes):
        data = text_of(n, size)
        span = recorder.append(Direction.RECEIVED, float(n), 1.0, data, json_text=True)
        assert span is not None
        written.append((data, span))
    assert len(writer_threads() - before) == 1
    # The writer is stuck on the pipe: every line comes back from memory.
    for data, span in written:
        assert json.loads(recorder.read_span(span.offset, span.length))["data"] == data

    reader.start()
    recorder.close()  # returns once the writer wrote every line and ended
    assert writer_threads() == before
    lines = reader.join().splitlines()
    assert json.loads(lines[0])["rt_tui"] == "session"
    assert [json.loads(line)["data"] for line in lines[1:]] == [data for data, _ in written]


def test_flush_waits_until_every_line_is_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    recorder = SessionRecorder(path).open()
    texts = [text_of(n, 5000) for n in range(1000)]  # some 5 MB: many batches in flight
    spans = [
        recorder.append(Direction.RECEIVED, float(n), 1.0, t, json_text=True)
        for n, t in enumerate(texts)
    ]
    last = spans[-1]
    assert last is not None
    recorder.flush()
    assert path.stat().st_size == last.offset + last.length + 1  # its newline
    assert [r.data for r in read_log(path)] == texts
    recorder.close()


def test_a_write_failing_on_the_thread_is_said_once_on_the_recording_thread(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.jsonl"
    told: list[tuple[str, int]] = []
    before = writer_threads()
    recorder = SessionRecorder(
        path, on_failure=lambda reason: told.append((reason, threading.get_ident()))
    ).open()
    spans: list[tuple[str, LogSpan]] = []
    with files_limited_to(path.stat().st_size + 100_000):
        for n in range(200):  # some 1 MB: the file takes the first 100 KB
            data = text_of(n, 5000)
            span = recorder.append(Direction.RECEIVED, float(n), 1.0, data, json_text=True)
            if span is not None:
                spans.append((data, span))
        recorder.flush()
    assert told == [("file too large", threading.get_ident())]
    assert recorder.failure == "file too large"
    assert recorder.closed
    assert writer_threads() == before
    assert recorder.append(Direction.RECEIVED, 0.0, 1.0, "{}", json_text=True) is None

    # Whole lines reached the file; the rest, a short write's end too, is in memory.
    on_disk = [r.data for r in read_log(path)]
    assert 0 < len(on_disk) < len(spans)
    assert on_disk == [data for data, _ in spans[: len(on_disk)]]
    for data, span in spans:
        assert json.loads(recorder.read_span(span.offset, span.length))["data"] == data
    recorder.close()
    assert told == [("file too large", threading.get_ident())]


async def test_a_write_failing_on_the_thread_is_said_without_another_frame(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.jsonl"
    told = asyncio.Event()
    reasons: list[tuple[str, int]] = []

    def failed(reason: str) -> None:
        reasons.append((reason, threading.get_ident()))
        told.set()

    before = writer_threads()
    recorder = SessionRecorder(path, on_failure=failed).open()
    with files_limited_to(path.stat().st_size + 1000):
        # One line over FLUSH_BYTES goes to the writer at once, and fails there.
        recorder.append(Direction.RECEIVED, 1.0, 1.0, text_of(1, FLUSH_BYTES), json_text=True)
        async with asyncio.timeout(10):
            await told.wait()  # no more frames, no flush: the writer wakes the loop
    assert reasons == [("file too large", threading.get_ident())]
    recorder.close()
    assert writer_threads() == before


def test_the_writer_queue_is_bounded_and_a_caller_may_choose_not_to_wait(
    tmp_path: Path,
) -> None:
    path = tmp_path / "slow-disk"
    reader = PipeReader(path)
    fd = os.open(path, os.O_WRONLY)
    lock = threading.Lock()
    writer = BatchWriter(fd, lock, kept_bytes=FLUSH_BYTES)
    # The pipe is not read yet: its first batch fills it and keeps the writer waiting.
    small = b"s" * 1024  # a timer's batch: many of them take no room to speak of
    batch = b"b" * FLUSH_BYTES
    at = 0
    with lock:
        for _ in range(100):
            assert writer.put(at, bytearray(small), len(small), wait=False) is not None
            at += len(small)
        while at < MAX_QUEUED_BYTES:
            assert writer.put(at, bytearray(batch), len(batch), wait=False) is not None
            at += len(batch)
        assert writer.put(at, bytearray(batch), len(batch), wait=False) is None
    reader.start()
    with lock:
        assert writer.put(at, bytearray(b"end"), 3, wait=True) is not None
    writer.stop()
    os.close(fd)
    big = (MAX_QUEUED_BYTES - 100 * len(small) + len(batch) - 1) // len(batch)
    assert reader.join() == small * 100 + batch * big + b"end"


@pytest.mark.parametrize("close", [True, False])
def test_no_writer_thread_outlives_its_recorder(tmp_path: Path, close: bool) -> None:
    before = writer_threads()
    with SessionRecorder(tmp_path / "s.jsonl") as recorder:
        recorder.append(Direction.SENT, 1.0, 1.0, "{}", json_text=True)
        assert len(writer_threads() - before) == 1
        if close:
            recorder.close()  # twice: the second does nothing
    assert writer_threads() == before
