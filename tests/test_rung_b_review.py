"""Rung b after the domain review: the constant-drive focus -F/(alpha + i omega), the Lorentzian
is the power |z|^2 (half at |alpha|; the amplitude halves at sqrt(3)|alpha|), the flat line over
alpha, and a linear network with complex coupling and delays obeying Kuramoto-Sakaguchi phase
equations with time-varying amplitudes."""
import numpy as np
import pytest

import rosetta as rs

DO = rs.models["damped_oscillator"]
TWO_PI = 2 * np.pi
OMEGA = DO.defaults["omega"]
ALPHA = DO.defaults["alpha"]


def test_constant_drive_moves_the_focus():
    F = 3.0 + 1.0j
    z_star = -F / (ALPHA + 1j * OMEGA)
    drive = [rs.forcing.Constant(channel="ux", value=F.real),
             rs.forcing.Constant(channel="uy", value=F.imag)]
    res = rs.simulate(DO, 4.0, 1e-4, x0=[1.0, 0.0], drive=drive)
    assert abs(res.x[-1] + 1j * res.y[-1] - z_star) < 1e-7
    fp = rs.fixed_points(DO, u={"ux": F.real, "uy": F.imag})
    assert len(fp) == 1
    assert np.asarray(fp[0].state) == pytest.approx([z_star.real, z_star.imag], abs=1e-10)


def steady_amplitude(detuning, F0=1.0):
    W = OMEGA + detuning
    res = rs.simulate(DO, 4.0, 1e-4, x0=[0.0, 0.0], drive=rs.forcing.rotating(F0, W / TWO_PI))
    late = res.t >= 3.0
    return np.hypot(res.x[late], res.y[late]).mean()


def test_the_lorentzian_is_the_power_not_the_amplitude():
    peak = steady_amplitude(0.0)
    assert peak == pytest.approx(1 / abs(ALPHA), rel=1e-4)
    # the power halves at |alpha|, the amplitude only at sqrt(3)|alpha|
    assert steady_amplitude(abs(ALPHA)) ** 2 == pytest.approx(peak ** 2 / 2, rel=1e-4)
    assert steady_amplitude(np.sqrt(3) * abs(ALPHA)) == pytest.approx(peak / 2, rel=1e-4)


@pytest.mark.parametrize("alpha", [-8.0, -1.0, 0.5, 4.0])
def test_flat_line_over_alpha(alpha):
    """The only equilibrium is 0 for every alpha (stable iff alpha < 0); orbits scale as e^{alpha t}."""
    fp = rs.fixed_points(DO, {"alpha": alpha})
    assert len(fp) == 1 and np.allclose(fp[0].state, 0.0)
    assert np.max(np.linalg.eigvals(DO.jac([0.0, 0.0], {"alpha": alpha})).real) == pytest.approx(alpha)
    res = rs.simulate(DO, 1.0, 1e-3, params={"alpha": alpha}, x0=[0.05, 0.0])
    assert np.hypot(res.x[-1], res.y[-1]) / 0.05 == pytest.approx(np.exp(alpha), rel=1e-5)


def sakaguchi_projections(C, phi):
    c, s = C * np.cos(phi), C * np.sin(phi)
    return [rs.Projection("x", "ux", weights=c, normalize=None),
            rs.Projection("y", "ux", weights=-s, normalize=None),
            rs.Projection("x", "uy", weights=s, normalize=None),
            rs.Projection("y", "uy", weights=c, normalize=None)]


@pytest.mark.parametrize("phi,tau", [(0.6, 0.005), (-1.0, 0.0), (2.0, 0.012)])
def test_linear_network_phases_are_kuramoto_sakaguchi(phi, tau):
    """z_i' = (alpha + i w_i) z_i + G sum_j |C_ij| e^{i phi} z_j(t - tau): the phases obey
    theta_i' = w_i + G sum_j |C_ij| r_j(t-tau)/r_i sin(theta_j(t-tau) - theta_i + phi)."""
    n, G, dt = 5, 4.0, 1e-4
    C, _ = rs.distance_graph(n, seed=5)
    C = C / np.max(np.abs(np.linalg.eigvals(C)))
    rng = np.random.default_rng(6)
    w = TWO_PI * (10.0 + 0.5 * rng.standard_normal(n))
    net = rs.network(DO, C, G=G, normalize=None, coupling="additive",
                     delays=tau * np.ones((n, n)) if tau > 0 else None,
                     projections=sakaguchi_projections(C, phi), params={"alpha": -3.0, "omega": w})
    res = rs.simulate(net, 1.5, dt, x0=rng.standard_normal((n, 2)))
    z = res.x + 1j * res.y
    theta, r = np.unwrap(np.angle(z), axis=0), np.abs(z)
    lag = int(round(tau / dt))
    th_now, r_now = theta[lag:], r[lag:]
    th_del, r_del = theta[:len(theta) - lag], r[:len(r) - lag]

    def ks(p):
        return w + G * np.einsum("ij,tij->ti", C, r_del[:, None, :] / r_now[:, :, None]
                                 * np.sin(th_del[:, None, :] - th_now[:, :, None] + p))

    # compared as r_i theta_i' (= Im of z_i' e^{-i theta_i}), which stays well conditioned when an
    # amplitude passes close to zero and its phase turns fast
    dtheta = np.gradient(theta, res.t, axis=0)[lag:][1:-1]
    rn, scale = r_now[1:-1], np.max(r)
    assert np.max(np.abs(rn * (dtheta - ks(phi)[1:-1]))) < 1e-3 * scale * np.max(w)
    assert np.max(np.abs(rn * (dtheta - ks(-phi)[1:-1]))) > 1e-2 * scale * np.max(w)
    # and the amplitudes obey r_i' = alpha r_i + G sum_j |C_ij| r_j(t-tau) cos(...)
    drdt = np.gradient(r, res.t, axis=0)[lag:][1:-1]
    r_rhs = -3.0 * r_now + G * np.einsum("ij,tij->ti", C, r_del[:, None, :] * np.ones_like(r_now)[:, :, None]
                                         * np.cos(th_del[:, None, :] - th_now[:, :, None] + phi))
    assert np.max(np.abs(drdt - r_rhs[1:-1])) < 5e-3 * G * np.max(r)     # O(dt) with delays
