"""`rt-tui doctor`'s core: check a profile step by step and say, in one line each, what is
wrong and what to do about it. No output of its own: the face prints the checks.

- `preflight`: what the profile itself says, before any network (the key, the path for the
  dialect, `api-version` on the GA path, the proxy and TLS settings).
- `run`: the sign-in, the WebSocket handshake and a `session.update` round trip.
- `explain`: a failure of the engine (HTTP 401/404/429, a refusing proxy, DNS, TLS…) as
  the one line a user can act on.
"""

from rt_tui.checkup.checks import Check, Status
from rt_tui.checkup.preflight import describe
from rt_tui.checkup.run import checkup

__all__ = ["Check", "Status", "checkup", "describe"]
