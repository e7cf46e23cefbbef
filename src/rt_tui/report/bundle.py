"""Writing the bug-report bundle: one zip file (mode 0600) holding

    README.txt        what each file is
    session.jsonl     the session log as recorded
    conversation.md   the conversation, rebuilt by folding the log through the reducer
    audio/ID.wav      each assistant audio item, 24 kHz mono PCM16, cut where it was truncated
    config.toml       the config file without its secrets, and the variables it reads
    versions.json     rt-tui, Python, Textual, websockets, pydantic and the platform

The log is read up to the size it had when the bundle started, so a session still being
recorded (the TUI's key) is bundled as it stood. Nothing is held whole in memory: the log
is copied line by line, and the audio stays in the log (the reducer's `AudioStore` points
at its lines) until each WAV file is streamed into the zip, a piece at a time.

Every text member passes through one `Redactor` that knows the config's and the
environment's secrets (`known_secrets`), on top of the redaction the log got when it was
recorded: no member can hold a key.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import time
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

from rt_tui import __version__
from rt_tui.paths import free_path
from rt_tui.realtime.audio import BYTES_PER_MS, write_wav_stream
from rt_tui.realtime.audio_store import AudioUnavailable
from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.conversation_markdown import audio_length, conversation_markdown
from rt_tui.realtime.conversation_model import Item
from rt_tui.realtime.errors import os_reason
from rt_tui.realtime.redaction import Redactor
from rt_tui.realtime.reseed import take_over
from rt_tui.realtime.session_log import LogError, LogFile, SkippedLine, no_readable_frame
from rt_tui.realtime.socket_mark import SocketMark
from rt_tui.report.config_copy import ConfigSource, config_copy
from rt_tui.report.known_secrets import known_secrets
from rt_tui.report.versions import versions

__all__ = ["BundleError", "BundleSummary", "LogError", "bundle_path", "write_bundle"]

STEM_SUFFIX: Final = "-bundle"
LOG_MEMBER: Final = "session.jsonl"
CONVERSATION_MEMBER: Final = "conversation.md"
CONFIG_MEMBER: Final = "config.toml"
VERSIONS_MEMBER: Final = "versions.json"
README_MEMBER: Final = "README.txt"
AUDIO_FOLDER: Final = "audio"

_ZIP64_FROM: Final = 1 << 30
"""A member that may grow past this many bytes is written in the zip64 format."""


class BundleError(Exception):
    """The bundle cannot be written; `str(e)` is one sentence."""


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class BundleSummary:
    """What a written bundle holds."""

    path: Path
    log: Path
    frames: int
    items: int
    audio_files: int
    audio_ms: float
    skipped: tuple[SkippedLine, ...] = ()
    """Broken lines of the log left out of the conversation (the log is copied whole)."""

    def describe(self) -> str:
        """'session log (124 frames), conversation (2 items), 1 audio file (8.4 s), config,
        versions'; '(124 frames, 1 broken line skipped)' when the log has one."""
        audio = _plural(self.audio_files, "audio file")
        if self.audio_files:
            audio += f" ({audio_length(self.audio_ms)})"
        broken = f", {_plural(len(self.skipped), 'broken line')} skipped" if self.skipped else ""
        return (
            f"session log ({_plural(self.frames, 'frame')}{broken}), "
            f"conversation ({_plural(self.items, 'item')}), {audio}, config, versions"
        )


def bundle_path(log: Path, directory: Path | None = None) -> Path:
    """Where a log's bundle goes by default: `<log stem>-bundle.zip` beside the log (or in
    `directory`), never over an existing file."""
    folder = directory if directory is not None else log.parent
    return free_path(folder, f"{log.stem}{STEM_SUFFIX}", ".zip")


@dataclass
class _Session:
    """A log folded through the reducer, up to `size` bytes."""

    conversation: Conversation
    frames: int
    meta: dict[str, Any]
    size: int
    skipped: tuple[SkippedLine, ...]


