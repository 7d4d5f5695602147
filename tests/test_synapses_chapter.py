"""The synapses interlude: the PSP kernels (peak times, areas, mean delays, and the master
NMM's synapse as the kernel), the Siegert rate of noisy LIF neurons (its noiseless and
low-rate limits, and a short LIF simulation), and the master NMM with its two limits
(Wilson-Cowan for fast synapses, the NMM1-type push-pull for fast membranes), each
approached at first order in the fast time constant."""
import math

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.optimize import minimize_scalar
from scipy.special import erfcx

import rosetta as rs
from rosetta import blocks
from rosetta.models import master_nmm as mn

NMM = rs.models["master_nmm"]
WC = rs.models["wilson_cowan"]
NMM1 = mn.fast_membrane_limit
SYN = ("tau_rE", "tau_dE", "tau_rI", "tau_dI")


# ----------------------------------------------------------------------------- PSP kernels
def numerical_peak(tau_r, tau_d):
    res = minimize_scalar(lambda s: -float(blocks.biexponential_kernel(s, tau_r, tau_d)),
                          bounds=(0.0, 3.0 * max(tau_r, tau_d)), method="bounded",
                          options={"xatol": 1e-11})
    return res.x


@pytest.mark.parametrize("tau_r, tau_d", [(2.0, 10.0), (1.0, 5.0), (9.0, 70.0), (37.5, 200.0),
                                          (0.01, 10.0), (9.9, 10.0), (10.0, 2.0)])
def test_biexponential_peak_time_is_the_closed_form(tau_r, tau_d):
    """t* = ln(tau_d/tau_r) tau_r tau_d / (tau_d - tau_r), symmetric in the two constants."""
    closed = math.log(tau_d / tau_r) * tau_r * tau_d / (tau_d - tau_r)
    assert blocks.peak_time(tau_r, tau_d) == pytest.approx(closed, rel=1e-12)
    assert numerical_peak(tau_r, tau_d) == pytest.approx(closed, rel=1e-6)


def test_paper_figure_kernels_peak_where_the_paper_says():
    """The paper's figure: alpha kernel peaking at 8 ms, first-order kernel at 0."""
    assert numerical_peak(8.0, 8.0) == pytest.approx(8.0, rel=1e-6)
    assert blocks.peak_time(8.0, 8.0) == 8.0
    assert blocks.peak_time(0.0, 10.0) == 0.0
    t = np.linspace(0.0, 100.0, 10001)
    assert t[np.argmax(blocks.first_order_kernel(t, 10.0))] == 0.0
    np.testing.assert_allclose(blocks.alpha_kernel(t, 8.0, norm="peak").max(), 1.0, rtol=1e-7)


@pytest.mark.parametrize("tau_r, tau_d", [(0.0, 10.0), (2.0, 10.0), (8.0, 8.0), (25.0, 300.0)])
def test_kernel_area_and_mean_delay(tau_r, tau_d):
    """Unit area, and mean delay tau_r + tau_d (-H'(0) of H(p) = 1/((1 + p tau_r)(1 + p tau_d)))."""
    h = lambda s: float(blocks.biexponential_kernel(s, tau_r, tau_d))          # noqa: E731
    assert quad(h, 0.0, np.inf)[0] == pytest.approx(1.0, abs=1e-10)
    mean = quad(lambda s: s * h(s), 0.0, np.inf)[0]
    assert mean == pytest.approx(tau_r + tau_d, rel=1e-8)


def test_master_nmm_synapse_is_the_biexponential_kernel():
    """With frozen rates (a very slow membrane), each synaptic output from rest is the step
    response 1 - (tau_d e^{-t/tau_d} - tau_r e^{-t/tau_r}) / (tau_d - tau_r), the integral
    of the unit-area kernel, times the rate."""
    p = {"tau_mE": 1e12, "tau_mI": 1e12, "tau_rE": 1.0, "tau_dE": 5.0, "tau_rI": 2.0,
         "tau_dI": 10.0}
    rates = (0.7, 0.3)
    res = rs.simulate(NMM, 60.0, 0.001, x0=[*rates, 0.0, 0.0, 0.0, 0.0], params=p,
                      record_every=100)
    for rate, pop in zip(rates, "EI"):
        tr, td = p[f"tau_r{pop}"], p[f"tau_d{pop}"]
        step = 1.0 - (td * np.exp(-res.t / td) - tr * np.exp(-res.t / tr)) / (td - tr)
        np.testing.assert_allclose(res[f"s{pop}"], rate * step, atol=1e-10)


