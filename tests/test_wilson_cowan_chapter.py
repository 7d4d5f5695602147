"""The numbers the Wilson-Cowan chapter (book/wilson_cowan.ipynb) rests on, each checked against
a calculation that does not use rosetta's continuation: the equilibrium curves in closed form
(folds where det J = 0, Hopf points where tr J = 0 < det J), the Bogdanov-Takens and cusp
conditions solved on them, Kuznetsov's normal-form coefficient written out with the logistic's
derivatives, the saddle-node bottleneck law, and simulation.

Paper parameters throughout: w_xx = w_xy = w_yx = 12, w_yy = 2, tau_x = tau_y = 1.
"""
import numpy as np
import pytest
from scipy.optimize import brentq, fsolve
from scipy.special import expit, logit

import rosetta as rs

WC = rs.models["wilson_cowan"]
A_W = np.array([12.0, -12.0])        # s_x = A_W . (x, y) + Px
B_W = np.array([12.0, -2.0])         # s_y = B_W . (x, y) + Py


# ----------------------------------------------------------------------------- closed forms
def logistic_derivatives(s):
    """S, S', S'', S''' of the logistic at s."""
    S = expit(s)
    d1 = S * (1 - S)
    return S, d1, d1 * (1 - 2 * S), d1 * (1 - 6 * S + 6 * S * S)


def jacobian(x, y, Px, Py):
    """The Jacobian of the paper's node at any state (tau = 1)."""
    da = logistic_derivatives(A_W @ [x, y] + Px)[1]
    db = logistic_derivatives(B_W @ [x, y] + Py)[1]
    return np.array([[-1 + 12 * da, -12 * da], [12 * db, -1 - 2 * db]])


def trace_det_at_equilibrium(x, y):
    """tr J and det J at an equilibrium (x, y), where S' = x (1 - x) and y (1 - y)."""
    ex, iy = x * (1 - x), y * (1 - y)
    J11, J12, J21, J22 = -1 + 12 * ex, -12 * ex, 12 * iy, -1 - 2 * iy
    return J11 + J22, J11 * J22 - J12 * J21


def inputs_of(x, y):
    """The (Px, Py) that make (x, y) an equilibrium: the map from the state square to the plane."""
    return logit(x) - 12 * x + 12 * y, logit(y) - 12 * x + 2 * y


def panel_a_curve(y, Py=-6.0):
    """Equilibria of panel (a) along y: x from the I nullcline, then Px."""
    x = (logit(y) + 2 * y - Py) / 12
    return x, y, logit(x) - 12 * x + 12 * y


def panel_b_curve(x, Px=0.0):
    """Equilibria of panel (b) along x: y from the E nullcline, then Py."""
    y = (12 * x + Px - logit(x)) / 12
    return x, y, logit(y) - 12 * x + 2 * y


def special_points(curve, lo=1e-6, hi=1 - 1e-6, n=200001):
    """(folds, Hopf points) as (parameter, x, y) along a closed-form curve, by bisection."""
    grid = np.linspace(lo, hi, n)
    x, y, _ = curve(grid)
    ok = (x > 1e-12) & (x < 1 - 1e-12) & (y > 1e-12) & (y < 1 - 1e-12)
    grid = grid[ok]
    tr, det = trace_det_at_equilibrium(*curve(grid)[:2])
    folds, hopfs = [], []
    for k, vals, out in ((1, det, folds), (0, tr, hopfs)):
        for i in np.nonzero(np.sign(vals[:-1]) != np.sign(vals[1:]))[0]:
            c = brentq(lambda g: trace_det_at_equilibrium(*curve(g)[:2])[k], grid[i], grid[i + 1],
                       xtol=1e-15)
            xc, yc, pc = curve(c)
            if out is hopfs and trace_det_at_equilibrium(xc, yc)[1] <= 0:
                continue                         # a neutral saddle
            out.append((float(pc), float(xc), float(yc)))
    return sorted(folds), sorted(hopfs)


