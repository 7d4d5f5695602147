"""Closed forms of the ladder's nonlinear rungs: Stuart-Landau (c), Jansen-Rit (e) and the
Montbrio-Pazo-Roxin mean field (f). The generic contract (Jacobian, networks, declaration)
is checked for these models by tests/test_models.py."""
import math

import numpy as np
import pytest
from scipy.optimize import brentq, minimize_scalar

import rosetta as rs

SL = rs.models["stuart_landau"]
JR = rs.models["jansen_rit"]
MPR = rs.models["montbrio_pazo_roxin"]


# ----------------------------------------------------------------------------- Stuart-Landau
@pytest.mark.parametrize("alpha, gamma, beta, omega", [
    (4.0, 2.0, 1.5, 2 * np.pi * 10),
    (6.0, 0.5, -3.0, 2 * np.pi * 5),
    (5.0, 1.0, 0.0, 2 * np.pi * 10),
])
def test_stuart_landau_cycle_radius_and_frequency(alpha, gamma, beta, omega):
    """r' = alpha r - gamma r^3, theta' = omega - beta r^2: the cycle is a circle of radius
    sqrt(alpha / gamma) travelled at omega - beta alpha / gamma."""
    params = dict(alpha=alpha, gamma=gamma, beta=beta, omega=omega)
    res = rs.simulate(SL, 3.0, 1e-4, method="rk4", x0=[0.3, 0.0], params=params)
    late = res.t > 2.0                                   # transient ~ exp(-2 alpha t)
    x, y = res["x"][late], res["y"][late]
    radius = np.hypot(x, y)
    r_star = math.sqrt(alpha / gamma)
    np.testing.assert_allclose(radius, r_star, rtol=1e-3)
    phase = np.unwrap(np.arctan2(y, x))
    freq = np.polyfit(res.t[late], phase, 1)[0]
    expected = omega - beta * alpha / gamma
    assert freq == pytest.approx(expected, rel=1e-3)
    if beta != 0:                                        # the shear is really resolved
        assert abs(freq - omega) > 10 * 1e-3 * omega


def test_stuart_landau_trace_on_the_cycle_is_minus_two_alpha():
    """On the circle |z|^2 = alpha/gamma the Jacobian's trace is 2 alpha - 4 gamma r^2
    = -2 alpha at every phase: the Floquet exponents 0 and -2 alpha (Liouville)."""
    p = dict(alpha=3.0, gamma=1.5, beta=2.0, omega=20.0)
    r_star = math.sqrt(p["alpha"] / p["gamma"])
    for th in np.linspace(0, 2 * np.pi, 7):
        J = SL.jac([r_star * np.cos(th), r_star * np.sin(th)], p)
        assert np.trace(J) == pytest.approx(-2 * p["alpha"], rel=1e-12)


@pytest.mark.parametrize("alpha", [-3.0, -0.5, 0.5, 3.0])
def test_stuart_landau_fixed_point_and_hopf(alpha):
    """The origin has eigenvalues alpha +- i omega: a stable focus for alpha < 0 (a run
    decays onto it at the rate alpha), unstable past the Hopf point alpha = 0 (a run
    reaches the cycle of radius sqrt(alpha / gamma))."""
    p = dict(alpha=alpha, gamma=1.0, beta=0.7, omega=2 * np.pi * 10)
    ev = np.linalg.eigvals(SL.jac([0.0, 0.0], p))
    np.testing.assert_allclose(ev.real, alpha, rtol=1e-12)
    np.testing.assert_allclose(sorted(ev.imag), [-p["omega"], p["omega"]], rtol=1e-12)
    res = rs.simulate(SL, 10.0, 2e-4, method="rk4", x0=[1.0, 1.0], params=p)
    r = np.hypot(res["x"], res["y"])
    if alpha < 0:
        assert np.all(ev.real < 0)
        late = res.t > 8.0
        rate = np.polyfit(res.t[late], np.log(r[late]), 1)[0]
        assert rate == pytest.approx(alpha, rel=5e-3)
        assert r[-1] < math.sqrt(2) * math.exp(alpha * res.t[-1])
    else:
        assert np.all(ev.real > 0)
        assert r[-1] == pytest.approx(math.sqrt(alpha), rel=1e-3)


