"""The fixed-step integrators against closed forms and a high-accuracy reference.

* convergence orders (Euler 1, Heun 2, RK4 4) on the harmonic oscillator, free and forced;
* each scheme is exactly its stability polynomial on the linear oscillator;
* agreement with scipy's DOP853 for the phase oscillator under a constant input;
* ``record_every`` is a pure subsampling;
* noise: reproducible from the seed, refused with rk4, and of the right variance.
"""
import numpy as np
import pytest
from scipy.integrate import solve_ivp

import rosetta as rs

TWO_PI = 2 * np.pi
HO = "harmonic_oscillator"
PO = "phase_oscillator"
OMEGA = TWO_PI          # 1 Hz: time scale 1/omega = 0.16 s; every dt below is <= scale / 10
T_END = 1.0


def loglog_slope(dts, errors):
    return np.polyfit(np.log(dts), np.log(errors), 1)[0]


def z_of(res, k=-1, node=0):
    return res.data[k, node, 0] + 1j * res.data[k, node, 1]


# ----------------------------------------------------------------------------- orders
ORDERS = {
    "euler": (1.0, [4e-3, 2e-3, 1e-3, 5e-4]),
    "heun": (2.0, [8e-3, 4e-3, 2e-3, 1e-3]),
    "rk4": (4.0, [1 / 80, 1 / 160, 1 / 320, 1 / 640]),   # stays well above round-off
}


@pytest.mark.parametrize("method", list(ORDERS))
def test_convergence_order_free_oscillator(method):
    """Error at t = 1 s against x = cos(wt), y = sin(wt) falls like dt^order."""
    order, dts = ORDERS[method]
    errors = []
    for dt in dts:
        res = rs.simulate(HO, T_END, dt, method=method, x0=[1.0, 0.0], params={"omega": OMEGA})
        t = res.t[-1]
        assert t == pytest.approx(T_END, rel=1e-12)
        errors.append(abs(z_of(res) - np.exp(1j * OMEGA * t)))
    assert np.all(np.diff(errors) < 0)
    assert loglog_slope(dts, errors) == pytest.approx(order, abs=0.2)


@pytest.mark.parametrize("method", list(ORDERS))
def test_stepper_is_its_stability_polynomial(method):
    """On z' = i w z each scheme multiplies z by R(i w dt) per step, R its truncated
    exponential (1 + h, 1 + h + h^2/2, 1 + ... + h^4/24): the coefficients are exact."""
    order, dts = ORDERS[method]
    dt = dts[0]
    res = rs.simulate(HO, 0.25, dt, method=method, x0=[0.6, -0.3], params={"omega": OMEGA})
    h = 1j * OMEGA * dt
    R = sum(h ** k / np.prod(np.arange(1, k + 1)) for k in range(int(order) + 1))
    n = np.arange(res.t.size)
    z = res.data[:, 0, 0] + 1j * res.data[:, 0, 1]
    np.testing.assert_allclose(z, (0.6 - 0.3j) * R ** n, rtol=1e-12, atol=1e-14)


FORCED_DTS = [1 / 80, 1 / 160, 1 / 320, 1 / 640]


@pytest.mark.parametrize("method,order", [("heun", 2.0), ("rk4", 4.0)])
def test_convergence_order_rotating_drive(method, order):
    """z' = i w z + A e^{i W t} has z(t) = e^{iwt} z0 + A (e^{iWt} - e^{iwt}) / (i (W - w)).
    Drives are sampled at the sub-steps, so the order survives a time-dependent drive."""
    A, f_drive = 2.0, 3.0
    W = TWO_PI * f_drive
    errors = []
    for dt in FORCED_DTS:
        res = rs.simulate(HO, T_END, dt, method=method, x0=[1.0, 0.0], params={"omega": OMEGA},
                          drive=rs.forcing.rotating(A, f_drive))
        t = res.t[-1]
        exact = np.exp(1j * OMEGA * t) + A * (np.exp(1j * W * t) - np.exp(1j * OMEGA * t)) / (1j * (W - OMEGA))
        errors.append(abs(z_of(res) - exact))
    assert loglog_slope(FORCED_DTS, errors) == pytest.approx(order, abs=0.2)
    # and the drive did something: along the run the orbit is far from the free one
    z = res.data[:, 0, 0] + 1j * res.data[:, 0, 1]
    # |A (e^{iWt} - e^{iwt}) / (i (W - w))| peaks at 2 A / |W - w|
    assert np.max(np.abs(z - np.exp(1j * OMEGA * res.t))) == pytest.approx(2 * A / abs(W - OMEGA), rel=1e-3)


