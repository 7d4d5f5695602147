"""Fixed-step integrators and :func:`simulate`, the one call that runs any model.

A run is N nodes (N = 1 for a model alone) stepped together. At each stage of a step
the input port of node i is filled with

    u_i = drives_i(t_stage) + noise_i(step) + projections_i(stage state, delayed history)

and the model's ``rhs`` is called node by node. The methods are explicit Runge-Kutta
schemes given as data (:data:`SCHEMES`, Butcher tableaux) and run by one compiled step
(``rosetta/kernels/stepper.py``), the same for :func:`simulate`, :func:`rosetta.brute_force`
and :func:`rosetta.locking_map`:

* ``euler``: x += dt f(x)                                      (order 1; Euler-Maruyama with noise)
* ``heun``:  k1 = f(x), k2 = f(x + dt k1), x += dt (k1 + k2)/2  (order 2; stochastic Heun)
* ``rk4``:   the classical four-stage Runge-Kutta              (order 4; deterministic only)

Drives are evaluated at the stage times t, t + dt/2 and t + dt (constants, sines, steps and
pulse trains on the fly; an :class:`~rosetta.forcing.Array` from a table of half steps).
Noise is drawn once per step (constant over its stages, which is what makes Heun the
stochastic Heun scheme for additive noise). Delays are rounded to whole steps (a delay
under dt/2 acts at once, so choose dt well below the shortest delay that matters: the
paper advises dt <= min tau / 10); the delayed output at a sub-step is interpolated
linearly between stored steps. History before t = 0 is the initial state's.
"""
from __future__ import annotations

import math
import numbers
import warnings
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
from numba import njit

from . import kernels
from .forcing import Drive, Noise
from .kernels.structs import Forcing, Scheme, Wiring
from .model import Model, ParameterError, SimulationError, default_state, real_number, shown
from .models import resolve as _get_model
from .network import Network, normalize

__all__ = ["simulate", "Result", "METHODS", "SCHEMES", "MAX_STEPS", "MAX_BYTES"]

#: the most steps one run may take (simulate, and each run of a sweep): checked before
#: anything is allocated, so a dt of 1e-300 is an error, not a numba integer overflow
MAX_STEPS = 10**9
#: the largest array a run may allocate (the recorded states, the delay history, a sampled
#: drive table, a sweep's per-run inputs), in bytes: 4 GiB
MAX_BYTES = 4 * 2**30
#: a recorded state beyond its declared range by this factor of the range's scale is
#: reported with a RuntimeWarning: the run is most likely unstable (numerically, or the
#: system itself), though still finite
RANGE_WARNING_FACTOR = 1e3


def _tableau(a, b, c) -> Scheme:
    return Scheme(np.array(a, dtype=float), np.array(b, dtype=float), np.array(c, dtype=float))


#: the explicit Runge-Kutta methods, as Butcher tableaux (a, b, c)
SCHEMES = {
    "euler": _tableau([[0.0]], [1.0], [0.0]),
    "heun": _tableau([[0.0, 0.0], [1.0, 0.0]], [0.5, 0.5], [0.0, 1.0]),
    "rk4": _tableau([[0.0, 0.0, 0.0, 0.0], [0.5, 0.0, 0.0, 0.0], [0.0, 0.5, 0.0, 0.0],
                     [0.0, 0.0, 1.0, 0.0]], [1 / 6, 1 / 3, 1 / 3, 1 / 6], [0.0, 0.5, 0.5, 1.0]),
}
#: order of accuracy of each method (deterministic)
METHODS = {"euler": 1, "heun": 2, "rk4": 4}


# --------------------------------------------------------------------------- checks
def check_method(method) -> Scheme:
    if not isinstance(method, str) or method not in SCHEMES:
        raise ParameterError(f"unknown method {shown(method)}; valid methods: "
                             f"{', '.join(SCHEMES)} (method='rk4', a string)")
    return SCHEMES[method]


