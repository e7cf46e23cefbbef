"""Two profiles of the config side by side: where each connects and what it would send.

Each profile is shown as the connection sees it: provider, endpoint, model or deployment,
the URL it resolves to (redacted) and its dialect, where its key comes from (never the
key), TLS verification; then the `session.update` it would send first. The session
settings are the config's one `[session]`, but the dialects write them differently
(`voice` or `audio.output.voice`), so two profiles of different dialects send different
fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rt_tui.config import Config, Profile, Provider
from rt_tui.dialect import Dialect
from rt_tui.realtime import client_events
from rt_tui.realtime.endpoints import EndpointError, resolve
from rt_tui.session_diff.fields import MISSING, flatten, shown

__all__ = ["ProfileRow", "diff_profiles"]


@dataclass(frozen=True, slots=True)
class ProfileRow:
    """One field of two profiles."""

    field: str
    a: str
    b: str

    @property
    def same(self) -> bool:
        return self.a == self.b


def _key_source(profile: Profile, env: Mapping[str, str]) -> str:
    """Where the profile's key comes from, never the key itself."""
    if profile.api_key is not None and profile.api_key.get_secret_value().strip():
        return "written in the config file"
    name = profile.key_env_name
    return f"${name} ({'set' if env.get(name, '').strip() else 'not set'})"


def _connection(profile: Profile, env: Mapping[str, str]) -> dict[str, str]:
    """The profile's fields as the connection uses them."""
    fields = {
        "provider": profile.provider.value,
        "endpoint": profile.endpoint or "(the provider's default)",
        "model": profile.model,
    }
    if profile.provider is Provider.AZURE_PREVIEW:
        fields["api_version"] = profile.api_version
    # Where it connects, whether or not its key is set (the key row says that): a
    # stand-in key lets the URL be worked out; only the redacted URL is kept.
    name = profile.key_env_name
    probe = {**env, name: env.get(name, "").strip() or "unset"}
    try:
        endpoint = resolve(profile, probe)
    except EndpointError as error:
        fields["url"] = f"does not connect: {error}"
        fields["dialect"] = (profile.dialect or Dialect.GA).value
    else:
        fields["url"] = endpoint.display_url
        fields["dialect"] = endpoint.dialect.value
    fields["key"] = _key_source(profile, env)
    fields["verify_tls"] = "yes" if profile.verify_tls else "no (turned off)"
    return fields


def _session_fields(config: Config, dialect: str) -> dict[str, str]:
    update = client_events.session_update(config.session, Dialect(dialect))
    return {f"session.{path}": shown(value) for path, value in flatten(update["session"]).items()}


def diff_profiles(config: Config, a: str, b: str, env: Mapping[str, str]) -> list[ProfileRow]:
    """Every field of profiles `a` and `b` (names in `config.profiles`), the connection's
    first, then the session.update each would send; '—' where one has no such field."""
    sides = []
    for name in (a, b):
        connection = _connection(config.profiles[name], env)
        sides.append(connection | _session_fields(config, connection["dialect"]))
    paths = list(dict.fromkeys([*sides[0], *sides[1]]))
    missing = shown(MISSING)
    return [
        ProfileRow(path, sides[0].get(path, missing), sides[1].get(path, missing)) for path in paths
    ]
