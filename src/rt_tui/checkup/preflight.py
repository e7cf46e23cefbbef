"""What a profile says before anything goes on the network: where its key comes from,
whether its URL's path suits its dialect, and which proxy and certificates a socket would
use. Pure functions of the profile, the environment and the resolved endpoint.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qs, urlsplit

from rt_tui.checkup.checks import Check, Status
from rt_tui.config import Auth, Profile, Provider
from rt_tui.dialect import Dialect
from rt_tui.profile import DIRECT, is_auth_header
from rt_tui.realtime.endpoints import Endpoint, redact_url
from rt_tui.realtime.handshake import proxy_in_use

OPENAI_HOST = "api.openai.com"
AZURE_SUFFIX = ".openai.azure.com"
#: Azure api-versions that no longer work, or were never api-versions (PROTOCOL.md §1).
_RETIRED_API_VERSIONS = {
    "2024-10-01-preview": "was retired; use 2025-04-01-preview",
    "2024-12-17": "is a model version, not an api-version; use 2025-04-01-preview",
}
_REALTIME_PATHS = "/v1/realtime, /openai/v1/realtime or /openai/realtime"


def key_source(profile: Profile, env: Mapping[str, str]) -> str | None:
    """Where the profile's key comes from ('the config file', '$NAME'), or None."""
    if profile.api_key is not None and profile.api_key.get_secret_value().strip():
        return "the config file"
    if env.get(profile.key_env_name, "").strip():
        return f"${profile.key_env_name}"
    return None


def is_ephemeral_key(profile: Profile, env: Mapping[str, str]) -> bool:
    """Whether the key is an ephemeral client secret (`ek_…`), which expires in minutes."""
    written = profile.api_key.get_secret_value() if profile.api_key is not None else ""
    key = written.strip() or env.get(profile.key_env_name, "").strip()
    return key.startswith("ek_")


def describe(profile: Profile) -> str:
    """`azure (GA dialect), deployment gpt-realtime` and the like."""
    what = {
        Provider.OPENAI: f"openai (GA dialect), model {profile.model}",
        Provider.AZURE: f"azure (GA dialect), deployment {profile.model}",
        Provider.AZURE_PREVIEW: f"azure-preview (beta dialect), deployment {profile.model}",
        Provider.URL: "url (the dialect as the profile says or the path suggests)",
    }[profile.provider]
    return f"{what}, signing in with Entra ID" if profile.auth is Auth.ENTRA else what


def key_check(profile: Profile, env: Mapping[str, str]) -> Check:
    """Where the key comes from, or what to set when there is none (auth = key)."""
    source = key_source(profile, env)
    if source is None:
        if profile.provider is Provider.URL:
            signs_in = [
                name for name, value in profile.headers.items() if is_auth_header(name, value)
            ]
            if signs_in:
                return Check(
                    "key", Status.INFO, f"none: the profile's {signs_in[0]} header signs in."
                )
            return Check("key", Status.INFO, "none: the socket opens without auth.")
        extra = ', or use auth = "entra"' if profile.provider is not Provider.OPENAI else ""
        return Check(
            "key",
            Status.FAIL,
            f"No API key: set ${profile.key_env_name} or store a key in the profile{extra}.",
        )
    if is_ephemeral_key(profile, env):
        return Check(
            "key",
            Status.OK,
            f"an ephemeral client secret (ek_…) from {source}; it expires (after 10 minutes "
            "by default).",
        )
    return Check("key", Status.OK, f"from {source}.")


