"""Alt+letter keys.

A terminal sends alt+c as ESC c, and Textual hands it on as the key `alt+c` carrying the
character "c": a focused text area (the composer) would type that "c" unless the
binding comes first, so every alt+letter binding is a priority one.
"""

from __future__ import annotations

from textual.binding import Binding


def alt_letter_binding(
    key: str, action: str, description: str, *, tooltip: str, id: str
) -> Binding:
    """A screen's binding for `key` (an alt+letter) that the focused composer cannot take
    first; out of the footer, like the other secondary keys (F1's key list shows it)."""
    return Binding(key, action, description, tooltip=tooltip, show=False, priority=True, id=id)
