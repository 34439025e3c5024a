"""Benchmarks for counter-app: ``python -m bench`` runs them all, ``python -m bench NAME`` one.

Benchmarks measure and report; they never pass or fail on a number. Each one is bounded in
count and in time, starts its servers on 127.0.0.1 only and stops every process it started by
that process's id. Results go to ``bench/results/<name>.json``; ``docs/benchmarks.md`` explains
them.
"""