def first_lyapunov_closed_form(x, y, Px, Py):
    """Kuznetsov's c1 (eq. 3.20, before taking Re / omega) with B and C written out: for the
    paper's node D^2 f_1[u, v] = S''(s_x) (a.u)(a.v), D^3 f_1[u, v, w] = S'''(s_x)(a.u)(a.v)(a.w),
    likewise for f_2 with b. Returns (c1, omega, q) with <p, q> = 1 and |q| = 1."""
    A = jacobian(x, y, Px, Py)
    _, _, d2a, d3a = logistic_derivatives(A_W @ [x, y] + Px)
    _, _, d2b, d3b = logistic_derivatives(B_W @ [x, y] + Py)
    ev, V = np.linalg.eig(A)
    k = int(np.argmax(ev.imag))
    omega, q = ev[k].imag, V[:, k] / np.linalg.norm(V[:, k])
    evl, U = np.linalg.eig(A.T)
    p = U[:, np.argmin(np.abs(evl + 1j * omega))]
    p = p / np.conj(np.vdot(p, q))

    def B(u, v):
        return np.array([d2a * (A_W @ u) * (A_W @ v), d2b * (B_W @ u) * (B_W @ v)])

    def C(u, v, w):
        return np.array([d3a * (A_W @ u) * (A_W @ v) * (A_W @ w),
                         d3b * (B_W @ u) * (B_W @ v) * (B_W @ w)])

    qb = np.conj(q)
    g = (np.vdot(p, C(q, q, qb)) - 2 * np.vdot(p, B(q, np.linalg.solve(A, B(q, qb))))
         + np.vdot(p, B(qb, np.linalg.solve(2j * omega * np.eye(2) - A, B(q, q)))))
    return g / 2, omega, q


def equilibrium_on_panel_a(Px, y_guess):
    """The equilibrium of panel (a) at Px, on the closed-form curve, near y_guess."""
    y = brentq(lambda s: panel_a_curve(s)[2] - Px, y_guess - 0.05, y_guess + 0.05, xtol=1e-15)
    return panel_a_curve(y)[:2]


# ----------------------------------------------------------------------------- continuation
@pytest.fixture(scope="module")
def panel_a():
    return rs.bifurcation_diagram(WC, "Px", (-5, 5), {"Py": -6.0}, observable="x")


@pytest.fixture(scope="module")
def panel_b():
    return rs.bifurcation_diagram(WC, "Py", (-10, 0), {"Px": 0.0}, observable="x", cycles=False)


@pytest.fixture(scope="module")
def fold_curve(panel_a):
    box = ((-9.0, 9.0), (-14.0, 4.0))
    return rs.continue_fold(WC, panel_a.special("SN")[0], ("Px", "Py"), box, {"Py": -6.0})


# ----------------------------------------------------------------------------- panel (a)
def test_panel_a_sn_snic_hopf(panel_a):
    """SN near -3.59, SNIC near -3.30, HB+ near 1.53, as the chapter and the paper's figure
    say, and equal to the closed-form folds and Hopf point to 1e-9 (continuation reaches
    ~1e-12 here)."""
    labels = [p.label for p in panel_a.special()]
    assert labels == ["SN", "SNIC", "HB+"]
    sn, snic, hb = (panel_a.special(k)[0] for k in ("SN", "SNIC", "HB+"))
    folds, hopfs = special_points(panel_a_curve)
    hopfs = [h for h in hopfs if -5 <= h[0] <= 5]
    assert len(folds) == 2 and len(hopfs) == 1
    assert sn.param == pytest.approx(folds[0][0], abs=1e-9)
    assert snic.param == pytest.approx(folds[1][0], abs=1e-9)
    assert hb.param == pytest.approx(hopfs[0][0], abs=1e-9)
    np.testing.assert_allclose(hb.state, hopfs[0][1:], atol=1e-9)
    np.testing.assert_allclose(sn.state, folds[0][1:], atol=1e-8)
    np.testing.assert_allclose(snic.state, folds[1][1:], atol=1e-8)
    np.testing.assert_allclose([sn.param, snic.param, hb.param], [-3.59, -3.30, 1.53], atol=0.01)
    assert hb.lyapunov < 0
    # the SNIC: the cycle branch ends next to the upper fold with a period blow-up
    cyc = panel_a.cycles[0]
    assert cyc.param.min() == pytest.approx(snic.param, abs=1e-3)
    assert cyc.period.max() > 150


