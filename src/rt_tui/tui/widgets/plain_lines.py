"""Painting a Line API widget's lines straight from the strips it keeps.

Textual paints each line of a widget through the widget's styles cache (borders, padding,
tint, opacity), and makes a new `Strip` of every line it paints. A list that scrolled by a
row repaints every line, and each new strip starts with empty caches of its own, so
everything after it is worked out again too: the app's line filters, the crop to the
visible part, the compositor's cuts. The inspector's rows and the conversation repaint whole
on every beat of a stream (they follow its end), and neither has any of those styles: for
them the pass changes nothing but the strip objects. So they hand the compositor the strips
they keep, and each step after is a lookup in that strip's own caches. Which lines are
painted again is left as Textual decides it: only those refreshed, or all after a scroll.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.style import Style

if TYPE_CHECKING:
    from textual.geometry import Region
    from textual.strip import Strip
    from textual.widget import Widget


def plain_lines(widget: Widget, crop: Region) -> list[Strip] | None:
    """`widget`'s lines in `crop` (widget coordinates), exactly as Textual's styles cache
    paints them (`StylesCache.render_widget`, Textual 8.2: re-check on an upgrade), or
    None when the widget has a style that only that pass draws (then let Textual paint
    them)."""
    styles = widget.styles
    if (
        any(styles.gutter)  # padding or a border
        or any(edge for edge, _color in styles.outline)
        or styles.tint.a
        or styles.text_opacity != 1.0
        or widget.opacity != 1.0
        or (styles.has_rule("hatch") and styles.hatch != "none")
        or (widget.auto_links and widget.hover_style.link_id)  # a hovered link is restyled
    ):
        return None
    width = widget.region.width
    base_background, background = widget.background_colors
    # What the styles cache pads a short line with (its `inner`).
    pad = Style(background=base_background + background).rich_style
    filters = widget.get_line_filters()
    render_line = widget.render_line
    # The styles cache's own lines and dirty lines (Textual has no public accessor for
    # them), kept as it keeps them: a line changed in place (a growing reply) repaints
    # alone, the others come from there.
    cache = widget._styles_cache
    if width != cache._width:
        cache.clear()
        cache._width = width
    kept, dirty = cache._cache, cache._dirty_lines
    lines = []
    for y in crop.line_range:
        strip = kept.get(y)
        if strip is None or y in dirty:
            strip = kept[y] = render_line(y).adjust_cell_length(width, pad)
        for line_filter in filters:
            strip = strip.apply_filter(line_filter, background)
        lines.append(strip)
    dirty.difference_update(crop.line_range)
    start, end = crop.column_span
    if (start, end) != (0, width):
        lines = [strip.crop(start, end) for strip in lines]
    return lines