def _dialect_problems(endpoint: Endpoint) -> list[Check]:
    parts = urlsplit(endpoint.url)
    path = parts.path.rstrip("/")
    query = parse_qs(parts.query)
    beta = endpoint.dialect is Dialect.BETA
    checks: list[Check] = []

    def fail(line: str, status: Status = Status.FAIL) -> None:
        checks.append(Check("path", status, line))

    if path.endswith("/openai/v1/realtime"):
        if "api-version" in query:
            fail(
                "api-version is not taken on Azure's GA path /openai/v1/realtime (Azure "
                "answers HTTP 401): remove it, or use the preview path /openai/realtime."
            )
        if beta:
            fail(
                "Azure's GA path /openai/v1/realtime speaks the GA dialect; beta is spoken on "
                "the preview path /openai/realtime?api-version=…&deployment=…."
            )
    elif path.endswith("/openai/realtime"):
        if not beta:
            fail(
                "Azure's preview path /openai/realtime speaks the beta dialect: set "
                'dialect = "beta", or use /openai/v1/realtime?model=DEPLOYMENT for GA.'
            )
        if not query.get("api-version"):
            fail("Azure's preview path needs ?api-version= (e.g. 2025-04-01-preview).")
        if not query.get("deployment"):
            fail("Azure's preview path needs &deployment=NAME (the deployment's name).")
    elif path.endswith("/v1/realtime"):
        if beta:
            status = Status.FAIL if endpoint.host == OPENAI_HOST else Status.WARN
            fail(
                "OpenAI has shut the beta dialect down (error beta_api_shape_disabled): "
                "use the GA dialect.",
                status,
            )
    else:
        fail(
            f"The path {path or '/'} is none of the Realtime API's ({_REALTIME_PATHS}); "
            "unless a gateway maps it, expect HTTP 404.",
            Status.WARN,
        )
    if not beta and path.endswith("/v1/realtime") and not query.get("model"):
        fail("The URL names no model (?model=…): the service ends the session (missing_model).")
    return checks


def path_checks(profile: Profile, endpoint: Endpoint) -> list[Check]:
    """The URL, then each way its host, path or query does not suit the dialect."""
    shown = f"{endpoint.display_url} ({endpoint.dialect.value.upper()} dialect)"
    checks = _dialect_problems(endpoint)
    host = endpoint.host.lower()
    if profile.provider is Provider.OPENAI and host.endswith(AZURE_SUFFIX):
        checks.append(
            Check(
                "path",
                Status.FAIL,
                'This is an Azure OpenAI resource: use provider "azure" (GA) or "azure-preview".',
            )
        )
    azure = profile.provider in (Provider.AZURE, Provider.AZURE_PREVIEW)
    if azure and host == OPENAI_HOST:
        checks.append(
            Check(
                "path",
                Status.FAIL,
                f'{OPENAI_HOST} is OpenAI\'s own service: use provider "openai".',
            )
        )
    if profile.provider is Provider.AZURE_PREVIEW:
        problem = _RETIRED_API_VERSIONS.get(profile.api_version)
        if problem is not None:
            checks.append(
                Check("path", Status.WARN, f"The api-version {profile.api_version} {problem}.")
            )
    status = Status.INFO if any(c.status is not Status.OK for c in checks) else Status.OK
    return [Check("URL", status, shown), *checks]


def route_checks(endpoint: Endpoint) -> list[Check]:
    """Which proxy and which certificates a socket to `endpoint` would use."""
    proxy = proxy_in_use(endpoint)
    if endpoint.is_loopback:
        line = "none: loopback never goes through a proxy."
    elif proxy is None:
        said = " (the profile says direct)" if endpoint.proxy == DIRECT else ""
        line = f"none, a direct connection{said}."
    elif endpoint.proxy:
        line = f"{redact_url(proxy)} (the profile's)."
    else:
        line = f"{redact_url(proxy)} (from the environment's proxy variables)."
    checks = [Check("proxy", Status.INFO, line)]
    if not endpoint.url.startswith("wss:"):
        if not endpoint.is_loopback:
            checks.append(Check("TLS", Status.WARN, "none: plain ws:// is not encrypted."))
    elif not endpoint.verify_tls:
        checks.append(
            Check("TLS", Status.WARN, "verification is OFF: anyone on the path can read it.")
        )
    elif endpoint.ca_bundle is not None:
        checks.append(Check("TLS", Status.INFO, f"trusts the CA bundle {endpoint.ca_bundle}."))
    else:
        checks.append(Check("TLS", Status.INFO, "trusts the system's certificates."))
    return checks
