"""What a profile adds to its endpoint: an Entra ID token source instead of a key, extra
headers (and which of them are secrets), a CA bundle and a proxy."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from rt_tui.config import Auth, Profile, Provider
from rt_tui.realtime.endpoints import EndpointError, resolve
from rt_tui.realtime.entra import AZURE_EXTRA_MISSING, NO_CREDENTIAL, EntraTokens
from rt_tui.realtime.errors import SignInFailed

KEY = "0123456789abcdef0123456789abcdef"
ENV = {"AZURE_OPENAI_API_KEY": KEY, "OPENAI_API_KEY": "sk-" + "k" * 30}


class Token(NamedTuple):
    token: str
    expires_on: int


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class Credential:
    def __init__(self, *tokens: Token) -> None:
        self.tokens = list(tokens)
        self.calls = 0

    def get_token(self, *scopes: str) -> Token:
        self.calls += 1
        return self.tokens.pop(0)


class Unavailable(Exception):
    pass


Unavailable.__name__ = "CredentialUnavailableError"


class Failing:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def get_token(self, *scopes: str) -> Token:
        raise self.error


@pytest.mark.parametrize("provider", [Provider.AZURE, Provider.AZURE_PREVIEW])
def test_entra_sends_no_key_and_gets_its_token_per_socket(provider: Provider) -> None:
    endpoint = resolve(Profile(provider=provider, endpoint="res", auth=Auth.ENTRA), ENV)
    assert dict(endpoint.headers) == {}
    assert endpoint.tokens is not None
    assert endpoint.has_auth
    assert KEY not in endpoint.secret_values()


def test_entra_on_a_url_profile_refuses_plain_ws_to_another_host() -> None:
    profile = Profile(provider=Provider.URL, endpoint="ws://gateway.lan/openai/v1/realtime")
    profile.auth = Auth.ENTRA
    with pytest.raises(EndpointError, match=r"will not send an Entra ID token to gateway\.lan"):
        resolve(profile, ENV)


def test_extra_headers_are_added_and_credentials_among_them_are_secrets() -> None:
    headers = {"X-Tenant": "blue-team", "Ocp-Apim-Subscription-Key": "apim-secret-0042"}
    endpoint = resolve(Profile(headers=headers), ENV)
    assert endpoint.headers["X-Tenant"] == "blue-team"
    assert endpoint.headers["Ocp-Apim-Subscription-Key"] == "apim-secret-0042"
    secrets = endpoint.secret_values()
    assert "apim-secret-0042" in secrets
    assert "blue-team" not in secrets


def test_a_header_that_would_replace_the_key_is_refused() -> None:
    with pytest.raises(EndpointError) as caught:
        resolve(Profile(provider=Provider.AZURE, endpoint="res", headers={"API-Key": "x"}), ENV)
    assert str(caught.value) == (
        "The profile's API-Key header would replace the one rt-tui sends itself (for the key "
        "or the dialect); remove it from the profile's headers."
    )


def test_a_url_profile_without_a_key_may_sign_in_with_its_own_header() -> None:
    profile = Profile(
        provider=Provider.URL,
        endpoint="wss://gateway.example/v1/realtime?model=m",
        headers={"Authorization": "Bearer gateway-token-7"},
    )
    endpoint = resolve(profile, {})
    assert endpoint.headers["Authorization"] == "Bearer gateway-token-7"
    assert "gateway-token-7" in endpoint.secret_values()


def test_a_credential_header_never_travels_in_clear_text_to_another_host() -> None:
    profile = Profile(
        provider=Provider.URL, endpoint="ws://gateway.lan/v1/realtime", headers={"X-Token": "t"}
    )
    with pytest.raises(EndpointError, match=r"will not send the X-Token header to gateway\.lan"):
        resolve(profile, {})


def test_a_missing_ca_bundle_is_one_sentence(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.pem"
    with pytest.raises(EndpointError) as caught:
        resolve(Profile(ca_bundle=missing), ENV)
    assert str(caught.value) == (
        f"The CA bundle {missing} is not a file; set ca_bundle to a PEM file of certificates."
    )


@pytest.mark.parametrize(
    ("endpoint", "proxy", "expected"),
    [
        ("wss://api.example/v1/realtime", None, True),  # the environment decides
        ("wss://api.example/v1/realtime", "direct", None),
        ("wss://api.example/v1/realtime", "http://proxy:3128", "http://proxy:3128"),
        ("ws://127.0.0.1:8765/v1/realtime", "http://proxy:3128", None),
        ("ws://localhost:8765/v1/realtime", None, None),
    ],
)
def test_which_proxy_websockets_is_told_to_use(
    endpoint: str, proxy: str | None, expected: str | bool | None
) -> None:
    profile = Profile(provider=Provider.URL, endpoint=endpoint, proxy=proxy)
    assert resolve(profile, {}).websockets_proxy == expected


def test_a_proxy_password_is_a_secret() -> None:
    endpoint = resolve(Profile(proxy="http://me:pr0xy-secret@proxy:3128"), ENV)
    assert "pr0xy-secret" in endpoint.secret_values()


async def test_a_token_is_kept_until_it_nears_expiry() -> None:
    clock = Clock()
    credential = Credential(
        Token("token-one", int(clock.now) + 3600), Token("token-two", int(clock.now) + 7200)
    )
    tokens = EntraTokens(lambda: credential, clock=clock)
    assert await tokens.token() == "token-one"
    clock.now += 3000  # ten minutes left: more than the margin
    assert await tokens.token() == "token-one"
    clock.now += 400  # under five minutes left
    assert await tokens.token() == "token-two"
    assert credential.calls == 2
    assert list(tokens.issued) == ["token-one", "token-two"]


async def test_without_the_azure_extra_the_sign_in_names_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "azure.identity", None)  # import fails as if missing
    endpoint = resolve(Profile(provider=Provider.AZURE, endpoint="res", auth=Auth.ENTRA), {})
    assert endpoint.tokens is not None
    with pytest.raises(SignInFailed) as caught:
        await endpoint.tokens.token()
    assert str(caught.value) == AZURE_EXTRA_MISSING
    assert not caught.value.retryable


@pytest.mark.parametrize(
    ("error", "expected", "retryable"),
    [
        (Unavailable("EnvironmentCredential: not configured\n\tmore lines…"), NO_CREDENTIAL, False),
        (
            RuntimeError(
                "DefaultAzureCredential failed to retrieve a token from the included "
                "credentials.\nAttempted credentials:\n\tAzureCliCredential: not logged in"
            ),
            NO_CREDENTIAL,
            False,
        ),
        (
            RuntimeError("AADSTS700016: Application not found in the directory.\nTrace ID: 1"),
            "Microsoft Entra ID sign-in failed: AADSTS700016: Application not found in the "
            "directory.",
            True,
        ),
    ],
)
async def test_a_failed_sign_in_is_one_sentence(
    error: Exception, expected: str, retryable: bool
) -> None:
    tokens = EntraTokens(lambda: Failing(error))
    with pytest.raises(SignInFailed) as caught:
        await tokens.token()
    assert str(caught.value) == expected
    assert caught.value.retryable is retryable
