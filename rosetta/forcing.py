"""Drives: what arrives at a node's input port from outside the network.

Every drive is a function of time **in seconds** (frequencies in Hz), whatever the
model's own time unit, and acts on one input channel of the model (its
``drive_input`` by default) of every node, or of chosen nodes with chosen weights.
The integrator samples deterministic drives at its sub-steps (t, t + dt/2, t + dt),
so Heun and RK4 keep their order under forcing.

* :class:`Constant` - DC, the tDCS-like bias;
* :class:`Sine` - the tACS-like periodic drive; :func:`rotating` pairs two of them into
  the complex drive :math:`\\varepsilon e^{i(2\\pi f t + \\phi)}` of the oscillators;
* :class:`PulseTrain` - rectangular pulses (TMS-like);
* :class:`Step` - switched on at ``t_on`` and off at ``t_off``;
* :class:`Array` - a user time series, linearly interpolated;
* :class:`Noise` - zero-mean white noise of intensity ``sigma`` (per sqrt of the model's
  time unit), drawn once per step from the run's seed (Euler-Maruyama with ``euler``,
  stochastic Heun with ``heun``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .model import ParameterError, is_real, real_array, real_number, shown

__all__ = ["Drive", "Constant", "Sine", "PulseTrain", "Step", "Array", "Noise", "rotating"]


@dataclass(frozen=True, kw_only=True)
class Drive:
    """Base class. ``channel``: input channel name (None: the model's drive input).
    ``nodes``: None for every node; a sequence of distinct node indices (integers, e.g.
    ``[0, 2]``: nodes 0 and 2, weight 1); or one weight per node (floats or booleans, e.g.
    ``[1.0, 0.0, 0.5]``). Integers are always indices: ``nodes=[1, 0]`` drives nodes 1
    and 0; write per-node weights as floats, ``[1.0, 0.0]``."""

    channel: str | None = None
    nodes: Sequence | None = None

    def __post_init__(self):
        name = type(self).__name__
        if self.channel is not None and not isinstance(self.channel, str):
            raise ParameterError(f"{name}: channel must be an input name (a string) or None "
                                 f"(the model's drive input), got {shown(self.channel)}")
        _check_nodes(name, self.nodes)

    def __call__(self, t):
        raise NotImplementedError

    def kernel_form(self):
        """(kind, numbers) as the compiled stepper evaluates this drive on the fly
        (1 constant, 2 sine, 3 step, 4 pulse train), or None: sampled into a table at
        the half steps before the run."""
        return None

    def span(self) -> tuple:
        """(first, last): the times in seconds outside which the drive is off (or, for an
        :class:`Array`, held at an end value); (-inf, inf) for a drive that never stops."""
        return -math.inf, math.inf

    def weights(self, n: int) -> np.ndarray:
        """Per-node weights of this drive (shape (n,))."""
        if self.nodes is None:
            return np.ones(n)
        name = type(self).__name__
        nodes = _check_nodes(name, self.nodes)
        if nodes.dtype.kind in "iu":
            if np.any(nodes < 0) or np.any(nodes >= n):
                raise ParameterError(f"{name}: node indices must lie in [0, {n - 1}], "
                                     f"got {shown(self.nodes)}")
            w = np.zeros(n)
            w[nodes] = 1.0
            return w
        if nodes.shape != (n,):
            raise ParameterError(
                f"{name}: nodes must be indices or {n} finite weights, got shape "
                f"{nodes.shape}: nodes={shown(self.nodes)} are per-node weights (not "
                f"integers), so they need one value per node ({n}); for node indices give "
                f"integers, e.g. nodes=[1]")
        return nodes

    def __add__(self, other):
        if isinstance(other, Drive):
            return [self, other]
        if isinstance(other, (list, tuple)):
            return [self, *other]
        return NotImplemented


def _check_nodes(name, nodes):
    """``nodes`` as an integer array of distinct indices (their range is checked against the
    network by :meth:`Drive.weights`) or a float array of finite weights (None passes);
    anything else raises :class:`ParameterError`."""
    if nodes is None:
        return None
    hint = ("a list of node indices (integers, e.g. nodes=[0, 2]) or one weight per node "
            "(floats, e.g. nodes=[1.0, 0.5])")
    if isinstance(nodes, (str, bytes, dict)) or is_real(nodes) or isinstance(nodes, bool):
        raise ParameterError(f"{name}: nodes must be {hint}, got {shown(nodes)}")
    try:
        a = np.asarray(nodes)
    except (TypeError, ValueError):
        a = None
    if a is not None and a.dtype.kind in "iu":
        if a.ndim != 1 or a.size == 0:
            raise ParameterError(f"{name}: nodes must be {hint} (1-D, not empty; None drives "
                                 f"every node), got {shown(nodes)}")
        if np.unique(a).size != a.size:
            raise ParameterError(f"{name}: node indices must be distinct, got {shown(nodes)} "
                                 f"(integers are indices; for per-node weights give floats, "
                                 f"e.g. {[float(v) for v in a.tolist()][:6]})")
        return a
    w = real_array(nodes, f"{name}: nodes ({hint})", allow_bool=True)
    if w.ndim != 1 or w.size == 0:
        raise ParameterError(f"{name}: nodes must be {hint} (1-D, not empty; None drives every "
                             f"node), got {shown(nodes)}")
    if not np.all(np.isfinite(w)):
        raise ParameterError(f"{name}: per-node weights (nodes) must be finite, got "
                             f"{w.tolist()!r}: replace the NaN/inf")
    return w


def _number(obj, field, *, finite=True, unit=""):
    """Check one numeric field of a drive and store it as a float: a real number, finite
    (or, with ``finite=False``, possibly infinite but never NaN)."""
    name = type(obj).__name__
    v = real_number(getattr(obj, field), f"{name}: {field}", unit)
    if math.isnan(v) or (finite and math.isinf(v)):
        need = "finite" if finite else "a number (inf allowed), not NaN"
        raise ParameterError(f"{name}: {field} must be {need}, got {v!r}")
    object.__setattr__(obj, field, v)
    return v


@dataclass(frozen=True, kw_only=True)
class Constant(Drive):
    value: float = 0.0

    def __post_init__(self):
        super().__post_init__()
        _number(self, "value")

    def __call__(self, t):
        return np.full_like(np.asarray(t, dtype=float), self.value)

    def kernel_form(self):
        return 1, (self.value,)


@dataclass(frozen=True, kw_only=True)
class Sine(Drive):
    """``amplitude * sin(2 pi frequency t + phase)``, frequency in Hz."""

    amplitude: float = 1.0
    frequency: float = 10.0
    phase: float = 0.0

    def __post_init__(self):
        super().__post_init__()
        _number(self, "amplitude")
        _number(self, "frequency", unit="Hz")
        _number(self, "phase", unit="rad")
        if self.frequency < 0:
            raise ParameterError(f"Sine: frequency must be >= 0 Hz, got {self.frequency}")

    def __call__(self, t):
        return self.amplitude * np.sin(2 * np.pi * self.frequency * np.asarray(t) + self.phase)

    def kernel_form(self):
        return 2, (self.amplitude, self.frequency, self.phase)


def rotating(amplitude: float, frequency: float, phase: float = 0.0, nodes=None,
             channels=("ux", "uy")) -> list:
    """The complex drive ``amplitude * exp(i (2 pi frequency t + phase))`` on (ux, uy)."""
    if (isinstance(channels, (str, bytes)) or not isinstance(channels, (tuple, list))
            or len(channels) != 2 or not all(isinstance(c, str) for c in channels)
            or channels[0] == channels[1]):
        raise ParameterError(f"rotating: channels must be two different input names (real "
                             f"part, imaginary part), e.g. ('ux', 'uy'), got {shown(channels)}")
    phase = real_number(phase, "rotating: phase", "rad")
    return [Sine(channel=channels[0], nodes=nodes, amplitude=amplitude, frequency=frequency,
                 phase=phase + np.pi / 2),
            Sine(channel=channels[1], nodes=nodes, amplitude=amplitude, frequency=frequency,
                 phase=phase)]


@dataclass(frozen=True, kw_only=True)
class PulseTrain(Drive):
    """Rectangular pulses of ``width`` seconds at ``frequency`` Hz from ``start`` to ``stop``."""

    amplitude: float = 1.0
    frequency: float = 1.0
    width: float = 1e-3
    start: float = 0.0
    stop: float = np.inf

    def __post_init__(self):
        super().__post_init__()
        _number(self, "amplitude")
        _number(self, "frequency", unit="Hz")
        _number(self, "width", unit="s")
        _number(self, "start", unit="s")
        _number(self, "stop", finite=False, unit="s")
        if self.frequency <= 0 or self.width <= 0 or self.width > 1.0 / self.frequency:
            raise ParameterError("PulseTrain: need frequency > 0 and 0 < width <= 1/frequency, "
                                 f"got frequency={self.frequency}, width={self.width}")
        if not self.stop > self.start:
            raise ParameterError(f"PulseTrain: stop ({self.stop:g} s) must come after start "
                                 f"({self.start:g} s), or no pulse is ever given; stop=inf "
                                 f"(the default) never stops")

    def span(self):
        return self.start, self.stop

    def __call__(self, t):
        t = np.asarray(t, dtype=float)
        since = t - self.start
        phase = np.mod(since, 1.0 / self.frequency)
        on = (since >= 0) & (t < self.stop) & (phase < self.width)
        return np.where(on, self.amplitude, 0.0)

    def kernel_form(self):
        return 4, (self.amplitude, self.frequency, self.width, self.start, self.stop)


@dataclass(frozen=True, kw_only=True)
class Step(Drive):
    """``amplitude`` between ``t_on`` and ``t_off`` seconds, zero elsewhere."""

    amplitude: float = 1.0
    t_on: float = 0.0
    t_off: float = np.inf

    def __post_init__(self):
        super().__post_init__()
        _number(self, "amplitude")
        _number(self, "t_on", unit="s")
        _number(self, "t_off", finite=False, unit="s")
        if self.t_off <= self.t_on:
            raise ParameterError(f"Step: t_off ({self.t_off}) must come after t_on ({self.t_on}); "
                                 f"t_off=inf (the default) never switches off")

    def span(self):
        return self.t_on, self.t_off

    def __call__(self, t):
        t = np.asarray(t, dtype=float)
        return np.where((t >= self.t_on) & (t < self.t_off), self.amplitude, 0.0)

    def kernel_form(self):
        return 3, (self.amplitude, self.t_on, self.t_off)


@dataclass(frozen=True, eq=False, kw_only=True)
class Array(Drive):
    """A user time series ``values`` at ``times`` (seconds), linearly interpolated and held
    at its end values outside them."""

    values: Sequence = ()
    times: Sequence = ()

    def __post_init__(self):
        super().__post_init__()
        v = real_array(self.values, "Array: values")
        t = real_array(self.times, "Array: times (s)")
        if v.ndim != 1 or v.shape != t.shape or v.size < 2:
            raise ParameterError("Array: values and times must be 1-D, of equal length >= 2, "
                                 f"got shapes {v.shape} and {t.shape}")
        if not (np.all(np.isfinite(v)) and np.all(np.isfinite(t)) and np.all(np.diff(t) > 0)):
            raise ParameterError("Array: values must be finite and times strictly increasing")

    def __call__(self, t):
        return np.interp(t, np.asarray(self.times, float), np.asarray(self.values, float))

    def span(self):
        t = np.asarray(self.times, float)
        return float(t[0]), float(t[-1])


@dataclass(frozen=True, kw_only=True)
class Noise(Drive):
    """Zero-mean Gaussian white noise of intensity ``sigma`` on an input channel.

    Each step the input channel holds ``sigma * N(0, 1) / sqrt(dt)``, constant over the
    step's stages. Where the channel enters the state equations linearly (the damped and
    Stuart-Landau oscillators, Jansen-Rit's P), this is the white-noise limit and the
    statistics converge as dt shrinks. Where it enters *inside* a nonlinearity (a sigmoid,
    as Wilson-Cowan's inputs do), the sigmoid squashes values that grow like 1/sqrt(dt), so
    the result depends on dt and has no white-noise limit: there, treat sigma sqrt(1/dt) as
    the per-step input spread you mean, state dt with it, or filter the noise first (an
    Array drive of an Ornstein-Uhlenbeck series, or noise on a synaptic variable)."""

    sigma: float = 0.0

    def __post_init__(self):
        super().__post_init__()
        sigma = real_number(self.sigma, "Noise: sigma")
        if not (math.isfinite(sigma) and sigma >= 0):
            raise ParameterError(f"Noise: sigma must be finite and >= 0, got {self.sigma!r}")
        object.__setattr__(self, "sigma", sigma)
