"""Where to connect, decided once from config + environment + command-line flags.

Both `rt-tui send` and the TUI call `resolve_target`; the order is:
`--demo` (the in-process mock), `--url`, `--profile NAME`, the config's active profile
(or its first profile), an implicit profile made from environment variables, and otherwise
"nothing configured" — a Target whose `problem` says what to fill in.

The demo's mock misbehaves as the `scenario` it is given says, if any
(`rt_tui.mock.scenarios`; `--scenario` picks it); other targets take none.

`--ephemeral` makes any target's socket carry a client secret minted before each connect
instead of the key (as a profile's `ephemeral = true` does); the demo's mock then mints
them and takes nothing else.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from rt_tui.config import (
    ENV_AZURE_PROFILE,
    ENV_OPENAI_PROFILE,
    Config,
    Profile,
    Provider,
    overlay_env,
)
from rt_tui.dialect import Dialect
from rt_tui.realtime.endpoints import (
    Endpoint,
    EndpointError,
    endpoint_for_url,
    for_transcription,
    model_in_url,
    resolve,
    with_client_secrets,
)

if TYPE_CHECKING:
    from rt_tui.mock.scenarios import ScenarioChoice

DEMO_MODEL = "gpt-realtime"
#: The standard key the demo mints client secrets with (`--demo --ephemeral`).
DEMO_KEY = "demo-standard-key"

NOTHING_CONFIGURED = (
    "Nothing is configured yet: set OPENAI_API_KEY (or AZURE_OPENAI_ENDPOINT and "
    "AZURE_OPENAI_API_KEY), add a profile in the settings, or use --url or --demo."
)


class TargetKind(StrEnum):
    DEMO = "demo"
    """The built-in mock server, started in-process (endpoint known only once it runs)."""
    URL = "url"
    PROFILE = "profile"
    """A profile from the config file."""
    ENV = "env"
    """A profile made up from environment variables."""
    NONE = "none"
    """Nothing usable: see `problem`."""


@dataclass(frozen=True)
class Target:
    """The decision: an endpoint to open, the demo, or a problem sentence."""

    kind: TargetKind
    endpoint: Endpoint | None = None
    """None for the demo (the mock picks its port when it starts) and for problems."""
    profile_name: str | None = None
    profile: Profile | None = None
    problem: str | None = None
    """One sentence saying what is missing or wrong; None when the target is usable."""
    scenario: ScenarioChoice | None = None
    """For the demo: how its mock misbehaves (None: it behaves)."""
    transcription: bool = False
    """Open a transcription session (`[session] type`, `--transcribe`): the endpoint
    gets `intent=transcription` (`endpoints.for_transcription`)."""
    ephemeral: bool = False
    """For the demo: mint a client secret for each socket (`--ephemeral`); the mock then
    accepts nothing else."""

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def dialect(self) -> Dialect:
        return self.endpoint.dialect if self.endpoint is not None else Dialect.GA

    @property
    def model(self) -> str:
        """The model or deployment name (for the status bar); a transcription session's
        model is a session setting, so it is named by what it does."""
        if self.transcription:
            return "transcription"
        if self.kind is TargetKind.DEMO:
            return DEMO_MODEL
        if self.profile is not None and self.profile.provider is not Provider.URL:
            return self.profile.model
        return model_in_url(self.endpoint.url) if self.endpoint is not None else ""

    @property
    def description(self) -> str:
        """A short human label: `demo (mock server)`, `profile 'work' → host`, …"""
        if self.kind is TargetKind.DEMO:
            if self.scenario is not None:
                return f"demo (mock server, scenario {self.scenario.label})"
            return "demo (mock server)"
        host = self.endpoint.host if self.endpoint is not None else "?"
        if self.kind is TargetKind.URL:
            return f"URL {self.endpoint.display_url if self.endpoint else '?'}"
        if self.profile_name is not None:
            return f"profile '{self.profile_name}' ({host})"
        return "nothing configured"


def _from_profile(name: str, profile: Profile, env: Mapping[str, str]) -> Target:
    kind = TargetKind.ENV if name in (ENV_OPENAI_PROFILE, ENV_AZURE_PROFILE) else TargetKind.PROFILE
    try:
        endpoint = resolve(profile, env)
    except EndpointError as exc:
        return Target(kind, None, name, profile, problem=f"Profile '{name}': {exc}")
    return Target(kind, endpoint, name, profile)


def _url_key_name(url: str) -> str:
    # Azure-style paths take the Azure key; anything else the OpenAI one; none → no auth.
    return "AZURE_OPENAI_API_KEY" if "/openai/" in url else "OPENAI_API_KEY"


def _url_key(url: str, env: Mapping[str, str]) -> str | None:
    value = env.get(_url_key_name(url), "").strip()
    return value or None


def resolve_target(
    config: Config,
    env: Mapping[str, str],
    *,
    profile: str | None,
    url: str | None,
    demo: bool,
    scenario: ScenarioChoice | None = None,
    ephemeral: bool = False,
) -> Target:
    """Decide where to connect. Never raises: problems come back as `Target.problem`.
    `config` is the file as loaded; the environment overlay is applied here. `scenario`:
    how the demo's mock misbehaves; `ephemeral`: sockets carry minted client secrets."""
    target = _choose_target(
        config, env, profile=profile, url=url, demo=demo, scenario=scenario, ephemeral=ephemeral
    )
    if not config.session.transcribes_only or target.problem is not None:
        return target
    endpoint = for_transcription(target.endpoint) if target.endpoint is not None else None
    return replace(target, endpoint=endpoint, transcription=True)


