"""A connection profile: where to connect and how to sign in (`[profiles.NAME]` in the
config file). The rest of the file's sections live in `rt_tui.config`, which re-exports
these names.

    [profiles.work]
    provider = "azure"
    endpoint = "my-resource"
    model = "gpt-realtime"          # the deployment name
    auth = "entra"                  # a Microsoft Entra ID token instead of a key
    ca_bundle = "~/corp-root-ca.pem"
    proxy = "http://proxy.corp.example:3128"
    ephemeral = true                # the socket carries a client secret minted per connect

    [profiles.work.headers]         # sent with the handshake
    "Ocp-Apim-Subscription-Key" = "…"
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationInfo, field_validator

from rt_tui.dialect import Dialect


class Provider(StrEnum):
    OPENAI = "openai"
    """api.openai.com (or OPENAI_BASE_URL), GA dialect."""
    AZURE = "azure"
    """Azure OpenAI GA: `/openai/v1/realtime?model=DEPLOYMENT`."""
    AZURE_PREVIEW = "azure-preview"
    """Azure OpenAI preview: `/openai/realtime?api-version=V&deployment=D`, beta dialect."""
    URL = "url"
    """Any ws:// or wss:// URL, dialect chosen or guessed from the path."""


class Auth(StrEnum):
    KEY = "key"
    """An API key (or an ephemeral `ek_…` client secret) from the environment or the file."""
    ENTRA = "entra"
    """A Microsoft Entra ID token from azure-identity (the `azure` extra), sent as Bearer."""


DEFAULT_KEY_ENV: dict[Provider, str] = {
    Provider.OPENAI: "OPENAI_API_KEY",
    Provider.AZURE: "AZURE_OPENAI_API_KEY",
    Provider.AZURE_PREVIEW: "AZURE_OPENAI_API_KEY",
    Provider.URL: "OPENAI_API_KEY",
}

#: `proxy = "direct"`: no proxy, whatever the environment says.
DIRECT: Final = "direct"
#: The proxy schemes websockets speaks (SOCKS needs python-socks).
PROXY_SCHEMES: Final = ("http", "https", "socks5", "socks5h", "socks4", "socks4a")

#: An HTTP header name (RFC 9110 token).
_HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
#: Headers the WebSocket handshake or rt-tui itself sets; a profile cannot replace them.
_RESERVED_HEADERS: Final = frozenset(
    {
        "host",
        "connection",
        "upgrade",
        "content-length",
        "transfer-encoding",
        "user-agent",
        "proxy-authorization",
    }
)
#: Parts of a header's name that say its value signs the request in (matched in lower case).
_AUTH_HEADER_PARTS: Final = (
    "auth",
    "key",
    "token",
    "secret",
    "cookie",
    "signature",
    "password",
    "credential",
    "session",
)


def is_auth_header(name: str, value: str = "") -> bool:
    """Whether a header called `name` with `value` carries a credential, so its value is a
    secret: a name like Authorization, api-key, X-Token, Cookie…, or a value that starts
    with an auth scheme (`Bearer …`, `Basic …`)."""
    lowered = name.lower()
    if any(part in lowered for part in _AUTH_HEADER_PARTS):
        return True
    scheme = value.strip().partition(" ")[0].lower()
    return scheme in ("bearer", "basic", "digest")


def header_problem(name: str, value: str) -> str | None:
    """Why `name: value` cannot be sent as an extra handshake header (one sentence that
    names the header, never its value), or None."""
    if not _HEADER_NAME.match(name):
        return f"'{name}' is not a valid header name (letters, digits and -, no spaces)."
    lowered = name.lower()
    if lowered in _RESERVED_HEADERS or lowered.startswith("sec-websocket-"):
        return f"The {name} header is set by the WebSocket handshake; leave it out."
    if not (value.isascii() and value.isprintable()):
        return (
            f"The value of the {name} header holds a line break or a character that is "
            "not plain ASCII."
        )
    if not value.strip():
        return f"The {name} header has no value."
    return None


def proxy_problem(proxy: str) -> str | None:
    """Why `proxy` is not `direct` or a usable proxy URL (one sentence without the URL,
    which may hold a password), or None."""
    if proxy == DIRECT:
        return None
    try:
        parts = urlsplit(proxy)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "The proxy is not a valid URL."
    if parts.scheme.lower() not in PROXY_SCHEMES or not parts.hostname:
        return (
            "The proxy should be a URL like http://HOST:PORT (http, https or socks5), "
            f"or '{DIRECT}' for none."
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return "The proxy URL should hold only a scheme, a host and a port."
    return None


class Profile(BaseModel):
    """Where to connect and how to authenticate."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    provider: Provider = Provider.OPENAI
    endpoint: str | None = None
    """openai: base URL override (default https://api.openai.com/v1); azure and
    azure-preview: `https://RES.openai.azure.com` or just the resource name RES;
    url: the full ws:// or wss:// URL."""
    model: str = "gpt-realtime"
    """The model (openai, url) or the deployment name (azure, azure-preview)."""
    api_version: str = "2025-04-01-preview"
    """azure-preview only."""
    api_key_env: str | None = None
    """Name of the environment variable holding the key; None = the provider's default."""
    api_key: SecretStr | None = None
    """A key written in the config file, by the user's explicit choice."""
    dialect: Dialect | None = None
    """url only: force a dialect instead of guessing from the path."""
    verify_tls: bool = True
    """Turning TLS verification off is an explicit, visible choice."""
    auth: Auth = Auth.KEY
    """key: the API key (`api-key` header on Azure, Bearer elsewhere); entra: a Microsoft
    Entra ID token for Azure (needs `pip install 'rt-tui[azure]'`), refreshed before it
    expires."""
    headers: dict[str, str] = Field(default_factory=dict)
    """Extra headers sent with the handshake (a gateway's subscription key, a tenant id).
    Values of headers named like a credential are secrets: never shown or logged."""
    ca_bundle: Path | None = None
    """A PEM file of CA certificates to trust instead of the system's (e.g. a corporate
    proxy's root CA); `~` stands for the home folder."""
    proxy: str | None = None
    """None: HTTPS_PROXY / ALL_PROXY / NO_PROXY decide; a URL (http://, https://,
    socks5://): this proxy; "direct": none. Loopback addresses never use a proxy."""
    ephemeral: bool = False
    """Before each connect, mint a short-lived client secret with the key (or Entra ID
    token) and open the socket with that secret only: the standard key never travels on
    the socket (`rt_tui.realtime.client_secrets`)."""

    @property
    def key_env_name(self) -> str:
        return self.api_key_env or DEFAULT_KEY_ENV[self.provider]

    @field_validator("auth")
    @classmethod
    def _entra_is_for_azure(cls, value: Auth, info: ValidationInfo) -> Auth:
        if value is Auth.ENTRA and info.data.get("provider") is Provider.OPENAI:
            raise ValueError(
                "Sign-in with Entra ID is for Azure: use provider azure, azure-preview or url"
            )
        return value

    @field_validator("headers")
    @classmethod
    def _check_headers(cls, value: dict[str, str]) -> dict[str, str]:
        seen: set[str] = set()
        for name, text in value.items():
            problem = header_problem(name, text)
            if problem is not None:
                raise ValueError(problem.rstrip("."))
            if name.lower() in seen:
                raise ValueError(f"the {name} header is given twice")
            seen.add(name.lower())
        return value

    @field_validator("proxy")
    @classmethod
    def _check_proxy(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        problem = proxy_problem(value)
        if problem is not None:
            raise ValueError(problem.rstrip("."))
        return value
