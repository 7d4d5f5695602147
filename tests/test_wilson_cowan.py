"""Wilson-Cowan (rung d): the declaration against the equations written out by hand, its
networks against a hand integration of the network equations, its equilibria against the
nullclines, and its bifurcation points against a closed-form equilibrium curve and the
paper's figure."""
import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.optimize import brentq
from scipy.special import expit, logit

import rosetta as rs

WC = rs.models["wilson_cowan"]
PAPER = dict(wxx=12.0, wxy=12.0, wyx=12.0, wyy=2.0, tau_x=1.0, tau_y=1.0)


def hand_rhs(x, y, p, ux=0.0, uy=0.0):
    """tau_x x' = -x + S(wxx x - wxy y + Px + ux), tau_y y' = -y + S(wyx x - wyy y + Py + uy)."""
    S = expit
    dx = (-x + S(p["wxx"] * x - p["wxy"] * y + p["Px"] + ux)) / p["tau_x"]
    dy = (-y + S(p["wyx"] * x - p["wyy"] * y + p["Py"] + uy)) / p["tau_y"]
    return dx, dy


def random_params(rng):
    return {p.name: rng.uniform(p.low, p.high) for p in WC.parameters}


# ----------------------------------------------------------------------------- declaration
def test_paper_defaults():
    """The paper's weights and time constants; Px = 0, Py = -6 lies inside the oscillating
    ranges of both panels of the figure."""
    d = WC.defaults
    for k, v in PAPER.items():
        assert d[k] == v
    assert (d["Px"], d["Py"]) == (0.0, -6.0)
    assert WC.state == ("x", "y") and WC.state_range == ((0.0, 1.0), (0.0, 1.0))
    assert WC.inputs == ("x", "y") and WC.outputs == ("x", "y")
    assert WC.projections == (("x", "x"),) and WC.coupling == "additive"
    assert WC.drive_input == "x" and WC.time_unit == "ms"
    assert WC.citation == "wilson1972excitatory"


def test_rhs_is_the_wilson_cowan_equations():
    rng = np.random.default_rng(0)
    for _ in range(50):
        p = random_params(rng)
        x, y = rng.uniform(0, 1, 2)
        u = rng.uniform(-3, 3, 2)
        np.testing.assert_allclose(WC.f([x, y], p, u), hand_rhs(x, y, p, *u), rtol=1e-13,
                                   atol=1e-15)
    # the inputs act exactly like the constant drives Px and Py
    p = {"Px": 1.0, "Py": -4.0}
    np.testing.assert_allclose(WC.f([0.3, 0.6], p), WC.f([0.3, 0.6], {"Px": 0.5, "Py": -6.5},
                                                         u=[0.5, 2.5]), rtol=1e-14)
    # the output is the pair of rates
    o = np.zeros(2)
    WC.output(np.array([0.25, 0.75]), WC.record(), o)
    np.testing.assert_array_equal(o, [0.25, 0.75])


def test_hand_jacobian_equals_central_differences():
    rng = np.random.default_rng(1)
    for _ in range(40):
        p = random_params(rng)
        x = rng.uniform(0, 1, 2)
        u = rng.uniform(-3, 3, 2)
        J = WC.jac(x, p, u)
        Jn = np.empty((2, 2))
        for k in range(2):
            h = np.zeros(2)
            h[k] = 1e-6
            Jn[:, k] = (WC.f(x + h, p, u) - WC.f(x - h, p, u)) / 2e-6
        np.testing.assert_allclose(J, Jn, rtol=1e-7, atol=1e-8 * max(1.0, np.abs(Jn).max()))


def test_symmetry_of_the_paper_weights():
    """S(-s) = 1 - S(s), so with w_xx = w_xy and w_yx - w_yy = 10 the map
    (x, y, Px, Py) -> (1 - x, 1 - y, -Px, -10 - Py) reverses the vector field: panel (b)
    (Px = 0) is symmetric about Py = -5."""
    rng = np.random.default_rng(2)
    for _ in range(20):
        x, y = rng.uniform(0, 1, 2)
        Px, Py = rng.uniform(-5, 5), rng.uniform(-10, 0)
        f = WC.f([x, y], {"Px": Px, "Py": Py})
        g = WC.f([1 - x, 1 - y], {"Px": -Px, "Py": -10 - Py})
        np.testing.assert_allclose(g, -f, rtol=1e-12, atol=1e-15)


