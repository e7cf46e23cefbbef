"""How the footer's keys look: Textual's `FooterKey` look, worked out for one widget.

Textual styles a widget's parts (its component classes) through nodes that stand for
them, children of the widget that are never mounted. The footer draws all its keys
itself, so it does the same one level deeper: a node for a key (hovered or not) and,
under it, one for the key's letters and one for its description. Their
styles come from the footer's CSS below, which says what `FooterKey`'s and `Footer`'s
CSS say, from the same variables, so a theme colours these keys as it would Textual's.
A dimmed key is a key's look, dim (`FooterKey.-disabled`): no nodes of its own.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from textual.color import Color
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.widget import Widget

FOOTER_KEY_CSS = """
KeyFooter {
    dock: bottom;
    height: 1;
    color: $footer-foreground;
    background: $footer-background;
    .key-footer--item {
        background: $footer-item-background;
    }
    .key-footer--item.-hover {
        color: $footer-key-foreground;
        background: $block-hover-background;
    }
    .key-footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
        padding: 0 1;
    }
    .key-footer--description {
        padding: 0 1 0 0;
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    .key-footer--bar {
        color: $foreground 20%;
    }
    &.-compact {
        .key-footer--key {
            padding: 0;
        }
        .key-footer--description {
            padding: 0 0 0 1;
        }
    }
}
"""

DIM = Style(dim=True)


class KeyLook(NamedTuple):
    """The styles of one kind of key: the whole key, its letters and its description
    (with the spaces around each), and the bar before the palette key."""

    item: Style
    key: Style
    key_pad: tuple[str, str]
    description: Style
    desc_pad: tuple[str, str]
    palette_bar: Style


class FooterKeyStyles:
    """The looks of `footer`'s keys, each worked out the first time it is drawn and kept
    until the footer's styles change (`clear`)."""

    def __init__(self, footer: Widget) -> None:
        self._footer = footer
        self._looks: dict[tuple[bool, bool, bool], KeyLook] = {}
        self._bar_color: Color | None = None

    def clear(self) -> None:
        self._looks.clear()
        self._bar_color = None

    def paddings(self, compact: bool) -> tuple[int, int]:
        """Cells of padding around a key's letters, and around its description."""
        look = self.look(hover=False, dimmed=False, compact=compact)
        return sum(map(len, look.key_pad)), sum(map(len, look.desc_pad))

    def look(self, *, hover: bool, dimmed: bool, compact: bool) -> KeyLook:
        found = self._looks.get((hover, dimmed, compact))
        if found is None:
            if dimmed:
                lit = self.look(hover=hover, dimmed=False, compact=compact)
                found = lit._replace(
                    item=lit.item + DIM, key=lit.key + DIM, description=lit.description + DIM
                )
            else:
                found = self._work_out(hover)
            self._looks[hover, dimmed, compact] = found
        return found

    def _work_out(self, hover: bool) -> KeyLook:
        footer = self._footer
        stylesheet = footer.app.stylesheet
        item = _styled(stylesheet, footer, "key-footer--item" + " -hover" * hover)
        key = _styled(stylesheet, item, "key-footer--key")
        description = _styled(stylesheet, item, "key-footer--description")
        if self._bar_color is None:
            bar = _styled(stylesheet, footer, "key-footer--bar")
            self._bar_color = footer.background_colors[1] + bar.styles.color
        return KeyLook(
            item=item.rich_style,
            key=key.rich_style,
            key_pad=_pads(key),
            description=description.rich_style,
            desc_pad=_pads(description),
            # As Textual draws a left border: the colour over the footer's background.
            palette_bar=Style(
                color=self._bar_color.rich_color,
                bgcolor=item.background_colors[1].rich_color,
            ),
        )


def _styled(stylesheet: Stylesheet, parent: DOMNode, classes: str) -> DOMNode:
    """A node standing for a part under `parent`, styled (never mounted)."""
    node = DOMNode(classes=classes)
    node._attach(parent)
    stylesheet.apply(node, animate=False)
    return node


def _pads(node: DOMNode) -> tuple[str, str]:
    padding = node.styles.padding
    return " " * padding.left, " " * padding.right
