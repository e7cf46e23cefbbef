"""What an endpoint is: where a socket opens (URL, dialect, TLS, proxy) and how it signs in
(a key in its headers, Entra ID tokens, a client secret minted per socket), and the
secrets all of that holds. `rt_tui.realtime.endpoints` makes one from a profile.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal
from urllib.parse import urlsplit

from rt_tui.dialect import Dialect
from rt_tui.profile import DIRECT, is_auth_header
from rt_tui.realtime.client_secrets import ClientSecrets
from rt_tui.realtime.entra import EntraTokens
from rt_tui.realtime.errors import scrub
from rt_tui.realtime.urls import is_loopback_host, redact_url, url_secrets

#: Headers that carry a key or token.
AUTH_HEADERS = frozenset({"authorization", "api-key"})


class EndpointError(ValueError):
    """A profile that cannot be turned into a URL; `str(e)` is one sentence, never a key.
    `setting` names the profile's setting at fault (`endpoint`, `headers`, `ca_bundle`)."""

    def __init__(self, message: str, *, setting: str = "endpoint") -> None:
        super().__init__(message)
        self.setting = setting


@dataclass(frozen=True)
class Endpoint:
    """Where and how to open the socket. `headers` may hold a key, so it stays out of repr."""

    url: str
    headers: Mapping[str, str] = field(default_factory=dict, repr=False, hash=False)
    dialect: Dialect = Dialect.GA
    verify_tls: bool = True
    key_withheld: bool = False
    """A key was available but not attached: plain ws:// to a host that is not loopback."""
    ca_bundle: Path | None = None
    """A PEM file of CA certificates trusted instead of the system's (wss:// only)."""
    proxy: str | None = None
    """None: the environment's proxy settings (HTTPS_PROXY, NO_PROXY…); `direct`: none;
    otherwise the proxy's URL. Loopback never goes through one."""
    tokens: EntraTokens | None = field(default=None, repr=False, compare=False, hash=False)
    """Where each socket's `Authorization: Bearer` token comes from (Entra ID); None when
    `headers` hold the auth."""
    client_secrets: ClientSecrets | None = field(
        default=None, repr=False, compare=False, hash=False
    )
    """Mints the client secret each socket carries instead of the key (`ephemeral`);
    the key in `headers` (or the token from `tokens`) then only signs the minting."""

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
        return self.tokens is not None or any(name.lower() in AUTH_HEADERS for name in self.headers)

    @property
    def websockets_proxy(self) -> str | Literal[True] | None:
        """The `proxy` argument of websockets' `connect`: True for the environment's
        settings, None for none (always for loopback), or the proxy's URL."""
        if self.is_loopback or self.proxy == DIRECT:
            return None
        return self.proxy or True

    def secret_values(self) -> tuple[str, ...]:
        """The secrets this endpoint sends, for scrubbing text that must not show them: the
        values of headers that carry a credential (and bare Bearer tokens) or look like a
        key, the Entra ID tokens handed out so far, the URL's secret query values
        (`api-key=`, `sig=`…) and password, as written and decoded, and the proxy's
        password. Other headers (OpenAI-Beta) are not secret."""
        values: list[str] = []
        for name, value in self.headers.items():
            if value and (is_auth_header(name, value) or scrub(value) != value):
                values.append(value)
                scheme, _, token = value.partition(" ")
                if token and scheme.lower() in ("bearer", "basic"):
                    values.append(token)
        if self.tokens is not None:
            values += self.tokens.issued
        if self.client_secrets is not None:
            values += self.client_secrets.issued
        values += url_secrets(self.url)
        if self.proxy:
            values += url_secrets(self.proxy)
        return tuple(dict.fromkeys(values))
