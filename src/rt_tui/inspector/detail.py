"""What the detail panel shows for a row: a title and pretty JSON, audio shortened.

Base64 audio is replaced on screen only ("<4800 bytes, 100 ms base64 audio>"); copy and
export always use the full frame. A huge body (a 2 MB delta, a 5 MB frame sent with /raw)
is shown cut to its first `SHOWN_CHARS` until asked for whole (`cut_body`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

# The frames' parts are imported where a frame's detail is made: the text helpers here
# (sizes, cutting, wrapping) are drawn in the first frame, which shows no frame.
if TYPE_CHECKING:
    from rt_tui.inspector.store import FrameStore

_AUDIO_KEYS = frozenset({"audio", "delta"})
_LONG_BASE64 = re.compile(r"[A-Za-z0-9+/]{512,}={0,2}")
_BINARY_PREVIEW = 256

SHOWN_CHARS = 64 * 1024
"""How much of a detail's body is shown until the whole is asked for."""


@dataclass(frozen=True, slots=True)
class Detail:
    """The detail panel's content for one row."""

    title: str
    body: str
    language: str = "json"
    """'json' when `body` is JSON to highlight, 'text' otherwise."""


def size_text(chars: int) -> str:
    """'812 characters', '64 KB', '4.8 MB': a size as a person reads it."""
    if chars < 1024:
        return f"{chars:,} character{'' if chars == 1 else 's'}"
    if chars < 1024 * 1024:
        return f"{chars / 1024:,.0f} KB"
    return f"{chars / (1024 * 1024):,.1f} MB"


def cut_body(body: str, limit: int = SHOWN_CHARS) -> tuple[str, int]:
    """`body` cut to about `limit` characters, at the end of a line when one ends in its
    last quarter, and how many characters were left out (0: it is whole)."""
    if len(body) <= limit:
        return body, 0
    end = body.rfind("\n", limit * 3 // 4, limit)
    end = limit if end < 0 else end
    return body[:end], len(body) - end


def audio_placeholder(b64: str) -> str:
    """'<4800 bytes, 100 ms base64 audio>' for a base64 PCM16 payload."""
    from rt_tui.inspector.summary import audio_ms, base64_decoded_size

    size = base64_decoded_size(b64)
    return f"<{size} bytes, {audio_ms(size):.0f} ms base64 audio>"


def shorten_audio(value: Any, *, audio_frame: bool = False) -> Any:
    """A copy of decoded JSON with base64 audio payloads replaced by a placeholder.

    In an audio frame the `audio`/`delta` strings are audio; anywhere else, any long
    base64-only string (e.g. audio inside an item) is treated as audio too."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if isinstance(item, str) and (
                (audio_frame and key in _AUDIO_KEYS) or _LONG_BASE64.fullmatch(item)
            ):
                out[key] = audio_placeholder(item)
            else:
                out[key] = shorten_audio(item)
        return out
    if isinstance(value, list):
        return [shorten_audio(item) for item in value]
    return value


def pretty_frame(text: str | bytes, *, audio_frame: bool = False) -> Detail:
    """A frame's text as indented JSON (or as it is, when it is not JSON)."""
    if isinstance(text, bytes):
        shown = text[:_BINARY_PREVIEW].hex(" ")
        more = " …" if len(text) > _BINARY_PREVIEW else ""
        return Detail(f"binary frame, {len(text)} bytes", shown + more, "text")
    try:
        decoded = json.loads(text)
    except (ValueError, RecursionError):
        return Detail("not JSON: shown as received", text, "text")
    body = json.dumps(shorten_audio(decoded, audio_frame=audio_frame), indent=2, ensure_ascii=False)
    return Detail("", body)


def frame_detail(store: FrameStore, i: int) -> Detail:
    """The detail of frame `i` on its own."""
    from rt_tui.inspector.records import direction_arrow

    detail = pretty_frame(store.frame_text(i), audio_frame=store.is_audio(i))
    arrow = direction_arrow(store.direction(i))
    title = f"#{i + 1} {arrow} {store.wire_type(i)} at {store.t_ms(i):.0f} ms"
    if detail.title:
        title = f"{title} · {detail.title}"
    return Detail(title, detail.body, detail.language)


def row_detail(store: FrameStore, row: int) -> Detail:
    """The detail of a visible row: a frame, or a folded group's combined view."""
    i = store.frame_at_row(row)
    shown = store.row(row)
    group = store.group_of(i)
    if group is None or shown.fold != "folded":
        return frame_detail(store, i)
    combined: dict[str, Any] = {"type": shown.wire_type, "folded_frames": group.count}
    first_detail = pretty_frame(store.frame_text(group.first))
    first = json.loads(first_detail.body) if first_detail.language == "json" else {}
    if isinstance(first, dict):
        for key in ("response_id", "item_id", "output_index", "content_index", "call_id"):
            if key in first:
                combined[key] = first[key]
    if shown.is_audio:
        from rt_tui.inspector.summary import audio_ms

        combined["audio_bytes"] = group.audio_bytes
        combined["audio_ms"] = round(audio_ms(group.audio_bytes))
    else:
        combined["text"] = group.text()
    span = f"{store.t_ms(group.first):.0f}-{store.t_ms(group.last):.0f} ms"
    title = f"{shown.arrow} {shown.wire_type} x{group.count} folded, {span}"
    return Detail(title, json.dumps(combined, indent=2, ensure_ascii=False))


def soft_wrap(line: str, width: int) -> list[tuple[int, int, int]]:
    """Where to cut `line` to fit `width` cells: (start, end, indent) pieces, where each
    piece after the first is shown indented by `indent` spaces (the line's own indent plus
    two), cut at a space when one is near the end, so wrapped JSON keeps its shape."""
    if width <= 0 or len(line) <= width:
        return [(0, len(line), 0)]
    indent = min(len(line) - len(line.lstrip(" ")) + 2, width // 2)
    pieces: list[tuple[int, int, int]] = []
    start, room, lead = 0, width, 0
    while len(line) - start > room:
        end = start + room
        space = line.rfind(" ", start + room // 2, end)
        if space > start and line[start:space].strip():
            end = space + 1
        pieces.append((start, end, lead))
        start, room, lead = end, width - indent, indent
    pieces.append((start, len(line), lead))
    return pieces
