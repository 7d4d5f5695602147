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


# ----------------------------------------------------------------------------- bands and PAC
rm = M
FS = 1000.0


def coupled(m, seconds=60.0, noise=0.05, seed=0, shift=0.0):
    """A 6 Hz rhythm and a 40 Hz one whose amplitude is 1 + m cos(slow phase - shift)."""
    t = np.arange(0.0, seconds, 1.0 / FS)
    slow = 2 * np.pi * 6.0 * t
    rng = np.random.default_rng(seed)
    return (np.sin(slow) + 0.3 * (1 + m * np.cos(slow - np.pi / 2 - shift))
            * np.sin(2 * np.pi * 40.0 * t) + noise * rng.standard_normal(t.size))


def test_bandpass_passes_its_band_without_lag_and_stops_the_rest():
    t = np.arange(0.0, 10.0, 1.0 / FS)
    inside, outside = np.sin(2 * np.pi * 10 * t), np.sin(2 * np.pi * 40 * t)
    y = rm.bandpass(inside + outside, FS, (8.0, 12.0))
    core = slice(2000, -2000)
    assert np.abs(y[core] - inside[core]).max() < 0.01        # zero phase, unit gain
    assert np.abs(rm.bandpass(outside, FS, (8.0, 12.0))[core]).max() < 1e-3


def test_modulation_index_against_the_small_coupling_law():
    """Envelope 1 + m cos(phi): the binned distribution is (1 + m cos)/n, whose KL divergence
    from uniform is m^2/4 to leading order, so MI = m^2 / (4 ln n)."""
    mis = [rm.modulation_index(coupled(m), FS, (4, 8), (30, 50)) for m in (0.0, 0.1, 0.3, 0.6)]
    assert mis[0] < 1e-4
    assert np.all(np.diff(mis) > 0)
    for m, mi in zip((0.1, 0.3), mis[1:3]):
        assert mi == pytest.approx(m ** 2 / (4 * np.log(18)), rel=0.1)


@pytest.mark.parametrize("shift", [0.0, 1.0, -2.0])
def test_phase_amplitude_peaks_where_the_envelope_does(shift):
    """The fast envelope peaks at slow phase shift (the Hilbert phase of sin is phase - pi/2)."""
    centres, p = rm.phase_amplitude(coupled(0.5, shift=shift), FS, (4, 8), (30, 50))
    assert p.sum() == pytest.approx(1.0)
    best = centres[np.argmax(p)]
    assert abs(np.angle(np.exp(1j * (best - shift)))) <= np.pi / 18 + 1e-12


def test_spectrogram_follows_a_switch_of_rhythm():
    t = np.arange(0.0, 20.0, 1.0 / FS)
    x = np.where(t < 10, np.sin(2 * np.pi * 10 * t), np.sin(2 * np.pi * 40 * t))
    tt, f, S = rm.spectrogram(x, FS, window=1.0, fmax=80.0)
    assert f.max() <= 80.0 and S.shape == (f.size, tt.size)
    peak = f[np.argmax(S, axis=0)]
    assert np.all(peak[tt < 9.0] == 10.0) and np.all(peak[tt > 11.0] == 40.0)


@pytest.mark.parametrize("call, match", [
    (lambda: rm.bandpass(np.zeros(100), FS, (50.0, 10.0)), "need 0 < low < high"),
    (lambda: rm.bandpass(np.zeros(100), FS, (10.0, 600.0)), "Nyquist"),
    (lambda: rm.bandpass(np.zeros(100), -1.0, (1.0, 2.0)), "sampling rate"),
    (lambda: rm.bandpass(np.zeros(100), FS, 10.0), "pair"),
    (lambda: rm.modulation_index(np.zeros(500), FS, (4, 8), (30, 50)), "too little"),
    (lambda: rm.modulation_index(coupled(0.2, 5.0), FS, (4, 8), (30, 50), n_bins=1), "n_bins"),
    (lambda: rm.spectrogram(np.zeros((10, 2)), FS), "1-D"),
    (lambda: rm.spectrogram(np.zeros(100), FS, window=1.0), "window"),
])
def test_band_measures_refuse_bad_input(call, match):
    with pytest.raises(rs.ParameterError, match=match):
        call()