def test_rk4_order_with_sine_drive_against_solve_ivp():
    """A real Sine on one channel, reference from DOP853 at rtol 1e-12."""
    A, f_drive, phase = 3.0, 2.5, 0.4
    y0 = [0.3, -0.8]

    def fun(t, y):
        uy = A * np.sin(TWO_PI * f_drive * t + phase)
        return [-OMEGA * y[1], OMEGA * y[0] + uy]

    drive = rs.forcing.Sine(channel="uy", amplitude=A, frequency=f_drive, phase=phase)
    errors = []
    for dt in FORCED_DTS:
        res = rs.simulate(HO, T_END, dt, method="rk4", x0=y0, params={"omega": OMEGA}, drive=drive)
        ref = solve_ivp(fun, (0.0, res.t[-1]), y0, method="DOP853", rtol=1e-12, atol=1e-13)
        errors.append(np.linalg.norm(res.data[-1, 0] - ref.y[:, -1]))
    assert loglog_slope(FORCED_DTS, errors) == pytest.approx(4.0, abs=0.2)


# ----------------------------------------------------------------------------- scipy agreement
@pytest.mark.parametrize("ux,uy", [(2.0, -1.5), (0.0, 25.0), (-30.0, 12.0)])
def test_phase_oscillator_constant_input_matches_solve_ivp(ux, uy):
    """Drifting (|F| < omega) and locking to a fixed point (|F| > omega) alike."""
    model = rs.models[PO]
    params = {"omega": TWO_PI * 3, "alpha": 0.4}
    dt, T = 5e-4, 1.0
    drive = [rs.forcing.Constant(value=ux), rs.forcing.Constant(channel="uy", value=uy)]
    res = rs.simulate(PO, T, dt, method="rk4", x0=[0.25], params=params, drive=drive)
    ref = solve_ivp(model.ode(params, (ux, uy)), (0.0, res.t[-1]), [0.25], method="DOP853",
                    t_eval=res.t, rtol=1e-10, atol=1e-12)
    assert ref.success
    np.testing.assert_allclose(res["theta"], ref.y[0], rtol=0, atol=1e-7)


def test_default_drive_channel_is_the_models_drive_input():
    model = rs.models[PO]
    params = {"omega": TWO_PI * 2, "alpha": -0.3}
    a = rs.simulate(PO, 0.5, 1e-3, x0=[0.1], params=params, drive=rs.forcing.Constant(value=5.0))
    b = rs.simulate(PO, 0.5, 1e-3, x0=[0.1], params=params,
                    drive=rs.forcing.Constant(channel=model.drive_input, value=5.0))
    np.testing.assert_array_equal(a.data, b.data)


def test_unforced_phase_is_linear_in_time():
    res = rs.simulate(PO, 1.0, 1e-3, method="euler", x0=[0.7], params={"omega": -5.0})
    np.testing.assert_allclose(res.theta, 0.7 - 5.0 * res.t, rtol=0, atol=1e-12)


# ----------------------------------------------------------------------------- record_every
@pytest.mark.parametrize("every", [1, 5, 7])
def test_record_every_is_a_subsampling(every):
    dt = 1e-3
    kw = dict(method="rk4", x0=[0.4, -0.2], params={"omega": TWO_PI * 4},
              drive=rs.forcing.Sine(amplitude=2.0, frequency=3.0))
    full = rs.simulate(HO, 1.0, dt, **kw)
    sub = rs.simulate(HO, 1.0, dt, record_every=every, **kw)
    assert sub.record_every == every
    assert sub.t.size == full.t[::every].size
    np.testing.assert_allclose(sub.t, full.t[::every], rtol=1e-12, atol=0)
    np.testing.assert_array_equal(sub.data, full.data[::every])
    assert sub.sampling_rate == pytest.approx(1.0 / (dt * every))


# ----------------------------------------------------------------------------- noise
def _noisy_net(n=6):
    return rs.network(PO, np.ones((n, n)) - np.eye(n), G=2.0 / n, normalize=None,
                      params={"omega": np.linspace(TWO_PI * 5, TWO_PI * 6, n)})


