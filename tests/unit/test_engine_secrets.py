"""Which values count as secrets, and that the recorder scrubs them (and only them)."""

from __future__ import annotations

import json
from pathlib import Path

from rt_tui.realtime.dialect import Dialect
from rt_tui.realtime.endpoints import Endpoint, endpoint_for_url
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.recorder import SessionRecorder, read_log

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
