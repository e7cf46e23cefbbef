"""The main screen's keys, in the order the footer shows them.

The live session's keys come first, then the views (latency, session config, cost),
finding things, the event composer, live voice (`rt_tui.tui.voice_keys`) and, in a paced
replay, the replay's (`REPLAY_BINDINGS`, for `rt_tui.tui.replay`, which is loaded only
for a replay; the footer then puts them first). The actions are the main screen's
(`rt_tui.tui.screens.main`); the config's `[ui.keymap]` rebinds them by their ids.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from rt_tui.tui.alt_keys import alt_letter_binding
from rt_tui.tui.voice_keys import VOICE_BINDINGS

REPLAY_BINDINGS: list[BindingType] = [
    Binding(
        "f6",
        "replay_pause",
        "Pause",
        tooltip="Pause or resume the replay",
        id="main.replay_pause",
    ),
    Binding(
        "f7",
        "replay_step('frame')",
        "Step",
        tooltip="Paused: show the next frame",
        id="main.replay_step_frame",
    ),
    Binding(
        "f9",
        "replay_step('response')",
        "Step response",
        tooltip="Paused: show the frames through the next response.done",
        id="main.replay_step_response",
    ),
    Binding(
        "f10",
        "replay_speed",
        "Speed",
        tooltip="Replay at the next speed: 1x, 10x, at once",
        id="main.replay_speed",
    ),
]
"""The main screen's keys for a replay at a speed (`rt-tui replay LOG --speed 1`), when
the composer is off; the footer shows them first."""

MAIN_BINDINGS: list[BindingType] = [
    Binding(
        "escape",
        "cancel_response",
        "Cancel",
        tooltip="Cancel the running response (response.cancel), or stop reconnecting",
        id="main.cancel_response",
    ),
    Binding(
        "f2,ctrl+s",
        "settings",
        "Settings",
        tooltip="Profiles, connection and session settings",
        id="main.settings",
    ),
    Binding(
        "f3",
        "toggle_inspector",
        "Inspector",
        tooltip="Show or hide the event inspector",
        id="main.toggle_inspector",
    ),
    Binding(
        "f4",
        "toggle_details",
        "Details",
        tooltip="Show or hide usage and latency under each response",
        id="main.toggle_details",
    ),
    Binding(
        "ctrl+r",
        "reconnect",
        "Reconnect",
        tooltip="Open a new session now and re-send the conversation so far",
        id="main.reconnect",
    ),
    Binding(
        "ctrl+l",
        "latency",
        "Latency",
        tooltip="Where each response's time went: a sortable table, its waterfall, and "
        "the session's p50/p95",
        id="main.latency",
    ),
    Binding(
        "ctrl+o",
        "session_diff",
        "Session config",
        tooltip="What each session.update asked for against what the session got "
        "(clamped, rewritten, ignored, defaulted); two profiles side by side",
        id="main.session_diff",
    ),
    alt_letter_binding(
        "alt+c",
        "cost",
        "Cost",
        tooltip="What this session cost: tokens and cost per response, budget, rate limits",
        id="main.cost",
    ),
    Binding(
        "ctrl+f",
        "find",
        "Find",
        tooltip="Find text in the conversation (in the inspector, ctrl+f filters)",
        id="main.find",
    ),
    Binding(
        "ctrl+g",
        "jump",
        "Item ⇄ frames",
        tooltip="From the selected conversation item to its frames in the inspector, "
        "and from the selected frame back to its item",
        id="main.jump",
    ),
    alt_letter_binding(
        "alt+e",
        "export_conversation",
        "Export conversation",
        tooltip="Write the conversation as Markdown to a file you choose",
        id="main.export_conversation",
    ),
    Binding(
        "ctrl+n",
        "fresh_session",
        "Fresh session",
        tooltip="Open a fresh session before the time limit, the conversation re-sent",
        show=False,
        id="main.fresh_session",
    ),
    Binding(
        "f8",  # Not ctrl+b: that is tmux's prefix, and this app lives in tmux over SSH.
        "bundle",
        "Bundle",
        tooltip="Write a bug-report zip of this session: log, conversation, audio, "
        "config without secrets, versions",
        show=False,
        id="main.bundle",
    ),
    Binding(
        "f5",
        "compose_event",
        "Compose event",
        tooltip="Write any client event from a template, a snippet or one sent before; "
        "checked, then sent exactly as written",
        show=False,
        id="main.compose_event",
    ),
    *VOICE_BINDINGS,
    *REPLAY_BINDINGS,
]
