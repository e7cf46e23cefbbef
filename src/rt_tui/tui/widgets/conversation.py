"""The conversation pane: user and assistant turns, streamed as Markdown, driven by the
engine's `Conversation` reducer.

The screen applies each frame to the reducer and hands the pane the `Change`; the pane only
marks what changed and redraws those blocks on a short timer, so a burst of deltas costs one
repaint. Streaming text that grows at the end is appended to Textual's Markdown widget
(which re-parses only the last block). Once an item is final its text moves into a single
Static (Rich's Markdown renderer): a Markdown widget is a tree of ~20 widgets per message,
and a long conversation of those makes every repaint slower.
"""

from __future__ import annotations

from rich.markdown import Markdown as RichMarkdown
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Markdown, Static

from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.conversation_model import Change
from rt_tui.tui.widgets.conversation_views import (
    ItemView,
    describe_error,
    describe_item,
    describe_response,
)

FLUSH_INTERVAL_S = 0.05
"""How long changes gather before the pane redraws: at most ~20 repaints a second."""


class ItemBlock(Vertical):
    """One conversation item: a one-line header and a Markdown body.

    The body streams into a Markdown widget while the item is in progress and settles into
    one Static once the item is final.
    """

    DEFAULT_CSS = """
    ItemBlock { height: auto; }
    ItemBlock > Markdown { margin: 0; padding: 0 1; }
    ItemBlock > .item-body { padding: 0 1 1 1; }
    """

    def __init__(self, view: ItemView) -> None:
        super().__init__(classes=f"item -{view.role}")
        self._view = view
        self._shown_body = ""
        """What the body widget holds; the text arrives through `show` once mounted."""

    def compose(self) -> ComposeResult:
        yield Static(self._view.header, classes="item-header", markup=False)
        yield Static(classes="item-body") if self._view.final else Markdown()

    @property
    def shown_body(self) -> str:
        """The Markdown source the block shows now."""
        return self._shown_body

    @property
    def settled(self) -> bool:
        """True once the body is a single Static (the item is final)."""
        return not self.query(Markdown)

    async def show(self, view: ItemView) -> None:
        """Bring the block up to date with `view`, appending when the text only grew."""
        if view.header != self._view.header:
            self.query_one(".item-header", Static).update(view.header)
        if view.role != self._view.role:
            self.set_classes(f"item -{view.role}")
        self._view = view
        if view.final or self.settled:
            await self._settle(view.body, markdown=view.markdown)
        else:
            await self._stream(view.body)

    async def _stream(self, body: str) -> None:
        if body == self._shown_body:
            return
        markdown = self.query_one(Markdown)
        if not body.startswith(self._shown_body):
            # Only ever append: Markdown.update() leaves its "parsed up to" line wrong when the
            # text ends in a blank line, and a later append would then replace a paragraph.
            await markdown.update("")
            self._shown_body = ""
        await markdown.append(body[len(self._shown_body) :])
        self._shown_body = body

    async def _settle(self, body: str, *, markdown: bool) -> None:
        statics = self.query(".item-body")
        if statics:
            if body == self._shown_body and self._shown_body:
                return
            static = statics.first(Static)
        else:
            static = Static(classes="item-body")
            with self.app.batch_update():
                await self.query(Markdown).remove()
                await self.mount(static)
        static.update(RichMarkdown(body, hyperlinks=False) if markdown else Text(body))
        self._shown_body = body


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
"""("response" | "item", id): what to redraw, kept in the order changes arrived."""


class ConversationPane(VerticalScroll, can_focus=True):
    """Scrolling list of conversation items; follows new text unless the user scrolled up."""

    DEFAULT_CSS = """
    ConversationPane { height: 1fr; }
    ConversationPane > .notice-line { color: $text-muted; padding: 0 1; margin: 0 0 1 0; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Conversation"
        self.show_details = False
        self._conversation: Conversation | None = None
        self._pending: dict[PendingKey, None] = {}
        self._flush_scheduled = False
        self._items: dict[str, ItemBlock] = {}
        self._responses: dict[str, ResponseLine] = {}
        self._errors_shown = 0

    def show_change(self, conversation: Conversation, change: Change) -> None:
        """Note what `change` touched; the blocks are redrawn shortly, together."""
        self._conversation = conversation
        for response_id in change.responses:
            self._pending["response", response_id] = None
        for item_id in change.items | change.removed_items:
            self._pending["item", item_id] = None
        if self._pending or change.errors:
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
        self._errors_shown = 0
        await self.remove_children()

    def _schedule_flush(self) -> None:
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self.set_timer(FLUSH_INTERVAL_S, self._flush)

    async def _flush(self) -> None:
        # Changes that arrive while this awaits wait for the next flush.
        pending, self._pending = self._pending, {}
        # Follow new text only if the user had not scrolled up. (Textual's anchor() would
        # also bottom-align a short conversation, which reads oddly.)
        following = self.scroll_y >= self.max_scroll_y - 1
        try:
            conversation = self._conversation
            if conversation is None:
                return
            for kind, key in pending:
                if kind == "item":
                    await self._show_item(conversation, key)
                else:
                    await self._show_response(conversation, key)
            await self._show_errors(conversation)
            if following:
                self.call_after_refresh(self.scroll_end, animate=False, immediate=True)
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
        self.call_after_refresh(self.scroll_end, animate=False, immediate=True)

    async def _show_errors(self, conversation: Conversation) -> None:
        errors = conversation.errors
        for error in errors[self._errors_shown :]:
            await self.mount(Static(describe_error(error), classes="error-line", markup=False))
        self._errors_shown = len(errors)
