"""Secrets out of frames, before anything keeps or shows them.

Every secret the app knows (an endpoint's `secret_values()`: header values, which need not
look like keys, an Azure key is 32 hex digits, and the URL's secret query values), in each
form a server may write it back (`written_forms`), and everything key-shaped or held in a
field named like a secret (`client_secret.value`, `api_key`, `password`…) is replaced by ***.

The connection redacts each frame once, with its endpoint's secrets (`Redactor`), and stamps
the result on the `Frame` as `redacted`; the event it parsed holds no secret (a frame that
held one is parsed again from `redacted`). The log, the inspector and the exports use
`redacted` (`redacted_data`) instead of scanning the frame again, and the conversation and
error sentences read the event's fields. Frames without a hint of a secret, the vast
majority and every audio chunk, come back unchanged and uncopied, and a long base64 value
is neither walked as JSON nor searched for hints: its run is found and checked with a few
memchr calls.
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
#: Substrings that decide whether a frame needs the slower redaction passes: every start
#: of a key-shaped token (see `errors.scrub`), and the names of secret fields. They are
#: looked for by `_may_hold_key` and `_may_name_secret_field`, which a test holds to them.
_KEY_PREFIXES: Final = ("sk-", "sk_", "ek-", "ek_", "rk-", "rk_")
_BEARERS: Final = ("bearer", "Bearer", "BEARER")
_API_KEYS: Final = ("api_key", "api-key", "apikey")
_KEY_HINTS: Final = (*_KEY_PREFIXES, *_BEARERS)
_FIELD_HINTS: Final = ("secret", *_API_KEYS, "uthorization", "password")

#: String values at least this long are left out of the hint scans when they cannot hold a
#: hint (base64 audio), which keeps the per-frame cost of audio frames small.
LONG_VALUE_CHARS: Final = 1024
#: Shorter frames are searched whole.
_SCOPED_CHARS: Final = 2 * LONG_VALUE_CHARS
#: A hint inside a string value needs one of these: a key prefix's - or _, the whitespace
#: after "Bearer", the backslash of an escaped quote around a nested field. Base64 has none.
#: Valid JSON holds no raw control character but the whitespace between tokens, so these
#: are all a stretch of JSON text can carry...
_JSON_CARRIERS: Final = (" ", "-", "_", "\\", "\t", "\n", "\r")
#: ...and these the whitespace any text can (the ASCII characters `\s` matches).
_ALL_CARRIERS: Final = (*_JSON_CARRIERS, "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")


def _holds_any(text: str, needles: tuple[str, ...]) -> bool:
    # A plain loop: any() over a generator costs more than the scans on a short frame.
    for needle in needles:  # noqa: SIM110
        if needle in text:
            return True
    return False


# A substring search costs ~0.5 ns a character, a one-letter check (memchr) a tenth of
# that, so each hint is looked for only once a letter it needs (or a shorter part of it)
# is there: most frames are cleared by a handful of memchr calls.


def _may_hold_key(text: str) -> bool:
    """Whether `text` holds one of `_KEY_HINTS`."""
    return ("k" in text and ("k-" in text or "k_" in text) and _holds_any(text, _KEY_PREFIXES)) or (
        ("b" in text or "B" in text) and _holds_any(text, _BEARERS)
    )


def _may_name_secret_field(text: str) -> bool:
    """Whether `text` holds one of `_FIELD_HINTS`."""
    return (
        "secret" in text
        or ("k" in text and "api" in text and _holds_any(text, _API_KEYS))
        or ("z" in text and "uthorization" in text)
        or ("w" in text and "password" in text)
    )


def _carries(text: str, carriers: tuple[str, ...], start: int, end: int) -> bool:
    """Whether `text[start:end]` holds one of `carriers` (single characters), found with
    memchr in place, without copying the slice."""
    for carrier in carriers:  # noqa: SIM110
        if text.find(carrier, start, end) >= 0:
            return True
    return False


def _hint_scope(text: str, json_text: bool = False) -> str:
    """`text` without the long quoted runs that cannot hold a hint, which are cut out
    whole, quotes left in place, so no new hint can form across a cut (no hint contains a
    quote). Only ASCII text is cut, so every whitespace character the key patterns match
    is a carrier. `json_text`: `text` is valid JSON (see `_JSON_CARRIERS`)."""
    size = len(text)
    if size < _SCOPED_CHARS or not text.isascii():
        return text
    carriers = _JSON_CARRIERS if json_text else _ALL_CARRIERS
    # Most long frames hold one long value across their middle (an audio delta): its run
    # is found with two memchr calls and checked in place, a memchr per carrier.
    middle = size // 2
    start = text.rfind('"', 0, middle) + 1
    end = text.find('"', middle)
    end = size if end < 0 else end
    if end - start >= LONG_VALUE_CHARS and not _carries(text, carriers, start, end):
        return text[:start] + text[end:]
    pieces = text.split('"')
    kept = [p for p in pieces if len(p) < LONG_VALUE_CHARS or _holds_any(p, carriers)]
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


def _dumps(value: Any) -> str:
    """JSON text of `value` that encodes to UTF-8: as written, unless it holds a lone
    surrogate (a server's escaped "\\ud800" decodes to one), which stays escaped."""
    text = json.dumps(value, ensure_ascii=False)
    try:
        text.encode()
    except UnicodeEncodeError:
        return json.dumps(value)
    return text


def written_forms(secret: str) -> tuple[str, ...]:
    """`secret` and the other ways a server may write it back: escaped in a JSON string
    (a quote or backslash, `/` as `\\/`) or percent-encoded (a URL's echo)."""
    in_json = json.dumps(secret, ensure_ascii=False)[1:-1]
    forms = (secret, in_json, in_json.replace("/", "\\/"), quote(secret, safe=""))
    return tuple(dict.fromkeys(forms))


class Redactor:
    """Redacts frames with one set of known secrets (an endpoint's `secret_values()`),
    prepared once so each frame costs a few substring scans."""

    __slots__ = ("_scope_probes", "_text_probes", "secrets")

    def __init__(self, known_secrets: Iterable[str] = ()) -> None:
        self.secrets: tuple[str, ...] = tuple(
            dict.fromkeys(form for s in known_secrets if s for form in written_forms(s))
        )
        # A secret holding another ("Bearer sk-…" holds "sk-…") can only be present where
        # the shorter one is, so only the shortest are looked for.
        probes = [s for s in self.secrets if not any(o != s and o in s for o in self.secrets)]
        # A probe with a carrier and no quote cannot lie in, or reach into, a run the hint
        # scope cuts out (which has neither), so the scope is enough to look in. Others
        # (an Azure key is 32 hex digits, which base64 may hold) are looked for everywhere.
        self._scope_probes = tuple(
            p for p in probes if '"' not in p and _holds_any(p, _JSON_CARRIERS)
        )
        self._text_probes = tuple(p for p in probes if p not in self._scope_probes)

    def text(self, text: str, *, json_text: bool = False) -> str:
        """`text` with every secret replaced; the same object when it held none.
        `json_text`: the caller knows `text` is valid JSON (it parsed it), which makes a
        long frame cheaper to clear."""
        # Runs for every frame: the short-frame test and the probe loops are written out
        # here rather than called.
        scope = text if len(text) < _SCOPED_CHARS else _hint_scope(text, json_text)
        field = _may_name_secret_field(scope)
        key = _may_hold_key(scope)
        if field or key:
            return self._hinted(text, field, key)
        for probe in self._scope_probes:
            if probe in scope:
                return scrub(text, self.secrets)
        for probe in self._text_probes:
            if probe in text:
                return scrub(text, self.secrets)
        return text

    def _hinted(self, text: str, field: bool, key: bool) -> str:
        """`text` that names a secret field (`field`) or holds the start of a key-shaped
        token (`key`): most often a false alarm."""
        if field:
            try:
                decoded = json.loads(text)
                redacted = _redact_fields(decoded)
                if redacted != decoded:
                    text = _dumps(redacted)
            except (ValueError, RecursionError):
                pass  # not JSON, or nested too deep to walk: the scans below still apply
        if _holds_any(text, self._scope_probes) or _holds_any(text, self._text_probes):
            text = scrub(text, self.secrets)
        elif key:
            text = scrub(text)
        return text

    def binary(self, data: bytes) -> bytes:
        """A binary frame with the known secrets replaced (nothing else can be told apart)."""
        for secret in self.secrets:
            data = data.replace(secret.encode(), REDACTED.encode())
        return data

    def data(self, data: str | bytes, *, json_text: bool = False) -> str | bytes:
        """A frame's wire data, text or binary, with every secret replaced (`json_text`:
        see `text`)."""
        if isinstance(data, str):
            return self.text(data, json_text=json_text)
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
