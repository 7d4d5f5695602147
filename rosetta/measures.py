"""Measures on simulated time series: spectra, frequency, amplitude, synchrony."""
from __future__ import annotations

import numpy as np
from scipy import signal

from .model import ParameterError, real_number

__all__ = ["power_spectrum", "dominant_frequency", "amplitude", "order_parameter",
           "phase_locking_value", "analytic_phase", "mean_frequency", "bandpass",
           "spectrogram", "phase_amplitude", "modulation_index"]


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


def _band(band, fs, name):
    """(low, high) in Hz with 0 < low < high < fs/2, or a ParameterError that says why."""
    try:
        low, high = band
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a pair (low, high) in Hz, got {band!r}") from None
    low = real_number(low, f"{name}: low", "Hz")
    high = real_number(high, f"{name}: high", "Hz")
    if not 0 < low < high < fs / 2:
        raise ParameterError(f"{name} = ({low:g}, {high:g}) Hz: need 0 < low < high < fs/2 = "
                             f"{fs / 2:g} Hz (the Nyquist frequency of the sampling rate)")
    return low, high


def _rate(fs):
    fs = real_number(fs, "fs (sampling rate)", "Hz")
    if not (np.isfinite(fs) and fs > 0):
        raise ParameterError(f"fs (sampling rate) must be finite and > 0 Hz, got {fs!r}")
    return fs


def bandpass(x, fs: float, band, order: int = 4, axis: int = 0):
    """Zero-phase Butterworth band-pass of ``x`` (sampled at ``fs`` Hz) to ``band`` = (low,
    high) Hz: the filter of ``order`` run forward and backward (second-order sections), so
    the result has no phase lag and an effective order of 2 ``order``. The first and last
    few periods of ``low`` carry the filter's transient: drop them before measuring."""
    fs = _rate(fs)
    low, high = _band(band, fs, "band")
    sos = signal.butter(order, (low, high), btype="bandpass", fs=fs, output="sos")
    return signal.sosfiltfilt(sos, np.asarray(x, dtype=float), axis=axis)


def spectrogram(x, fs: float, window: float = 1.0, overlap: float = 0.9, fmax=None):
    """Short-time power spectrum of a 1-D series: returns (t, f, S), S of shape
    (len(f), len(t)) in units of x^2/Hz, with Hann windows of ``window`` seconds
    overlapping by the fraction ``overlap``; t are the windows' centres (s from the first
    sample) and frequencies above ``fmax`` Hz are dropped. The frequency resolution is
    1/window Hz: a 1 s window separates alpha (10 Hz) from gamma (40 Hz) easily but
    cannot follow changes faster than about a second."""
    fs = _rate(fs)
    x = np.asarray(x, dtype=float)
    if x.ndim != 1:
        raise ParameterError(f"spectrogram: x must be 1-D, got shape {x.shape}")
    n = int(round(real_number(window, "spectrogram: window", "s") * fs))
    if not 4 <= n <= x.size:
        raise ParameterError(f"spectrogram: a window of {window:g} s is {n} samples; need "
                             f"between 4 and the series' {x.size}")
    if not 0 <= overlap < 1:
        raise ParameterError(f"spectrogram: overlap is a fraction in [0, 1), got {overlap!r}")
    f, t, S = signal.spectrogram(x, fs=fs, window="hann", nperseg=n,
                                 noverlap=min(n - 1, int(round(overlap * n))),
                                 detrend="constant", scaling="density")
    if fmax is not None:
        keep = f <= fmax
        f, S = f[keep], S[keep]
    return t, f, S


def phase_amplitude(x, fs: float, phase_band, amplitude_band, n_bins: int = 18,
                    edge: float | None = None):
    """The distribution of a fast rhythm's amplitude over a slow rhythm's phase (Tort et
    al., 2010): band-pass ``x`` to ``phase_band`` and take the Hilbert phase, band-pass it
    to ``amplitude_band`` and take the Hilbert envelope, average the envelope in
    ``n_bins`` equal phase bins and normalise the averages to sum to 1. Returns (bin
    centres in rad, in (-pi, pi); the normalised amplitudes). ``edge`` seconds are dropped
    at both ends after filtering (default: two periods of the phase band's low edge)."""
    fs = _rate(fs)
    x = np.asarray(x, dtype=float)
    if x.ndim != 1:
        raise ParameterError(f"phase_amplitude: x must be 1-D, got shape {x.shape}")
    lo, _ = _band(phase_band, fs, "phase_band")
    _band(amplitude_band, fs, "amplitude_band")
    if int(n_bins) != n_bins or n_bins < 2:
        raise ParameterError(f"n_bins must be an integer >= 2, got {n_bins!r}")
    n_bins = int(n_bins)
    cut = int(round((2.0 / lo if edge is None else real_number(edge, "edge", "s")) * fs))
    if cut < 0 or x.size - 2 * cut < 10 * n_bins:
        raise ParameterError(f"phase_amplitude: {x.size / fs:g} s of signal leave too little "
                             f"after dropping {cut / fs:g} s at each end; give a longer series "
                             f"(at least several periods of the phase band) or a smaller edge")
    phase = np.angle(signal.hilbert(bandpass(x, fs, phase_band)))
    envelope = np.abs(signal.hilbert(bandpass(x, fs, amplitude_band)))
    sl = slice(cut, x.size - cut)
    phase, envelope = phase[sl], envelope[sl]
    bins = np.minimum(((phase + np.pi) / (2 * np.pi) * n_bins).astype(int), n_bins - 1)
    counts = np.bincount(bins, minlength=n_bins)
    if np.any(counts == 0):
        raise ParameterError("phase_amplitude: some phase bins are empty; use a longer series "
                             "or fewer bins")
    mean = np.bincount(bins, weights=envelope, minlength=n_bins) / counts
    centres = -np.pi + (np.arange(n_bins) + 0.5) * 2 * np.pi / n_bins
    return centres, mean / mean.sum()


def modulation_index(x, fs: float, phase_band, amplitude_band, n_bins: int = 18,
                     edge: float | None = None) -> float:
    """Tort's modulation index of phase-amplitude coupling (Tort et al., J. Neurophysiol. 104, 2010): the
    Kullback-Leibler divergence of :func:`phase_amplitude`'s distribution from the uniform
    one, divided by log(n_bins). 0 when the fast amplitude does not depend on the slow
    phase, 1 when it is confined to one bin. For an envelope 1 + m cos(phase) it is close
    to m^2 / (4 log n_bins) for small m; its value for pure noise is small but positive
    (a finite-sample bias), so compare with surrogates before calling a small MI coupling."""
    _, p = phase_amplitude(x, fs, phase_band, amplitude_band, n_bins, edge)
    n = p.size
    return float(np.sum(p * np.log(p * n)) / np.log(n))
