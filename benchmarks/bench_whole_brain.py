"""The whole-brain protocol of book/whole_brain.ipynb for one rung and one coupling, at full length.

Run by hand:  .venv/bin/python benchmarks/bench_whole_brain.py [--quick]

Workload: Jansen-Rit columns (P = 150 /s, on their alpha cycle at random phases) on the 74
connected regions of tvb-data's 76-region connectome, rows normalised, delays from the tract
lengths at 5 m/s, G = 40 /s (G / G_max = 0.25 of the chapter), classic noise (per-step spread
22 /s) on every column's input, stochastic Heun at the paper's step dt = 0.1 ms, 60 s of
activity (600 000 steps) recorded at 1 kHz (every 10 steps). Target: under 10 s after compile.

Reference: the same network as one hand-written numba loop (``fastmath=True``, the equations
typed in, a ring buffer of the pyramidal rates for the integer-step delays, the noise drawn
once per step and held over both Heun stages, no allocation in the loop), measured in the same
process. Without noise the two agree to rounding (checked over 1 s and printed). With noise they
use different random streams, so they are compared by their statistics (synchrony, mean FC,
FC-SC correlation), which in this metastable regime vary from seed to seed by up to about 0.2
(10 s runs, seeds 2-4: synchrony 0.58-0.81 for either code) and still visibly over 60 s. Each
timing is the best of ``repeat`` runs after one warm-up run that compiles (or loads) the kernels.
"""
import math
import sys
import time

import numpy as np
from numba import njit

import rosetta as rs
from timing import best_of  # benchmarks/timing.py, beside this script
from rosetta import forcing as rf, measures as rm

QUICK = "--quick" in sys.argv
DURATION = 6.0 if QUICK else 60.0          # s of activity
DT = 1e-4                                  # s, the paper's step for Jansen-Rit
EVERY = 10                                 # record at 1 kHz
G = 40.0
P_IN = 150.0
SPREAD = 22.0                              # per-step standard deviation of the noisy input (1/s)
VELOCITY = 5.0                             # m/s


