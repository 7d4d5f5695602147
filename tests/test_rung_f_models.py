"""Rung f models (NMM2): ING and PING against the paper's figure values, and their folds and
Hopf points against the closed-form equilibrium curves (independent of the continuation).

At rest the alpha synapses pass the rate (s = r), the QIF rate equation gives
v = -Delta / (2 pi tau r), and the voltage equation then gives the input I as an explicit
function of the rates. ING: I(r) = (pi tau r)^2 - v^2 + tau J r - eta. PING: given r_e, the
I-population's equation is solved for r_i, then I follows from the E-population's.
"""
import math

import numpy as np
import pytest
from scipy.optimize import brentq

import rosetta as rs

FIGURE = 0.15          # values read off the paper's figure, which has coarse ticks


def v_rest(r, tau, Delta):
    return -Delta / (2 * math.pi * tau * r)


def ing_state(r, p):
    """(I, state) of the ING equilibrium with rate r."""
    v = v_rest(r, p["tau"], p["Delta"])
    I = (math.pi * p["tau"] * r) ** 2 - v * v + p["tau"] * p["J"] * r - p["eta"]
    return I, np.array([r, v, r, 0.0])


def ping_state(re, p):
    """(I, state) of the PING equilibrium with E rate re: the two voltage equations give I
    twice; r_i is the root that makes them agree."""
    def I_of(r, tau, own, other_e, other_i):
        v = v_rest(r, tau, p["Delta"])
        return (math.pi * tau * r) ** 2 - v * v - p["eta"] - tau * (other_e - other_i)

    def mismatch(ri):
        Ie = I_of(re, p["tau_e"], re, p["Jee"] * re, p["Jei"] * ri)
        Ii = I_of(ri, p["tau_i"], ri, p["Jie"] * re, p["Jii"] * ri)
        return Ie - Ii

    ri = brentq(mismatch, 1e-9, 10.0, xtol=1e-15, rtol=1e-15)
    I = I_of(re, p["tau_e"], re, p["Jee"] * re, p["Jei"] * ri)
    ve, vi = v_rest(re, p["tau_e"], p["Delta"]), v_rest(ri, p["tau_i"], p["Delta"])
    return I, np.array([re, ve, ri, vi, re, ri, 0.0, 0.0])


def leading(model, x, I):
    """The eigenvalue of largest real part at x (ties: the complex one)."""
    ev = np.linalg.eigvals(model.jac(x, {"I": I}))
    return ev[np.argmax(ev.real + 1e-12 * np.abs(ev.imag))]


def crossings(model, curve, rates, complex_only):
    """Roots along the curve of the leading real part (Hopf: of a complex pair; fold: of a
    real eigenvalue)."""
    def g(r):
        I, x = curve(r)
        ev = np.linalg.eigvals(model.jac(x, {"I": I}))
        pick = np.abs(ev.imag) > 1e-9 if complex_only else np.abs(ev.imag) <= 1e-9
        return ev[pick].real.max() if pick.any() else np.nan

    vals = np.array([g(r) for r in rates])
    out = []
    for k in np.nonzero(np.isfinite(vals[:-1]) & np.isfinite(vals[1:])
                        & (np.sign(vals[:-1]) != np.sign(vals[1:])))[0]:
        r = brentq(g, rates[k], rates[k + 1], xtol=1e-15, rtol=1e-14)
        out.append((r, *curve(r)))
    return out


@pytest.fixture(scope="module")
def ing_diagram():
    return rs.bifurcation_diagram("ing", "I", (-20.0, 100.0), observable="r")


@pytest.fixture(scope="module")
def ping_diagram():
    return rs.bifurcation_diagram("ping", "I", (-20.0, 75.0), observable="re")


def test_ing_reproduces_the_figure(ing_diagram):
    d = ing_diagram
    hopf = d.special("HB+")
    assert not d.special("SN") and not d.special("HB-") and len(d.equilibria) == 1
    assert [h.param for h in hopf] == pytest.approx([5.0, 77.0], rel=FIGURE)
    assert all(h.lyapunov < 0 for h in hopf)                 # supercritical at both ends
    (cyc,) = d.cycles
    k = np.argmin(np.abs(cyc.param - 30.0))
    assert cyc.obs_max[k] == pytest.approx(1.1, rel=FIGURE)  # figure: max r ~ 1.1 near I = 30
    assert np.all(cyc.stable)


