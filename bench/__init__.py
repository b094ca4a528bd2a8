"""Benchmarks: each `bench_*.py` has a `main()` that prints a table of figures (`make bench`)."""
