"""The numbers the NMM1 chapter (book/nmm1_jansen_rit.ipynb) rests on, checked where possible
against calculations that do not use rosetta's continuation: the motif's Barkhausen condition
along continued Hopf curves, with an independently written Jacobian; the Jansen-Rit SNIC's
period law and Hopf frequencies from a numpy right-hand side and the closed-form equilibrium
curve; excitability, bistability and the evoked response by scipy's integrator; the classic
noisy input's alpha peak and its dt-dependent floor; reproducibility per seed."""
import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.optimize import brentq, minimize_scalar

import rosetta as rs
from rosetta import forcing as rf, measures as rm

MOTIF = rs.models["nmm1_motif"]
JR = rs.models["jansen_rit"]
OBS = {"y1": 1, "y2": -1}


# ============================================================================ the motif
def logistic(s):
    return 1.0 / (1.0 + math.exp(-s))


def motif_jacobian(x, p):
    """The motif's Jacobian written out by hand (state x, y, x', y')."""
    sx = logistic(-p["wxy"] * x[1] + p["P"])
    sy = logistic(p["wyx"] * x[0] + p["Py"])
    tx, ty = p["tau_x"], p["tau_y"]
    return np.array([
        [0.0, 0.0, 1.0, 0.0],
        [0.0, 0.0, 0.0, 1.0],
        [-1 / tx ** 2, -p["gamma_x"] * p["wxy"] * sx * (1 - sx) / tx ** 2, -2 / tx, 0.0],
        [p["gamma_y"] * p["wyx"] * sy * (1 - sy) / ty ** 2, -1 / ty ** 2, 0.0, -2 / ty]])


def check_barkhausen(x, p):
    """At a Hopf point x of the motif: an equilibrium, K = Kc, critical pair at +-i omega0."""
    sx = logistic(-p["wxy"] * x[1] + p["P"])
    sy = logistic(p["wyx"] * x[0] + p["Py"])
    assert x[0] == pytest.approx(p["gamma_x"] * sx, abs=1e-9)          # an equilibrium
    assert x[1] == pytest.approx(p["gamma_y"] * sy, abs=1e-9)
    K = p["wxy"] * p["wyx"] * p["gamma_x"] * p["gamma_y"] * sx * (1 - sx) * sy * (1 - sy)
    Kc = 2.0 + p["tau_x"] / p["tau_y"] + p["tau_y"] / p["tau_x"]
    w0 = 1.0 / math.sqrt(p["tau_x"] * p["tau_y"])
    assert K == pytest.approx(Kc, rel=1e-6)
    ev = np.linalg.eigvals(motif_jacobian(x, p))
    crit = ev[np.argmin(np.abs(ev.real))]
    assert abs(crit.real) < 1e-8 * w0
    assert abs(crit.imag) == pytest.approx(w0, rel=1e-6)


@pytest.mark.parametrize("second", ["tau_y", "tau_x"])
def test_motif_barkhausen_along_continued_hopf_curves(second):
    d = rs.bifurcation_diagram(MOTIF, "P", (-5.0, 25.0), observable="x", cycles=False)
    hopf = d.special("HB+")
    assert len(hopf) == 2
    checked, ratios = 0, []
    for h in hopf:
        curve = rs.continue_hopf(MOTIF, h, ("P", second), ((-10.0, 40.0), (1.0, 60.0)))
        for P, tau, x in zip(curve.p1, curve.p2, curve.states):
            if not 1.0 <= tau <= 60.0:
                continue
            p = {**MOTIF.defaults, "P": P, second: tau}
            check_barkhausen(x, p)
            ratios.append(p["tau_y"] / p["tau_x"])
            checked += 1
    assert checked > 40
    assert min(ratios) < 0.5 and max(ratios) > 5          # far from equal time constants


