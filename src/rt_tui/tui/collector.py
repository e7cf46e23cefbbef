"""The garbage collector, set for a live session: short passes, and full ones rarely.

CPython's collector holds the interpreter while it walks a generation, so every thread
waits, the audio threads too: sounddevice's callbacks need the interpreter, and a pass
longer than the sound device's own buffer (~100 ms) drops a microphone block or leaves a
gap in a reply. A full pass walks every tracked object; two settings keep full passes few
and short:

- What importing built (~100,000 objects: modules, classes, functions) lives as long as
  the process: it is frozen, and full passes skip it. So is what the start-up built once
  the first frame is out (the screen's widgets, styles and bindings: ~20,000 objects),
  after a pass that frees what the start-up threw away. Of those, the few that are let go
  later (the first frame's rendered lines, a start-up notice) stay: a few hundred KB, once.
- The youngest generation holds `YOUNG_OBJECTS` before a pass, not CPython's 700. Textual's
  rendered lines (`Strip`) keep themselves in their own caches, a cycle only the collector
  frees, and a busy screen makes hundreds a second. With 700, a line kept a fraction of a
  second outlived two young passes and reached the oldest generation, which then filled up
  fast enough for a full pass (~70,000 objects in a long session: 30-40 ms of CPU, past
  100 ms on a loaded machine) every two seconds. With `YOUNG_OBJECTS`, most such lines are
  freed by the young passes (a few ms each) and full passes come far apart. Not further
  apart still: what does reach the oldest generation (a conversation block's lines, let go
  once it scrolls out of the cache) waits there for a full pass, and with 10,000 an idle
  session's memory grew ~1 MB a minute faster.
- A full pass comes after `MIDDLE_PASSES` passes of the middle generation, not CPython's
  10. Lines that outlive the young passes wait in the oldest generation for a full pass,
  and memory freed later is kept by the allocator for reuse, not given back: with 10, the
  first minute's waiting lines (~8,000 objects) set the process's size for the session,
  ~0.8 MB above what it holds (the soak probe's first minute). Full passes walk only what
  is not frozen, so early on they are short; later, CPython still waits until a quarter
  as many objects as the oldest generation holds have joined it, so a long session's
  full passes still come far apart.
"""

from __future__ import annotations

import gc
from typing import Final

YOUNG_OBJECTS: Final = 3_000
"""Allocations (less deallocations) of tracked objects between two young passes."""
MIDDLE_PASSES: Final = 3
"""Passes of the middle generation between two full passes (at most: see above)."""


_tuned = False


def tune_for_session() -> None:
    """Freeze what exists now (call it once the app's modules are imported) and widen the
    youngest generation. For the process that runs the app: the settings are global."""
    global _tuned
    gc.freeze()
    _young, middle, _oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS, middle, MIDDLE_PASSES)
    _tuned = True


def start_up_done() -> None:
    """The app's first frame is out: in a process tuned for a session, free what the
    start-up threw away and freeze what it built. Elsewhere (the tests' process runs app
    after app, each let go at its end) nothing happens."""
    if _tuned:
        gc.collect()
        gc.freeze()
