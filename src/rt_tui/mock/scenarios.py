"""Named ways for the mock to misbehave as the service does, to rehearse failures.

`rt-tui mock-server --scenario NAME`, `rt-tui --demo --scenario NAME` and
`rt-tui send --demo --scenario NAME` pick one; `NAME:N` sets the one number a scenario
takes (deltas, seconds, milliseconds or responses), e.g. `session-limit:30`; without it
the scenario's default applies. `choose(text)` reads that syntax.

Each row of `SCENARIOS` is a name, a one-line summary and the `Hooks` it sets on the mock
(`MockServer(hooks=...)`); the mock's own modules do what the hooks say. Faults in the
middle of an answer strike once in the server's life, then it serves normally ("drop
once, then serve"), so a client's reconnect can be rehearsed against the same server;
refusals (`refused-key`, `http-*`) and limits last until the server is restarted.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from rt_tui.mock.errors import MockError

SERVER_ERROR_MESSAGE = "The server had an error while processing your request."


@dataclass(frozen=True, slots=True)
class Cut:
    """How an answer is cut off once `after_deltas` of its deltas have gone out (0: right
    after `response.created`)."""

    after_deltas: int
    close_code: int | None
    """The close frame's code; None sends none and resets the socket (the client sees 1006)."""
    close_reason: str = ""
    error: MockError | None = None
    """An `error` event sent just before the close."""


@dataclass(frozen=True, slots=True)
class Hooks:
    """What a scenario changes in the mock; the defaults change nothing."""

    handshake_status: int | None = None
    """Refuse every handshake with this HTTP status and the service's JSON body for it."""
    refuse_every_key: bool = False
    """Take every key, and no key, as wrong: `invalid_api_key` and CLOSE 3000 on the OpenAI
    path, HTTP 401 on Azure paths (as `MockServer.reject_keys` does for listed keys)."""
    echo_handshake: bool = False
    """After `session.created`, an `error` quoting the handshake's URL and headers exactly as
    received, keys included; then the session goes on."""
    cut: Cut | None = None
    """Cut off the first answer of the server's life that gets that far; later ones are served."""
    max_session_s: float | None = None
    """The session limit instead of the service's 60 minutes."""
    delta_delay: float | None = None
    """Seconds between streamed deltas."""
    first_delta_s: float | None = None
    """Seconds from `response.created` to a response's first delta."""
    request_limit: int | None = None
    """Responses the server allows in its life: `rate_limits.updated` counts them down, and
    a `response.create` after the last gets `rate_limit_exceeded`."""


@dataclass(frozen=True, slots=True)
class Number:
    """The N of `NAME:N`."""

    unit: str
    """What N counts, in the plural: 'deltas', 'seconds'."""
    default: float
    whole: bool = True
    """A count (0 and up) rather than a duration (above 0, fractions allowed)."""


@dataclass(frozen=True, slots=True)
class Scenario:
    """One named misbehaviour: `summary` (with `{n}` for the number) and the hooks it sets."""

    name: str
    summary: str
    hooks: Callable[[float], Hooks]
    number: Number | None = None
    """None when the scenario takes no number."""


def _cut(
    code: int | None, reason: str = "", error: MockError | None = None
) -> Callable[[float], Hooks]:
    return lambda n: Hooks(cut=Cut(int(n), code, reason, error))


