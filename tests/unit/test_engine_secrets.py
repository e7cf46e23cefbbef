"""Which values count as secrets, and that the recorder scrubs them (and only them)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from rt_tui.dialect import Dialect
from rt_tui.realtime import redaction
from rt_tui.realtime.endpoints import Endpoint, endpoint_for_url, redact_url
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.recorder import SessionRecorder, read_log, redact_frame_text

KEY = "sk-secret-ValuesOnlyPlease12345"
AZURE_KEY = "0123456789abcdef0123456789abcdef"


def test_secret_values_are_the_auth_headers_and_the_bare_token() -> None:
    bearer = endpoint_for_url("ws://127.0.0.1:1/v1/realtime", KEY, Dialect.BETA)
    assert bearer.secret_values() == (f"Bearer {KEY}", KEY)
    azure = endpoint_for_url("ws://127.0.0.1:1/openai/v1/realtime", AZURE_KEY)
    assert azure.secret_values() == (AZURE_KEY,)
    assert (
        endpoint_for_url("ws://127.0.0.1:1/v1/realtime", dialect=Dialect.BETA).secret_values() == ()
    )


def test_secret_values_hold_the_urls_secrets_as_written_and_decoded() -> None:
    url = (
        "ws://user:pass%2Fword@127.0.0.1:1/v1/realtime?model=gpt-realtime-mini"
        "&api-key=abc%2Bdef%2Fghi&sig=0123456789&token=short&deployment=keyless-dep"
    )
    assert endpoint_for_url(url, KEY).secret_values() == (
        f"Bearer {KEY}",
        KEY,
        "pass%2Fword",
        "pass/word",
        "abc%2Bdef%2Fghi",
        "abc+def/ghi",
        "0123456789",
    )


def test_recorder_scrubs_the_key_but_not_the_beta_header_value(tmp_path: Path) -> None:
    endpoint = Endpoint(
        "ws://127.0.0.1:1/v1/realtime",
        {"api-key": AZURE_KEY, "OpenAI-Beta": "realtime=v1"},
        Dialect.BETA,
    )
    text = json.dumps({"type": "x", "note": f"realtime=v1 with {AZURE_KEY}"})
    path = tmp_path / "log.jsonl"
    with SessionRecorder(path, endpoint=endpoint) as recorder:
        recorder.write(Frame(Direction.RECEIVED, 1.0, 2.0, text))
    [record] = read_log(path)
    assert record.data == json.dumps({"type": "x", "note": "realtime=v1 with ***"})


# --- the recorder's cheap path for long values (base64 audio) --------------------------------

AUDIO = base64.b64encode(bytes(range(256)) * 8).decode("ascii")  # 2,732 chars, no hint in it


def slow_redact(text: str, known: tuple[str, ...] = (), *, json_text: bool = False) -> str:
    """The same redaction with the long-value shortcut switched off."""
    saved = redaction.LONG_VALUE_CHARS
    redaction.LONG_VALUE_CHARS = 10**12  # type: ignore[misc]
    try:
        return redaction.Redactor(known).text(text, json_text=json_text)
    finally:
        redaction.LONG_VALUE_CHARS = saved  # type: ignore[misc]


def audio_frame(**extra: object) -> str:
    return json.dumps({"type": "response.output_audio.delta", "delta": AUDIO, **extra})


def test_an_audio_frame_without_secrets_comes_back_as_is() -> None:
    text = audio_frame(item_id="item_1")
    assert redact_frame_text(text, (AZURE_KEY,)) is text


def test_secrets_beside_or_inside_a_long_value_are_still_redacted() -> None:
    beside = audio_frame(api_key="plain-value", note=f"Bearer {'t' * 20}")
    assert json.loads(redact_frame_text(beside)) == {
        "type": "response.output_audio.delta",
        "delta": AUDIO,
        "api_key": "***",
        "note": "***",
    }
    inside = audio_frame(delta=AUDIO + KEY + AUDIO)
    assert KEY not in redact_frame_text(inside)
    tabbed = json.dumps({"delta": AUDIO}).replace(AUDIO, AUDIO + "Bearer\t" + "x" * 30)
    assert "x" * 30 not in redact_frame_text(tabbed)
    known = audio_frame(delta=AUDIO + AZURE_KEY + AUDIO)
    assert AZURE_KEY not in redact_frame_text(known, (AZURE_KEY,))


FRAGMENTS = [
    "",
    KEY,
    "\n" + KEY,
    "sk_" + "a" * 20,
    "ek_" + "b" * 20,
    "ek-" + "b" * 20,
    "rk-" + "b" * 20,
    "Bearer " + "c" * 20,
    "bearer\n" + "d" * 20,
    "BEARER\x1c" + "d" * 20,
    '\\"api_key\\": \\"v\\"',
    "secret",
    "password",
    AZURE_KEY,
]


@settings(max_examples=150, deadline=None)
@given(
    blob=st.binary(min_size=1600, max_size=2400),
    fragment=st.sampled_from(FRAGMENTS),
    where=st.floats(0, 1),
    as_key=st.booleans(),
    ascii_only=st.booleans(),
    known=st.sampled_from([(), (AZURE_KEY,), (f"Bearer {KEY}", KEY), ("sk-" + "b" * 20,)]),
    json_text=st.booleans(),
    around=st.sampled_from(["{}", "x{}x", "[{}]", '{{"a": "b", "c": {}}}']),
)
def test_the_shortcut_redacts_exactly_like_the_full_scan(
    blob: bytes,
    fragment: str,
    where: float,
    as_key: bool,
    ascii_only: bool,
    known: tuple[str, ...],
    json_text: bool,
    around: str,
) -> None:
    encoded = base64.b64encode(blob).decode("ascii")
    at = int(len(encoded) * where)
    value = encoded[:at] + fragment + encoded[at:]
    record = {"type": "x", (value if as_key else "delta"): value if not as_key else 1, "é": "ü"}
    text = json.dumps(record, ensure_ascii=ascii_only)
    # The long value away from the middle, or in text that is not JSON.
    text = around.format(text) if around != "{}" else text
    json_text = json_text and around != "x{}x"
    fast = redaction.Redactor(known).text(text, json_text=json_text)
    assert fast == slow_redact(text, known, json_text=json_text)


def test_redact_url_hides_key_shaped_values_under_any_name_or_in_the_path() -> None:
    assert redact_url(f"wss://h/v1/realtime?model=m&k={KEY}") == "wss://h/v1/realtime?model=m&k=***"
    assert redact_url(f"wss://h/{KEY}/realtime") == "wss://h/***/realtime"
    assert redact_url("wss://h/v1/realtime?model=gpt-realtime") == (
        "wss://h/v1/realtime?model=gpt-realtime"
    )


def test_a_key_right_after_a_json_escape_is_redacted() -> None:
    for before in ("\n", "\t", "é", "\u2028"):
        text = json.dumps({"type": "error", "message": f"line{before}{KEY}"})
        assert KEY not in redact_frame_text(text), before


def test_a_known_secret_is_redacted_as_json_or_a_url_writes_it() -> None:
    secret = 'se/cr+et"0123'
    # As json.dumps writes it, as a serialiser that escapes "/" does, and percent-encoded.
    escaped_slash = json.dumps(secret).replace("/", "\\/")
    text = f'{{"a": {json.dumps(secret)}, "b": {escaped_slash}, "c": "se%2Fcr%2Bet%220123"}}'
    assert json.loads(text)["b"] == secret
    assert "cr" not in redact_frame_text(text, (secret,))


def test_every_key_shape_the_scrubber_knows_is_redacted() -> None:
    for token in ("sk-", "sk_", "ek-", "ek_", "rk-", "rk_", "Bearer ", "bearer  ", "BEARER "):
        text = json.dumps({"type": "error", "message": f"bad {token}{'Q' * 24}"})
        assert "Q" * 24 not in redact_frame_text(text), token


def test_the_quick_checks_find_every_hint() -> None:
    # Each check is made of substring tests, so one that passes on a hint alone passes on
    # any text holding it.
    for hint in redaction._KEY_HINTS:
        assert redaction._may_hold_key(hint), hint
    for hint in redaction._FIELD_HINTS:
        assert redaction._may_name_secret_field(hint), hint
    assert not redaction._may_hold_key('{"type": "response.output_text.delta", "delta": "ok"}')


def test_a_known_secret_beside_an_audio_delta_is_redacted_in_either_mode() -> None:
    for secret in (KEY, AZURE_KEY, 'quote"d-key-0123456789'):
        text = audio_frame(item_id="item_1", note=f"echo {secret}")
        for json_text in (False, True):
            redacted = redaction.Redactor((secret,)).text(text, json_text=json_text)
            assert json.loads(redacted)["note"] == "echo ***", (secret, json_text)
            assert json.loads(redacted)["delta"] == AUDIO


def test_a_frame_nested_too_deep_to_walk_is_still_redacted_without_raising() -> None:
    deep = "[" * 5000 + "]" * 5000
    for text in (
        f'{{"secret": {deep}, "note": "{KEY}"}}',
        f'{{"password": "x", "a": {"[" * 990}{"]" * 990}, "note": "{KEY}"}}',
    ):
        redacted = redact_frame_text(text)
        assert KEY not in redacted
        assert redacted.endswith('"note": "***"}')


def test_a_redacted_frame_with_an_escaped_lone_surrogate_still_encodes() -> None:
    # The log writes UTF-8: a redacted frame must not turn "\ud800" into a raw surrogate.
    text = '{"secret": "x", "a": "\\ud800", "b": "é"}'
    redacted = redact_frame_text(text)
    redacted.encode()
    assert json.loads(redacted) == {"secret": "***", "a": "\ud800", "b": "é"}
