"""A profile's ways to connect anywhere: sign-in (key or Entra ID), extra headers, a CA
bundle and a proxy, as the config file holds them and as it refuses them."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from pydantic import ValidationError

from rt_tui.config import (
    Auth,
    Config,
    ConfigError,
    Profile,
    Provider,
    load_config,
    save_config,
)
from rt_tui.profile import is_auth_header

SECRET = "hdr-secret-value-123"


def test_connection_settings_round_trip_through_the_file(tmp_path: Path) -> None:
    config = Config(
        profiles={
            "corp": Profile(
                provider=Provider.AZURE,
                endpoint="corp",
                auth=Auth.ENTRA,
                headers={"X-Tenant": "blue"},
                ca_bundle=Path("~/corp-ca.pem"),
                proxy="http://proxy.corp.example:3128",
            ),
            "plain": Profile(),
        }
    )
    path = save_config(config, tmp_path / "config.toml")
    assert load_config(path) == config
    written = tomllib.loads(path.read_text())["profiles"]
    assert written["corp"]["ca_bundle"] == "~/corp-ca.pem"  # kept as the user wrote it
    assert "headers" not in written["plain"]  # no empty [profiles.plain.headers] table


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[profiles.p]\nprovider = "openai"\nauth = "entra"\n',
            "'profiles.p.auth': sign-in with Entra ID is for Azure: use provider azure, "
            "azure-preview or url.",
        ),
        (
            '[profiles.p.headers]\n"Bad Name" = "x"\n',
            "'profiles.p.headers': 'Bad Name' is not a valid header name (letters, digits "
            "and -, no spaces).",
        ),
        (
            '[profiles.p.headers]\nHost = "elsewhere.example"\n',
            "'profiles.p.headers': the Host header is set by the WebSocket handshake; leave "
            "it out.",
        ),
        (
            f'[profiles.p.headers]\nX-Token = "{SECRET}\\n"\n',
            "'profiles.p.headers': the value of the X-Token header holds a line break or a "
            "character that is not plain ASCII.",
        ),
        (
            '[profiles.p]\nproxy = "ftp://me:pr0xy-pass@proxy.example"\n',
            "'profiles.p.proxy': the proxy should be a URL like http://HOST:PORT (http, https "
            "or socks5), or 'direct' for none.",
        ),
    ],
)
def test_bad_connection_settings_are_one_sentence_without_the_value(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == f"The config file {path} has a bad value at {expected}"
    assert SECRET not in str(caught.value)
    assert "pr0xy-pass" not in str(caught.value)


@pytest.mark.parametrize("proxy", ["direct", "http://proxy:3128", "socks5://127.0.0.1:1080"])
def test_direct_and_proxy_urls_are_taken(proxy: str) -> None:
    assert Profile(proxy=f" {proxy} ").proxy == proxy


def test_a_header_given_twice_is_refused() -> None:
    with pytest.raises(ValidationError, match="the x-tenant header is given twice"):
        Profile(headers={"X-Tenant": "a", "x-tenant": "b"})


@pytest.mark.parametrize(
    ("name", "value", "secret"),
    [
        ("Authorization", "Bearer abc", True),
        ("Ocp-Apim-Subscription-Key", "abc", True),
        ("X-Session-Token", "abc", True),
        ("Cookie", "a=b", True),
        ("X-Custom", "Basic dXNlcjpwYXNz", True),
        ("X-Tenant", "blue", False),
        ("OpenAI-Beta", "realtime=v1", False),
    ],
)
def test_which_headers_carry_a_credential(name: str, value: str, secret: bool) -> None:
    assert is_auth_header(name, value) is secret
