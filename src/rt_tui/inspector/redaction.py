"""Take every secret out of a frame before the inspector stores it.

A live frame arrives redacted by its connection (`Frame.redacted`), which knew the
endpoint's secrets; any other frame (a sample, a test) is redacted here with the secrets
the store was told. Key-shaped secrets and secret fields go from every text frame, the
endpoint's own secrets (an Azure key is 32 hex digits, nothing tells it apart) from every
frame, audio and binary included.
"""

from __future__ import annotations

import json
from dataclasses import replace

from rt_tui.inspector.classify import Classified, classify
from rt_tui.realtime.frames import Frame
from rt_tui.realtime.redaction import Redactor, redacted_data


def redact_frame(
    frame: Frame, c: Classified, redactor: Redactor
) -> tuple[Frame, Classified, str | bytes]:
    """`frame` with every secret out of it, its classification, and its wire text without
    secrets. When redaction changed the frame it is classified again, so its summary
    cannot show the secret either."""
    if not frame.data and frame.client_event is not None:
        # A sent frame built from its event alone: the event's JSON stands for the wire.
        frame = replace(frame, data=json.dumps(frame.client_event), redacted=None)
    kept = redacted_data(frame, redactor)
    if kept is frame.data or kept == frame.data:
        return frame, c, kept
    frame = replace(frame, data=kept, event=None, client_event=None, redacted=kept)
    return frame, classify(frame), kept