_DELTAS = Number("deltas", 3)

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "refused-key",
        "every key is wrong: error invalid_api_key, then CLOSE 3000 (HTTP 401 on Azure paths)",
        lambda _: Hooks(refuse_every_key=True),
    ),
    Scenario(
        "http-401",
        "the handshake is refused with HTTP 401 and the service's error body",
        lambda _: Hooks(handshake_status=401),
    ),
    Scenario(
        "http-404",
        "the handshake is refused with HTTP 404: no such model or deployment",
        lambda _: Hooks(handshake_status=404),
    ),
    Scenario(
        "http-429",
        "the handshake is refused with HTTP 429 rate_limit_exceeded (Retry-After: 60)",
        lambda _: Hooks(handshake_status=429),
    ),
    Scenario(
        "drop-mid-answer",
        "the first answer stops after {n} deltas with CLOSE 1012 (service restart); "
        "later answers are served",
        _cut(1012, "service restart"),
        _DELTAS,
    ),
    Scenario(
        "reset-mid-answer",
        "the first answer stops after {n} deltas without a close frame (the client sees "
        "1006); later answers are served",
        _cut(None),
        _DELTAS,
    ),
    Scenario(
        "server-error",
        "the first answer stops after {n} deltas with error server_error, then CLOSE 1011; "
        "later answers are served",
        _cut(
            1011,
            "server_error.server_error",
            MockError("server_error", SERVER_ERROR_MESSAGE, error_type="server_error"),
        ),
        _DELTAS,
    ),
    Scenario(
        "session-limit",
        "every session ends after {n} seconds: error session_expired, then CLOSE 1001",
        lambda n: Hooks(max_session_s=n),
        Number("seconds", 30, whole=False),
    ),
    Scenario(
        "slow-stream",
        "deltas trickle, one every {n} ms",
        lambda n: Hooks(delta_delay=n / 1000),
        Number("ms", 300, whole=False),
    ),
    Scenario(
        "slow-start",
        "every response waits {n} ms after response.created before its first delta, as a "
        "loaded service does",
        lambda n: Hooks(first_delta_s=n / 1000),
        Number("ms", 1500, whole=False),
    ),
    Scenario(
        "rate-limit",
        "{n} responses allowed: rate_limits.updated counts requests down to 0, then "
        "response.create gets error rate_limit_exceeded",
        lambda n: Hooks(request_limit=int(n)),
        Number("responses", 3),
    ),
    Scenario(
        "echo-handshake",
        "an error event quotes the handshake's URL and headers, keys included, as received; "
        "then the session goes on",
        lambda _: Hooks(echo_handshake=True),
    ),
)

_BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}


class ScenarioError(ValueError):
    """A scenario that cannot be used; `str(e)` is one sentence."""


@dataclass(frozen=True, slots=True)
class ScenarioChoice:
    """A scenario with its number decided."""

    scenario: Scenario
    n: float | None = None
    """The number; None for a scenario that takes none."""

    @property
    def hooks(self) -> Hooks:
        return self.scenario.hooks(self.n if self.n is not None else 0)

    @property
    def label(self) -> str:
        """`name` or `name:N`, as it would be typed."""
        return self.scenario.name if self.n is None else f"{self.scenario.name}:{self.n:g}"

    @property
    def summary(self) -> str:
        """The one-line summary with the number filled in."""
        return self.scenario.summary.format(n=f"{self.n:g}" if self.n is not None else "N")


def names() -> list[str]:
    return [scenario.name for scenario in SCENARIOS]


def listing() -> list[str]:
    """One line per scenario, for `--scenario list`."""
    rows: list[tuple[str, str]] = []
    for scenario in SCENARIOS:
        number = scenario.number
        if number is None:
            rows.append((scenario.name, scenario.summary))
            continue
        summary = scenario.summary.format(n="N")
        rows.append(
            (f"{scenario.name}[:N]", f"{summary} (default {number.default:g} {number.unit})")
        )
    width = max(len(name) for name, _ in rows)
    return [f"{name:<{width}}  {summary}" for name, summary in rows]


def choose(text: str) -> ScenarioChoice:
    """The scenario `NAME` or `NAME:N` names; ScenarioError says what is wrong with it."""
    name, colon, given = text.strip().partition(":")
    scenario = _BY_NAME.get(name)
    if scenario is None:
        raise ScenarioError(
            f"there is no mock scenario '{name}'; the scenarios are {', '.join(names())}."
        )
    number = scenario.number
    if number is None:
        if colon:
            raise ScenarioError(f"the scenario '{name}' takes no number; leave out ':{given}'.")
        return ScenarioChoice(scenario)
    if not colon:
        return ScenarioChoice(scenario, number.default)
    return ScenarioChoice(scenario, _number(scenario.name, number, given))


def _number(name: str, number: Number, given: str) -> float:
    example = f"e.g. '{name}:{number.default:g}'"
    try:
        value = float(int(given)) if number.whole else float(given)
    except ValueError:
        value = math.nan
    if number.whole and not (value >= 0):
        raise ScenarioError(
            f"the scenario '{name}' takes a whole number of {number.unit} (0 or more) "
            f"after ':', {example}, not '{given}'."
        )
    if not number.whole and not (0 < value < math.inf):
        raise ScenarioError(
            f"the scenario '{name}' takes a number of {number.unit} above 0 after ':', "
            f"{example}, not '{given}'."
        )
    return value