def test_timescale_bounds_the_jacobian():
    """timescale is 1 / (a Gershgorin bound of the Jacobian): no eigenvalue is faster."""
    rng = np.random.default_rng(3)
    for _ in range(30):
        p = random_params(rng)
        rate = 1.0 / WC.timescale(WC.record(p))
        for _ in range(5):
            ev = np.linalg.eigvals(WC.jac(rng.uniform(0, 1, 2), p, rng.uniform(-3, 3, 2)))
            assert np.max(np.abs(ev)) <= rate * (1 + 1e-12)


def test_default_node_oscillates():
    """At the defaults the only equilibrium is an unstable focus and a run from rest reaches
    a limit cycle of period about 3.14 time units (tau = 1)."""
    fps = rs.fixed_points(WC)
    assert len(fps) == 1 and fps[0].kind == "unstable focus"
    res = rs.simulate(WC, 200.0, 0.01, x0=[0.1, 0.05])
    late = res.t > 100.0
    x = res["x"][late]
    assert np.ptp(x) > 0.25
    c = x - x.mean()
    up = np.nonzero((c[:-1] < 0) & (c[1:] >= 0))[0]
    period = np.mean(np.diff(res.t[late][up]))
    assert period == pytest.approx(3.14, abs=0.02)


# ----------------------------------------------------------------------------- networks
N = 5


def network_case():
    rng = np.random.default_rng(4)
    C = rng.uniform(0.0, 1.0, (N, N))
    np.fill_diagonal(C, 0.0)
    params = {"Px": np.linspace(-2.0, 1.0, N), "tau_y": np.linspace(1.0, 2.0, N)}
    x0 = rng.uniform(0.05, 0.6, (N, 2))
    return C, params, x0


def hand_network_rhs(C, G, gain_xy, params):
    """Node i: u_x = G sum_j C_ij x_j, u_y = G gain_xy sum_j C_ij x_j (additive, not
    normalised), then the Wilson-Cowan equations with node i's parameters."""
    p = {**WC.defaults, **params}
    p = {k: np.broadcast_to(np.asarray(v, dtype=float), (N,)) for k, v in p.items()}

    def fun(_, z):
        X = z.reshape(N, 2)
        x, y = X[:, 0], X[:, 1]
        ux = G * C @ x
        uy = G * gain_xy * C @ x
        dx, dy = hand_rhs(x, y, p, ux, uy)
        return np.column_stack([dx, dy]).ravel()
    return fun


def hand_rk4(fun, z0, dt, nsteps):
    z = np.array(z0, dtype=float)
    out = [z.copy()]
    for k in range(nsteps):
        t = k * dt
        k1 = fun(t, z)
        k2 = fun(t + dt / 2, z + dt / 2 * k1)
        k3 = fun(t + dt / 2, z + dt / 2 * k2)
        k4 = fun(t + dt, z + dt * k3)
        z = z + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        out.append(z.copy())
    return np.array(out)