def test_stuart_landau_constant_bias_moves_the_fixed_point():
    """Below the Hopf point a small constant F shifts the stable fixed point to a root of
    (alpha + i omega) z - (gamma + i beta)|z|^2 z + F = 0, which a run reaches."""
    p = dict(alpha=-2.0, gamma=1.0, beta=0.5, omega=2 * np.pi * 2)
    F = 3.0 + 1.0j
    drive = [rs.forcing.Constant(channel="ux", value=F.real),
             rs.forcing.Constant(channel="uy", value=F.imag)]
    res = rs.simulate(SL, 12.0, 1e-3, method="rk4", x0=[0.0, 0.0], params=p, drive=drive)
    z = res["x"][-1] + 1j * res["y"][-1]
    lhs = (p["alpha"] + 1j * p["omega"]) * z - (p["gamma"] + 1j * p["beta"]) * abs(z) ** 2 * z + F
    assert abs(lhs) < 1e-8
    assert abs(z) > 0.05


# ----------------------------------------------------------------------------- Jansen-Rit
def _jr_sigmoid(v, p):
    return 2 * p["e0"] / (1 + np.exp(p["r"] * (p["v0"] - v)))


def _jr_dsigmoid(v, p):
    s = _jr_sigmoid(v, p)
    return p["r"] * s * (1 - s / (2 * p["e0"]))


def jr_equilibrium(v, p=None):
    """The equilibrium with y1 - y2 = v and the input P that holds it there."""
    p = {**JR.defaults, **(p or {})}
    C = p["C"]
    S = lambda w: _jr_sigmoid(w, p)                                  # noqa: E731
    y0 = p["A"] / p["a"] * S(v)
    y2 = p["B"] / p["b"] * 0.25 * C * S(0.25 * C * y0)
    y1 = v + y2
    P = p["a"] / p["A"] * y1 - 0.8 * C * S(C * y0)
    return np.array([y0, y1, y2, 0.0, 0.0, 0.0]), P


def jr_dP_dv(v, p=None):
    """Derivative of P(v) along the equilibrium curve (closed form, chain rule)."""
    p = {**JR.defaults, **(p or {})}
    C = p["C"]
    dS = lambda w: _jr_dsigmoid(w, p)                                # noqa: E731
    y0 = p["A"] / p["a"] * _jr_sigmoid(v, p)
    dy0 = p["A"] / p["a"] * dS(v)
    dy2 = p["B"] / p["b"] * 0.25 * C * dS(0.25 * C * y0) * 0.25 * C * dy0
    return p["a"] / p["A"] * (1 + dy2) - 0.8 * C * dS(C * y0) * C * dy0


def jr_folds(p=None, vmin=-10.0, vmax=20.0):
    """Roots of dP/dv: (v, P) at each fold of the equilibrium curve."""
    v = np.linspace(vmin, vmax, 3001)
    d = jr_dP_dv(v, p)
    out = []
    for i in np.nonzero(np.sign(d[:-1]) != np.sign(d[1:]))[0]:
        vf = brentq(jr_dP_dv, v[i], v[i + 1], args=(p,), xtol=1e-13, rtol=1e-14)
        out.append((vf, jr_equilibrium(vf, p)[1]))
    return out


def P_scale(P):
    a, A = JR.defaults["a"], JR.defaults["A"]
    return A * a * max(1.0, abs(P))


def test_jansen_rit_equilibrium_curve_is_the_models():
    """The closed-form curve is made of zeros of the model's rhs, and dP/dv is its slope."""
    for v in np.linspace(-3, 12, 16):
        x, P = jr_equilibrium(v)
        dx = JR.f(x, {"P": P})
        assert np.max(np.abs(dx)) < 1e-9 * P_scale(P)
        h = 1e-6
        slope = (jr_equilibrium(v + h)[1] - jr_equilibrium(v - h)[1]) / (2 * h)
        assert jr_dP_dv(v) == pytest.approx(slope, rel=1e-6, abs=1e-6)


