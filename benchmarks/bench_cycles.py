"""Speed of limit-cycle continuation (rosetta.cycles) on the Jansen-Rit model.

Run by hand:  .venv/bin/python benchmarks/bench_cycles.py
Prints, after compilation, for each Jansen-Rit cycle branch (from the Hopf points at
P ~ -12.15, 89.83 and 315.70; ntst = 40, ncol = 4, 6 states):
  * cycles on the branch, Newton iterations, wall time (best of 3) and cycles per second;
then the time of each whole one-parameter diagram of the book's rung e (Jansen-Rit, the
push-pull motif, Wendling in both forms, LaNMM: equilibria plus every cycle branch,
rosetta.bifurcation.bifurcation_diagram) — target < 10 s each — and the numba compile time of
the cycle kernels, cold (fresh caches: rosetta's generated kernel modules and numba's) and
warm.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
from scipy.optimize import brentq

import rosetta as rs
from timing import best_of  # benchmarks/timing.py, beside this script
from rosetta.cycles import continue_cycles
from rosetta.diagram import SpecialPoint

OBS = {"y1": 1, "y2": -1}
P_RANGE = (-80.0, 350.0)



def hopf_points(model):
    """Hopf points of Jansen-Rit from its closed-form equilibrium curve along v = y1 - y2."""
    p = model.record()

    def S(v):
        return 2 * p.e0 / (1 + np.exp(p.r * (p.v0 - v)))

    def equilibrium(v):
        y0 = p.A / p.a * S(v)
        y2 = p.B / p.b * 0.25 * p.C * S(0.25 * p.C * y0)
        y1 = v + y2
        P = p.a / p.A * y1 - 0.8 * p.C * S(p.C * y0)
        return P, np.array([y0, y1, y2, 0.0, 0.0, 0.0])

    def crit(v):
        P, x = equilibrium(v)
        lam = np.linalg.eigvals(model.jac(x, {"P": P}))
        cpx = lam[lam.imag > 1.0]
        return cpx.real[np.argmin(np.abs(cpx.real))] if cpx.size else np.nan

    vs = np.linspace(-5, 25, 3000)
    g = np.array([crit(v) for v in vs])
    out = []
    crossing = np.isfinite(g[:-1]) & np.isfinite(g[1:]) & (np.sign(g[:-1]) != np.sign(g[1:]))
    for i in np.nonzero(crossing)[0]:
        v = brentq(crit, vs[i], vs[i + 1], xtol=1e-14)
        if abs(crit(v)) > 1e-6:
            continue                       # a complex pair appearing, not crossing the axis
        P, x = equilibrium(v)
        lam = np.linalg.eigvals(model.jac(x, {"P": P}))
        om = lam.imag[np.argmin(np.abs(lam.real) + 1e9 * (lam.imag <= 1.0))]
        out.append(SpecialPoint("HB", float(P), x, x[1] - x[2], omega=float(om)))
    return out


def branches(model):
    hopfs = hopf_points(model)
    continue_cycles(model, "P", {}, hopfs[0], P_RANGE, OBS, max_points=5)       # compile / load
    print(f"Jansen-Rit cycle branches (ntst = 40, ncol = 4), P in {P_RANGE}:")
    total_t = total_n = 0
    for h in hopfs:
        t, (br, pts) = best_of(lambda: continue_cycles(model, "P", {}, h, P_RANGE, OBS))
        total_t += t
        total_n += len(br)
        labels = ", ".join(f"{q.label} {q.param:.2f}" for q in pts) or "-"
        print(f"  from HB at P = {h.param:7.2f}: {len(br):4d} cycles, "
              f"{br.extra['newton_iterations']:4d} Newton iterations, {t:.3f} s, "
              f"{len(br) / t:6.0f} cycles/s  (ends: {br.extra['end']}; {labels})")
    print(f"  all three: {total_n} cycles in {total_t:.3f} s = {total_n / total_t:.0f} cycles/s")


# the rung-e diagrams of the book: (title, model, parameter, range, params, observable)
DIAGRAMS = [
    ("Jansen-Rit", "jansen_rit", "P", P_RANGE, {}, OBS),
    ("push-pull motif", "nmm1_motif", "P", (-5.0, 25.0), {}, "x"),
    ("Wendling, printed form (kappa = 0)", "wendling", "P", (0.0, 1700.0), {}, "y0"),
    ("Wendling, AUTO-file form (kappa = 1)", "wendling", "P", (0.0, 2100.0), {"kappa": 1.0},
     "y0"),
    ("LaNMM", "lanmm", "P", (-100.0, 500.0), {}, {"y2": 108.0, "y3": 33.7, "y4": 80.0}),
]


def full_diagrams():
    from rosetta.bifurcation import bifurcation_diagram
    print("\nWhole diagrams (equilibria + every cycle branch), best of 3 after compile; "
          "target < 10 s each:")
    for title, name, par, rng, params, obs in DIAGRAMS:
        def run():
            return bifurcation_diagram(name, par, rng, params=params, observable=obs)
        run()                                                           # compile / load
        t, d = best_of(run)
        n_cyc = sum(len(b) for b in d.cycles)
        pts = ", ".join(f"{q.label} {q.param:.2f}" for q in sorted(d.points, key=lambda q: q.param))
        print(f"  {title:38s} {t:6.2f} s  {len(d.equilibria)} equilibrium and "
              f"{len(d.cycles)} cycle branches, {n_cyc} cycles; {pts}")


COMPILE_SNIPPET = """
import time
t0 = time.perf_counter()
import numpy as np
import rosetta as rs
from rosetta.cycles import continue_cycles
from rosetta.diagram import SpecialPoint
t1 = time.perf_counter()
h = SpecialPoint("HB+", 0.0, np.zeros(2), 0.0, frequency=1.0)     # Hz
continue_cycles("stuart_landau", "alpha", {"omega": 2 * np.pi}, h, (-1, 1), max_points=3)
t2 = time.perf_counter()
print(f'{t1 - t0:.2f} {t2 - t1:.2f}')
"""


def compile_times():
    print("\nnumba compile of the cycle kernels (fresh process each; Stuart-Landau, 3 cycles):")
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache, ROSETTA_CACHE_DIR=cache)
        for label in ("cold (empty cache)", "warm (cached)"):
            out = subprocess.run([sys.executable, "-c", COMPILE_SNIPPET], env=env,
                                 capture_output=True, text=True, check=True).stdout.split()
            print(f"  {label:20s} import {out[0]} s, first continuation {out[1]} s")


if __name__ == "__main__":
    branches(rs.models["jansen_rit"])
    full_diagrams()
    if "--no-compile" not in sys.argv:
        compile_times()
