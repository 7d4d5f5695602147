"""The BOLD signal of any simulated activity, through the Balloon-Windkessel model.

:func:`simulate_bold` feeds a neural time series, node by node, into uncoupled
``balloon_windkessel`` nodes (:mod:`rosetta.models.balloon_windkessel`) and integrates them
with their own, coarser step: haemodynamics evolve over seconds, so a step of 10 ms is
ample where the neural model needed 0.1 ms. The neural series is linearly interpolated
between its samples.

What enters the balloon is ``scale * (activity - baseline)``: a dimensionless
flow-inducing input. Neural models give rates in 1/s, fractions of active cells or
potentials in mV; choose ``scale`` so that the input's typical size is below one, where
the balloon responds almost linearly (its response to a 0.1 s pulse of height 1 peaks
at 0.3 per cent). ``baseline="mean"`` (the default) removes each node's mean first, so that
only the fluctuations drive the haemodynamics (the resting flow is the model's f = 1);
``baseline=0`` keeps it.
"""
from __future__ import annotations

import numpy as np

from .forcing import Array
from .integrate import Result, simulate
from .model import ParameterError, SimulationError, is_real, real_array, shown
from .models import resolve as _get_model
from .network import network

__all__ = ["simulate_bold"]


def simulate_bold(activity, fs: float, scale: float = 1.0, baseline="mean",
                  dt: float = 0.01, params=None, record_every: int = 10) -> Result:
    """The BOLD response to ``activity`` (shape (T,) or (T, N), sampled at ``fs`` Hz).

    Returns the :class:`~rosetta.Result` of the ``balloon_windkessel`` nodes (RK4, step
    ``dt`` seconds, recorded every ``record_every`` steps), started at rest; the BOLD
    signal is ``result.output("bold")``, shape (T',) or (T', N), and ``result.t`` is in
    seconds from the first sample. ``params`` overrides the balloon's parameters."""
    model = _get_model("balloon_windkessel")
    x = real_array(activity, "activity")
    if x.ndim not in (1, 2) or x.shape[0] < 2:
        raise ParameterError(f"activity must be (T,) or (T, N) with T >= 2 samples, got shape "
                             f"{x.shape}")
    if not np.all(np.isfinite(x)):
        raise ParameterError("activity has NaN or infinite values")
    if not (is_real(fs) and np.isfinite(fs) and fs > 0):
        raise ParameterError(f"fs (the activity's sampling rate, Hz) must be > 0, got {shown(fs)}")
    if not (is_real(scale) and np.isfinite(scale)):
        raise ParameterError(f"scale must be a finite number, got {shown(scale)}")
    one = x.ndim == 1
    X = x[:, None] if one else x
    if isinstance(baseline, str):
        if baseline != "mean":
            raise ParameterError(f"baseline must be 'mean' or a number, got {baseline!r}")
        X = X - X.mean(axis=0)
    elif is_real(baseline):
        X = X - float(baseline)
    else:
        raise ParameterError(f"baseline must be 'mean' or a number, got {shown(baseline)}")
    T, N = X.shape
    times = np.arange(T) / float(fs)
    duration = times[-1]
    if duration < dt:
        raise ParameterError(f"the activity lasts {duration:g} s, less than one step dt = {dt:g} s")
    drives = [Array(channel="z", nodes=None if one else [i], values=scale * X[:, i],
                    times=times) for i in range(N)]
    rest = np.array([0.0, 1.0, 1.0, 1.0])
    target = model if one else network(model, np.zeros((N, N)), G=0.0, normalize=None)
    try:
        return simulate(target, duration, dt, method="rk4", x0=rest if one else np.tile(rest, (N, 1)),
                        params=params, drive=drives, record_every=record_every)
    except SimulationError as e:
        size = float(np.abs(scale * X).max())
        where = str(e).split(" Likely fix")[0]
        raise SimulationError(
            f"{where}. The balloon's input reached |z| = {size:.3g}: an input this large drives the "
            f"blood flow f below zero, outside the model. Scale the activity down (scale = "
            f"{scale:g} now; inputs of order 0.1-1 are physiological).") from None
