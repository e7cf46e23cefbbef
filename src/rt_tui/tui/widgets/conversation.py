"""The conversation pane: user and assistant turns, streamed as Markdown, driven by the
engine's `Conversation` reducer.

The screen applies each frame to the reducer and hands the pane the `Change`; the pane only
marks what changed and redraws those blocks on a short timer, so a burst of deltas costs one
repaint. Text renders the same way while it streams and once it is final (Rich's Markdown,
see `markdown_text`): while streaming, the blocks that can no longer change are rendered
once into a Static each and only the growing last block is re-rendered; once the item is
final its text becomes a single Static, so a long conversation stays one widget per item.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.conversation_model import Change
from rt_tui.tui.widgets.conversation_views import (
    ItemView,
    describe_error,
    describe_item,
    describe_response,
    empty_hint,
)
from rt_tui.tui.widgets.markdown_text import render_body, settled_end

FLUSH_INTERVAL_S = 0.05
"""How long changes gather before the pane redraws: at most ~20 repaints a second."""


class ItemBlock(Vertical):
    """One conversation item: a one-line header and a Markdown body.

    While the item streams, the body is a few Statics: one per settled piece and one for
    the growing tail. Once final it is a single Static, rendered by the same renderer.
    """

    DEFAULT_CSS = """
    ItemBlock { height: auto; padding-bottom: 1; }
    ItemBlock > .item-body { padding: 0 1; }
    """

    def __init__(self, view: ItemView) -> None:
        super().__init__(classes=f"item -{view.role}")
        self._view = view
        self._shown_body = ""
        """What the body shows; the text arrives through `show` once mounted."""
        self._settled = 0
        """While streaming: `_shown_body[:_settled]` is rendered in pieces that stay."""
        self._final_shown = False

    def compose(self) -> ComposeResult:
        yield Static(self._view.header, classes="item-header", markup=False)
        yield Static(classes="item-body")

    @property
    def shown_body(self) -> str:
        """The Markdown source the block shows now."""
        return self._shown_body

    @property
    def settled(self) -> bool:
        """True once the item is final and its body is a single Static."""
        return self._final_shown

    def _bodies(self) -> list[Static]:
        return list(self.query_children(".item-body").results(Static))

    async def show(self, view: ItemView) -> None:
        """Bring the block up to date with `view`, re-rendering only what changed."""
        if view.header != self._view.header:
            self.query_one(".item-header", Static).update(view.header)
        if view.role != self._view.role:
            self.set_classes(f"item -{view.role}")
        self._view = view
        if view.final:
            await self._settle(view.body, markdown=view.markdown)
        else:
            await self._stream(view.body, markdown=view.markdown)

    async def _stream(self, body: str, *, markdown: bool) -> None:
        if body == self._shown_body and not self._final_shown:
            return
        bodies = self._bodies()
        if self._final_shown or not body.startswith(self._shown_body[: self._settled]):
            # Not an append to what settled (the text was replaced): start over.
            await self._keep_one(bodies)
            bodies = bodies[:1]
            self._settled = 0
            self._final_shown = False
        end = settled_end(body, self._settled) if markdown else 0
        if end > self._settled:
            # The tail's finished blocks stay in the tail's Static; a new one takes the rest.
            piece = body[self._settled : end]
            bodies[-1].update(render_body(piece, markdown=True, first=len(bodies) == 1))
            tail = Static(classes="item-body")
            await self.mount(tail)
            bodies.append(tail)
            self._settled = end
        tail_text = body[self._settled :]
        bodies[-1].update(render_body(tail_text, markdown=markdown, first=len(bodies) == 1))
        self._shown_body = body

    async def _settle(self, body: str, *, markdown: bool) -> None:
        if self._final_shown and body == self._shown_body:
            return
        bodies = self._bodies()
        with self.app.batch_update():
            await self._keep_one(bodies)
            bodies[0].update(render_body(body, markdown=markdown))
        self._shown_body = body
        self._settled = 0
        self._final_shown = True

    async def _keep_one(self, bodies: list[Static]) -> None:
        if len(bodies) > 1:
            await self.remove_children(bodies[1:])


class ResponseLine(Static):
    """A response's state, and on demand its usage and latency."""

    def __init__(self, summary: str, details: str) -> None:
        super().__init__(summary, classes="response-line", markup=False)
        self.summary = summary
        self.details = details

    def show(self, summary: str, details: str, *, with_details: bool) -> None:
        self.summary, self.details = summary, details
        self.update(f"{summary}  {details}" if with_details and details else summary)


PendingKey = tuple[str, str]
"""("response" | "item", id) or ("error", index in `Conversation.errors`): what to draw,
kept in the order changes arrived, so the pane reads in frame order."""


def error_key(index: int) -> PendingKey:
    """The pending key of the conversation's error at `index`."""
    return "error", str(index)


