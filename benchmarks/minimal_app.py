"""The yardstick for start-up: a minimal Textual app that paints one line of text."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Label

MARK = "Minimal-first-frame"
"""Text on the app's first frame (one word, so it reaches the terminal in one piece)."""


class MinimalApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Label(MARK)


if __name__ == "__main__":
    MinimalApp().run()
