"""Profile → WebSocket URL, auth headers and dialect (PROTOCOL.md §1), plus redaction.

- openai: `wss://api.openai.com/v1/realtime?model=M` (base from OPENAI_BASE_URL), Bearer key.
- azure (GA): `wss://RES.openai.azure.com/openai/v1/realtime?model=DEPLOYMENT`, `api-key`.
- azure-preview: `wss://RES.openai.azure.com/openai/realtime?api-version=V&deployment=D`,
  `api-key`, beta dialect.
- url: as given; dialect chosen or guessed from the path; a key only if one is set.

Azure accepts either `api-key` or `Authorization: Bearer`; rt-tui sends `api-key` for both
Azure forms because it is the header Microsoft documents for keys (Bearer is for Entra tokens).
A key only ever travels in a header; URLs are shown through `redact_url`.

A key never travels in clear text to another machine. Plain `ws://` (or `http://`) to a host
that is not loopback is handled like this:
- openai, azure, azure-preview (a key is required): EndpointError; use wss:// (or an SSH
  tunnel to a loopback port).
- url target with a key the user named for it (`api_key` or `api_key_env` in the profile):
  EndpointError, for the same reason. There is deliberately no switch to allow it.
- url target (profile or `--url`) whose key would only come from the default environment
  variable: the key is withheld and the socket opens without auth (`Endpoint.key_withheld`),
  which suits an unauthenticated server on the local network; a 401 then says why.
Loopback hosts (`localhost`, 127.0.0.0/8, ::1 — the mock) keep their key over ws://.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, unquote_plus, urlsplit, urlunsplit

from rt_tui.dialect import Dialect
from rt_tui.realtime.errors import scrub

if TYPE_CHECKING:
    from rt_tui.config import Profile

OPENAI_DEFAULT_BASE = "https://api.openai.com/v1"
AZURE_DOMAIN = "openai.azure.com"
REDACTED = "***"

#: Headers that carry a key or token.
_AUTH_HEADERS = frozenset({"authorization", "api-key"})
#: Query parameter names whose values are secrets (matched as substrings, lower case).
_SECRET_PARAM_PARTS = ("key", "token", "secret", "password", "signature", "sig", "auth")
#: The shortest URL secret scrubbed from text (see `url_secrets`).
MIN_URL_SECRET_CHARS = 8


class EndpointError(ValueError):
    """A profile that cannot be turned into a URL; `str(e)` is one sentence, never a key."""


@dataclass(frozen=True)
class Endpoint:
    """Where and how to open the socket. `headers` may hold a key, so it stays out of repr."""

    url: str
    headers: Mapping[str, str] = field(default_factory=dict, repr=False, hash=False)
    dialect: Dialect = Dialect.GA
    verify_tls: bool = True
    key_withheld: bool = False
    """A key was available but not attached: plain ws:// to a host that is not loopback."""

    def __post_init__(self) -> None:
        # Frozen all the way down: nobody can slip a header in after the fact.
        object.__setattr__(self, "headers", MappingProxyType(dict(self.headers)))

    def __repr__(self) -> str:
        return (
            f"Endpoint(url={self.display_url!r}, dialect={self.dialect.value!r}, "
            f"verify_tls={self.verify_tls!r})"
        )

    @property
    def display_url(self) -> str:
        """The URL with any secret query values replaced by ***."""
        return redact_url(self.url)

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def is_loopback(self) -> bool:
        return is_loopback_host(self.host)

    @property
    def has_auth(self) -> bool:
        return any(name.lower() in _AUTH_HEADERS for name in self.headers)

    def secret_values(self) -> tuple[str, ...]:
        """The secrets this endpoint sends, for scrubbing text that must not show them: auth
        header values and bare Bearer tokens, and the URL's secret query values (`api-key=`,
        `sig=`…) and password, as written and decoded. Other headers (OpenAI-Beta) are not
        secret."""
        values: list[str] = []
        for name, value in self.headers.items():
            if name.lower() in _AUTH_HEADERS and value:
                values.append(value)
                scheme, _, token = value.partition(" ")
                if token and scheme.lower() == "bearer":
                    values.append(token)
        values += url_secrets(self.url)
        return tuple(dict.fromkeys(values))