def test_jansen_rit_folds_match_the_paper():
    """Two folds of the equilibrium curve: the saddle-node (paper ~ -42) and the SNIC
    (paper ~ 113); precisely P = -41.30 (v = 5.3265 mV) and 113.59 (v = 2.5805 mV)."""
    folds = sorted(jr_folds(), key=lambda f: f[1])
    assert len(folds) == 2
    (v_sn, P_sn), (v_snic, P_snic) = folds
    assert P_sn == pytest.approx(-42, abs=2.0)
    assert P_snic == pytest.approx(113, abs=2.0)
    assert P_sn == pytest.approx(-41.3014, abs=1e-3)
    assert P_snic == pytest.approx(113.5863, abs=1e-3)
    assert v_sn == pytest.approx(5.32654, abs=1e-4)
    assert v_snic == pytest.approx(2.58055, abs=1e-4)
    # a fold is a zero eigenvalue of the model's own Jacobian
    for v, P in folds:
        x, _ = jr_equilibrium(v)
        ev = np.linalg.eigvals(JR.jac(x, {"P": P}))
        assert np.min(np.abs(ev)) < 1e-6 * np.max(np.abs(ev))


def test_jansen_rit_hopf_points_match_the_paper():
    """Stability changes along the curve through complex pairs: HB- ~ -12, HB+ ~ 89 and the
    last HB+ ~ 315 of the paper's figure (found at -12.147, 89.829 and 315.696)."""
    vs = np.linspace(-3, 12, 1501)
    growth = []
    for v in vs:
        x, P = jr_equilibrium(v)
        growth.append(np.max(np.linalg.eigvals(JR.jac(x, {"P": P})).real))
    growth = np.array(growth)

    def lead(v):
        x, P = jr_equilibrium(v)
        return np.max(np.linalg.eigvals(JR.jac(x, {"P": P})).real)

    hopf = []
    for i in np.nonzero(np.sign(growth[:-1]) != np.sign(growth[1:]))[0]:
        vc = brentq(lead, vs[i], vs[i + 1], xtol=1e-12)
        x, P = jr_equilibrium(vc)
        ev = np.linalg.eigvals(JR.jac(x, {"P": P}))
        crit = ev[np.argmin(np.abs(ev.real))]
        if abs(crit.imag) > 1.0:                         # a complex pair: Hopf, not a fold
            hopf.append(P)
    np.testing.assert_allclose(sorted(hopf), [-12.147, 89.829, 315.696], atol=0.01)
    np.testing.assert_allclose(sorted(hopf), [-12, 89, 315], atol=2.0)


def test_jansen_rit_runs_reach_the_lower_equilibrium_and_the_alpha_cycle():
    """P = 100 (below the SNIC): a run from rest settles on the lower equilibrium of the
    closed-form curve. P = 200 (between the SNLC and the last Hopf point): the alpha cycle."""
    res = rs.simulate(JR, 4.0, 1e-4, x0=np.zeros(6), params={"P": 100.0})
    v_end = res["y1"][-1] - res["y2"][-1]
    v_eq = brentq(lambda v: jr_equilibrium(v)[1] - 100.0, -3.0, 2.58)
    assert v_end == pytest.approx(v_eq, abs=1e-6)

    res = rs.simulate(JR, 6.0, 1e-4, x0=np.zeros(6), params={"P": 200.0}, record_every=10)
    late = res.t > 3.0
    v = res["y1"][late] - res["y2"][late]
    assert np.ptp(v) > 1.0
    c = v - v.mean()
    up = np.nonzero((c[:-1] < 0) & (c[1:] >= 0))[0]
    t = res.t[late]
    freq = (up.size - 1) / (t[up[-1]] - t[up[0]])
    assert 8.0 < freq < 13.0                             # alpha band (about 10.9 Hz)


def test_jansen_rit_output_is_the_pyramidal_rate():
    x = np.array([0.1, 12.0, 7.0, 1.0, -20.0, 30.0])
    o = np.zeros(1)
    JR.output(x, JR.record(), o)
    assert o[0] == pytest.approx(_jr_sigmoid(5.0, JR.defaults), rel=1e-14)
    # the P input channel acts exactly like the parameter P
    np.testing.assert_allclose(JR.f(x, {"P": 150.0}), JR.f(x, {"P": 120.0}, u=[30.0]),
                               rtol=1e-14)


# ----------------------------------------------------------------------------- MPR
def mpr_branch(R, J, Delta, tau):
    """Equilibrium with pi tau r = R and the eta that holds it there (no input)."""
    r = R / (math.pi * tau)
    v = -Delta / (2 * R)
    eta = R * R - (J / math.pi) * R - Delta ** 2 / (4 * R * R)
    return np.array([r, v]), eta


