"""Analytic results of the phase chapter: Adler locking, the Kuramoto transition for
Lorentzian frequencies, Kuramoto-Sakaguchi locking of two nodes, and delayed locking."""
import numpy as np
import pytest
from scipy.optimize import brentq

import rosetta as rs

PO = "phase_oscillator"
TWO_PI = 2 * np.pi
mean_frequency = rs.measures.mean_frequency


def wrap(a):
    """Angle(s) to (-pi, pi]."""
    return np.angle(np.exp(1j * np.asarray(a)))


# ----------------------------------------------------------------------------- Adler
OMEGA = TWO_PI * 10          # natural frequency (rad/s)
EPS = TWO_PI * 1             # drive amplitude (rad/s)


def adler_run(detuning_over_eps, alpha=0.0, duration=8.0, dt=1e-3):
    """Drive at Omega = omega - Delta, Delta = detuning_over_eps * eps."""
    Omega = OMEGA - detuning_over_eps * EPS
    res = rs.simulate(PO, duration, dt, method="rk4", x0=[0.0],
                      params={"omega": OMEGA, "alpha": alpha},
                      drive=rs.forcing.rotating(EPS, Omega / TWO_PI))
    return Omega, res


@pytest.mark.parametrize("ratio", [0.0, 0.5, -0.8, 0.95])
@pytest.mark.parametrize("alpha", [0.0, 0.6])
def test_adler_locks_inside_the_tongue(ratio, alpha):
    """|omega - Omega| < eps: psi = theta - Omega t settles where sin(psi + alpha) = Delta/eps
    (the branch with cos > 0) and the node runs at the drive's frequency."""
    duration = 12.0 if abs(ratio) > 0.9 else 8.0    # slower relaxation near the edge
    Omega, res = adler_run(ratio, alpha, duration)
    late = res.t >= duration / 2
    assert abs(mean_frequency(res.theta[late], res.t[late]) - Omega) < 1e-3
    psi = res.theta - Omega * res.t
    psi_star = np.arcsin(ratio) - alpha
    assert abs(wrap(psi[-1] - psi_star)) < 1e-4


@pytest.mark.parametrize("ratio", [1.2, 1.5, -2.5])
def test_adler_drifts_outside_the_tongue(ratio):
    """|omega - Omega| > eps: psi slips with mean frequency sign(Delta) sqrt(Delta^2 - eps^2)."""
    duration = 30.0
    Omega, res = adler_run(ratio, duration=duration)
    delta = OMEGA - Omega
    beat = np.sign(delta) * np.sqrt(delta ** 2 - EPS ** 2)
    late = res.t >= 2.0
    measured = mean_frequency(res.theta[late], res.t[late]) - Omega
    assert measured == pytest.approx(beat, rel=0.01)
    # and the beat is not the bare detuning: the drive slows the slips
    assert abs(measured - delta) > 0.1 * abs(delta - beat)


# ----------------------------------------------------------------------------- Kuramoto
GAMMA = 1.0                   # Lorentzian half-width (rad/s), centre 0
K_C = 2 * GAMMA
N_KURAMOTO = 500
CLIP = 10 * GAMMA


@pytest.fixture(scope="module")
def lorentzian_frequencies():
    """Deterministic quantiles of the Lorentzian, tails clipped to |omega| <= 10 gamma
    (so that dt = 0.01 s passes the timescale check). Clipped nodes drift for every K
    used here (|omega| > K r), and drifting nodes of a symmetric distribution add nothing
    to r, so clipping leaves the locked population and r unchanged."""
    i = np.arange(N_KURAMOTO)
    w = GAMMA * np.tan(np.pi * (i + 0.5) / N_KURAMOTO - np.pi / 2)
    return np.clip(w, -CLIP, CLIP)


def stationary_r(freqs, K):
    C = np.ones((freqs.size, freqs.size)) - np.eye(freqs.size)
    net = rs.network(PO, C, G=K / freqs.size, normalize=None, coupling="additive",
                     params={"omega": freqs})
    x0 = np.random.default_rng(0).uniform(-np.pi, np.pi, (freqs.size, 1))
    res = rs.simulate(net, 20.0, 0.01, method="heun", x0=x0, record_every=5)
    r = np.abs(rs.measures.order_parameter(res.theta))
    return r[res.t >= 10.0].mean()


