"""Command line entry point (filled in by the engine work)."""


def main() -> int:
    return 0
