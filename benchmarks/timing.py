"""The one timing rule of the benchmarks: the best of a few runs (the minimum is the run
least disturbed by the rest of the machine), with the last run's result."""
import math
import time


def best_of(fn, repeat=3):
    """(best wall time in s, result of the last call) of ``repeat`` calls of ``fn()``."""
    best, out = math.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out
