"""Performance measurements of the Shortlist engine (not part of the test run).

Run from the repository root, e.g. ``python -m benchmarks.bench_robustness``.
"""
