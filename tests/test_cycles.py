"""Limit-cycle continuation (rosetta.cycles): closed forms of the Hopf and Bautin normal
forms, the fold of cycles, agreement with brute-force simulation, and the Jansen-Rit
cycle branches (alpha rhythm between two Hopf points; spike cycles ending in a SNIC)."""
import math

import numpy as np
import pytest
from numba import njit
from scipy.optimize import brentq, fsolve

import rosetta as rs
from rosetta.cycles import continue_cycles, cycle_profile
from rosetta.diagram import SpecialPoint, observable_weights
from rosetta.model import Model, Parameter, ParameterError

OMEGA = 2 * np.pi


# ----------------------------------------------------------------------------- test model
# Bautin-type normal form z' = (alpha + i omega) z + |z|^2 z - |z|^4 z, i.e.
# r' = alpha r + r^3 - r^5, theta' = omega: a subcritical Hopf at alpha = 0 whose unstable
# cycle turns at the fold of cycles alpha = -1/4, r^2 = 1/2, into the stable outer cycle.
@njit(cache=True)
def bautin_rhs(x, p, u, dx):
    r2 = x[0] * x[0] + x[1] * x[1]
    a = p.alpha + r2 - r2 * r2
    dx[0] = a * x[0] - p.omega * x[1] + u[0]
    dx[1] = p.omega * x[0] + a * x[1] + u[1]


@njit(cache=True)
def bautin_jacobian(x, p, u, jac):
    r2 = x[0] * x[0] + x[1] * x[1]
    a = p.alpha + r2 - r2 * r2
    da = 1.0 - 2.0 * r2                      # d a / d (r^2)
    jac[0, 0] = a + 2.0 * x[0] * x[0] * da
    jac[0, 1] = -p.omega + 2.0 * x[0] * x[1] * da
    jac[1, 0] = p.omega + 2.0 * x[0] * x[1] * da
    jac[1, 1] = a + 2.0 * x[1] * x[1] * da


@njit(cache=True)
def bautin_output(x, p, o):
    o[0] = x[0]
    o[1] = x[1]


def bautin_model(with_jacobian=True):
    return Model(
        name="bautin_test", title="Bautin normal form (test)",
        equations=r"\dot z = (\alpha + i\omega) z + |z|^2 z - |z|^4 z", citation="",
        time_unit="s", state=("x", "y"), state_range=((-2.0, 2.0), (-2.0, 2.0)),
        parameters=(Parameter("alpha", 0.0, "1/s", -1.0, 1.0, "growth rate"),
                    Parameter("omega", OMEGA, "rad/s", 0.0, 100.0, "frequency",
                              domain=(0.0, None))),
        inputs=("ux", "uy"), rhs=bautin_rhs,
        jacobian=bautin_jacobian if with_jacobian else None,
        output=bautin_output, outputs=("x", "y"), projections=(("x", "ux"), ("y", "uy")))


BAUTIN = bautin_model()
HOPF0 = SpecialPoint("HB-", 0.0, np.zeros(2), 0.0, frequency=1.0)      # Hz: OMEGA = 2 pi rad/s


@pytest.fixture(scope="module")
def bautin_branch():
    return continue_cycles(BAUTIN, "alpha", {"omega": OMEGA}, HOPF0, (-1.0, 0.5), observable="x")


def trivial_and_other(mu):
    k = int(np.argmin(np.abs(mu - 1.0)))
    return mu[k], np.delete(mu, k)


def simulated_cycle(model, params, x0, period_guess, dt, observable, n_transient=40, n_keep=20):
    """Max, min and mean period of the observable on the attractor reached from x0."""
    duration = (n_transient + n_keep) * period_guess
    res = rs.simulate(model, duration, dt, method="rk4", x0=x0, params=params)
    c = observable_weights(model, observable)
    y = res.data[:, 0, :] @ c
    keep = res.t >= n_transient * period_guess
    t, y = res.t[keep], y[keep]
    level = 0.5 * (y.max() + y.min())
    up = np.nonzero((y[:-1] < level) & (y[1:] >= level))[0]
    tc = t[up] + (level - y[up]) / (y[up + 1] - y[up]) * (t[up + 1] - t[up])
    return y.max(), y.min(), float(np.mean(np.diff(tc)))


