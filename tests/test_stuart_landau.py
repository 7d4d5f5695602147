"""Stuart-Landau (rung c): the imperfect Hopf under a DC bias, the weak-forcing locking
width, the phase reduction to Kuramoto-Sakaguchi, and the connectome loader.

(Radius sqrt(alpha/gamma) and frequency omega - beta alpha/gamma are tested in
test_ladder_models.py.)"""
import numpy as np
import pytest
from scipy.optimize import brentq

import rosetta as rs
from rosetta import measures as rm

SL = rs.models["stuart_landau"]
PO = rs.models["phase_oscillator"]
DC = dict(alpha=1.0, gamma=1.0, omega=2.0, beta=0.0)       # the paper's appendix figure


def _max_re(c, p=DC):
    fps = rs.fixed_points(SL, p, u={"ux": c})
    assert len(fps) == 1                                     # a unique equilibrium
    return float(fps[0].eigenvalues.real.max())


def _critical_bias(p=DC):
    return brentq(_max_re, 0.1, 5.0, args=(p,), xtol=1e-10)


def test_critical_bias_from_eigenvalues_matches_closed_form():
    """beta = 0: at the equilibrium R = |z|^2 the eigenvalues are mu - 2gR +- sqrt(g^2R^2 - w^2);
    Hopf at R = mu/(2g), so c_H^2 = (mu/2g)(mu^2/4 + w^2)."""
    mu, g, w = DC["alpha"], DC["gamma"], DC["omega"]
    c_h = np.sqrt(mu / (2 * g) * (mu**2 / 4 + w**2))
    assert _critical_bias() == pytest.approx(c_h, rel=1e-7)
    assert 0.5 < c_h < 1.5                 # the paper's 0.5 keeps the cycle, 1.5 and 2 kill it


def test_hopf_in_alpha_at_the_critical_bias_sits_at_alpha_one():
    """Continuation in alpha at the fixed bias c_H finds a supercritical Hopf at alpha = 1."""
    c_h = _critical_bias()
    d = rs.bifurcation_diagram(SL, "alpha", (-2.0, 3.0), params={k: v for k, v in DC.items()
                                                                  if k != "alpha"},
                               u={"ux": c_h}, observable="x", cycles=False)
    hopf = d.special("HB+")
    assert len(hopf) == 1
    assert hopf[0].param == pytest.approx(DC["alpha"], abs=1e-5)


@pytest.mark.parametrize("c, alive", [(0.0, True), (0.5, True), (1.3, True),
                                      (1.6, False), (2.0, False)])
def test_simulation_agrees_cycle_survives_small_bias_dies_for_large(c, alive):
    res = rs.simulate(SL, 60.0, 0.01, method="rk4", x0=[2.0, 0.0], params=DC,
                      drive=rs.forcing.Constant(channel="ux", value=c))
    late = res.t > 45.0
    swing = rm.amplitude(res.x[late])
    if alive:
        assert swing > 0.2
    else:
        assert swing < 1e-3
        fp = rs.fixed_points(SL, DC, u={"ux": c})[0]
        assert np.allclose([res.x[-1], res.y[-1]], fp.state, atol=1e-3)


def test_small_bias_changes_amplitude_at_second_order():
    """The cycle's mean radius about its centre shifts by O(c^2): halving c quarters it."""
    shifts = []
    for c in (0.1, 0.2):
        res = rs.simulate(SL, 40.0, 0.005, x0=[1.0, 0.0], params=DC,
                          drive=rs.forcing.Constant(channel="ux", value=c))
        late = res.t > 20.0
        x, y = res.x[late], res.y[late]
        xc, yc = 0.5 * (x.max() + x.min()), 0.5 * (y.max() + y.min())
        shifts.append(np.hypot(x - xc, y - yc).mean() - 1.0)
    assert shifts[1] / shifts[0] == pytest.approx(4.0, rel=0.15)


