"""Throughput of rosetta.simulate against a hand-written numba loop, measured in one run.

Run by hand:  .venv/bin/python benchmarks/bench_simulate.py
Prints node-steps per second for
  * one node of every registered model, 100 s at dt = 0.1 ms (Euler and RK4);
  * an 80-node dense Kuramoto network, 60 s at dt = 0.1 ms, without and with delays,
    against a hand-written Euler loop of the same equations (the reference);
  * numba compile time of the integrator, cold (fresh cache directory) and warm.
"""
import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from numba import njit

import rosetta as rs


@njit(cache=True)
def reference_kuramoto(theta0, omega, alpha, W, dt, nsteps):
    """Hand-written Euler loop of the same equations as the phase_oscillator network:
    theta_i' = omega_i + sum_j W_ij sin(theta_j - theta_i - alpha)."""
    n = theta0.shape[0]
    th = theta0.copy()
    c = np.empty(n)
    s = np.empty(n)
    for _ in range(nsteps):
        for j in range(n):
            c[j] = math.cos(th[j])
            s[j] = math.sin(th[j])
        for i in range(n):
            sc = 0.0
            ss = 0.0
            for j in range(n):
                sc += W[i, j] * c[j]
                ss += W[i, j] * s[j]
            ph = th[i] + alpha
            th[i] += dt * (omega[i] + ss * math.cos(ph) - sc * math.sin(ph))
    return th


@njit(cache=True)
def reference_kuramoto_delayed(theta0, omega, alpha, W, D, dt, nsteps):
    """Hand-written Euler loop with integer step delays D_ij and a ring buffer."""
    n = theta0.shape[0]
    L = 1
    for i in range(n):
        for j in range(n):
            if D[i, j] + 1 > L:
                L = D[i, j] + 1
    th = theta0.copy()
    hc = np.empty((L, n))
    hs = np.empty((L, n))
    for r in range(L):
        for j in range(n):
            hc[r, j] = math.cos(th[j])
            hs[r, j] = math.sin(th[j])
    for k in range(nsteps):
        for j in range(n):
            hc[k % L, j] = math.cos(th[j])
            hs[k % L, j] = math.sin(th[j])
        new = th.copy()
        for i in range(n):
            sc = 0.0
            ss = 0.0
            for j in range(n):
                r = (k - D[i, j]) % L
                sc += W[i, j] * hc[r, j]
                ss += W[i, j] * hs[r, j]
            ph = th[i] + alpha
            new[i] = th[i] + dt * (omega[i] + ss * math.cos(ph) - sc * math.sin(ph))
        th = new
    return th


def best_of(fn, repeat=3):
    best = math.inf
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def single_nodes():
    print("One node, 1e6 steps at dt = 0.1 ms (100 s), or at the largest dt the model's own "
          "time scale allows:")
    for name, model in rs.models.items():
        dt = 1e-4 if model.time_unit == "s" else 0.1
        if model.timescale is not None:            # e.g. the QIF mean field in ms
            dt = min(dt, model.timescale(model.record()) / 20)
        dur = 1e6 * dt
        for method in ("euler", "rk4"):
            rs.simulate(model, 10 * dt, dt, method=method)          # compile / load
            t, _ = best_of(lambda: rs.simulate(model, dur, dt, method=method, record_every=10))
            print(f"  {name:22s} {method:5s} {1e6 / t:10.3g} node-steps/s  ({t:.3f} s, "
                  f"dt = {dt:.3g} {model.time_unit})")


def networks():
    n, dt, dur = 80, 1e-4, 60.0
    nsteps = int(dur / dt)
    C, lengths = rs.distance_graph(n, seed=1)
    rng = np.random.default_rng(0)
    omega = 2 * np.pi * (10 + rng.standard_normal(n))
    theta0 = rng.uniform(-np.pi, np.pi, n)
    alpha = 0.3
    net = rs.network("phase_oscillator", C, G=20.0, params={"omega": omega, "alpha": alpha})
    W = net.weights
    print(f"\n{n}-node dense Kuramoto network, {dur:g} s at dt = {dt:g} s (Euler):")
    reference_kuramoto(theta0, omega, alpha, W, dt, 10)
    t_ref, th_ref = best_of(lambda: reference_kuramoto(theta0, omega, alpha, W, dt, nsteps))
    rs.simulate(net, 10 * dt, dt, method="euler", x0=theta0[:, None])
    t_rs, res = best_of(lambda: rs.simulate(net, dur, dt, method="euler", x0=theta0[:, None],
                                             record_every=1000))
    assert np.allclose(res.theta[-1], th_ref, atol=1e-6), "rosetta and the reference disagree"
    ns = n * nsteps
    print(f"  reference loop   {ns / t_ref:10.3g} node-steps/s  ({t_ref:.2f} s)")
    print(f"  rosetta.simulate {ns / t_rs:10.3g} node-steps/s  ({t_rs:.2f} s)  "
          f"ratio rosetta/reference time = {t_rs / t_ref:.2f}")

    velocity = 7.0     # m/s
    netd = rs.network("phase_oscillator", C, G=20.0, params={"omega": omega, "alpha": alpha},
                      lengths=lengths, velocity=velocity)
    D = np.rint(netd.delays / dt).astype(np.int64)
    print(f"  with delays (tract lengths / {velocity:g} m/s; max {netd.delays.max() * 1e3:.1f} ms):")
    reference_kuramoto_delayed(theta0, omega, alpha, W, D, dt, 10)
    t_ref, th_ref = best_of(lambda: reference_kuramoto_delayed(theta0, omega, alpha, W, D, dt, nsteps))
    rs.simulate(netd, 10 * dt, dt, method="euler", x0=theta0[:, None])
    t_rs, res = best_of(lambda: rs.simulate(netd, dur, dt, method="euler", x0=theta0[:, None],
                                             record_every=1000))
    assert np.allclose(res.theta[-1], th_ref, atol=1e-6), "rosetta and the reference disagree"
    print(f"  reference loop   {ns / t_ref:10.3g} node-steps/s  ({t_ref:.2f} s)")
    print(f"  rosetta.simulate {ns / t_rs:10.3g} node-steps/s  ({t_rs:.2f} s)  "
          f"ratio rosetta/reference time = {t_rs / t_ref:.2f}")


COMPILE_SNIPPET = """
import time
t0 = time.perf_counter()
import rosetta as rs
t1 = time.perf_counter()
rs.simulate('harmonic_oscillator', 0.01, 1e-4)
t2 = time.perf_counter()
print(f'{t1 - t0:.2f} {t2 - t1:.2f}')
"""


def compile_times():
    print("\nnumba compile of the integrator (fresh process each):")
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        for label in ("cold (empty cache)", "warm (cache filled)"):
            out = subprocess.run([sys.executable, "-c", COMPILE_SNIPPET], env=env,
                                 capture_output=True, text=True, check=True).stdout.split()
            print(f"  {label:20s} import {out[0]} s, first simulate {out[1]} s")


if __name__ == "__main__":
    single_nodes()
    networks()
    compile_times()
