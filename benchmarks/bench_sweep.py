"""Throughput of rosetta.sweep.brute_force against a serial loop of rosetta.simulate.

Run by hand:  .venv/bin/python benchmarks/bench_sweep.py [n_values]
Prints, measured in one run and after compilation:
  * a 400-value brute-force sweep of Jansen-Rit (observable y1 - y2, P in [-80, 350] 1/s,
    10 s at dt = 0.1 ms with RK4, the first 4 s dropped): seconds and value-steps per
    second (the issue's target: under 20 s on a 2-core machine); Stuart-Landau (alpha in
    [-5, 5] 1/s) if Jansen-Rit is not registered;
  * the same runs for 20 of the values as a serial loop of rosetta.simulate calls, the
    time per value of both, and their ratio; the sweep's max/min at those values are
    checked against the simulate trajectories.
The number of numba threads is numba's default (all cores) unless NUMBA_NUM_THREADS is set.
"""
import sys
import time

import numba
import numpy as np

import rosetta as rs
from rosetta.sweep import brute_force


def setup():
    if "jansen_rit" in rs.models:
        return dict(model=rs.models["jansen_rit"], parameter="P",
                    values=np.linspace(-80.0, 350.0, N_VALUES),
                    observable={"y1": 1, "y2": -1}, duration=10.0, transient=4.0, dt=1e-4)
    return dict(model=rs.models["stuart_landau"], parameter="alpha",
                values=np.linspace(-5.0, 5.0, N_VALUES), observable="x",
                duration=10.0, transient=4.0, dt=1e-4, x0=[0.1, 0.0])


N_VALUES = int(sys.argv[1]) if len(sys.argv) > 1 else 400
N_SERIAL = 20


def main():
    cfg = setup()
    model = cfg["model"]
    nsteps = int(round(cfg["duration"] / cfg["dt"]))
    print(f"{model.name}: sweep of {cfg['parameter']} over {N_VALUES} values, "
          f"{cfg['duration']:g} {model.time_unit} at dt = {cfg['dt']:g} (RK4, {nsteps} steps "
          f"per value), numba threads = {numba.get_num_threads()}")

    small = dict(cfg, values=cfg["values"][:2], duration=20 * cfg["dt"], transient=5 * cfg["dt"])
    t0 = time.perf_counter()
    brute_force(**small)                                    # compile or load from cache
    print(f"  compile/load of the sweep kernel: {time.perf_counter() - t0:.2f} s")

    t0 = time.perf_counter()
    c0 = time.process_time()
    res = brute_force(**cfg)
    t_sweep = time.perf_counter() - t0
    cpu = time.process_time() - c0
    vs = N_VALUES * nsteps
    print(f"  brute_force: {t_sweep:.2f} s for {N_VALUES} values  ({vs / t_sweep:.3g} "
          f"value-steps/s, {t_sweep / N_VALUES * 1e3:.1f} ms per value); target < 20 s: "
          f"{'met' if t_sweep < 20 else 'NOT met'}")
    print(f"  CPU time {cpu:.2f} s = {cpu / t_sweep:.2f} cores busy on average "
          f"({vs / cpu:.3g} value-steps per CPU-second); fewer than the thread count means "
          f"the cores were shared with other processes")
    osc = np.isfinite(res.period[:, 0])
    print(f"  {int(osc.sum())} values oscillate, {int(res.diverged.sum())} diverged; "
          f"period range {np.nanmin(res.period):.4g} .. {np.nanmax(res.period):.4g} "
          f"{model.time_unit}" if osc.any() else "  no oscillation found")

    idx = np.linspace(0, N_VALUES - 1, N_SERIAL).round().astype(int)
    x0 = res.starts[0]                                      # the sweep's (random) start
    ntrans = int(round(cfg["transient"] / cfg["dt"]))
    c = res.weights
    rs.simulate(model, 20 * cfg["dt"], cfg["dt"], x0=x0)   # compile or load
    t0 = time.perf_counter()
    worst = 0.0
    for i in idx:
        sim = rs.simulate(model, cfg["duration"], cfg["dt"], method="rk4", x0=x0,
                          params={cfg["parameter"]: cfg["values"][i]})
        o = sim.data[ntrans:, 0, :] @ c
        worst = max(worst, abs(o.max() - res.max[i, 0]), abs(o.min() - res.min[i, 0]))
    t_serial = time.perf_counter() - t0
    per_sweep = t_sweep / N_VALUES
    per_serial = t_serial / N_SERIAL
    print(f"  serial rs.simulate loop: {t_serial:.2f} s for {N_SERIAL} values "
          f"({per_serial * 1e3:.1f} ms per value)")
    print(f"  time per value, serial simulate / parallel sweep = {per_serial / per_sweep:.2f}")
    print(f"  max |sweep - simulate| of max/min at those {N_SERIAL} values: {worst:.2e}")


if __name__ == "__main__":
    main()
