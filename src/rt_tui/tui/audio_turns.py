"""Audio from and to WAV files in the TUI: `/wav PATH` sends a file as the user's turn
(`/wav --realtime PATH` speaks it at a microphone's pace, so server VAD hears a real
stream), `/save-audio [PATH]` writes the assistant's last spoken reply, and
`/save-audio --session [PATH]` the whole session's audio as one stereo WAV.

For users with no sound device (a remote box over SSH) these are the way to talk and to
listen. The turn logic itself (chunks, commit or VAD) is `rt_tui.realtime.audio_turn`;
here a job (`rt_tui.tui.jobs`) reads the file off the event loop and posts it, the screen
sends it through its `Session` and says what happened in one line in the conversation.

`/save-audio` saves the *last* assistant item that has audio: that is what a user wants
to hear after a reply. Each spoken reply is one item, so earlier ones are one `/save-audio`
away while they are the newest; the whole session's audio is in the session log.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from rt_tui import paths
from rt_tui.realtime.audio import WavError, duration_ms, write_wav
from rt_tui.realtime.audio_store import AudioUnavailable
from rt_tui.realtime.audio_turn import audio_turn_events, load_turn_audio, turn_mode_of_session
from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.conversation_markdown import audio_length
from rt_tui.realtime.errors import os_reason
from rt_tui.realtime.session_wav import SessionAudioError, write_session_wav
from rt_tui.tui import jobs
from rt_tui.tui.messages import Notice
from rt_tui.tui.slash_commands import split_command
from rt_tui.tui.voice import Voice
from rt_tui.tui.worker import Post, Session

if TYPE_CHECKING:
    from rt_tui.tui.screens.main import MainScreen


class SaveAudioError(Exception):
    """The audio could not be saved (the message is one sentence)."""


@dataclass
class WavRead(Message, bubble=False):
    """The `/wav` job read `name` as a turn's audio, for the screen to send on `session`."""

    name: str
    pcm: bytes
    session: Session


REALTIME = "--realtime"


def start_wav_turn(screen: MainScreen, argument: str) -> None:
    """`/wav PATH`: read the file in a job; the screen sends it when it is read.
    `/wav --realtime PATH`: a job speaks it at a microphone's pace instead."""
    pane = screen.pane
    realtime = argument == REALTIME or argument.startswith(f"{REALTIME} ")
    if realtime:
        argument = split_command(argument)[1]
    if not argument:
        pane.add_notice("/wav needs the path of a WAV file, e.g. /wav ~/question.wav")
        return
    if screen.conversation.session is None:
        pane.add_notice("Not connected yet, so nothing was sent: wait for the session to open.")
        return
    if realtime:
        work = stream_wav_turn(screen.engine.voice, argument, screen.post_message)
        jobs.start(screen, jobs.AUDIO_TURN, work)
        return
    jobs.start(
        screen, jobs.AUDIO_TURN, read_wav_turn(argument, screen.session, screen.post_message)
    )


async def stream_wav_turn(voice: Voice, argument: str, post: Post) -> None:
    """The `/wav --realtime` job: the file spoken into the session as a microphone would."""
    try:
        await voice.stream_file(argument)
    except WavError as exc:
        post(Notice(f"Nothing was sent: {exc}"))


async def read_wav_turn(argument: str, session: Session, post: Post) -> None:
    """The `/wav` job: read and convert the file off the event loop, post what came of it."""
    try:
        # Resampling a long file takes a moment: keep the screen responsive meanwhile.
        pcm = await asyncio.to_thread(load_turn_audio, argument)
    except WavError as exc:
        post(Notice(f"Nothing was sent: {exc}"))
        return
    post(WavRead(Path(argument).name, pcm, session))  # the name only: no need to expand ~


