"""Micro-benchmarks of single pieces (not the path): `python -m benchmarks.pieces`."""
