"""Fixed-step integrators and :func:`simulate`, the one call that runs any model.

A run is N nodes (N = 1 for a model alone) stepped together. At each stage of a step
the input port of node i is filled with

    u_i = drives_i(t_stage) + noise_i(step) + coupling_i(stage state, delayed history)

and the model's ``rhs`` is called node by node. The steppers are the textbook ones:

* ``euler``: x += dt f(x)                                      (order 1; Euler-Maruyama with noise)
* ``heun``:  k1 = f(x), k2 = f(x + dt k1), x += dt (k1 + k2)/2  (order 2; stochastic Heun)
* ``rk4``:   the classical four-stage Runge-Kutta              (order 4; deterministic only)

Drives are sampled at the sub-steps t, t + dt/2 and t + dt. Noise is drawn once per step
(constant over its stages, which is what makes Heun the stochastic Heun scheme for
additive noise). Delays are rounded to whole steps (a delay under dt/2 acts at once, so
choose dt well below the shortest delay that matters: the paper advises dt <= min tau / 10);
the delayed output at a sub-step is interpolated linearly between stored steps. History
before t = 0 is the initial state's.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
from numba import njit

from . import _jit
from .forcing import Drive, Noise
from .model import Model, ParameterError, SimulationError, default_state
from .models import resolve as _get_model
from .network import Network

__all__ = ["simulate", "Result", "METHODS"]

METHODS = {"euler": 0, "heun": 1, "rk4": 2}


# --------------------------------------------------------------------------- kernels
@njit(cache=True)
def _field(rhs, output, X, P, c, k, U, dX, O, net, frc, buf):
    """dX = f(X) at the stage t_k + c dt, filling the input port U first.

    Node states are copied into the small buffers ``buf`` = (x, u, dx, o) before
    each call of the model's functions: cheaper than creating array views per node."""
    W, rowsum, coupled, diffusive, D, delayed, hist, cin = net
    drv, dch, dw, xi, noisy = frc
    xb, ub, db, ob = buf
    N, n_in = U.shape
    ns = X.shape[1]
    for i in range(N):
        for q in range(n_in):
            U[i, q] = xi[i, q] if noisy else 0.0
    h = 2 * k + int(2.0 * c + 0.5)
    for d in range(drv.shape[0]):
        val = drv[d, h]
        ch = dch[d]
        for i in range(N):
            U[i, ch] += dw[d, i] * val
    if coupled:
        n_out = O.shape[0]
        for i in range(N):
            for v in range(ns):
                xb[v] = X[i, v]
            output(xb, P[i], ob)
            for m in range(n_out):
                O[m, i] = ob[m]
        if delayed:
            L = hist.shape[0]
            base = k % L
            if n_out == 2:
                # the common case (a complex signal, or cos/sin of a phase): one pass over
                # the delays of row i feeds both outputs
                for i in range(N):
                    s0 = 0.0
                    s1 = 0.0
                    for j in range(N):
                        w = W[i, j]
                        if w == 0.0:
                            continue
                        dd = D[i, j]
                        if dd == 0:
                            s0 += w * O[0, j]
                            s1 += w * O[1, j]
                            continue
                        ia = base - dd
                        if ia < 0:
                            ia += L
                        if c == 0.0:
                            s0 += w * hist[ia, j, 0]
                            s1 += w * hist[ia, j, 1]
                        else:
                            ib = ia + 1 if ia + 1 < L else 0
                            a0 = hist[ia, j, 0]
                            a1 = hist[ia, j, 1]
                            s0 += w * (a0 + c * (hist[ib, j, 0] - a0))
                            s1 += w * (a1 + c * (hist[ib, j, 1] - a1))
                    if diffusive:
                        s0 -= rowsum[i] * O[0, i]
                        s1 -= rowsum[i] * O[1, i]
                    U[i, cin[0]] += s0
                    U[i, cin[1]] += s1
            for i in range(N if n_out != 2 else 0):
                for m in range(n_out):
                    s = 0.0          # a scalar accumulator per output stays in a register
                    for j in range(N):
                        w = W[i, j]
                        if w == 0.0:
                            continue
                        dd = D[i, j]
                        if dd == 0:
                            s += w * O[m, j]
                            continue
                        ia = base - dd
                        if ia < 0:
                            ia += L
                        if c == 0.0:
                            s += w * hist[ia, j, m]
                        else:
                            ib = ia + 1 if ia + 1 < L else 0
                            a = hist[ia, j, m]
                            s += w * (a + c * (hist[ib, j, m] - a))
                    if diffusive:
                        s -= rowsum[i] * O[m, i]
                    U[i, cin[m]] += s
        elif n_out == 2:
            for i in range(N):
                # one pass over row i for both outputs, two partial sums each
                a0 = 0.0
                a1 = 0.0
                b0 = 0.0
                b1 = 0.0
                j = 0
                while j + 1 < N:
                    w0 = W[i, j]
                    w1 = W[i, j + 1]
                    a0 += w0 * O[0, j]
                    b0 += w0 * O[1, j]
                    a1 += w1 * O[0, j + 1]
                    b1 += w1 * O[1, j + 1]
                    j += 2
                if j < N:
                    a0 += W[i, j] * O[0, j]
                    b0 += W[i, j] * O[1, j]
                sa = a0 + a1
                sb = b0 + b1
                if diffusive:
                    sa -= rowsum[i] * O[0, i]
                    sb -= rowsum[i] * O[1, i]
                U[i, cin[0]] += sa
                U[i, cin[1]] += sb
        else:
            for i in range(N):
                for m in range(n_out):
                    # four partial sums: the dot product is not bound by one add chain
                    s0 = 0.0
                    s1 = 0.0
                    s2 = 0.0
                    s3 = 0.0
                    j = 0
                    while j + 3 < N:
                        s0 += W[i, j] * O[m, j]
                        s1 += W[i, j + 1] * O[m, j + 1]
                        s2 += W[i, j + 2] * O[m, j + 2]
                        s3 += W[i, j + 3] * O[m, j + 3]
                        j += 4
                    while j < N:
                        s0 += W[i, j] * O[m, j]
                        j += 1
                    s = (s0 + s1) + (s2 + s3)
                    if diffusive:
                        s -= rowsum[i] * O[m, i]
                    U[i, cin[m]] += s
    for i in range(N):
        for v in range(ns):
            xb[v] = X[i, v]
        for q in range(n_in):
            ub[q] = U[i, q]
        rhs(xb, P[i], ub, db)
        for v in range(ns):
            dX[i, v] = db[v]


