"""The paper's bifurcation diagrams, recomputed from the model declarations."""
import numpy as np
import pytest

import rosetta as rs
from rosetta.bifurcation import bifurcation_diagram

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
        assert 8.0 < p.frequency < 13.0                  # Hz


def test_jansen_rit_snic_has_a_diverging_period(jr_diagram):
    snic = jr_diagram.special("SNIC")[0]
    hopf_period = 1.0 / jr_diagram.special("HB-")[0].frequency      # s: JR runs in s
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
    assert abs(pts[0].param) < 1e-8 and abs(pts[0].omega - 1.0) < 1e-8
    assert abs(pts[0].frequency - 1.0 / (2 * np.pi)) < 1e-8            # omega = 1 rad/s in Hz
    cyc = d.cycles[0]
    np.testing.assert_allclose(cyc.obs_max, np.sqrt(cyc.param), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(cyc.obs_min, -np.sqrt(cyc.param), rtol=1e-4, atol=1e-6)
    assert np.all(cyc.stable[cyc.param > 1e-3])
    eq = d.equilibria[0]
    assert np.all(eq.stable[eq.param < -1e-6]) and not np.any(eq.stable[eq.param > 1e-6])


# ----------------------------------------------------------------------------- units
def stuart_landau_in_ms():
    """Stuart-Landau with time in ms: the same numba rhs, Jacobian and output, rates per ms,
    a 40 Hz Hopf point (omega = 2 pi 0.040 rad/ms)."""
    import dataclasses
    from rosetta.model import Parameter
    sl = rs.models["stuart_landau"]
    return dataclasses.replace(sl, name="stuart_landau_ms", time_unit="ms", parameters=(
        Parameter("alpha", 1e-3, "1/ms", -1e-2, 1e-2, "growth rate (Hopf at 0)"),
        Parameter("omega", 2 * np.pi * 0.040, "rad/ms", 0.0, 2 * np.pi * 0.1,
                  "angular frequency at the Hopf point (40 Hz)", domain=(0.0, None)),
        Parameter("gamma", 1e-3, "1/ms per unit amplitude^2", 1e-4, 1e-2, "cubic saturation",
                  domain=(1e-12, None)),
        Parameter("beta", 0.0, "rad/ms per unit amplitude^2", -5e-3, 5e-3, "shear")))


@pytest.mark.parametrize("time_unit, hz", [("s", 10.0), ("ms", 40.0)])
def test_hopf_frequency_is_in_hz_for_models_in_s_and_ms(time_unit, hz):
    model = rs.models["stuart_landau"] if time_unit == "s" else stuart_landau_in_ms()
    assert model.time_unit == time_unit
    span = 10.0 if time_unit == "s" else 1e-2
    d = bifurcation_diagram(model, "alpha", (-span, span), observable="x")
    (hopf,) = d.special()
    assert hopf.label == "HB+" and abs(hopf.param) < 1e-8 * span
    assert hopf.frequency == pytest.approx(hz, rel=1e-9)                        # Hz
    assert hopf.omega == pytest.approx(2 * np.pi * hz * model.seconds_per_unit, rel=1e-9)
    assert f"{hz:.4g} Hz" in repr(hopf)
    # the cycles born there: period 1 / (hz Hz) in the model's time unit (beta = 0)
    cyc = d.cycles[0]
    np.testing.assert_allclose(cyc.period, 1.0 / (hz * model.seconds_per_unit), rtol=1e-6)
    on = cyc.param > 1e-3 * span
    np.testing.assert_allclose(cyc.obs_max[on], np.sqrt(cyc.param[on] / model.record().gamma),
                               rtol=1e-4)


# ----------------------------------------------------------------------------- observables
def test_one_observable_parser():
    from rosetta.diagram import observable, observable_label, observable_weights
    jr = rs.models["jansen_rit"]
    c, label = observable(jr, {"y1": 1, "y2": -1})
    np.testing.assert_array_equal(c, [0, 1, -1, 0, 0, 0])
    assert label == "y1 - y2"
    assert observable(jr, "y0")[1] == "y0" and observable(jr, None)[1] == "y0"
    assert observable(jr, {"y2": -1, "y1": 0.5})[1] == "-y2 + 0.5 y1"
    assert observable(jr, [0, 1, -1, 0, 0, 0])[1] == "y1 - y2"
    np.testing.assert_array_equal(observable_weights(jr, "y1"), [0, 1, 0, 0, 0, 0])
    assert observable_label(jr, {"y1": 2}) == "2 y1"
    E = rs.ParameterError
    with pytest.raises(E, match=r"no state variable 'q'.*valid names: y0, y1"):
        observable(jr, {"y1": 1, "q": 2})
    with pytest.raises(E, match=r"no state variable 'v'.*valid names"):
        observable(jr, "v")
    with pytest.raises(E, match="all zero"):
        observable(jr, {"y1": 0})
    with pytest.raises(E, match="empty"):
        observable(jr, {})
    with pytest.raises(E, match="finite"):
        observable(jr, {"y1": np.nan})
    with pytest.raises(E, match="finite"):
        observable(jr, {"y1": True})
    with pytest.raises(E, match="one per state variable"):
        observable(jr, [1.0, 2.0])
    with pytest.raises(E, match="observable must be a state name"):
        observable(jr, 3)


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


def test_homoclinic_near_a_fold_is_not_a_snic():
    """Wilson-Cowan at Py = -8: the cycle born at HB+ dies in a homoclinic loop through the
    saddle at Px = -3.537, while the fold of equilibria is at -3.381. The period blow-up is
    near the fold in parameter (1.6 % of the span) but its orbit does not pass through the
    fold's equilibrium: HOM, not SNIC, and no fold of cycles from the flickering tangent."""
    d = rs.bifurcation_diagram("wilson_cowan", "Px", (-5, 5), {"Py": -8.0}, observable="x")
    labels = [p.label for p in d.special()]
    assert "SNIC" not in labels and "SNLC" not in labels
    hom = d.special("HOM")
    assert len(hom) == 1 and hom[0].param == pytest.approx(-3.5374, abs=1e-3)
    folds = sorted(p.param for p in d.special("SN"))
    assert folds[-1] == pytest.approx(-3.3813, abs=1e-3)
    # and at the paper's Py = -6 the same construction does find the SNIC
    d6 = rs.bifurcation_diagram("wilson_cowan", "Px", (-5, 5), {"Py": -6.0}, observable="x")
    assert [p.label for p in d6.special()] == ["SN", "SNIC", "HB+"]