def is_loopback_host(host: str) -> bool:
    """Whether `host` names this machine (localhost or a loopback address)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _cleartext_to_remote(scheme: str, netloc: str) -> bool:
    """Whether a socket to `scheme://netloc` would carry headers unencrypted off this machine."""
    return scheme == "ws" and not is_loopback_host(urlsplit(f"ws://{netloc}").hostname or "")


def _refuse_cleartext(scheme: str, netloc: str) -> None:
    if _cleartext_to_remote(scheme, netloc):
        host = urlsplit(f"ws://{netloc}").hostname or netloc
        raise EndpointError(
            f"rt-tui will not send the API key to {host} over unencrypted ws:// (anyone on "
            "the network could read it); use wss://, or a loopback address such as an SSH tunnel."
        )


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


def _websocket_scheme(url: str, what: str) -> tuple[str, str, str, str]:
    """(scheme, netloc, path, query) of `url` with http(s) turned into ws(s)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        raise EndpointError(f"The {what} is not a valid URL.") from None
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme.lower(), parts.scheme.lower())
    if scheme not in ("ws", "wss") or not parts.hostname:
        shown = redact_url(url.strip())
        raise EndpointError(
            f"The {what} '{shown}' is not a ws://, wss://, http:// or https:// URL with a host."
        )
    return scheme, parts.netloc, parts.path, parts.query


def _with_query(query: str, extra: list[tuple[str, str]]) -> str:
    added = "&".join(f"{name}={quote(value, safe='')}" for name, value in extra)
    return f"{query}&{added}" if query and added else query or added


def _checked_key(key: str, source: str) -> str:
    """`key` if it can travel in an HTTP header; a pasted key with a space, a line break or a
    typographic character would otherwise fail deep in the handshake."""
    if not (key.isascii() and key.isprintable()) or " " in key:
        raise EndpointError(
            f"The API key from {source} contains a space or a character that is not plain "
            "ASCII; check it for a copy-and-paste mistake."
        )
    return key


def _lookup_key(profile: Profile, env: Mapping[str, str]) -> str | None:
    if profile.api_key is not None:
        written = profile.api_key.get_secret_value().strip()
        if written:
            return _checked_key(written, "the profile")
    value = env.get(profile.key_env_name, "").strip()
    return _checked_key(value, profile.key_env_name) if value else None


def _require_key(profile: Profile, env: Mapping[str, str]) -> str:
    key = _lookup_key(profile, env)
    if key is None:
        raise EndpointError(
            f"No API key found: set the environment variable {profile.key_env_name} "
            "or store a key in the profile."
        )
    return key


def _openai(profile: Profile, env: Mapping[str, str]) -> Endpoint:
    base = profile.endpoint or env.get("OPENAI_BASE_URL", "").strip() or OPENAI_DEFAULT_BASE
    scheme, netloc, path, query = _websocket_scheme(base, "OpenAI base URL")
    path = path.rstrip("/")
    if not path.endswith("/realtime"):
        path += "/realtime"
    url = urlunsplit((scheme, netloc, path, _with_query(query, [("model", profile.model)]), ""))
    _refuse_cleartext(scheme, netloc)
    headers = {"Authorization": f"Bearer {_require_key(profile, env)}"}
    return Endpoint(url, headers, Dialect.GA, profile.verify_tls)


