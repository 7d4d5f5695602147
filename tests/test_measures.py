"""Measures against signals whose answer is known in closed form."""
import numpy as np
import pytest

import rosetta as rs

M = rs.measures
TWO_PI = 2 * np.pi


# ----------------------------------------------------------------------------- spectra
@pytest.mark.parametrize("f0", [7.3, 10.0, 23.61])
def test_dominant_frequency_of_a_pure_sine(f0):
    fs = 1000.0
    t = np.arange(0, 10.0, 1 / fs)
    x = 0.3 + 2.0 * np.sin(TWO_PI * f0 * t + 0.4)
    assert M.dominant_frequency(x, fs) == pytest.approx(f0, abs=0.05)


def test_dominant_frequency_respects_fmin():
    fs = 1000.0
    t = np.arange(0, 8.0, 1 / fs)
    x = 3.0 * np.sin(TWO_PI * 2.0 * t) + np.sin(TWO_PI * 31.0 * t)
    assert M.dominant_frequency(x, fs) == pytest.approx(2.0, abs=0.05)
    assert M.dominant_frequency(x, fs, fmin=5.0) == pytest.approx(31.0, abs=0.05)


def test_power_spectrum_peak_and_parseval():
    """Welch PSD (one-sided, density): its integral is the variance, A^2 / 2 for a sine."""
    fs, A, f0 = 500.0, 1.7, 40.0
    t = np.arange(0, 8.0, 1 / fs)
    f, p = M.power_spectrum(A * np.sin(TWO_PI * f0 * t), fs)
    assert f[np.argmax(p)] == pytest.approx(f0, abs=f[1] - f[0])
    assert np.sum(p) * (f[1] - f[0]) == pytest.approx(A ** 2 / 2, rel=0.02)


def test_dominant_frequency_of_a_simulated_oscillator():
    """The harmonic oscillator at omega = 2 pi 7.3 rad/s oscillates at 7.3 Hz; the
    Result's sampling rate converts steps to Hz."""
    f0 = 7.3
    res = rs.simulate("harmonic_oscillator", 8.0, 1e-3, x0=[1.0, 0.0],
                      params={"omega": TWO_PI * f0}, record_every=2)
    assert res.sampling_rate == pytest.approx(500.0)
    assert M.dominant_frequency(res.x, res.sampling_rate) == pytest.approx(f0, abs=0.05)


# ----------------------------------------------------------------------------- amplitude
def test_amplitude_of_sin_is_one():
    t = np.arange(0, 2.0, 1e-3)
    assert M.amplitude(np.sin(TWO_PI * 5 * t)) == pytest.approx(1.0, abs=1e-12)
    assert M.amplitude(4.0 + 0.5 * np.cos(TWO_PI * 5 * t)) == pytest.approx(0.5, abs=1e-12)


def test_amplitude_per_column():
    t = np.arange(0, 1.0, 1e-3)[:, None]
    x = np.array([1.0, 2.0, 3.0]) * np.sin(TWO_PI * 5 * t)     # peaks on the 1 ms grid
    np.testing.assert_allclose(M.amplitude(x), [1.0, 2.0, 3.0], rtol=1e-12)


# ----------------------------------------------------------------------------- synchrony
def test_order_parameter_of_identical_phases_is_one():
    Z = M.order_parameter(np.full(50, 1.2))
    assert abs(Z) == pytest.approx(1.0, abs=1e-12)
    assert np.angle(Z) == pytest.approx(1.2, abs=1e-12)


def test_order_parameter_of_uniformly_spread_phases_is_zero():
    n = 64
    theta = TWO_PI * np.arange(n) / n + 0.3
    assert abs(M.order_parameter(theta)) < 1e-12
    rng = np.random.default_rng(0)
    assert abs(M.order_parameter(rng.uniform(0, TWO_PI, 40000))) < 4 / np.sqrt(40000)


def test_order_parameter_over_time():
    """theta of shape (T, N) gives Z(t) of shape (T,); half the nodes at phi, half at
    phi + pi/2 give r = cos(pi/4)."""
    t = np.linspace(0, 1, 11)[:, None]
    theta = np.concatenate([np.tile(3 * t, (1, 5)), np.tile(3 * t + np.pi / 2, (1, 5))], axis=1)
    Z = M.order_parameter(theta)
    assert Z.shape == (11,)
    np.testing.assert_allclose(np.abs(Z), np.cos(np.pi / 4), rtol=1e-12)
    np.testing.assert_allclose(Z / np.abs(Z), np.exp(1j * (3 * t[:, 0] + np.pi / 4)), atol=1e-12)


def test_phase_locking_value():
    t = np.linspace(0, 10, 5001)
    phi1 = 7 * t + 0.3 * np.sin(t)
    assert M.phase_locking_value(phi1, phi1 - 1.1) == pytest.approx(1.0, abs=1e-12)
    # difference 2 t over [0, T]: |<e^{2 i t}>| = |sin T / T|, and ~0 over whole turns
    assert M.phase_locking_value(7 * t, 5 * t) == pytest.approx(abs(np.sin(10.0) / 10.0), abs=1e-3)
    turns = np.linspace(0, 10 * np.pi, 5001)[:-1]
    assert M.phase_locking_value(7 * turns, 5 * turns) < 1e-12
    rng = np.random.default_rng(1)
    assert M.phase_locking_value(rng.uniform(0, TWO_PI, 20000), rng.uniform(0, TWO_PI, 20000)) < 0.03


def test_mean_frequency_of_a_linear_phase():
    t = np.linspace(0, 5, 1001)
    assert M.mean_frequency(3 * t + 0.2, t) == pytest.approx(3.0, rel=1e-12)
    # the least-squares slope ignores a zero-mean wobble better than end points do
    wobble = 3 * t + 0.5 * np.sin(TWO_PI * 2 * t)
    assert M.mean_frequency(wobble, t) == pytest.approx(3.0, abs=0.02)
    # columns, and a model time unit in ms
    theta = np.column_stack([3 * t, -2 * t])
    np.testing.assert_allclose(M.mean_frequency(theta, t), [3.0, -2.0], rtol=1e-12)
    assert M.mean_frequency(3 * t, t, seconds_per_unit=1e-3) == pytest.approx(3000.0, rel=1e-12)


def test_analytic_phase_of_a_cosine():
    fs, f0 = 1000.0, 6.0
    t = np.arange(0, 4.0, 1 / fs)
    phase = M.analytic_phase(2.0 + np.cos(TWO_PI * f0 * t + 0.7))
    mid = slice(len(t) // 4, 3 * len(t) // 4)                  # away from the Hilbert edges
    assert M.mean_frequency(phase[mid], t[mid]) == pytest.approx(TWO_PI * f0, rel=1e-3)
    np.testing.assert_allclose(np.cos(phase[mid] - (TWO_PI * f0 * t[mid] + 0.7)), 1.0, atol=1e-3)
