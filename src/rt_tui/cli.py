"""The `rt-tui` command: the TUI (default), `send`, `replay`, `bundle`, `doctor`,
`mock-server` and `audio`.

Every failure ends as one line on stderr, `rt-tui: <sentence>`, and a non-zero exit code:
1 for a failed session, 2 for a usage or configuration problem, 130 for Ctrl-C.
Never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from rt_tui import __version__

if TYPE_CHECKING:
    from rt_tui.mock.scenarios import ScenarioChoice

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

DEFAULT_MOCK_PORT = 8765
SCENARIO_ENV = "RT_TUI_SCENARIO"
"""Names the demo's mock scenario (`NAME` or `NAME:N`) when `--demo` is given without
`--scenario`; ignored otherwise."""
_TARGET_FLAGS = ("url", "profile", "demo", "scenario", "log", "ephemeral")
"""The options that say where to connect and where to record (`_add_target_options`)."""


class _Parser(argparse.ArgumentParser):
    """argparse with our one-line error format: the problem and where help is, no usage
    block (`--help` has it)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"rt-tui: {message.rstrip('.')}; try '{self.prog} --help'.\n")


def _add_target_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """--profile / --url / --demo / --log; on subcommands they default to 'not given' so the
    values given before the subcommand still count."""
    default = argparse.SUPPRESS if suppress else None
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--profile", metavar="NAME", default=default, help="use this profile")
    group.add_argument("--url", metavar="URL", default=default, help="connect to this ws(s):// URL")
    group.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="talk to the built-in mock server",
    )
    parser.add_argument(
        "--log", metavar="FILE", type=Path, default=default, help="record the session here"
    )
    _add_scenario_option(parser, suppress=suppress, what="with --demo, make the mock")
    _add_ephemeral_option(parser, suppress=suppress)
    _add_live_audio_options(parser, suppress=suppress)
    parser.add_argument(
        "--transcribe",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="open a transcription session: what is spoken is transcribed, nothing answers "
        '(as [session] type = "transcription")',
    )


