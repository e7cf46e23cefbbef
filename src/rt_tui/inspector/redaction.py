"""Take every secret out of a frame before the inspector stores it.

Key-shaped secrets and secret fields go from every text frame (`redact_frame_text`); the
endpoint's own secrets (an Azure key is 32 hex digits, nothing tells it apart) go from
every frame, audio and binary included, as the store was told them.
"""

from __future__ import annotations

import json
from dataclasses import replace

from rt_tui.inspector.classify import FLAG_AUDIO, Classified, classify, wire_text
from rt_tui.realtime.frames import Frame
from rt_tui.realtime.recorder import redact_frame_bytes


def redact_frame(
    frame: Frame, c: Classified, secrets: tuple[str, ...]
) -> tuple[Frame, Classified, str | bytes]:
    """`frame` with every secret out of it, its classification, and the text to keep
    ('' for audio, kept on disk). When redaction changed the frame it is classified
    again, so its summary cannot show the secret either."""
    data = frame.data
    if isinstance(data, bytes):
        scrubbed = redact_frame_bytes(data, secrets)
        if scrubbed == data:
            return frame, c, data
        frame = replace(frame, data=scrubbed, event=None)
        return frame, classify(frame), scrubbed
    if c.flags & FLAG_AUDIO:
        # Audio is huge and has no key-shaped fields: only the known secrets are looked for.
        if not any(secret in data for secret in secrets):
            return frame, c, ""
        clean = data
        for secret in secrets:
            clean = clean.replace(secret, "***")
        frame = replace(frame, data=clean, event=None, client_event=None)
        return frame, classify(frame), ""
    kept = wire_text(frame, secrets)
    original = data or (json.dumps(frame.client_event) if frame.client_event else "")
    if kept == original or not isinstance(kept, str):
        return frame, c, kept
    frame = replace(frame, data=kept, event=None, client_event=None)
    return frame, classify(frame), kept