@njit(cache=True)
def _run(rhs, output, X0, P, net, frc, sigma, seed, dt, nsteps, every, method):
    """Integrate from X0 for nsteps; returns (recorded states, index of the step at
    which the state stopped being finite, or -1)."""
    N, ns = X0.shape
    W, rowsum, coupled, diffusive, D, delayed, hist, cin = net
    drv, dch, dw, xi, noisy = frc
    n_out = cin.shape[0]
    n_in = xi.shape[1]
    X = X0.copy()
    Xs = np.empty_like(X)
    k1 = np.empty_like(X)
    k2 = np.empty_like(X)
    k3 = np.empty_like(X)
    k4 = np.empty_like(X)
    U = np.zeros((N, n_in))
    O = np.zeros((n_out, N))
    buf = (np.zeros(ns), np.zeros(n_in), np.zeros(ns), np.zeros(n_out))
    xb, ob = buf[0], buf[3]
    nrec = nsteps // every + 1
    rec = np.empty((nrec, N, ns))
    rec[0] = X
    if noisy:
        np.random.seed(seed)
    sq = 1.0 / math.sqrt(dt)
    if delayed:
        L = hist.shape[0]
        for i in range(N):
            for v in range(ns):
                xb[v] = X[i, v]
            output(xb, P[i], ob)
            for r in range(L):
                for m in range(n_out):
                    hist[r, i, m] = ob[m]
    r = 1
    for k in range(nsteps):
        if noisy:
            for i in range(N):
                for q in range(n_in):
                    xi[i, q] = sigma[i, q] * sq * np.random.standard_normal() if sigma[i, q] != 0.0 else 0.0
        if delayed:
            for i in range(N):
                for v in range(ns):
                    xb[v] = X[i, v]
                output(xb, P[i], ob)
                for m in range(n_out):
                    hist[k % L, i, m] = ob[m]
        _field(rhs, output, X, P, 0.0, k, U, k1, O, net, frc, buf)
        if method == 0:
            for i in range(N):
                for v in range(ns):
                    X[i, v] += dt * k1[i, v]
        elif method == 1:
            for i in range(N):
                for v in range(ns):
                    Xs[i, v] = X[i, v] + dt * k1[i, v]
            _field(rhs, output, Xs, P, 1.0, k, U, k2, O, net, frc, buf)
            for i in range(N):
                for v in range(ns):
                    X[i, v] += 0.5 * dt * (k1[i, v] + k2[i, v])
        else:
            for i in range(N):
                for v in range(ns):
                    Xs[i, v] = X[i, v] + 0.5 * dt * k1[i, v]
            _field(rhs, output, Xs, P, 0.5, k, U, k2, O, net, frc, buf)
            for i in range(N):
                for v in range(ns):
                    Xs[i, v] = X[i, v] + 0.5 * dt * k2[i, v]
            _field(rhs, output, Xs, P, 0.5, k, U, k3, O, net, frc, buf)
            for i in range(N):
                for v in range(ns):
                    Xs[i, v] = X[i, v] + dt * k3[i, v]
            _field(rhs, output, Xs, P, 1.0, k, U, k4, O, net, frc, buf)
            for i in range(N):
                for v in range(ns):
                    X[i, v] += dt / 6.0 * (k1[i, v] + 2.0 * k2[i, v] + 2.0 * k3[i, v] + k4[i, v])
        total = 0.0
        for i in range(N):
            for v in range(ns):
                total += X[i, v]
        if not math.isfinite(total):
            return rec[:r], k + 1
        if (k + 1) % every == 0:
            rec[r] = X
            r += 1
    return rec, -1


