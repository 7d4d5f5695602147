"""The Balloon-Windkessel model and rosetta.bold: the textbook haemodynamic response, the
BOLD output against its formula, the coarse step, and errors."""
import numpy as np
import pytest

import rosetta as rs

BW = rs.models["balloon_windkessel"]
REST = [0.0, 1.0, 1.0, 1.0]


def bold_formula(v, q, p):
    """y = V0 (k1 (1 - q) + k2 (1 - q/v) + k3 (1 - v)), k1 = 7 rho, k2 = 2, k3 = 2 rho - 0.2."""
    return p["V0"] * (7 * p["rho"] * (1 - q) + 2 * (1 - q / v) + (2 * p["rho"] - 0.2) * (1 - v))


def pulse_response(height=1.0, params=None, dt=0.01):
    fs = 1000.0
    t = np.arange(0.0, 40.0, 1 / fs)
    z = np.where(t < 0.1, height, 0.0)
    res = rs.bold.simulate_bold(z, fs, baseline=0.0, dt=dt, params=params, record_every=1)
    return res.t, res.output("bold"), res


def test_haemodynamic_response_has_the_textbook_shape():
    t, y, _ = pulse_response()
    k = np.argmax(y)
    assert 3.5 < t[k] < 5.5                                   # peak some 4-5 s after the input
    assert 0.001 < y[k] < 0.01                                # a fraction of a per cent
    after = t > t[k]
    zero = t[after][np.argmax(y[after] < 0)]
    assert 8.0 < zero < 13.0                                  # back through zero
    low = np.argmin(y)
    assert t[low] > zero and y[low] < -0.03 * y[k]             # then an undershoot
    assert abs(y[-1]) < 0.2 * abs(y[low])                     # which recovers


def test_friston_rates_respond_faster():
    t, y, _ = pulse_response(params={"kappa": 0.65, "gamma": 0.41, "tau": 0.98})
    assert 2.5 < t[np.argmax(y)] < 3.5


def test_small_inputs_respond_linearly():
    _, y1, _ = pulse_response(0.1)
    _, y2, _ = pulse_response(0.2)
    np.testing.assert_allclose(y2, 2 * y1, atol=0.02 * np.abs(y2).max())


def test_output_is_the_bold_formula_and_rest_is_a_fixed_point():
    _, y, res = pulse_response()
    p = BW.defaults
    np.testing.assert_allclose(y, bold_formula(res.v, res.q, p), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(BW.f(REST, {}), 0.0, atol=1e-15)
    (fp,) = rs.fixed_points(BW, {})
    np.testing.assert_allclose(fp.state, REST, atol=1e-10)
    assert fp.stable


def test_coarse_step_converges():
    """RK4 at 10 ms against 1 ms on a smooth input (a sharp pulse would measure how the
    drive is sampled, not the integrator): the haemodynamics are slow, the coarse step is
    exact to well below the signal."""
    fs = 1000.0
    t = np.arange(0.0, 30.0, 1 / fs)
    z = np.exp(-((t - 2.0) / 0.4) ** 2)
    coarse = rs.bold.simulate_bold(z, fs, baseline=0.0, dt=0.01, record_every=1).output("bold")
    fine = rs.bold.simulate_bold(z, fs, baseline=0.0, dt=0.001, record_every=1).output("bold")
    n = min(coarse.size, fine[::10].size)                  # both on the grid k * 10 ms
    np.testing.assert_allclose(coarse[:n], fine[::10][:n], atol=1e-4 * np.abs(fine).max())


def test_network_of_balloons_is_node_by_node():
    rng = np.random.default_rng(1)
    A = 0.2 * rng.standard_normal((20000, 3))
    many = rs.bold.simulate_bold(A, 1000.0).output("bold")
    for i in range(3):
        one = rs.bold.simulate_bold(A[:, i], 1000.0).output("bold")
        np.testing.assert_allclose(many[:, i], one, rtol=1e-10, atol=1e-14)


def test_hand_jacobian_matches_differences():
    rng = np.random.default_rng(2)
    for _ in range(5):
        x = np.array([rng.uniform(-0.3, 0.3), *rng.uniform(0.6, 1.6, 3)])
        np.testing.assert_allclose(BW.jac(x, {}), BW.jac(x, {}, method="fd"), rtol=1e-6,
                                   atol=1e-8)


@pytest.mark.parametrize("kw, err, match", [
    (dict(activity=np.zeros((3, 2, 2))), rs.ParameterError, "activity must be"),
    (dict(fs=0.0), rs.ParameterError, "fs"),
    (dict(activity=[0.0, np.nan, 0.0]), rs.ParameterError, "NaN"),
    (dict(baseline="median"), rs.ParameterError, "baseline"),
    (dict(activity=50.0 * np.sin(np.arange(20000) / 300.0)), rs.SimulationError,
     "Scale the activity down"),
])
def test_bad_input_is_refused(kw, err, match):
    args = dict(activity=np.zeros(2000), fs=1000.0)
    args.update(kw)
    with pytest.raises(err, match=match):
        rs.bold.simulate_bold(**args)
