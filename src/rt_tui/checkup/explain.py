"""A connection failure as the one line a user can act on: what the service meant by its
HTTP status or close code, and where to look, for the setups people get wrong (a key for
another resource, a deployment name that is really a model name, a refusing proxy, a
certificate a corporate proxy re-signed…).

The sentences are built from the engine's errors, whose text is already free of secrets,
and from the profile's names (deployment, host, the variable a key comes from).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from rt_tui.config import Auth, Profile, Provider
from rt_tui.realtime.endpoints import Endpoint
from rt_tui.realtime.errors import (
    CannotConnect,
    ConnectTimeout,
    HandshakeRejected,
    HostNotFound,
    ProxyFailed,
    RealtimeError,
    ServerClosed,
    TlsFailed,
    one_line,
)
from rt_tui.realtime.handshake import where

_SAID_CHARS = 120
_PATHS = "OpenAI uses /v1/realtime, Azure GA /openai/v1/realtime, Azure preview /openai/realtime"


@dataclass(frozen=True)
class Setup:
    """What the explanations name: the profile, its endpoint, where its key comes from."""

    profile: Profile
    endpoint: Endpoint
    key_source: str | None = None
    """'$NAME' or 'the config file'; None without a key."""
    ephemeral: bool = False
    """The key is an ephemeral client secret (`ek_…`)."""

    @property
    def azure(self) -> bool:
        return self.profile.provider in (Provider.AZURE, Provider.AZURE_PREVIEW) or (
            "/openai/" in urlsplit(self.endpoint.url).path
        )

    @property
    def entra(self) -> bool:
        return self.profile.auth is Auth.ENTRA

    @property
    def model(self) -> str:
        query = parse_qs(urlsplit(self.endpoint.url).query)
        for name in ("deployment", "model"):
            if query.get(name):
                return query[name][0]
        return self.profile.model


def _said(message: str) -> str:
    """' (the server said: …)' when the server gave a reason, cut short: the line is
    about what to do."""
    text = one_line(message.strip(), _SAID_CHARS).rstrip(".")
    return f" (the server said: {text})" if text else ""


def _unauthorized(error: HandshakeRejected, setup: Setup) -> str:
    query = parse_qs(urlsplit(setup.endpoint.url).query)
    path = urlsplit(setup.endpoint.url).path.rstrip("/")
    if path.endswith("/openai/v1/realtime") and "api-version" in query:
        return "HTTP 401: api-version is not taken on Azure's GA path; remove it from the URL."
    if setup.entra:
        return (
            "HTTP 401: the Entra ID token was refused: sign in to the resource's tenant, and "
            "give the identity the 'Cognitive Services OpenAI User' role on the resource."
        )
    if setup.ephemeral:
        return (
            "HTTP 401: the ephemeral client secret was refused: it has probably expired "
            "(10 minutes by default); mint a new one."
        )
    source = setup.key_source or "the profile"
    if setup.azure:
        return (
            f"HTTP 401: {where(setup.endpoint)} refused the key from {source}: it belongs to "
            "another resource or was regenerated; copy KEY 1 from this resource's Keys and "
            "Endpoint page."
        )
    if setup.key_source is None:
        return f"HTTP 401: the server wants a key and none was sent.{_said(error.message)}"
    return f"HTTP 401: the key from {source} was refused{_said(error.message)}."


def _rejected(error: HandshakeRejected, setup: Setup) -> str:
    status = error.status
    if status == 401:
        return _unauthorized(error, setup)
    if status == 403:
        advice = (
            "give the identity the 'Cognitive Services OpenAI User' role on the resource"
            if setup.entra
            else "check the resource's network rules, and whether the key may use this model"
        )
        return f"HTTP 403: access denied: {advice}{_said(error.message)}."
    if status == 404:
        if error.code == "DeploymentNotFound" or (setup.azure and "deployment" in error.message):
            return (
                f"HTTP 404: {where(setup.endpoint)} has no deployment named '{setup.model}': "
                "use the deployment's name (Deployments in the Azure AI Foundry portal), "
                "not the model's."
            )
        if error.code == "model_not_found":
            return (
                f"HTTP 404: the model '{setup.model}' does not exist or this key has no "
                "access to it."
            )
        path = urlsplit(setup.endpoint.url).path or "/"
        return f"HTTP 404: {path} is not a Realtime path here ({_PATHS}){_said(error.message)}."
    if status == 429:
        return (
            f"HTTP 429: rate limited{_said(error.message)}: wait and try again, or raise the "
            "quota (tokens or requests per minute) of the key or deployment."
        )
    if status >= 500:
        return f"HTTP {status}: the service failed{_said(error.message)}; try again later."
    return str(error)


def _closed(error: ServerClosed, setup: Setup) -> str:
    said = f"{error.reason} {error.error_message or ''}"
    if error.code == 3000 or "invalid_api_key" in said:
        source = setup.key_source or "the profile"
        what = "ephemeral client secret (expired?)" if setup.ephemeral else "key"
        return (
            f"The {what} from {source} was refused after the handshake (CLOSE {error.code}"
            f"{': ' + error.error_message.rstrip('.') if error.error_message else ''})."
        )
    if "beta_api_shape_disabled" in said:
        return "OpenAI has shut the beta dialect down (CLOSE 4000): use the GA dialect."
    if "missing_model" in said or "invalid_model" in said:
        return f"The model '{setup.model}' is missing or unknown (CLOSE {error.code}): {said}."
    return str(error)


def explain(error: RealtimeError, setup: Setup) -> str:
    """One line: what went wrong and what to check."""
    if isinstance(error, HandshakeRejected):
        return _rejected(error, setup)
    if isinstance(error, ServerClosed):
        return _closed(error, setup)
    text = str(error).rstrip(".")
    if isinstance(error, ProxyFailed):
        if error.status in (403, 502, 503):
            return f"{text}: ask for {setup.endpoint.host} to be allowed through the proxy."
        if error.status is None and "refused" in text:
            return f"{text}: is the proxy running, and is the profile's proxy or HTTPS_PROXY right?"
        return f"{text}."
    if isinstance(error, HostNotFound):
        hint = "the resource name" if setup.azure else "the host name"
        return f"{text}: check {hint} in the endpoint, and the network's DNS."
    if isinstance(error, TlsFailed):
        if error.unverified:
            return (
                f"{text}: if a proxy or gateway re-signs TLS, set the profile's ca_bundle to "
                "its CA certificate (PEM)."
            )
        return f"{text}: does the port speak TLS (wss://)?"
    if isinstance(error, ConnectTimeout):
        return f"{text}: a firewall may drop it; behind a proxy, set the profile's proxy."
    if isinstance(error, CannotConnect) and "refused" in text:
        return f"{text}: is the server running on that port?"
    return f"{text}."
