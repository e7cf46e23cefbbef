"""The checkup, step by step: the profile's own settings, the sign-in, the WebSocket
handshake, then a `session.update` round trip, each step yielded as soon as it is known so
the face can print it. A step that cannot be tried after an earlier failure is yielded
as skipped.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Mapping

from rt_tui.checkup.checks import Check, Status
from rt_tui.checkup.explain import Setup, explain
from rt_tui.checkup.preflight import (
    is_ephemeral_key,
    key_check,
    key_source,
    path_checks,
    route_checks,
)
from rt_tui.config import Auth, Profile, SessionSettings
from rt_tui.realtime.client_events import session_update
from rt_tui.realtime.connection import Connection
from rt_tui.realtime.endpoints import CredentialFactory, Endpoint, EndpointError, resolve
from rt_tui.realtime.entra import ENTRA_SCOPE, default_credential
from rt_tui.realtime.errors import RealtimeError, SignInFailed
from rt_tui.realtime.event_registry import ServerEvent
from rt_tui.realtime.handshake import signed_headers, where
from rt_tui.realtime.session_events import ErrorEvent

#: What a profile without a key is resolved with, to check its URL all the same.
_PLACEHOLDER_KEY = "placeholder-key"


def _skipped(why: str) -> list[Check]:
    return [Check("handshake", Status.SKIPPED, why), Check("session", Status.SKIPPED, why)]


def _ms(since: float, clock: Callable[[], float]) -> str:
    return f"{(clock() - since) * 1000:.0f} ms"


async def checkup(
    profile: Profile,
    settings: SessionSettings,
    env: Mapping[str, str],
    *,
    credential: CredentialFactory = default_credential,
    connect_timeout: float = 10.0,
    reply_timeout: float = 10.0,
    clock: Callable[[], float] = time.monotonic,
) -> AsyncIterator[Check]:
    """Check `profile`; `settings` are what the `session.update` carries."""
    signed_in = True
    if profile.auth is Auth.KEY:
        check = key_check(profile, env)
        signed_in = not check.failed
        yield check
    lookup_env = env if signed_in else {**env, profile.key_env_name: _PLACEHOLDER_KEY}
    try:
        endpoint = resolve(profile, lookup_env, credential=credential)
    except EndpointError as error:
        yield Check("URL", Status.FAIL, str(error))
        for check in _skipped("not tried: the profile gives no usable URL."):
            yield check
        return
    for check in [*path_checks(profile, endpoint), *route_checks(endpoint)]:
        yield check
    if endpoint.key_withheld:
        yield Check(
            "key",
            Status.WARN,
            "withheld: rt-tui never sends a key over unencrypted ws:// to another host.",
        )
    if endpoint.tokens is not None:
        try:
            await endpoint.tokens.token()
        except SignInFailed as error:
            signed_in = False
            yield Check("Entra ID", Status.FAIL, str(error))
        else:
            minutes = max(0, int((endpoint.tokens.expires_on - time.time()) // 60))
            yield Check(
                "Entra ID",
                Status.OK,
                f"a token for {ENTRA_SCOPE}, valid for {minutes} more minutes.",
            )
    if signed_in and endpoint.client_secrets is not None:
        check = await _minting(endpoint, connect_timeout, clock)
        signed_in = not check.failed
        yield check
    if not signed_in:
        for check in _skipped("not tried: there is nothing to sign in with."):
            yield check
        return
    ephemeral = profile.ephemeral or is_ephemeral_key(profile, env)
    setup = Setup(profile, endpoint, key_source(profile, env), ephemeral)
    async for check in _connect(setup, settings, connect_timeout, reply_timeout, clock):
        yield check


async def _minting(endpoint: Endpoint, wait_s: float, clock: Callable[[], float]) -> Check:
    """Mint a client secret as a socket would (`ephemeral`), and say how it went."""
    started = clock()
    try:
        await signed_headers(endpoint, wait_s)
    except SignInFailed as error:
        return Check("secret", Status.FAIL, str(error))
    return Check(
        "secret",
        Status.OK,
        f"minted a client secret with the key in {_ms(started, clock)}; "
        "the socket carries it, never the key.",
    )


async def _connect(
    setup: Setup,
    settings: SessionSettings,
    connect_timeout: float,
    reply_timeout: float,
    clock: Callable[[], float],
) -> AsyncIterator[Check]:
    """The handshake, then the session: `session.created`, `session.update` → `updated`."""
    endpoint = setup.endpoint
    connection = Connection(endpoint, connect_timeout=connect_timeout, ping_interval=None)
    started = clock()
    try:
        await connection.open()
    except RealtimeError as error:
        yield Check("handshake", Status.FAIL, explain(error, setup))
        yield Check("session", Status.SKIPPED, "not tried: the handshake failed.")
        return
    yield Check(
        "handshake", Status.OK, f"HTTP 101 from {where(endpoint)} in {_ms(started, clock)}."
    )
    try:
        async with asyncio.timeout(reply_timeout):
            async for check in _session(connection, setup, settings, clock):
                yield check
    except TimeoutError:
        yield Check(
            "session", Status.FAIL, f"the server did not answer within {reply_timeout:g} s."
        )
    except RealtimeError as error:
        yield Check("session", Status.FAIL, explain(error, setup))
    finally:
        await connection.close()


async def _session(
    connection: Connection, setup: Setup, settings: SessionSettings, clock: Callable[[], float]
) -> AsyncIterator[Check]:
    sent_at: float | None = None
    update_id = "evt_rt_doctor_session_update"
    async for frame in connection:
        event = frame.event
        if event is None:
            continue
        if isinstance(event, ErrorEvent):
            said = event.error.one_line().rstrip(".")
            if event.error.event_id == update_id:  # the service names the event at fault
                yield Check("session", Status.FAIL, f"session.update was refused: {said}.")
                return
            if sent_at is not None:
                yield Check("session", Status.WARN, f"the server sent an error: {said}.")
            # Before session.created, an error explains the close that follows.
            continue
        if sent_at is None and _is(event, "session.created"):
            sent_at = clock()
            update = session_update(settings, setup.endpoint.dialect)
            connection.send({**update, "event_id": update_id})
        elif sent_at is not None and _is(event, "session.updated"):
            yield Check(
                "session",
                Status.OK,
                f"session.created, then session.update → session.updated in {_ms(sent_at, clock)}.",
            )
            return
    what = "session.created" if sent_at is None else "session.updated"
    yield Check("session", Status.FAIL, f"the server closed the session before {what}.")


def _is(event: ServerEvent, kind: str) -> bool:
    return event.kind == kind
