"""Every secret a report could leak, gathered from the config file and the environment.

A key need not look like one (an Azure key is 32 hex digits), so the report's redaction
is told the values themselves: each config value held under a secret-looking name
(`api_key`, `token`, `password`…), the secret query values and passwords of the URLs in
the config, the value of every environment variable a profile takes its key from, and
of any environment variable named like a secret.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

from rt_tui.config import DEFAULT_KEY_ENV
from rt_tui.profile import is_auth_header
from rt_tui.realtime.endpoints import url_secrets

#: Parts of a name that say its value is a secret (matched in lower case).
SECRET_NAME_PARTS: Final = (
    "key",
    "secret",
    "token",
    "password",
    "passwd",
    "credential",
    "authorization",
    "signature",
)
#: Names that hold no secret though they look like one: `[ui.keymap]` maps actions to keys.
_NOT_SECRET_NAMES: Final = frozenset({"keymap"})
#: Parts of a URL query parameter's name that say its value is a secret.
#: Shorter values are not looked for in text: scrubbing every "1" would wreck it, and
#: nothing that short is a key.
MIN_SECRET_CHARS: Final = 8


def is_secret_name(name: str) -> bool:
    """Whether a setting or variable called `name` holds a secret. `…_env` names hold the
    name of a variable (`api_key_env`), which is not secret."""
    lowered = name.lower()
    if lowered.endswith(("_env", "-env")) or lowered in _NOT_SECRET_NAMES:
        return False
    return any(part in lowered for part in SECRET_NAME_PARTS)


def is_secret_setting(table: str, name: str, value: Any) -> bool:
    """Whether the setting `name` of the config table `table` holds a secret: judged by its
    name, or, in a profile's `headers` table, as a header (a Cookie, `Bearer …`) is."""
    if table == "headers":
        return is_auth_header(name, value if isinstance(value, str) else "")
    return is_secret_name(name)


def _config_secrets(value: Any, secret: bool = False, table: str = "") -> Iterator[str]:
    """Secrets in decoded TOML: the values held under a secret name (a table's keys are
    judged by their own names), and URL secrets."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _config_secrets(item, is_secret_setting(table, str(name), item), name)
    elif isinstance(value, list):
        for item in value:
            yield from _config_secrets(item, secret)
    elif secret:
        yield str(value)
    elif isinstance(value, str) and "://" in value:
        yield from url_secrets(value)


def _key_env_names(config_data: Mapping[str, Any]) -> Iterator[str]:
    """The variables profiles take keys from: the providers' defaults and any named."""
    yield from DEFAULT_KEY_ENV.values()
    profiles = config_data.get("profiles")
    for profile in profiles.values() if isinstance(profiles, dict) else ():
        name = profile.get("api_key_env") if isinstance(profile, dict) else None
        if isinstance(name, str):
            yield name


def known_secrets(
    config_data: Mapping[str, Any], env: Mapping[str, str], extra: Iterable[str] = ()
) -> tuple[str, ...]:
    """Every secret value the config (decoded TOML), the environment and `extra` (an
    endpoint's `secret_values()`) hold, each at least `MIN_SECRET_CHARS` long."""
    found = [*extra, *_config_secrets(config_data)]
    found += (env.get(name, "") for name in _key_env_names(config_data))
    found += (value for name, value in env.items() if is_secret_name(name))
    values = (value.strip() for value in found)
    return tuple(dict.fromkeys(v for v in values if len(v) >= MIN_SECRET_CHARS))
