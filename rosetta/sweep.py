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
parallel (numba ``prange``) through the one compiled step of :func:`rosetta.simulate`
(``rosetta/kernels/stepper.py``), so one entry of a sweep equals the corresponding
``simulate`` run to the last bit, and record on the fly: no trajectory is stored, so a
sweep needs memory for its results only. A sweep takes what ``simulate`` takes: a model
or a network, drives (noise included: every value then sees the same noise, that of
``seed``, as ``simulate(..., seed=seed)`` would draw it), and any model parameter, or a
network's gain ``G`` or conduction ``velocity``.

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

from . import kernels
from .integrate import (as_drives, build_forcing, build_wiring, check_bytes,
                        check_method, check_seed, check_steps, delay_steps, drive_channel,
                        noise_seed, warn_drive_times, _finish_wiring)
from .diagram import observable as observable_spec
from .forcing import PulseTrain, Sine
from .model import Model, ParameterError, default_state, real_array, shown
from .models import resolve as _get_model
from .network import Network

__all__ = ["brute_force", "SweepResult", "locking_map", "LockingMap"]

# Hysteresis of the period detector: an upward crossing of the mean level counts only
# after the observable has gone below level - HYSTERESIS * (level - min), with the mean
# and min of the first half of the window, so jitter near the level is not a cycle.
HYSTERESIS = 0.25

#: network-level quantities a sweep can vary, besides the model's parameters
NETWORK_PARAMETERS = ("G", "velocity")


# --------------------------------------------------------------------------- checks
def _target(target):
    """(model, network or None) of a sweep's target."""
    if isinstance(target, Network):
        return target.model, target
    return _get_model(target), None


def _check_times(model, duration, transient, dt, records):
    """Validate dt (against the model's time scales), duration and transient; return
    (nsteps, ntrans)."""
    model.check_dt(dt, records)
    unit = model.time_unit
    if not (_is_real(duration) and math.isfinite(duration) and duration > 0):
        raise ParameterError(f"duration must be a positive number of {unit}, got "
                             f"{shown(duration)}")
    if not (_is_real(transient) and math.isfinite(transient) and transient >= 0):
        raise ParameterError(f"transient must be a number of {unit} >= 0, got "
                             f"{shown(transient)}")
    if transient >= duration:
        raise ParameterError(f"transient ({transient:g} {unit}) must be shorter than the "
                             f"duration ({duration:g} {unit}): nothing would be recorded")
    nsteps = check_steps(model, duration, dt, "each run")
    ntrans = int(round(transient / dt))
    if nsteps - ntrans < 2:
        raise ParameterError(f"the window after the transient, {duration - transient:g} {unit}, "
                             f"holds fewer than 2 steps of dt = {dt:g} {unit}")
    return nsteps, ntrans


