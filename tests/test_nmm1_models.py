"""Rung e models (NMM1): the push-pull motif against the Barkhausen closed form, and the
Wendling and LaNMM diagrams against the paper's figure values and against the closed-form
equilibrium curves (folds: extrema of P along the curve; Hopf points: the leading complex
pair of the Jacobian crossing the imaginary axis), independently of the continuation."""
import math

import numpy as np
import pytest
from scipy.optimize import brentq, fsolve, minimize_scalar

import rosetta as rs

FIGURE = 0.04          # reading a value off the paper's figure: 4 %


def logit(s):
    return math.log(s / (1.0 - s))


def jr_sigmoid(v, e0=2.5, r=0.56, v0=6.0):
    return 2.0 * e0 / (1.0 + math.exp(r * (v0 - v)))


def jr_sigmoid_inverse(s, e0=2.5, r=0.56, v0=6.0):
    return v0 + logit(s / (2.0 * e0)) / r


def leading_real_part(model, x, params):
    """Largest real part among the complex eigenvalues of the Jacobian at x."""
    ev = np.linalg.eigvals(model.jac(x, params))
    ev = ev[np.abs(ev.imag) > 1e-9 * max(1.0, np.abs(ev).max())]
    return ev.real.max()


def hopf_along(curve, model, params, bracket):
    """(P, state, omega) of the Hopf point of the closed-form equilibrium curve
    s -> (P, x) inside the bracket of its coordinate s."""
    def g(s):
        P, x = curve(s)
        return leading_real_part(model, x, {**params, "P": P})

    s = brentq(g, *bracket, xtol=1e-14, rtol=1e-14)
    P, x = curve(s)
    assert np.abs(model.f(x, {**params, "P": P})).max() < 1e-8      # it is an equilibrium
    ev = np.linalg.eigvals(model.jac(x, {**params, "P": P}))
    return P, x, np.abs(ev[np.argmin(np.abs(ev.real))].imag)


# ============================================================================ the motif
MOTIF_CASES = [{}, {"tau_x": 3.0, "tau_y": 12.0, "wxy": 25.0, "gamma_y": 0.8}]


@pytest.mark.parametrize("params", MOTIF_CASES)
def test_motif_hopf_points_satisfy_the_barkhausen_condition(params):
    model = rs.models["nmm1_motif"]
    p = {**model.defaults, **params}
    d = rs.bifurcation_diagram(model, "P", (-5.0, 25.0), params=params, observable="x",
                               cycles=False)
    hopf = d.special("HB+") + d.special("HB-")
    assert len(hopf) == 2
    w0 = 1.0 / math.sqrt(p["tau_x"] * p["tau_y"])
    Kc = 2.0 + p["tau_x"] / p["tau_y"] + p["tau_y"] / p["tau_x"]
    for h in hopf:
        x, y = h.state[:2]
        sx = 1.0 / (1.0 + math.exp(-(-p["wxy"] * y + h.param)))
        sy = 1.0 / (1.0 + math.exp(-(p["wyx"] * x + p["Py"])))
        K = p["wxy"] * p["wyx"] * p["gamma_x"] * p["gamma_y"] * sx * (1 - sx) * sy * (1 - sy)
        assert h.omega == pytest.approx(w0, rel=1e-6)                  # rad/ms
        assert h.frequency == pytest.approx(1000.0 * w0 / (2 * math.pi), rel=1e-6)   # Hz
        assert K == pytest.approx(Kc, rel=1e-6)
        assert h.lyapunov < 0


def test_motif_hopf_points_match_the_closed_form_curve():
    """Along y the equilibria are x = (logit(y/gamma_y) - Py)/wyx,
    P = logit(x/gamma_x) + wxy y; K(y) = Kc there gives the Hopf points."""
    model = rs.models["nmm1_motif"]
    p = model.defaults

    def gain(y):
        x = (logit(y / p["gamma_y"]) - p["Py"]) / p["wyx"]
        sx, sy = x / p["gamma_x"], y / p["gamma_y"]
        return (p["wxy"] * p["wyx"] * p["gamma_x"] * p["gamma_y"] * sx * (1 - sx) * sy
                * (1 - sy)), x

    Kc = 2.0 + p["tau_x"] / p["tau_y"] + p["tau_y"] / p["tau_x"]
    y_peak = minimize_scalar(lambda y: -gain(y)[0], bounds=(0.01, 0.99), method="bounded").x
    P = []
    for lo, hi in ((1e-6, y_peak), (y_peak, 1 - 1e-6)):
        y = brentq(lambda y: gain(y)[0] - Kc, lo, hi, xtol=1e-15)
        x = gain(y)[1]
        P.append(logit(x / p["gamma_x"]) + p["wxy"] * y)
    d = rs.bifurcation_diagram(model, "P", (-5.0, 25.0), observable="x", cycles=False)
    assert [h.param for h in d.special("HB+")] == pytest.approx(P, abs=1e-6)
    assert P == pytest.approx([0.438258, 19.561742], abs=1e-5)