def mpr_det(R, J, Delta, tau):
    x, eta = mpr_branch(R, J, Delta, tau)
    return np.linalg.det(MPR.jac(x, dict(J=J, Delta=Delta, tau=tau, eta=eta)))


@pytest.mark.parametrize("Delta, tau", [(1.0, 1.0), (2.5, 7.5), (0.3, 1.0)])
def test_mpr_cusp(Delta, tau):
    """The two fold curves meet at (eta, J) = (-sqrt(3) Delta, (8 pi / 3)(3/4)^(1/4)
    sqrt(Delta) ~ 7.80 sqrt(Delta)) whatever tau: found numerically from the model's own
    rhs and Jacobian (a fold is det J = 0 along the branch; the cusp is where its minimum
    over the branch touches zero)."""
    params = dict(Delta=Delta, tau=tau)
    # the branch is made of equilibria of the model
    for R in np.geomspace(0.05, 10, 9) * math.sqrt(Delta):
        x, eta = mpr_branch(R, 15.0, Delta, tau)
        np.testing.assert_allclose(MPR.f(x, {**params, "J": 15.0, "eta": eta}), 0.0, atol=1e-10)
        assert np.trace(MPR.jac(x, {**params, "J": 15.0, "eta": eta})) < 0   # no Hopf

    s = math.sqrt(Delta)

    def min_det(J):
        m = minimize_scalar(mpr_det, bounds=(0.1 * s, 5 * s), args=(J, Delta, tau),
                            method="bounded", options={"xatol": 1e-10})
        return m.fun, m.x

    # J_c: the smallest J at which det J vanishes somewhere on the branch
    J_c = brentq(lambda J: min_det(J)[0], 1.0 * s, 20.0 * s, xtol=1e-12)
    R_c = min_det(J_c)[1]
    eta_c = mpr_branch(R_c, J_c, Delta, tau)[1]
    assert J_c == pytest.approx(8 * math.pi / 3 * 0.75 ** 0.25 * s, rel=1e-6)
    assert J_c / s == pytest.approx(7.7962, abs=1e-4)
    assert eta_c == pytest.approx(-math.sqrt(3) * Delta, rel=1e-5)
    # below the cusp no fold, above it two
    R = np.geomspace(0.05, 10, 4001) * s
    for J, n in [(0.95 * J_c, 0), (1.2 * J_c, 2)]:
        d = np.array([mpr_det(Ri, J, Delta, tau) for Ri in R])
        assert np.count_nonzero(np.sign(d[:-1]) != np.sign(d[1:])) == n


def test_mpr_bistability_beyond_the_cusp():
    """At the defaults (eta = -5, J = 15, beyond the cusp) a low and a high state coexist,
    the roots of eta = R^2 - (J / pi) R - Delta^2 / (4 R^2); below the cusp (J = 5) both
    runs end in the same state."""
    J, Delta, eta, tau = 15.0, 1.0, -5.0, 1.0
    # equilibria from the closed form: R^4 - (J/pi) R^3 - eta R^2 - Delta^2/4 = 0
    roots = np.roots([1.0, -J / math.pi, -eta, 0.0, -Delta ** 2 / 4])
    R = np.sort(roots[(abs(roots.imag) < 1e-12) & (roots.real > 0)].real)
    assert R.size == 3                                     # low, saddle, high
    r_low, r_high = R[0] / (math.pi * tau), R[2] / (math.pi * tau)
    ends = [rs.simulate(MPR, 60.0, 0.005, x0=x0).data[-1, 0] for x0 in ([0.01, -2.0], [1.5, 0.0])]
    np.testing.assert_allclose(ends[0], [r_low, -Delta / (2 * R[0])], rtol=1e-6)
    np.testing.assert_allclose(ends[1], [r_high, -Delta / (2 * R[2])], rtol=1e-6)
    one = [rs.simulate(MPR, 60.0, 0.005, x0=x0, params={"J": 5.0}).data[-1, 0]
           for x0 in ([0.01, -2.0], [1.5, 0.0])]
    np.testing.assert_allclose(one[0], one[1], rtol=1e-6)
