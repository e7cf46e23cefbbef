"""A TUI session whose files cannot grow past a few kilobytes, as on a full disk: run as a
script by test_app_full_disk.py under RLIMIT_FSIZE (which only a whole process can have).

Usage: python full_disk_session.py TMP_DIR

Talks to the in-process mock with spoken replies, which soon fill more than the limit, and
sends a second message once the log has failed. Prints one JSON object: the notifications,
the status bar before and after, how many replies completed and the log's size.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from conftest_app import connected, submit, wait_for

from rt_tui.config import Config, SessionSettings
from rt_tui.mock.server import MockServer
from rt_tui.tui.app import RtTuiApp, make_app

REPLIES = 8


async def run(tmp: Path) -> dict[str, Any]:
    notifications: list[dict[str, str]] = []
    original = RtTuiApp.notify

    def notify(app: RtTuiApp, message: str, **kwargs: Any) -> None:
        notifications.append({"message": message, **{k: str(v) for k, v in kwargs.items()}})
        original(app, message, **kwargs)

    setattr(RtTuiApp, "notify", notify)  # noqa: B010 - a plain assignment fails mypy
    sessions = tmp / "sessions"
    async with MockServer(delta_delay=0) as server:
        app = make_app(
            config=Config(session=SessionSettings(output_modality="audio")),
            config_path=tmp / "config.toml",
            env={},
            url=server.ga_url(),
            sessions_dir=sessions,
        )
        async with app.run_test(size=(120, 30)) as pilot:
            screen = await connected(pilot)
            status_before = screen.status.render().plain

            def completed() -> int:
                responses = screen.conversation.responses.values()
                return sum(r.status == "completed" for r in responses)

            await submit(pilot, "Tell me a long story")
            await wait_for(pilot, lambda: completed() == 1, "the first reply")
            await wait_for(
                pilot,
                lambda: any(
                    "log" in n.get("title", "").lower() and n.get("severity") == "error"
                    for n in notifications
                ),
                "the log's failure to be said",
            )
            # Enough audio that the scratch files holding what no log holds fill up too.
            for n in range(2, REPLIES + 1):
                await submit(pilot, f"And another one, number {n}, a little longer than before")
                await wait_for(pilot, lambda: completed() == n, f"reply {n}")  # noqa: B023
            await pilot.pause()
            status_after = screen.status.render().plain
    logs = list(sessions.glob("*.jsonl"))
    return {
        "notifications": notifications,
        "status_before": status_before,
        "status_after": status_after,
        "completed": completed(),
        "log_sizes": [p.stat().st_size for p in logs],
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(run(Path(sys.argv[1])))))
