"""Rung c after the domain review: the DC-bias end point of the paper's figure, and the
connectome's unconnected regions."""
import numpy as np
import pytest

import rosetta as rs
from rosetta.connectome import isolated_regions

DC = {"alpha": 1.0, "gamma": 1.0, "omega": 2.0, "beta": 0.0}      # the paper's mu, g, omega, beta


def _stable_equilibria(c):
    return [f for f in rs.fixed_points("stuart_landau", DC, u={"ux": c}) if f.stable]


def test_paper_end_point_is_the_equilibrium_for_c_1p5():
    # the paper's DC-bias figure ends at (-0.17, 0.71): z* for c = 1.5 (its legend), not c = 2
    (fp,) = _stable_equilibria(1.5)
    np.testing.assert_allclose(fp.state, [-0.166, 0.711], atol=1e-3)
    (fp2,) = _stable_equilibria(2.0)
    assert np.hypot(*(fp2.state - [-0.17, 0.71])) > 0.1
    # and a simulation from z0 = 2 (RK4, dt = 0.01, as the paper) ends there
    res = rs.simulate("stuart_landau", 200.0, 0.01, params=DC, x0=[2.0, 0.0],
                      drive=rs.forcing.Constant(value=1.5), record_every=100)
    np.testing.assert_allclose([res.x[-1], res.y[-1]], [-0.166, 0.711], atol=2e-3)


def test_isolated_regions_ignores_self_loops():
    W = np.array([[0.0, 1.0, 0.0], [2.0, 0.0, 0.0], [0.0, 0.0, 5.0]])
    assert list(isolated_regions(W)) == [2]
    W[2, 0] = 1.0                                   # an output only: not isolated
    assert isolated_regions(W).size == 0


def test_tvb76_unconnected_regions_are_dropped():
    pytest.importorskip("tvb_data")
    full = rs.load_connectome("tvb76")
    iso = isolated_regions(full.weights)
    assert [full.labels[k] for k in iso] == ["rCC", "lCC"]
    W, L, labels, centres = rs.load_connectome("tvb76", drop_isolated=True)
    assert W.shape == L.shape == (74, 74) and len(labels) == 74 and centres.shape == (74, 3)
    assert "rCC" not in labels and "lCC" not in labels
    keep = [k for k in range(76) if k not in iso]
    np.testing.assert_array_equal(W, full.weights[np.ix_(keep, keep)])
    np.testing.assert_array_equal(L, full.lengths[np.ix_(keep, keep)])
    # no zero-degree node is left: every region of the network runs receives and sends input
    off = W - np.diag(np.diag(W))
    assert np.all(off.sum(axis=1) > 0) and np.all(off.sum(axis=0) > 0)
    assert isolated_regions(W).size == 0
    # the weights are directed (not symmetric), as shipped
    assert not np.allclose(W, W.T)
    # the glued row-sum bound of the chapter: max-eigenvalue normalisation, rows up to ~1.6
    assert 1.5 < rs.normalize(W, "max_eig").sum(axis=1).max() < 1.7


@pytest.mark.parametrize("beta", [0.5, -0.5])
def test_critical_bias_with_shear_closed_form(beta):
    # the chapter's solution: c_H^2 = (mu / 2g) [mu^2 / 4 + (omega - beta mu / 2g)^2]
    from scipy.optimize import brentq
    p = {**DC, "beta": beta}
    f = lambda c: max(fp.eigenvalues.real.max()
                      for fp in rs.fixed_points("stuart_landau", p, u={"ux": c}))
    mu, g, w = p["alpha"], p["gamma"], p["omega"]
    closed = np.sqrt(mu / (2 * g) * (mu**2 / 4 + (w - beta * mu / (2 * g)) ** 2))
    assert brentq(f, 0.1, 5.0, xtol=1e-10) == pytest.approx(closed, rel=1e-6)
