"""Micro-benchmarks of single pieces, for profiling a fix (they do not time the path from
socket to screen; `python -m benchmarks` does). Each module here has a `main()`:

python -m benchmarks.pieces            # all
python -m benchmarks.pieces inspector  # inspector.py only
"""

from __future__ import annotations

import importlib
import sys

PIECES = ("engine", "inspector", "replay", "slow_log")


def main(argv: list[str]) -> int:
    unknown = [a for a in argv if a not in PIECES]
    if unknown:
        print(f"No such piece: {', '.join(unknown)} (have: {', '.join(PIECES)}).")
        return 2
    for name in argv or PIECES:
        print(f"== {name} ==", flush=True)
        importlib.import_module(f"benchmarks.pieces.{name}").main()
        print(flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