def _read_session(log: Path) -> _Session:
    """Fold the log's frames (those in its first `size` bytes) into a Conversation, passing
    over broken lines as a replay does. Raises LogError for a file that cannot be read or
    is not a session log."""
    try:
        size = log.stat().st_size
    except OSError as exc:
        raise LogError(f"The session log {log} cannot be read: {os_reason(exc)}.") from None
    source = LogFile(log)
    meta = source.meta()
    conversation = Conversation()
    frames = 0
    skipped: list[SkippedLine] = []
    try:
        for entry in source.entries(skipped.append):
            if isinstance(entry, SocketMark):
                take_over(conversation, entry)  # as the live app did then
                continue
            record, span = entry
            if span.offset + span.length > size:
                break  # written after the bundle started
            conversation.apply(record.to_frame(span))
            frames += 1
    except BaseException:
        conversation.audio.close()
        raise
    if not frames and skipped:
        conversation.audio.close()
        raise no_readable_frame(log, skipped)
    if not frames and meta is None:
        conversation.audio.close()
        raise LogError(f"{log} is not a session log: it holds no recorded frames.")
    return _Session(conversation, frames, meta or {}, size, tuple(skipped))


def _audio_items(conversation: Conversation) -> dict[str, tuple[str, int]]:
    """Item id -> (member name, bytes) of each assistant item with audio."""
    found: dict[str, tuple[str, int]] = {}
    names: set[str] = set()
    for item in conversation.items:
        size = conversation.audio.size(item.id)
        if item.role != "assistant" or not size:
            continue
        stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in item.id) or "audio"
        name, number = f"{AUDIO_FOLDER}/{stem}.wav", 2
        while name in names:
            name, number = f"{AUDIO_FOLDER}/{stem}-{number}.wav", number + 1
        names.add(name)
        found[item.id] = (name, size)
    return found


def _about(log: Path, meta: Mapping[str, Any]) -> str:
    """The line under the conversation's title: which log, which endpoint, when."""
    facts = [f"From the session log `{log.name}`"]
    url = meta.get("url")
    if isinstance(url, str) and url:
        facts.append(url)  # recorded redacted
    wall_time = meta.get("wall_time")
    if isinstance(wall_time, int | float):
        facts.append("started " + time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(wall_time)))
    return " · ".join(facts)


def _readme(log: Path, audio_files: int, made_at: float) -> str:
    made = time.strftime("%Y-%m-%d %H:%M:%S %z", time.localtime(made_at))
    audio = (
        f"{AUDIO_FOLDER}/ID.wav      the assistant's audio, one WAV file per spoken item\n"
        "                  (24 kHz mono PCM16), cut where the user interrupted it; ID is\n"
        "                  the item id in session.jsonl\n"
        if audio_files
        else f"{AUDIO_FOLDER}/           (none: the assistant did not speak in this session)\n"
    )
    return (
        "rt-tui bug-report bundle\n"
        f"Made by rt-tui {__version__} at {made} from the session log {log.name}.\n\n"
        f"{README_MEMBER}        this file\n"
        f"{LOG_MEMBER}     the session log as recorded: one JSON line per WebSocket frame\n"
        "                  (wall time, ms since connect, direction, the frame itself;\n"
        "                  `rt-tui replay session.jsonl` opens it again)\n"
        f"{CONVERSATION_MEMBER}   the conversation rebuilt from the log, as Markdown\n"
        f"{audio}"
        f"{CONFIG_MEMBER}       the config file with every secret value replaced by\n"
        '                  "<redacted>", and the environment variables it reads (names only)\n'
        f"{VERSIONS_MEMBER}     versions of rt-tui, Python, Textual, websockets, pydantic and\n"
        "                  the platform\n\n"
        "No file here holds an API key: keys, tokens and passwords read *** or <redacted>.\n"
        "The log, the conversation and the audio hold what was said in the session: read\n"
        "them before sharing the bundle.\n"
    )


class _Zip:
    """The bundle's zip file: members with the time of writing, readable only by the user
    when unpacked."""

    def __init__(self, file: IO[bytes], made_at: float) -> None:
        self.zip = zipfile.ZipFile(file, "w")
        self._date_time = time.localtime(made_at)[:6]

    def _info(self, name: str, *, compress: bool = True) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self._date_time)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = (stat.S_IFREG | 0o600) << 16
        return info

    def text(self, name: str, text: str) -> None:
        self.zip.writestr(self._info(name), text.encode("utf-8"))

    def stream(self, name: str, *, compress: bool = True, big: bool = False) -> IO[bytes]:
        return self.zip.open(self._info(name, compress=compress), "w", force_zip64=big)


