"""The config file as a bug report carries it: secrets out, variable names in, values never."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from rt_tui.realtime.redaction import Redactor
from rt_tui.report.config_copy import REDACTED_VALUE, ConfigSource, config_copy
from rt_tui.report.known_secrets import is_secret_name, known_secrets

CONFIG_KEY = "cfg-CANARY-0123456789abcdef"
AZURE_KEY = "0123456789abcdef0123456789abcdef"  # no key shape: only its value gives it away
URL_KEY = "url-CANARY-fedcba9876543210"
ENV_KEY = "sk-envCANARY0123456789abcdef"
CUSTOM_ENV_KEY = "custom-CANARY-not-key-shaped"
HEADER_KEY = "cookie-CANARY-session=abc123"
SECRETS = (CONFIG_KEY, AZURE_KEY, URL_KEY, ENV_KEY, CUSTOM_ENV_KEY, HEADER_KEY)

CONFIG = f"""\
active_profile = "azure"

[profiles.azure]
provider = "azure"
endpoint = "my-resource"
api_key = "{AZURE_KEY}"

[profiles.local]
provider = "url"
endpoint = "wss://proxy.example/v1/realtime?model=m&api-key={URL_KEY}"
api_key_env = "MY_CUSTOM_KEY"

[profiles.openai]
provider = "openai"
api_key = "{CONFIG_KEY}"

[profiles.openai.headers]
Cookie = "{HEADER_KEY}"
X-Tenant = "blue-team"

[session]
instructions = "Be brief. Test key: {CONFIG_KEY}"

[[session.tools]]
name = "lookup"
parameters = {{ type = "object", properties = {{ token = {{ type = "string" }} }} }}

[ui.keymap]
"main.toggle_inspector" = "f3,ctrl+shift+o"
"""

ENV = {
    "OPENAI_API_KEY": ENV_KEY,
    "MY_CUSTOM_KEY": CUSTOM_ENV_KEY,
    "AZURE_OPENAI_ENDPOINT": "https://somewhere.openai.azure.com",
    "RT_TUI_DATA_DIR": "/somewhere/data",
}


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    return path


def _copy(path: Path, env: dict[str, str] = ENV) -> str:
    source = ConfigSource.read(path)
    redactor = Redactor(known_secrets(source.data or {}, env))
    return config_copy(source, env, redactor)


def test_the_copy_holds_no_secret_and_keeps_the_rest(config_file: Path) -> None:
    text = _copy(config_file)

    for secret in SECRETS:
        assert secret not in text
    data = tomllib.loads(text)
    azure, local, openai = (data["profiles"][n] for n in ("azure", "local", "openai"))
    assert azure == {"provider": "azure", "endpoint": "my-resource", "api_key": REDACTED_VALUE}
    assert openai["api_key"] == REDACTED_VALUE
    # A header is a secret when it carries a credential, whatever its name says.
    assert openai["headers"] == {"Cookie": REDACTED_VALUE, "X-Tenant": "blue-team"}
    # The variable's name says where the key comes from; it is not a secret.
    assert local["api_key_env"] == "MY_CUSTOM_KEY"
    assert local["endpoint"] == "wss://proxy.example/v1/realtime?model=m&api-key=***"
    assert data["session"]["instructions"] == "Be brief. Test key: ***"
    # A schema's property named `token` is a table, not a secret value: kept as written.
    tool = data["session"]["tools"][0]
    assert tool["parameters"]["properties"] == {"token": {"type": "string"}}
    assert data["ui"]["keymap"] == {"main.toggle_inspector": "f3,ctrl+shift+o"}


def test_the_copy_names_the_variables_each_profile_reads_never_their_values(
    config_file: Path,
) -> None:
    text = _copy(config_file)
    head = text[: text.index("\nactive_profile")]

    assert '#   profile "azure" (active):\n#     AZURE_OPENAI_API_KEY: not set\n' in head
    assert "#     AZURE_OPENAI_ENDPOINT: set\n#     AZURE_OPENAI_DEPLOYMENT: not set\n" in head
    assert '#   profile "local":\n#     MY_CUSTOM_KEY: set\n' in head
    assert (
        '#   profile "openai":\n#     OPENAI_API_KEY: set\n#     OPENAI_BASE_URL: not set\n' in head
    )
    assert "#     RT_TUI_DATA_DIR: set\n" in head
    for value in ENV.values():
        assert value not in text


def test_without_a_file_the_copy_says_so_and_lists_what_the_environment_could_set(
    tmp_path: Path,
) -> None:
    text = _copy(tmp_path / "missing.toml", {"OPENAI_API_KEY": ENV_KEY})

    assert "There is no config file" in text
    assert ENV_KEY not in text
    # The key in the environment makes a profile up.
    assert '#   profile "env-openai" (active):\n#     OPENAI_API_KEY: set\n' in text
    assert "\n\n" not in text.rstrip("\n")  # comments only: nothing from a file


def test_a_file_the_app_refuses_is_still_copied_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'[profiles.x]\nprovider = "nonsense"\napi_key = "{CONFIG_KEY}"\n')

    text = _copy(path)

    assert "# rt-tui cannot use it: The config file" in text
    assert "profiles.x.provider" in text
    assert CONFIG_KEY not in text
    assert tomllib.loads(text)["profiles"]["x"] == {"provider": "nonsense", "api_key": "<redacted>"}


def test_a_file_that_is_not_toml_is_left_out(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'api_key = "{CONFIG_KEY}\n')  # the quote never closes

    text = _copy(path)

    assert "is not valid TOML at line 1" in text
    assert "Its text is left out" in text
    assert CONFIG_KEY not in text
    assert tomllib.loads(text) == {}


def test_secret_names() -> None:
    assert all(map(is_secret_name, ["api_key", "API-KEY", "password", "client_secret", "TOKEN"]))
    assert not any(map(is_secret_name, ["api_key_env", "keymap", "endpoint", "model"]))


def test_known_secrets_come_from_the_config_the_environment_and_the_caller() -> None:
    data = tomllib.loads(CONFIG)
    env = {**ENV, "GITHUB_TOKEN": "ghp_notakeyshape123", "SHORT_KEY": "1234567", "HOME": "/root"}

    found = known_secrets(data, env, extra=["Bearer from-the-endpoint-123"])

    assert set(SECRETS) <= set(found)
    assert "ghp_notakeyshape123" in found  # named like a secret
    assert "Bearer from-the-endpoint-123" in found
    assert "1234567" not in found  # too short to scrub from text
    assert "/root" not in found
