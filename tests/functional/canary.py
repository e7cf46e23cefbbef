"""Canary secrets for leak tests: values the app must never show or write, the server that
echoes them back, and the search for them (with their encoded forms) in text and files.

The canaries do not look like keys (no `sk-` prefix), so only knowing them finds them;
`KEY_SHAPED` is one that only its shape gives away. The server echoes the handshake's
headers and URL in an `error` event, as some proxies and servers do, with the key-shaped one
after a line break (in JSON, `\\nsk-…`, where a word boundary does not see it).
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import time
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote, quote_plus

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from rt_tui.dialect import Dialect
from rt_tui.mock.ids import IdFactory
from rt_tui.mock.session import MockSession, SessionOptions

OPENAI_KEY = "CANARYopenai7f3k9q2w8e5r1t6y"
AZURE_KEY = "CANARYazure0123456789abcdef0123"
URL_KEY = "CANARYurl+q7/z9x4w2v0p"
"""The key in the URL's query (`?api-key=`), percent-encoded there: `URL_KEY_IN_URL`."""
URL_KEY_IN_URL = quote(URL_KEY, safe="")
KEY_SHAPED = "sk-proj-CANARYshaped0123456789"

CANARY_ENV = {"OPENAI_API_KEY": OPENAI_KEY, "AZURE_OPENAI_API_KEY": AZURE_KEY}
CANARIES = (OPENAI_KEY, AZURE_KEY, URL_KEY, KEY_SHAPED)

#: The two ways the key travels: OpenAI's `Authorization: Bearer`, Azure's `api-key` header.
PATHS = {"openai": "/v1/realtime?model=m", "azure": "/openai/v1/realtime?model=m"}


def canary_url(base_url: str, path: str) -> str:
    return f"{base_url}{path}&api-key={URL_KEY_IN_URL}"


def _base64_cores(value: bytes) -> set[str]:
    """The part of base64 text that `value` alone decides, at each of the three alignments
    it can have inside longer data (standard and URL-safe alphabets)."""
    cores = set()
    for pad in range(3):
        encoded = base64.b64encode(b"\0" * pad + value).decode("ascii")
        start = -(-pad * 8 // 6)  # the first character holding no pad bit
        core = encoded[start : (pad + len(value)) * 8 // 6]
        cores |= {core, core.replace("+", "-").replace("/", "_")}
    return cores


def canary_forms(canaries: Iterable[str] = CANARIES) -> dict[str, str]:
    """Every form a canary could be written in → the canary it gives away."""
    forms: dict[str, str] = {}
    for canary in canaries:
        variants = {canary, quote(canary, safe=""), quote(canary), quote_plus(canary)}
        variants.add(json.dumps(canary)[1:-1].replace("/", "\\/"))
        variants |= _base64_cores(canary.encode())
        forms.update(dict.fromkeys(variants, canary))
    return forms


FORMS = canary_forms()


def hits_in_text(text: str | bytes, where: str, forms: Iterable[str] = FORMS) -> list[str]:
    """'<where>: <form>' for each form of a canary found in `text`."""
    blob = text if isinstance(text, bytes) else text.encode("utf-8", errors="replace")
    return [f"{where}: {form!r}" for form in forms if form.encode() in blob]


def hits_in_files(*folders: Path, forms: Iterable[str] = FORMS) -> list[str]:
    """`hits_in_text` for every file under `folders`."""
    found = []
    for path in itertools.chain.from_iterable(folder.rglob("*") for folder in folders):
        if path.is_file():
            found += hits_in_text(path.read_bytes(), str(path), forms)
    return found


def written_files(*folders: Path) -> list[Path]:
    return sorted(p for f in folders for p in f.rglob("*") if p.is_file())


def handshake_echo(ws: ServerConnection) -> dict[str, object]:
    """The `error` event of a server that repeats the handshake it was sent."""
    request = ws.request
    assert request is not None
    headers = "; ".join(f"{name.lower()}={value}" for name, value in request.headers.raw_items())
    return {
        "type": "error",
        "event_id": "event_echo",
        "error": {
            "type": "invalid_request_error",
            "code": "echo",
            "message": f"You asked for {request.path} with {headers}.\n{KEY_SHAPED}",
            "param": request.path,
        },
    }


class EchoingServer:
    """A script for `scripted_server`: each session starts with the echo. The first session
    then goes on as the mock service (text, audio, everything); later ones end with the echo
    in the close reason too (CLOSE 4000)."""

    def __init__(self) -> None:
        self.sessions = itertools.count(1)

    async def __call__(self, ws: ServerConnection) -> None:
        await ws.send(json.dumps(handshake_echo(ws)))
        if next(self.sessions) > 1:
            await ws.close(4000, f"refused api-key={URL_KEY_IN_URL} {KEY_SHAPED}")
            return
        session = MockSession(
            ws,
            dialect=Dialect.GA,
            model="m",
            options=SessionOptions(delta_delay=0),
            ids=IdFactory(1),
            now=time.time(),
        )
        with contextlib.suppress(ConnectionClosed):
            await session.run()


def assert_no_canary(found: Iterable[str], shown: int = 40) -> None:
    found = list(dict.fromkeys(found))
    more = f"\n… and {len(found) - shown} more" if len(found) > shown else ""
    assert not found, "canary found:\n" + "\n".join(found[:shown]) + more
