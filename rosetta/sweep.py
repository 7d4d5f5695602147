r"""Diagrams by brute-force simulation: parameter sweeps and locking maps.

Continuation follows one solution branch at a time and needs smooth, deterministic
equations. Brute force asks a simpler question: *start here, wait, and see what the
system does*. It is the cross-check of a continued diagram, and the only tool left
when continuation does not apply (noise, large networks, discontinuities).

:func:`brute_force`
    For every value of one parameter (and several initial conditions), integrate,
    drop the transient and record the maximum, minimum and time-average of an
    observable :math:`c\cdot x`, and the period of its oscillation. Plotting max and
    min against the parameter draws the one-parameter bifurcation diagram: one dot for
    a fixed point, two for a limit cycle (its extremes), a cloud for chaos, and
    differing dots across initial conditions for bistability.

:func:`locking_map`
    For a periodically forced oscillator, with drive
    :math:`A\sin(2\pi f t)` on one input channel, compute the rotation number
    :math:`\rho = |\langle\dot\theta\rangle| / (2\pi f)` (oscillator turns per drive
    cycle) on a grid of amplitudes :math:`A` and frequencies :math:`f`. The regions
    of constant rational :math:`\rho = p/q` are the Arnold tongues; :math:`\rho = 1`
    is 1:1 locking.

Both run every (parameter value, initial condition) or (amplitude, frequency) pair in
parallel (numba ``prange``) with the same fixed-step schemes as :func:`rosetta.simulate`
(``euler``, ``heun``, ``rk4``, with the same arithmetic, so one entry of a sweep equals
the corresponding ``simulate`` run to rounding), and record on the fly: no trajectory
is stored, so a sweep needs memory for its results only.

A run whose state stops being finite (sweeps cross unstable regions) does not raise:
its entries are NaN and it is listed in the result (``diverged``).

Times (``duration``, ``transient``, ``dt``, periods) are in the model's time unit
(``model.time_unit``); frequencies are in Hz, as everywhere in the package.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Mapping

import numba
import numpy as np
from numba import njit, prange

from . import _jit
from .integrate import METHODS
from .model import Model, ParameterError, default_state
from .models import resolve as _get_model

__all__ = ["brute_force", "SweepResult", "locking_map", "LockingMap"]

# Hysteresis of the period detector: an upward crossing of the mean level counts only
# after the observable has gone below level - HYSTERESIS * (level - min), with the mean
# and min of the first half of the window, so jitter near the level is not a cycle.
HYSTERESIS = 0.25


# --------------------------------------------------------------------------- kernels
@njit(cache=True)
def _stage_input(u, ch, amp, tpf, half, k, h):
    """Drive ``amp sin(2 pi f t)`` on channel ``ch`` at the stage t = (2k + h) dt/2."""
    if ch >= 0:
        u[ch] = amp * math.sin(tpf * ((2 * k + h) * half))


@njit(cache=True)
def _step(rhs, x, p, u, k, dt, method, ch, amp, tpf, half, xs, k1, k2, k3, k4):
    """Advance ``x`` in place by one step from t_k = k dt (same arithmetic as
    :func:`rosetta.integrate._run`). Returns False if the new state is not finite."""
    ns = x.shape[0]
    _stage_input(u, ch, amp, tpf, half, k, 0)
    rhs(x, p, u, k1)
    if method == 0:
        for v in range(ns):
            x[v] += dt * k1[v]
    elif method == 1:
        for v in range(ns):
            xs[v] = x[v] + dt * k1[v]
        _stage_input(u, ch, amp, tpf, half, k, 2)
        rhs(xs, p, u, k2)
        for v in range(ns):
            x[v] += 0.5 * dt * (k1[v] + k2[v])
    else:
        for v in range(ns):
            xs[v] = x[v] + 0.5 * dt * k1[v]
        _stage_input(u, ch, amp, tpf, half, k, 1)
        rhs(xs, p, u, k2)
        for v in range(ns):
            xs[v] = x[v] + 0.5 * dt * k2[v]
        rhs(xs, p, u, k3)
        for v in range(ns):
            xs[v] = x[v] + dt * k3[v]
        _stage_input(u, ch, amp, tpf, half, k, 2)
        rhs(xs, p, u, k4)
        for v in range(ns):
            x[v] += dt / 6.0 * (k1[v] + 2.0 * k2[v] + 2.0 * k3[v] + k4[v])
    total = 0.0
    for v in range(ns):
        total += x[v]
    return math.isfinite(total)


@njit(cache=True)
def _extrema_one(rhs, x, p, c, n_in, dt, nsteps, ntrans, every, method, hyst):
    """One run from ``x``: statistics of o = c.x over the samples j = ntrans, ntrans +
    every, ... (j: steps taken). Returns (max, min, mean, period, failed step or -1).

    The period is the mean interval between upward crossings of a level: the mean of
    the first half of the samples; crossings are detected in the second half, located
    by linear interpolation, and need >= 3 of them (else NaN)."""
    ns = x.shape[0]
    u = np.zeros(n_in)
    xs = np.empty(ns)
    k1 = np.empty(ns)
    k2 = np.empty(ns)
    k3 = np.empty(ns)
    k4 = np.empty(ns)
    nrec = (nsteps - ntrans) // every + 1
    ncal = nrec // 2                     # samples that fix the crossing level
    dts = dt * every                     # time between samples
    mx = -np.inf
    mn = np.inf
    total = 0.0
    cal_min = np.inf
    level = 0.0
    thresh = 0.0
    armed = False
    prev = 0.0
    n_cross = 0
    t_first = 0.0
    t_last = 0.0
    s = 0                                # samples taken so far
    for j in range(nsteps + 1):
        if j > 0:
            if not _step(rhs, x, p, u, j - 1, dt, method, -1, 0.0, 0.0, 0.0, xs, k1, k2, k3, k4):
                return np.nan, np.nan, np.nan, np.nan, j
        if j < ntrans or (j - ntrans) % every != 0:
            continue
        o = 0.0
        for v in range(ns):
            o += c[v] * x[v]
        if o > mx:
            mx = o
        if o < mn:
            mn = o
        total += o
        if s < ncal:
            if o < cal_min:
                cal_min = o
            if s == ncal - 1:
                level = total / ncal
                thresh = level - max(hyst * (level - cal_min), 1e-9 * (1.0 + abs(level)))
        else:
            if armed and o >= level:
                ts = s - 1 + (level - prev) / (o - prev)      # in samples
                if n_cross == 0:
                    t_first = ts
                t_last = ts
                n_cross += 1
                armed = False
            elif o < thresh:
                armed = True
        prev = o
        s += 1
    period = (t_last - t_first) / (n_cross - 1) * dts if n_cross >= 3 else np.nan
    return mx, mn, total / s, period, -1


@njit(cache=True, parallel=True)
def _sweep_kernel(rhs, X0, P, c, n_in, dt, nsteps, ntrans, every, method, hyst):
    """_extrema_one for every row of X0 (with record P[k]), in parallel."""
    K = X0.shape[0]
    stats = np.empty((K, 4))
    fail = np.empty(K, dtype=np.int64)
    for k in prange(K):
        x = X0[k].copy()
        mx, mn, mean, per, f = _extrema_one(rhs, x, P[k], c, n_in, dt, nsteps, ntrans,
                                            every, method, hyst)
        stats[k, 0] = mx
        stats[k, 1] = mn
        stats[k, 2] = mean
        stats[k, 3] = per
        fail[k] = f
    return stats, fail


@njit(cache=True)
def _wrap(a):
    """Angle difference wrapped to [-pi, pi)."""
    return a - 2.0 * math.pi * math.floor((a + math.pi) / (2.0 * math.pi))


@njit(cache=True)
def _rotation_one(rhs, x, p, n_in, ch, amp, tpf, half, dt, method, ntrans, ncal, nmeas, ia, ib):
    """One forced run. Returns (total unwrapped phase advance over the ``nmeas``
    measuring steps, failed step or -1).

    ``ib < 0``: the phase is state ``ia`` itself (increments wrapped, so a phase kept
    in [-pi, pi) is unwrapped too). Otherwise the phase is the angle of
    (x[ia], x[ib]) around the centre of their range (bounding box) over the ``ncal``
    calibration steps that follow the transient."""
    ns = x.shape[0]
    u = np.zeros(n_in)
    xs = np.empty(ns)
    k1 = np.empty(ns)
    k2 = np.empty(ns)
    k3 = np.empty(ns)
    k4 = np.empty(ns)
    k = 0
    for _ in range(ntrans):
        if not _step(rhs, x, p, u, k, dt, method, ch, amp, tpf, half, xs, k1, k2, k3, k4):
            return np.nan, k + 1
        k += 1
    ca = 0.0
    cb = 0.0
    if ib >= 0:
        lo_a = np.inf
        hi_a = -np.inf
        lo_b = np.inf
        hi_b = -np.inf
        for _ in range(ncal):
            if not _step(rhs, x, p, u, k, dt, method, ch, amp, tpf, half, xs, k1, k2, k3, k4):
                return np.nan, k + 1
            k += 1
            lo_a = min(lo_a, x[ia])
            hi_a = max(hi_a, x[ia])
            lo_b = min(lo_b, x[ib])
            hi_b = max(hi_b, x[ib])
        ca = 0.5 * (lo_a + hi_a)
        cb = 0.5 * (lo_b + hi_b)
        prev = math.atan2(x[ib] - cb, x[ia] - ca)
    else:
        prev = x[ia]
    acc = 0.0
    for _ in range(nmeas):
        if not _step(rhs, x, p, u, k, dt, method, ch, amp, tpf, half, xs, k1, k2, k3, k4):
            return np.nan, k + 1
        k += 1
        if ib >= 0:
            now = math.atan2(x[ib] - cb, x[ia] - ca)
        else:
            now = x[ia]
        acc += _wrap(now - prev)
        prev = now
    return acc, -1


@njit(cache=True, parallel=True)
def _locking_kernel(rhs, X0, P, n_in, ch, amps, tpfs, nmeas, half, dt, method, ntrans,
                    ncal, ia, ib):
    """_rotation_one for every (amplitude, frequency) pair k, in parallel."""
    K = amps.shape[0]
    adv = np.empty(K)
    fail = np.empty(K, dtype=np.int64)
    for k in prange(K):
        x = X0.copy()
        a, f = _rotation_one(rhs, x, P[k], n_in, ch, amps[k], tpfs[k], half, dt, method,
                             ntrans, ncal, nmeas[k], ia, ib)
        adv[k] = a
        fail[k] = f
    return adv, fail


# --------------------------------------------------------------------------- checks
def _as_model(model) -> Model:
    return _get_model(model)


def _check_method(method):
    if method not in METHODS:
        raise ParameterError(f"unknown method {method!r}; valid methods: {', '.join(METHODS)}")


def _check_times(model, duration, transient, dt, records):
    """Validate dt (against the model's time scales), duration and transient; return
    (nsteps, ntrans)."""
    model.check_dt(dt, records)
    unit = model.time_unit
    if not (_is_real(duration) and math.isfinite(duration) and duration > 0):
        raise ParameterError(f"duration must be a positive number of {unit}, got {duration!r}")
    if not (_is_real(transient) and math.isfinite(transient) and transient >= 0):
        raise ParameterError(f"transient must be a number of {unit} >= 0, got {transient!r}")
    if transient >= duration:
        raise ParameterError(f"transient ({transient:g} {unit}) must be shorter than the "
                             f"duration ({duration:g} {unit}): nothing would be recorded")
    nsteps = int(round(duration / dt))
    ntrans = int(round(transient / dt))
    if nsteps - ntrans < 2:
        raise ParameterError(f"the window after the transient, {duration - transient:g} {unit}, "
                             f"holds fewer than 2 steps of dt = {dt:g} {unit}")
    return nsteps, ntrans


def _is_real(v) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def _axis(values, name) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    if v.ndim == 0:
        v = v.reshape(1)
    if v.ndim != 1 or v.size == 0:
        raise ParameterError(f"{name} must be a non-empty 1-D sequence of numbers, got shape {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ParameterError(f"{name} must be finite, got {v.tolist()!r}")
    return v


def _observable(model: Model, observable):
    """Weights c (c.x is the observable) and a label such as 'y1 - y2'."""
    if isinstance(observable, str):
        c = np.zeros(model.n_state)
        c[model.state_index(observable)] = 1.0
        return c, observable
    if isinstance(observable, Mapping):
        if not observable:
            raise ParameterError("observable: the dict of weights over state names is empty")
        c = np.zeros(model.n_state)
        terms = []
        for name, w in observable.items():
            if not (_is_real(w) and math.isfinite(w)):
                raise ParameterError(f"observable: the weight of {name!r} must be a finite "
                                     f"number, got {w!r}")
            c[model.state_index(name)] += w
            mag = "" if abs(w) == 1 else f"{abs(w):g} "
            terms.append(("- " if w < 0 else "+ ") + mag + name)
        if not np.any(c != 0):
            raise ParameterError(f"observable: the weights {dict(observable)!r} are all zero")
        label = " ".join(terms)
        label = label[2:] if label.startswith("+ ") else "-" + label[2:]
        return c, label
    raise ParameterError(f"observable must be a state name ({', '.join(model.state)}) or a dict "
                         f"of weights over state names, got {type(observable).__name__}")


def _positive_int(v, name) -> int:
    if not (isinstance(v, numbers.Integral) and not isinstance(v, bool) and v >= 1):
        raise ParameterError(f"{name} must be a positive integer, got {v!r}")
    return int(v)


def _axis_label(par) -> str:
    sym = f"${par.symbol}$" if par.symbol else par.name
    return f"{sym} ({par.unit})" if par.unit and par.unit != "1" else sym


# --------------------------------------------------------------------------- brute force
@dataclass(frozen=True, eq=False)
class SweepResult:
    """Statistics of an observable along a parameter sweep.

    ``max``, ``min``, ``mean`` and ``period`` have shape (n_values, n_starts): entry
    [i, j] is the run at ``values[i]`` from initial state ``starts[j]``, after the
    transient. ``period`` is in the model's time unit (NaN: no oscillation detected);
    ``diverged`` marks the runs whose state stopped being finite (all their entries are
    NaN) and ``t_diverged`` the time at which that happened.
    """

    model: Model
    parameter: str
    values: np.ndarray          # (n_values,)
    starts: np.ndarray          # (n_starts, n_state)
    observable: str             # label, e.g. "y1 - y2"
    weights: np.ndarray         # (n_state,): observable = weights . x
    max: np.ndarray
    min: np.ndarray
    mean: np.ndarray
    period: np.ndarray
    diverged: np.ndarray        # bool (n_values, n_starts)
    t_diverged: np.ndarray      # time of divergence, NaN where finite
    duration: float
    transient: float
    dt: float
    method: str
    record_every: int

    @property
    def amplitude(self) -> np.ndarray:
        """Half the peak-to-peak excursion, (max - min) / 2."""
        return 0.5 * (self.max - self.min)

    @property
    def frequency(self) -> np.ndarray:
        """Oscillation frequency in Hz, 1 / period (NaN where no period)."""
        return 1.0 / (self.period * self.model.seconds_per_unit)

    @property
    def diverged_values(self) -> np.ndarray:
        """The parameter values at which at least one run diverged."""
        return self.values[np.any(self.diverged, axis=1)]

    def describe(self) -> str:
        """Integrator, step and window, for figure captions."""
        m = self.method.upper() if self.method == "rk4" else self.method.capitalize()
        u = self.model.time_unit
        s = (f"{m}, dt = {self.dt:g} {u}, {self.duration:g} {u} (first {self.transient:g} "
             f"{u} dropped), {self.starts.shape[0]} start(s) per value")
        if self.diverged.any():
            s += f"; {int(self.diverged.sum())} run(s) diverged"
        return s

    def plot(self, ax=None, ms: float = 2.5, legend: bool = True):
        """Bifurcation diagram by brute force: max and min of the observable against the
        parameter, as small dots (every initial condition), red for max, blue for min."""
        from .plotting import COLORS, figure
        if ax is None:
            _, ax = figure()
        n_starts = self.starts.shape[0]
        v = np.repeat(self.values, n_starts)
        ax.plot(v, self.max.ravel(), ".", ms=ms, color=COLORS["x"], label="max")
        ax.plot(v, self.min.ravel(), ".", ms=ms, color=COLORS["y"], label="min")
        ax.set_xlabel(_axis_label(self.model.parameter(self.parameter)))
        ax.set_ylabel(self.observable)
        if legend:
            ax.legend(loc="best", markerscale=3)
        return ax


def brute_force(model, parameter: str, values, observable, params: Mapping | None = None,
                duration: float = None, transient: float = None, dt: float = None,
                method: str = "rk4", x0=None, n_starts: int = 1, seed: int = 0,
                record_every: int = 1) -> SweepResult:
    """Sweep one parameter by simulation and record the extrema of an observable.

    For each value in ``values`` and each of ``n_starts`` initial states, integrate
    ``duration`` (no input: the model's input port is zero), drop the first
    ``transient`` and record, on the fly, the maximum, minimum and time-average of the
    observable :math:`o = c\\cdot x` and its period. All runs go in parallel.

    Parameters
    ----------
    model : Model or registry name
    parameter : str
        The parameter swept; ``values`` (1-D) are in its unit.
    observable : str or dict
        A state name, or weights over state names: ``{"y1": 1, "y2": -1}`` is
        :math:`y_1 - y_2`.
    params : mapping, optional
        Other parameter overrides (scalars), applied to every run.
    duration, transient, dt : float
        Run length, the part of it discarded, and the step, in the model's time unit.
    method : "euler", "heun" or "rk4"
        Fixed-step scheme, as in :func:`rosetta.simulate`.
    x0 : array, optional
        Initial states: shape (n_state,) or (m, n_state) with m <= n_starts; they are
        the first starts, and the remaining ones are drawn uniformly in
        ``model.state_range`` (with ``seed``). Default: all drawn at random. (The
        middle of the state ranges, :func:`rosetta.simulate`'s default, is often an
        equilibrium, such as the Stuart-Landau origin, which a sweep would then report
        even where it is unstable.)
    n_starts : int
        Initial states per parameter value (more than one reveals multistability).
    seed : int
        Seed of the random initial states.
    record_every : int
        Sample the observable every k-th step (max/min are then those of the samples).

    Returns
    -------
    SweepResult
        ``max``, ``min``, ``mean``, ``period`` of shape (n_values, n_starts).

    Notes
    -----
    The period is the mean interval between successive upward crossings of the
    observable's mean level. So that it is measured on the fly, the level is the mean
    over the first half of the recorded window, and crossings are counted in the second
    half, located by linear interpolation between samples. A crossing counts only after
    the observable has dipped a quarter of the way from the level to its minimum
    (hysteresis), so rounding jitter about a fixed point is not a cycle. Fewer than 3
    crossings (a fixed point, or a window shorter than about two periods) give NaN. An
    oscillation still decaying in the window gets the period of the damped oscillation;
    a waveform that crosses its mean upward more than once per cycle gives a fraction
    of the period.

    A run whose state stops being finite is not an error here: its entries are NaN,
    ``result.diverged`` marks it and ``result.t_diverged`` says when.
    """
    model = _as_model(model)
    par = model.parameter(parameter)
    if duration is None or transient is None or dt is None:
        raise ParameterError("brute_force needs duration, transient and dt "
                             f"(in {model.time_unit})")
    vals = _axis(values, f"values of '{par.name}'")
    _check_method(method)
    n_starts = _positive_int(n_starts, "n_starts")
    every = _positive_int(record_every, "record_every")
    if not (isinstance(seed, numbers.Integral) and not isinstance(seed, bool)):
        raise ParameterError(f"seed must be an integer, got {seed!r}")
    c, label = _observable(model, observable)
    params = dict(params or {})
    if parameter in params:
        raise ParameterError(f"'{parameter}' is the swept parameter; remove it from params")

    # initial states: the given ones first, then uniform in the state ranges
    ns = model.n_state
    if x0 is None:
        given = np.zeros((0, ns))
    else:
        given = np.asarray(x0, dtype=float)
        given = given.reshape(1, -1) if given.ndim == 1 else given
        if given.ndim != 2 or given.shape[1] != ns or given.shape[0] > n_starts:
            raise ParameterError(
                f"{model.name}: x0 must have shape ({ns},) or (m, {ns}) with m <= n_starts "
                f"= {n_starts} for state ({', '.join(model.state)}), got {np.shape(x0)}")
        if not np.all(np.isfinite(given)):
            raise ParameterError(f"{model.name}: x0 must be finite")
    rng = np.random.default_rng(seed)
    lo = np.array([r[0] for r in model.state_range], dtype=float)
    hi = np.array([r[1] for r in model.state_range], dtype=float)
    extra = lo + (hi - lo) * rng.random((n_starts - given.shape[0], ns))
    starts = np.ascontiguousarray(np.vstack([given[:n_starts], extra]))

    nv = vals.size
    K = nv * n_starts
    P = model.params({parameter: np.repeat(vals, n_starts), **params}, K)
    nsteps, ntrans = _check_times(model, duration, transient, dt, P)
    if (nsteps - ntrans) // every < 1:
        raise ParameterError(f"record_every = {every} leaves fewer than 2 samples in the window")
    X0 = np.ascontiguousarray(np.tile(starts, (nv, 1)))

    with numba.parallel_chunksize(1):       # runs differ in cost (divergence stops one early)
        stats, fail = _jit.call(_sweep_kernel, model, ("rhs",), X0, P, c, model.n_inputs,
                                float(dt), nsteps, ntrans, every, METHODS[method], HYSTERESIS)
    shape = (nv, n_starts)
    diverged = (fail >= 0).reshape(shape)
    t_div = np.where(fail >= 0, fail * float(dt), np.nan).reshape(shape)
    return SweepResult(model, parameter, vals, starts, label, c,
                       stats[:, 0].reshape(shape).copy(), stats[:, 1].reshape(shape).copy(),
                       stats[:, 2].reshape(shape).copy(), stats[:, 3].reshape(shape).copy(),
                       diverged, t_div, float(duration), float(transient), float(dt), method,
                       every)


# --------------------------------------------------------------------------- locking maps
@dataclass(frozen=True, eq=False)
class LockingMap:
    """Rotation numbers of a periodically forced oscillator on an amplitude x frequency grid.

    ``rho[i, j]`` is the oscillator's mean angular frequency divided by the drive's,
    :math:`|\\langle\\dot\\theta\\rangle| / (2\\pi f_j)`, under the drive
    ``amplitudes[i] * sin(2 pi frequencies[j] t)``: the number of oscillator turns per
    drive cycle, in either sense (a real drive, the sum of two counter-rotating ones,
    locks both senses alike). ``frequency`` is the oscillator's signed mean frequency
    in Hz (positive: theta increasing, or counter-clockwise in the plane of the two
    states). NaN where the run diverged (``diverged``).
    """

    model: Model
    channel: str
    amplitudes: np.ndarray      # (n_amp,)
    frequencies: np.ndarray     # (n_freq,), Hz
    rho: np.ndarray             # (n_amp, n_freq)
    frequency: np.ndarray       # (n_amp, n_freq), Hz
    diverged: np.ndarray        # bool (n_amp, n_freq)
    phase: str                  # how the phase was read, e.g. "theta" or "angle(x, y)"
    duration: float
    transient: float
    dt: float
    method: str

    def locked(self, p: int = 1, q: int = 1, tol: float = 1e-3) -> np.ndarray:
        """Mask of p:q locking, the oscillator making p turns per q drive cycles:
        ``|rho - p/q| <= tol``."""
        return np.abs(self.rho - p / q) <= tol

    def plot(self, ax=None, p: int = 1, q: int = 1, tol: float = 1e-3, colorbar: bool = True):
        """Rotation number as a colour map over (drive frequency, amplitude), with the
        p:q (default 1:1) locking region outlined in black."""
        from .plotting import COLORS, figure
        if ax is None:
            _, ax = figure(width=5.0, height=3.8)
        F, A = np.meshgrid(self.frequencies, self.amplitudes)
        mesh = ax.pcolormesh(F, A, self.rho, shading="nearest", cmap="viridis")
        if colorbar:
            ax.figure.colorbar(mesh, ax=ax, label=r"rotation number $\rho$")
        mask = self.locked(p, q, tol)
        if min(F.shape) >= 2 and mask.any() and not mask.all():
            ax.contour(F, A, mask.astype(float), levels=[0.5], colors=[COLORS["theory"]],
                       linewidths=1.4)
        ax.set_xlabel("drive frequency (Hz)")
        ax.set_ylabel(f"drive amplitude (on {self.channel})")
        return ax


def locking_map(model, amplitudes, frequencies, params: Mapping | None = None,
                channel: str | None = None, duration: float = None, transient: float = None,
                dt: float = None, method: str = "rk4", phase_variable=None,
                x0=None) -> LockingMap:
    """Rotation numbers under the drive ``A sin(2 pi f t)`` for every (A, f) of a grid.

    For every amplitude A (in the unit of the input channel) and frequency f (Hz), the
    model is integrated from ``x0`` with the drive on ``channel`` (default the model's
    ``drive_input``), the ``transient`` is dropped and the rotation number

    .. math::  \\rho = \\frac{|\\langle\\dot\\theta\\rangle|}{2\\pi f}

    (oscillator turns per drive cycle) is measured from the unwrapped phase
    :math:`\\theta`, accumulated on the fly. All pairs run in parallel.

    Parameters
    ----------
    model : Model or registry name
    amplitudes, frequencies : 1-D sequences
        Drive amplitudes and frequencies (Hz, > 0).
    params : mapping, optional
        Parameter overrides (scalars), the same for every pair.
    channel : str, optional
        Input channel of the drive; default ``model.drive_input``.
    duration, transient, dt : float
        In the model's time unit.
    method : "euler", "heun" or "rk4"
    phase_variable : str, pair of str, or None
        How the phase is read. A state name: that state is the phase (e.g. the phase
        oscillator's ``"theta"``). A pair of state names ``(a, b)``: the angle
        ``atan2(b - b_c, a - a_c)`` around the centre (a_c, b_c) of the orbit (see
        Notes). Default: the only state of a one-state model, else the angle of the
        first two states. The angle needs a projection in which the orbit winds around
        its centre; for second-order models a potential and its derivative, e.g.
        Jansen-Rit's ``("y1", "y4")``, is a safe choice.
    x0 : array, optional
        Initial state (n_state,); default the middle of each state range.

    Returns
    -------
    LockingMap
        ``rho`` of shape (n_amp, n_freq); ``locked(1, 1)`` is the 1:1 tongue.

    Notes
    -----
    The phase advance is measured over a whole number of drive periods (the largest
    that fits; the end rounded to a step), so a locked orbit, whose phase relative to
    the drive is periodic, gives rho = p/q up to rounding and unconverged transients.
    With an angle phase, the centre is the middle of the range of each of the two
    states over the first half of the window after the transient (for a circle or an
    ellipse, its centre; unlike the time-average it is not biased by a fraction of a
    cycle), and the phase is measured in the second half. The angle counts turns
    correctly only if the projected orbit winds around that point; off-centre, a
    quasi-periodic (unlocked) orbit's rho carries an error of order
    (offset / radius) / (turns measured).
    """
    model = _as_model(model)
    if duration is None or transient is None or dt is None:
        raise ParameterError("locking_map needs duration, transient and dt "
                             f"(in {model.time_unit})")
    amps = _axis(amplitudes, "amplitudes")
    freqs = _axis(frequencies, "frequencies (Hz)")
    if np.any(freqs <= 0):
        raise ParameterError(f"drive frequencies must be > 0 Hz, got {freqs.tolist()!r}")
    _check_method(method)
    ch_name = channel or model.drive_input
    if ch_name is None:
        raise ParameterError(f"{model.name} declares no drive input; pass channel= one of "
                             f"{', '.join(model.inputs)}")
    ch = model.input_index(ch_name)

    # how the phase is read
    if phase_variable is None:
        if model.n_state == 1:
            ia, ib = 0, -1
        else:
            ia, ib = 0, 1
    elif isinstance(phase_variable, str):
        ia, ib = model.state_index(phase_variable), -1
    elif (isinstance(phase_variable, (tuple, list)) and len(phase_variable) == 2
          and all(isinstance(s, str) for s in phase_variable)):
        ia, ib = (model.state_index(s) for s in phase_variable)
        if ia == ib:
            raise ParameterError("phase_variable: the angle needs two different state variables")
    else:
        raise ParameterError("phase_variable must be a state name, a pair of state names or "
                             f"None, got {phase_variable!r}")
    phase = model.state[ia] if ib < 0 else f"angle({model.state[ia]}, {model.state[ib]})"

    nA, nF = amps.size, freqs.size
    K = nA * nF
    P = model.params(params, K)
    nsteps, ntrans = _check_times(model, duration, transient, dt, P)
    X0 = np.ascontiguousarray(default_state(model, 1, x0)[0])

    spu = model.seconds_per_unit
    window = nsteps - ntrans
    ncal = window // 2 if ib >= 0 else 0
    avail = (window - ncal) * dt * spu                       # seconds available to measure
    periods = np.floor(avail * freqs + 1e-9)                 # whole drive periods per frequency
    if np.any(periods < 1):
        slow = freqs[periods < 1].min()
        where = "the second half of the window after the transient" if ib >= 0 else \
            "the window after the transient"
        raise ParameterError(
            f"{where} ({avail / spu:g} {model.time_unit}) is shorter than one period of the "
            f"slowest drive ({slow:g} Hz: {1 / slow:g} s); lengthen duration")
    nmeas_f = np.minimum(np.rint(periods / freqs / (spu * dt)).astype(np.int64), window - ncal)
    nmeas = np.tile(nmeas_f, nA)
    amp_k = np.repeat(amps, nF)
    tpf_k = np.tile(2 * np.pi * freqs, nA)
    half = 0.5 * float(dt) * spu

    with numba.parallel_chunksize(1):       # pairs differ in cost (whole drive periods)
        adv, fail = _jit.call(_locking_kernel, model, ("rhs",), X0, P, model.n_inputs, ch,
                              amp_k, tpf_k, nmeas, half, float(dt), METHODS[method], ntrans,
                              ncal, ia, ib)
    omega_osc = adv / (nmeas * float(dt) * spu)                # rad/s
    rho = (np.abs(omega_osc) / tpf_k).reshape(nA, nF)
    return LockingMap(model, ch_name, amps, freqs, rho, (omega_osc / (2 * np.pi)).reshape(nA, nF),
                      (fail >= 0).reshape(nA, nF), phase, float(duration), float(transient),
                      float(dt), method)
