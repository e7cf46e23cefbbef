"""Every endpoint form with its headers and dialect, redaction, and the missing-key errors."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from rt_tui.config import Profile, Provider
from rt_tui.dialect import Dialect
from rt_tui.realtime.endpoints import (
    Endpoint,
    EndpointError,
    endpoint_for_url,
    for_transcription,
    guess_dialect,
    redact_url,
    resolve,
)

KEY = "sk-TheRealSecretKey1234567890"
AZ_KEY = "0123456789abcdef0123456789abcdef"


def test_openai_default() -> None:
    endpoint = resolve(Profile(), {"OPENAI_API_KEY": KEY})
    assert endpoint.url == "wss://api.openai.com/v1/realtime?model=gpt-realtime"
    assert dict(endpoint.headers) == {"Authorization": f"Bearer {KEY}"}
    assert endpoint.dialect is Dialect.GA
    assert endpoint.verify_tls
    assert endpoint.host == "api.openai.com"


@pytest.mark.parametrize(
    ("base", "url"),
    [
        ("http://127.0.0.1:8765/v1", "ws://127.0.0.1:8765/v1/realtime?model=m"),
        ("https://gateway.example/openai/v1/", "wss://gateway.example/openai/v1/realtime?model=m"),
        ("wss://x.example/v1/realtime", "wss://x.example/v1/realtime?model=m"),
        ("https://x.example/v1?tenant=a", "wss://x.example/v1/realtime?tenant=a&model=m"),
    ],
)
def test_openai_base_url_from_profile_or_env(base: str, url: str) -> None:
    assert resolve(Profile(endpoint=base, model="m"), {"OPENAI_API_KEY": KEY}).url == url
    env = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": base}
    assert resolve(Profile(model="m"), env).url == url


def test_model_is_url_encoded() -> None:
    endpoint = resolve(Profile(model="my model/v2"), {"OPENAI_API_KEY": KEY})
    assert endpoint.url.endswith("?model=my%20model%2Fv2")


@pytest.mark.parametrize(
    "given",
    [
        "myres",
        "myres.openai.azure.com",
        "https://myres.openai.azure.com",
        "https://myres.openai.azure.com/",
        "https://myres.openai.azure.com/openai/v1",
        "https://myres.openai.azure.com/openai/v1/realtime",
    ],
)
def test_azure_ga_accepts_resource_name_or_endpoint(given: str) -> None:
    profile = Profile(provider=Provider.AZURE, endpoint=given, model="rt-deploy")
    endpoint = resolve(profile, {"AZURE_OPENAI_API_KEY": AZ_KEY})
    assert endpoint.url == "wss://myres.openai.azure.com/openai/v1/realtime?model=rt-deploy"
    assert dict(endpoint.headers) == {"api-key": AZ_KEY}
    assert endpoint.dialect is Dialect.GA
    assert "api-version" not in endpoint.url  # GA + api-version is a 401 at Azure


def test_azure_endpoint_from_env() -> None:
    env = {"AZURE_OPENAI_ENDPOINT": "https://envres.openai.azure.com", "AZURE_OPENAI_API_KEY": "k"}
    endpoint = resolve(Profile(provider=Provider.AZURE, model="d"), env)
    assert endpoint.url == "wss://envres.openai.azure.com/openai/v1/realtime?model=d"


def test_azure_preview() -> None:
    profile = Profile(
        provider=Provider.AZURE_PREVIEW,
        endpoint="https://myres.openai.azure.com",
        model="gpt-4o-realtime-preview",
        api_version="2025-04-01-preview",
    )
    endpoint = resolve(profile, {"AZURE_OPENAI_API_KEY": AZ_KEY})
    assert endpoint.url == (
        "wss://myres.openai.azure.com/openai/realtime"
        "?api-version=2025-04-01-preview&deployment=gpt-4o-realtime-preview"
    )
    assert dict(endpoint.headers) == {"api-key": AZ_KEY}
    assert endpoint.dialect is Dialect.BETA


def test_key_written_in_profile_wins_and_custom_env_name_is_used() -> None:
    written = Profile(api_key=SecretStr("from-file"))
    assert resolve(written, {"OPENAI_API_KEY": KEY}).headers["Authorization"] == "Bearer from-file"
    custom = Profile(provider=Provider.AZURE, endpoint="r", api_key_env="WORK_AZ")
    assert resolve(custom, {"WORK_AZ": "w"}).headers["api-key"] == "w"


@pytest.mark.parametrize(
    ("profile", "variable"),
    [
        (Profile(), "OPENAI_API_KEY"),
        (Profile(provider=Provider.AZURE, endpoint="r"), "AZURE_OPENAI_API_KEY"),
        (Profile(provider=Provider.AZURE_PREVIEW, endpoint="r"), "AZURE_OPENAI_API_KEY"),
        (Profile(api_key_env="MY_KEY"), "MY_KEY"),
    ],
)
def test_missing_key_names_the_variable(profile: Profile, variable: str) -> None:
    with pytest.raises(EndpointError) as caught:
        resolve(profile, {"OTHER": KEY})
    assert str(caught.value) == (
        f"No API key found: set the environment variable {variable} or store a key in the profile."
    )


def test_azure_without_endpoint_says_what_to_set() -> None:
    with pytest.raises(
        EndpointError, match=r"^The Azure profile has no endpoint: set AZURE_OPENAI"
    ):
        resolve(Profile(provider=Provider.AZURE), {"AZURE_OPENAI_API_KEY": "k"})


def test_url_profile_without_key_connects_without_auth() -> None:
    profile = Profile(provider=Provider.URL, endpoint="ws://127.0.0.1:8765/v1/realtime?model=m")
    endpoint = resolve(profile, {})
    assert endpoint.url == "ws://127.0.0.1:8765/v1/realtime?model=m"
    assert dict(endpoint.headers) == {}
    assert not endpoint.has_auth
    assert endpoint.is_loopback


def test_url_profile_uses_a_key_when_there_is_one() -> None:
    profile = Profile(provider=Provider.URL, endpoint="wss://example.test/v1/realtime")
    assert resolve(profile, {"OPENAI_API_KEY": KEY}).headers == {"Authorization": f"Bearer {KEY}"}


def test_url_profile_needs_an_endpoint() -> None:
    with pytest.raises(EndpointError, match=r"^The URL profile has no endpoint"):
        resolve(Profile(provider=Provider.URL), {})


@pytest.mark.parametrize(
    ("url", "dialect"),
    [
        ("wss://r.openai.azure.com/openai/realtime?api-version=x&deployment=d", Dialect.BETA),
        ("ws://127.0.0.1:1/openai/realtime/", Dialect.BETA),
        ("wss://r.openai.azure.com/openai/v1/realtime?model=d", Dialect.GA),
        ("ws://127.0.0.1:1/v1/realtime", Dialect.GA),
        ("ws://127.0.0.1:1/", Dialect.GA),
    ],
)
def test_dialect_is_guessed_from_the_path(url: str, dialect: Dialect) -> None:
    assert guess_dialect(url) is dialect
    assert endpoint_for_url(url).dialect is dialect


def test_url_auth_header_follows_the_path() -> None:
    azure = endpoint_for_url("wss://r.openai.azure.com/openai/v1/realtime?model=d", "k")
    assert dict(azure.headers) == {"api-key": "k"}
    plain = endpoint_for_url("wss://api.example/v1/realtime", "k")
    assert dict(plain.headers) == {"Authorization": "Bearer k"}


def test_forcing_beta_on_an_openai_path_sends_the_beta_header() -> None:
    endpoint = endpoint_for_url("ws://127.0.0.1:1/v1/realtime", dialect=Dialect.BETA)
    assert dict(endpoint.headers) == {"OpenAI-Beta": "realtime=v1"}
    assert endpoint.dialect is Dialect.BETA


def test_http_urls_become_websocket_urls() -> None:
    assert endpoint_for_url("http://127.0.0.1:9/v1/realtime").url == "ws://127.0.0.1:9/v1/realtime"
    assert endpoint_for_url("https://h.example/v1/realtime").url == "wss://h.example/v1/realtime"


@pytest.mark.parametrize("bad", ["ftp://x/y", "not a url", "ws://", "127.0.0.1:8765"])
def test_bad_url_is_one_sentence(bad: str) -> None:
    with pytest.raises(EndpointError) as caught:
        endpoint_for_url(bad)
    assert str(caught.value).endswith(
        "is not a ws://, wss://, http:// or https:// URL with a host."
    )


def test_tls_verification_flag_is_carried() -> None:
    profile = Profile(provider=Provider.URL, endpoint="wss://self-signed.test/", verify_tls=False)
    assert resolve(profile, {}).verify_tls is False
    assert resolve(Profile(verify_tls=False), {"OPENAI_API_KEY": "k"}).verify_tls is False


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            f"wss://r.openai.azure.com/openai/realtime?api-version=v&deployment=d&api-key={AZ_KEY}",
            "wss://r.openai.azure.com/openai/realtime?api-version=v&deployment=d&api-key=***",
        ),
        ("wss://h/x?token=abc&model=m", "wss://h/x?token=***&model=m"),
        ("wss://h/x?client_secret=abc&SIG=zz", "wss://h/x?client_secret=***&SIG=***"),
        ("wss://user:pw@h/x", "wss://user:***@h/x"),
        ("wss://h/v1/realtime?model=gpt-realtime", "wss://h/v1/realtime?model=gpt-realtime"),
    ],
)
def test_redact_url(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_endpoint_repr_and_display_never_show_the_key() -> None:
    url = f"wss://r.openai.azure.com/openai/realtime?deployment=d&api-key={AZ_KEY}"
    endpoint = Endpoint(url, {"api-key": AZ_KEY}, Dialect.BETA)
    assert AZ_KEY not in repr(endpoint)
    assert AZ_KEY not in str(endpoint)
    assert AZ_KEY not in endpoint.display_url
    openai = resolve(Profile(), {"OPENAI_API_KEY": KEY})
    assert KEY not in repr(openai)


def test_endpoint_headers_cannot_be_changed_afterwards() -> None:
    endpoint = endpoint_for_url("ws://127.0.0.1:1/v1/realtime", "k")
    with pytest.raises(TypeError):
        endpoint.headers["api-key"] = "x"  # type: ignore[index]
    assert endpoint == endpoint_for_url("ws://127.0.0.1:1/v1/realtime", "k")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # OpenAI: the intent replaces the model, which is a session setting there.
        (
            "wss://api.openai.com/v1/realtime?model=gpt-realtime",
            "wss://api.openai.com/v1/realtime?intent=transcription",
        ),
        # Azure routes by deployment, so it stays.
        (
            "wss://r.openai.azure.com/openai/v1/realtime?model=transcribe",
            "wss://r.openai.azure.com/openai/v1/realtime?model=transcribe&intent=transcription",
        ),
        (
            "wss://r.openai.azure.com/openai/realtime?api-version=v&deployment=d",
            "wss://r.openai.azure.com/openai/realtime?api-version=v&deployment=d"
            "&intent=transcription",
        ),
        (
            "ws://127.0.0.1:9/v1/realtime?intent=transcription",
            "ws://127.0.0.1:9/v1/realtime?intent=transcription",
        ),
    ],
)
def test_for_transcription_asks_for_the_intent(url: str, expected: str) -> None:
    endpoint = endpoint_for_url(url, "sk-test-key-123456")
    transcribing = for_transcription(endpoint)
    assert transcribing.url == expected
    assert dict(transcribing.headers) == dict(endpoint.headers)
