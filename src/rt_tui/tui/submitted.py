"""What Enter in the composer does: a slash command, a function call's output, or a
message to the model (queued while a lost session is being opened again); in a
transcription session, which takes only speech, a notice that nothing was sent.

The commands are read by `rt_tui.tui.slash_commands`; here they are carried out on the
main screen: `/raw` through its `Session` (as the event composer's events, F5, which `/raw`
alone opens; both kept in the composer's history), `/wav` and `/save-audio` as jobs
(`rt_tui.tui.audio_turns`), the rest as a line in the conversation. Whether anything can
be sent at all is the live session's to say (`LiveSession.refusal`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rt_tui.realtime import client_events
from rt_tui.tui.slash_commands import (
    commands_help,
    is_unknown_command,
    message_text,
    raw_frame_text,
    split_command,
)
from rt_tui.tui.widgets.conversation_views import OUTPUT_COMMAND

if TYPE_CHECKING:
    from rt_tui.tui.screens.main import MainScreen

TRANSCRIPTION_TAKES_SPEECH = (
    "This is a transcription session: it transcribes speech (the microphone, /wav) and never "
    "answers, so nothing was sent (Up brings it back)."
)


def submit_text(screen: MainScreen, text: str) -> None:
    """Carry out what the user submitted in the composer."""
    if _run_slash_command(screen, text):
        return
    refusal = screen.engine.live.refusal()
    if refusal is not None:
        screen.notify(refusal, severity="warning")
        return
    if screen.context.config.session.transcribes_only:
        screen.pane.add_notice(TRANSCRIPTION_TAKES_SPEECH)
        return
    if text.strip() == OUTPUT_COMMAND.strip() or text.startswith(OUTPUT_COMMAND):
        output = text.removeprefix(OUTPUT_COMMAND.strip()).strip()
        screen.engine.tool_calls.answer_by_hand(screen.conversation, output)
        return
    session = screen.session
    session.send(client_events.user_message(message_text(text)))
    session.send(client_events.response_create(screen.dialect))
    if not session.connected:
        first_line = message_text(text).splitlines()[0] if text.strip() else ""
        screen.pane.add_notice(
            f"Queued (not connected yet; sent once the session opens): {first_line}"
        )


def _run_slash_command(screen: MainScreen, text: str) -> bool:
    """Carry out `/raw`, `/wav`, `/save-audio` or `/help`, or refuse an unknown `/word`;
    False for anything else (a message, or `/output`, which answers a function call once
    the checks for sending have passed)."""
    frame_text = raw_frame_text(text)
    if frame_text is not None:
        send_raw_frame(screen, frame_text)
        return True
    command, argument = split_command(text)
    commands = screen.composer.SLASH_COMMANDS
    if command == "/wav":
        from rt_tui.tui.audio_turns import start_wav_turn  # Not needed for the first frame.

        start_wav_turn(screen, argument)
    elif command == "/save-audio":
        from rt_tui.tui.audio_turns import save_audio

        save_audio(screen, argument)
    elif command == "/help":
        screen.pane.add_notice(commands_help(commands))
    elif is_unknown_command(command, commands):
        screen.pane.add_notice(
            f"{command} is not a command, so nothing was sent (Up brings it back).\n"
            + commands_help(commands)
        )
    else:
        return False
    return True


def send_raw_frame(screen: MainScreen, frame_text: str) -> None:
    """`/raw FRAME` or the event composer: send the frame as is (it shows in the
    inspector like any sent frame) and keep it in the composer's history; `/raw`
    alone opens the composer."""
    if not frame_text:
        screen.action_compose_event()
        return
    if screen.context.replay is not None:
        screen.pane.add_notice("replay: read-only, nothing was sent.")
        return
    if not screen.session.send_raw(frame_text):
        screen.pane.add_notice("Not connected, so nothing was sent: press ctrl+r to reconnect.")
        return
    history = screen.composed.history
    history.add(frame_text, screen.engine.live.secrets)
    if history.problem:
        screen.notify(history.problem, title="Composer", severity="warning", markup=False)
