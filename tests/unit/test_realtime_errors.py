"""The helpers behind every connection error sentence: key scrubbing and server messages."""

from __future__ import annotations

import errno
import json

import pytest

from rt_tui.realtime.errors import (
    HandshakeRejected,
    ServerClosed,
    handshake_message,
    one_line,
    os_reason,
    scrub,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("key sk-proj-abcdefghijklmnop1234 is bad", "key *** is bad"),
        (
            "Incorrect API key provided: sk-abc12***********************xyz9.",
            "Incorrect API key provided: ***.",
        ),
        ("ephemeral ek_68a1b2c3d4e5f60718293a4b expired", "ephemeral *** expired"),
        ("Authorization: Bearer abcdefghijklmnopqrstuvwxyz", "Authorization: ***"),
        ("we use sk-learn and the bearer of news", "we use sk-learn and the bearer of news"),
    ],
)
def test_scrub_key_shaped_text(text: str, expected: str) -> None:
    assert scrub(text) == expected


def test_scrub_known_secret_of_any_shape() -> None:
    assert scrub("azure said 0123abcd is wrong", ["0123abcd"]) == "azure said *** is wrong"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (json.dumps({"error": {"code": "401", "message": "Access denied."}}), "Access denied."),
        (
            json.dumps({"statusCode": 429, "message": "Rate limit is exceeded."}),
            "Rate limit is exceeded.",
        ),
        (json.dumps({"error": "Not found"}), "Not found"),
        ("Too   many\nrequests", "Too many requests"),
        ("<html><body>502 Bad Gateway</body></html>", ""),
        ("", ""),
    ],
)
def test_handshake_message(body: str, message: str) -> None:
    assert handshake_message(body.encode()) == message


def test_one_line_folds_and_cuts() -> None:
    assert one_line("a\n b\t c") == "a b c"
    assert one_line("x" * 20, 10) == "x" * 9 + "…"


def test_os_reason() -> None:
    assert os_reason(ConnectionRefusedError(errno.ECONNREFUSED, "whatever")) == "connection refused"
    assert os_reason(OSError("Something odd.")) == "something odd"


def test_sentences_end_once() -> None:
    assert str(HandshakeRejected(404, "Deployment not found.")) == (
        "The server refused the connection (HTTP 404): Deployment not found."
    )
    assert str(ServerClosed(4000, "x.y", "Bad model")) == (
        "The server closed the session (4000 x.y): Bad model."
    )
    assert str(ServerClosed(1011)) == "The server closed the session (1011)."


@pytest.mark.parametrize("escape", ["\\n", "\\t", "\\r", "\\u00e9", "\\u2028"])
def test_scrub_sees_a_key_right_after_a_json_escape(escape: str) -> None:
    """In a frame's JSON text a line break before a key is `\\n`, which ends in a letter:
    the key still starts there."""
    assert scrub(f'"line{escape}sk-proj-ABCDEFGHIJKLMNOPQRSTUV"') == f'"line{escape}***"'