# ----------------------------------------------------------------------------- Siegert
def siegert(mu, sigma, tau_m=20.0, theta=20.0, V_r=10.0, t_ref=2.0):
    """The stationary rate (1/ms) of tau_m V' = -V + mu + sigma sqrt(tau_m) xi with threshold
    theta, reset V_r and refractory time t_ref (Siegert 1951; Brunel 2000)."""
    lo, hi = (V_r - mu) / sigma, (theta - mu) / sigma
    return 1.0 / (t_ref + tau_m * math.sqrt(math.pi) * quad(lambda u: erfcx(-u), lo, hi)[0])


@pytest.mark.parametrize("mu", [21.0, 25.0, 30.0, 40.0])
def test_siegert_noiseless_limit(mu):
    """sigma -> 0 above threshold: 1 / (t_ref + tau_m ln((mu - V_r) / (mu - theta)))."""
    det = 1.0 / (2.0 + 20.0 * math.log((mu - 10.0) / (mu - 20.0)))
    assert siegert(mu, 0.02) == pytest.approx(det, rel=1e-3)


def test_siegert_low_rate_limit():
    """Far below threshold, y = (theta - mu) / sigma >> 1: the escape rate
    y exp(-y^2) / (tau_m sqrt(pi)), with a relative error that falls like 1 / y^2."""
    sigma = 1.0
    errs = []
    for y in (3.0, 6.0, 12.0):
        mu = 20.0 - y * sigma
        kramers = y * math.exp(-y * y) / (20.0 * math.sqrt(math.pi))
        errs.append(abs(siegert(mu, sigma, t_ref=0.0) / kramers - 1.0))
    assert errs[-1] < 0.01
    assert errs[0] / errs[1] == pytest.approx(4.0, rel=0.3)
    assert errs[1] / errs[2] == pytest.approx(4.0, rel=0.3)


def test_siegert_against_a_lif_simulation():
    """1000 LIF neurons, Euler-Maruyama at dt = 0.01 ms, 300 ms counted after a 50 ms
    warm-up: the rate is within 3 % of Siegert's (missed crossings cost ~ 1 %, sampling
    noise ~ 1 %)."""
    rng = np.random.default_rng(1)
    n, dt, warm, dur, mu, sigma = 1000, 0.01, 50.0, 300.0, 25.0, 5.0
    V = np.full(n, 10.0)
    ref = np.zeros(n)
    kick = sigma * math.sqrt(dt / 20.0)
    n_warm, spikes = int(warm / dt), 0
    for k in range(n_warm + int(dur / dt)):
        free = ref <= 0.0
        V = np.where(free, V + dt * (mu - V) / 20.0 + kick * rng.standard_normal(n), V)
        ref -= dt
        fired = V >= 20.0
        if k >= n_warm:
            spikes += int(fired.sum())
        V[fired] = 10.0
        ref[fired] = 2.0
    assert spikes / (n * dur) == pytest.approx(siegert(mu, sigma), rel=0.03)


# ----------------------------------------------------------------------------- master NMM
def test_master_nmm_with_relaxed_synapses_is_wilson_cowan():
    """At s = r the rates obey Wilson-Cowan exactly (the fast-synapse slow manifold), and
    the equilibria of all three models coincide."""
    rng = np.random.default_rng(0)
    for _ in range(10):
        over = {"PE": rng.uniform(-5, 5), "PI": rng.uniform(-10, 0),
                "tau_mE": rng.uniform(1, 20), "tau_mI": rng.uniform(1, 20)}
        r = rng.uniform(0, 1, 2)
        u = rng.uniform(-2, 2, 2)
        f = NMM.f([r[0], r[1], r[0], r[1], 0.0, 0.0], over, u)
        np.testing.assert_allclose(f[:2], WC.f(r, mn.as_wilson_cowan(over), u), rtol=1e-13,
                                   atol=1e-15)
    for Px in (-3.45, 0.0):                                # three equilibria, then one
        over = {"PE": Px}
        eq = [fp.state for fp in rs.fixed_points(NMM, over, n_starts=24)]
        eq_wc = [fp.state for fp in rs.fixed_points(WC, mn.as_wilson_cowan(over), n_starts=24)]
        eq_fm = [fp.state for fp in rs.fixed_points(NMM1, mn.fast_membrane_params(over),
                                                    n_starts=24)]
        assert len(eq) == len(eq_wc) == len(eq_fm) == (3 if Px < -3 else 1)
        for a, b, c in zip(eq, eq_wc, eq_fm):
            np.testing.assert_allclose(a, [*b, *b, 0.0, 0.0], atol=1e-9)
            np.testing.assert_allclose(c, [*b, 0.0, 0.0], atol=1e-9)


