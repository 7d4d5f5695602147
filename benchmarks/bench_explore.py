"""Scaling of rosetta.explore from 1 to 2 workers (local processes), against the serial loop.

Run by hand:  .venv/bin/python benchmarks/bench_explore.py
A grid of 16 points (G x seed) of a whole-brain-sized run: 74 Stuart-Landau nodes on the
76-region connectome with delays, 2 s at dt = 1 ms (stochastic Heun), measuring synchrony
and the functional-connectivity/structure correlation. Prints the wall time of the serial
loop, of 1 and of 2 worker processes (after a warm-up that loads the compiled kernels in
each worker), the speed-up of 2 workers over 1, and checks that all three tables agree.
"""
import concurrent.futures as cf
import time

import numpy as np
import pandas as pd

import rosetta as rs

GRID = {"G": [0.0, 0.5, 1.0, 2.0, 4.0, 6.0, 8.0, 12.0], "seed": [1, 2]}


def whole_brain(G, seed):
    W, lengths, _, _ = rs.load_connectome("tvb76", drop_isolated=True)
    np.fill_diagonal(W, 0.0)
    net = rs.network("stuart_landau", W, G=G, normalize="row", lengths=lengths, velocity=5.0,
                     params={"alpha": -5.0, "omega": 2 * np.pi * 10.0})
    res = rs.simulate(net, 2.0, 1e-3, method="heun", seed=seed,
                      drive=rs.forcing.Noise(sigma=0.5), record_every=5)
    x = res["x"][res.t > 0.5]
    phase = rs.measures.analytic_phase(x)
    fc = np.corrcoef(x.T)
    iu = np.triu_indices(W.shape[0], 1)
    return {"R": float(np.abs(rs.measures.order_parameter(phase)).mean()),
            "fc_sc": float(np.corrcoef(fc[iu], (W + W.T)[iu])[0, 1])}


def timed(executor):
    t = time.perf_counter()
    table = rs.explore(whole_brain, GRID, executor=executor, progress=False)
    return time.perf_counter() - t, table


def main():
    whole_brain(1.0, 1)                                       # compile in this process
    t_serial, serial = timed("serial")
    print(f"{len(serial)} points, serial loop: {t_serial:.2f} s")
    times = {}
    for workers in (1, 2):
        with cf.ProcessPoolExecutor(max_workers=workers) as ex:
            list(ex.map(whole_brain, [1.0] * workers, [1] * workers))    # warm the workers
            times[workers], table = timed(ex)
        pd.testing.assert_frame_equal(table, serial)
        print(f"{workers} worker(s): {times[workers]:.2f} s")
    print(f"speed-up of 2 workers over 1: {times[1] / times[2]:.2f}x (2 cores; the serial "
          f"loop over 1 worker: {t_serial / times[1]:.2f})")


if __name__ == "__main__":
    main()
