"""The config's `[composer]` section: the event composer's saved snippets and how many
sent events it remembers.

    [composer]
    history_size = 100                     # sent events kept in the data folder

    [composer.snippets]                    # name = text inserted at the composer's cursor
    "cancel" = '{"type": "response.cancel"}'
    "out-of-band" = '''
    {"type": "response.create", "response": {"conversation": "none"}}
    '''

A snippet is any text: a whole event, or a piece of one (an item, a tool) to paste into
an event being written.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ComposerSettings"]


class ComposerSettings(BaseModel):
    """The event composer's snippets and history."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    snippets: dict[str, str] = Field(default_factory=dict)
    """Name -> text, listed in the composer and inserted at its cursor."""
    history_size: int = Field(100, ge=0, le=10_000)
    """How many sent events the composer keeps (in the data folder) to re-send or edit;
    0 keeps none."""
