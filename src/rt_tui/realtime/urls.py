"""URLs as the engine reads and shows them: loopback hosts, secret query values, the
redacted display form, and what a Realtime URL's path and query say (model, dialect).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import unquote, unquote_plus, urlsplit, urlunsplit

from rt_tui.dialect import Dialect
from rt_tui.realtime.errors import scrub

REDACTED = "***"
#: Query parameter names whose values are secrets (matched as substrings, lower case).
_SECRET_PARAM_PARTS = ("key", "token", "secret", "password", "signature", "sig", "auth")
#: The shortest URL secret scrubbed from text (see `url_secrets`).
MIN_URL_SECRET_CHARS = 8


def is_loopback_host(host: str) -> bool:
    """Whether `host` names this machine (localhost or a loopback address)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _is_secret_param(name: str) -> bool:
    lowered = name.lower()
    return any(part in lowered for part in _SECRET_PARAM_PARTS)


def url_secrets(url: str) -> list[str]:
    """The secret query values and the password of `url`, each as written and decoded
    (a server may echo either). Values shorter than `MIN_URL_SECRET_CHARS` are left out:
    scrubbing `?sig=1` from every frame would wreck them, and nothing that short is a key."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return []
    written = [password] if password else []
    for pair in parts.query.split("&") if parts.query else []:
        name, sep, value = pair.partition("=")
        if sep and value and _is_secret_param(unquote(name)):
            written.append(value)
    values: list[str] = []
    for value in written:
        values += (value, unquote(value), unquote_plus(value))
    return [v for v in dict.fromkeys(values) if len(v) >= MIN_URL_SECRET_CHARS]


def redact_url(url: str) -> str:
    """`url` with secret query values (api-key, token, secret, …), any password in the
    user-info part and anything key-shaped (`sk-…`, wherever it sits) replaced by ***.
    Everything else is kept exactly as written."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return REDACTED
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hostport = netloc.rpartition("@")
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:{REDACTED}@{hostport}" if ":" in userinfo else f"{REDACTED}@{hostport}"
    pairs = []
    for pair in parts.query.split("&") if parts.query else []:
        name, sep, value = pair.partition("=")
        pairs.append(f"{name}={REDACTED}" if sep and value and _is_secret_param(name) else pair)
    return scrub(urlunsplit((parts.scheme, netloc, parts.path, "&".join(pairs), parts.fragment)))


def model_in_url(url: str) -> str:
    """The `model` or `deployment` query value of `url` (empty when it names neither)."""
    for pair in url.partition("?")[2].split("&"):
        name, _, value = pair.partition("=")
        if name in ("model", "deployment") and value:
            return value
    return ""


def guess_dialect(url: str) -> Dialect:
    """Azure's preview path `/openai/realtime` speaks beta; every other path is GA."""
    path = urlsplit(url).path.rstrip("/")
    return Dialect.BETA if path.endswith("/openai/realtime") else Dialect.GA
