"""Secrets out of frames, before anything keeps or shows them.

Every secret the app knows (an endpoint's `secret_values()`: header values, which need not
look like keys, an Azure key is 32 hex digits, and the URL's secret query values), in each
form a server may write it back (`written_forms`), and everything key-shaped or held in a
field named like a secret (`client_secret.value`, `api_key`, `password`…) is replaced by ***.

The connection redacts each frame once, with its endpoint's secrets (`Redactor`), stamps
the result on the `Frame` as `redacted` and parses the event from it; the log, the
inspector and the exports use `redacted` (`redacted_data`) instead of scanning the frame
again, and the conversation and error sentences read the event's fields. Frames without a hint of a
secret, the vast majority and every audio chunk, come back unchanged and uncopied, and a
long base64 value is never walked as JSON.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from typing import Any, Final
from urllib.parse import quote

from rt_tui.realtime.errors import scrub
from rt_tui.realtime.frames import Frame

REDACTED: Final = "***"

#: JSON fields whose string values are always secrets, wherever they appear.
_SECRET_FIELDS: Final = frozenset(
    {
        "api_key",
        "api-key",
        "apikey",
        "authorization",
        "password",
        "secret",
        "access_token",
        "client_secret",
    }
)
#: Cheap substring checks that decide whether a frame needs the slower redaction passes.
_KEY_HINTS: Final = ("sk-", "sk_", "ek_", "rk-", "rk_", "earer")
_FIELD_HINTS: Final = ("secret", "api_key", "api-key", "apikey", "uthorization", "password")
_ANY_HINT: Final = _FIELD_HINTS + _KEY_HINTS

#: String values at least this long are left out of the hint scans when they cannot hold a
#: hint (base64 audio), which keeps the per-frame cost of audio frames small.
LONG_VALUE_CHARS: Final = 1024
#: A hint inside a string value needs one of these: a key prefix's - or _, the whitespace
#: after "Bearer", the backslash of an escaped quote around a nested field. Base64 has none.
_HINT_CARRIERS: Final = (" ", "-", "_", "\\", "\t", "\n", "\r", "\x0b", "\x0c")
_HINT_CARRIERS_RARE: Final = ("\x1c", "\x1d", "\x1e", "\x1f")
_ALL_CARRIERS: Final = _HINT_CARRIERS + _HINT_CARRIERS_RARE


def _holds_any(text: str, needles: tuple[str, ...]) -> bool:
    # A plain loop: any() over a generator costs more than the scans on a short frame.
    for needle in needles:  # noqa: SIM110
        if needle in text:
            return True
    return False


def _hint_scope(text: str) -> str:
    """`text` without the long quoted runs that cannot hold a hint, joined by quotes so no
    new hint can form across a cut (no hint contains a quote). Only ASCII text is cut, so
    every whitespace character the key patterns match is in `_HINT_CARRIERS`."""
    if len(text) < 2 * LONG_VALUE_CHARS or not text.isascii():
        return text
    pieces = text.split('"')
    kept = [p for p in pieces if len(p) < LONG_VALUE_CHARS or _holds_any(p, _ALL_CARRIERS)]
    return text if len(kept) == len(pieces) else '"'.join(kept)


def _redact_fields(value: Any) -> Any:
    """A copy of decoded JSON with secret fields replaced (client_secret objects included)."""
    if isinstance(value, dict):
        result: dict[str, Any] = {}
        for name, item in value.items():
            lowered = name.lower() if isinstance(name, str) else ""
            if lowered == "client_secret" and isinstance(item, dict):
                result[name] = {
                    k: REDACTED if k == "value" else _redact_fields(v) for k, v in item.items()
                }
            elif lowered in _SECRET_FIELDS and isinstance(item, str) and item:
                result[name] = REDACTED
            else:
                result[name] = _redact_fields(item)
        return result
    if isinstance(value, list):
        return [_redact_fields(item) for item in value]
    return value


def written_forms(secret: str) -> tuple[str, ...]:
    """`secret` and the other ways a server may write it back: escaped in a JSON string
    (a quote or backslash, `/` as `\\/`) or percent-encoded (a URL's echo)."""
    in_json = json.dumps(secret, ensure_ascii=False)[1:-1]
    forms = (secret, in_json, in_json.replace("/", "\\/"), quote(secret, safe=""))
    return tuple(dict.fromkeys(forms))


class Redactor:
    """Redacts frames with one set of known secrets (an endpoint's `secret_values()`),
    prepared once so each frame costs a few substring scans."""

    __slots__ = ("_probes", "secrets")

    def __init__(self, known_secrets: Iterable[str] = ()) -> None:
        self.secrets: tuple[str, ...] = tuple(
            dict.fromkeys(form for s in known_secrets if s for form in written_forms(s))
        )
        # A secret holding another ("Bearer sk-…" holds "sk-…") can only be present where
        # the shorter one is, so only the shortest are looked for.
        self._probes = tuple(
            s for s in self.secrets if not any(o != s and o in s for o in self.secrets)
        )

    def text(self, text: str) -> str:
        """`text` with every secret replaced; the same object when it held none."""
        scope = _hint_scope(text)
        if _holds_any(scope, _ANY_HINT):
            return self._hinted(text, scope)
        for probe in self._probes:
            if probe in text:
                return scrub(text, self.secrets)
        return text

    def _hinted(self, text: str, scope: str) -> str:
        """`text` that has a hint of a secret (most often a false alarm)."""
        if _holds_any(scope, _FIELD_HINTS):
            try:
                decoded = json.loads(text)
            except ValueError:
                decoded = None
            if decoded is not None:
                redacted = _redact_fields(decoded)
                if redacted != decoded:
                    text = json.dumps(redacted, ensure_ascii=False)
        if self._probes and _holds_any(text, self._probes):
            text = scrub(text, self.secrets)
        elif _holds_any(scope, _KEY_HINTS):
            text = scrub(text)
        return text

    def binary(self, data: bytes) -> bytes:
        """A binary frame with the known secrets replaced (nothing else can be told apart)."""
        for secret in self.secrets:
            data = data.replace(secret.encode(), REDACTED.encode())
        return data

    def data(self, data: str | bytes) -> str | bytes:
        """A frame's wire data, text or binary, with every secret replaced."""
        if isinstance(data, str):
            return self.text(data)
        return self.binary(bytes(data))


@functools.lru_cache(maxsize=16)
def _redactor_for(known_secrets: tuple[str, ...]) -> Redactor:
    return Redactor(known_secrets)


def redact_frame_text(text: str, known_secrets: Iterable[str] = ()) -> str:
    """`text` with every secret it may carry replaced by ***. Frames without a hint of a
    secret (the vast majority, including audio) come back unchanged and uncopied."""
    return _redactor_for(tuple(known_secrets)).text(text)


def redact_frame_bytes(data: bytes, known_secrets: Iterable[str] = ()) -> bytes:
    """A binary frame with `known_secrets` (the endpoint's own) replaced by ***."""
    return _redactor_for(tuple(known_secrets)).binary(data)


def redacted_data(frame: Frame, redactor: Redactor) -> str | bytes:
    """The frame's wire data without secrets: what the connection already worked out, or,
    for a frame built elsewhere (a test, a sample), redacted now with `redactor`."""
    if frame.redacted is not None:
        return frame.redacted
    return redactor.data(frame.data)