# ----------------------------------------------------------------------------- Stuart-Landau
@pytest.mark.skipif("stuart_landau" not in rs.models, reason="stuart_landau not registered")
def test_stuart_landau_closed_forms():
    gamma, beta = 1.0, 0.5
    m = rs.models["stuart_landau"]
    params = {"gamma": gamma, "beta": beta, "omega": OMEGA}
    hopf = SpecialPoint("HB+", 0.0, np.zeros(2), 0.0, omega=OMEGA)
    br, pts = continue_cycles(m, "alpha", params, hopf, (-1.0, 2.0), observable="x")
    assert br.kind == "cycle" and pts == []
    assert br.extra["end"] == "p_range"
    assert br.param[0] == 0.0 and br.param[-1] == pytest.approx(2.0, abs=1e-12)
    assert np.all(np.diff(br.param) > 0)          # supercritical: the branch goes to alpha > 0
    a = br.param
    T_exact = 2 * np.pi / (OMEGA - beta * a / gamma)
    np.testing.assert_allclose(br.period, T_exact, rtol=1e-5)
    on = a > 1e-3
    np.testing.assert_allclose(br.obs_max[on], np.sqrt(a[on] / gamma), rtol=1e-4)
    np.testing.assert_allclose(br.obs_min[on], -np.sqrt(a[on] / gamma), rtol=1e-4)
    for alpha, T, mu in zip(a, br.period, br.multipliers):
        triv, other = trivial_and_other(mu)
        assert abs(triv - 1.0) < 1e-6
        assert abs(other[0] - math.exp(-2 * alpha * T)) < 1e-4
    assert np.all(br.stable)
    # one point per orbit, on the circle of radius sqrt(alpha / gamma)
    np.testing.assert_allclose(np.hypot(br.states[1:, 0], br.states[1:, 1]),
                               np.sqrt(a[1:] / gamma), rtol=1e-6)
    t, x = cycle_profile(br, len(br) - 1)
    np.testing.assert_allclose(np.hypot(x[:, 0], x[:, 1]), math.sqrt(2.0), rtol=1e-6)
    assert t[-1] < br.period[-1]


# ----------------------------------------------------------------------------- Bautin
def test_bautin_fold_of_cycles(bautin_branch):
    br, pts = bautin_branch
    folds = [p for p in pts if p.label == "SNLC"]
    assert len(folds) == 1 and len(pts) == 1
    f = folds[0]
    assert f.param == pytest.approx(-0.25, abs=1e-4)
    assert f.observable == pytest.approx(math.sqrt(0.5), abs=1e-4)       # r = 1/sqrt(2)
    assert f.period == pytest.approx(1.0, rel=1e-6)
    assert np.hypot(*f.state) == pytest.approx(math.sqrt(0.5), abs=1e-4)
    # every cycle on the closed form alpha = r^4 - r^2, the period 2 pi / omega
    r = br.obs_max
    np.testing.assert_allclose(br.param, r ** 4 - r ** 2, atol=1e-8)
    np.testing.assert_allclose(br.period, 1.0, rtol=1e-8)
    # the branch leaves the Hopf point to alpha < 0, turns at the fold, ends at alpha = 0.5
    assert br.param[1] < 0 and br.param[-1] == pytest.approx(0.5, abs=1e-12)
    # stability changes at the fold: inner cycles unstable, outer stable
    cyc = np.arange(1, len(br))
    inner = cyc[r[cyc] < math.sqrt(0.5) - 1e-3]
    outer = cyc[r[cyc] > math.sqrt(0.5) + 1e-3]
    assert inner.size > 3 and outer.size > 3
    assert not br.stable[inner].any() and br.stable[outer].all()
    # nontrivial multiplier exp(g'(r) T), g(r) = alpha r + r^3 - r^5
    for k in cyc:
        triv, other = trivial_and_other(br.multipliers[k])
        assert abs(triv - 1.0) < 1e-6 or abs(r[k] ** 2 - 0.5) < 1e-2   # double 1 at the fold
        g1 = 2 * r[k] ** 2 - 4 * r[k] ** 4
        assert abs(other[0] - math.exp(g1 * br.period[k])) < 1e-4


def test_bautin_finite_difference_jacobian_agrees(bautin_branch):
    """A model without a declared Jacobian: central differences give the same branch."""
    br, pts = bautin_branch
    br2, pts2 = continue_cycles(bautin_model(with_jacobian=False), "alpha", {"omega": OMEGA},
                                HOPF0, (-1.0, 0.5), observable="x")
    assert [p.label for p in pts2] == ["SNLC"]
    assert pts2[0].param == pytest.approx(pts[0].param, abs=1e-8)
    assert br2.obs_max[-1] == pytest.approx(br.obs_max[-1], rel=1e-8)
    assert np.array_equal(br2.stable[[1, -1]], br.stable[[1, -1]])


def test_bautin_cycle_matches_simulation(bautin_branch):
    br, _ = bautin_branch
    stable = np.nonzero(br.stable)[0]
    k = stable[np.argmin(np.abs(br.param[stable] + 0.1))]         # outer cycle near alpha = -0.1
    alpha = br.param[k]
    assert alpha == pytest.approx(-0.1, abs=0.1)
    vmax, vmin, period = simulated_cycle(BAUTIN, {"alpha": alpha, "omega": OMEGA}, [1.2, 0.0],
                                         1.0, 1e-3, "x")
    assert br.obs_max[k] == pytest.approx(vmax, rel=1e-3)
    assert br.obs_min[k] == pytest.approx(vmin, rel=1e-3)
    assert br.period[k] == pytest.approx(period, rel=1e-3)


