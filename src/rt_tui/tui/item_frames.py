"""From a conversation item to its frames and back (ctrl+g), on the main screen.

The conversation pane selects an item or a response (alt+up / alt+down, a click, a
search's match); the inspector knows which frames named it (`EventInspector.show_entry`)
and which entry a frame names (`selected_subject`). The latency view (ctrl+l) takes a
picked response to its frames the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rt_tui.tui.screens.main import MainScreen


def jump(screen: MainScreen) -> None:
    """From the conversation's selected item to its frames, or from the inspector's
    selected frame back to its item."""
    inspector, pane = screen.inspector, screen.pane
    if inspector.has_focus_within:
        if pane.select_subject(inspector.selected_subject()):
            pane.focus()
        else:
            screen.notify("The conversation shows nothing of this frame.", timeout=3)
    elif (key := pane.selected_key) is None:
        screen.notify(
            "Select an item first: Tab to the conversation, then alt+up / alt+down "
            "(or find one with ctrl+f).",
            timeout=4,
        )
    else:
        show_frames_of(screen, key)


def show_frames_of(screen: MainScreen, key: tuple[str, str]) -> None:
    """Show the frames of a conversation item or a response in the inspector."""
    inspector = screen.inspector
    if inspector.show_entry(key):
        inspector.display = True
        inspector.rows.focus()
    else:
        screen.notify("The inspector holds no frame of it.", timeout=3)
