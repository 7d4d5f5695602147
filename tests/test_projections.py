"""Core v2: projections, the shared stepper behind the sweeps, and random inputs.

Closed forms where they exist (a damped oscillator driven through two delayed
projections), equality with simulate where the sweeps reuse its step, and a property
test over every model's declared ranges.
"""
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rosetta as rs
from rosetta.kernels import for_model

DO = "damped_oscillator"


# ----------------------------------------------------------------------------- projections
def test_two_delayed_projections_match_the_closed_form():
    """Node 0 is an undamped oscillator z0 = exp(i w0 t). Node 1 (lambda = alpha + i w1)
    hears x0 through one projection (gain a, delay tau1, onto ux) and y0 through another
    (gain b, delay tau2, onto uy). Its drive is a cos(w0 (t - tau1)) + i b sin(w0 (t - tau2))
    = A+ e^{i w0 t} + A- e^{-i w0 t}, so after the transient
    z1 = A+ e^{i w0 t} / (i w0 - lambda) + A- e^{-i w0 t} / (-i w0 - lambda)."""
    w0, w1, alpha = 2 * np.pi * 8.0, 2 * np.pi * 11.0, -30.0
    a, b, tau1, tau2 = 3.0, 5.0, 0.013, 0.031            # gains, delays in s
    C = np.array([[0.0, 0.0], [1.0, 0.0]])               # node 1 hears node 0 only
    D1, D2 = C * tau1, C * tau2
    net = rs.network(DO, C, G=1.0, normalize=None, coupling="additive",
                     params={"alpha": [0.0, alpha], "omega": [w0, w1]},
                     projections=[rs.Projection("x", "ux", gain=a, delays=D1),
                                  rs.Projection("y", "uy", gain=b, delays=D2)])
    dt = 1e-5
    res = rs.simulate(net, 0.8, dt, method="rk4", x0=[[1.0, 0.0], [0.0, 0.0]], record_every=10)
    t = res.t
    late = t > 0.6                     # 18 decay times: the transient is below 1e-8 of z1
    lam = alpha + 1j * w1
    Ap = 0.5 * a * np.exp(-1j * w0 * tau1) + 0.5 * b * np.exp(-1j * w0 * tau2)
    Am = 0.5 * a * np.exp(1j * w0 * tau1) - 0.5 * b * np.exp(1j * w0 * tau2)
    z1 = Ap * np.exp(1j * w0 * t) / (1j * w0 - lam) + Am * np.exp(-1j * w0 * t) / (-1j * w0 - lam)
    sim = res.x[:, 1] + 1j * res.y[:, 1]
    assert np.max(np.abs(sim[late] - z1[late])) < 1e-6 * np.max(np.abs(z1))
    # and node 0 stays on its circle
    np.testing.assert_allclose(np.abs(res.x[:, 0] + 1j * res.y[:, 0]), 1.0, atol=1e-9)


def test_swapping_the_delays_changes_the_response():
    """The two projections are really timed apart: exchanging tau1 and tau2 moves z1."""
    C = np.array([[0.0, 0.0], [1.0, 0.0]])
    runs = []
    for t1, t2 in ((0.01, 0.03), (0.03, 0.01)):
        net = rs.network(DO, C, normalize=None, coupling="additive",
                         params={"alpha": [0.0, -30.0]},
                         projections=[rs.Projection("x", "ux", gain=3.0, delays=C * t1),
                                      rs.Projection("y", "uy", gain=5.0, delays=C * t2)])
        runs.append(rs.simulate(net, 0.3, 1e-4, x0=[[1.0, 0.0], [0.0, 0.0]]).x[-1, 1])
    assert abs(runs[0] - runs[1]) > 1e-3


def test_default_projections_are_the_models_wiring():
    C = rs.distance_graph(5, seed=2)[0]
    net = rs.network("stuart_landau", C, G=0.7)
    assert [(p.source, p.target) for p in net.projections] == [("x", "ux"), ("y", "uy")]
    assert all(p.coupling == "diffusive" for p in net.projections)
    same = rs.network("stuart_landau", C, G=0.7,
                      projections=[rs.Projection("x", "ux"), rs.Projection("y", "uy")])
    x0 = np.random.default_rng(0).uniform(-1, 1, (5, 2))
    a = rs.simulate(net, 0.2, 1e-3, x0=x0).data
    b = rs.simulate(same, 0.2, 1e-3, x0=x0).data
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("model", ["stuart_landau", "jansen_rit", "phase_oscillator"])
def test_a_projection_with_gain_zero_is_no_projection(model):
    m = rs.models[model]
    C = rs.distance_graph(4, seed=1)[0]
    src, tgt = m.projections[0]
    extra = rs.Projection(src, tgt, gain=0.0, weights=np.ones((4, 4)), coupling="additive")
    base = rs.network(m, C, G=2.0)
    more = rs.network(m, C, G=2.0, projections=[*(rs.Projection(s, t) for s, t in m.projections),
                                                 extra])
    x0 = np.array([np.linspace(lo, hi, 4) for lo, hi in m.state_range]).T
    dt = 1e-4
    a = rs.simulate(base, 0.05, dt, x0=x0).data
    b = rs.simulate(more, 0.05, dt, x0=x0).data
    np.testing.assert_array_equal(a, b)