def _is_real(v) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def _axis(values, name) -> np.ndarray:
    v = real_array(values, name)
    if v.ndim == 0:
        v = v.reshape(1)
    if v.ndim != 1 or v.size == 0:
        raise ParameterError(f"{name} must be a non-empty 1-D sequence of numbers, got shape {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ParameterError(f"{name} must be finite, got {v.tolist()!r}")
    return v


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
    transient; for a network, (n_values, n_starts, N), node by node. ``period`` is in the model's time unit (NaN: no oscillation detected);
    ``diverged`` marks the runs whose state stopped being finite (all their entries are
    NaN) and ``t_diverged`` the time at which that happened.
    """

    model: Model
    parameter: str
    values: np.ndarray          # (n_values,)
    starts: np.ndarray          # (n_starts, n_state), or (n_starts, N, n_state) for a network
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
    network: Network | None = None
    seed: int | None = None     # seed of the noise, None for a deterministic sweep

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
        return self.values[np.any(self.diverged.reshape(self.values.size, -1), axis=1)]

    def describe(self) -> str:
        """Integrator, step and window, for figure captions."""
        m = self.method.upper() if self.method == "rk4" else self.method.capitalize()
        u = self.model.time_unit
        s = (f"{m}, dt = {self.dt:g} {u}, {self.duration:g} {u} (first {self.transient:g} "
             f"{u} dropped), {self.starts.shape[0]} start(s) per value")
        if self.seed is not None:
            s += f", noise seed {self.seed}"
        if self.diverged.any():
            s += f"; {int(self.diverged.sum())} run(s) diverged"
        return s

    def plot(self, ax=None, ms: float = 2.5, legend: bool = True):
        """Bifurcation diagram by brute force: max and min of the observable against the
        parameter, as small dots (every initial condition), red for max, blue for min."""
        from .plotting import COLORS, figure
        if ax is None:
            _, ax = figure()
        per_value = self.max[0].size
        v = np.repeat(self.values, per_value)
        ax.plot(v, self.max.ravel(), ".", ms=ms, color=COLORS["x"], label="max")
        ax.plot(v, self.min.ravel(), ".", ms=ms, color=COLORS["y"], label="min")
        if self.parameter in NETWORK_PARAMETERS:
            ax.set_xlabel("G" if self.parameter == "G" else "conduction velocity (m/s)")
        else:
            ax.set_xlabel(_axis_label(self.model.parameter(self.parameter)))
        ax.set_ylabel(self.observable)
        if legend:
            ax.legend(loc="best", markerscale=3)
        return ax


def brute_force(model, parameter: str, values, observable, params: Mapping | None = None,
                duration: float = None, transient: float = None, dt: float = None,
                method: str = "rk4", x0=None, n_starts: int = 1, seed: int = 0,
                record_every: int = 1, drive=None) -> SweepResult:
    """Sweep one parameter by simulation and record the extrema of an observable.

    For each value in ``values`` and each of ``n_starts`` initial states, integrate
    ``duration`` (with ``drive``, if any), drop the first
    ``transient`` and record, on the fly, the maximum, minimum and time-average of the
    observable :math:`o = c\\cdot x` and its period. All runs go in parallel.

    Parameters
    ----------
    model : Model, registry name or Network
        What to run, as for :func:`rosetta.simulate`.
    parameter : str
        The parameter swept; ``values`` (1-D) are in its unit. A model parameter, or for
        a network its gain ``"G"`` or its conduction ``"velocity"`` (m/s; re-times every
        projection whose delays come from tract lengths).
    observable : str or dict
        A state name, or weights over state names: ``{"y1": 1, "y2": -1}`` is
        :math:`y_1 - y_2`.
    params : mapping, optional
        Other parameter overrides (scalars, or one value per node), applied to every run.
    drive : Drive or list of Drives, optional
        Forcing, as for :func:`rosetta.simulate`; with :class:`~rosetta.forcing.Noise`,
        every run draws the noise of ``seed`` (common random numbers).
    duration, transient, dt : float
        Run length, the part of it discarded, and the step, in the model's time unit.
    method : "euler", "heun" or "rk4"
        Fixed-step scheme, as in :func:`rosetta.simulate`.
    x0 : array, optional
        Initial states: shape (n_state,) or (m, n_state) with m <= n_starts (for a
        network (N, n_state) or (m, N, n_state)); they are
        the first starts, and the remaining ones are drawn uniformly in
        ``model.state_range`` (with ``seed``). Default: all drawn at random. (The
        middle of the state ranges, :func:`rosetta.simulate`'s default, is often an
        equilibrium, such as the Stuart-Landau origin, which a sweep would then report
        even where it is unstable.)
    n_starts : int
        Initial states per parameter value (more than one reveals multistability).
    seed : int
        Seed of the random initial states and of the noise.
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
    model, net = _target(model)
    if duration is None or transient is None or dt is None:
        raise ParameterError("brute_force needs duration, transient and dt "
                             f"(in {model.time_unit})")
    if not isinstance(parameter, str):
        raise ParameterError(f"parameter must be a parameter name (a string), one of "
                             f"{', '.join(model.parameter_names)}, got {shown(parameter)}")
    if params is not None and not isinstance(params, Mapping):
        model.records(params)                   # raises: params must be a dict, naming it
    network_level = parameter in NETWORK_PARAMETERS and net is not None
    if not network_level:
        if parameter in NETWORK_PARAMETERS:
            raise ParameterError(f"'{parameter}' is a network's; sweep it on a Network "
                                 f"(rs.network(...)), not on a model alone")
        model.parameter(parameter)
    vals = _axis(values, f"values of '{parameter}'")
    scheme = check_method(method)
    n_starts = _positive_int(n_starts, "n_starts")
    every = _positive_int(record_every, "record_every")
    if check_seed(seed) is None:
        raise ParameterError("brute_force: seed must be an integer >= 0 (it draws the random "
                             "initial states and the noise), got None")
    c, label = observable_spec(model, observable)
    params = dict(params or {})
    if parameter in params:
        raise ParameterError(f"'{parameter}' is the swept parameter; remove it from params")
    n = 1 if net is None else net.n
    base = {**(net.params if net is not None else {}), **params}

    # initial states: the given ones first, then uniform in the state ranges
    ns = model.n_state
    check_bytes(8.0 * vals.size * n_starts * n * (2 * ns + len(model.parameters) + 4),
                f"{model.name}: the inputs and results of {vals.size * n_starts} runs "
                f"({vals.size} values x {n_starts} starts) x {n} node(s)",
                "sweep fewer values or fewer starts")
    shape1 = (ns,) if net is None else (n, ns)
    if x0 is None:
        given = np.zeros((0,) + shape1)
    else:
        given = real_array(x0, f"{model.name}: x0 (initial states)")
        given = given.reshape((1,) + shape1) if given.shape == shape1 else given
        if given.shape[1:] != shape1 or given.shape[0] > n_starts:
            raise ParameterError(
                f"{model.name}: x0 must have shape {shape1} or (m, {', '.join(map(str, shape1))}) "
                f"with m <= n_starts = {n_starts} for state ({', '.join(model.state)}), "
                f"got {np.shape(x0)}")
        if not np.all(np.isfinite(given)):
            raise ParameterError(f"{model.name}: x0 must be finite")
    rng = np.random.default_rng(seed)
    lo = np.array([r[0] for r in model.state_range], dtype=float)
    hi = np.array([r[1] for r in model.state_range], dtype=float)
    extra = lo + (hi - lo) * rng.random((n_starts - given.shape[0],) + shape1)
    starts = np.ascontiguousarray(np.concatenate([given[:n_starts], extra]))

    nv = vals.size
    K = nv * n_starts
    if network_level:
        P = model.records(base, n).reshape(1, n)
    else:
        over = dict(base)
        over[parameter] = np.repeat(np.repeat(vals, n_starts), n)
        for key, v in base.items():
            if np.ndim(v) == 1:
                over[key] = np.tile(v, K)
        P = model.records(over, K * n).reshape(K, n)
    nsteps, ntrans = _check_times(model, duration, transient, dt, P.reshape(-1))
    if (nsteps - ntrans) // every < 1:
        raise ParameterError(f"record_every = {every} leaves fewer than 2 samples in the window")
    drives = as_drives(drive)
    warn_drive_times(model, drives, duration)
    forcing = build_forcing(model, drives, n, nsteps, float(dt))
    noisy = bool(np.any(forcing.sigma != 0))
    if noisy and method == "rk4":
        raise ParameterError("noise needs method='euler' (Euler-Maruyama) or 'heun' "
                             "(stochastic Heun); rk4 has no stochastic version here")
    wiring = build_wiring(net, n, float(dt))
    if network_level:
        wiring = _sweep_wiring(net, parameter, np.repeat(vals, n_starts), float(dt), wiring)
    X0 = np.ascontiguousarray(np.tile(starts.reshape((n_starts, n, ns)), (nv, 1, 1)))

    with numba.parallel_chunksize(1):       # runs differ in cost (divergence stops one early)
        stats, fail = kernels.for_model(model).sweep_stats(
            X0, P, float(dt), nsteps, ntrans, every, scheme, wiring, forcing, noise_seed(seed),
            c, HYSTERESIS)
    stats = stats.reshape((nv, n_starts, n, 4))
    if net is None:
        stats = stats[:, :, 0]
    diverged = (fail >= 0).reshape(nv, n_starts)
    t_div = np.where(fail >= 0, fail * float(dt), np.nan).reshape(nv, n_starts)
    return SweepResult(model, parameter, vals, starts, label, c,
                       stats[..., 0].copy(), stats[..., 1].copy(), stats[..., 2].copy(),
                       stats[..., 3].copy(), diverged, t_div, float(duration), float(transient),
                       float(dt), method, every, net, seed if noisy else None)


def _sweep_wiring(net: Network, parameter: str, values, dt: float, wiring):
    """The wiring with one row per run: gains for a G sweep, delays for a velocity sweep."""
    projs = net.projections
    if not projs:
        raise ParameterError(f"this network has no projections: '{parameter}' changes nothing")
    if parameter == "G":
        gain = np.outer(values, [p.gain for p in projs])
        return _finish_wiring(net.model, projs, wiring.W, gain, wiring.steps)
    if not any(p.lengths is not None for p in projs):
        raise ParameterError("a velocity sweep needs delays from tract lengths: build the "
                             "network with lengths= and velocity=")
    if np.any(np.asarray(values) <= 0):
        raise ParameterError(f"velocities must be > 0 m/s, got {list(values)!r}")
    spu = net.model.seconds_per_unit
    check_bytes(8.0 * len(values) * len(projs) * net.n ** 2,
                f"the delays of {len(values)} velocity runs x {len(projs)} projection(s) x "
                f"{net.n}^2 node pairs", "sweep fewer velocities or fewer starts")
    steps = np.array([[delay_steps(p.lengths * 1e-3 / v / spu, dt, net.n) if p.lengths is not None
                       else wiring.steps[0, q] for q, p in enumerate(projs)] for v in values])
    return _finish_wiring(net.model, projs, wiring.W, wiring.gain, steps)


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
    drive: str = "Sine"         # the drive's form: "Sine" or "PulseTrain"

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
        what = "pulse height" if self.drive == "PulseTrain" else "drive amplitude"
        ax.set_ylabel(f"{what} (on {self.channel})")
        return ax


def locking_map(model, amplitudes, frequencies, params: Mapping | None = None,
                channel: str | None = None, duration: float = None, transient: float = None,
                dt: float = None, method: str = "rk4", phase_variable=None,
                x0=None, drive=None) -> LockingMap:
    """Rotation numbers under the drive ``A sin(2 pi f t)`` (or a train of pulses of
    height A at f, with ``drive=PulseTrain(width=...)``) for every (A, f) of a grid.

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
        Jansen-Rit's ``("y0", "y3")``. Not the PSP that the drive enters directly
        (Jansen-Rit's ``y1`` under a drive on P): its phase follows a strong drive while
        the column keeps its own rhythm, and the map then reports locking that is not
        there.
    x0 : array, optional
        Initial state (n_state,); default the middle of each state range.
    drive : Sine or PulseTrain, optional
        The periodic drive's form, as a template whose amplitude and frequency are
        replaced by each grid point's (A, f): a :class:`~rosetta.forcing.Sine` (the
        default, phase 0) or a :class:`~rosetta.forcing.PulseTrain` whose ``width`` (s)
        must fit in the fastest drive's period. Its ``channel`` (if set) is the drive's
        input, as ``channel``; its ``start`` and ``phase`` are kept.

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
    model = _get_model(model)
    if params is not None and not isinstance(params, Mapping):
        model.records(params)                   # raises: params must be a dict, naming it
    if duration is None or transient is None or dt is None:
        raise ParameterError("locking_map needs duration, transient and dt "
                             f"(in {model.time_unit})")
    amps = _axis(amplitudes, "amplitudes")
    freqs = _axis(frequencies, "frequencies (Hz)")
    if np.any(freqs <= 0):
        raise ParameterError(f"drive frequencies must be > 0 Hz, got {freqs.tolist()!r}")
    if isinstance(drive, PulseTrain) and drive.width * freqs.max() > 1.0:
        raise ParameterError(f"locking_map: pulses of width {drive.width:g} s do not fit in the "
                             f"period of the fastest drive ({freqs.max():g} Hz: "
                             f"{1 / freqs.max():g} s); use a narrower pulse or lower frequencies")
    scheme = check_method(method)
    if drive is None:
        drive = Sine(channel=channel)
    elif not isinstance(drive, (Sine, PulseTrain)):
        raise ParameterError("locking_map: drive must be a Sine or a PulseTrain template (its "
                             f"amplitude and frequency are set per grid point), got {shown(drive)}")
    if drive.nodes is not None:
        raise ParameterError("locking_map: the drive template acts on the one node; leave "
                             "its nodes unset")
    if channel is not None and drive.channel is not None and channel != drive.channel:
        raise ParameterError(f"locking_map: channel={channel!r} and drive.channel="
                             f"{drive.channel!r} disagree; give one of them")
    probe = Sine(channel=channel if drive.channel is None else drive.channel,
                 amplitude=0.0, frequency=1.0)
    ch = drive_channel(model, probe)
    ch_name = model.inputs[ch]

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
    check_bytes(8.0 * K * (2 * model.n_state + 12),
                f"{model.name}: the inputs and results of {K} runs ({nA} amplitudes x {nF} "
                f"frequencies)", "use fewer amplitudes or frequencies")
    P = model.records(params, 1).reshape(1, 1)
    nsteps, ntrans = _check_times(model, duration, transient, dt, P.reshape(-1))
    X0 = np.ascontiguousarray(np.tile(default_state(model, 1, x0), (K, 1, 1)))

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
    # the drive of each pair, as one template with a row of numbers per run: amplitude
    # and frequency are the first two numbers of both kernel forms
    template = type(drive)(**{**drive.__dict__, "channel": ch_name})
    forcing = build_forcing(model, [template], 1, nsteps, float(dt))
    par = np.repeat(forcing.par, K, axis=0)
    par[:, 0, 0] = amp_k
    par[:, 0, 1] = np.tile(freqs, nA)
    forcing = forcing._replace(par=par)
    wiring = build_wiring(None, 1, float(dt))

    with numba.parallel_chunksize(1):       # pairs differ in cost (whole drive periods)
        adv, fail = kernels.for_model(model).sweep_rotation(
            X0, P, float(dt), ntrans, ncal, nmeas, scheme, wiring, forcing, 0, ia, ib)
    omega_osc = adv / (nmeas * float(dt) * spu)                # rad/s
    rho = (np.abs(omega_osc) / tpf_k).reshape(nA, nF)
    return LockingMap(model, ch_name, amps, freqs, rho, (omega_osc / (2 * np.pi)).reshape(nA, nF),
                      (fail >= 0).reshape(nA, nF), phase, float(duration), float(transient),
                      float(dt), method, type(drive).__name__)