def test_between_the_folds_one_attractor(panel_a):
    """The chapter's claim: on panel (a) the fold range holds a node, a saddle and an unstable
    focus, and no cycle (every start ends at rest); at Py = -8 a cycle coexists with rest."""
    fps = rs.fixed_points(WC, {"Px": -3.45, "Py": -6.0})
    assert [f.kind for f in fps] == ["stable node", "saddle", "unstable focus"]
    starts = np.array([[0.36, 0.12], [0.9, 0.7], [0.3, 0.02], [0.6, 0.05], [0.5, 0.5]])
    sw = rs.brute_force(WC, "Px", [-3.45], "x", {"Py": -6.0}, duration=200.0, transient=150.0,
                        dt=0.025, x0=starts, n_starts=len(starts))
    np.testing.assert_allclose(sw.max[0], fps[0].state[0], atol=1e-6)
    sw8 = rs.brute_force(WC, "Px", [-3.45], "x", {"Py": -8.0}, duration=200.0, transient=150.0,
                         dt=0.025, x0=starts, n_starts=len(starts))
    assert np.ptp(sw8.max[0]) > 0.5                   # some starts at rest, some on the cycle


def test_snic_period_follows_the_bottleneck_law(panel_a):
    """Near the SNIC the continued period obeys T sqrt(mu) -> pi / sqrt(a b) with a = p.f_Px and
    b = p.D^2f[q, q] / 2 at the fold, here from the logistic's derivatives."""
    snic = panel_a.special("SNIC")[0]
    x, y = snic.state
    Px = snic.param
    A = jacobian(x, y, Px, -6.0)
    ev, V = np.linalg.eig(A)
    q = V[:, np.argmin(np.abs(ev))].real
    evl, U = np.linalg.eig(A.T)
    p = U[:, np.argmin(np.abs(evl))].real
    p = p / (p @ q)
    _, d1a, d2a, _ = logistic_derivatives(A_W @ [x, y] + Px)
    _, _, d2b, _ = logistic_derivatives(B_W @ [x, y] - 6.0)
    a = p @ np.array([d1a, 0.0])
    b = 0.5 * p @ np.array([d2a * (A_W @ q) ** 2, d2b * (B_W @ q) ** 2])
    K = np.pi / np.sqrt(a * b)
    cyc = panel_a.cycles[0]
    mu = cyc.param - Px
    near = (mu > 0) & (mu < 0.01)
    assert near.sum() >= 5
    _, K_fit = np.polyfit(np.sqrt(mu[near]), cyc.period[near] * np.sqrt(mu[near]), 1)
    assert K_fit == pytest.approx(K, rel=5e-3)


# ----------------------------------------------------------------------------- panel (b)
def test_panel_b_hopf_bubble(panel_b):
    """Two supercritical Hopf points near -6.71 and -3.29, mirror images about Py = -5 (equal
    frequency and l1), no fold; equal to the closed form to 1e-9."""
    pts = panel_b.special()
    assert [p.label for p in pts] == ["HB+", "HB+"]
    _, hopfs = special_points(panel_b_curve)
    hopfs = [h for h in hopfs if -10 <= h[0] <= 0]
    np.testing.assert_allclose([p.param for p in pts], [h[0] for h in hopfs], atol=1e-9)
    np.testing.assert_allclose([p.param for p in pts], [-6.71, -3.29], atol=0.01)
    assert pts[0].param + pts[1].param == pytest.approx(-10.0, abs=1e-9)
    assert pts[0].frequency == pytest.approx(pts[1].frequency, rel=1e-6)
    assert pts[0].lyapunov == pytest.approx(pts[1].lyapunov, rel=1e-3)
    assert pts[0].lyapunov < 0