@pytest.mark.parametrize("taus", [(2.0, 20.0), (8.0, 8.0), (12.0, 4.0)])
def test_motif_hopf_points_for_other_time_constants(taus):
    params = {"tau_x": taus[0], "tau_y": taus[1], "gamma_x": 1.3, "wyx": 18.0}
    d = rs.bifurcation_diagram(MOTIF, "P", (-10.0, 40.0), params=params, observable="x",
                               cycles=False)
    hopf = d.special("HB+") + d.special("HB-")
    assert len(hopf) == 2
    for h in hopf:
        p = {**MOTIF.defaults, **params, "P": h.param}
        check_barkhausen(h.state, p)
        assert h.frequency == pytest.approx(1000 / (2 * math.pi * math.sqrt(taus[0] * taus[1])),
                                            rel=1e-6)


# ============================================================================ Jansen-Rit by hand
P0 = JR.defaults


def S(v, p=P0):
    return 2 * p["e0"] / (1 + np.exp(p["r"] * (p["v0"] - v)))


def jr_rhs(t, x, p=P0, u=lambda t: 0.0):
    """Jansen-Rit, written out independently of rosetta (state y0, y1, y2, y3, y4, y5)."""
    C = p["C"]
    A, a, B, b = p["A"], p["a"], p["B"], p["b"]
    y0, y1, y2, y3, y4, y5 = x
    return np.array([
        y3, y4, y5,
        A * a * S(y1 - y2, p) - 2 * a * y3 - a * a * y0,
        A * a * (p["P"] + u(t) + 0.8 * C * S(C * y0, p)) - 2 * a * y4 - a * a * y1,
        B * b * 0.25 * C * S(0.25 * C * y0, p) - 2 * b * y5 - b * b * y2])


def jr_jac(x, p, h=1e-7):
    J = np.zeros((6, 6))
    for k in range(6):
        e = np.zeros(6)
        e[k] = h * max(1.0, abs(x[k]))
        J[:, k] = (jr_rhs(0, x + e, p) - jr_rhs(0, x - e, p)) / (2 * e[k])
    return J


def curve(v, p=P0):
    """(P, equilibrium) on the closed-form equilibrium curve at v = y1 - y2."""
    C = p["C"]
    y0 = p["A"] / p["a"] * S(v, p)
    y2 = p["B"] / p["b"] * 0.25 * C * S(0.25 * C * y0, p)
    y1 = v + y2
    return p["a"] / p["A"] * y1 - 0.8 * C * S(C * y0, p), np.array([y0, y1, y2, 0, 0, 0])


def snic_fold(p=P0):
    """The upper fold of the low branch: the first maximum of P(v)."""
    r = minimize_scalar(lambda v: -curve(v, p)[0], bounds=(0.0, 4.0), method="bounded",
                        options={"xatol": 1e-12})
    return curve(r.x, p)


def integrate(x0, T, p=P0, u=lambda t: 0.0, max_step=1e-3):
    return solve_ivp(jr_rhs, (0, T), x0, args=(p, u), method="LSODA", rtol=1e-9, atol=1e-11,
                     max_step=max_step, dense_output=True)


def test_snic_period_law_from_an_independent_normal_form():
    P_snic, x = snic_fold()
    J = jr_jac(x, P0)
    ev, V = np.linalg.eig(J)
    q = V[:, np.argmin(np.abs(ev))].real
    evl, Vl = np.linalg.eig(J.T)
    pl = Vl[:, np.argmin(np.abs(evl))].real
    pl /= pl @ q
    h = 1e-3
    alpha = pl @ (jr_rhs(0, x, {**P0, "P": P_snic + h}) - jr_rhs(0, x, {**P0, "P": P_snic - h})) / (2 * h)
    hq = 1e-5
    d2 = (jr_rhs(0, x + hq * q, {**P0, "P": P_snic}) - 2 * jr_rhs(0, x, {**P0, "P": P_snic})
          + jr_rhs(0, x - hq * q, {**P0, "P": P_snic})) / hq ** 2
    beta = 0.5 * pl @ d2
    K = math.pi / math.sqrt(alpha * beta)
    d = rs.bifurcation_diagram(JR, "P", (-80.0, 350.0), observable=OBS)
    (snic,) = d.special("SNIC")
    assert snic.param == pytest.approx(P_snic, abs=1e-6)
    spike = max(d.cycles, key=lambda br: np.nanmax(br.period))
    mu = spike.param - P_snic
    near = (mu > 0) & (mu < 0.05) & np.asarray(spike.stable, bool)
    assert near.sum() >= 5
    _, K_fit = np.polyfit(np.sqrt(mu[near]), spike.period[near] * np.sqrt(mu[near]), 1)
    assert K_fit == pytest.approx(K, rel=0.01)
    # and a scipy run at mu = 0.2 /s has the continued period
    P = P_snic + 0.2
    p = {**P0, "P": P}
    sol = integrate(curve(0.0)[1], 8.0, p)
    t = np.linspace(2.0, 8.0, 60001)
    v = sol.sol(t)[1] - sol.sol(t)[2]
    up = np.nonzero((v[:-1] < 6.0) & (v[1:] >= 6.0))[0]
    T_sim = np.mean(np.diff(t[up]))
    stable = np.asarray(spike.stable, bool)
    order = np.argsort(spike.param[stable])
    T_cont = np.interp(P, spike.param[stable][order], spike.period[stable][order])
    assert T_sim == pytest.approx(T_cont, rel=0.01)
    assert T_sim == pytest.approx(K / math.sqrt(0.2), rel=0.1)        # the law, to leading order


