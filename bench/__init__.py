"""Benchmarks and their data generators (``make bench`` → ``python -m bench``); see README.md."""