def test_network_with_two_projections_equals_the_hand_integration():
    """E -> E and E -> I (gain 0.7) projections: rs.simulate equals the same RK4 written out
    here step for step, and solve_ivp (DOP853, tight tolerances) within the RK4 error."""
    C, params, x0 = network_case()
    G, dt, duration = 1.5, 0.01, 20.0
    net = rs.network("wilson_cowan", C, G=G, normalize=None, params=params,
                     projections=[rs.Projection("x", "x"), rs.Projection("x", "y", gain=0.7)])
    res = rs.simulate(net, duration, dt, method="rk4", x0=x0)
    nsteps = int(round(duration / dt))
    assert res.data.shape == (nsteps + 1, N, 2)
    fun = hand_network_rhs(C, G, 0.7, params)
    hand = hand_rk4(fun, x0.ravel(), dt, nsteps).reshape(-1, N, 2)
    np.testing.assert_allclose(res.data, hand, rtol=0, atol=1e-12)
    sol = solve_ivp(fun, (0.0, duration), x0.ravel(), method="DOP853", rtol=1e-12,
                    atol=1e-14, t_eval=res.t)
    assert sol.success
    np.testing.assert_allclose(res.data, sol.y.T.reshape(-1, N, 2), rtol=0, atol=1e-8)
    # the coupling matters: E -> I changes the run
    assert np.max(np.abs(res.data[-1] - hand_rk4(hand_network_rhs(C, G, 0.0, params),
                                                 x0.ravel(), dt, nsteps)[-1].reshape(N, 2))) > 1e-3


def test_projection_with_gain_zero_is_no_projection():
    C, params, x0 = network_case()
    kw = dict(G=1.5, normalize=None, params=params)
    with_zero = rs.network(WC, C, projections=[rs.Projection("x", "x"),
                                               rs.Projection("x", "y", gain=0.0)], **kw)
    without = rs.network(WC, C, projections=[rs.Projection("x", "x")], **kw)
    a = rs.simulate(with_zero, 10.0, 0.01, x0=x0)
    b = rs.simulate(without, 10.0, 0.01, x0=x0)
    np.testing.assert_array_equal(a.data, b.data)
    # and the model's default wiring is the single E -> E projection
    default = rs.simulate(rs.network(WC, C, **kw), 10.0, 0.01, x0=x0)
    np.testing.assert_array_equal(default.data, b.data)
    hand = hand_rk4(hand_network_rhs(C, 1.5, 0.0, params), x0.ravel(), 0.01, 1000)
    np.testing.assert_allclose(b.data, hand.reshape(-1, N, 2), rtol=0, atol=1e-12)


# ----------------------------------------------------------------------------- equilibria
@pytest.mark.parametrize("Px, Py, count", [(-4.0, -6.0, 1), (-3.45, -6.0, 3), (0.0, -6.0, 1),
                                           (3.0, -6.0, 1), (0.0, -8.0, 1), (2.0, -1.0, None)])
def test_fixed_points_lie_on_both_nullclines(Px, Py, count):
    """x = S(w_xx x - w_xy y + Px) and y = S(w_yx x - w_yy y + Py) at every equilibrium
    found; between the two folds of panel (a) there are three."""
    p = dict(PAPER, Px=Px, Py=Py)
    fps = rs.fixed_points("wilson_cowan", params=p)
    assert fps
    if count is not None:
        assert len(fps) == count
    for fp in fps:
        x, y = fp.state
        assert x == pytest.approx(expit(12 * x - 12 * y + Px), abs=1e-10)
        assert y == pytest.approx(expit(12 * x - 2 * y + Py), abs=1e-10)
        tr, det = trace_det(x, y)
        assert np.sum(fp.eigenvalues).real == pytest.approx(tr, abs=1e-8)
        assert np.prod(fp.eigenvalues).real == pytest.approx(det, abs=1e-8)


# ----------------------------------------------------------------------------- bifurcations
def trace_det(x, y):
    """Trace and determinant of the Jacobian at an equilibrium (x, y) with the paper's
    weights: there S(s) = x (resp. y), so S' = x (1 - x) (resp. y (1 - y))."""
    ex, iy = x * (1 - x), y * (1 - y)
    J11, J12, J21, J22 = -1 + 12 * ex, -12 * ex, 12 * iy, -1 - 2 * iy
    return J11 + J22, J11 * J22 - J12 * J21


def panel_a_curve(y, Py=-6.0):
    """The equilibria of panel (a) in closed form along y: x from the I nullcline, then the
    Px that puts (x, y) on the E nullcline. Returns (x, y, Px)."""
    x = (logit(y) + 2 * y - Py) / 12
    return x, y, logit(x) - 12 * x + 12 * y