def test_unknown_outputs_and_inputs_name_the_valid_ones():
    C = np.ones((2, 2))
    with pytest.raises(rs.ParameterError, match=r"no output 'z'; valid names: x, y"):
        rs.network("stuart_landau", C, projections=[rs.Projection("z", "ux")])
    with pytest.raises(rs.ParameterError, match=r"no input 'uz'; valid names: ux, uy"):
        rs.network("stuart_landau", C, projections=[rs.Projection("x", "uz")])
    with pytest.raises(rs.ParameterError, match=r"projection x -> ux: weights must have the shape"):
        rs.network("stuart_landau", C, projections=[rs.Projection("x", "ux", weights=np.ones(3))])
    with pytest.raises(rs.ParameterError, match=r"must be real"):
        rs.network("stuart_landau", C * (1 + 1j))
    with pytest.raises(rs.ParameterError, match=r"projection x -> ux: velocity"):
        rs.network("stuart_landau", C, projections=[rs.Projection("x", "ux", lengths=C,
                                                                  velocity=-1.0)])


def test_drives_and_projections_land_on_named_inputs():
    """A drive on 'uy' and a projection onto 'ux' reach different channels: with a damped
    oscillator, a constant drive b on uy moves the fixed point to the solution of
    (alpha + i omega) z + i b = 0."""
    alpha, omega, b = -10.0, 20.0, 3.0
    res = rs.simulate(DO, 3.0, 1e-3, params={"alpha": alpha, "omega": omega},
                      drive=rs.forcing.Constant(channel="uy", value=b), x0=[0.0, 0.0])
    z = -1j * b / (alpha + 1j * omega)
    assert res.x[-1] == pytest.approx(z.real, abs=1e-9)
    assert res.y[-1] == pytest.approx(z.imag, abs=1e-9)


def test_network_with_tracts_retimes_with_velocity():
    C, L = rs.distance_graph(6, seed=3)
    net = rs.network("stuart_landau", C, lengths=L, velocity=5.0)
    faster = net.with_(velocity=10.0)
    np.testing.assert_allclose(faster.delays, net.delays / 2, rtol=1e-15)
    np.testing.assert_allclose(faster.projections[0].delays, net.delays / 2, rtol=1e-15)