def check_duration(model: Model, duration, name: str = "duration") -> float:
    """A positive, finite number of the model's time unit."""
    d = real_number(duration, name, model.time_unit)
    if not (math.isfinite(d) and d > 0):
        raise ParameterError(f"{name} must be a positive number of {model.time_unit}, "
                             f"got {shown(duration)}")
    return d


def check_seed(seed, noisy: bool = False):
    """None or an integer >= 0 (the seed of ``np.random.default_rng``); a noisy run needs
    an integer."""
    if seed is None:
        if noisy:
            raise ParameterError("a noisy run needs an integer seed (seed=0, 1, ...), got None")
        return None
    if not (isinstance(seed, numbers.Integral) and not isinstance(seed, (bool, np.bool_))
            and seed >= 0):
        raise ParameterError(f"seed must be an integer >= 0 (or None without noise), got "
                             f"{shown(seed)} ({type(seed).__name__})")
    return int(seed)


def check_record_every(record_every, nsteps: int | None = None) -> int:
    """A positive integer (an integral float such as 2.0 passes) of at most ``nsteps``."""
    ok = ((isinstance(record_every, numbers.Integral) or
           (isinstance(record_every, float) and math.isfinite(record_every)
            and record_every.is_integer()))
          and not isinstance(record_every, (bool, np.bool_)) and record_every >= 1)
    if not ok:
        raise ParameterError(f"record_every must be a positive integer (keep every k-th step), "
                             f"got {shown(record_every)}")
    every = int(record_every)
    if nsteps is not None and every > nsteps:
        raise ParameterError(f"record_every = {every} is more than the run's {nsteps} steps: "
                             f"nothing after t = 0 would be recorded; use record_every <= "
                             f"{nsteps}")
    return every


