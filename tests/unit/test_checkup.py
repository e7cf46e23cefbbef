"""The doctor's judgement without a network: what a profile's URL says about its dialect,
which proxy and certificates it would use, and how each failure is explained."""

from __future__ import annotations

import pytest

from rt_tui.checkup.checks import Check, Status
from rt_tui.checkup.explain import Setup, explain
from rt_tui.checkup.preflight import key_check, path_checks, route_checks
from rt_tui.config import Auth, Profile, Provider
from rt_tui.dialect import Dialect
from rt_tui.realtime.endpoints import resolve
from rt_tui.realtime.errors import (
    ConnectTimeout,
    HandshakeRejected,
    ProxyFailed,
    RealtimeError,
    ServerClosed,
    TlsFailed,
)

ENV = {"OPENAI_API_KEY": "sk-" + "k" * 30, "AZURE_OPENAI_API_KEY": "0" * 32}


def problems(profile: Profile) -> list[Check]:
    """The path checks of `profile` after its URL line."""
    url, *rest = path_checks(profile, resolve(profile, ENV))
    assert url.name == "URL"
    assert url.status is (Status.INFO if rest else Status.OK)
    return rest


def url(endpoint: str, dialect: Dialect | None = None) -> Profile:
    return Profile(provider=Provider.URL, endpoint=endpoint, dialect=dialect)


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        (Profile(), []),
        (Profile(provider=Provider.AZURE, endpoint="res"), []),
        (Profile(provider=Provider.AZURE_PREVIEW, endpoint="res"), []),
        (
            url("wss://api.openai.com/v1/realtime?model=m", Dialect.BETA),
            [
                Check(
                    "path",
                    Status.FAIL,
                    "OpenAI has shut the beta dialect down (error beta_api_shape_disabled): use "
                    "the GA dialect.",
                )
            ],
        ),
        (
            url("wss://res.openai.azure.com/openai/v1/realtime?model=m", Dialect.BETA),
            [
                Check(
                    "path",
                    Status.FAIL,
                    "Azure's GA path /openai/v1/realtime speaks the GA dialect; beta is spoken on "
                    "the preview path /openai/realtime?api-version=…&deployment=….",
                )
            ],
        ),
        (
            url("wss://res.openai.azure.com/openai/realtime"),
            [
                Check(
                    "path",
                    Status.FAIL,
                    "Azure's preview path needs ?api-version= (e.g. 2025-04-01-preview).",
                ),
                Check(
                    "path",
                    Status.FAIL,
                    "Azure's preview path needs &deployment=NAME (the deployment's name).",
                ),
            ],
        ),
        (
            url("wss://api.openai.com/v1/realtime"),
            [
                Check(
                    "path",
                    Status.FAIL,
                    "The URL names no model (?model=…): the service ends the session "
                    "(missing_model).",
                )
            ],
        ),
        (
            url("wss://gateway.example/chat?model=m"),
            [
                Check(
                    "path",
                    Status.WARN,
                    "The path /chat is none of the Realtime API's (/v1/realtime, "
                    "/openai/v1/realtime or /openai/realtime); unless a gateway maps it, expect "
                    "HTTP 404.",
                )
            ],
        ),
        (
            Profile(endpoint="https://res.openai.azure.com/openai/v1"),
            [
                Check(
                    "path",
                    Status.FAIL,
                    'This is an Azure OpenAI resource: use provider "azure" (GA) or '
                    '"azure-preview".',
                )
            ],
        ),
        (
            Profile(provider=Provider.AZURE_PREVIEW, endpoint="res", api_version="2024-12-17"),
            [
                Check(
                    "path",
                    Status.WARN,
                    "The api-version 2024-12-17 is a model version, not an api-version; use "
                    "2025-04-01-preview.",
                )
            ],
        ),
    ],
)
def test_what_the_url_says_about_the_dialect(profile: Profile, expected: list[Check]) -> None:
    assert problems(profile) == expected


def test_an_azure_profile_pointed_at_openai_is_named() -> None:
    profile = Profile(provider=Provider.AZURE, endpoint="https://api.openai.com")
    assert Check(
        "path", Status.FAIL, 'api.openai.com is OpenAI\'s own service: use provider "openai".'
    ) in problems(profile)