def panel_b_curve(x, Px=0.0):
    """The equilibria of panel (b) along x: y from the E nullcline, then Py."""
    y = (12 * x + Px - logit(x)) / 12
    return x, y, logit(y) - 12 * x + 2 * y


def special_points(curve, grid):
    """(folds, Hopf points) along a closed-form curve: det J = 0, and tr J = 0 with
    det J > 0, found by bisection on the curve's coordinate."""
    x, y, _ = curve(grid)
    ok = (x > 1e-12) & (x < 1 - 1e-12) & (y > 1e-12) & (y < 1 - 1e-12)
    grid = grid[ok]
    tr, det = trace_det(*curve(grid)[:2])
    folds, hopfs = [], []
    for k, vals, out in ((1, det, folds), (0, tr, hopfs)):
        for i in np.nonzero(np.sign(vals[:-1]) != np.sign(vals[1:]))[0]:
            s = brentq(lambda c: trace_det(*curve(c)[:2])[k], grid[i], grid[i + 1],
                       xtol=1e-15)
            if out is hopfs and trace_det(*curve(s)[:2])[1] <= 0:
                continue                                # a neutral saddle, not a Hopf point
            out.append(curve(s)[2])
    return sorted(folds), sorted(hopfs)


def test_panel_a_folds_and_hopf_match_the_figure():
    """Panel (a), Px in [-5, 5] at Py = -6: folds at Px = -3.590 and -3.301 (figure: SN ~
    -3.6, SNIC ~ -3.3) and one Hopf point at 1.532 (figure: HB+ ~ 1.5)."""
    folds, hopfs = special_points(panel_a_curve, np.linspace(1e-6, 1 - 1e-6, 200001))
    hopfs = [h for h in hopfs if -5 <= h <= 5]
    assert len(folds) == 2 and len(hopfs) == 1
    np.testing.assert_allclose(folds, [-3.6, -3.3], atol=0.05)
    np.testing.assert_allclose(hopfs, [1.5], atol=0.05)
    np.testing.assert_allclose(folds, [-3.5901, -3.3005], atol=1e-4)
    np.testing.assert_allclose(hopfs, [1.5315], atol=1e-4)


def test_panel_b_hopf_bubble_matches_the_figure():
    """Panel (b), Py in [-10, 0] at Px = 0: two Hopf points, -6.707 and -3.293 (figure:
    ~ -6.7 and ~ -3.3), symmetric about Py = -5, and no fold."""
    folds, hopfs = special_points(panel_b_curve, np.linspace(1e-6, 1 - 1e-6, 200001))
    hopfs = [h for h in hopfs if -10 <= h <= 0]
    assert not [f for f in folds if -10 <= f <= 0]
    assert len(hopfs) == 2
    np.testing.assert_allclose(hopfs, [-6.7, -3.3], atol=0.05)
    assert hopfs[0] + hopfs[1] == pytest.approx(-10.0, abs=1e-9)
    np.testing.assert_allclose(hopfs, [-6.7068, -3.2932], atol=1e-4)


def test_continuation_finds_the_same_points():
    """rs.bifurcation_diagram on the model declaration finds the closed-form points, labels
    the Hopf points supercritical, and the upper fold of panel (a) a SNIC."""
    d = rs.bifurcation_diagram("wilson_cowan", "Px", (-5, 5), params={"Py": -6.0},
                               observable={"x": 1})
    pts = {s.label: s.param for s in d.special()}
    assert sorted(s.label for s in d.special()) == ["HB+", "SN", "SNIC"]
    assert pts["SN"] == pytest.approx(-3.5901, abs=1e-3)
    assert pts["SNIC"] == pytest.approx(-3.3005, abs=1e-3)
    assert pts["HB+"] == pytest.approx(1.5315, abs=1e-3)
    d = rs.bifurcation_diagram("wilson_cowan", "Py", (-10, 0), params={"Px": 0.0},
                               observable={"x": 1})
    labels = [s.label for s in d.special()]
    assert labels == ["HB+", "HB+"]
    np.testing.assert_allclose(sorted(s.param for s in d.special()), [-6.7068, -3.2932],
                               atol=1e-3)