def _copy_log(log: Path, size: int, out: IO[bytes], redactor: Redactor) -> None:
    """The log's first `size` bytes, line by line, through the redaction."""
    left = size
    with log.open("rb") as handle:
        for raw in handle:
            if len(raw) > left:
                break  # a line still being written
            left -= len(raw)
            line = raw.rstrip(b"\r\n").decode("utf-8", errors="replace")
            out.write(redactor.text(line).encode("utf-8"))
            out.write(b"\n")


def _write_audio(out: IO[bytes], conversation: Conversation, item_id: str, size: int) -> None:
    """One item's audio as a WAV file, read back from the log a piece at a time."""
    try:
        write_wav_stream(out, conversation.audio.chunks(item_id), size)
    except (AudioUnavailable, ValueError) as exc:  # the log changed under us
        raise BundleError(str(exc)) from None


def _create(log: Path, output: Path | None) -> tuple[int, Path]:
    """Create the zip file, mode 0600: `output`, or in a folder `output` (default: the
    log's) the default name that is free at that moment."""
    while True:
        path = bundle_path(log, output) if output is None or output.is_dir() else output
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), path
        except FileExistsError:
            if path == output:
                raise BundleError(
                    f"{path} already exists; a bundle never overwrites a file."
                ) from None
            # Another bundle took the name since it was found free: find the next one.
        except OSError as exc:
            raise BundleError(f"Cannot write the bundle to {path}: {os_reason(exc)}.") from None


def write_bundle(
    log: Path,
    output: Path | None = None,
    *,
    config_path: Path,
    env: Mapping[str, str],
    secrets: Iterable[str] = (),
    now: float | None = None,
) -> BundleSummary:
    """Write the bundle of `log` to the new file `output`; to a folder `output`, or
    without one beside the log, as `<log stem>-bundle.zip` (`-2`… when that exists).

    `config_path` is the config file to copy, `env` the environment whose variable names
    (and whose secrets, to remove them) count, `secrets` any other secret the caller knows
    (the running session's endpoint's). Raises LogError for a log that cannot be read and
    BundleError when the bundle cannot be written; a failed bundle leaves no file.
    """
    made_at = time.time() if now is None else now
    config = ConfigSource.read(config_path)
    redactor = Redactor(known_secrets(config.data or {}, env, secrets))
    session = _read_session(log)
    conversation = session.conversation
    try:
        audio = _audio_items(conversation)

        def audio_link(item: Item) -> str | None:
            return audio[item.id][0] if item.id in audio else None

        markdown = conversation_markdown(
            conversation, about=_about(log, session.meta), audio_link=audio_link
        )
        fd, path = _create(log, output)
        try:
            with open(fd, "wb") as file:
                bundle = _Zip(file, made_at)
                with bundle.zip:
                    bundle.text(README_MEMBER, _readme(log, len(audio), made_at))
                    with bundle.stream(LOG_MEMBER, big=session.size > _ZIP64_FROM) as out:
                        _copy_log(log, session.size, out, redactor)
                    bundle.text(CONVERSATION_MEMBER, redactor.text(markdown))
                    for item_id, (name, size) in audio.items():
                        # PCM barely compresses: stored, it costs no time.
                        with bundle.stream(name, compress=False) as out:
                            _write_audio(out, conversation, item_id, size)
                    bundle.text(CONFIG_MEMBER, config_copy(config, env, redactor))
                    versions_text = json.dumps(versions(), indent=2) + "\n"
                    bundle.text(VERSIONS_MEMBER, redactor.text(versions_text))
        except BaseException as exc:
            with contextlib.suppress(OSError):
                path.unlink()
            if isinstance(exc, OSError):
                reason = os_reason(exc)
                raise BundleError(f"Cannot write the bundle to {path}: {reason}.") from None
            raise
    finally:
        conversation.audio.close()
    audio_ms = sum(size for _name, size in audio.values()) / BYTES_PER_MS
    return BundleSummary(
        path, log, session.frames, len(conversation), len(audio), audio_ms, session.skipped
    )
