"""A websockets client connection that hands each whole message to its taker as the frame
is parsed (`Connection` takes them so), instead of queueing it for recv(), and says when
a read from the socket begins (the messages of one read arrived together)."""

from __future__ import annotations

from collections.abc import Callable

from websockets.asyncio.client import ClientConnection
from websockets.frames import DATA_OPCODES, Opcode
from websockets.frames import Frame as WireFrame
from websockets.protocol import Event


class DirectConnection(ClientConnection):
    """websockets' client connection, handing each whole text or binary message straight
    to `on_message` as its frame is parsed, instead of queueing it for recv(): a flood of
    small frames then costs no queue and no coroutine switch a message.

    Until `on_message` is set, and from the first message it does not take on (part of a
    fragmented message, or text that is not UTF-8), frames go websockets' own way, which
    keeps messages in order and gives odd ones websockets' own handling (a close with
    1007 for text that is not UTF-8)."""

    on_message: Callable[[str | bytes], None] | None = None
    on_read: Callable[[], None] | None = None
    """Called as each read from the socket begins, before its messages are handed over."""

    def data_received(self, data: bytes) -> None:
        if self.on_read is not None:
            self.on_read()
        super().data_received(data)

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
