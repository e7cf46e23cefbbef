"""Token usage: what one response used (`response.done`'s `usage`) and a session's totals.

The service bills each kind of token at its own price, so usage is split into the kinds
it prices: text, audio and image input, each either fresh or cached, and text and audio
output. Cached tokens are part of the input tokens (`input_token_details.cached_tokens`
counts some of `input_tokens` again): here each input token is counted once, either as
fresh or as cached, never as both. Both dialects report usage in the same shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

JsonObject = dict[str, Any]

__all__ = ["TokenCounts", "Totals", "Usage"]


def _int(d: JsonObject, key: str) -> int | None:
    """A non-negative count at `key`, or None when the field is missing or not a count."""
    value = d.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        return max(0, value)
    return None


def _dict(d: JsonObject, key: str) -> JsonObject:
    value = d.get(key)
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True, slots=True)
class TokenCounts:
    """Tokens by the kinds the service prices; every input token is in exactly one of
    the six input kinds."""

    text_input: int = 0
    """Fresh (not cached) text input."""
    audio_input: int = 0
    image_input: int = 0
    cached_text_input: int = 0
    cached_audio_input: int = 0
    cached_image_input: int = 0
    text_output: int = 0
    audio_output: int = 0

    def __add__(self, other: TokenCounts) -> TokenCounts:
        return TokenCounts(
            *(getattr(self, f.name) + getattr(other, f.name) for f in fields(TokenCounts))
        )

    @property
    def input(self) -> int:
        return (
            self.text_input
            + self.audio_input
            + self.image_input
            + self.cached_text_input
            + self.cached_audio_input
            + self.cached_image_input
        )

    @property
    def cached_input(self) -> int:
        return self.cached_text_input + self.cached_audio_input + self.cached_image_input

    @property
    def output(self) -> int:
        return self.text_output + self.audio_output

    def items(self) -> list[tuple[str, int]]:
        """(kind, tokens) for every kind, in the order above."""
        return [(f.name, getattr(self, f.name)) for f in fields(TokenCounts)]

    @classmethod
    def from_usage(cls, raw: JsonObject) -> TokenCounts:
        """The split of a `usage` object.

        Where a detail is missing, the rest of the total is taken to be text (what the
        service reported before it split usage by modality), and cached tokens without
        a split are taken as text first. A cached count is never more than the input of
        its kind, whatever the server says (the spec's own example says more).
        """
        details = _dict(raw, "input_token_details")
        audio = _int(details, "audio_tokens") or 0
        image = _int(details, "image_tokens") or 0
        text = _int(details, "text_tokens")
        if text is None:
            text = max(0, (_int(raw, "input_tokens") or 0) - audio - image)
        cached_details = _dict(details, "cached_tokens_details")
        if cached_details:
            cached = [_int(cached_details, f"{kind}_tokens") or 0 for kind in _KINDS]
        else:
            cached = _share(_int(details, "cached_tokens") or 0, (text, audio, image))
        cached = [min(c, total) for c, total in zip(cached, (text, audio, image), strict=True)]
        output = _dict(raw, "output_token_details")
        audio_out = _int(output, "audio_tokens") or 0
        text_out = _int(output, "text_tokens")
        if text_out is None:
            text_out = max(0, (_int(raw, "output_tokens") or 0) - audio_out)
        return cls(
            text_input=text - cached[0],
            audio_input=audio - cached[1],
            image_input=image - cached[2],
            cached_text_input=cached[0],
            cached_audio_input=cached[1],
            cached_image_input=cached[2],
            text_output=text_out,
            audio_output=audio_out,
        )


_KINDS = ("text", "audio", "image")


def _share(cached: int, totals: tuple[int, ...]) -> list[int]:
    """`cached` spread over the kinds in order, none given more than its total."""
    shares = []
    for total in totals:
        share = min(cached, total)
        shares.append(share)
        cached -= share
    return shares


@dataclass(slots=True)
class Usage:
    """Token usage of one response (`response.done`)."""

    total_tokens: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cached_tokens: int = 0
    counts: TokenCounts = field(default_factory=TokenCounts)
    """The tokens by priced kind (the `usage` object's details, as far as prices need
    them: a session keeps one of these a response, not the server's dicts)."""

    @classmethod
    def from_json(cls, raw: JsonObject) -> Usage:
        """Usage from a response's `usage` object; missing or odd fields count as 0."""
        return cls(
            total_tokens=_int(raw, "total_tokens") or 0,
            input_tokens=_int(raw, "input_tokens") or 0,
            output_tokens=_int(raw, "output_tokens") or 0,
            cached_tokens=_int(_dict(raw, "input_token_details"), "cached_tokens") or 0,
            counts=TokenCounts.from_usage(raw),
        )


@dataclass(slots=True)
class Totals:
    """Session-wide token totals over every finished response."""

    input_tokens: int = 0
    output_tokens: int = 0
    cached_tokens: int = 0
    total_tokens: int = 0
    counts: TokenCounts = field(default_factory=TokenCounts)
    """The tokens by priced kind, summed."""
    responses: int = 0
    """Responses that reported usage."""

    def add(self, usage: Usage) -> None:
        """Count one finished response's usage."""
        self.input_tokens += usage.input_tokens
        self.output_tokens += usage.output_tokens
        self.cached_tokens += usage.cached_tokens
        self.total_tokens += usage.total_tokens
        self.counts += usage.counts
        self.responses += 1