# ----------------------------------------------------------------------------- (Px, Py) plane
def bt_closed_form(guess):
    z = fsolve(lambda s: trace_det_at_equilibrium(*s), guess, xtol=1e-12)
    return np.array(inputs_of(*z)), z


def cusp_closed_form(guess):
    """det J = 0 and the fold's null vector tangent to the curve det J = 0 (the map
    (x, y) -> (Px, Py) folds back on itself): grad(det J) . q = 0."""
    def eqs(s):
        x, y = s
        tr, det = trace_det_at_equilibrium(x, y)
        ex = x * (1 - x)
        q = np.array([12 * ex, -1 + 12 * ex])            # J q = 0 on det J = 0 (first row)
        h = 1e-7
        grad = [(trace_det_at_equilibrium(x + h, y)[1] - trace_det_at_equilibrium(x - h, y)[1]) / (2 * h),
                (trace_det_at_equilibrium(x, y + h)[1] - trace_det_at_equilibrium(x, y - h)[1]) / (2 * h)]
        return [det, np.dot(grad, q) / np.linalg.norm(q)]
    z = fsolve(eqs, guess, xtol=1e-12)
    return np.array(inputs_of(*z)), z


def test_bogdanov_takens_points(fold_curve):
    """The fold curve through panel (a)'s SN carries two BT points, near (-3.337, -5.544) and
    (-7.457, -12.133): at each tr J = det J = 0 (a double zero eigenvalue), and each equals the
    closed-form solution of tr J = det J = 0 to 1e-8 (continuation reaches ~1e-10)."""
    bts = sorted((p for p in fold_curve.points if p.label == "BT"), key=lambda p: p.param)
    assert len(bts) == 2
    for bt, guess in zip(bts, ([0.77, 0.05], [0.22, 0.05])):
        tr, det = trace_det_at_equilibrium(*bt.state)
        assert abs(tr) < 1e-7 and abs(det) < 1e-7
        expected, state = bt_closed_form(guess)
        np.testing.assert_allclose(bt.param, expected, atol=1e-8)
        np.testing.assert_allclose(bt.state, state, atol=1e-8)
    np.testing.assert_allclose([bts[0].param, bts[1].param], [(-7.457, -12.133), (-3.337, -5.544)],
                               atol=1e-3)


def test_cusp_point(fold_curve):
    """The cusp near (-3.155, -5.158): the closed-form cusp condition, and the second-order
    picture: below it a horizontal line crosses two folds close together, above it none."""
    cps = [p for p in fold_curve.points if p.label == "CP"]
    assert len(cps) == 1
    cp = np.array(cps[0].param)
    expected, state = cusp_closed_form([0.15, 0.03])
    np.testing.assert_allclose(cp, expected, atol=1e-8)
    np.testing.assert_allclose(cps[0].state, state, atol=1e-8)
    np.testing.assert_allclose(cp, (-3.1548, -5.1576), atol=1e-4)

    def folds_near(Py):
        folds, _ = special_points(lambda y: panel_a_curve(y, Py), n=100001)
        return [f[0] for f in folds if abs(f[0] - cp[0]) < 0.5]

    below, above = folds_near(cp[1] - 1e-3), folds_near(cp[1] + 1e-3)
    assert len(below) == 2 and len(above) == 0
    # the two folds meet like sqrt(distance to the cusp) ... (a cusp, not a tangency)
    gap1 = np.diff(below)[0]
    gap4 = np.diff(folds_near(cp[1] - 4e-3))[0]
    assert gap4 / gap1 == pytest.approx(8.0, rel=0.05)      # gap ~ (Py_cp - Py)^(3/2)