@pytest.mark.parametrize("method", ["euler", "heun"])
def test_noise_is_reproducible_from_the_seed(method):
    net = _noisy_net()
    x0 = np.linspace(-1, 1, net.n)[:, None]
    kw = dict(method=method, x0=x0, drive=rs.forcing.Noise(sigma=3.0))
    a = rs.simulate(net, 0.5, 1e-3, seed=11, **kw)
    b = rs.simulate(net, 0.5, 1e-3, seed=11, **kw)
    c = rs.simulate(net, 0.5, 1e-3, seed=12, **kw)
    np.testing.assert_array_equal(a.data, b.data)
    assert a.seed == 11
    assert np.max(np.abs(a.data[-1] - c.data[-1])) > 1e-3
    # and noise has an effect at all
    quiet = rs.simulate(net, 0.5, 1e-3, method=method, x0=x0)
    assert np.max(np.abs(a.data[-1] - quiet.data[-1])) > 1e-3


def test_noise_with_rk4_is_refused():
    with pytest.raises(rs.ParameterError, match="noise"):
        rs.simulate(PO, 0.1, 1e-3, method="rk4", drive=rs.forcing.Noise(sigma=1.0))


def test_noise_needs_a_seed():
    with pytest.raises(rs.ParameterError, match="seed"):
        rs.simulate(PO, 0.1, 1e-3, method="euler", seed=None, drive=rs.forcing.Noise(sigma=1.0))


def test_zero_noise_is_no_noise():
    a = rs.simulate(PO, 0.2, 1e-3, method="rk4", x0=[0.3], drive=rs.forcing.Noise(sigma=0.0))
    b = rs.simulate(PO, 0.2, 1e-3, method="rk4", x0=[0.3])
    np.testing.assert_array_equal(a.data, b.data)


N_WIENER = 2000


@pytest.fixture(scope="module")
def wiener():
    """Harmonic oscillators with omega = 0 and noise on ux only: x is sigma times a
    Wiener process, y stays put. 2000 uncoupled nodes are 2000 realisations."""
    sigma, T, dt = 0.8, 1.0, 1e-2
    net = rs.network(HO, np.zeros((N_WIENER, N_WIENER)), G=0.0, params={"omega": 0.0})
    res = {m: rs.simulate(net, T, dt, method=m, x0=[0.0, 0.5], seed=3,
                          drive=rs.forcing.Noise(sigma=sigma, channel="ux"))
           for m in ("euler", "heun")}
    return sigma, res


@pytest.mark.parametrize("method", ["euler", "heun"])
def test_noise_variance_is_sigma_squared_t(wiener, method):
    sigma, runs = wiener
    res = runs[method]
    x, y = res["x"], res["y"]
    assert x.shape == (res.t.size, N_WIENER)
    np.testing.assert_array_equal(y, 0.5)                 # no noise on uy
    for k in (res.t.size // 4, res.t.size // 2, res.t.size - 1):
        t = res.t[k]
        var = x[k].var(ddof=1)
        assert var == pytest.approx(sigma ** 2 * t, rel=0.1)
        assert abs(x[k].mean()) < 4 * sigma * np.sqrt(t / N_WIENER)
    # independent increments: Var[x(T) - x(T/2)] = sigma^2 T / 2
    h = res.t.size // 2
    inc = x[-1] - x[h]
    assert inc.var(ddof=1) == pytest.approx(sigma ** 2 * (res.t[-1] - res.t[h]), rel=0.1)
    # independent nodes: neighbouring nodes are uncorrelated
    assert abs(np.corrcoef(x[-1, :-1], x[-1, 1:])[0, 1]) < 0.1


def test_noise_only_on_chosen_nodes():
    net = rs.network(HO, np.zeros((3, 3)), G=0.0, params={"omega": 0.0})
    res = rs.simulate(net, 0.2, 1e-2, method="euler", x0=[0.0, 0.0],
                      drive=rs.forcing.Noise(sigma=1.0, channel="uy", nodes=[1]))
    np.testing.assert_array_equal(res["x"], 0.0)
    np.testing.assert_array_equal(res["y"][:, [0, 2]], 0.0)
    assert np.std(res["y"][:, 1]) > 0


def test_result_describes_its_run():
    res = rs.simulate(PO, 0.1, 1e-3, method="rk4")
    assert res.describe() == "RK4, dt = 0.001 s"
    assert res.seed is None and res.method == "rk4" and res.dt == 1e-3
    noisy = rs.simulate(PO, 0.1, 1e-3, method="heun", seed=7, drive=rs.forcing.Noise(sigma=1.0))
    assert noisy.describe() == "Heun, dt = 0.001 s, seed 7"
    assert set(noisy.states) == {"theta"} and noisy.states["theta"].shape == noisy.t.shape