@njit(cache=True, fastmath=True)
def reference_jr_network(X0, W, D, G, A, a, B, b, C, e0, r, v0, P, sigma, dt, nsteps, every, seed):
    """Stochastic Heun for N delay-coupled Jansen-Rit columns; W row-normalised, D in steps (>= 1)."""
    np.random.seed(seed)
    n = X0.shape[0]
    L = D.max() + 2
    C1, C2, C3, C4 = C, 0.8 * C, 0.25 * C, 0.25 * C
    x = X0.copy()
    k1 = np.empty((n, 6))
    xp = np.empty((n, 6))
    hist = np.empty((L, n))                      # pyramidal rate S(y1 - y2) at past steps
    for i in range(n):
        s0 = 2.0 * e0 / (1.0 + math.exp(r * (v0 - (x[i, 1] - x[i, 2]))))
        for m in range(L):
            hist[m, i] = s0
    xi = np.empty(n)
    rec = np.empty((nsteps // every + 1, n, 6))
    rec[0] = x
    k = 1
    sq = sigma / math.sqrt(dt)
    for s in range(nsteps):
        slot = s % L
        nxt = (s + 1) % L
        for i in range(n):
            xi[i] = sq * np.random.standard_normal()
        for stage in range(2):
            y = x if stage == 0 else xp
            base = slot if stage == 0 else nxt
            for i in range(n):
                c = 0.0
                for j in range(n):
                    if W[i, j] != 0.0:
                        ia = base - D[i, j]
                        if ia < 0:
                            ia += L
                        c += W[i, j] * hist[ia, j]
                s_pyr = 2.0 * e0 / (1.0 + math.exp(r * (v0 - (y[i, 1] - y[i, 2]))))
                s_exc = 2.0 * e0 / (1.0 + math.exp(r * (v0 - C1 * y[i, 0])))
                s_inh = 2.0 * e0 / (1.0 + math.exp(r * (v0 - C3 * y[i, 0])))
                d0, d1, d2 = y[i, 3], y[i, 4], y[i, 5]
                d3 = A * a * s_pyr - 2.0 * a * y[i, 3] - a * a * y[i, 0]
                d4 = A * a * (P + G * c + xi[i] + C2 * s_exc) - 2.0 * a * y[i, 4] - a * a * y[i, 1]
                d5 = B * b * C4 * s_inh - 2.0 * b * y[i, 5] - b * b * y[i, 2]
                if stage == 0:
                    k1[i, 0], k1[i, 1], k1[i, 2] = d0, d1, d2
                    k1[i, 3], k1[i, 4], k1[i, 5] = d3, d4, d5
                    for v in range(6):
                        xp[i, v] = x[i, v] + dt * k1[i, v]
                else:
                    x[i, 0] += 0.5 * dt * (k1[i, 0] + d0)
                    x[i, 1] += 0.5 * dt * (k1[i, 1] + d1)
                    x[i, 2] += 0.5 * dt * (k1[i, 2] + d2)
                    x[i, 3] += 0.5 * dt * (k1[i, 3] + d3)
                    x[i, 4] += 0.5 * dt * (k1[i, 4] + d4)
                    x[i, 5] += 0.5 * dt * (k1[i, 5] + d5)
            if stage == 0:                           # the rates at step s + 1, for stage 2's delays
                for i in range(n):
                    hist[nxt, i] = 2.0 * e0 / (1.0 + math.exp(r * (v0 - (xp[i, 1] - xp[i, 2]))))
        for i in range(n):                           # the corrected rate at step s + 1
            hist[nxt, i] = 2.0 * e0 / (1.0 + math.exp(r * (v0 - (x[i, 1] - x[i, 2]))))
        if (s + 1) % every == 0:
            rec[k] = x
            k += 1
    return rec


def stats(v, fs, iu, sc):
    v = v[int(1.0 * fs):]
    ph = rm.analytic_phase(rm.bandpass(v, fs, (2.0, 30.0)))
    fc = np.corrcoef(v.T)
    return (np.abs(rm.order_parameter(ph)).mean(), fc[iu].mean(), np.corrcoef(fc[iu], sc)[0, 1])



def main():
    W, lengths, *_ = rs.load_connectome("tvb76", drop_isolated=True)
    C = W.copy()
    np.fill_diagonal(C, 0.0)
    n = C.shape[0]
    iu = np.triu_indices(n, 1)
    sc = 0.5 * (C + C.T)[iu]
    jr = rs.models["jansen_rit"]
    p = dict(jr.defaults, P=P_IN)
    cyc = rs.simulate(jr, 3.0, DT, params={"P": P_IN})
    half = cyc.data.shape[0] // 2
    x0 = cyc.data[half + np.random.default_rng(1).integers(0, cyc.data.shape[0] - half, n), 0, :]
    net = rs.network(jr, C, G=G, normalize="row", lengths=lengths, velocity=VELOCITY, params={"P": P_IN})
    noise = rf.Noise(sigma=SPREAD * math.sqrt(DT))
    nsteps = int(round(DURATION / DT))

    Wn = C / C.sum(axis=1, keepdims=True)
    D = np.rint(lengths * 1e-3 / VELOCITY / DT).astype(np.int64)
    assert D[C > 0].min() >= 1, "the reference needs delays of at least one step"
    args = (x0, Wn, D, G, p["A"], p["a"], p["B"], p["b"], p["C"], p["e0"], p["r"], p["v0"], P_IN,
            SPREAD * math.sqrt(DT), DT)

    def run_rosetta(duration=DURATION):
        return rs.simulate(net, duration, DT, method="heun", x0=x0, drive=noise, seed=1,
                           record_every=EVERY)

    def run_reference(steps=nsteps):
        return reference_jr_network(*args, steps, EVERY, 1)

    t0 = time.perf_counter()
    run_rosetta(0.01)
    t_rs_compile = time.perf_counter() - t0
    t0 = time.perf_counter()
    run_reference(100)
    t_ref_compile = time.perf_counter() - t0
    repeat = 3 if QUICK else 2
    t_rs, res = best_of(run_rosetta, repeat)
    t_ref, rec = best_of(run_reference, repeat)

    # the same equations: without noise the two agree to rounding over one second
    quiet = rs.simulate(net, 1.0, DT, method="heun", x0=x0, record_every=EVERY)
    quiet_ref = reference_jr_network(*args[:-2], 0.0, DT, int(round(1.0 / DT)), EVERY, 1)
    v_q, v_qr = quiet.y1 - quiet.y2, quiet_ref[:, :, 1] - quiet_ref[:, :, 2]
    agree = np.abs(v_q - v_qr).max() / np.abs(v_q).max()

    fs = 1.0 / (DT * EVERY)
    s_rs = stats(res.y1 - res.y2, fs, iu, sc)
    s_ref = stats(rec[:, :, 1] - rec[:, :, 2], fs, iu, sc)
    work = n * nsteps
    print(f"Whole-brain protocol: Jansen-Rit on {n} regions, G = {G:g} /s, delays at {VELOCITY:g} m/s, "
          f"{DURATION:g} s at dt = {DT:g} s (stochastic Heun), recorded at {fs:g} Hz")
    print(f"  first call (compile or cache load): rosetta {t_rs_compile:.2f} s, reference {t_ref_compile:.2f} s")
    print(f"  reference loop   {t_ref:7.2f} s  ({work / t_ref:.3g} node-steps/s)")
    print(f"  rosetta          {t_rs:7.2f} s  ({work / t_rs:.3g} node-steps/s)  "
          f"ratio rosetta/reference = {t_rs / t_ref:.2f}")
    print(f"  target: rosetta under 10 s after compile: {'met' if t_rs < 10.0 else 'NOT met'}")
    print(f"  without noise, 1 s: max |difference| of y1 - y2 / max |y1 - y2| = {agree:.1e}")
    print("  statistics (synchrony, mean FC, corr(FC, SC)), 1 s dropped:")
    print(f"    rosetta    {s_rs[0]:.3f}  {s_rs[1]:.3f}  {s_rs[2]:.3f}")
    print(f"    reference  {s_ref[0]:.3f}  {s_ref[1]:.3f}  {s_ref[2]:.3f}")


if __name__ == "__main__":
    main()
