"""A websockets client connection that hands each whole message to its taker as it arrives
(`Connection` takes them so), instead of queueing it for recv(), and says when a read
from the socket begins (the messages of one read arrived together)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from websockets.asyncio.client import ClientConnection
from websockets.frames import DATA_OPCODES, Opcode
from websockets.frames import Frame as WireFrame
from websockets.protocol import Event, State

#: The first header byte of a whole (FIN) text or binary frame without extension bits, and
#: the second's mask bit (a server never masks).
_FIN_TEXT: Final = 0x81
_FIN_BINARY: Final = 0x82
_MASKED: Final = 0x80
#: Text shorter than this is sliced out of a read to be decoded, longer text viewed.
_SLICED_BYTES: Final = 64 * 1024
_from_bytes: Final = int.from_bytes


class DirectConnection(ClientConnection):
    """websockets' client connection, handing each whole text or binary message straight
    to `on_message`, instead of queueing it for recv(): a flood of small frames then costs
    no queue and no coroutine switch a message.

    Once `on_message` is set and websockets' parser stands between frames, the common
    frames, whole unmasked text (UTF-8) or binary ones of at most `direct_max_bytes`, are
    cut out of each read here, a few operations a frame instead of websockets' generic
    parser (a third of the cost of a small frame). From any other frame on (a ping, a
    close, a fragment, anything odd) websockets reads the stream again, in its place, so
    it keeps its own handling of them (a pong, a close with 1007 for text that is not
    UTF-8, 1009 for a frame too big), until a read begins while its parser stands between
    frames again.

    Until `on_message` is set, and from the first message it does not take on, frames go
    websockets' own way, which keeps messages in order."""

    on_message: Callable[[str | bytes], None] | None = None
    on_read: Callable[[], None] | None = None
    """Called as each read from the socket begins, before its messages are handed over."""
    direct_max_bytes: int = 0
    """Frames bigger than this go to websockets, which enforces its own limit on them."""
    _cutting = False
    """Whether reads are cut into frames here (see the class)."""
    _waiting: bytearray | None = None
    """The start of a frame whose end has not arrived yet (while cutting)."""

    @property
    def cutting(self) -> bool:
        """Whether reads are cut into frames here now (see the class)."""
        return self._cutting

    def data_received(self, data: bytes) -> None:
        if self.on_read is not None:
            self.on_read()
        if not self._cutting:
            if self.on_message is None or not self._between_frames():
                super().data_received(data)
                return
            self._cutting = True
        waiting = self._waiting
        if waiting:
            waiting += data
            used, handed_on = self._cut(waiting)
            del waiting[:used]
        else:
            used, handed_on = self._cut(data)
            if used < len(data):
                self._waiting = waiting = bytearray(memoryview(data)[used:])
        if handed_on:
            # A frame not taken here: websockets reads the stream from it on.
            self._cutting = False
            self._waiting = None
            super().data_received(bytes(waiting) if waiting else b"")

    def eof_received(self) -> None:
        if self._waiting:  # websockets says how a stream that ends inside a frame ends
            waiting, self._waiting = self._waiting, None
            super().data_received(bytes(waiting))
        super().eof_received()

    def _between_frames(self) -> bool:
        """Whether websockets' parser holds nothing and waits for a frame's first byte: its
        generator stands in the reader's `at_eof` (else, or if websockets parses some
        other way, frames keep going its way)."""
        if self.protocol.state is not State.OPEN:
            return False
        parser = getattr(self.protocol, "parser", None)
        while parser is not None:
            inner = getattr(parser, "gi_yieldfrom", None)
            if inner is None:
                code = getattr(parser, "gi_code", None)
                return code is not None and code.co_name == "at_eof"
            parser = inner
        return False

    def _cut(self, data: bytes | bytearray) -> tuple[int, bool]:
        """Hand over the frames `data` holds from its start, which is a frame's: how many
        of its bytes were used, and whether the next frame is websockets' to read."""
        size = len(data)
        limit = self.direct_max_bytes
        position = 0
        with memoryview(data) as view:
            while size - position >= 2:
                first = data[position]
                length = data[position + 1]
                if length & _MASKED:
                    return position, True
                start = position + 2
                if length == 126:  # most deltas: a 16-bit length, read without a call
                    start += 2
                    if start > size:
                        break
                    length = data[position + 2] << 8 | data[position + 3]
                elif length == 127:
                    start += 8
                    if start > size:
                        break
                    length = _from_bytes(view[position + 2 : start])
                if length > limit:
                    return position, True
                end = start + length
                if end > size:
                    break
                take = self.on_message
                if take is None:
                    return position, True
                if first == _FIN_TEXT:
                    # Small text is sliced out and decoded, quicker than through a view,
                    # which big text goes through so as not to be copied twice.
                    try:
                        if length < _SLICED_BYTES:
                            text = data[start:end].decode()
                        else:
                            text = str(view[start:end], "utf-8")
                    except UnicodeDecodeError:
                        return position, True
                    take(text)
                elif first == _FIN_BINARY:
                    take(bytes(view[start:end]))
                else:
                    return position, True
                position = end
        return position, False

    def process_event(self, event: Event) -> None:
        take = self.on_message
        if take is not None and isinstance(event, WireFrame):
            opcode = event.opcode
            if event.fin and opcode is Opcode.TEXT:
                try:
                    text = str(event.data, "utf-8")
                except UnicodeDecodeError:
                    self.on_message = None
                else:
                    take(text)
                    return
            elif event.fin and opcode is Opcode.BINARY:
                take(bytes(event.data))
                return
            elif opcode in DATA_OPCODES:
                self.on_message = None
        super().process_event(event)
