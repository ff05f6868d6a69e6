"""Benchmarks, run with `make bench` (python -m bench [NAME ...]).

Each bench prints lines `bench: NAME = VALUE UNIT`. Figures that compare sizes are measured
side by side in the same run, as ratios, so they mean the same on any machine.
"""
