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
The same holds for an Entra ID token and for a profile's extra headers named like a
credential (`is_auth_header`): the user chose them for this profile, so plain ws:// to
another host is refused.

A profile may also add headers, a CA bundle and a proxy (`Endpoint.ca_bundle`,
`Endpoint.proxy`; `handshake` applies them). With `auth = "entra"` the endpoint carries no
key but `tokens`, which give each socket a fresh Bearer token as it opens. With
`ephemeral = true`, `client_secrets` mints a secret with those credentials before each
socket, and the socket carries the secret instead of them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from rt_tui.dialect import Dialect
from rt_tui.profile import Auth, Provider, is_auth_header
from rt_tui.realtime.client_secrets import ClientSecrets
from rt_tui.realtime.endpoint import Endpoint as Endpoint
from rt_tui.realtime.endpoint import EndpointError as EndpointError
from rt_tui.realtime.entra import Credential, EntraTokens, default_credential
from rt_tui.realtime.urls import REDACTED as REDACTED
from rt_tui.realtime.urls import guess_dialect as guess_dialect
from rt_tui.realtime.urls import is_loopback_host as is_loopback_host
from rt_tui.realtime.urls import model_in_url as model_in_url
from rt_tui.realtime.urls import redact_url as redact_url
from rt_tui.realtime.urls import url_secrets as url_secrets

if TYPE_CHECKING:
    from rt_tui.config import Profile

OPENAI_DEFAULT_BASE = "https://api.openai.com/v1"
AZURE_DOMAIN = "openai.azure.com"


def _cleartext_to_remote(scheme: str, netloc: str) -> bool:
    """Whether a socket to `scheme://netloc` would carry headers unencrypted off this machine."""
    return scheme == "ws" and not is_loopback_host(urlsplit(f"ws://{netloc}").hostname or "")


def _refuse_cleartext(
    scheme: str, netloc: str, what: str = "the API key", setting: str = "endpoint"
) -> None:
    if _cleartext_to_remote(scheme, netloc):
        host = urlsplit(f"ws://{netloc}").hostname or netloc
        raise EndpointError(
            f"rt-tui will not send {what} to {host} over unencrypted ws:// (anyone on "
            "the network could read it); use wss://, or a loopback address such as an SSH tunnel.",
            setting=setting,
        )


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


CredentialFactory = Callable[[], Credential]
"""Makes the Entra ID credential when the first token is needed (a seam for tests)."""


def _signed_in(
    endpoint: Endpoint, profile: Profile, env: Mapping[str, str], credential: CredentialFactory
) -> Endpoint:
    """`endpoint` with the profile's key (an `api-key` header on Azure, a Bearer
    `Authorization` elsewhere), or with its Entra ID token source."""
    if profile.auth is Auth.ENTRA:
        return replace(endpoint, tokens=EntraTokens(credential))
    key = _require_key(profile, env)
    azure = profile.provider in (Provider.AZURE, Provider.AZURE_PREVIEW)
    header = {"api-key": key} if azure else {"Authorization": f"Bearer {key}"}
    return replace(endpoint, headers={**endpoint.headers, **header})


def _openai(profile: Profile, env: Mapping[str, str]) -> Endpoint:
    base = profile.endpoint or env.get("OPENAI_BASE_URL", "").strip() or OPENAI_DEFAULT_BASE
    scheme, netloc, path, query = _websocket_scheme(base, "OpenAI base URL")
    path = path.rstrip("/")
    if not path.endswith("/realtime"):
        path += "/realtime"
    url = urlunsplit((scheme, netloc, path, _with_query(query, [("model", profile.model)]), ""))
    _refuse_cleartext(scheme, netloc)
    return Endpoint(url, {}, Dialect.GA, profile.verify_tls)


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
    return Endpoint(url, {}, Dialect.GA, profile.verify_tls)


def _azure_preview(profile: Profile, env: Mapping[str, str]) -> Endpoint:
    scheme, netloc, prefix = _azure_base(profile, env)
    query = _with_query("", [("api-version", profile.api_version), ("deployment", profile.model)])
    url = urlunsplit((scheme, netloc, f"{prefix}/openai/realtime", query, ""))
    _refuse_cleartext(scheme, netloc)
    return Endpoint(url, {}, Dialect.BETA, profile.verify_tls)


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


