"""Rung a after the domain review: the forced centre does not lock (its free mode persists) while
the phase model does; a constant drive on ``ux`` is a SNIC for the phase model; Kuramoto's K_c
measured from simulations, and r near K_c."""
import numpy as np
import pytest

import rosetta as rs

TWO_PI = 2 * np.pi
OMEGA = TWO_PI * 10
mean_frequency = rs.measures.mean_frequency


def advance(phase, t):
    """Mean frequency as the net phase advance over the elapsed time (exact over whole periods
    of a non-uniform rotation, where a straight-line fit is biased)."""
    return (phase[-1] - phase[0]) / (t[-1] - t[0])


# ----------------------------------------------------------------------- the forced centre
def test_forced_centre_free_mode_persists_and_does_not_lock():
    """z' = i w z + eps e^{i W t}: z - eps e^{iWt} / (i(W - w)) keeps its initial modulus for ever,
    and the mean frequency depends on the initial condition, whereas the phase model locks."""
    eps, W = TWO_PI, OMEGA + 0.5 * TWO_PI          # detuning eps/2: inside the Adler range
    drive = rs.forcing.rotating(eps, W / TWO_PI)
    freqs = []
    for z0, free0 in (([0.0, -1.5], 0.5), ([0.0, 3.0], 5.0)):
        res = rs.simulate("harmonic_oscillator", 6.0, 1e-3, x0=z0, drive=drive)
        z = res.x + 1j * res.y
        free = np.abs(z - eps * np.exp(1j * W * res.t) / (1j * (W - OMEGA)))
        assert free == pytest.approx(free0, rel=1e-4)           # neither decays nor grows
        late = res.t >= 2.0                                       # two beat periods
        phase = np.unwrap(np.angle(z))
        freqs.append(advance(phase[late], res.t[late]))
        # never settles relative to the drive: psi keeps oscillating over the last beat
        psi = (phase - W * res.t)[res.t >= 4.0]
        assert np.ptp(psi) > 0.1
    # small free mode: turns at the drive on average; large free mode: at its own frequency
    assert freqs[0] == pytest.approx(W, abs=0.02)
    assert freqs[1] == pytest.approx(OMEGA, abs=0.02)
    # the phase model under the same drive locks from any start, with psi settled
    for th0 in (0.0, 2.5, -2.0):
        res = rs.simulate("phase_oscillator", 6.0, 1e-3, x0=[th0], drive=drive)
        late = res.t >= 3.0
        assert mean_frequency(res.theta[late], res.t[late]) == pytest.approx(W, abs=1e-4)
        assert np.ptp((res.theta - W * res.t)[late]) < 1e-3


# ----------------------------------------------------------------------- constant drive
@pytest.mark.parametrize("ratio", [0.5, 0.9])
def test_constant_ux_slows_the_phase(ratio):
    """theta' = w - c sin(theta): mean frequency sqrt(w^2 - c^2) below the SNIC."""
    c = ratio * OMEGA
    res = rs.simulate("phase_oscillator", 4.0, 1e-4, x0=[0.0],
                      drive=rs.forcing.Constant(channel="ux", value=c))
    # average over whole periods of the slowed rotation
    T = TWO_PI / np.sqrt(OMEGA ** 2 - c ** 2)
    late = res.t >= res.t[-1] - 3 * T - 1e-9
    assert advance(res.theta[late], res.t[late]) == pytest.approx(
        np.sqrt(OMEGA ** 2 - c ** 2), rel=2e-3)


def test_constant_ux_beyond_the_snic_stops_the_phase():
    c = 1.2 * OMEGA
    res = rs.simulate("phase_oscillator", 1.0, 1e-3, x0=[0.0],
                      drive=rs.forcing.Constant(channel="ux", value=c))
    assert np.angle(np.exp(1j * res.theta[-1])) == pytest.approx(np.arcsin(OMEGA / c), abs=1e-6)


# ----------------------------------------------------------------------- Kuramoto K_c measured
GAMMA = 1.0
KC = 2 * GAMMA


def lorentzian_sample(n, clip=15.0):
    """Midpoint quantiles: the sample's density at 0 is the Lorentzian's g(0) = 1/(pi gamma)."""
    w = GAMMA * np.tan(np.pi * ((np.arange(n) + 0.5) / n - 0.5))
    return np.clip(w, -clip * GAMMA, clip * GAMMA)


def time_averaged_r(n, Ks, duration=40.0, seed=1):
    net = rs.network("phase_oscillator", np.ones((n, n)), G=0.0, normalize=None,
                     params={"omega": lorentzian_sample(n), "alpha": 0.0})
    th0 = np.random.default_rng(seed).uniform(-np.pi, np.pi, (n, 1))
    out = []
    for K in Ks:
        res = rs.simulate(net.with_(G=K / n), duration, 0.01, method="heun", x0=th0,
                          record_every=10)
        out.append(np.abs(rs.measures.order_parameter(res.theta))[res.t >= duration / 2].mean())
    return np.array(out)


def test_midpoint_sample_keeps_g0_and_trimming_does_not():
    """The local density of the sample at 0 (points per unit frequency over N) is g(0) for the
    midpoint quantiles, and g(0)/0.95 for quantiles trimmed to 2.5-97.5 %."""
    n = 2000
    g0 = 1 / (np.pi * GAMMA)
    mid = lorentzian_sample(n)
    trimmed = GAMMA * np.tan(np.pi * (np.linspace(0.025, 0.975, n) - 0.5))
    dens = lambda w: 1 / (n * (w[n // 2] - w[n // 2 - 1]))      # one point per central gap
    assert dens(mid) == pytest.approx(g0, rel=1e-3)
    assert dens(trimmed) == pytest.approx(g0 / 0.95, rel=1e-3)


@pytest.mark.parametrize("n", [100, 200])
def test_kuramoto_Kc_measured_within_10_percent(n):
    """r^2 = 1 - Kc/K above threshold: the zero of a straight-line fit of r^2 against 1/K."""
    Ks = np.array([1.2, 1.5, 2.0, 2.5, 3.0]) * KC
    r = time_averaged_r(n, Ks)
    slope, a = np.polyfit(1 / Ks, r ** 2, 1)
    assert -slope / a == pytest.approx(KC, rel=0.10)


def test_kuramoto_near_Kc():
    """Just below K_c the population stays incoherent (r = O(N^-1/2)); just above it r follows
    sqrt(1 - K_c/K)."""
    n = 200
    below, above = time_averaged_r(n, [0.8 * KC, 1.2 * KC])
    assert below < 3 / np.sqrt(n)
    assert above == pytest.approx(np.sqrt(1 - 1 / 1.2), abs=0.05)


# ----------------------------------------------------------------------- the chapters' graphs
@pytest.mark.parametrize("n,seed", [(40, 3), (10, 0), (12, 4), (20, 2), (6, 5)])
def test_chapter_graphs_have_no_zero_degree_node(n, seed):
    """Rungs a and b use synthetic graphs (not the connectome): every node sends and receives."""
    C, lengths = rs.distance_graph(n, seed=seed)
    assert np.all(C.sum(axis=0) > 0) and np.all(C.sum(axis=1) > 0)