# ============================================================================ Wendling
def wendling_curve(p):
    """Closed-form equilibria along v = y1 - y2 - y3 (printed form, kappa = 0; or the
    AUTO form on the branch where the fast population is saturated)."""
    C = p["C"]
    C1, C2, C3, C4, C5, C6, C7 = (C * c for c in (1, 0.8, 0.25, 0.25, 0.3, 0.1, 0.8))

    def curve(v):
        y0 = p["A"] / p["a"] * jr_sigmoid(v)
        y2 = p["B"] / p["b"] * C4 * jr_sigmoid(C3 * y0)
        if p["kappa"] == 0.0:
            y3 = p["G"] / p["g"] * C7 * jr_sigmoid(C5 * y0 - C6 * y2)
        else:                                  # y3 = (G/g) C7 S(C5 y3 - C6 y2), upper root
            top = p["G"] / p["g"] * C7 * 2 * 2.5
            y3 = fsolve(lambda z: z[0] - p["G"] / p["g"] * C7 * jr_sigmoid(C5 * z[0] - C6 * y2),
                        top, xtol=1e-14)[0]
        y1 = v + y2 + y3
        P = p["a"] / p["A"] * y1 + C2 * jr_sigmoid(C1 * y0)
        return P, np.array([y0, y1, y2, y3, 0, 0, 0, 0])

    return curve


@pytest.fixture(scope="module")
def wendling_diagrams():
    model = rs.models["wendling"]
    return {k: rs.bifurcation_diagram(model, "P", (0.0, 1700.0 if k == 0 else 2100.0),
                                      params={"kappa": float(k)}, observable="y0",
                                      cycles=False)
            for k in (0, 1)}


def test_wendling_printed_form_reproduces_the_figure(wendling_diagrams):
    d = wendling_diagrams[0]
    assert not d.special("SN") and not d.special("HB-")
    hopf = d.special("HB+")
    assert [h.param for h in hopf] == pytest.approx([370.0, 1400.0], rel=FIGURE)
    assert [h.param for h in hopf] == pytest.approx([368.9480, 1398.8940], abs=1e-3)
    assert [h.frequency for h in hopf] == pytest.approx([15.377, 11.339], abs=1e-3)
    assert all(h.lyapunov < 0 for h in hopf)                           # supercritical
    model = rs.models["wendling"]
    p = model.defaults
    curve = wendling_curve(p)
    for h, bracket in zip(hopf, ((2.0, 5.0), (5.5, 9.0))):
        P, x, omega = hopf_along(curve, model, p, bracket)
        assert h.param == pytest.approx(P, abs=1e-6)
        assert h.omega == pytest.approx(omega, rel=1e-6)
        assert x[3] < 1e-10                  # the fast population is silent at both points


def test_wendling_auto_file_variant_is_shifted_by_332(wendling_diagrams):
    printed = [h.param for h in wendling_diagrams[0].special("HB+")]
    hopf = [h for h in wendling_diagrams[1].special("HB+") if h.state[3] > 5.0]
    assert [h.param for h in hopf] == pytest.approx([701.2557, 1731.2017], abs=1e-3)
    assert np.subtract([h.param for h in hopf], printed) == pytest.approx([332, 332], rel=0.01)
    model = rs.models["wendling"]
    p = {**model.defaults, "kappa": 1.0}
    curve = wendling_curve(p)
    for h, bracket in zip(hopf, ((2.0, 5.0), (5.5, 9.0))):
        P, x, omega = hopf_along(curve, model, p, bracket)
        assert h.param == pytest.approx(P, abs=1e-6)
        assert h.omega == pytest.approx(omega, rel=1e-6)


# ============================================================================ LaNMM
V_P1 = {"y2": 108.0, "y3": 33.7, "y4": 80.0}


