"""Benchmarks: `python -m benchmarks` (make bench) measures every figure of the performance
budget side by side; `python -m benchmarks.soak` (make soak) the long session;
`benchmarks.pieces` times single pieces for profiling."""
