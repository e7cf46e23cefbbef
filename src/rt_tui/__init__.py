"""rt-tui: a terminal client and event inspector for the Realtime API."""

__version__ = "0.1.0"
