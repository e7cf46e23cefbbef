"""A loopback Realtime API server for the demo, the tests and the benchmarks (no Textual)."""

from rt_tui.mock.server import Handshake, MockServer, serve

__all__ = ["Handshake", "MockServer", "serve"]