def lanmm_curve(p, guess=(0.02, -0.2)):
    """Closed-form equilibria along y1: y2, y3 explicit, (y4, y5) from the superficial
    pair's two equations (Newton from the previous root: the pair can have several), then
    P from y1 = (A_A/a_A) S_1(v_P1 + (A_A/a_A) P)."""
    kA = p["A_A"] / p["a_A"]
    guess = [np.array(guess, dtype=float)]

    def curve(y1):
        y2 = kA * jr_sigmoid(p["C4"] * y1, v0=p["v0_SS"])
        y3 = p["A_Gs"] / p["a_Gs"] * jr_sigmoid(p["C5"] * y1, v0=p["v0_SST"])

        def superficial(z):
            y4, y5 = z
            return [y4 - kA * jr_sigmoid(p["C6"] * y4 + p["C7"] * y5 + p["C12"] * y1
                                         + kA * p["P2"], v0=p["v0_P2"]),
                    y5 - p["A_Gf"] / p["a_Gf"] * jr_sigmoid(p["C9"] * y4 + p["C10"] * y5
                                                            + p["C13"] * y1, v0=p["v0_PV"])]

        (y4, y5), info, _, _ = fsolve(superficial, guess[0], xtol=1e-12, full_output=True)
        assert np.abs(info["fvec"]).max() < 1e-13          # a root, to rounding
        guess[0] = np.array([y4, y5])
        v = jr_sigmoid_inverse(y1 / kA, v0=p["v0_P1"])
        P = (v - p["C1"] * y2 - p["C2"] * y3 - p["C11"] * y4) / kA
        return P, np.array([y1, y2, y3, y4, y5, 0, 0, 0, 0, 0])

    return curve


@pytest.fixture(scope="module")
def lanmm_diagram():
    return rs.bifurcation_diagram("lanmm", "P", (-100.0, 500.0), observable=V_P1)


def test_lanmm_special_points_reproduce_the_figure(lanmm_diagram):
    d = lanmm_diagram
    (sn,), (snic,), (alpha, gamma) = d.special("SN"), d.special("SNIC"), d.special("HB+")
    folds = d.special("SNLC")
    assert len(folds) == 2 and not d.special("HB-")
    got = [sn.param, snic.param, folds[0].param, alpha.param, gamma.param]
    assert got == pytest.approx([-67.0, 104.0, 153.0, 363.0, 455.0], rel=FIGURE)
    assert got == pytest.approx([-65.2987, 103.8697, 153.75, 363.3124, 454.6442], abs=2e-2)
    assert folds[1].param == pytest.approx(154.60, abs=2e-2)
    # alpha and gamma: supercritical, in their bands
    assert alpha.lyapunov < 0 and gamma.lyapunov < 0
    assert alpha.frequency == pytest.approx(10.8287, abs=1e-3)
    assert gamma.frequency == pytest.approx(40.3010, abs=1e-3)
    assert 8.0 < alpha.frequency < 13.0 and 30.0 < gamma.frequency < 80.0


def test_lanmm_folds_and_hopf_points_match_the_closed_form_curve(lanmm_diagram):
    model = rs.models["lanmm"]
    p = model.defaults
    curve = lanmm_curve(p)
    # folds of equilibria: the extrema of P(y1)
    y = np.linspace(1e-4, 0.162, 2000)
    P = np.array([curve(s)[0] for s in y])
    extrema = []
    for i in np.where(np.diff(np.sign(np.diff(P))) != 0)[0]:
        sign = 1.0 if P[i + 1] > P[i] else -1.0
        r = minimize_scalar(lambda s: -sign * curve(s)[0], bracket=(y[i], y[i + 1], y[i + 2]),
                            tol=1e-12)
        extrema.append(curve(r.x)[0])
    d = lanmm_diagram
    assert sorted(extrema) == pytest.approx(
        sorted([d.special("SN")[0].param, d.special("SNIC")[0].param]), abs=1e-5)
    # Hopf points: the leading complex pair crosses the imaginary axis
    for h in d.special("HB+"):
        i = np.argmin(np.abs(y - h.state[0]))
        near = lanmm_curve(p, guess=h.state[3:5])          # on the same sheet
        P_h, x, omega = hopf_along(near, model, p, (y[i - 3], y[i + 3]))
        assert h.param == pytest.approx(P_h, abs=1e-6)
        assert h.omega == pytest.approx(omega, rel=1e-6)


def test_lanmm_rhythms_by_simulation(lanmm_diagram):
    """Brute force: rest below the SNIC, slow spikes after it, alpha before its Hopf point,
    rest between the two Hopf points, gamma after the second; the cycle periods agree
    with the continued cycle branches."""
    values = np.array([0.0, 130.0, 250.0, 400.0, 480.0])
    sweep = rs.brute_force("lanmm", "P", values, V_P1, duration=6.0, transient=3.0,
                           dt=2e-4, n_starts=2)
    freq = 1.0 / sweep.period
    assert np.all(np.isnan(freq[[0, 3]]))
    assert np.all((freq[1] > 1.0) & (freq[1] < 6.0))
    assert np.all((freq[2] > 8.0) & (freq[2] < 13.0))
    assert np.all((freq[4] > 30.0) & (freq[4] < 80.0))
    cycles = [b for b in lanmm_diagram.branches if b.period is not None]
    for P, f in ((250.0, freq[2]), (480.0, freq[4])):
        (b,) = [b for b in cycles if b.param.min() <= P <= b.param.max()]
        order = np.argsort(b.param)
        T = np.interp(P, b.param[order], b.period[order])
        assert f == pytest.approx(1.0 / T, rel=0.02)