def test_fast_membrane_limit_declaration():
    """The unregistered limit model: its hand Jacobian against central differences, and
    from_fast_membrane puts the rates at their sigmoid (r' = 0 in the master NMM)."""
    rng = np.random.default_rng(2)
    for _ in range(10):
        over = {k: rng.uniform(NMM1.parameter(k).low, NMM1.parameter(k).high)
                for k in NMM1.parameter_names}
        x = np.array([rng.uniform(lo, hi) for lo, hi in NMM1.state_range])
        u = rng.uniform(-2, 2, 2)
        J, Jn = NMM1.jac(x, over, u), NMM1.jac(x, over, u, method="fd")
        np.testing.assert_allclose(J, Jn, rtol=1e-6, atol=1e-6 * max(1.0, np.abs(Jn).max()))
        lifted = mn.from_fast_membrane(x, over)
        np.testing.assert_allclose(NMM.f(lifted, over)[:2], 0.0, atol=1e-12)
        np.testing.assert_allclose(NMM.f(lifted, over)[2:], NMM1.f(x, over), rtol=1e-13)


def test_default_node_oscillates_in_the_alpha_band():
    """The docstring's claim: at the defaults the node oscillates at about 10 Hz, slower than
    either limit (Wilson-Cowan with 10 ms membranes at about 32 Hz)."""
    res = rs.simulate(NMM, 600.0, 0.01, x0=mn.from_wilson_cowan([0.2, 0.1]), record_every=5)
    late = res.t >= 300.0
    x = res["sE"][late] - res["sE"][late].mean()
    up = np.nonzero((x[:-1] < 0) & (x[1:] >= 0))[0]
    freq = 1e3 / np.mean(np.diff(res.t[late][up]))
    assert 9.0 < freq < 10.5
    assert np.ptp(res["sE"][late]) > 0.5


def _max_error(model_limit, limit_params, x0_limit, lift, limit_name, params, T=40.0, h=0.005):
    ref = rs.simulate(model_limit, T, h, x0=x0_limit, params=limit_params)
    k = max(1, int(np.ceil(10 * h / NMM.timescale(NMM.record(params)))))
    run = rs.simulate(NMM, T, h / k, x0=lift(x0_limit, params), params=params, record_every=k)
    return np.max(np.abs(run["sE"] - ref[limit_name]))


def test_fast_synapse_limit_is_first_order():
    """Synaptic time constants x 0.01 and x 0.001 at 10 ms membranes: the error to
    Wilson-Cowan over 40 ms shrinks tenfold (first order) and is below 0.01."""
    errs = []
    for f in (1e-2, 1e-3):
        p = {k: NMM.defaults[k] * f for k in SYN}
        errs.append(_max_error(WC, mn.as_wilson_cowan(p), np.array([0.2, 0.1]),
                               mn.from_wilson_cowan, "x", p))
    slope = math.log10(errs[0] / errs[1])
    assert slope == pytest.approx(1.0, abs=0.1)
    assert errs[1] < 0.01


def test_fast_membrane_limit_is_first_order():
    """Membrane time constants 0.1 ms and 0.01 ms at the default synapses: the error to the
    NMM1-type limit over 40 ms shrinks tenfold (first order) and is below 0.01."""
    errs = []
    for tm in (0.1, 0.01):
        p = {"tau_mE": tm, "tau_mI": tm}
        errs.append(_max_error(NMM1, mn.fast_membrane_params(p), np.array([0.2, 0.1, 0.0, 0.0]),
                               mn.from_fast_membrane, "sE", p))
    slope = math.log10(errs[0] / errs[1])
    assert slope == pytest.approx(1.0, abs=0.1)
    assert errs[1] < 0.01


def test_eigenvalues_converge_to_each_limits_at_first_order():
    """At the default equilibrium the slowest eigenvalue pair tends to Wilson-Cowan's as the
    synapses shrink and to the fast-membrane limit's as the membranes shrink, error ~ tau."""
    def slow(model, params):
        ev = rs.fixed_points(model, params, n_starts=4)[0].eigenvalues
        ev = ev[np.argsort(np.abs(ev.real))][:2]
        return ev[np.argmax(ev.imag)]

    lam_wc = slow(WC, mn.as_wilson_cowan())
    lam_fm = slow(NMM1, mn.fast_membrane_params())
    e_syn = [abs(slow(NMM, {k: NMM.defaults[k] * f for k in SYN}) - lam_wc) for f in (1e-2, 1e-3)]
    e_mem = [abs(slow(NMM, {"tau_mE": t, "tau_mI": t}) - lam_fm) for t in (1e-1, 1e-2)]
    assert math.log10(e_syn[0] / e_syn[1]) == pytest.approx(1.0, abs=0.1)
    assert math.log10(e_mem[0] / e_mem[1]) == pytest.approx(1.0, abs=0.1)
