"""Benchmarks: each module of this package (not starting with "_") is one scenario.

A scenario module defines ``NAME`` and ``run(*, size: int | None = None) -> dict``; the
runner (``python -m bench``) sets Django up on a throwaway SQLite database with the
administrative units loaded, runs every scenario and prints one JSON line per scenario.
"""