def _add_ephemeral_option(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    parser.add_argument(
        "--ephemeral",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="mint a short-lived client secret with the key before each connect and open "
        "the socket with it, never with the key (as a profile's ephemeral = true)",
    )


def _add_live_audio_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """--mic / --speaker: over the config's [audio] for this run."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--mic",
        metavar="SOURCE",
        default=default,
        help="speak from this microphone: a device name or number ('rt-tui audio devices'), "
        "'default', a .wav file streamed as if spoken, or 'none'",
    )
    parser.add_argument(
        "--speaker",
        metavar="SINK",
        default=default,
        help="play the replies here: a device name or number, 'default', a .wav file "
        "written as played, or 'none'",
    )


def _add_scenario_option(parser: argparse.ArgumentParser, *, suppress: bool, what: str) -> None:
    parser.add_argument(
        "--scenario",
        metavar="NAME",
        default=argparse.SUPPRESS if suppress else None,
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
    send.add_argument(
        "--json", action="store_true", help="print every frame (both directions) as JSON lines"
    )
    send.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="give up if the reply is not complete after this long (default 120)",
    )

    _add_replay_command(commands)
    _add_bundle_command(commands)
    _add_doctor_command(commands)

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
    _add_audio_command(commands)
    return parser


def _add_replay_command(commands: argparse._SubParsersAction[_Parser]) -> None:
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
    output.add_argument(
        "--json", action="store_true", help="print the frames as JSON lines, no TUI"
    )
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
    replay.add_argument(
        "--log",
        metavar="FILE",
        type=Path,
        default=argparse.SUPPRESS,
        help="with --send, record the new session here",
    )
    replay.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="with --send, how long to wait for the server each time (its first frame, an "
        "id it has to give out, the last replies; default 30)",
    )


def _add_bundle_command(commands: argparse._SubParsersAction[_Parser]) -> None:
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


def _add_doctor_command(commands: argparse._SubParsersAction[_Parser]) -> None:
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
    doctor.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="how long the handshake and each answer may take (default 10)",
    )


def _add_audio_command(commands: argparse._SubParsersAction[_Parser]) -> None:
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


class _BadInput(Exception):
    """A usage problem found after parsing; `str(e)` is the sentence."""


def _message_text(text: str | None, spoken: bool) -> str | None:
    """The message to send: TEXT, or what stdin holds for `-`, or for no TEXT and nothing
    `spoken` (--wav, --mic) when stdin is not a terminal (`echo hi | rt-tui send`)."""
    piped = text is None and not spoken and not (sys.stdin and sys.stdin.isatty())
    if text != "-" and not piped:
        return text
    data = sys.stdin.buffer.read() if sys.stdin else b""
    try:
        message = data.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise _BadInput("the message on stdin is not UTF-8 text.") from None
    if not message:
        raise _BadInput("the message on stdin is empty; give TEXT, --wav FILE or both.")
    return message


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"rt-tui: {message}", file=sys.stderr, flush=True)
    return code


def _flags_do_not_apply(
    args: argparse.Namespace,
    because: str,
    *,
    allowed: Sequence[str] = (),
    hint: str | None = None,
) -> int | None:
    """Refuse, in one sentence, the options of where to connect and record that a command
    which does neither was given ('A bundle is made from a recorded log, so --url,
    --profile, --demo, --scenario and --log do not apply.'), `hint` after a semicolon;
    None when none was."""
    flags = [name for name in _TARGET_FLAGS if name not in allowed]
    if not any(getattr(args, name, None) for name in flags):
        return None
    named = [f"--{name}" for name in flags]
    listed = f"{', '.join(named[:-1])} and {named[-1]}" if len(named) > 1 else named[0]
    then = f"; {hint}" if hint else ""
    return _fail(f"{because}, so {listed} do not apply{then}.", EXIT_USAGE)


def _run_tui(args: argparse.Namespace, scenario: ScenarioChoice | None) -> int:
    # Importing the TUI and building its screen make ~100,000 objects that live as long as
    # the process; the collector's passes over them (~50 ms) would only delay the first
    # frame. The app freezes them and turns the collector back on once that frame is out.
    gc.disable()
    try:
        try:
            from rt_tui.tui.app import run_tui
        except ImportError:
            return _fail("the terminal UI is not available in this build; try 'rt-tui send'.")
        return run_tui(
            profile=args.profile,
            url=args.url,
            demo=args.demo,
            log=args.log,
            scenario=scenario,
            mic=args.mic,
            speaker=args.speaker,
            transcribe=args.transcribe,
            ephemeral=args.ephemeral,
        )
    finally:
        gc.enable()  # Already on when the app ran; not when start-up stopped short.


def _replay(args: argparse.Namespace) -> int:
    from rt_tui.inspector.logs import (
        LogError,
        ReplayPlan,
        SkippedLine,
        check_log,
        load_store,
        read_meta,
    )
    from rt_tui.replay import write_json, write_rows

    if args.send is not None:
        return _resend(args)
    refused = _flags_do_not_apply(args, "A replay connects nowhere and records nothing")
    if refused is not None:
        return refused
    if args.cost:
        if args.filter or args.unfold:
            what = "--cost prices the whole log, so --filter and --unfold do not apply."
            return _fail(what, EXIT_USAGE)
        from rt_tui.replay import run_cost

        return run_cost(args.file)
    if not (args.print or args.json):
        try:
            info = check_log(args.file)
        except LogError as error:
            return _fail(str(error))
        from rt_tui.inspector.playback import SPEEDS
        from rt_tui.tui.app import run_replay

        speed = SPEEDS[args.speed or "max"]
        plan = ReplayPlan(info, query=args.filter, fold=not args.unfold, speed=speed)
        return run_replay(plan)

    skipped: list[SkippedLine] = []
    try:
        store = load_store(
            args.file, fold=not args.unfold, query=args.filter, on_skip=skipped.append
        )
    except LogError as error:
        return _fail(str(error))  # no frame: the one sentence says which line broke
    for line in skipped:
        print(f"rt-tui: {line.describe()}", file=sys.stderr, flush=True)
    try:
        if args.json:
            write_json(store, sys.stdout, read_meta(args.file))
        else:
            write_rows(store, sys.stdout)
        sys.stdout.flush()
    finally:
        store.close()
    return EXIT_OK


def _resend(args: argparse.Namespace) -> int:
    """`rt-tui replay LOG --send URL`."""
    from rt_tui.inspector.playback import SPEEDS
    from rt_tui.send.resend import run_resend

    refused = _flags_do_not_apply(args, f"A replay sends to --send {args.send}", allowed=("log",))
    if refused is not None:
        return refused
    if args.filter or args.unfold:
        return _fail(
            "--filter and --unfold shape what a log shows; with --send every frame that "
            "comes back is printed.",
            EXIT_USAGE,
        )
    if args.cost:
        return _fail("--cost prices the recorded log; it does not apply with --send.", EXIT_USAGE)
    return asyncio.run(
        run_resend(
            args.file,
            args.send,
            speed=SPEEDS[args.speed or "1"],
            json_lines=args.json,
            log=args.log,
            wait_s=args.timeout,
            env=os.environ,
        )
    )


def _bundle(args: argparse.Namespace) -> int:
    from rt_tui.bundle import run_bundle

    refused = _flags_do_not_apply(args, "A bundle is made from a recorded log")
    if refused is not None:
        return refused
    return run_bundle(args.file, args.output, os.environ)


def _doctor(args: argparse.Namespace) -> int:
    from rt_tui.doctor import run_doctor

    refused = _flags_do_not_apply(
        args,
        "The doctor checks a profile",
        allowed=("profile", "ephemeral"),
        hint="use --profile NAME (default: the active profile)",
    )
    if refused is not None:
        return refused
    return asyncio.run(
        run_doctor(args.profile, os.environ, wait_s=args.timeout, ephemeral=args.ephemeral)
    )


def _audio_devices(args: argparse.Namespace) -> int:
    from rt_tui.realtime.audio_io import AudioUnavailable, list_devices, live_audio_problem
    from rt_tui.realtime.audio_io.devices import device_lines

    refused = _flags_do_not_apply(
        args, "Listing sound devices connects nowhere and records nothing"
    )
    if refused is not None:
        return refused
    try:
        devices = list_devices()
    except AudioUnavailable as problem:
        return _fail(str(problem))
    if not devices:
        return _fail(live_audio_problem() or "PortAudio finds no sound device.")
    print("\n".join(device_lines(devices)), flush=True)
    return EXIT_OK


def _scenario(args: argparse.Namespace) -> ScenarioChoice | None:
    """The mock scenario `--scenario` names, checked; None without one."""
    if args.scenario is None:
        return None
    from rt_tui.mock.scenarios import ScenarioError, choose

    try:
        choice = choose(args.scenario)
    except ScenarioError as error:
        raise _BadInput(str(error)) from None
    if args.command in (None, "send") and not args.demo:
        raise _BadInput(
            "--scenario makes the built-in mock misbehave, so it needs --demo (or serve "
            "it with 'rt-tui mock-server --scenario NAME' and connect with --url)."
        )
    return choice


def _list_scenarios() -> int:
    from rt_tui.mock.scenarios import listing

    print("\n".join(listing()))
    return EXIT_OK


async def _mock_server(
    host: str, port: int, scenario: ScenarioChoice | None, *, require_minted: bool = False
) -> int:
    from rt_tui.mock.pacing import REALISTIC
    from rt_tui.mock.server import MockServer
    from rt_tui.realtime.errors import os_reason

    def show_traffic(line: str) -> None:
        print(line, flush=True)

    hooks = scenario.hooks if scenario is not None else None
    server = MockServer(
        host,
        port,
        on_traffic=show_traffic,
        hooks=hooks,
        pacing=REALISTIC,
        require_minted=require_minted,
    )
    try:
        await server.start()
    except OSError as exc:
        return _fail(f"cannot listen on {host}:{port}: {os_reason(exc)}.")
    try:
        lines = [
            f"rt-tui mock server listening on {server.base_url}",
            f"  OpenAI GA:      {server.ga_url()}",
            f"  Azure GA:       {server.azure_ga_url('gpt-realtime')}",
            f"  Azure preview:  {server.azure_preview_url('gpt-realtime')}",
        ]
        if scenario is not None:
            lines.append(f"Scenario {scenario.label}: {scenario.summary}.")
        if require_minted:
            lines.append(
                "Only client secrets minted here open a socket (connect with --ephemeral)."
            )
        lines.append("Press Ctrl-C to stop. Connections are shown as they open and close.")
        print("\n".join(lines), flush=True)
        stop = asyncio.Event()
        # SIGTERM (service managers, `kill`) stops as cleanly as Ctrl-C.
        with contextlib.suppress(NotImplementedError, RuntimeError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        await stop.wait()
    finally:
        await server.stop()
    print("rt-tui: mock server stopped.", file=sys.stderr)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `rt-tui` script; returns the exit code."""
    args = build_parser().parse_args(argv)
    args.scenario = getattr(args, "scenario", None)
    if args.scenario is None and getattr(args, "demo", False):
        args.scenario = os.environ.get(SCENARIO_ENV, "").strip() or None
    if args.scenario == "list":
        return _list_scenarios()
    try:
        scenario = _scenario(args)
    except _BadInput as problem:
        return _fail(str(problem), EXIT_USAGE)
    try:
        if args.command == "send":
            from rt_tui.send.session import run_send

            try:
                text = _message_text(args.text, args.wav is not None or args.mic is not None)
            except _BadInput as problem:
                return _fail(str(problem), EXIT_USAGE)
            if text is None and args.wav is None and args.mic is None:
                return _fail("send needs TEXT, --wav FILE, --mic SOURCE or both.", EXIT_USAGE)
            return asyncio.run(
                run_send(
                    text,
                    profile=args.profile,
                    url=args.url,
                    demo=args.demo,
                    log=args.log,
                    json_lines=args.json,
                    reply_timeout=args.timeout,
                    env=os.environ,
                    wav=args.wav,
                    save_audio=args.save_audio,
                    mic=args.mic,
                    speaker=args.speaker,
                    scenario=scenario,
                    transcribe=args.transcribe,
                    ephemeral=args.ephemeral,
                )
            )
        if args.command == "replay":
            return _replay(args)
        if args.command == "bundle":
            return _bundle(args)
        if args.command == "doctor":
            return _doctor(args)
        if args.command == "audio":
            return _audio_devices(args)
        if args.command == "mock-server":
            with contextlib.suppress(KeyboardInterrupt):
                return asyncio.run(
                    _mock_server(args.host, args.port, scenario, require_minted=args.require_minted)
                )
            # Ctrl-C is how the mock is stopped, but still an interruption (130, as documented).
            print("rt-tui: mock server stopped.", file=sys.stderr)
            return EXIT_INTERRUPTED
        return _run_tui(args, scenario)
    except KeyboardInterrupt:
        return _fail("interrupted.", EXIT_INTERRUPTED)
    except BrokenPipeError:
        # stdout closed early (e.g. piped into `head`): not an error worth a traceback.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps interpreter exit quiet
        return EXIT_OK