def _azure_base(profile: Profile, env: Mapping[str, str]) -> tuple[str, str, str]:
    """(scheme, netloc, path prefix) of an Azure resource given as a name or a URL."""
    raw = (profile.endpoint or env.get("AZURE_OPENAI_ENDPOINT", "")).strip()
    if not raw:
        raise EndpointError(
            "The Azure profile has no endpoint: set AZURE_OPENAI_ENDPOINT or the profile's "
            "endpoint (https://RESOURCE.openai.azure.com or just RESOURCE)."
        )
    if "://" not in raw:
        raw = f"https://{raw}" if "." in raw else f"https://{raw}.{AZURE_DOMAIN}"
    scheme, netloc, path, _query = _websocket_scheme(raw, "Azure endpoint")
    path = path.rstrip("/")
    # Accept endpoints pasted with the API path already on them.
    for suffix in ("/realtime", "/v1", "/openai"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
    return scheme, netloc, path


def _azure(profile: Profile, env: Mapping[str, str]) -> Endpoint:
    scheme, netloc, prefix = _azure_base(profile, env)
    query = _with_query("", [("model", profile.model)])
    url = urlunsplit((scheme, netloc, f"{prefix}/openai/v1/realtime", query, ""))
    _refuse_cleartext(scheme, netloc)
    headers = {"api-key": _require_key(profile, env)}
    return Endpoint(url, headers, Dialect.GA, profile.verify_tls)


def _azure_preview(profile: Profile, env: Mapping[str, str]) -> Endpoint:
    scheme, netloc, prefix = _azure_base(profile, env)
    query = _with_query("", [("api-version", profile.api_version), ("deployment", profile.model)])
    url = urlunsplit((scheme, netloc, f"{prefix}/openai/realtime", query, ""))
    _refuse_cleartext(scheme, netloc)
    headers = {"api-key": _require_key(profile, env)}
    return Endpoint(url, headers, Dialect.BETA, profile.verify_tls)


def endpoint_for_url(
    url: str,
    api_key: str | None = None,
    dialect: Dialect | None = None,
    *,
    verify_tls: bool = True,
    key_is_explicit: bool = False,
    key_source: str = "the URL target",
) -> Endpoint:
    """An Endpoint for a URL given as is. With a key, Azure-looking paths (`/openai/…`) get an
    `api-key` header and others `Authorization: Bearer`; without one, no auth (local servers).
    Forcing beta on a non-Azure path adds the `OpenAI-Beta: realtime=v1` header.

    Over plain ws:// to a host that is not loopback the key is withheld (`key_withheld`), or,
    when `key_is_explicit` (the user named this key for this URL), EndpointError is raised.
    `key_source` names where the key came from (an environment variable) in messages."""
    scheme, netloc, path, query = _websocket_scheme(url, "URL")
    full = urlunsplit((scheme, netloc, path, query, ""))
    withheld = False
    if api_key:
        _checked_key(api_key, key_source)
    if api_key and _cleartext_to_remote(scheme, netloc):
        if key_is_explicit:
            _refuse_cleartext(scheme, netloc)
        api_key, withheld = None, True
    chosen = dialect or guess_dialect(full)
    azure_path = path.startswith("/openai/") or "/openai/" in path
    headers: dict[str, str] = {}
    if api_key:
        if azure_path:
            headers["api-key"] = api_key
        else:
            headers["Authorization"] = f"Bearer {api_key}"
    if chosen is Dialect.BETA and not azure_path:
        headers["OpenAI-Beta"] = "realtime=v1"
    return Endpoint(full, headers, chosen, verify_tls, key_withheld=withheld)


def _url(profile: Profile, env: Mapping[str, str]) -> Endpoint:
    if not profile.endpoint:
        raise EndpointError("The URL profile has no endpoint: set its ws:// or wss:// URL.")
    return endpoint_for_url(
        profile.endpoint,
        _lookup_key(profile, env),
        profile.dialect,
        verify_tls=profile.verify_tls,
        key_is_explicit=_names_its_key(profile),
    )


def _names_its_key(profile: Profile) -> bool:
    """Whether the user chose a key for this profile (rather than the default variable)."""
    written = profile.api_key is not None and bool(profile.api_key.get_secret_value().strip())
    return written or profile.api_key_env is not None


def resolve(profile: Profile, env: Mapping[str, str] | None = None) -> Endpoint:
    """The Endpoint for `profile`, reading keys (and unset endpoints) from `env`
    (default: the process environment). Raises EndpointError with one sentence."""
    # Here, not at the top: the session log's writer uses this module's redaction, and
    # the TUI's first frame needs neither it nor the config's pydantic models.
    from rt_tui.config import Provider

    env = os.environ if env is None else env
    if profile.provider is Provider.OPENAI:
        return _openai(profile, env)
    if profile.provider is Provider.AZURE:
        return _azure(profile, env)
    if profile.provider is Provider.AZURE_PREVIEW:
        return _azure_preview(profile, env)
    return _url(profile, env)