# --------------------------------------------------------------------------- results
@dataclass(frozen=True, eq=False)
class Result:
    """Time plus named state arrays. ``res.t`` is in the model's time unit;
    ``res["x"]`` (or ``res.x``) has shape (T,) for one node and (T, N) for a network."""

    t: np.ndarray
    data: np.ndarray           # (T, N, n_state)
    model: Model
    network: Network | None
    dt: float
    method: str
    seed: int | None
    record_every: int

    def __getitem__(self, name):
        a = self.data[:, :, self.model.state_index(name)]
        return a if self.network is not None else a[:, 0]

    def __getattr__(self, name):
        if name.startswith("_") or name in ("data", "model"):
            raise AttributeError(name)
        try:
            return self[name]
        except ParameterError as e:
            raise AttributeError(str(e)) from None

    @property
    def states(self) -> dict:
        return {s: self[s] for s in self.model.state}

    @property
    def sampling_rate(self) -> float:
        """Samples per second of the recorded series (Hz)."""
        return 1.0 / (self.dt * self.record_every * self.model.seconds_per_unit)

    def describe(self) -> str:
        """Integrator, step and seed, for figure captions."""
        s = f"{self.method.upper() if self.method == 'rk4' else self.method.capitalize()}, dt = {self.dt:g} {self.model.time_unit}"
        if self.seed is not None:
            s += f", seed {self.seed}"
        return s


