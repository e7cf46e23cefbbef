"""The `rt-tui` command line: what each command takes, and its help.

The options several commands share (where to connect and record, --json, --timeout) are
defined once here and added to each command that takes them.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, NoReturn, TypeAlias

from rt_tui import __version__
from rt_tui.cli.checks import EXIT_USAGE

DEFAULT_MOCK_PORT = 8765


class _Parser(argparse.ArgumentParser):
    """argparse with our one-line error format: the problem and where help is, no usage
    block (`--help` has it)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"rt-tui: {message.rstrip('.')}; try '{self.prog} --help'.\n")


_Commands: TypeAlias = "argparse._SubParsersAction[_Parser]"
_Adds: TypeAlias = "argparse.ArgumentParser | argparse._ArgumentGroup"
"""A parser or one of its groups: what an option is added to."""


def _unless_given(suppress: bool, default: Any) -> Any:
    """An option's default: on a subcommand (`suppress`) none at all, so that the value
    given before the subcommand (`rt-tui --demo send hi`) still counts."""
    return argparse.SUPPRESS if suppress else default


def _add_log_option(parser: _Adds, *, suppress: bool, help: str) -> None:
    parser.add_argument(
        "--log", metavar="FILE", type=Path, default=_unless_given(suppress, None), help=help
    )


def _add_json_option(parser: _Adds, *, help: str) -> None:
    parser.add_argument("--json", action="store_true", help=help)


def _add_timeout_option(parser: _Adds, *, default: float, help: str) -> None:
    parser.add_argument(
        "--timeout",
        type=float,
        default=default,
        metavar="SECONDS",
        help=f"{help} (default {default:g})",
    )


def _add_target_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """--profile / --url / --demo / --log, the scenario, live audio and --transcribe: where
    to connect, how, and where to record."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--profile", metavar="NAME", default=_unless_given(suppress, None), help="use this profile"
    )
    group.add_argument(
        "--url",
        metavar="URL",
        default=_unless_given(suppress, None),
        help="connect to this ws(s):// URL",
    )
    group.add_argument(
        "--demo",
        action="store_true",
        default=_unless_given(suppress, False),
        help="talk to the built-in mock server",
    )
    _add_log_option(parser, suppress=suppress, help="record the session here")
    _add_scenario_option(parser, suppress=suppress, what="with --demo, make the mock")
    _add_ephemeral_option(parser, suppress=suppress)
    _add_live_audio_options(parser, suppress=suppress)
    parser.add_argument(
        "--transcribe",
        action="store_true",
        default=_unless_given(suppress, False),
        help="open a transcription session: what is spoken is transcribed, nothing answers "
        '(as [session] type = "transcription")',
    )


def _add_ephemeral_option(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    parser.add_argument(
        "--ephemeral",
        action="store_true",
        default=_unless_given(suppress, False),
        help="mint a short-lived client secret with the key before each connect and open "
        "the socket with it, never with the key (as a profile's ephemeral = true)",
    )


def _add_live_audio_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """--mic / --speaker: over the config's [audio] for this run."""
    parser.add_argument(
        "--mic",
        metavar="SOURCE",
        default=_unless_given(suppress, None),
        help="speak from this microphone: a device name or number ('rt-tui audio devices'), "
        "'default', a .wav file streamed as if spoken, or 'none'",
    )
    parser.add_argument(
        "--speaker",
        metavar="SINK",
        default=_unless_given(suppress, None),
        help="play the replies here: a device name or number, 'default', a .wav file "
        "written as played, or 'none'",
    )


def _add_scenario_option(parser: argparse.ArgumentParser, *, suppress: bool, what: str) -> None:
    parser.add_argument(
        "--scenario",
        metavar="NAME",
        default=_unless_given(suppress, None),
        help=f"{what} misbehave as the service does: NAME or NAME:N (e.g. session-limit:30); "
        "'list' lists them",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="rt-tui",
        description="A terminal client and event inspector for the OpenAI and Azure OpenAI "
        "Realtime API. With no command, opens the TUI.",
    )
    parser.add_argument("--version", action="version", version=f"rt-tui {__version__}")
    _add_target_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _add_send_command(commands)
    _add_replay_command(commands)
    _add_bundle_command(commands)
    _add_doctor_command(commands)
    _add_mock_server_command(commands)
    _add_audio_command(commands)
    return parser


def _add_send_command(commands: _Commands) -> None:
    send = commands.add_parser(
        "send",
        help="send one message and print the reply",
        description="Connect, send one user message, print the reply as it streams and exit "
        "after response.done.",
    )
    send.add_argument(
        "text",
        metavar="TEXT",
        nargs="?",
        help="the message to send; '-' reads it from stdin, as does no TEXT (and no --wav) "
        "when stdin is not a terminal",
    )
    send.add_argument(
        "--wav",
        metavar="FILE",
        type=Path,
        help="send this WAV file as spoken input (after TEXT, if given)",
    )
    send.add_argument(
        "--save-audio",
        metavar="FILE",
        type=Path,
        help="ask for a spoken reply and write its audio to this WAV file",
    )
    _add_target_options(send, suppress=True)
    _add_json_option(send, help="print every frame (both directions) as JSON lines")
    _add_timeout_option(
        send, default=120.0, help="give up if the reply is not complete after this long"
    )


