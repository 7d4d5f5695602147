"""Measures on simulated time series: spectra, frequency, amplitude, synchrony."""
from __future__ import annotations

import numpy as np
from scipy import signal

__all__ = ["power_spectrum", "dominant_frequency", "amplitude", "order_parameter",
           "phase_locking_value", "analytic_phase", "mean_frequency"]


def power_spectrum(x, fs: float, nperseg: int | None = None, axis: int = 0):
    """Welch power spectral density of ``x`` sampled at ``fs`` Hz: returns (f, Pxx).

    The mean is removed; by default segments of up to 4 s (or the whole series if
    shorter) with 50 % overlap."""
    x = np.asarray(x, dtype=float)
    n = x.shape[axis]
    if nperseg is None:
        nperseg = int(min(n, max(256, 4 * fs)))
    return signal.welch(x, fs=fs, nperseg=min(nperseg, n), detrend="constant", axis=axis)


def dominant_frequency(x, fs: float, fmin: float = 0.0, **kw) -> float:
    """Frequency (Hz) of the largest peak of the Welch spectrum above ``fmin``, refined
    by parabolic interpolation of the log-power around the peak bin."""
    f, p = power_spectrum(x, fs, **kw)
    mask = f > fmin
    f, p = f[mask], p[mask]
    k = int(np.argmax(p))
    if 0 < k < len(p) - 1 and np.all(p[k - 1:k + 2] > 0):
        a, b, c = np.log(p[k - 1:k + 2])
        denom = a - 2 * b + c
        shift = 0.5 * (a - c) / denom if denom != 0 else 0.0
        return float(f[k] + shift * (f[1] - f[0]))
    return float(f[k])


def amplitude(x, axis: int = 0):
    """Half the peak-to-peak excursion."""
    x = np.asarray(x, dtype=float)
    return 0.5 * (x.max(axis=axis) - x.min(axis=axis))


def order_parameter(theta, axis: int = -1):
    """Kuramoto order parameter Z = mean_j exp(i theta_j); |Z| = r, angle = mean phase.

    ``theta`` of shape (T, N) gives Z(t) of shape (T,)."""
    return np.mean(np.exp(1j * np.asarray(theta)), axis=axis)


def phase_locking_value(phi1, phi2, axis: int = 0):
    """|<exp(i (phi1 - phi2))>_t|: 1 for a constant phase difference, ~0 for none."""
    return np.abs(np.mean(np.exp(1j * (np.asarray(phi1) - np.asarray(phi2))), axis=axis))


def analytic_phase(x, axis: int = 0):
    """Unwrapped instantaneous phase of an oscillation from its analytic (Hilbert) signal."""
    x = np.asarray(x, dtype=float)
    x = x - x.mean(axis=axis, keepdims=True)
    return np.unwrap(np.angle(signal.hilbert(x, axis=axis)), axis=axis)


def mean_frequency(theta, t, axis: int = 0, seconds_per_unit: float = 1.0):
    """Mean angular frequency (rad/s) of unwrapped phases: a least-squares slope of theta
    against t (so that the ends of the record do not dominate)."""
    theta = np.asarray(theta, dtype=float)
    t = np.asarray(t, dtype=float) * seconds_per_unit
    tc = t - t.mean()
    shape = [1] * theta.ndim
    shape[axis] = -1
    tc = tc.reshape(shape)
    thc = theta - theta.mean(axis=axis, keepdims=True)
    return (tc * thc).sum(axis=axis) / (tc ** 2).sum()