def test_ing_hopf_points_match_the_closed_form_curve(ing_diagram):
    model = rs.models["ing"]
    p = model.defaults
    hopf = crossings(model, lambda r: ing_state(r, p), np.geomspace(1e-3, 2.0, 400), True)
    assert len(hopf) == 2
    got = ing_diagram.special("HB+")
    for (r, I, x), h in zip(hopf, got):
        assert h.param == pytest.approx(I, abs=1e-6)
        ev = leading(model, x, I)
        assert h.omega == pytest.approx(abs(ev.imag), rel=1e-6)
        assert h.frequency == pytest.approx(1000 * abs(ev.imag) / (2 * math.pi), rel=1e-6)
    assert [h.param for h in got] == pytest.approx([5.32212, 76.70112], abs=1e-4)
    assert [h.frequency for h in got] == pytest.approx([54.552, 255.465], abs=1e-2)


def test_ing_equilibrium_curve_is_single_valued():
    """I(r) increases with r > 0, so there is one equilibrium per I and no fold; the
    unphysical roots with r < 0 are not reported."""
    p = rs.models["ing"].defaults
    r = np.geomspace(1e-4, 3.0, 2000)
    assert np.all(np.diff([ing_state(x, p)[0] for x in r]) > 0)
    for I in (-20.0, 0.0, 40.0, 100.0):
        fps = rs.fixed_points("ing", {"I": I})
        assert len(fps) == 1 and fps[0].state[0] > 0
        r_eq = brentq(lambda x: ing_state(x, p)[0] - I, 1e-6, 5.0, xtol=1e-14)
        assert fps[0].state[0] == pytest.approx(r_eq, rel=1e-8)


def test_ping_reproduces_the_figure(ping_diagram):
    d = ping_diagram
    folds, hopf = d.special("SN"), d.special("HB+")
    assert len(folds) == 2 and len(hopf) == 2 and not d.special("HB-")
    lo, hi = sorted(f.param for f in folds)
    assert -2.0 < lo < hi < 0.5                                # figure: ~ -1.5 .. 0
    assert [h.param for h in hopf] == pytest.approx([1.0, 68.0], abs=0.5)
    assert all(h.lyapunov < 0 for h in hopf)
    (cyc,) = d.cycles
    assert cyc.obs_max.max() == pytest.approx(0.5, rel=0.25)  # figure: max r_e ~ 0.5


def test_ping_folds_and_hopf_points_match_the_closed_form_curve(ping_diagram):
    model = rs.models["ping"]
    p = model.defaults
    rates = np.geomspace(1e-3, 1.0, 600)
    curve = [ping_state(r, p)[0] for r in rates]
    # folds: the extrema of I along the curve
    from scipy.optimize import minimize_scalar
    folds = []
    for k in np.nonzero(np.diff(np.sign(np.diff(curve))))[0]:
        sign = 1.0 if curve[k + 1] > curve[k] else -1.0            # a maximum, or a minimum
        res = minimize_scalar(lambda r: -sign * ping_state(r, p)[0], method="bounded",
                              bounds=(rates[k], rates[k + 2]), options={"xatol": 1e-14})
        folds.append(ping_state(res.x, p)[0])
    assert len(folds) == 2
    got = sorted(f.param for f in ping_diagram.special("SN"))
    assert got == pytest.approx(sorted(folds), abs=1e-5)
    hopf = crossings(model, lambda r: ping_state(r, p), rates, True)
    assert [h.param for h in ping_diagram.special("HB+")] == pytest.approx(
        [I for _, I, _ in hopf], abs=1e-6)
    for (r, I, x), h in zip(hopf, ping_diagram.special("HB+")):
        assert h.omega == pytest.approx(abs(leading(model, x, I).imag), rel=1e-6)


@pytest.mark.parametrize("name", ["ing", "ping"])
def test_hand_jacobian_matches_differences(name):
    model = rs.models[name]
    rng = np.random.default_rng(3)
    lo = np.array([a for a, _ in model.state_range])
    hi = np.array([b for _, b in model.state_range])
    for _ in range(5):
        x = rng.uniform(lo, hi)
        np.testing.assert_allclose(model.jac(x, {}), model.jac(x, {}, method="fd"),
                                   rtol=1e-6, atol=1e-7)


def test_state_domain_drops_unphysical_equilibria():
    """The QIF mean field has mirror roots with r < 0 (and v > 0): not equilibria of a
    population, so fixed_points leaves them out."""
    model = rs.models["ing"]
    assert not model.physical([-0.1, 0.5, -0.1, 0.0]) and model.physical([0.1, -0.5, 0.1, 0.0])
    from rosetta.fixedpoints import System, newton
    x = newton(System(model, {"I": -10.0}), np.array([-0.05, 0.5, -0.05, 0.0]))
    assert x is not None and x[0] < 0                          # the mirror root exists
    assert all(f.state[0] > 0 for f in rs.fixed_points(model, {"I": -10.0}, n_starts=64))