def hopf_points_by_hand(p, v_lo=3.0, v_hi=14.0, n=2000):
    """Hopf points of the closed-form equilibrium curve: the leading complex pair of the
    finite-difference Jacobian of jr_rhs crossing the imaginary axis."""
    def g(v):
        P, x = curve(v, p)
        ev = np.linalg.eigvals(jr_jac(x, {**p, "P": P}))
        ev = ev[np.abs(ev.imag) > 1e-6]
        return ev.real.max() if ev.size else -np.inf

    vs = np.linspace(v_lo, v_hi, n)
    gs = np.array([g(v) for v in vs])
    out = []
    for k in np.nonzero(np.isfinite(gs[:-1]) & np.isfinite(gs[1:]) & (np.sign(gs[:-1]) != np.sign(gs[1:])))[0]:
        v = brentq(g, vs[k], vs[k + 1], xtol=1e-12)
        P, x = curve(v, p)
        ev = np.linalg.eigvals(jr_jac(x, {**p, "P": P}))
        out.append((P, np.abs(ev[np.argmin(np.abs(ev.real))].imag) / (2 * math.pi)))
    return sorted(out)


@pytest.mark.parametrize("ab", [(100.0, 50.0), (80.0, 50.0), (100.0, 35.0)])
def test_the_alpha_cycle_ends_at_the_motif_frequency(ab):
    """Where the alpha cycle ends (the Hopf point at the largest P) the excitatory
    interneurons are saturated and the frequency is the motif's sqrt(ab)/2pi, to 1 %."""
    p = {**P0, "a": ab[0], "b": ab[1]}
    P_last, f_last = hopf_points_by_hand(p)[-1]
    assert f_last == pytest.approx(math.sqrt(ab[0] * ab[1]) / (2 * math.pi), rel=0.01)
    d = rs.bifurcation_diagram(JR, "P", (-200.0, 1000.0), params={"a": ab[0], "b": ab[1]},
                               observable=OBS, cycles=False)
    last = max(d.special("HB+"), key=lambda h: h.param)
    assert last.param == pytest.approx(P_last, rel=1e-5)        # finite-difference Jacobian
    assert last.frequency == pytest.approx(f_last, rel=1e-5)


def test_bistable_between_the_snic_and_the_fold_of_cycles():
    """At P = 130 /s a start at rest spikes and a start near the high equilibrium ends on the
    alpha cycle (scipy); at P = 200 /s both end on the alpha cycle."""
    low = curve(1.5)[1]
    for P, want_spike in ((130.0, True), (200.0, False)):
        p = {**P0, "P": P}
        high = rs.fixed_points(JR, {"P": P})
        high = max(high, key=lambda f: f.state[1] - f.state[2]).state + 0.01
        for x0, spikes in ((low, want_spike), (high, False)):
            sol = integrate(x0, 4.0, p)
            t = np.linspace(2.0, 4.0, 4001)
            v = sol.sol(t)[1] - sol.sol(t)[2]
            assert (v.max() > 10.0) == spikes
            if not spikes:
                assert 5.0 < v.min() and v.max() < 9.5 and v.max() - v.min() > 0.5