# ----------------------------------------------------------------------------- sweeps
def test_sweep_of_G_on_a_network_equals_a_loop_of_simulate():
    n = 20
    C, L = rs.distance_graph(n, seed=4)
    rng = np.random.default_rng(1)
    omega = 2 * np.pi * rng.uniform(8, 12, n)
    net = rs.network("stuart_landau", C, params={"alpha": 1.0, "omega": omega},
                     lengths=L, velocity=6.0)
    x0 = rng.uniform(-1, 1, (n, 2))
    Gs = np.array([0.0, 0.5, 2.0, 8.0])
    dur, trans, dt = 1.0, 0.5, 1e-3
    sw = rs.brute_force(net, "G", Gs, "x", duration=dur, transient=trans, dt=dt, x0=x0,
                        method="heun")
    assert sw.max.shape == (4, 1, n)
    for i, G in enumerate(Gs):
        res = rs.simulate(net.with_(G=G), dur, dt, method="heun", x0=x0)
        x = res.x[res.t >= trans - 1e-12]
        np.testing.assert_allclose(sw.max[i, 0], x.max(axis=0), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(sw.min[i, 0], x.min(axis=0), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(sw.mean[i, 0], x.mean(axis=0), rtol=1e-9, atol=1e-12)


def test_sweep_of_velocity_equals_a_loop_of_simulate():
    n = 6
    C, L = rs.distance_graph(n, seed=5)
    net = rs.network("stuart_landau", C, G=3.0, params={"alpha": 1.0}, lengths=L, velocity=5.0)
    x0 = np.random.default_rng(2).uniform(-1, 1, (n, 2))
    vs = np.array([2.0, 10.0])
    sw = rs.brute_force(net, "velocity", vs, "y", duration=0.5, transient=0.25, dt=1e-3, x0=x0)
    for i, v in enumerate(vs):
        res = rs.simulate(net.with_(velocity=v), 0.5, 1e-3, x0=x0)
        y = res.y[res.t >= 0.25 - 1e-12]
        np.testing.assert_allclose(sw.max[i, 0], y.max(axis=0), rtol=1e-12, atol=1e-14)
    assert not np.allclose(sw.max[0, 0], sw.max[1, 0])


def test_noisy_sweep_is_reproducible_per_seed_and_equals_simulate():
    jr = rs.models["jansen_rit"]
    kw = dict(duration=1.0, transient=0.5, dt=1e-4, method="euler", x0=np.zeros(6),
              drive=rs.forcing.Noise(sigma=300.0))
    Ps = np.array([90.0, 120.0, 200.0])
    a = rs.brute_force(jr, "P", Ps, {"y1": 1, "y2": -1}, seed=7, **kw)
    b = rs.brute_force(jr, "P", Ps, {"y1": 1, "y2": -1}, seed=7, **kw)
    c = rs.brute_force(jr, "P", Ps, {"y1": 1, "y2": -1}, seed=8, **kw)
    np.testing.assert_array_equal(a.max, b.max)
    np.testing.assert_array_equal(a.mean, b.mean)
    assert not np.allclose(a.max, c.max)
    assert a.seed == 7 and "noise seed 7" in a.describe()
    res = rs.simulate(jr, 1.0, 1e-4, method="euler", x0=np.zeros(6), params={"P": 120.0},
                      drive=rs.forcing.Noise(sigma=300.0), seed=7)
    v = (res.y1 - res.y2)[res.t >= 0.5 - 1e-12]
    assert a.max[1, 0] == pytest.approx(v.max(), rel=1e-12)
    assert a.min[1, 0] == pytest.approx(v.min(), rel=1e-12)


def test_sweep_under_a_drive_equals_simulate():
    m = rs.models["damped_oscillator"]
    drive = rs.forcing.Sine(amplitude=2.0, frequency=9.0)
    sw = rs.brute_force(m, "alpha", [-5.0, -20.0], "x", duration=2.0, transient=1.5, dt=1e-3,
                        drive=drive, x0=[0.0, 0.0])
    res = rs.simulate(m, 2.0, 1e-3, params={"alpha": -20.0}, drive=drive, x0=[0.0, 0.0])
    assert sw.max[1, 0] == pytest.approx(res.x[res.t >= 1.5 - 1e-12].max(), rel=1e-12)


def test_network_parameters_need_a_network():
    with pytest.raises(rs.ParameterError, match="sweep it on a Network"):
        rs.brute_force("stuart_landau", "G", [1.0], "x", duration=1.0, transient=0.5, dt=1e-3)
    net = rs.network("stuart_landau", np.ones((2, 2)))
    with pytest.raises(rs.ParameterError, match="velocity sweep needs delays from tract lengths"):
        rs.brute_force(net, "velocity", [1.0], "x", duration=1.0, transient=0.5, dt=1e-3)


# ----------------------------------------------------------------------------- kernels
def test_kernel_modules_are_cached_per_model_and_name_their_sources():
    jr = rs.models["jansen_rit"]
    mod = for_model(jr)
    assert for_model(jr) is mod
    text = open(mod.__file__).read()
    assert "Kernels of the model 'jansen_rit'" in text and "def run_record" in text
    assert mod.N_STATE == 6 and mod.CACHE is True
    assert for_model(rs.models["stuart_landau"]) is not mod


def test_compiled_jacobian_equals_hand_jacobian_for_every_model():
    rng = np.random.default_rng(5)
    for m in rs.models.values():
        for _ in range(5):
            x = np.array([rng.uniform(lo, hi) for lo, hi in m.state_range])
            J_fd = m.jac(x, None, None, method="fd")
            if m.jacobian is None:
                np.testing.assert_array_equal(m.jac(x), J_fd)
                continue
            J = m.jac(x)
            scale = max(1.0, np.max(np.abs(J)))
            np.testing.assert_allclose(J, J_fd, rtol=1e-6, atol=1e-6 * scale, err_msg=m.name)


# ----------------------------------------------------------------------------- random inputs
def _draws(model):
    params = {p.name: st.floats(p.low, p.high, allow_nan=False) for p in model.parameters}
    state = [st.floats(lo, hi, allow_nan=False) for lo, hi in model.state_range]
    return st.fixed_dictionaries(params), st.tuples(*state)


@pytest.mark.parametrize("name", sorted(rs.models))
def test_random_parameters_in_range_give_finite_runs_or_a_simulation_error(name):
    """Parameters drawn within each declared range and x0 within the state ranges: a run
    returns finite arrays, or raises SimulationError (never a silent NaN)."""
    model = rs.models[name]
    params_st, state_st = _draws(model)

    @settings(max_examples=12, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(params_st, state_st)
    def check(params, x0):
        P = model.records(params, 1)
        fastest = model.timescale(P[0]) if model.timescale is not None else 1.0
        dt = min(fastest / 20, 1e-3 if model.time_unit == "s" else 1.0)
        if not math.isfinite(dt) or dt <= 0:
            dt = 1e-3
        duration = 200 * dt
        try:
            res = rs.simulate(model, duration, dt, method="heun", params=params, x0=x0)
        except rs.SimulationError as e:
            assert model.name in str(e) and "t =" in str(e)
            return
        assert np.all(np.isfinite(res.data))

    check()