# --------------------------------------------------------------------------- simulate
def simulate(target, duration: float, dt: float, method: str = "rk4", x0=None,
             params: Mapping | None = None, drive: Drive | Sequence[Drive] | None = None,
             seed: int | None = 0, record_every: int = 1) -> Result:
    """Simulate a model alone, forced, or as a network.

    Parameters
    ----------
    target : Model, registry name, or Network
        What to run: a node model alone, or a network built with :func:`rosetta.network`.
    duration, dt : float
        Length of the run and the step, in the model's time unit (``model.time_unit``).
    method : "euler", "heun" or "rk4"
        Fixed-step scheme. With :class:`~rosetta.forcing.Noise`, "euler" is Euler-Maruyama
        and "heun" the stochastic Heun scheme; "rk4" is refused.
    x0 : array, optional
        Initial state, shape (n_state,) or (N, n_state); default the middle of each
        state range.
    params : mapping, optional
        Parameter overrides (scalars, or one value per node), applied after the network's.
    drive : Drive or list of Drives, optional
        External forcing (see :mod:`rosetta.forcing`); times in seconds.
    seed : int
        Seed of the noise; the same seed gives the same run.
    record_every : int
        Keep every k-th step.
    """
    if isinstance(target, Network):
        net = target
        model = net.model
        n = net.n
        merged = {**net.params, **(params or {})}
    else:
        net = None
        model = _get_model(target)
        n = 1
        merged = dict(params or {})
    P = model.params(merged, n)
    if method not in METHODS:
        raise ParameterError(f"unknown method {method!r}; valid methods: {', '.join(METHODS)}")
    model.check_dt(dt, P)
    if not (np.isfinite(duration) and duration > 0):
        raise ParameterError(f"duration must be a positive number of {model.time_unit}, got {duration!r}")
    if dt > duration:
        raise ParameterError(f"dt = {dt:g} is longer than the run ({duration:g} {model.time_unit})")
    every = int(record_every)
    if every < 1 or every != record_every:
        raise ParameterError(f"record_every must be a positive integer, got {record_every!r}")
    nsteps = int(round(duration / dt))
    X0 = default_state(model, n, x0)

    # forcing
    if drive is None:
        drives = []
    elif isinstance(drive, Drive):
        drives = [drive]
    elif isinstance(drive, (list, tuple)):
        drives = list(drive)
    else:
        raise ParameterError(f"drive must be a rosetta.forcing Drive or a list of them, "
                             f"got {type(drive).__name__}")
    det = [d for d in drives if not isinstance(d, Noise)]
    noise = [d for d in drives if isinstance(d, Noise)]
    for d in drives:
        if not isinstance(d, Drive):
            raise ParameterError(f"drive must be a rosetta.forcing Drive, got {type(d).__name__}")
    sigma = np.zeros((n, model.n_inputs))
    for d in noise:
        sigma[:, model.input_index(d.channel or model.drive_input)] += d.sigma * d.weights(n)
    noisy = bool(np.any(sigma != 0))
    if noisy and method == "rk4":
        raise ParameterError("noise needs method='euler' (Euler-Maruyama) or 'heun' "
                             "(stochastic Heun); rk4 has no stochastic version here")
    if noisy and seed is None:
        raise ParameterError("a noisy run needs an integer seed")
    if det:
        t_half = np.arange(2 * nsteps + 1) * (0.5 * dt * model.seconds_per_unit)
        drv = np.empty((len(det), t_half.size))
        for q, d in enumerate(det):
            drv[q] = d(t_half)
        if not np.all(np.isfinite(drv)):
            raise ParameterError("a drive produced non-finite values")
    else:
        drv = np.zeros((0, 1))
    dch = np.array([model.input_index(d.channel or model.drive_input) for d in det], dtype=np.int64)
    dw = np.array([d.weights(n) for d in det]).reshape(len(det), n)
    frc = (drv, dch, dw, np.zeros((n, model.n_inputs)), noisy)

    # coupling
    cin = np.array([model.input_index(c) for c in model.coupling_inputs], dtype=np.int64)
    if net is not None:
        W = np.ascontiguousarray(net.weights)
        coupled = bool(np.any(W != 0))
        diffusive = net.coupling == "diffusive"
        if net.delays is not None and coupled:
            # delays are rounded to whole steps; one shorter than dt/2 acts instantaneously
            steps = np.rint(net.delays / dt).astype(np.int64)
            delayed = bool(np.any(steps[W != 0] > 0))
        else:
            steps, delayed = np.zeros((1, 1), dtype=np.int64), False
    else:
        W, coupled, diffusive, steps, delayed = np.zeros((1, 1)), False, False, np.zeros((1, 1), np.int64), False
    rowsum = W.sum(axis=1) if coupled else np.zeros(n)
    L = int(steps.max()) + 1 if delayed else 1
    hist = np.zeros((L, n, model.n_outputs))
    netp = (W, rowsum, coupled, diffusive, steps, delayed, hist, cin)

    seed_int = 0 if seed is None else int(np.random.default_rng(seed).integers(2**31 - 1))
    rec, fail = _jit.call(_run, model, ("rhs", "output"), X0, P, netp, frc, sigma, seed_int,
                          float(dt), nsteps, every, METHODS[method])
    if fail >= 0:
        t_fail = fail * dt
        raise SimulationError(
            f"{model.name}: the state stopped being finite at t = {t_fail:.6g} {model.time_unit} "
            f"(step {fail} of {nsteps}, {method}, dt = {dt:g} {model.time_unit}). Likely fix: "
            f"a smaller dt (try {dt / 10:g}) or a higher-order method; otherwise the parameters, "
            f"drive or coupling gain make this system unbounded (e.g. a network past its "
            f"instability) - lower them.")
    t = np.arange(rec.shape[0]) * (dt * every)
    return Result(t, rec, model, net, float(dt), method, seed if noisy else None, every)