# ============================================================================ evoked responses
T_ON, WIDTH = 0.1, 0.01


def bank(P, n, x0, amplitudes, noise=None, seed=1, duration=0.8, dt=1e-4):
    net = rs.network(JR, np.zeros((n, n)), G=0.0, projections=[], params={"P": P})
    drives = [rf.Step(amplitude=1.0, t_on=T_ON, t_off=T_ON + WIDTH,
                      nodes=np.asarray(amplitudes, dtype=float))]
    if noise is not None:
        drives.append(noise)
        return rs.simulate(net, duration, dt, method="heun", x0=np.tile(x0, (n, 1)),
                           drive=drives, seed=seed, record_every=10)
    return rs.simulate(net, duration, dt, x0=np.tile(x0, (n, 1)), drive=drives, record_every=10)


def low_rest(P):
    return curve(brentq(lambda v: curve(v)[0] - P, -30.0, snic_fold()[1][1] - snic_fold()[1][2]))[1]


def test_erp_threshold_is_all_or_none_against_scipy():
    """Bisection on a bank of rosetta columns finds the 10 ms pulse threshold at P = 100 /s;
    scipy's integrator agrees that 1 % below it the column relaxes and 1 % above it spikes,
    and the sub-threshold response is linear in the pulse."""
    P = 100.0
    x0 = low_rest(P)
    v_rest = x0[1] - x0[2]
    lo, hi = 100.0, 300.0
    for _ in range(20):
        mid = 0.5 * (lo + hi)
        r = bank(P, 1, x0, [mid])
        fired = (r.y1 - r.y2).max() - v_rest > 5.0
        lo, hi = (lo, mid) if fired else (mid, hi)
    thr = 0.5 * (lo + hi)
    assert 150.0 < thr < 220.0
    peaks = []
    for A in (0.99 * thr, 1.01 * thr, 20.0, 40.0):
        u = (lambda A: lambda t: A if T_ON <= t < T_ON + WIDTH else 0.0)(A)
        sol = solve_ivp(jr_rhs, (0, 0.8), x0, args=({**P0, "P": P}, u), method="LSODA",
                        rtol=1e-10, atol=1e-12, max_step=2e-4, dense_output=True)
        t = np.linspace(T_ON, 0.8, 7001)
        peaks.append((sol.sol(t)[1] - sol.sol(t)[2]).max() - v_rest)
    assert peaks[0] < 3.0 and peaks[1] > 8.0
    assert peaks[3] == pytest.approx(2 * peaks[2], rel=0.02)             # graded, linear


def test_erp_trials_are_reproducible_per_seed():
    x0 = low_rest(100.0)
    noise = rf.Noise(sigma=22.0 * math.sqrt(1e-4))
    a = bank(100.0, 6, x0, np.full(6, 185.0), noise=noise, seed=3)
    b = bank(100.0, 6, x0, np.full(6, 185.0), noise=noise, seed=3)
    c = bank(100.0, 6, x0, np.full(6, 185.0), noise=noise, seed=4)
    assert np.array_equal(a.data, b.data)
    assert not np.allclose(a.data, c.data)
    v = a.y1 - a.y2
    assert not np.allclose(v[:, 0], v[:, 1])                  # one independent noise per trial
    # the noise is small: before the pulse every trial stays within 0.3 mV of rest
    assert np.abs(v[a.t < T_ON] - (x0[1] - x0[2])).max() < 0.3


# ============================================================================ the classic input
def spectrum(P, dt, seed=1, duration=40.0, x0=None):
    r = rs.simulate(JR, duration, dt, method="heun", params={"P": P}, x0=x0,
                    drive=rf.Noise(sigma=22.0 * math.sqrt(dt)), seed=seed,
                    record_every=int(round(1e-3 / dt)))
    v = (r.y1 - r.y2)[r.t >= 2.0]
    return rm.power_spectrum(v, r.sampling_rate, nperseg=4000)


