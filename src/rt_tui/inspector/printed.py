"""The inspector's rows as plain text, one a line: what `rt-tui replay --print` and
`rt-tui replay --send` print, so logs and re-sends can be read in CI or piped to grep."""

from __future__ import annotations

from typing import Final

from rt_tui.inspector.records import Row

_FOLD_MARKS: Final = {"": " ", "folded": "▸", "open": "▾", "member": "│"}
TYPE_WIDTH: Final = 40
"""Column width of the wire type in printed rows (longer types push the summary right)."""


def _flat(text: str) -> str:
    return text.replace("\r", "").replace("\n", "⏎").replace("\t", " ")


def row_text(row: Row) -> str:
    """One inspector row as plain text: time (ms), direction, fold mark, type, summary."""
    count = f"x{row.count} " if row.fold == "folded" else ""
    wire_type = row.wire_type or "(no type)"
    return (
        f"{row.t_ms:>8.0f} {row.arrow} {_FOLD_MARKS.get(row.fold, ' ')} "
        f"{wire_type:<{TYPE_WIDTH}} {count}{_flat(row.summary)}"
    ).rstrip()
