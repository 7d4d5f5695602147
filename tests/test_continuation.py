"""Equilibrium continuation, folds, Hopf points and their Lyapunov coefficients."""
import numpy as np
import pytest

import rosetta as rs
from rosetta.continuation import continue_equilibria, lyapunov_coefficient
from rosetta.fixedpoints import System, classify, fixed_points

from normal_forms import bautin, fold


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
    branch, pts = continue_equilibria(bautin, "alpha", (-0.5, 0.5), params={"l1": l1, "omega": 3.0},
                                      x0=[0.0, 0.0], p0=-0.5)
    hopf = [p for p in pts if p.label.startswith("HB")]
    assert len(hopf) == 1
    h = hopf[0]
    assert h.label == label
    assert abs(h.param) < 1e-8
    assert abs(h.frequency - 3.0) < 1e-8
    assert np.sign(h.lyapunov) == np.sign(l1)
    # stable before, unstable after
    assert np.all(branch.stable[branch.param < -1e-6]) and not np.any(branch.stable[branch.param > 1e-6])


def test_lyapunov_coefficient_value_for_the_normal_form():
    # z' = i w z + l |z|^2 z in x, y: with q = (1, -i)/sqrt(2) (so <q, q> = 1) the complex
    # coordinate is z = sqrt(2) conj(w), so c1 = 2 l and Kuznetsov's l1 = Re(c1)/w = 2 l / w.
    for l, w in ((-1.0, 2.0), (-3.0, 2.0), (0.5, 4.0)):
        s = System(bautin, {"alpha": 0.0, "omega": w, "l1": l})
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
    np.testing.assert_allclose(s.jac(x), po.numerical_jacobian(x, u={"ux": 0.7}), rtol=1e-7)


def test_unknown_parameter_is_refused():
    with pytest.raises(rs.ParameterError, match="valid names"):
        continue_equilibria(fold, "b", (0, 1))