def self_consistent_r(freqs, K):
    """Finite-N self-consistency: r = (1/N) sum_{|w_i| <= K r} sqrt(1 - (w_i / K r)^2)."""
    def F(r):
        a = np.clip(freqs / (K * r), -1, 1)
        return np.sum(np.where(np.abs(freqs) <= K * r, np.sqrt(1 - a ** 2), 0.0)) / freqs.size - r
    return brentq(F, 1e-3, 1.0)


@pytest.mark.parametrize("K_over_Kc", [2.0, 3.0])
def test_kuramoto_partial_locking_above_kc(lorentzian_frequencies, K_over_Kc):
    K = K_over_Kc * K_C
    r = stationary_r(lorentzian_frequencies, K)
    assert K * r < CLIP                                   # clipping did not touch the locked set
    assert r == pytest.approx(np.sqrt(1 - K_C / K), abs=0.05)
    assert r == pytest.approx(self_consistent_r(lorentzian_frequencies, K), abs=0.02)


def test_kuramoto_incoherent_below_kc(lorentzian_frequencies):
    assert stationary_r(lorentzian_frequencies, 0.5 * K_C) < 0.15


# ----------------------------------------------------------------------------- Sakaguchi
@pytest.mark.parametrize("alpha,state", [(0.5, "in-phase"), (-0.9, "in-phase"), (2.0, "anti-phase")])
def test_two_node_kuramoto_sakaguchi(alpha, state):
    """theta_1' = w + K sin(theta_2 - theta_1 - alpha) and vice versa. In-phase locking
    (stable if K cos(alpha) > 0) at w - K sin(alpha); anti-phase (stable if K cos(alpha) < 0)
    at w + K sin(alpha)."""
    omega, K = TWO_PI * 10, 3.0
    net = rs.network(PO, [[0, 1], [1, 0]], G=K, normalize=None, coupling="additive",
                     params={"alpha": alpha})
    res = rs.simulate(net, 10.0, 1e-3, method="rk4", x0=[[0.0], [1.0]], params={"omega": omega})
    late = res.t >= 5.0
    freq = mean_frequency(res.theta[late], res.t[late])
    if state == "in-phase":
        assert K * np.cos(alpha) > 0
        expected, gap = omega - K * np.sin(alpha), 0.0
    else:
        assert K * np.cos(alpha) < 0
        expected, gap = omega + K * np.sin(alpha), np.pi
    np.testing.assert_allclose(freq, expected, rtol=0, atol=1e-3)
    assert abs(wrap(res.theta[-1, 0] - res.theta[-1, 1] - gap)) < 1e-4


# ----------------------------------------------------------------------------- delays
@pytest.mark.parametrize("tau,state", [(0.01, "in-phase"), (0.03, "anti-phase")])
def test_delayed_pair_locks_at_the_predicted_frequency(tau, state):
    """theta_1' = w + K sin(theta_2(t - tau) - theta_1). With theta_2 = theta_1 + gap and
    common frequency W: in-phase (gap 0) W = w - K sin(W tau), stable if K cos(W tau) > 0;
    anti-phase (gap pi) W = w + K sin(W tau), stable if K cos(W tau) < 0."""
    omega, K, dt = TWO_PI * 10, 20.0, 5e-4
    assert K * tau < 1                                    # one root: W -> W -/+ K sin(W tau) is monotone
    s, gap = (1.0, 0.0) if state == "in-phase" else (-1.0, np.pi)
    W = brentq(lambda W: W - omega + s * K * np.sin(W * tau), omega - K, omega + K)
    assert s * K * np.cos(W * tau) > 0                    # the predicted state is the stable one
    assert abs(W - omega) > 1.0                           # and the delay matters
    net = rs.network(PO, [[0, 1], [1, 0]], G=K, normalize=None, coupling="additive",
                     delays=[[0, tau], [tau, 0]], params={"omega": omega})
    res = rs.simulate(net, 3.0, dt, method="rk4", x0=[[0.0], [gap + 0.3]])
    late = res.t >= 1.5
    freq = mean_frequency(res.theta[late], res.t[late])
    np.testing.assert_allclose(freq, W, rtol=1e-3)
    assert abs(wrap(res.theta[-1, 1] - res.theta[-1, 0] - gap)) < 1e-3