def test_arguments_are_checked():
    with pytest.raises(ParameterError):
        continue_cycles(BAUTIN, "alpha", {}, HOPF0, (0.1, 0.5))        # Hopf outside the range
    with pytest.raises(ParameterError):
        continue_cycles(BAUTIN, "nope", {}, HOPF0, (-1, 1))
    with pytest.raises(ParameterError):
        continue_cycles(BAUTIN, "alpha", {}, SpecialPoint("HB+", 0.0, np.zeros(2), 0.0),
                        (-1, 1))                                          # no frequency


def test_max_points():
    br, _ = continue_cycles(BAUTIN, "alpha", {"omega": OMEGA}, HOPF0, (-1.0, 0.5), max_points=5)
    assert len(br) == 5 and br.extra["end"] == "max_points"
    assert len(br.multipliers) == 5 and br.states.shape == (5, 2)


def test_homoclinic_end_bogdanov_takens():
    """x' = y, y' = b1 + b2 x + x^2 - x y: the cycle born at the Hopf point b1 = 0 (b2 < 0)
    grows into a homoclinic loop at b1 ~ -(6/25) b2^2; its period blows up there."""
    from rosetta.models.normal_forms import bogdanov_takens
    b2 = -0.2
    om = math.sqrt(-b2)
    hopf = SpecialPoint("HB+", 0.0, np.zeros(2), 0.0, omega=om)
    br, pts = continue_cycles(bogdanov_takens, "beta1", {"beta2": b2}, hopf, (-1.0, 1.0))
    assert [p.label for p in pts] == ["HOM"] and br.extra["end"] == "period blow-up"
    hom = pts[0]
    assert hom.note == "period blow-up" and hom.period > 50 * 2 * np.pi / om
    assert hom.param == pytest.approx(-6 / 25 * b2 ** 2, rel=0.05)
    assert hom.param == pytest.approx(br.param[-1], abs=1e-9)
    assert np.all(np.diff(br.period[-5:]) > 0)
    # stable (supercritical Hopf) wherever the multipliers can be trusted
    ok = br.extra["floquet_reliable"]
    assert ok[: len(br) // 2].all() and br.stable[ok].all()


# ----------------------------------------------------------------------------- Jansen-Rit
def jansen_rit_equilibria(model, n=6000):
    """The equilibrium curve along v = y1 - y2 (closed form, see the model's docstring)."""
    p = model.record()
    S = lambda v: 2 * p.e0 / (1 + np.exp(p.r * (p.v0 - v)))
    vs = np.linspace(-5.0, 25.0, n)
    y0 = p.A / p.a * S(vs)
    y2 = p.B / p.b * 0.25 * p.C * S(0.25 * p.C * y0)
    y1 = vs + y2
    P = p.a / p.A * y1 - 0.8 * p.C * S(p.C * y0)
    X = np.zeros((n, 6))
    X[:, 0], X[:, 1], X[:, 2] = y0, y1, y2
    return vs, P, X


def jansen_rit_hopf_points(model):
    """Hopf points found by scanning the equilibria and their eigenvalues, each refined by
    root finding on the real part of the complex pair and polished with fsolve."""
    vs, P, X = jansen_rit_equilibria(model)

    def point(i):
        lam = np.linalg.eigvals(model.jac(X[i], {"P": P[i]}))
        cpx = lam[np.abs(lam.imag) > 1e-6]
        return cpx.real.max() if cpx.size else -np.inf

    g = np.array([point(i) for i in range(len(vs))])
    out = []
    crossing = np.isfinite(g[:-1]) & np.isfinite(g[1:]) & (np.sign(g[:-1]) != np.sign(g[1:]))
    for i in np.nonzero(crossing)[0]:
        def crit(v, want=False):
            p = model.record()
            S = lambda w: 2 * p.e0 / (1 + np.exp(p.r * (p.v0 - w)))
            y0 = p.A / p.a * S(v)
            y2 = p.B / p.b * 0.25 * p.C * S(0.25 * p.C * y0)
            y1 = v + y2
            Pv = p.a / p.A * y1 - 0.8 * p.C * S(p.C * y0)
            x = fsolve(lambda x: model.f(x, {"P": Pv}), np.array([y0, y1, y2, 0, 0, 0]),
                       fprime=lambda x: model.jac(x, {"P": Pv}), xtol=1e-12)
            lam = np.linalg.eigvals(model.jac(x, {"P": Pv}))
            cpx = lam[lam.imag > 1e-6]
            k = np.argmin(np.abs(cpx.real))
            return (Pv, x, cpx[k].imag) if want else cpx[k].real
        v = brentq(crit, vs[i], vs[i + 1], xtol=1e-14)
        Pv, x, om = crit(v, True)
        if om < 1.0:
            continue          # two real eigenvalues meeting (a neutral saddle), not a Hopf point
        out.append(SpecialPoint("HB", float(Pv), x, x[1] - x[2], omega=float(om)))
    return out


JR_OBS = {"y1": 1, "y2": -1}
needs_jr = pytest.mark.skipif("jansen_rit" not in rs.models, reason="jansen_rit not registered")


@pytest.fixture(scope="module")
def jr_hopf():
    m = rs.models["jansen_rit"]
    return {round(h.param): h for h in jansen_rit_hopf_points(m)}


@needs_jr
def test_jansen_rit_hopf_points_found(jr_hopf):
    assert sorted(jr_hopf) == [-12, 90, 316]
    assert jr_hopf[90].param == pytest.approx(89.83, abs=0.01)


@needs_jr
def test_jansen_rit_alpha_cycles_between_two_hopf_points(jr_hopf):
    """The alpha rhythm: born at P ~ 89.83, dies at P ~ 315.70, stable throughout; at
    P = 100 its max/min and period agree with a simulation within 1%."""
    m = rs.models["jansen_rit"]
    h1, h2 = jr_hopf[90], jr_hopf[316]
    br, pts = continue_cycles(m, "P", {}, h1, (-80.0, 350.0), observable=JR_OBS)
    assert br.extra["end"] == "hopf" and pts == []
    assert br.param[-1] == pytest.approx(h2.param, abs=1e-6)
    np.testing.assert_allclose(br.states[-1], h2.state, atol=1e-6 * (1 + np.abs(h2.state).max()))
    assert br.stable.all()
    assert br.period.max() < 1.1 * br.period[0]
    assert np.max(br.extra["trivial_multiplier_error"]) < 1e-6
    # the branch ending exactly at P = 100, against brute force
    br100, _ = continue_cycles(m, "P", {}, h1, (-80.0, 100.0), observable=JR_OBS)
    assert br100.param[-1] == pytest.approx(100.0, abs=1e-12)
    x0 = br100.states[-1] * 1.01
    vmax, vmin, period = simulated_cycle(m, {"P": 100.0}, x0, br100.period[-1], 1e-4, JR_OBS)
    assert br100.obs_max[-1] == pytest.approx(vmax, rel=0.01)
    assert br100.obs_min[-1] == pytest.approx(vmin, rel=0.01)
    assert br100.period[-1] == pytest.approx(period, rel=0.01)


@needs_jr
def test_jansen_rit_spike_cycles_end_in_a_snic(jr_hopf):
    """The spike-like cycles: from the Hopf at P ~ -12.15 the branch turns at the fold of
    cycles P ~ 137.38 (SNLC) and its period blows up at the saddle-node P ~ 113.59."""
    m = rs.models["jansen_rit"]
    h = jr_hopf[-12]
    T_hopf = 2 * np.pi / h.omega
    br, pts = continue_cycles(m, "P", {}, h, (-80.0, 350.0), observable=JR_OBS)
    labels = [p.label for p in pts]
    assert labels == ["SNLC", "HOM"]
    snlc, hom = pts
    assert snlc.param == pytest.approx(137.38, abs=0.01)
    assert hom.note == "period blow-up" and hom.period > 50 * T_hopf
    # the saddle-node of equilibria: the local maximum of P along the equilibrium curve
    vs, P, X = jansen_rit_equilibria(m, 20000)
    i = np.nonzero((P[1:-1] > P[:-2]) & (P[1:-1] > P[2:]))[0] + 1
    assert len(i) == 1
    p_sn = P[i[0]]
    assert hom.param == pytest.approx(p_sn, abs=0.02)
    assert np.any((br.period > 5 * T_hopf) & (br.param < 120.0))
    # stable after the fold, unstable before
    k_f = np.argmin(np.abs(br.param - snlc.param) + np.abs(br.period - snlc.period))
    assert not br.stable[1:k_f - 1].any() and br.stable[k_f + 1:].all()
    # at the stable cycle nearest P = 125: max/min and period against brute force
    k = k_f + 1 + np.argmin(np.abs(br.param[k_f + 1:] - 125.0))
    x0 = br.states[k] * 1.01
    vmax, vmin, period = simulated_cycle(m, {"P": br.param[k]}, x0, br.period[k], 1e-4, JR_OBS)
    assert br.obs_max[k] == pytest.approx(vmax, rel=0.01)
    assert br.obs_min[k] == pytest.approx(vmin, rel=0.01)
    assert br.period[k] == pytest.approx(period, rel=0.01)
