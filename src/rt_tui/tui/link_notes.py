"""What the app says about a session being lost, resumed, refused or near its limit.

Pure wording, kept apart from the screen so it can be tested without an app.
"""

from __future__ import annotations

from rt_tui.realtime.errors import HandshakeRejected, ServerClosed
from rt_tui.realtime.socket_mark import DROPPED, FRESH, RECONNECT, SocketMark

KEY_HINT = "Check the key: F2 opens the settings (the profile's key or its environment variable)."
ENDPOINT_HINT = "Check the endpoint and the model or deployment name: F2 opens the settings."
REQUEST_HINT = "Check the session settings: F2 opens the settings."


def fix_hint(error: BaseException | None) -> str | None:
    """The setting to fix after a refusal that no retry gets past; None for other errors."""
    if isinstance(error, HandshakeRejected):
        if error.status in (401, 403):
            return KEY_HINT
        if error.status == 404:
            return ENDPOINT_HINT
    if isinstance(error, ServerClosed):
        if error.code == 3000:
            return KEY_HINT
        if error.code == 4000:
            return REQUEST_HINT
    return None


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def lost_text(reason: str, attempt: int = 0, tries: int = 0) -> str:
    """The conversation's line while a lost session is being opened again."""
    trying = f", try {attempt} of {tries}" if attempt else ""
    return f"{reason} Reconnecting{trying} (Esc stops)…"


def socket_note(mark: SocketMark) -> str:
    """The conversation's record of a new socket taking the session over: the line the
    loss started ends as it, live, and a replay of the log shows the same."""
    if mark.cause == DROPPED:
        opening = f"{mark.reason} Reconnected after {mark.gap_ms / 1000:.1f} s".lstrip()
    elif mark.cause == FRESH:
        opening = "Fresh session"
    elif mark.cause == RECONNECT:
        opening = "Reconnected"
    else:
        return "A new socket took the session over here."
    text = f"{opening}; re-sent {plural(len(mark.reseeded), 'earlier turn')}"
    if mark.queued:
        text += f" and {plural(mark.queued, 'queued event')} typed while it was down"
    return text + "."


def limit_warning(seconds_left: float) -> str:
    """The notification when the session nears the service's time limit."""
    minutes = max(1, round(seconds_left / 60))
    return (
        f"This session ends in about {plural(minutes, 'minute')} (the service's limit): "
        "ctrl+n opens a fresh one with the conversation re-sent."
    )