class ConversationPane(VerticalScroll, can_focus=True):
    """Scrolling list of conversation items; follows new text unless the user scrolled up."""

    DEFAULT_CSS = """
    ConversationPane { height: 1fr; }
    ConversationPane > .notice-line { color: $text-muted; padding: 0 1; margin: 0 0 1 0; }
    ConversationPane > .empty-hint { color: $text-muted; padding: 1 2; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Conversation"
        self.show_details = False
        self.follow = True
        """Whether new text is scrolled into view: off once the user scrolls up, on again
        when they reach the end. Kept as state, as the inspector's rows do: whether the view
        sits at the end right now says nothing after a re-layout (F3, a resize) moved it."""
        self._conversation: Conversation | None = None
        self._pending: dict[PendingKey, None] = {}
        self._flush_scheduled = False
        self._items: dict[str, ItemBlock] = {}
        self._responses: dict[str, ResponseLine] = {}
        self._errors_noted = 0
        """Errors before this index in `Conversation.errors` are drawn or waiting to be."""
        self._hint = Static(empty_hint(), classes="empty-hint", markup=False)
        """Where the session is and how to start; shown until the first thing arrives."""

    def compose(self) -> ComposeResult:
        yield self._hint

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value >= self.max_scroll_y:
            self.follow = True
        elif new_value < old_value:
            self.follow = False  # Only the user scrolls up: new text only ever adds below.

    def on_resize(self) -> None:
        # A new width re-wraps the text and a new height moves the end: keep it in view.
        self._scroll_to_end_if_following()

    def _scroll_to_end_if_following(self) -> None:
        # Textual's anchor() would also bottom-align a short conversation, which reads oddly.
        if self.follow:
            self.call_after_refresh(self.scroll_end, animate=False, immediate=True)

    def set_link(self, state: str, host: str | None = None, model: str | None = None) -> None:
        """Say in the empty pane where the session stands (`state`: a `LinkState` value)."""
        self._hint.update(empty_hint(state, host, model))

    @property
    def hint_shown(self) -> bool:
        """Whether the empty pane's hint is on screen (nothing else is yet)."""
        return bool(self._hint.display)

    def _hide_hint(self) -> None:
        if any(child is not self._hint for child in self.children):
            self._hint.display = False

    def show_change(self, conversation: Conversation, change: Change) -> None:
        """Note what `change` touched; the blocks are redrawn shortly, together."""
        self._conversation = conversation
        for response_id in change.responses:
            self._pending["response", response_id] = None
        for item_id in change.items | change.removed_items:
            self._pending["item", item_id] = None
        if change.errors:
            new_errors = range(self._errors_noted, len(conversation.errors))
            self.show_keys(conversation, map(error_key, new_errors))
        if self._pending:
            self._schedule_flush()

    def show_keys(self, conversation: Conversation, keys: Iterable[PendingKey]) -> None:
        """Draw these items, responses and errors shortly, in this order (after what
        waits already); errors drawn or noted before are skipped."""
        self._conversation = conversation
        for key in keys:
            kind, index = key
            if kind == "error":
                if int(index) < self._errors_noted:
                    continue
                self._errors_noted = int(index) + 1
            self._pending[key] = None
        if self._pending:
            self._schedule_flush()

    @property
    def busy(self) -> bool:
        """True while changes wait to be drawn (tests wait on this instead of sleeping)."""
        return self._flush_scheduled or bool(self._pending)

    def toggle_details(self) -> None:
        """Show or hide usage and latency under each response."""
        self.show_details = not self.show_details
        for response_id in self._responses:
            self._pending["response", response_id] = None
        self._schedule_flush()

    async def clear(self) -> None:
        """Forget everything shown (e.g. before a new session)."""
        self._conversation = None
        self._pending.clear()
        self._items.clear()
        self._responses.clear()
        self._errors_noted = 0
        await self.remove_children([child for child in self.children if child is not self._hint])
        self._hint.display = True
        self.follow = True

    def _schedule_flush(self) -> None:
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self.set_timer(FLUSH_INTERVAL_S, self._flush)

    async def _flush(self) -> None:
        # Changes that arrive while this awaits wait for the next flush.
        pending, self._pending = self._pending, {}
        try:
            conversation = self._conversation
            if conversation is None:
                return
            for kind, key in pending:
                if kind == "item":
                    await self._show_item(conversation, key)
                elif kind == "response":
                    await self._show_response(conversation, key)
                else:
                    await self._show_error(conversation, int(key))
            self._hide_hint()
            self._scroll_to_end_if_following()
        finally:
            self._flush_scheduled = False
            if self._pending:
                self._schedule_flush()

    async def _show_item(self, conversation: Conversation, item_id: str) -> None:
        item = conversation.item(item_id)
        block = self._items.get(item_id)
        if item is None:
            if block is not None:
                del self._items[item_id]
                await block.remove()
            return
        audio = conversation.audio
        view = describe_item(item, audio.duration_ms(item_id) if item_id in audio else None)
        if block is None:
            block = self._items[item_id] = ItemBlock(view)
            await self.mount(block)
        if not block.is_attached:
            return  # The app is closing (quit mid-draw): nothing can mount any more.
        await block.show(view)

    async def _show_response(self, conversation: Conversation, response_id: str) -> None:
        response = conversation.responses.get(response_id)
        if response is None:
            return
        summary, details = describe_response(response)
        line = self._responses.get(response_id)
        if line is None:
            line = self._responses[response_id] = ResponseLine(summary, details)
            await self.mount(line)
        line.show(summary, details, with_details=self.show_details)

    def add_notice(self, text: str) -> None:
        """A line of the app's own (a command's outcome) at the end of the conversation."""
        self.mount(Static(text, classes="notice-line", markup=False))
        self._hide_hint()
        # The user just asked for it (a command's outcome): show it even if scrolled up.
        self.call_after_refresh(self.scroll_end, animate=False, immediate=True)

    async def _show_error(self, conversation: Conversation, index: int) -> None:
        if index < len(conversation.errors):
            error = describe_error(conversation.errors[index])
            await self.mount(Static(error, classes="error-line", markup=False))
