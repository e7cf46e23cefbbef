"""A key never travels unencrypted to another machine: plain ws:// to a host that is not
loopback withholds an implicit key and refuses one the user chose; loopback is unchanged."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from rt_tui.config import Config, Profile, Provider
from rt_tui.realtime.endpoints import EndpointError, endpoint_for_url, resolve
from rt_tui.targets import resolve_target

KEY = "sk-clear-DoNotSendInClearText1234"
ENV = {"OPENAI_API_KEY": KEY, "AZURE_OPENAI_API_KEY": KEY, "MY_KEY": KEY}
REFUSAL = (
    "rt-tui will not send the API key to {host} over unencrypted ws:// (anyone on the network "
    "could read it); use wss://, or a loopback address such as an SSH tunnel."
)


@pytest.mark.parametrize(
    "url", ["ws://192.0.2.7:8765/v1/realtime", "http://lan-box/v1/realtime", "ws://10.0.0.1/"]
)
def test_url_flag_withholds_the_environment_key_over_plain_ws(url: str) -> None:
    target = resolve_target(Config(), ENV, profile=None, url=url, demo=False)
    assert target.ok
    assert target.endpoint is not None
    assert dict(target.endpoint.headers) == {}
    assert target.endpoint.key_withheld
    assert KEY not in repr(target)


@pytest.mark.parametrize(
    "url",
    [
        "ws://127.0.0.1:8765/v1/realtime",
        "ws://localhost:8765/v1/realtime",
        "ws://[::1]:8765/v1/realtime",
        "wss://remote.example/v1/realtime",
    ],
)
def test_loopback_or_encrypted_urls_keep_the_key(url: str) -> None:
    target = resolve_target(Config(), ENV, profile=None, url=url, demo=False)
    assert target.endpoint is not None
    assert target.endpoint.headers == {"Authorization": f"Bearer {KEY}"}
    assert not target.endpoint.key_withheld


def test_url_profile_with_only_the_default_key_connects_without_auth() -> None:
    profile = Profile(provider=Provider.URL, endpoint="ws://192.0.2.7:1/openai/v1/realtime")
    endpoint = resolve(profile, ENV)
    assert not endpoint.has_auth
    assert endpoint.key_withheld


@pytest.mark.parametrize(
    "profile",
    [
        Profile(provider=Provider.URL, endpoint="ws://192.0.2.7:1/v1", api_key=SecretStr(KEY)),
        Profile(provider=Provider.URL, endpoint="ws://192.0.2.7:1/v1", api_key_env="MY_KEY"),
    ],
    ids=["written-key", "named-variable"],
)
def test_url_profile_that_names_its_key_is_refused_over_plain_ws(profile: Profile) -> None:
    with pytest.raises(EndpointError) as caught:
        resolve(profile, ENV)
    assert str(caught.value) == REFUSAL.format(host="192.0.2.7")


@pytest.mark.parametrize(
    ("profile", "env"),
    [
        (Profile(provider=Provider.OPENAI, endpoint="http://proxy.lan:4000/v1"), ENV),
        (Profile(provider=Provider.OPENAI), {**ENV, "OPENAI_BASE_URL": "ws://proxy.lan/v1"}),
        (Profile(provider=Provider.AZURE, endpoint="http://proxy.lan"), ENV),
        (Profile(provider=Provider.AZURE_PREVIEW, endpoint="ws://proxy.lan"), ENV),
    ],
    ids=["openai", "openai-base-url", "azure", "azure-preview"],
)
def test_keyed_providers_refuse_plain_ws_to_another_host(
    profile: Profile, env: dict[str, str]
) -> None:
    with pytest.raises(EndpointError) as caught:
        resolve(profile, env)
    assert str(caught.value) == REFUSAL.format(host="proxy.lan")
    assert KEY not in str(caught.value)


def test_keyed_providers_keep_plain_ws_to_loopback() -> None:
    profile = Profile(provider=Provider.OPENAI, endpoint="http://127.0.0.1:4000/v1")
    endpoint = resolve(profile, ENV)
    assert endpoint.url == "ws://127.0.0.1:4000/v1/realtime?model=gpt-realtime"
    assert endpoint.headers == {"Authorization": f"Bearer {KEY}"}


def test_explicit_key_for_a_remote_plain_url_is_refused_and_implicit_one_withheld() -> None:
    with pytest.raises(EndpointError):
        endpoint_for_url("ws://192.0.2.7/v1/realtime", KEY, key_is_explicit=True)
    endpoint = endpoint_for_url("ws://192.0.2.7/v1/realtime", KEY)
    assert (dict(endpoint.headers), endpoint.key_withheld) == ({}, True)


@pytest.mark.parametrize("bad", ["sk-abc\u2026defghijklmnop", "sk-abc def", "sk-abc\r\nX-Evil: 1"])
def test_a_key_that_cannot_go_in_a_header_is_one_sentence_without_the_key(bad: str) -> None:
    profile = Profile(provider=Provider.OPENAI, api_key_env="MY_KEY")
    with pytest.raises(EndpointError) as caught:
        resolve(profile, {"MY_KEY": bad})
    assert str(caught.value) == (
        "The API key from MY_KEY contains a space or a character that is not plain ASCII; "
        "check it for a copy-and-paste mistake."
    )
    target = resolve_target(Config(), {"OPENAI_API_KEY": bad}, profile=None, url=None, demo=False)
    assert target.problem is not None
    assert bad not in target.problem
    url_flag = resolve_target(
        Config(), {"OPENAI_API_KEY": bad}, profile=None, url="wss://h/v1/realtime", demo=False
    )
    assert url_flag.problem is not None
    assert url_flag.problem.startswith("The API key from OPENAI_API_KEY contains a space")