def send_audio_turn(screen: MainScreen, read: WavRead) -> None:
    """Send a file the `/wav` job read as one audio turn; say so in the conversation."""
    session = read.session
    if screen.session is not session or not session.connected:
        screen.pane.add_notice("The session ended while the file was read, so nothing was sent.")
        return
    pcm = read.pcm
    mode = turn_mode_of_session(screen.conversation.session)
    for event in audio_turn_events(pcm, mode, screen.dialect):
        session.send(event)
    screen.pane.add_notice(
        f"Sent {read.name}: {audio_length(duration_ms(pcm))} of audio ({mode.describe()})."
    )


def last_assistant_audio(conversation: Conversation) -> str | None:
    """The id of the newest assistant item with audio, if any."""
    for item in reversed(conversation.items):
        if item.role == "assistant" and conversation.audio.size(item.id):
            return item.id
    return None


def save_audio_path(argument: str, item_id: str, sessions_dir: Path | None) -> Path:
    """Where `/save-audio [PATH]` writes: PATH (a folder gets `<item id>.wav` inside), else
    a new `<item id>.wav` in the sessions folder."""
    safe_id = "".join(c if c.isalnum() or c in "-_" else "_" for c in item_id) or "audio"
    if not argument:
        directory = sessions_dir if sessions_dir is not None else paths.sessions_dir()
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        return paths.free_path(directory, safe_id, ".wav")
    path = Path(argument).expanduser()
    return path / f"{safe_id}.wav" if path.is_dir() else path


def save_last_audio(
    conversation: Conversation, argument: str, sessions_dir: Path | None
) -> tuple[Path, float]:
    """Write the last assistant audio item to a WAV file; its path and duration in ms.

    Raises `SaveAudioError` with one sentence when there is nothing to save or the file
    cannot be written.
    """
    item_id = last_assistant_audio(conversation)
    if item_id is None:
        raise SaveAudioError(
            "There is no assistant audio to save yet (set the output modality to audio)."
        )
    try:
        pcm = conversation.audio.get(item_id)  # read back from the session log
    except AudioUnavailable as exc:
        raise SaveAudioError(str(exc)) from None
    try:
        path = save_audio_path(argument, item_id, sessions_dir)
        write_wav(path, pcm)
    except OSError as exc:
        where = argument or "the sessions folder"
        raise SaveAudioError(f"Cannot write {where}: {os_reason(exc)}.") from None
    return path, duration_ms(pcm)


SESSION = "--session"


def save_audio(screen: MainScreen, argument: str) -> None:
    """`/save-audio [PATH]`: save the last spoken reply and say where it went;
    `/save-audio --session [PATH]`: the whole session's audio, both sides."""
    if argument == SESSION or argument.startswith(f"{SESSION} "):
        log = screen.status.log_path
        if log is None:
            screen.pane.add_notice("No session is recorded yet, so there is no audio to save.")
            return
        out = split_command(argument)[1]
        work = save_session_audio(log, out, screen.context.sessions_dir, screen.post_message)
        jobs.start(screen, jobs.AUDIO_TURN, work)
        return
    try:
        path, ms = save_last_audio(screen.conversation, argument, screen.context.sessions_dir)
    except SaveAudioError as exc:
        screen.pane.add_notice(str(exc))
        return
    screen.pane.add_notice(f"Saved {audio_length(ms)} of the assistant's audio to {path}")


async def save_session_audio(
    log: Path, argument: str, sessions_dir: Path | None, post: Post
) -> None:
    """The `/save-audio --session` job: the session log's audio as one stereo WAV (you on
    the left, the assistant on the right, as heard), read off the event loop."""
    out = save_audio_path(argument, f"{log.stem}-audio", sessions_dir)
    try:
        saved = await asyncio.to_thread(write_session_wav, log, out)
    except SessionAudioError as exc:
        post(Notice(f"The session's audio was not saved: {exc}"))
        return
    post(
        Notice(
            f"Saved the session's audio to {saved.path}: {audio_length(saved.duration_ms)}, "
            f"you on the left ({audio_length(saved.user_ms)}), the assistant on the right "
            f"({audio_length(saved.assistant_ms)})."
        )
    )