def _size(nbytes: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"):
        if nbytes < 1024 or unit == "EiB":
            return f"{nbytes:.3g} {unit}"
        nbytes /= 1024


def check_steps(model: Model, duration: float, dt: float, what: str = "the run") -> int:
    """The number of steps of ``duration`` at ``dt``, refused above :data:`MAX_STEPS`
    (before anything is allocated)."""
    steps = duration / dt
    if not steps <= MAX_STEPS:
        unit = model.time_unit
        raise ParameterError(
            f"{model.name}: {what} would take duration / dt = {duration:g} / {dt:g} = "
            f"{steps:.3g} steps, more than the cap of {MAX_STEPS:.0e} "
            f"(rosetta.integrate.MAX_STEPS); use a larger dt (>= {duration / MAX_STEPS:.3g} "
            f"{unit}) or a shorter duration (<= {dt * MAX_STEPS:.3g} {unit})")
    return int(round(steps))


def check_bytes(nbytes: float, what: str, fix: str) -> None:
    """Refuse an allocation of more than :data:`MAX_BYTES`, before it is made."""
    if not nbytes <= MAX_BYTES:
        raise ParameterError(f"{what} would take {_size(nbytes)}, more than the cap of "
                             f"{_size(MAX_BYTES)} (rosetta.integrate.MAX_BYTES); {fix}")


def check_record_size(model: Model, nsteps: int, every: int, n: int) -> None:
    """The recorded states, (nsteps // every + 1, n, n_state) doubles, within MAX_BYTES."""
    per_sample = 8.0 * n * model.n_state
    samples = nsteps // every + 1
    if samples * per_sample > MAX_BYTES:
        k = math.ceil(nsteps / max(MAX_BYTES // per_sample - 1, 1))
        check_bytes(samples * per_sample,
                    f"{model.name}: the record of {samples:.3g} samples x {n} node(s) x "
                    f"{model.n_state} states",
                    f"keep every k-th step with record_every={k} (or more), or use a larger dt "
                    f"or a shorter duration")


def warn_drive_times(model: Model, drives: list, duration: float) -> None:
    """Warn about a drive that is off (or held at one end value) for the whole run:
    drive times are in seconds, a common slip on a model whose time unit is ms."""
    spu = model.seconds_per_unit
    end = duration * spu
    for d in drives:
        first, last = d.span()
        if first < end and last > 0:
            continue
        name = type(d).__name__
        t = first if first >= end else last
        where = (f"starts at {t:g} s, after the run ends ({end:g} s)" if first >= end
                 else f"ends at {t:g} s, before the run starts (t = 0)")
        unit = ("" if model.time_unit == "s" else
                f"; {model.name} runs in ms, so {t:g} ms is {t * 1e-3:g} s")
        held = "held at an end value" if name == "Array" else "off"
        warnings.warn(f"{name} drive {where}: it is {held} for the whole run. Drive times are "
                      f"in seconds whatever the model's time unit{unit}", UserWarning,
                      stacklevel=3)


@njit(cache=True)
def _extremes(rec):
    """Per-state minimum and maximum of a record (T, N, n_state) in one pass (numpy's
    per-column reductions stride through the record: 5 ms for a 100 s one-node run, a
    fifth of the run itself)."""
    ns = rec.shape[2]
    lo = np.full(ns, np.inf)
    hi = np.full(ns, -np.inf)
    for k in range(rec.shape[0]):
        for i in range(rec.shape[1]):
            for v in range(ns):
                x = rec[k, i, v]
                if x < lo[v]:
                    lo[v] = x
                if x > hi[v]:
                    hi[v] = x
    return lo, hi


def warn_out_of_range(model: Model, rec: np.ndarray, method: str, dt: float) -> None:
    """Warn when a recorded state goes far beyond its declared range (by
    RANGE_WARNING_FACTOR times the range's scale): a finite run that is most likely
    unstable. A state declared over one turn (-pi..pi or 0..2pi) is an unwrapped phase and
    is skipped."""
    if rec.size == 0:
        return
    lo_seen, hi_seen = _extremes(rec)
    far = []
    for v, (lo, hi) in enumerate(model.state_range):
        if abs((hi - lo) - 2 * math.pi) < 1e-9:
            continue
        scale = max(hi - lo, abs(lo), abs(hi))
        worst = max(hi_seen[v] - hi, lo - lo_seen[v])
        if worst > RANGE_WARNING_FACTOR * scale:
            peak = hi_seen[v] if hi_seen[v] - hi >= lo - lo_seen[v] else lo_seen[v]
            far.append(f"{model.state[v]} reached {peak:.3g} (declared range [{lo:g}, {hi:g}], "
                       f"{math.log10(worst / scale):.0f} orders of magnitude beyond)")
    if far:
        warnings.warn(
            f"{model.name}: {'; '.join(far)}. The run is most likely unstable: numerically "
            f"({method}, dt = {dt:g} {model.time_unit}: try a smaller dt or method='rk4'), or "
            f"the system itself (lower the coupling gain or the drive)", RuntimeWarning,
            stacklevel=3)


# --------------------------------------------------------------------------- run plans
def as_drives(drive) -> list:
    """A drive, a list of drives or None, as a list of Drive objects (checked)."""
    if drive is None:
        return []
    if isinstance(drive, Drive):
        return [drive]
    if isinstance(drive, (list, tuple)):
        drives = list(drive)
        for d in drives:
            if not isinstance(d, Drive):
                raise ParameterError(f"drive must be a rosetta.forcing Drive, got {type(d).__name__}")
        return drives
    raise ParameterError(f"drive must be a rosetta.forcing Drive or a list of them, "
                         f"got {type(drive).__name__}")


def drive_channel(model: Model, d: Drive) -> int:
    """The input index a drive targets (its ``channel`` by name, else the model's
    ``drive_input``)."""
    name = d.channel or model.drive_input
    if name is None:
        raise ParameterError(f"{model.name} declares no drive input; give the drive a channel, "
                             f"one of {', '.join(model.inputs)}")
    return model.input_index(name)


def build_forcing(model: Model, drives: list, n: int, nsteps: int, dt: float) -> Forcing:
    """The drives of a run as the compiled stepper reads them (one shared row)."""
    det = [d for d in drives if not isinstance(d, Noise)]
    sigma = np.zeros((1, n, model.n_inputs))
    for d in drives:
        if isinstance(d, Noise):
            sigma[0, :, drive_channel(model, d)] += d.sigma * d.weights(n)
    kind = np.zeros(len(det), dtype=np.int64)
    par = np.zeros((1, len(det), 5))
    row = np.zeros(len(det), dtype=np.int64)
    tables = []
    n_tables = sum(d.kernel_form() is None for d in det)
    if n_tables:
        check_bytes(8.0 * n_tables * (2 * nsteps + 1),
                    f"{model.name}: the table of {n_tables} sampled drive(s) at "
                    f"{2 * nsteps + 1:.3g} half steps", "use a larger dt or a shorter duration")
    for q, d in enumerate(det):
        form = d.kernel_form()
        if form is None:
            t_half = np.arange(2 * nsteps + 1) * (0.5 * dt * model.seconds_per_unit)
            vals = np.asarray(d(t_half), dtype=float)
            if not np.all(np.isfinite(vals)):
                raise ParameterError(f"{type(d).__name__}: the drive produced non-finite values")
            row[q] = len(tables)
            tables.append(vals)
        else:
            kind[q], numbers = form
            par[0, q, :len(numbers)] = numbers
    table = np.array(tables) if tables else np.zeros((0, 1))
    channel = np.array([drive_channel(model, d) for d in det], dtype=np.int64)
    weights = np.array([d.weights(n) for d in det], dtype=float).reshape(len(det), n)
    return Forcing(kind, channel, weights, par, table, row, sigma, model.seconds_per_unit)


def delay_steps(delays, dt, n) -> np.ndarray:
    """Delays (model time) rounded to whole steps; a delay under dt/2 acts at once."""
    if delays is None:
        return np.zeros((n, n), dtype=np.int64)
    steps = np.asarray(delays) / dt
    longest = float(np.max(steps)) if steps.size else 0.0
    if not longest <= MAX_STEPS:
        raise ParameterError(
            f"the longest delay, {float(np.max(delays)):g} model time units, is {longest:.3g} "
            f"steps of dt = {dt:g}, more than the cap of {MAX_STEPS:.0e} "
            f"(rosetta.integrate.MAX_STEPS) for the delay history; shorten the delays (check "
            f"their unit: delays are in the model's time unit, tract lengths in mm with a "
            f"velocity in m/s) or use a larger dt")
    return np.rint(steps).astype(np.int64)


def build_wiring(net: Network | None, n: int, dt: float) -> Wiring:
    """The projections of a network as the compiled stepper reads them (one shared row)."""
    if net is None or not net.projections:
        z = np.zeros(0, dtype=np.int64)
        return Wiring(z, z, np.zeros(0, dtype=np.bool_), np.zeros((0, n, n)), np.zeros((0, n)),
                      np.zeros((1, 0)), np.zeros((1, 0, n, n), dtype=np.int64),
                      np.zeros(0, dtype=np.bool_), 1)
    model = net.model
    projs = net.projections
    W = np.array([normalize(p.weights, p.normalize) for p in projs])
    gain = np.array([[net.G * p.gain for p in projs]])
    steps = np.array([[delay_steps(p.delays, dt, n) for p in projs]])
    return _finish_wiring(model, projs, W, gain, steps)


def _finish_wiring(model, projs, W, gain, steps) -> Wiring:
    nz = W != 0
    delayed = np.array([bool(np.any(steps[:, q][:, nz[q]] > 0)) for q in range(len(projs))])
    L = int(steps.max()) + 1 if delayed.any() else 1
    n = W.shape[1]
    check_bytes(8.0 * L * model.n_outputs * n,
                f"{model.name}: the delay history of {L} steps x {model.n_outputs} output(s) x "
                f"{n} node(s)", "shorten the delays (check their unit) or use a larger dt")
    return Wiring(np.array([model.output_index(p.source) for p in projs], dtype=np.int64),
                  np.array([model.input_index(p.target) for p in projs], dtype=np.int64),
                  np.array([p.coupling == "diffusive" for p in projs]),
                  np.ascontiguousarray(W), np.ascontiguousarray(W.sum(axis=2)),
                  np.ascontiguousarray(gain, dtype=float), np.ascontiguousarray(steps),
                  delayed, L)


def noise_seed(seed) -> int:
    """The integer the compiled generator is seeded with, derived from the user's seed."""
    seed = check_seed(seed)
    return 0 if seed is None else int(np.random.default_rng(seed).integers(2**31 - 1))


def fail_message(model: Model, step: int, nsteps: int, dt: float, method: str) -> str:
    t_fail = step * dt
    return (f"{model.name}: the state stopped being finite at t = {t_fail:.6g} {model.time_unit} "
            f"(step {step} of {nsteps}, {method}, dt = {dt:g} {model.time_unit}). Likely fix: "
            f"a smaller dt (try {dt / 10:g}) or a higher-order method; otherwise the parameters, "
            f"drive or coupling gain make this system unbounded (e.g. a network past its "
            f"instability) - lower them.")


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
    params: np.ndarray | None = None    # the nodes' parameter records (N,)

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

    def output(self, name: str) -> np.ndarray:
        """What the nodes send (one of ``model.outputs``, e.g. Jansen-Rit's pyramidal
        ``rate``) at every recorded time, computed from the recorded states with the
        model's own ``output`` function: shape (T,) for one node, (T, N) for a network."""
        m = self.model.output_index(name)
        if self.params is None:
            raise ParameterError("this Result has no parameter records (made by hand?); "
                                 "outputs need the run's parameters")
        out = kernels.for_model(self.model).outputs_on_records(
            np.ascontiguousarray(self.data), self.params)[:, :, m]
        return out if self.network is not None else out[:, 0]

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
    seed : int >= 0, or None without noise
        Seed of the noise; the same seed gives the same run.
    record_every : int
        Keep every k-th step.

    Every argument is checked before anything runs: a wrong kind or value raises
    :class:`~rosetta.ParameterError` naming it. More than :data:`MAX_STEPS` steps, or a
    record, delay history or drive table larger than :data:`MAX_BYTES`, is refused before
    anything is allocated (the message gives the size and the fix). A run whose state stops
    being finite raises :class:`~rosetta.SimulationError`; one that ends far beyond the
    declared state ranges (an unstable scheme) gives a RuntimeWarning, and a drive that is
    off for the whole run (its times are in seconds) a UserWarning.
    """
    if isinstance(target, Network):
        net = target
        model = net.model
        n = net.n
        if params is not None and not isinstance(params, Mapping):
            model.records(params, n)                    # raises, naming params
        merged = {**net.params, **(params or {})}
    else:
        net = None
        model = _get_model(target)
        n = 1
        merged = params
    P = model.records(merged, n)
    scheme = check_method(method)
    model.check_dt(dt, P)
    duration = check_duration(model, duration)
    if dt > duration:
        raise ParameterError(f"dt = {dt:g} is longer than the run ({duration:g} {model.time_unit})")
    check_record_every(record_every)
    seed = check_seed(seed)
    nsteps = check_steps(model, duration, dt)
    every = check_record_every(record_every, nsteps)
    check_record_size(model, nsteps, every, n)
    X0 = default_state(model, n, x0)
    drives = as_drives(drive)
    warn_drive_times(model, drives, duration)
    forcing = build_forcing(model, drives, n, nsteps, float(dt))
    noisy = bool(np.any(forcing.sigma != 0))
    if noisy and method == "rk4":
        raise ParameterError("noise needs method='euler' (Euler-Maruyama) or 'heun' "
                             "(stochastic Heun); rk4 has no stochastic version here")
    check_seed(seed, noisy)
    wiring = build_wiring(net, n, float(dt))
    rec, fail = kernels.for_model(model).run_record(X0, P, float(dt), nsteps, every, scheme,
                                                    wiring, forcing, noise_seed(seed) if noisy else 0)
    if fail >= 0:
        raise SimulationError(fail_message(model, fail, nsteps, dt, method))
    warn_out_of_range(model, rec, method, float(dt))
    t = np.arange(rec.shape[0]) * (dt * every)
    return Result(t, rec, model, net, float(dt), method, seed if noisy else None, every, P)
