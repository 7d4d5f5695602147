"""Throughput of rosetta.simulate against hand-written numba loops, measured in one run.

Run by hand:  .venv/bin/python benchmarks/bench_simulate.py [--quick]

The references are what a careful user would write: one numba function per workload,
``fastmath=True``, the equations typed in, the state recorded at the same stride as the
rosetta run, no other allocation. Each timing is the best of three; each ratio is
rosetta's time over the reference's, measured in the same process, one after the other.

W1  one Jansen-Rit node, 100 s at dt = 0.1 ms, Euler (target: within 1.5x);
W2  80-node Wilson-Cowan (tau = 10 ms), dense coupling, 60 s at 0.1 ms, Euler (within 1.1x;
    stretch < 0.5 s);
W3  W2 with distance delays (tract lengths / velocity, up to ~330 steps) (within 1.2x);
then one node of every registered model (Euler and RK4), and the compile time of the
kernels, cold (empty caches) and warm, in fresh processes.
"""
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
from numba import njit

import rosetta as rs
from timing import best_of  # benchmarks/timing.py, beside this script


# ----------------------------------------------------------------------------- references
@njit(cache=True, fastmath=True)
def reference_jansen_rit(y, A, a, B, b, C, e0, r, v0, P, dt, nsteps, every):
    """Euler loop of the Jansen-Rit equations (state y0..y5), recording every `every`."""
    x = y.copy()
    rec = np.empty((nsteps // every + 1, 6))
    rec[0] = x
    C1, C2, C3, C4 = C, 0.8 * C, 0.25 * C, 0.25 * C
    k = 1
    for n in range(nsteps):
        s_pyr = 2.0 * e0 / (1.0 + math.exp(r * (v0 - (x[1] - x[2]))))
        s_exc = 2.0 * e0 / (1.0 + math.exp(r * (v0 - C1 * x[0])))
        s_inh = 2.0 * e0 / (1.0 + math.exp(r * (v0 - C3 * x[0])))
        d3 = A * a * s_pyr - 2.0 * a * x[3] - a * a * x[0]
        d4 = A * a * (P + C2 * s_exc) - 2.0 * a * x[4] - a * a * x[1]
        d5 = B * b * C4 * s_inh - 2.0 * b * x[5] - b * b * x[2]
        x[0] += dt * x[3]
        x[1] += dt * x[4]
        x[2] += dt * x[5]
        x[3] += dt * d3
        x[4] += dt * d4
        x[5] += dt * d5
        if (n + 1) % every == 0:
            rec[k] = x
            k += 1
    return rec


@njit(cache=True, fastmath=True)
def reference_wilson_cowan(X0, W, wxx, wxy, wyx, wyy, tau_x, tau_y, Px, Py, dt, nsteps, every):
    """Euler loop of N Wilson-Cowan nodes with sum_j W_ij x_j inside the E sigmoid."""
    n = X0.shape[0]
    x = X0[:, 0].copy()
    y = X0[:, 1].copy()
    nx = np.empty(n)
    rec = np.empty((nsteps // every + 1, n, 2))
    rec[0, :, 0] = x
    rec[0, :, 1] = y
    k = 1
    for s in range(nsteps):
        for i in range(n):
            c = 0.0
            for j in range(n):
                c += W[i, j] * x[j]
            ex = 1.0 / (1.0 + math.exp(-(wxx * x[i] - wxy * y[i] + Px + c)))
            nx[i] = x[i] + dt * (-x[i] + ex) / tau_x
        for i in range(n):
            iy = 1.0 / (1.0 + math.exp(-(wyx * x[i] - wyy * y[i] + Py)))
            y[i] += dt * (-y[i] + iy) / tau_y
            x[i] = nx[i]
        if (s + 1) % every == 0:
            rec[k, :, 0] = x
            rec[k, :, 1] = y
            k += 1
    return rec


@njit(cache=True, fastmath=True)
def reference_wilson_cowan_delayed(X0, W, D, wxx, wxy, wyx, wyy, tau_x, tau_y, Px, Py, dt,
                                   nsteps, every):
    """The same with integer step delays D_ij on x_j and a ring buffer of x."""
    n = X0.shape[0]
    L = D.max() + 1
    x = X0[:, 0].copy()
    y = X0[:, 1].copy()
    hist = np.empty((L, n))
    for r in range(L):
        hist[r] = x
    nx = np.empty(n)
    rec = np.empty((nsteps // every + 1, n, 2))
    rec[0, :, 0] = x
    rec[0, :, 1] = y
    k = 1
    for s in range(nsteps):
        slot = s % L
        hist[slot] = x
        for i in range(n):
            c = 0.0
            for j in range(n):
                ia = slot - D[i, j]
                if ia < 0:
                    ia += L
                c += W[i, j] * hist[ia, j]
            ex = 1.0 / (1.0 + math.exp(-(wxx * x[i] - wxy * y[i] + Px + c)))
            nx[i] = x[i] + dt * (-x[i] + ex) / tau_x
        for i in range(n):
            iy = 1.0 / (1.0 + math.exp(-(wyx * x[i] - wyy * y[i] + Py)))
            y[i] += dt * (-y[i] + iy) / tau_y
            x[i] = nx[i]
        if (s + 1) % every == 0:
            rec[k, :, 0] = x
            rec[k, :, 1] = y
            k += 1
    return rec



def report(label, t_ref, t_rs, work, unit="node-steps/s"):
    print(f"  {label}")
    print(f"    reference loop   {work / t_ref:10.3g} {unit}  ({t_ref:.3f} s)")
    print(f"    rosetta          {work / t_rs:10.3g} {unit}  ({t_rs:.3f} s)  "
          f"ratio rosetta/reference = {t_rs / t_ref:.2f}")


# ----------------------------------------------------------------------------- workloads
def w1(quick):
    jr = rs.models["jansen_rit"]
    p = jr.record()
    dt, dur, every = 1e-4, (10.0 if quick else 100.0), 10
    nsteps = int(round(dur / dt))
    y0 = np.array([0.1, 20.0, 15.0, 0.0, 0.0, 0.0])
    args = (p.A, p.a, p.B, p.b, p.C, p.e0, p.r, p.v0, p.P)
    reference_jansen_rit(y0, *args, dt, 10, every)
    rs.simulate(jr, 10 * dt, dt, method="euler", x0=y0)
    # runs of ~25 ms: best of 15 each, so that one scheduler hiccup does not decide the ratio
    t_ref, ref = best_of(lambda: reference_jansen_rit(y0, *args, dt, nsteps, every), 15)
    t_rs, res = best_of(lambda: rs.simulate(jr, dur, dt, method="euler", x0=y0,
                                             record_every=every), 15)
    err = np.max(np.abs(res.data[:, 0] - ref))
    print(f"W1: one Jansen-Rit node, {dur:g} s at dt = 0.1 ms, Euler (max |difference| {err:.1e})")
    report("", t_ref, t_rs, nsteps)
    return t_rs / t_ref


# the paper's Wilson-Cowan with membrane time constants of 10 ms (the paper's tau = 1 is a
# normalised time; 0.1 ms steps then resolve the fastest relaxation, tau / 7, 14 times)
WC_PARAMS = {"tau_x": 10.0, "tau_y": 10.0}
# records compared with the reference: the first second (100 records of 10 ms). Later the
# two runs drift apart: the summation order of the coupling (SIMD in both, different) changes
# the last bits, and the network's neutral phase dynamics carry the difference along.
CHECK = 101


def _wc_network(n, lengths=None, velocity=None):
    C, L = rs.distance_graph(n, seed=1)
    wc = rs.models["wilson_cowan"]
    kw = dict(lengths=L, velocity=velocity) if velocity else {}
    net = rs.network(wc, C, G=1.5, normalize="max_eig", params=WC_PARAMS, **kw)
    return net, L


def w2_w3(quick):
    n, dt, every = 80, 0.1, 100
    dur = 6000.0 if quick else 60000.0                # ms: 60 s
    wc = rs.models["wilson_cowan"]
    if wc.time_unit == "s":
        dt, dur = dt * 1e-3, dur * 1e-3
    nsteps = int(round(dur / dt))
    p = wc.record(WC_PARAMS)
    args = (p.wxx, p.wxy, p.wyx, p.wyy, p.tau_x, p.tau_y, p.Px, p.Py)
    rng = np.random.default_rng(0)
    X0 = np.ascontiguousarray(rng.uniform(0.1, 0.5, (n, 2)))
    ratios = []

    net, lengths = _wc_network(n)
    W = net.weights
    reference_wilson_cowan(X0, W, *args, dt, 10, every)
    rs.simulate(net, 10 * dt, dt, method="euler", x0=X0)
    t_ref, ref = best_of(lambda: reference_wilson_cowan(X0, W, *args, dt, nsteps, every))
    t_rs, res = best_of(lambda: rs.simulate(net, dur, dt, method="euler", x0=X0, record_every=every))
    err = np.max(np.abs(res.data[:CHECK] - ref[:CHECK]))
    print(f"\nW2: {n}-node Wilson-Cowan, dense coupling, {nsteps} steps of {dt:g} "
          f"{wc.time_unit}, Euler (max |difference| over the first second {err:.1e})")
    report("", t_ref, t_rs, n * nsteps)
    ratios.append(t_rs / t_ref)

    velocity = 4.0                                     # m/s: up to ~340 steps of 0.1 ms
    netd, _ = _wc_network(n, lengths, velocity)
    D = np.rint(netd.delays / dt).astype(np.int64)
    reference_wilson_cowan_delayed(X0, W, D, *args, dt, 10, every)
    rs.simulate(netd, 10 * dt, dt, method="euler", x0=X0)
    t_ref, ref = best_of(lambda: reference_wilson_cowan_delayed(X0, W, D, *args, dt, nsteps, every))
    t_rs, res = best_of(lambda: rs.simulate(netd, dur, dt, method="euler", x0=X0, record_every=every))
    err = np.max(np.abs(res.data[:CHECK] - ref[:CHECK]))
    print(f"\nW3: W2 with delays (lengths / {velocity:g} m/s, up to {D.max()} steps) "
          f"(max |difference| over the first second {err:.1e})")
    report("", t_ref, t_rs, n * nsteps)
    ratios.append(t_rs / t_ref)
    return ratios


def single_nodes():
    print("\nOne node of every model, 1e6 steps at dt = 0.1 ms, or at the largest dt its time "
          "scale allows:")
    for name, model in rs.models.items():
        dt = 1e-4 if model.time_unit == "s" else 0.1
        if model.timescale is not None:
            dt = min(dt, model.timescale(model.record()) / 20)
        dur = 1e6 * dt
        for method in ("euler", "rk4"):
            rs.simulate(model, 10 * dt, dt, method=method)
            t, _ = best_of(lambda: rs.simulate(model, dur, dt, method=method, record_every=10))
            print(f"  {name:22s} {method:5s} {1e6 / t:10.3g} node-steps/s  ({t:.3f} s, "
                  f"dt = {dt:.3g} {model.time_unit})")


COMPILE_SNIPPET = """
import time
t0 = time.perf_counter()
import rosetta as rs
t1 = time.perf_counter()
rs.simulate('jansen_rit', 0.01, 1e-4)
t2 = time.perf_counter()
rs.simulate(rs.network('jansen_rit', [[0.0, 1.0], [1.0, 0.0]]), 0.01, 1e-4, method='euler')
t3 = time.perf_counter()
print(f'{t1 - t0:.2f} {t2 - t1:.2f} {t3 - t2:.2f}')
"""


def compile_times():
    print("\nCompile of the Jansen-Rit kernels (fresh process each; import, first simulate, "
          "first network run):")
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache, ROSETTA_CACHE_DIR=cache)
        for label in ("cold (empty caches)", "warm (caches filled)"):
            out = subprocess.run([sys.executable, "-c", COMPILE_SNIPPET], env=env,
                                 capture_output=True, text=True, check=True).stdout.split()
            print(f"  {label:22s} import {out[0]} s, first simulate {out[1]} s, "
                  f"first network run {out[2]} s")


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    r1 = w1(quick)
    r2, r3 = w2_w3(quick)
    print(f"\nRatios (rosetta / hand loop): W1 {r1:.2f} (target <= 1.5), W2 {r2:.2f} "
          f"(<= 1.1), W3 {r3:.2f} (<= 1.2)")
    if not quick:
        single_nodes()
    compile_times()
