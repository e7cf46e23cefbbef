"""Deciding where to connect from config, environment and flags."""

from __future__ import annotations

import pytest

from rt_tui.config import ENV_AZURE_PROFILE, ENV_OPENAI_PROFILE, Config, Profile, Provider
from rt_tui.dialect import Dialect
from rt_tui.targets import (
    NOTHING_CONFIGURED,
    LaunchError,
    Target,
    TargetKind,
    resolve_target,
    target_endpoint,
)

KEY = "sk-launch-Secret1234567890"


def two_profiles(active: str | None = "b") -> Config:
    return Config(
        active_profile=active,
        profiles={
            "a": Profile(model="model-a"),
            "b": Profile(provider=Provider.AZURE, endpoint="res", model="dep-b"),
        },
    )


ENV = {"OPENAI_API_KEY": KEY, "AZURE_OPENAI_API_KEY": "az"}


def test_demo_wins_over_everything() -> None:
    target = resolve_target(two_profiles(), ENV, profile="a", url=None, demo=True)
    assert target.kind is TargetKind.DEMO
    assert target.ok
    assert target.endpoint is None
    assert target.dialect is Dialect.GA
    assert target.model == "gpt-realtime"


def test_url_flag() -> None:
    target = resolve_target(
        Config(), {}, profile=None, url="ws://127.0.0.1:1/v1/realtime?model=x", demo=False
    )
    assert target.kind is TargetKind.URL
    assert target.endpoint is not None
    assert dict(target.endpoint.headers) == {}
    assert target.model == "x"


def test_url_flag_uses_the_matching_key_from_env() -> None:
    openai = resolve_target(Config(), ENV, profile=None, url="wss://h/v1/realtime", demo=False)
    assert openai.endpoint is not None
    assert openai.endpoint.headers == {"Authorization": f"Bearer {KEY}"}
    azure_url = "wss://r.openai.azure.com/openai/realtime?api-version=v&deployment=d"
    azure = resolve_target(Config(), ENV, profile=None, url=azure_url, demo=False)
    assert azure.endpoint is not None
    assert azure.endpoint.headers == {"api-key": "az"}
    assert azure.dialect is Dialect.BETA
    assert azure.model == "d"


def test_bad_url_is_a_problem_not_an_exception() -> None:
    target = resolve_target(Config(), {}, profile=None, url="ftp://x", demo=False)
    assert not target.ok
    assert target.problem is not None
    assert target.problem.endswith("is not a ws://, wss://, http:// or https:// URL with a host.")


def test_named_profile() -> None:
    target = resolve_target(two_profiles(), ENV, profile="a", url=None, demo=False)
    assert (target.kind, target.profile_name, target.model) == (TargetKind.PROFILE, "a", "model-a")
    assert target.endpoint is not None
    assert target.endpoint.url == "wss://api.openai.com/v1/realtime?model=model-a"
    assert target.description == "profile 'a' (api.openai.com)"


def test_unknown_profile_lists_the_known_ones() -> None:
    target = resolve_target(two_profiles(), ENV, profile="zzz", url=None, demo=False)
    assert target.problem == "There is no profile named 'zzz' (known profiles: a, b)."


def test_active_profile_then_first_profile() -> None:
    active = resolve_target(two_profiles("b"), ENV, profile=None, url=None, demo=False)
    assert active.profile_name == "b"
    assert active.endpoint is not None
    assert active.endpoint.url == "wss://res.openai.azure.com/openai/v1/realtime?model=dep-b"
    first = resolve_target(two_profiles(None), ENV, profile=None, url=None, demo=False)
    assert first.profile_name == "a"


def test_dangling_active_profile_is_a_problem() -> None:
    target = resolve_target(two_profiles("gone"), ENV, profile=None, url=None, demo=False)
    assert target.problem == "The active profile 'gone' does not exist (known profiles: a, b)."


def test_missing_key_is_a_problem_naming_the_profile_and_variable() -> None:
    target = resolve_target(two_profiles(), {}, profile=None, url=None, demo=False)
    assert target.problem == (
        "Profile 'b': No API key found: set the environment variable AZURE_OPENAI_API_KEY "
        "or store a key in the profile."
    )
    assert target.profile_name == "b"


def test_implicit_env_profiles() -> None:
    openai = resolve_target(Config(), {"OPENAI_API_KEY": KEY}, profile=None, url=None, demo=False)
    assert (openai.kind, openai.profile_name) == (TargetKind.ENV, ENV_OPENAI_PROFILE)
    env = {"AZURE_OPENAI_ENDPOINT": "res", "AZURE_OPENAI_API_KEY": "k", "OPENAI_API_KEY": KEY}
    azure = resolve_target(Config(), env, profile=None, url=None, demo=False)
    assert (azure.kind, azure.profile_name) == (TargetKind.ENV, ENV_AZURE_PROFILE)


def test_nothing_configured() -> None:
    target = resolve_target(Config(), {}, profile=None, url=None, demo=False)
    assert target.kind is TargetKind.NONE
    assert target.problem == NOTHING_CONFIGURED
    assert target.description == "nothing configured"


def test_the_key_never_shows_in_a_target() -> None:
    target = resolve_target(two_profiles(), ENV, profile="a", url=None, demo=False)
    assert KEY not in repr(target)
    assert KEY not in target.description


async def test_target_endpoint_passes_a_resolved_endpoint_through() -> None:
    target = resolve_target(two_profiles(), ENV, profile="a", url=None, demo=False)
    async with target_endpoint(target) as endpoint:
        assert endpoint is target.endpoint


async def test_target_endpoint_refuses_a_problem() -> None:
    with pytest.raises(LaunchError, match=r"^Nothing is configured yet"):
        async with target_endpoint(Target(TargetKind.NONE, problem=NOTHING_CONFIGURED)):
            pass  # pragma: no cover - never entered


async def test_target_endpoint_runs_the_demo_mock() -> None:
    pytest.importorskip("rt_tui.mock.server")
    import websockets.asyncio.client

    async with target_endpoint(Target(TargetKind.DEMO)) as endpoint:
        assert endpoint.is_loopback
        async with websockets.asyncio.client.connect(endpoint.url) as ws:
            first = await ws.recv()
    assert '"session.created"' in str(first)


def test_a_transcription_session_asks_for_the_intent() -> None:
    config = two_profiles(active="a")
    config.session.type = "transcription"
    target = resolve_target(config, ENV, profile=None, url=None, demo=False)
    assert target.transcription
    assert target.endpoint is not None
    assert target.endpoint.url == "wss://api.openai.com/v1/realtime?intent=transcription"


async def test_the_demo_of_a_transcription_session_opens_one() -> None:
    config = Config()
    config.session.type = "transcription"
    target = resolve_target(config, ENV, profile=None, url=None, demo=True)
    async with target_endpoint(target) as endpoint:
        assert endpoint.url.endswith("/v1/realtime?intent=transcription")
