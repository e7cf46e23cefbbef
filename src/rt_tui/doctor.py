"""`rt-tui doctor [--profile NAME]`: check a profile and print the checklist, one line a
step (`rt_tui.checkup` does the checking):

    Checking profile 'work': azure (GA), deployment gpt-realtime
      ok    key        from $AZURE_OPENAI_API_KEY.
      ok    URL        wss://myres.openai.azure.com/openai/v1/realtime?model=gpt-realtime …
      info  proxy      none, a direct connection.
      FAIL  handshake  HTTP 404: myres.openai.azure.com has no deployment named …
      skip  session    not tried: the handshake failed.
    1 check failed.

Exit 0 when no check failed, 1 when one did, 2 for a usage or config problem (one line on
stderr, `rt-tui: …`).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from rt_tui.checkup import Status, checkup, describe
from rt_tui.config import ConfigError, load_config
from rt_tui.realtime.endpoints import CredentialFactory
from rt_tui.realtime.entra import default_credential
from rt_tui.targets import NOTHING_CONFIGURED, resolve_target

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

_LABELS = {
    Status.OK: "ok",
    Status.FAIL: "FAIL",
    Status.WARN: "warn",
    Status.INFO: "info",
    Status.SKIPPED: "skip",
}
_NAME_WIDTH = 10


async def run_doctor(
    profile: str | None,
    env: Mapping[str, str],
    *,
    out: TextIO | None = None,
    config_path: Path | None = None,
    wait_s: float = 10.0,
    credential: CredentialFactory = default_credential,
    ephemeral: bool = False,
) -> int:
    """Check `profile` (default: the active one) and print the checklist to `out`
    (default stdout); the exit code. `ephemeral` checks it as `--ephemeral` uses it."""
    out = out or sys.stdout

    def fail(message: str) -> int:
        print(f"rt-tui: {message}", file=sys.stderr, flush=True)
        return EXIT_USAGE

    try:
        config = load_config(config_path)
    except ConfigError as error:
        return fail(str(error))
    target = resolve_target(config, env, profile=profile, url=None, demo=False, ephemeral=ephemeral)
    if target.profile is None or target.profile_name is None:
        return fail(target.problem or NOTHING_CONFIGURED)
    what = describe(target.profile)
    print(f"Checking profile {target.profile_name!r}: {what}.", file=out, flush=True)
    failed = 0
    async for check in checkup(
        target.profile,
        config.session,
        env,
        credential=credential,
        connect_timeout=wait_s,
        reply_timeout=wait_s,
    ):
        failed += check.failed
        label = _LABELS[check.status]
        print(f"  {label:<5} {check.name:<{_NAME_WIDTH}} {check.line}", file=out, flush=True)
    if failed:
        print(f"{failed} check{'s' if failed > 1 else ''} failed.", file=out, flush=True)
        return EXIT_FAILED
    print("No check failed.", file=out, flush=True)
    return EXIT_OK
