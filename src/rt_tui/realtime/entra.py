"""Microsoft Entra ID tokens for Azure OpenAI (`auth = "entra"` in a profile).

The token comes from azure-identity's `DefaultAzureCredential` (the `azure` extra: az
login, environment variables, a managed identity…) for the Cognitive Services scope, and
travels as `Authorization: Bearer`. Each socket asks `EntraTokens.token()` as it opens, so
a reconnect an hour later gets a fresh token instead of an expired one; between sockets
the token is kept until `REFRESH_MARGIN_S` before it expires.

azure-identity is imported only when a token is first needed: without the extra, the
sign-in fails with one sentence naming it. Tests hand `EntraTokens` their own credential.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from typing import Final, Protocol

from rt_tui.realtime.errors import SignInFailed, one_line, scrub

ENTRA_SCOPE: Final = "https://cognitiveservices.azure.com/.default"
#: A token is replaced this long before it expires (a socket may take a while to open).
REFRESH_MARGIN_S: Final = 300.0
AZURE_EXTRA_MISSING: Final = (
    "Signing in with Microsoft Entra ID needs the 'azure' extra: pip install 'rt-tui[azure]'."
)
NO_CREDENTIAL: Final = (
    "No Microsoft Entra ID credential is available here: sign in with 'az login', set "
    "AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or run with a managed identity."
)
#: Tokens remembered for redaction (a long session refreshes a few times an hour).
_ISSUED_KEPT: Final = 16


class AccessToken(Protocol):
    """What azure-identity's `get_token` returns (`azure.core.credentials.AccessToken`)."""

    @property
    def token(self) -> str: ...

    @property
    def expires_on(self) -> int: ...


class Credential(Protocol):
    """An azure-identity credential: anything with a synchronous `get_token(*scopes)`."""

    def get_token(self, *scopes: str) -> AccessToken: ...


def default_credential() -> Credential:
    """azure-identity's `DefaultAzureCredential`; SignInFailed without the `azure` extra."""
    try:
        from azure.identity import DefaultAzureCredential
    except ImportError:
        raise SignInFailed(AZURE_EXTRA_MISSING) from None
    credential: Credential = DefaultAzureCredential()
    return credential


def _failure(exc: Exception) -> SignInFailed:
    """One sentence for a credential's failure. azure-identity's messages run to a page
    (every credential it tried, a troubleshooting link): the kind is told apart by name."""
    # DefaultAzureCredential says this when every credential it tries is unavailable.
    unavailable = "failed to retrieve a token from the included credentials" in str(exc)
    if unavailable or type(exc).__name__ == "CredentialUnavailableError":
        return SignInFailed(NO_CREDENTIAL)
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    detail = one_line(scrub(first), 160).rstrip(".")
    return SignInFailed(f"Microsoft Entra ID sign-in failed: {detail}.", retryable=True)


class EntraTokens:
    """Bearer tokens for one profile, each fetched when the one before nears its expiry."""

    def __init__(
        self,
        credential: Callable[[], Credential] = default_credential,
        *,
        clock: Callable[[], float] = time.time,
        margin_s: float = REFRESH_MARGIN_S,
    ) -> None:
        """`credential` makes the credential when the first token is needed."""
        self._make_credential = credential
        self._credential: Credential | None = None
        self._clock = clock
        self._margin_s = margin_s
        self._token: str | None = None
        self.expires_on = 0.0
        """When the current token expires (seconds since the epoch); 0 before the first."""
        self.issued: deque[str] = deque(maxlen=_ISSUED_KEPT)
        """The tokens handed out, newest last: secrets to scrub from anything shown."""
        self._lock: asyncio.Lock | None = None

    def __repr__(self) -> str:
        return f"EntraTokens(expires_on={self.expires_on:.0f})"

    def _fresh(self) -> str | None:
        if self._token is not None and self.expires_on - self._clock() > self._margin_s:
            return self._token
        return None

    async def token(self) -> str:
        """A token valid for at least `margin_s` more. Raises SignInFailed (one sentence)."""
        token = self._fresh()
        if token is not None:
            return token
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:  # two sockets opening at once ask the credential once
            token = self._fresh()
            if token is not None:
                return token
            if self._credential is None:
                self._credential = self._make_credential()
            # get_token may run `az` or call the network: off the event loop.
            try:
                access = await asyncio.to_thread(self._credential.get_token, ENTRA_SCOPE)
            except Exception as exc:
                raise _failure(exc) from None
            self._token, self.expires_on = access.token, float(access.expires_on)
            self.issued.append(access.token)
            return access.token