def _choose_target(
    config: Config,
    env: Mapping[str, str],
    *,
    profile: str | None,
    url: str | None,
    demo: bool,
    scenario: ScenarioChoice | None,
    ephemeral: bool,
) -> Target:
    if demo:
        return Target(TargetKind.DEMO, scenario=scenario, ephemeral=ephemeral)
    if url:
        key_name = _url_key_name(url)
        try:
            endpoint = endpoint_for_url(url, _url_key(url, env), key_source=key_name)
            if ephemeral:
                endpoint = with_client_secrets(endpoint, f"set {key_name}")
        except EndpointError as exc:
            return Target(TargetKind.URL, problem=str(exc))
        return Target(TargetKind.URL, endpoint)
    effective = overlay_env(config, env)
    if ephemeral:
        minting = {"ephemeral": True}
        profiles = {name: p.model_copy(update=minting) for name, p in effective.profiles.items()}
        effective = effective.model_copy(update={"profiles": profiles})
    if profile is not None:
        chosen = effective.profiles.get(profile)
        if chosen is None:
            known = ", ".join(sorted(effective.profiles)) or "none"
            return Target(
                TargetKind.NONE,
                problem=f"There is no profile named '{profile}' (known profiles: {known}).",
            )
        return _from_profile(profile, chosen, env)
    if not effective.profiles:
        return Target(TargetKind.NONE, problem=NOTHING_CONFIGURED)
    name = effective.active_profile
    if name is None:
        name = next(iter(effective.profiles))
    elif name not in effective.profiles:
        known = ", ".join(sorted(effective.profiles))
        return Target(
            TargetKind.NONE,
            problem=f"The active profile '{name}' does not exist (known profiles: {known}).",
        )
    return _from_profile(name, effective.profiles[name], env)


class LaunchError(Exception):
    """A target that cannot be opened; `str(e)` is one sentence."""


@contextlib.asynccontextmanager
async def target_endpoint(target: Target) -> AsyncIterator[Endpoint]:
    """The endpoint to open for `target`; for the demo, a mock server runs for the duration
    of the block. Raises LaunchError for a target with a problem."""
    if target.problem is not None:
        raise LaunchError(target.problem)
    if target.kind is TargetKind.DEMO:
        # The mock is only loaded for the demo.
        from rt_tui.mock.pacing import REALISTIC
        from rt_tui.mock.server import MockServer

        hooks = target.scenario.hooks if target.scenario is not None else None
        minted = target.ephemeral
        async with MockServer(hooks=hooks, pacing=REALISTIC, require_minted=minted) as server:
            # The demo's standard key: the mock takes any key to mint with.
            endpoint = endpoint_for_url(server.ga_url(DEMO_MODEL), DEMO_KEY if minted else None)
            endpoint = with_client_secrets(endpoint) if minted else endpoint
            yield for_transcription(endpoint) if target.transcription else endpoint
        return
    if target.endpoint is None:
        raise LaunchError("There is no endpoint to connect to.")
    yield target.endpoint
