"""Config file I/O, environment overlay, key detection and the one-sentence errors."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import pytest
from pydantic import SecretStr

from rt_tui import paths
from rt_tui.config import (
    ENV_AZURE_PROFILE,
    ENV_OPENAI_PROFILE,
    Config,
    ConfigError,
    FunctionTool,
    Profile,
    Provider,
    SessionSettings,
    TurnDetection,
    key_is_set,
    load_config,
    overlay_env,
    save_config,
)
from rt_tui.dialect import Dialect

KEY = "sk-file-KeptOnPurpose123456"


def full_config() -> Config:
    return Config(
        active_profile="work",
        profiles={
            "work": Profile(
                provider=Provider.AZURE,
                endpoint="myres",
                model="gpt-realtime-dep",
                api_key_env="WORK_KEY",
            ),
            "preview": Profile(
                provider=Provider.AZURE_PREVIEW, endpoint="https://old.openai.azure.com"
            ),
            "local": Profile(
                provider=Provider.URL,
                endpoint="ws://127.0.0.1:8765/v1/realtime",
                dialect=Dialect.BETA,
                verify_tls=False,
                api_key=SecretStr(KEY),
            ),
        },
        session=SessionSettings(
            instructions="Be brief.",
            output_modality="audio",
            turn_detection=TurnDetection(type="semantic_vad", eagerness="high"),
            tools=[FunctionTool(name="get_weather", description="Weather for a city")],
            max_output_tokens=512,
        ),
    )


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    config = full_config()
    assert save_config(config, path) == path
    loaded = load_config(path)
    assert loaded == config
    assert loaded.profiles["local"].api_key is not None
    assert loaded.profiles["local"].api_key.get_secret_value() == KEY


def test_saved_file_is_private_toml_and_keys_only_when_chosen(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "config.toml"
    save_config(full_config(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = tomllib.loads(path.read_text())
    assert data["profiles"]["local"]["api_key"] == KEY
    assert "api_key" not in data["profiles"]["work"]
    assert data["profiles"]["work"]["api_key_env"] == "WORK_KEY"
    # Nothing but the file itself is left in the directory (the temp file was renamed).
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]


def test_saved_profiles_hold_an_api_version_only_where_it_is_used(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    profiles = {
        provider.value: Profile(provider=provider, endpoint="wss://h/v1/realtime?model=m")
        for provider in Provider
    }
    save_config(Config(profiles=profiles), path)
    saved = tomllib.loads(path.read_text())["profiles"]
    assert [name for name, table in saved.items() if "api_version" in table] == ["azure-preview"]
    assert load_config(path).profiles == profiles


def test_save_replaces_an_existing_file_and_keeps_it_private(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("old = true\n")
    path.chmod(0o644)
    save_config(Config(active_profile="x"), path)
    assert load_config(path) == Config(active_profile="x")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_default_paths_follow_env_overrides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RT_TUI_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("RT_TUI_DATA_DIR", str(tmp_path / "data"))
    assert paths.config_file() == tmp_path / "cfg" / "config.toml"
    assert paths.user_themes_dir() == tmp_path / "cfg" / "themes"
    assert paths.sessions_dir() == tmp_path / "data" / "sessions"
    assert load_config() == Config()
    save_config(full_config())
    assert load_config() == full_config()


def test_missing_file_is_the_default_config(tmp_path: Path) -> None:
    assert load_config(tmp_path / "absent.toml") == Config()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[profiles.a]\nprovider = "openai"\nmodel = \n',
            "is not valid TOML at line 3, column 9: invalid value.",
        ),
        (
            'active_profile = "unterminated\n',
            "is not valid TOML at line 1, column 31: illegal character '\\n'.",
        ),
        (
            '[profiles.a]\nprovider = "azzure"\n',
            "has a bad value at 'profiles.a.provider': it should be one of 'openai', 'azure', "
            "'azure-preview' or 'url'.",
        ),
        (
            '[session]\nmax_output_tokens = "lots"\n',
            "has a bad value at 'session.max_output_tokens': it should be a whole number or 'inf'.",
        ),
        (
            "[profiles.a]\nverify_tls = 3\n",
            "has a bad value at 'profiles.a.verify_tls': it should be true or false.",
        ),
        (
            "[session.turn_detection]\nthreshold = 2.0\n",
            "has a bad value at 'session.turn_detection.threshold': it should be less than "
            "or equal to 1.",
        ),
        (
            "[profiles.a]\nkey = 'x'\n",
            "has a bad value at 'profiles.a.key': this is not a setting rt-tui knows.",
        ),
        (
            "[session]\nvoice = 1\noutput_modality = 'both'\n[x]\n",
            "has a bad value at 'session.voice': it should be a quoted string; "
            "also 'session.output_modality' and 'x'.",
        ),
        (
            "[session]\nturn_detection = 5\n",
            "has a bad value at 'session.turn_detection': it should be a table "
            "(e.g. [session.turn_detection]).",
        ),
        (
            "[session]\ntools = [3]\n",
            "has a bad value at 'session.tools.0': it should be a table (e.g. [[session.tools]]).",
        ),
        (
            "[session]\ntools = 'f'\n",
            "has a bad value at 'session.tools': it should be an array "
            "(e.g. [[session.tools]] tables).",
        ),
        (
            "[[session.tools]]\nname = 'f'\nparameters = 3\n",
            "has a bad value at 'session.tools.0.parameters': it should be a table "
            "(e.g. [session.tools.parameters]) or a string of JSON.",
        ),
        (
            "[session]\noutput_modality = 'both'\n",
            "has a bad value at 'session.output_modality': it should be 'text' or 'audio'.",
        ),
        (
            "[session.turn_detection]\ntype = 'vad'\nprefix_padding_ms = 1.5\n",
            "has a bad value at 'session.turn_detection.type': it should be one of 'none', "
            "'server_vad' or 'semantic_vad'; also 'session.turn_detection.prefix_padding_ms'.",
        ),
        (
            "[profiles.a]\nprovider = 'x'\n[profiles.b]\nprovider = 'y'\n[profiles.c]\n"
            "model = 1\n[profiles.d]\nverify_tls = 3\n[profiles.e]\nport = 1\n",
            "has a bad value at 'profiles.a.provider': it should be one of 'openai', 'azure', "
            "'azure-preview' or 'url'; also 'profiles.b.provider', 'profiles.c.model', "
            "'profiles.d.verify_tls' and 1 more.",
        ),
        (
            "[[session.tools]]\ndescription = 'no name'\n",
            "has a bad value at 'session.tools.0.name': this setting is required.",
        ),
    ],
)
def test_broken_file_gives_one_sentence(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message == f"The config file {path} {expected}"
    assert message.count("\n") == 0


@pytest.mark.parametrize(
    "text",
    [
        f"[profiles.a]\napi_key = ['{KEY}']\n",
        f"[profiles.a]\nprovider = '{KEY}'\n",
        f"[session]\nturn_detection = '{KEY}'\n",
        f"[session]\nmax_output_tokens = '{KEY}'\nvoice = ['{KEY}']\n",
        f"[profiles.a]\napi_key = 1\n[profiles.b]\nmodel = ['{KEY}']\n",
    ],
)
def test_bad_value_message_never_echoes_the_value(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert KEY not in message
    assert message.startswith(f"The config file {path} has a bad value at '")
    assert message.count("\n") == 0


def test_non_utf8_and_unreadable_files(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ConfigError, match=r"is not UTF-8 text\.$"):
        load_config(path)
    with pytest.raises(ConfigError, match=r"cannot be read: .*\.$"):
        load_config(tmp_path)  # a directory


def test_env_alone_makes_an_openai_profile() -> None:
    config = overlay_env(Config(), {"OPENAI_API_KEY": "k"})
    assert config.active_profile == ENV_OPENAI_PROFILE
    assert config.profiles[ENV_OPENAI_PROFILE] == Profile(provider=Provider.OPENAI)


def test_base_url_alone_makes_an_openai_profile_with_that_base() -> None:
    config = overlay_env(Config(), {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"})
    assert config.profiles[ENV_OPENAI_PROFILE].endpoint == "http://127.0.0.1:9/v1"


def test_azure_env_makes_an_azure_profile_and_wins() -> None:
    env = {
        "OPENAI_API_KEY": "k",
        "AZURE_OPENAI_ENDPOINT": "https://res.openai.azure.com",
        "AZURE_OPENAI_API_KEY": "a",
        "AZURE_OPENAI_DEPLOYMENT": "my-dep",
    }
    config = overlay_env(Config(), env)
    assert config.active_profile == ENV_AZURE_PROFILE
    azure = config.profiles[ENV_AZURE_PROFILE]
    assert (azure.provider, azure.endpoint, azure.model) == (
        Provider.AZURE,
        "https://res.openai.azure.com",
        "my-dep",
    )
    assert ENV_OPENAI_PROFILE in config.profiles


def test_api_version_makes_the_azure_profile_preview() -> None:
    env = {"AZURE_OPENAI_ENDPOINT": "res", "OPENAI_API_VERSION": "2024-10-01-preview"}
    azure = overlay_env(Config(), env).profiles[ENV_AZURE_PROFILE]
    assert azure.provider is Provider.AZURE_PREVIEW
    assert azure.api_version == "2024-10-01-preview"


def test_env_only_fills_what_profiles_leave_unset() -> None:
    config = Config(
        profiles={
            "plain": Profile(),
            "own-base": Profile(endpoint="https://proxy.example/v1"),
            "az": Profile(provider=Provider.AZURE),
            "az-set": Profile(provider=Provider.AZURE, endpoint="mine", model="mine-dep"),
            "pv": Profile(provider=Provider.AZURE_PREVIEW, endpoint="p"),
        }
    )
    env = {
        "OPENAI_BASE_URL": "https://gateway.example/v1",
        "AZURE_OPENAI_ENDPOINT": "envres",
        "AZURE_OPENAI_DEPLOYMENT": "env-dep",
        "OPENAI_API_VERSION": "2025-04-01-preview-x",
    }
    result = overlay_env(config, env)
    assert result.profiles["plain"].endpoint == "https://gateway.example/v1"
    assert result.profiles["own-base"].endpoint == "https://proxy.example/v1"
    assert (result.profiles["az"].endpoint, result.profiles["az"].model) == ("envres", "env-dep")
    assert (result.profiles["az-set"].endpoint, result.profiles["az-set"].model) == (
        "mine",
        "mine-dep",
    )
    assert result.profiles["pv"].api_version == "2025-04-01-preview-x"
    # The input is untouched and no implicit profiles are added next to real ones.
    assert config.profiles["plain"].endpoint is None
    assert set(result.profiles) == set(config.profiles)


def test_overlay_never_copies_keys_into_the_config(tmp_path: Path) -> None:
    config = overlay_env(Config(), {"OPENAI_API_KEY": KEY, "AZURE_OPENAI_ENDPOINT": "r"})
    path = save_config(config, tmp_path / "c.toml")
    assert KEY not in path.read_text()


def test_key_is_set() -> None:
    assert key_is_set(Profile(), {"OPENAI_API_KEY": "k"})
    assert not key_is_set(Profile(), {"OPENAI_API_KEY": "  "})
    assert not key_is_set(Profile(), {"AZURE_OPENAI_API_KEY": "k"})
    assert key_is_set(Profile(provider=Provider.AZURE), {"AZURE_OPENAI_API_KEY": "k"})
    assert key_is_set(Profile(api_key_env="MINE"), {"MINE": "k"})
    assert key_is_set(Profile(api_key=SecretStr("k")), {})
    assert not key_is_set(Profile(api_key=SecretStr("")), {})


def test_profile_repr_hides_a_written_key() -> None:
    assert KEY not in repr(Profile(api_key=SecretStr(KEY)))
    assert KEY not in repr(full_config())


def test_tool_schema_with_nulls_round_trips_as_json_text(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {"unit": {"type": ["string", "null"], "default": None}},
    }
    config = Config(session=SessionSettings(tools=[FunctionTool(name="f", parameters=schema)]))
    path = save_config(config, tmp_path / "c.toml")
    assert load_config(path) == config
    assert isinstance(tomllib.loads(path.read_text())["session"]["tools"][0]["parameters"], str)


def test_tool_parameters_text_must_be_a_json_object(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[[session.tools]]\nname = 'f'\nparameters = '[1, 2]'\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == (
        f"The config file {path} has a bad value at 'session.tools.0.parameters': "
        "parameters must be a JSON object."
    )


def test_documented_example_file_is_valid() -> None:
    import rt_tui.config

    doc = rt_tui.config.__doc__ or ""
    block = doc.split("looks like this:")[1].split("Keys live")[0]
    text = "\n".join(line[4:] for line in block.splitlines())
    config = Config.model_validate(tomllib.loads(text))
    assert config.active_profile == "work"
    assert set(config.profiles) == {"work", "personal", "local", "corp"}
