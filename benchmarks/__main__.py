"""Run every `bench_*.py` module in this package (each has a `main()`), or the ones named:

python -m benchmarks            # all
python -m benchmarks inspector  # bench_inspector.py only
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).parent
    names = sorted(p.stem for p in here.glob("bench_*.py"))
    wanted = [f"bench_{a.removeprefix('bench_')}" for a in argv]
    unknown = [w for w in wanted if w not in names]
    if unknown:
        print(f"No such benchmark: {', '.join(unknown)} (have: {', '.join(names)}).")
        return 2
    for name in wanted or names:
        print(f"== {name} ==", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        module.main()
        print(flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