def _url(profile: Profile, env: Mapping[str, str], credential: CredentialFactory) -> Endpoint:
    if not profile.endpoint:
        raise EndpointError("The URL profile has no endpoint: set its ws:// or wss:// URL.")
    entra = profile.auth is Auth.ENTRA
    endpoint = endpoint_for_url(
        profile.endpoint,
        None if entra else _lookup_key(profile, env),
        profile.dialect,
        verify_tls=profile.verify_tls,
        key_is_explicit=_names_its_key(profile),
    )
    if not entra:
        return endpoint
    parts = urlsplit(endpoint.url)
    _refuse_cleartext(parts.scheme, parts.netloc, "an Entra ID token")
    return replace(endpoint, tokens=EntraTokens(credential))


def _names_its_key(profile: Profile) -> bool:
    """Whether the user chose a key for this profile (rather than the default variable)."""
    written = profile.api_key is not None and bool(profile.api_key.get_secret_value().strip())
    return written or profile.api_key_env is not None


TRANSCRIPTION_INTENT = ("intent", "transcription")


def for_transcription(endpoint: Endpoint) -> Endpoint:
    """The same endpoint opening a transcription session: `intent=transcription` in the
    query. OpenAI's path then takes no model (the transcription model is a session
    setting); Azure's keep the deployment, which routes the socket."""
    parts = urlsplit(endpoint.url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if TRANSCRIPTION_INTENT in query:
        return endpoint
    azure = "/openai/" in parts.path
    kept = [(name, value) for name, value in query if azure or name != "model"]
    query_text = urlencode([*kept, TRANSCRIPTION_INTENT], quote_via=quote, safe="")
    url = urlunsplit((parts.scheme, parts.netloc, parts.path, query_text, ""))
    return replace(endpoint, url=url)


def _with_extras(endpoint: Endpoint, profile: Profile) -> Endpoint:
    """`endpoint` with the profile's extra headers, CA bundle and proxy."""
    headers = dict(endpoint.headers)
    taken = {name.lower() for name in headers}
    if endpoint.tokens is not None:
        taken.add("authorization")
    parts = urlsplit(endpoint.url)
    for name, value in profile.headers.items():
        if name.lower() in taken:
            raise EndpointError(
                f"The profile's {name} header would replace the one rt-tui sends itself "
                "(for the key or the dialect); remove it from the profile's headers.",
                setting="headers",
            )
        if is_auth_header(name, value):
            _refuse_cleartext(parts.scheme, parts.netloc, f"the {name} header", "headers")
        headers[name] = value
    bundle = profile.ca_bundle.expanduser() if profile.ca_bundle is not None else None
    if bundle is not None and parts.scheme == "wss" and not bundle.is_file():
        raise EndpointError(
            f"The CA bundle {bundle} is not a file; set ca_bundle to a PEM file of certificates.",
            setting="ca_bundle",
        )
    return replace(endpoint, headers=headers, ca_bundle=bundle, proxy=profile.proxy)


def _minting(endpoint: Endpoint, profile: Profile) -> Endpoint:
    """`endpoint` minting a client secret for each socket when the profile asks for it."""
    if not profile.ephemeral:
        return endpoint
    return with_client_secrets(endpoint, f"set {profile.key_env_name} or the profile's key")


def with_client_secrets(endpoint: Endpoint, how: str = "") -> Endpoint:
    """`endpoint` carrying a client secret minted per socket instead of its key; `how`
    says how to give it a key, which the minting needs."""
    if not endpoint.has_auth:
        raise EndpointError(
            "Minting a client secret needs the standard API key" + (f": {how}." if how else ".")
        )
    return replace(endpoint, client_secrets=ClientSecrets())


def resolve(
    profile: Profile,
    env: Mapping[str, str] | None = None,
    *,
    credential: CredentialFactory = default_credential,
) -> Endpoint:
    """The Endpoint for `profile`, reading keys (and unset endpoints) from `env`
    (default: the process environment); with `auth = "entra"`, tokens come from
    `credential()` once a socket opens. Raises EndpointError with one sentence."""
    env = os.environ if env is None else env
    if profile.provider is Provider.URL:
        return _minting(_with_extras(_url(profile, env, credential), profile), profile)
    if profile.provider is Provider.OPENAI:
        endpoint = _openai(profile, env)
    elif profile.provider is Provider.AZURE:
        endpoint = _azure(profile, env)
    else:
        endpoint = _azure_preview(profile, env)
    signed_in = _signed_in(endpoint, profile, env, credential)
    return _minting(_with_extras(signed_in, profile), profile)
