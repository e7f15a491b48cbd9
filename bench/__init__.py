"""Samvad's benchmarks: `python -m bench.runner [NAME]`, or `make bench [NAME=...]`."""
