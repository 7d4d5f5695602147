"""The paper's bifurcation diagrams, recomputed from the model declarations."""
import numpy as np
import pytest

import rosetta as rs
from rosetta.continuation import bifurcation_diagram

# positions read off the paper's figures (Castaldo et al. 2026; ../shared/ladder.md)
JR_PAPER = [("SN", -42), ("HB-", -12), ("HB+", 89), ("SNIC", 113), ("SNLC", 137), ("HB+", 315)]


@pytest.fixture(scope="module")
def jr_diagram():
    return bifurcation_diagram("jansen_rit", "P", (-80, 350), observable={"y1": 1, "y2": -1})


def test_jansen_rit_special_points_match_the_paper(jr_diagram):
    found = jr_diagram.special()
    assert [p.label for p in found] == [lab for lab, _ in JR_PAPER]
    for p, (_, ref) in zip(found, JR_PAPER):
        assert abs(p.param - ref) < 2.0, (p, ref)        # read off a figure: +-2 /s


def test_jansen_rit_hopf_frequencies_are_alpha_band(jr_diagram):
    for p in jr_diagram.special("HB+"):
        assert 8.0 < p.frequency / (2 * np.pi) < 13.0


def test_jansen_rit_snic_has_a_diverging_period(jr_diagram):
    snic = jr_diagram.special("SNIC")[0]
    hopf_period = 2 * np.pi / jr_diagram.special("HB-")[0].frequency
    assert snic.period > 20 * hopf_period


def test_jansen_rit_cycles_agree_with_simulation(jr_diagram):
    """Max/min of y1 - y2 and the period on the stable alpha cycle, against rs.simulate."""
    cyc = [b for b in jr_diagram.cycles if np.any(b.stable) and b.param.min() < 150 < b.param.max()
           and np.max(b.obs_max) < 10.0][0]
    k = np.argmin(np.abs(cyc.param - 200.0))
    P = float(cyc.param[k])
    x0 = cyc.states[k]
    res = rs.simulate("jansen_rit", 6.0, 1e-4, params={"P": P}, x0=x0, record_every=2)
    late = res.t > 3.0
    v = res["y1"][late] - res["y2"][late]
    assert abs(v.max() - cyc.obs_max[k]) < 0.01 * abs(cyc.obs_max[k] - cyc.obs_min[k])
    assert abs(v.min() - cyc.obs_min[k]) < 0.01 * abs(cyc.obs_max[k] - cyc.obs_min[k])
    up = np.nonzero((v[:-1] < v.mean()) & (v[1:] >= v.mean()))[0]
    period = np.mean(np.diff(res.t[late][up]))
    assert abs(period - cyc.period[k]) < 0.01 * cyc.period[k]


def test_stuart_landau_paper_diagram():
    d = bifurcation_diagram("stuart_landau", "alpha", (-10, 10),
                            {"omega": 1.0, "gamma": 1.0, "beta": 0.0}, observable="x")
    pts = d.special()
    assert [p.label for p in pts] == ["HB+"]
    assert abs(pts[0].param) < 1e-8 and abs(pts[0].frequency - 1.0) < 1e-8
    cyc = d.cycles[0]
    np.testing.assert_allclose(cyc.obs_max, np.sqrt(cyc.param), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(cyc.obs_min, -np.sqrt(cyc.param), rtol=1e-4, atol=1e-6)
    assert np.all(cyc.stable[cyc.param > 1e-3])
    eq = d.equilibria[0]
    assert np.all(eq.stable[eq.param < -1e-6]) and not np.any(eq.stable[eq.param > 1e-6])


def test_phase_portrait_of_a_slice_names_the_fixed_variables():
    import matplotlib
    matplotlib.use("Agg")
    from rosetta import plotting as rp
    jr = rs.models["jansen_rit"]
    fixed = np.array([0.1, 20.0, 15.0, 0.0, 0.0, 0.0])
    ax = rp.phase_portrait(jr, (0, 0.5), (10, 30), axes=(0, 1), fixed=fixed)
    assert ax.get_title() == "slice with y2 = 15, y3 = 0, y4 = 0, y5 = 0 fixed"
    # the drawn field is the model's own rhs on that slice
    X, Y, DX, DY = rp.field_grid(jr, (0, 0.5), (10, 30), n=5, fixed=fixed)
    x = fixed.copy()
    x[0], x[1] = X[2, 3], Y[2, 3]
    np.testing.assert_allclose([DX[2, 3], DY[2, 3]], jr.f(x)[:2], rtol=1e-12)
