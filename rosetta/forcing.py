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

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .model import ParameterError

__all__ = ["Drive", "Constant", "Sine", "PulseTrain", "Step", "Array", "Noise", "rotating"]


@dataclass(frozen=True, kw_only=True)
class Drive:
    """Base class. ``channel``: input channel name (None: the model's drive input).
    ``nodes``: None for every node, a sequence of node indices, or one weight per node."""

    channel: str | None = None
    nodes: Sequence | None = None

    def __call__(self, t):
        raise NotImplementedError

    def kernel_form(self):
        """(kind, numbers) as the compiled stepper evaluates this drive on the fly
        (1 constant, 2 sine, 3 step, 4 pulse train), or None: sampled into a table at
        the half steps before the run."""
        return None

    def weights(self, n: int) -> np.ndarray:
        """Per-node weights of this drive (shape (n,))."""
        if self.nodes is None:
            return np.ones(n)
        nodes = np.asarray(self.nodes)
        if nodes.dtype.kind in "iu":
            if nodes.ndim != 1 or np.any(nodes < 0) or np.any(nodes >= n):
                raise ParameterError(f"{type(self).__name__}: node indices must lie in [0, {n - 1}], "
                                     f"got {self.nodes!r}")
            w = np.zeros(n)
            w[nodes] = 1.0
            return w
        w = np.asarray(nodes, dtype=float)
        if w.shape != (n,) or not np.all(np.isfinite(w)):
            raise ParameterError(f"{type(self).__name__}: nodes must be indices or {n} finite "
                                 f"weights, got shape {w.shape}")
        return w

    def __add__(self, other):
        return [self, other] if isinstance(other, Drive) else [self, *other]


def _finite(name, **values):
    for k, v in values.items():
        if not np.isfinite(v):
            raise ParameterError(f"{name}: {k} must be finite, got {v!r}")


@dataclass(frozen=True, kw_only=True)
class Constant(Drive):
    value: float = 0.0

    def __post_init__(self):
        _finite("Constant", value=self.value)

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
        _finite("Sine", amplitude=self.amplitude, frequency=self.frequency, phase=self.phase)
        if self.frequency < 0:
            raise ParameterError(f"Sine: frequency must be >= 0 Hz, got {self.frequency}")

    def __call__(self, t):
        return self.amplitude * np.sin(2 * np.pi * self.frequency * np.asarray(t) + self.phase)

    def kernel_form(self):
        return 2, (self.amplitude, self.frequency, self.phase)


def rotating(amplitude: float, frequency: float, phase: float = 0.0, nodes=None,
             channels=("ux", "uy")) -> list:
    """The complex drive ``amplitude * exp(i (2 pi frequency t + phase))`` on (ux, uy)."""
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
        _finite("PulseTrain", amplitude=self.amplitude, frequency=self.frequency, width=self.width)
        if self.frequency <= 0 or self.width <= 0 or self.width > 1.0 / self.frequency:
            raise ParameterError("PulseTrain: need frequency > 0 and 0 < width <= 1/frequency, "
                                 f"got frequency={self.frequency}, width={self.width}")

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
        _finite("Step", amplitude=self.amplitude, t_on=self.t_on)
        if self.t_off <= self.t_on:
            raise ParameterError(f"Step: t_off ({self.t_off}) must come after t_on ({self.t_on})")

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
        v = np.asarray(self.values, dtype=float)
        t = np.asarray(self.times, dtype=float)
        if v.ndim != 1 or v.shape != t.shape or v.size < 2:
            raise ParameterError("Array: values and times must be 1-D, of equal length >= 2, "
                                 f"got shapes {v.shape} and {t.shape}")
        if not (np.all(np.isfinite(v)) and np.all(np.isfinite(t)) and np.all(np.diff(t) > 0)):
            raise ParameterError("Array: values must be finite and times strictly increasing")

    def __call__(self, t):
        return np.interp(t, np.asarray(self.times, float), np.asarray(self.values, float))


@dataclass(frozen=True, kw_only=True)
class Noise(Drive):
    """Zero-mean Gaussian white noise of intensity ``sigma`` on an input channel."""

    sigma: float = 0.0

    def __post_init__(self):
        if not (np.isfinite(self.sigma) and self.sigma >= 0):
            raise ParameterError(f"Noise: sigma must be finite and >= 0, got {self.sigma!r}")