def _add_replay_command(commands: _Commands) -> None:
    replay = commands.add_parser(
        "replay",
        help="open a recorded session log offline, or send its client events again",
        description="Open a session log (or an inspector export) in the TUI without "
        "connecting anywhere, or print its events; with --send, send its client events "
        "again to a live endpoint to reproduce what happened.",
    )
    replay.add_argument("file", metavar="FILE", type=Path, help="the JSONL session log")
    output = replay.add_mutually_exclusive_group()
    output.add_argument(
        "--print", action="store_true", help="print the inspector's rows as text, no TUI"
    )
    _add_json_option(output, help="print the frames as JSON lines, no TUI")
    output.add_argument(
        "--cost",
        action="store_true",
        help="print what the session cost (tokens and cost per response and in total, "
        "priced from the config's [cost] and the shipped prices), no TUI",
    )
    replay.add_argument(
        "--filter",
        metavar="PATTERN",
        default="",
        help="show only matching events (the inspector's filter: 'response.* !*.delta', text)",
    )
    replay.add_argument(
        "--unfold", action="store_true", help="one row per frame (runs of deltas unfolded)"
    )
    replay.add_argument(
        "--speed",
        choices=["1", "10", "max"],
        help="in the TUI, play the frames at their recorded pace (1), ten times faster (10) "
        "or all at once (max, the default); F6 pauses, F7 and F9 step a frame or a "
        "response, F10 changes the speed. With --send, pace the events (default 1)",
    )
    replay.add_argument(
        "--send",
        metavar="URL",
        help="send the log's client events again to this ws(s):// endpoint (its key from "
        "the environment, as with --url), paced as recorded, and print what comes back; "
        "--log records it",
    )
    _add_log_option(replay, suppress=True, help="with --send, record the new session here")
    _add_timeout_option(
        replay,
        default=30.0,
        help="with --send, how long to wait for the server each time: its first frame, an "
        "id it has to give out, the last replies",
    )


def _add_bundle_command(commands: _Commands) -> None:
    bundle = commands.add_parser(
        "bundle",
        help="write a bug-report zip of a session",
        description="Write one zip for a bug report: the session log, the conversation as "
        "Markdown, the assistant's audio as WAV files, the config without its secrets and "
        "the versions in use.",
    )
    bundle.add_argument(
        "file",
        metavar="LOG",
        type=Path,
        nargs="?",
        help="the session log (default: the newest one in the sessions folder)",
    )
    bundle.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        type=Path,
        help="where to write the zip, a file or a folder (default: beside the log, "
        "LOG-bundle.zip, never over an existing file)",
    )


def _add_doctor_command(commands: _Commands) -> None:
    doctor = commands.add_parser(
        "doctor",
        help="check a profile and say why it cannot connect",
        description="Check a profile step by step (its key or Entra ID sign-in, its URL for "
        "the dialect, the proxy and certificates, the WebSocket handshake and a "
        "session.update round trip) and explain each failure in one line. Exits 1 when a "
        "check fails.",
    )
    doctor.add_argument(
        "--profile",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="the profile to check (default: the active one)",
    )
    _add_ephemeral_option(doctor, suppress=True)
    _add_timeout_option(
        doctor, default=10.0, help="how long the handshake and each answer may take"
    )


def _add_mock_server_command(commands: _Commands) -> None:
    mock = commands.add_parser(
        "mock-server",
        help="run the built-in mock Realtime server",
        description="Serve the mock Realtime API until Ctrl-C.",
    )
    mock.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    mock.add_argument(
        "--port", type=int, default=DEFAULT_MOCK_PORT, help=f"port (default {DEFAULT_MOCK_PORT})"
    )
    _add_scenario_option(mock, suppress=True, what="make the mock")
    mock.add_argument(
        "--require-minted",
        action="store_true",
        help="open sockets only for ephemeral client secrets the mock minted (POST "
        "/v1/realtime/client_secrets), as a client with ephemeral = true gets them",
    )


def _add_audio_command(commands: _Commands) -> None:
    audio = commands.add_parser(
        "audio",
        help="live audio: list the sound devices",
        description="Live audio needs the 'audio' extra (pip install 'rt-tui[audio]') and "
        "PortAudio; WAV files work as microphone and speaker without either.",
    )
    actions = audio.add_subparsers(
        dest="audio_action", metavar="ACTION", required=True, parser_class=_Parser
    )
    actions.add_parser(
        "devices",
        help="list the microphones and speakers (numbers and names for --mic / --speaker)",
        description="List the sound devices PortAudio finds, with the numbers and names "
        "that --mic and --speaker take.",
    )
