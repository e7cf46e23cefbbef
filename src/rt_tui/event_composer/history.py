"""The events sent from the composer (and with `/raw`), newest last, kept in a JSONL
file in the data folder so they outlive the session, bounded to the newest `limit`.

Each line is `{"text": …}`: the frame as sent, since a malformed one is worth re-sending
too, with secrets scrubbed as in the session log. The file is written with mode 0600; a
file that cannot be read or written costs the history, never the send.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from rt_tui.realtime.redaction import redact_frame_text

HISTORY_FILE = "sent_events.jsonl"
"""Its name in the data folder."""


class SentHistory:
    """Sent frames, oldest first, at most `limit` (repeats of the newest are kept once)."""

    def __init__(self, path: Path, limit: int) -> None:
        self.path = path
        self.limit = limit
        self.problem: str | None = None
        """Why the file could not be read or written last time, if it could not."""
        self._texts: list[str] = self._read()

    @property
    def texts(self) -> list[str]:
        """The frames, oldest first (a copy)."""
        return list(self._texts)

    def _read(self) -> list[str]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError) as error:
            self.problem = f"The composer's history {self.path} cannot be read ({error})."
            return []
        texts: list[str] = []
        for line in lines:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue  # A line cut short by a crash: the rest still counts.
            if isinstance(entry, dict) and isinstance(entry.get("text"), str):
                texts.append(entry["text"])
        return texts[-self.limit :] if self.limit else []

    def add(self, text: str, known_secrets: Iterable[str] = ()) -> None:
        """Remember `text` as the newest (a key in it scrubbed), and write the file."""
        if self.limit == 0:
            return
        text = redact_frame_text(text, known_secrets)
        if self._texts and self._texts[-1] == text:
            return
        self._texts = [*self._texts, text][-self.limit :]
        self._write()

    def _write(self) -> None:
        payload = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in self._texts)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            temporary = self.path.with_name(f".{self.path.name}.tmp")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
            os.replace(temporary, self.path)
        except OSError as error:
            self.problem = (
                f"The composer's history {self.path} cannot be written ({error.strerror or error})."
            )
        else:
            self.problem = None