@pytest.mark.parametrize("beta", [0.0, 60.0])
def test_weak_forcing_locking_width(beta):
    """A real drive A sin(Omega t) has co-rotating part A/2, so the 1:1 tongue's half-width is
    (A/2)/r* sqrt(1 + beta^2/gamma^2) for weak A; the measured/predicted ratio tends to 1."""
    a = g = 60.0
    w = 2 * np.pi * 30
    om_lc, rstar = w - beta * a / g, np.sqrt(a / g)
    ratios = []
    for A in (12.0, 3.0):
        eps = (A / 2) / rstar * np.sqrt(1 + (beta / g) ** 2)
        q = np.linspace(0.7, 1.3, 61)
        det = np.concatenate([-q[::-1], q]) * eps
        lm = rs.locking_map(SL, [A], (om_lc + det) / (2 * np.pi),
                            params=dict(alpha=a, gamma=g, beta=beta, omega=w),
                            duration=30.0, transient=2.0, dt=1e-3, x0=[1.0, 0.0])
        L = lm.locked(tol=3e-4)[0]
        ratios.append((det[L].max() - det[L].min()) / 2 / eps)
    assert ratios[-1] == pytest.approx(1.0, abs=0.02)
    assert ratios[0] == pytest.approx(1.0, abs=0.06)


@pytest.mark.parametrize("b", [1.0, -1.0, 0.0])
def test_phase_reduction_two_oscillators(b):
    """Two SL nodes with diffusive coupling eps(z_j - z_i) reduce to
    theta_i' = Omega_i + eps b + K sin(theta_j - theta_i - a), K = eps sqrt(1+b^2),
    a = arctan(b), b = beta/gamma. Locked: sin(phi*) = delta/(2 eps) and the common
    frequency is pulled by eps b (1 - cos phi*). SL, reduced model and theory agree."""
    a = g = 100.0
    beta = b * g
    w0, delta, eps = 2 * np.pi * 40, 2.0, 2.0
    om = np.array([w0 - delta / 2, w0 + delta / 2])
    C = np.array([[0.0, 1.0], [1.0, 0.0]])
    net = rs.network(SL, C, G=eps, normalize=None, coupling="diffusive",
                     params=dict(alpha=a, gamma=g, beta=beta, omega=om))
    res = rs.simulate(net, 15.0, 5e-4, x0=[[1.0, 0.0], [0.0, 1.0]])
    th = np.unwrap(np.arctan2(res.y, res.x), axis=0)
    late = res.t > 5.0
    f_sl = rm.mean_frequency(th[late], res.t[late])
    phi_sl = np.mean(th[late, 1] - th[late, 0])

    om_lc = om - beta * a / g
    lag, K = np.arctan(b), eps * np.sqrt(1 + b**2)
    phi_th = np.arcsin(delta / (2 * eps))
    f_th = om_lc.mean() + eps * b * (1 - np.cos(phi_th))
    red = rs.network(PO, C, G=K, normalize=None, coupling="additive",
                     params=dict(omega=om_lc + eps * b, alpha=lag))
    rr = rs.simulate(red, 15.0, 5e-4, x0=[[0.0], [np.pi / 2]])
    f_red = rm.mean_frequency(rr.theta[late], rr.t[late])
    phi_red = np.mean(rr.theta[late, 1] - rr.theta[late, 0])

    assert phi_sl == pytest.approx(phi_th, abs=1e-3)
    assert phi_red == pytest.approx(phi_th, abs=1e-6)
    assert f_red == pytest.approx([f_th, f_th], abs=1e-6)
    # second-order (eps^2/alpha) corrections only
    assert np.allclose(f_sl - om_lc.mean(), f_th - om_lc.mean(), atol=0.01)
    if b != 0:                         # the lag's sign shows in the frequency pulling
        assert np.sign(f_sl[0] - om_lc.mean()) == np.sign(b)


def test_connectome_loader():
    pytest.importorskip("tvb_data")
    from rosetta.connectome import load_connectome
    W, L, labels, centres = load_connectome("tvb76")
    assert W.shape == (76, 76) and L.shape == (76, 76) and centres.shape == (76, 3)
    assert len(labels) == 76 and len(set(labels)) == 76
    assert np.all(W >= 0) and np.all(np.isfinite(W)) and W.sum() > 0
    assert np.all(np.diag(L) == 0)
    assert np.all(L >= 0) and 50.0 < L.max() < 300.0          # mm, a human brain
    assert 20.0 < L[W > 0].mean() < 120.0
    # lengths are roughly the distance between centres (tracts curve: never much shorter)
    d = np.linalg.norm(centres[:, None] - centres[None], axis=-1)
    m = W > 0
    assert np.median(L[m] / np.maximum(d[m], 1e-9)) > 0.8
    with pytest.raises(rs.ParameterError):
        load_connectome("nope")
