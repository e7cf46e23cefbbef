"""The bodies of the `rt-tui` commands: each checks what only it refuses, then hands the
work to its face (`rt_tui.tui`, `send`, `replay`, `bundle`, `doctor`) or the mock.

Each face is imported when its command runs, so that starting one command loads nothing
of the others (the TUI's first frame depends on it).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import signal
import sys
from typing import TYPE_CHECKING

from rt_tui.cli.checks import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    BadInput,
    fail,
    flags_do_not_apply,
    message_text,
)

if TYPE_CHECKING:
    from rt_tui.mock.scenarios import ScenarioChoice


def tui(args: argparse.Namespace, scenario: ScenarioChoice | None) -> int:
    # Importing the TUI and building its screen make ~100,000 objects that live as long as
    # the process; the collector's passes over them (~50 ms) would only delay the first
    # frame. The app freezes them and turns the collector back on once that frame is out.
    gc.disable()
    try:
        try:
            from rt_tui.tui.app import run_tui
        except ImportError:
            return fail("the terminal UI is not available in this build; try 'rt-tui send'.")
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


def send(args: argparse.Namespace, scenario: ScenarioChoice | None) -> int:
    from rt_tui.send.session import run_send

    try:
        text = message_text(args.text, args.wav is not None or args.mic is not None)
    except BadInput as problem:
        return fail(str(problem), EXIT_USAGE)
    if text is None and args.wav is None and args.mic is None:
        return fail("send needs TEXT, --wav FILE, --mic SOURCE or both.", EXIT_USAGE)
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


def replay(args: argparse.Namespace) -> int:
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
    refused = flags_do_not_apply(args, "A replay connects nowhere and records nothing")
    if refused is not None:
        return refused
    if args.cost:
        if args.filter or args.unfold:
            what = "--cost prices the whole log, so --filter and --unfold do not apply."
            return fail(what, EXIT_USAGE)
        from rt_tui.replay import run_cost

        return run_cost(args.file)
    if not (args.print or args.json):
        try:
            info = check_log(args.file)
        except LogError as error:
            return fail(str(error))
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
        return fail(str(error))  # no frame: the one sentence says which line broke
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

    refused = flags_do_not_apply(args, f"A replay sends to --send {args.send}", allowed=("log",))
    if refused is not None:
        return refused
    if args.filter or args.unfold:
        return fail(
            "--filter and --unfold shape what a log shows; with --send every frame that "
            "comes back is printed.",
            EXIT_USAGE,
        )
    if args.cost:
        return fail("--cost prices the recorded log; it does not apply with --send.", EXIT_USAGE)
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


def bundle(args: argparse.Namespace) -> int:
    from rt_tui.bundle import run_bundle

    refused = flags_do_not_apply(args, "A bundle is made from a recorded log")
    if refused is not None:
        return refused
    return run_bundle(args.file, args.output, os.environ)


def doctor(args: argparse.Namespace) -> int:
    from rt_tui.doctor import run_doctor

    refused = flags_do_not_apply(
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


def audio_devices(args: argparse.Namespace) -> int:
    from rt_tui.realtime.audio_io import AudioUnavailable, list_devices, live_audio_problem
    from rt_tui.realtime.audio_io.devices import device_lines

    refused = flags_do_not_apply(args, "Listing sound devices connects nowhere and records nothing")
    if refused is not None:
        return refused
    try:
        devices = list_devices()
    except AudioUnavailable as problem:
        return fail(str(problem))
    if not devices:
        return fail(live_audio_problem() or "PortAudio finds no sound device.")
    print("\n".join(device_lines(devices)), flush=True)
    return EXIT_OK


def list_scenarios() -> int:
    from rt_tui.mock.scenarios import listing

    print("\n".join(listing()))
    return EXIT_OK


def mock_server(args: argparse.Namespace, scenario: ScenarioChoice | None) -> int:
    with contextlib.suppress(KeyboardInterrupt):
        return asyncio.run(
            _serve_mock(args.host, args.port, scenario, require_minted=args.require_minted)
        )
    # Ctrl-C is how the mock is stopped, but still an interruption (130, as documented).
    print("rt-tui: mock server stopped.", file=sys.stderr)
    return EXIT_INTERRUPTED


async def _serve_mock(
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
        return fail(f"cannot listen on {host}:{port}: {os_reason(exc)}.")
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