def test_hopf_curves_end_at_bt_points(panel_a, panel_b):
    """Both Hopf curves run between BT points: the lower one (through panel (a)'s HB+ and panel
    (b)'s lower HB+) from (-7.457, -12.133) to the mirror image (3.337, -4.456) of the other."""
    box = ((-9.0, 9.0), (-14.0, 4.0))
    low = rs.continue_hopf(WC, panel_a.special("HB+")[0], ("Px", "Py"), box, {"Py": -6.0})
    ends = sorted([(low.p1[0], low.p2[0]), (low.p1[-1], low.p2[-1])])
    bt_far, _ = bt_closed_form([0.77, 0.05])
    bt_near, _ = bt_closed_form([0.22, 0.05])
    mirror = (-bt_near[0], -10.0 - bt_near[1])
    np.testing.assert_allclose(ends[0], bt_far, atol=1e-4)
    np.testing.assert_allclose(ends[1], mirror, atol=1e-4)
    # it crosses Px = 0 at panel (b)'s lower Hopf point
    k = np.nonzero(np.diff(np.sign(low.p1)))[0][0]
    w = -low.p1[k] / (low.p1[k + 1] - low.p1[k])
    assert low.p2[k] + w * (low.p2[k + 1] - low.p2[k]) == pytest.approx(
        panel_b.special()[0].param, abs=2e-3)


# ----------------------------------------------------------------------------- normal form
def test_lyapunov_coefficient_and_frequency_closed_form(panel_a):
    """l1 and the frequency of HB+ equal Kuznetsov's formula written out for this model."""
    hb = panel_a.special("HB+")[0]
    c1, omega, _ = first_lyapunov_closed_form(*hb.state, hb.param, -6.0)
    assert hb.omega == pytest.approx(omega, rel=1e-9)
    assert hb.frequency == pytest.approx(omega / (2 * np.pi * 1e-3), rel=1e-9)   # 1 unit = 1 ms
    assert hb.lyapunov == pytest.approx(c1.real / omega, rel=1e-3)
    assert hb.lyapunov == pytest.approx(-8.35, abs=0.01)


def test_normal_form_against_simulation(panel_a):
    """Just below HB+ the simulated cycle's swing of x is 2 |q_x| sqrt(alpha' (Px - Px_H) /
    (omega l1)) to 1 %, its frequency tends to the Hopf frequency, and its frequency shift below
    the linear one gives the shear beta/gamma = Im c1 / Re c1 of the Stuart-Landau form."""
    hb = panel_a.special("HB+")[0]
    PxH = hb.param
    c1, omega, q = first_lyapunov_closed_form(*hb.state, PxH, -6.0)

    def eig_at(Px):
        x, y = equilibrium_on_panel_a(Px, hb.state[1])
        ev = np.linalg.eigvals(jacobian(x, y, Px, -6.0))
        return ev[np.argmax(ev.imag)]

    h = 1e-5
    alpha_prime = (eig_at(PxH + h).real - eig_at(PxH - h).real) / (2 * h)
    assert alpha_prime < 0                                   # the cycle lives below PxH
    coef = 2 * abs(q[0]) * np.sqrt(alpha_prime / c1.real)    # A_x = coef sqrt(PxH - Px)
    delta = np.array([0.004, 0.008, 0.016])
    sw = rs.brute_force(WC, "Px", PxH - delta, "x", {"Py": -6.0}, duration=3000.0,
                        transient=2500.0, dt=0.025, x0=hb.state + [0.01, 0.0])
    ratio = sw.amplitude[:, 0] / (coef * np.sqrt(delta))
    np.testing.assert_allclose(ratio, 1.0, atol=0.01)
    assert sw.frequency[0, 0] == pytest.approx(hb.frequency, rel=1e-3)
    lam = np.array([eig_at(PxH - d) for d in delta])
    shear = (lam.imag - 2 * np.pi * sw.frequency[:, 0] * 1e-3) / lam.real
    np.testing.assert_allclose(shear, c1.imag / c1.real, rtol=0.03)
