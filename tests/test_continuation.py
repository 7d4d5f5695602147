"""Equilibrium continuation, folds, Hopf points and their Lyapunov coefficients."""
import numpy as np
import pytest

import rosetta as rs
from rosetta.continuation import continue_equilibria, lyapunov_coefficient
from rosetta.fixedpoints import System, classify, fd_jacobian, fixed_points, solve

from rosetta.models.normal_forms import bautin, fold


def test_fold_of_x_minus_a_squared_is_at_zero():
    branch, pts = continue_equilibria(fold, "a", (-1.0, 1.0), x0=[1.0], p0=1.0, max_points=400)
    folds = [p for p in pts if p.label == "SN"]
    assert len(folds) == 1
    assert abs(folds[0].param) < 1e-8
    assert abs(folds[0].state[0]) < 1e-4
    # upper branch x = +sqrt(a) stable, lower x = -sqrt(a) unstable
    up = branch.states[:, 0] > 1e-3
    assert np.all(branch.stable[up])
    assert not np.any(branch.stable[branch.states[:, 0] < -1e-3])
    np.testing.assert_allclose(branch.states[up, 0] ** 2, branch.param[up], rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("l1, label", [(-1.0, "HB+"), (1.0, "HB-")])
def test_hopf_is_located_and_classified(l1, label):
    branch, pts = continue_equilibria(bautin, "alpha", (-0.5, 0.5), params={"ell": l1, "omega": 3.0},
                                      x0=[0.0, 0.0], p0=-0.5)
    hopf = [p for p in pts if p.label.startswith("HB")]
    assert len(hopf) == 1
    h = hopf[0]
    assert h.label == label
    assert abs(h.param) < 1e-8
    assert abs(h.omega - 3.0) < 1e-8                        # rad/s
    assert abs(h.frequency - 3.0 / (2 * np.pi)) < 1e-8      # Hz
    assert np.sign(h.lyapunov) == np.sign(l1)
    # stable before, unstable after
    assert np.all(branch.stable[branch.param < -1e-6]) and not np.any(branch.stable[branch.param > 1e-6])


def test_lyapunov_coefficient_value_for_the_normal_form():
    # z' = i w z + l |z|^2 z in x, y: with q = (1, -i)/sqrt(2) (so <q, q> = 1) the complex
    # coordinate is z = sqrt(2) w, so c1 = 2 l and Kuznetsov's l1 = Re(c1)/w = 2 l / w.
    for l, w in ((-1.0, 2.0), (-3.0, 2.0), (0.5, 4.0)):
        s = System(bautin, {"alpha": 0.0, "omega": w, "ell": l})
        assert abs(lyapunov_coefficient(s, np.zeros(2), w) - 2 * l / w) < 1e-4 * abs(2 * l / w)


def test_classification():
    assert classify(np.array([-1.0, -2.0])) == ("stable node", True)
    assert classify(np.array([1.0, -2.0])) == ("saddle", False)
    assert classify(np.array([-1 + 2j, -1 - 2j])) == ("stable focus", True)
    assert classify(np.array([1 + 2j, 1 - 2j])) == ("unstable focus", False)
    assert classify(np.array([2j, -2j])) == ("centre", False)


def test_fixed_points_of_the_fold():
    fps = fixed_points(fold, {"a": 4.0})
    assert [round(f.state[0], 8) for f in fps] == [-2.0, 2.0]
    assert [f.kind for f in fps] == ["unstable node", "stable node"]
    assert fixed_points(fold, {"a": -1.0}) == []


def test_analytic_and_numerical_jacobians_agree_in_system():
    po = rs.models["phase_oscillator"]
    s = System(po, u={"ux": 0.7})
    x = np.array([0.4])
    np.testing.assert_allclose(s.jac(x), po.jac(x, u={"ux": 0.7}, method="fd"), rtol=1e-7)


def test_compiled_fd_jacobian_is_the_one_for_models_without_a_jacobian():
    import dataclasses
    sl = rs.models["stuart_landau"]
    nojac = dataclasses.replace(sl, name="stuart_landau_nojac", jacobian=None)
    x, pr = np.array([0.3, -0.7]), {"alpha": 0.2, "beta": 0.5}
    scale = np.max(np.abs(sl.jac(x, pr)))
    np.testing.assert_allclose(nojac.jac(x, pr), sl.jac(x, pr), rtol=1e-8, atol=1e-9 * scale)
    np.testing.assert_allclose(sl.jac(x, pr, method="fd"), sl.jac(x, pr), atol=1e-9 * scale)
    np.testing.assert_array_equal(nojac.jac(x, pr), nojac.jac(x, pr, method="fd"))
    np.testing.assert_array_equal(System(nojac, pr).jac(x), nojac.jac(x, pr, method="fd"))
    with pytest.raises(rs.ParameterError, match="'auto' or 'fd'"):
        sl.jac(x, pr, method="complex")


def test_the_one_newton_solver():
    F = lambda y: np.array([y[0] ** 2 + y[1] ** 2 - 4.0, y[0] - y[1]])
    DF = lambda y: np.array([[2 * y[0], 2 * y[1]], [1.0, -1.0]])
    y, its = solve(F, DF, [5.0, 1.0])
    np.testing.assert_allclose(y, [np.sqrt(2), np.sqrt(2)], rtol=1e-14)
    assert its < 10
    y, its = solve(lambda y: np.array([y[0] ** 2 + 1.0]), lambda y: np.array([[2 * y[0]]]), [1.0])
    assert y is None                                         # no real root: damping gives up
    J = fd_jacobian(F, np.array([1.0, 2.0]))
    np.testing.assert_allclose(J, DF([1.0, 2.0]), rtol=1e-8)


def test_unknown_parameter_is_refused():
    with pytest.raises(rs.ParameterError, match="valid names"):
        continue_equilibria(fold, "b", (0, 1))


def test_fold_curve_of_the_cusp_normal_form():
    from rosetta.models.normal_forms import cusp
    from rosetta.continuation import continue_fold
    branch, pts = continue_equilibria(cusp, "a", (-1.0, 1.0), params={"b": 1.0}, x0=[1.2], p0=1.0)
    folds = [p for p in pts if p.label == "SN"]
    assert len(folds) == 2
    # folds of a + b x - x^3 at a = -+ 2 (b/3)^(3/2)
    np.testing.assert_allclose(sorted(p.param for p in folds), [-2 * 3 ** -1.5, 2 * 3 ** -1.5], rtol=1e-8)
    curve = continue_fold(cusp, folds[0], ("a", "b"), ((-1, 1), (-0.5, 1.5)), params={"b": 1.0})
    # on the fold curve 27 a^2 = 4 b^3
    np.testing.assert_allclose(27 * curve.p1 ** 2, 4 * curve.p2 ** 3, atol=1e-6)
    cps = [p for p in curve.points if p.label == "CP"]
    assert len(cps) == 1
    assert np.allclose(cps[0].param, (0.0, 0.0), atol=1e-5)


def test_bogdanov_takens_point_on_fold_and_hopf_curves():
    from rosetta.models.normal_forms import bogdanov_takens as bt
    from rosetta.continuation import continue_fold, continue_hopf
    # at beta2 = -1 the equilibria x^2 - x + beta1 = 0 fold at beta1 = 1/4; Hopf at beta1 = 0
    branch, pts = continue_equilibria(bt, "beta1", (-0.5, 0.5), params={"beta2": -1.0},
                                      x0=[1.2, 0.0], p0=-0.5)
    sn = [p for p in pts if p.label == "SN"]
    hb = [p for p in pts if p.label.startswith("HB")]
    assert len(sn) == 1 and abs(sn[0].param - 0.25) < 1e-8
    assert len(hb) == 1 and abs(hb[0].param) < 1e-7
    box = ((-0.5, 0.5), (-1.5, 1.5))
    fold_curve = continue_fold(bt, sn[0], ("beta1", "beta2"), box, params={"beta2": -1.0})
    np.testing.assert_allclose(fold_curve.p1, fold_curve.p2 ** 2 / 4, atol=1e-6)
    bts = [p for p in fold_curve.points if p.label == "BT"]
    assert len(bts) == 1 and np.allclose(bts[0].param, (0.0, 0.0), atol=1e-5)
    hopf_curve = continue_hopf(bt, hb[0], ("beta1", "beta2"), box, params={"beta2": -1.0})
    assert np.allclose(hopf_curve.p1, 0.0, atol=1e-7)       # the Hopf curve is beta1 = 0
    assert hopf_curve.p2.max() < 1e-3                        # and ends at the BT point


@pytest.mark.parametrize("delta", [1.0, 2.0])
def test_montbrio_pazo_roxin_cusp(delta):
    from rosetta.continuation import continue_fold
    mpr = rs.models["montbrio_pazo_roxin"]
    params = {"Delta": delta, "J": 15.0 * np.sqrt(delta), "tau": 1.0}
    # start on the physical (r > 0) low-activity state; MPR also has equilibria with r < 0
    low = [f for f in fixed_points(mpr, {**params, "eta": -15 * delta}) if f.state[0] > 0]
    branch, pts = continue_equilibria(mpr, "eta", (-15 * delta, 5 * delta), params=params,
                                      x0=low[0].state, p0=-15 * delta)
    folds = [p for p in pts if p.label == "SN"]
    assert len(folds) == 2
    curve = continue_fold(mpr, folds[0], ("eta", "J"), ((-15 * delta, 5 * delta), (0, 30 * np.sqrt(delta))),
                          params=params)
    cps = [p for p in curve.points if p.label == "CP"]
    assert len(cps) == 1
    eta_c, J_c = cps[0].param
    assert abs(eta_c + np.sqrt(3) * delta) < 1e-4 * delta
    # closed form J_c = (8 pi / 3) (3/4)^(1/4) sqrt(Delta) ~ 7.80 sqrt(Delta)
    assert abs(J_c - 8 * np.pi / 3 * 0.75 ** 0.25 * np.sqrt(delta)) < 1e-4 * np.sqrt(delta)


def test_no_spurious_cusps_where_the_eigensolver_flips_the_null_vector():
    """The cusp test is the fold's quadratic coefficient p . D2f[q, q] with p . q = 1, whose
    sign follows the sign of the null vector q: along LaNMM's SNIC fold curve in (P, P2) the
    eigensolver flips q's sign, which reported 8 cusps. Continuing in P at several P2 finds
    the same two folds everywhere, so there is none."""
    import rosetta as rs
    model = rs.models["lanmm"]
    obs = {"y2": 108.0, "y3": 33.7, "y4": 80.0}
    d = rs.bifurcation_diagram(model, "P", (-100, 500), observable=obs, cycles=False)
    snic = min(d.special("SN"), key=lambda p: abs(p.param - 104.0))     # the SNIC's fold
    curve = rs.continue_fold(model, snic, ("P", "P2"), ((-100, 600), (-300, 500)))
    assert len(curve.p1) > 20 and np.ptp(curve.p2) > 100.0         # a long stretch of curve
    assert not [p for p in curve.points if p.label == "CP"]
    for P2 in (0.0, 150.0, 300.0):
        _, pts = rs.continue_equilibria(model, "P", (-300, 700), {"P2": P2})
        assert len([p for p in pts if p.label == "SN"]) == 2