def test_the_proxy_and_tls_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("https_proxy", "http://me:pass-word-1@proxy.lan:3128")
    assert route_checks(resolve(Profile(), ENV)) == [
        Check(
            "proxy",
            Status.INFO,
            "http://me:***@proxy.lan:3128 (from the environment's proxy variables).",
        ),
        Check("TLS", Status.INFO, "trusts the system's certificates."),
    ]
    unverified = resolve(Profile(proxy="direct", verify_tls=False), ENV)
    assert route_checks(unverified) == [
        Check("proxy", Status.INFO, "none, a direct connection (the profile says direct)."),
        Check("TLS", Status.WARN, "verification is OFF: anyone on the path can read it."),
    ]


def test_a_url_profile_may_sign_in_with_its_own_header() -> None:
    profile = url("wss://gw.example/v1/realtime?model=m")
    assert key_check(profile, {}) == Check(
        "key", Status.INFO, "none: the socket opens without auth."
    )
    profile.headers = {"X-Tenant": "blue", "X-Gateway-Token": "t"}
    assert key_check(profile, {}) == Check(
        "key", Status.INFO, "none: the profile's X-Gateway-Token header signs in."
    )


def setup(profile: Profile, **more: object) -> Setup:
    return Setup(profile, resolve(profile, ENV), **more)  # type: ignore[arg-type]


AZURE = Profile(provider=Provider.AZURE, endpoint="res", model="dep")
ENTRA = Profile(provider=Provider.AZURE, endpoint="res", model="dep", auth=Auth.ENTRA)


@pytest.mark.parametrize(
    ("error", "where", "expected"),
    [
        (
            HandshakeRejected(401),
            setup(ENTRA),
            "HTTP 401: the Entra ID token was refused: sign in to the resource's tenant, and "
            "give the identity the 'Cognitive Services OpenAI User' role on the resource.",
        ),
        (
            HandshakeRejected(403, "Principal does not have access."),
            setup(ENTRA),
            "HTTP 403: access denied: give the identity the 'Cognitive Services OpenAI User' "
            "role on the resource (the server said: Principal does not have access).",
        ),
        (
            HandshakeRejected(401),
            setup(Profile(), key_source="$OPENAI_API_KEY", ephemeral=True),
            "HTTP 401: the ephemeral client secret was refused: it has probably expired (10 "
            "minutes by default); mint a new one.",
        ),
        (
            HandshakeRejected(404, "Resource not found"),
            setup(url("wss://res.openai.azure.com/openai/realtimes?model=m")),
            "HTTP 404: /openai/realtimes is not a Realtime path here (OpenAI uses /v1/realtime, "
            "Azure GA /openai/v1/realtime, Azure preview /openai/realtime) (the server said: "
            "Resource not found).",
        ),
        (
            HandshakeRejected(503),
            setup(AZURE),
            "HTTP 503: the service failed; try again later.",
        ),
        (
            ServerClosed(4000, "invalid_request_error.beta_api_shape_disabled"),
            setup(Profile()),
            "OpenAI has shut the beta dialect down (CLOSE 4000): use the GA dialect.",
        ),
        (
            ProxyFailed("Cannot connect to the proxy http://p:1: connection refused."),
            setup(Profile()),
            "Cannot connect to the proxy http://p:1: connection refused: is the proxy running, "
            "and is the profile's proxy or HTTPS_PROXY right?",
        ),
        (
            TlsFailed("Cannot connect to h: the TLS handshake failed (wrong version number)."),
            setup(Profile()),
            "Cannot connect to h: the TLS handshake failed (wrong version number): does the "
            "port speak TLS (wss://)?",
        ),
        (
            ConnectTimeout("h did not complete the WebSocket handshake within 10 s."),
            setup(Profile()),
            "h did not complete the WebSocket handshake within 10 s: a firewall may drop it; "
            "behind a proxy, set the profile's proxy.",
        ),
    ],
)
def test_failures_are_explained(error: RealtimeError, where: Setup, expected: str) -> None:
    assert explain(error, where) == expected