def test_classic_noisy_input_has_its_alpha_peak_and_a_dt_dependent_floor():
    """P ~ N(220, 22) per step: the spectral peak lies in [8, 12] Hz at any step, and the
    noise floor between 25 and 40 Hz scales like dt (the white-noise intensity is 22 sqrt(dt));
    below HB+ (P = 60) likewise, where the peak is the damped alpha of the high focus."""
    for P in (220.0, 60.0):
        x0 = max(rs.fixed_points(JR, {"P": P}), key=lambda f: f.state[1] - f.state[2]).state
        floors = []
        for dt in (1e-4, 1e-3):
            f, Pw = spectrum(P, dt, x0=x0 + (0.01 if P == 220.0 else 0.0))
            band = f > 2.0
            assert 8.0 <= f[band][np.argmax(Pw[band])] <= 12.0
            floors.append(np.median(Pw[(f > 25.0) & (f < 40.0)]))
        assert floors[1] / floors[0] == pytest.approx(10.0, rel=0.3)


# ============================================================================ forcing and networks
def test_the_input_psp_follows_a_drive_that_the_column_ignores():
    """Why the chapter reads the phase from (y0, y3): under a sine of 16 /s at 1.5 f_alpha the
    column's output PSP keeps its own frequency while y1 follows the drive, and the locking map
    on (y0, y3) reports no 1:1 locking there while locking near f_alpha."""
    high = max(rs.fixed_points(JR, {"P": 200.0}), key=lambda f: f.state[1] - f.state[2]).state
    x_alpha = rs.simulate(JR, 3.0, 1e-4, params={"P": 200.0}, x0=high + 0.01).data[-1, 0]
    f_alpha = rs.brute_force(JR, "P", [200.0], OBS, duration=4.0, transient=2.0, dt=2e-4,
                             x0=x_alpha).frequency[0, 0]
    r = rs.simulate(JR, 6.0, 2e-4, params={"P": 200.0}, x0=x_alpha, record_every=5,
                    drive=rf.Sine(amplitude=16.0, frequency=1.5 * f_alpha))
    late = r.t >= 2.0
    f0 = rm.dominant_frequency(r.y0[late], r.sampling_rate, fmin=2.0)
    f1 = rm.dominant_frequency(r.y1[late], r.sampling_rate, fmin=2.0)
    assert f0 == pytest.approx(f_alpha, abs=0.3)
    assert f1 == pytest.approx(1.5 * f_alpha, abs=0.3)
    lm = rs.locking_map(JR, [16.0], [f_alpha, 1.5 * f_alpha], params={"P": 200.0}, duration=3.0,
                        transient=1.0, dt=2e-4, phase_variable=("y0", "y3"), x0=x_alpha)
    assert lm.locked(1, 1, tol=5e-3)[0].tolist() == [True, False]


def test_forward_pair_lag_grows_with_the_delay_at_the_drivers_frequency():
    x_high = max(rs.fixed_points(JR, {"P": 200.0}), key=lambda f: f.state[1] - f.state[2]).state
    x_alpha = rs.simulate(JR, 3.0, 1e-4, params={"P": 200.0}, x0=x_high + 0.01).data[-1, 0]
    x60 = max(rs.fixed_points(JR, {"P": 60.0}), key=lambda f: f.state[1] - f.state[2]).state
    C = np.array([[0.0, 0.0], [1.0, 0.0]])
    dt = 2e-4
    lags, f1 = [], None
    for d in np.linspace(0.0, 0.04, 5):
        net = rs.network(JR, C, G=20.0, normalize=None, delays=d * C, params={"P": [200.0, 60.0]})
        r = rs.simulate(net, 8.0, dt, method="heun", x0=np.array([x_alpha, x60]),
                        drive=rf.Noise(sigma=22.0 * math.sqrt(dt)), seed=1, record_every=5)
        v = (r.y1 - r.y2)[r.t >= 2.0]
        ph = rm.analytic_phase(rm.bandpass(v, r.sampling_rate, (6.0, 16.0)))
        z = np.mean(np.exp(1j * (ph[:, 0] - ph[:, 1])))
        assert abs(z) > 0.9
        lags.append(np.angle(z))
        f1 = rm.dominant_frequency(v[:, 0], r.sampling_rate, fmin=2.0)
    slope = np.polyfit(np.linspace(0.0, 0.04, 5), np.unwrap(lags), 1)[0]
    assert slope == pytest.approx(2 * math.pi * f1, rel=0.03)
