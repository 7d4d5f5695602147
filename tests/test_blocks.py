"""The shared building blocks (rosetta.blocks) against closed forms: the sigmoids and their
derivatives, the PSP operator and the synapses by integration against their impulse and step
responses, the kernels' areas and peak times, and the QIF transfer function with its limits
and the Montbrio-Pazo-Roxin fixed point it comes from."""
import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.optimize import minimize_scalar

import rosetta as rs
from rosetta import blocks as B

LN3 = math.log(3.0)


def central(f, x, h=1e-6):
    h = h * max(1.0, abs(x))
    return (f(x + h) - f(x - h)) / (2 * h)


# ----------------------------------------------------------------------------- transfer functions
def test_logistic_closed_values():
    assert B.logistic(0.0) == 0.5
    assert B.logistic(LN3) == pytest.approx(0.75, rel=1e-15)
    assert B.logistic(-LN3) == pytest.approx(0.25, rel=1e-15)
    assert B.logistic_derivative(0.0) == 0.25
    assert B.logistic_derivative(LN3) == pytest.approx(0.1875, rel=1e-15)
    s, d = B.logistic_and_derivative(-LN3)
    assert (s, d) == (pytest.approx(0.25, rel=1e-15), pytest.approx(0.1875, rel=1e-15))


def test_logistic_never_overflows_and_keeps_its_tails():
    """exp(+-1000) would overflow: the block returns the limits, and far in the lower tail
    it keeps full relative accuracy (s ~ e^z, s (1 - s) ~ e^z)."""
    assert B.logistic(1000.0) == 1.0 and B.logistic(-1000.0) == 0.0
    assert B.logistic_derivative(1000.0) == 0.0 and B.logistic_derivative(-1000.0) == 0.0
    for z in (-40.0, -200.0, -700.0):
        assert B.logistic(z) == pytest.approx(math.exp(z), rel=1e-14)
        assert B.logistic_derivative(z) == pytest.approx(math.exp(z), rel=1e-14)
    # symmetry sigma(-z) = 1 - sigma(z), sigma' even
    for z in np.linspace(-30, 30, 61):
        assert B.logistic(-z) == pytest.approx(1.0 - B.logistic(z), abs=3e-16)
        assert B.logistic_derivative(-z) == pytest.approx(B.logistic_derivative(z), rel=1e-14)


def test_logistic_derivative_is_the_derivative():
    for z in np.linspace(-12, 12, 49):
        # the difference quotient's rounding error is ~ eps |sigma| / h ~ 1e-10
        assert B.logistic_derivative(z) == pytest.approx(central(B.logistic, z), rel=1e-7,
                                                         abs=1e-9)


@pytest.mark.parametrize("e0, r, v0", [(2.5, 0.56, 6.0), (5.0, 1.2, -3.0), (0.7, 0.2, 0.0)])
def test_sigmoid_closed_values(e0, r, v0):
    """S(v) = 2 e0 / (1 + exp(r (v0 - v))): e0 at threshold with slope e0 r / 2 there,
    3/2 e0 at v0 + ln3 / r, limits 0 and 2 e0."""
    assert B.sigmoid(v0, e0, r, v0) == pytest.approx(e0, rel=1e-15)
    assert B.sigmoid(v0 + LN3 / r, e0, r, v0) == pytest.approx(1.5 * e0, rel=1e-14)
    assert B.sigmoid(v0 - LN3 / r, e0, r, v0) == pytest.approx(0.5 * e0, rel=1e-14)
    assert B.sigmoid_derivative(v0, e0, r, v0) == pytest.approx(e0 * r / 2, rel=1e-15)
    assert B.sigmoid(v0 + 1e5, e0, r, v0) == 2 * e0
    assert B.sigmoid(v0 - 1e5, e0, r, v0) == 0.0
    for v in np.linspace(v0 - 20, v0 + 20, 41):
        direct = 2 * e0 / (1 + math.exp(r * (v0 - v)))
        assert B.sigmoid(v, e0, r, v0) == pytest.approx(direct, rel=1e-14)
        fd = central(lambda w: B.sigmoid(w, e0, r, v0), v)
        assert B.sigmoid_derivative(v, e0, r, v0) == pytest.approx(fd, rel=1e-7, abs=1e-8 * e0)


# ----------------------------------------------------------------------------- PSP operator
def integrate(fun, y0, t_end, t_eval):
    sol = solve_ivp(fun, (0.0, t_end), y0, method="DOP853", rtol=1e-12, atol=1e-14,
                    t_eval=t_eval)
    assert sol.success
    return sol.y


@pytest.mark.parametrize("A, a", [(3.25, 100.0), (22.0, 50.0), (10.0, 500.0)])
def test_psp_impulse_response_is_A_a_t_exp(A, a):
    """A unit impulse of rate gives y'(0+) = A a; the operator then rings down as
    h(t) = A a t exp(-a t) (peak A / e at t = 1/a)."""
    t = np.linspace(0.0, 10.0 / a, 201)
    y = integrate(lambda _, s: [s[1], B.psp(s[0], s[1], A, a, 0.0)], [0.0, A * a],
                  t[-1], t)
    h = A * a * t * np.exp(-a * t)
    np.testing.assert_allclose(y[0], h, atol=1e-10 * A)
    np.testing.assert_allclose(y[1], A * a * (1 - a * t) * np.exp(-a * t), atol=1e-9 * A * a)


@pytest.mark.parametrize("A, a, R", [(3.25, 100.0, 120.0), (22.0, 50.0, 2.0)])
def test_psp_step_response(A, a, R):
    """A constant rate R switched on at 0: y = (A / a) R (1 - (1 + a t) exp(-a t)), the
    integral of the impulse response, tending to the static gain (A / a) R."""
    t = np.linspace(0.0, 12.0 / a, 161)
    y = integrate(lambda _, s: [s[1], B.psp(s[0], s[1], A, a, R)], [0.0, 0.0], t[-1], t)
    expected = A / a * R * (1 - (1 + a * t) * np.exp(-a * t))
    np.testing.assert_allclose(y[0], expected, atol=1e-10 * A / a * R)


def test_psp_partials_and_alpha_synapse_form():
    """The partials (-a^2, -2a, A a) are the operator's own derivatives, and the operator is
    the alpha synapse with tau = 1/a and gain gamma = A / a."""
    rng = np.random.default_rng(0)
    for _ in range(20):
        y, dy, rate = rng.normal(0, 5, 3)
        A, a = rng.uniform(1, 30), rng.uniform(10, 300)
        p_y, p_dy, p_rate = B.psp_partials(A, a)
        assert p_y == pytest.approx(central(lambda v: B.psp(v, dy, A, a, rate), y), rel=1e-6)
        assert p_dy == pytest.approx(central(lambda v: B.psp(y, v, A, a, rate), dy), rel=1e-6)
        assert p_rate == pytest.approx(central(lambda v: B.psp(y, dy, A, a, v), rate),
                                       rel=1e-6)
        alpha = B.synapse_second_order(y, dy, rate, 1 / a, 1 / a, A / a)
        assert B.psp(y, dy, A, a, rate) == pytest.approx(alpha, rel=1e-12,
                                                         abs=1e-12 * A * a * a)


# ----------------------------------------------------------------------------- synapses
@pytest.mark.parametrize("tau, gamma", [(10.0, 1.0), (2.0, 3.5)])
def test_first_order_synapse_impulse_and_step(tau, gamma):
    """tau s' = -s + gamma r: an impulse gives s(0+) = gamma / tau then gamma h_1(t); a unit
    step gives gamma (1 - exp(-t / tau))."""
    t = np.linspace(0.0, 8 * tau, 161)
    s = integrate(lambda _, v: [B.synapse_first_order(v[0], 0.0, tau, gamma)], [gamma / tau],
                  t[-1], t)[0]
    np.testing.assert_allclose(s, gamma * B.first_order_kernel(t, tau), atol=1e-12)
    s = integrate(lambda _, v: [B.synapse_first_order(v[0], 1.0, tau, gamma)], [0.0],
                  t[-1], t)[0]
    np.testing.assert_allclose(s, gamma * (1 - np.exp(-t / tau)), atol=1e-11)


@pytest.mark.parametrize("tau_r, tau_d, gamma", [(1.0, 5.0, 1.0), (10.0, 80.0, 2.0),
                                                 (6.0, 6.0, 1.5), (40.0, 200.0, 0.5)])
def test_second_order_synapse_impulse_response_is_the_kernel(tau_r, tau_d, gamma):
    """An impulse sets s'(0+) = gamma / (tau_r tau_d); the filter's output is gamma times
    the bi-exponential kernel (the alpha kernel when tau_r = tau_d)."""
    t = np.linspace(0.0, 10 * tau_d, 301)
    s = integrate(lambda _, v: [v[1], B.synapse_second_order(v[0], v[1], 0.0, tau_r, tau_d,
                                                             gamma)],
                  [0.0, gamma / (tau_r * tau_d)], t[-1], t)[0]
    np.testing.assert_allclose(s, gamma * B.biexponential_kernel(t, tau_r, tau_d),
                               atol=1e-10 * gamma / tau_d)


@pytest.mark.parametrize("tau_r, tau_d", [(1.0, 5.0), (10.0, 80.0), (1.0, 10.0),
                                          (40.0, 200.0), (3.0, 3.3), (7.0, 2.0)])
def test_biexponential_peak_time_and_area(tau_r, tau_d):
    """The kernel has unit area and peaks at ln(tau_d/tau_r) tau_r tau_d / (tau_d - tau_r)
    (found here by maximising the kernel numerically); norm="peak" makes that maximum 1."""
    formula = math.log(tau_d / tau_r) * tau_r * tau_d / (tau_d - tau_r)
    assert B.peak_time(tau_r, tau_d) == pytest.approx(formula, rel=1e-13)
    found = minimize_scalar(lambda s: -B.biexponential_kernel(s, tau_r, tau_d),
                            bounds=(0.0, 3 * max(tau_r, tau_d)), method="bounded",
                            options={"xatol": 1e-10})
    assert found.x == pytest.approx(formula, rel=1e-6)
    t = np.linspace(0.0, 60 * max(tau_r, tau_d), 600001)
    h = B.biexponential_kernel(t, tau_r, tau_d)
    assert np.trapezoid(h, t) == pytest.approx(1.0, rel=1e-6)
    hp = B.biexponential_kernel(t, tau_r, tau_d, norm="peak")
    assert hp.max() == pytest.approx(1.0, rel=1e-8)
    assert B.biexponential_kernel(formula, tau_r, tau_d, norm="peak") == pytest.approx(1.0,
                                                                                   rel=1e-13)
    # symmetric in the two time constants, causal
    np.testing.assert_allclose(B.biexponential_kernel(t[:2000], tau_d, tau_r), h[:2000],
                               rtol=1e-13)
    assert B.biexponential_kernel(-1.0, tau_r, tau_d) == 0.0


@pytest.mark.parametrize("tau", [0.5, 8.0, 100.0])
def test_alpha_limit(tau):
    """tau_r -> tau_d = tau: the bi-exponential kernel becomes t exp(-t/tau) / tau^2 (unit
    area, peak 1 / (e tau) at t = tau), smoothly, without the 0/0 of the closed form."""
    t = np.linspace(0.0, 20 * tau, 2001)
    alpha = t / tau**2 * np.exp(-t / tau)
    np.testing.assert_allclose(B.alpha_kernel(t, tau), alpha, rtol=1e-14, atol=0)
    np.testing.assert_array_equal(B.biexponential_kernel(t, tau, tau), B.alpha_kernel(t, tau))
    for eps in (1e-4, 1e-8, 1e-12):
        np.testing.assert_allclose(B.biexponential_kernel(t, tau * (1 - eps), tau), alpha,
                                   rtol=10 * eps + 1e-12, atol=1e-14 / tau)
        assert B.peak_time(tau * (1 - eps), tau) == pytest.approx(tau, rel=eps)
    assert B.peak_time(tau, tau) == tau
    assert B.alpha_kernel(tau, tau) == pytest.approx(1 / (math.e * tau), rel=1e-15)
    assert B.alpha_kernel(tau, tau, norm="peak") == pytest.approx(1.0, rel=1e-15)
    assert np.trapezoid(B.alpha_kernel(np.linspace(0, 60 * tau, 600001), tau),
                        np.linspace(0, 60 * tau, 600001)) == pytest.approx(1.0, rel=1e-8)


def test_first_order_limit_and_paper_figure_kernels():
    """tau_r -> 0 gives exp(-t/tau_d)/tau_d (peak at 0). The paper's figure compares a
    first-order PSP (tau ~ 10 ms) with a second-order one peaking near 8 ms: an alpha
    kernel with tau = 8 ms peaks there."""
    t = np.linspace(0.0, 100.0, 1001)
    np.testing.assert_array_equal(B.biexponential_kernel(t, 0.0, 10.0),
                                  B.first_order_kernel(t, 10.0))
    # (away from t = 0, where any second-order kernel starts from 0)
    np.testing.assert_allclose(B.biexponential_kernel(t[1:], 1e-9, 10.0),
                               B.first_order_kernel(t[1:], 10.0), rtol=1e-6, atol=1e-9)
    assert B.peak_time(0.0, 10.0) == 0.0
    np.testing.assert_allclose(B.first_order_kernel(t, 10.0, norm="peak"), np.exp(-t / 10.0),
                               rtol=1e-15)
    assert t[np.argmax(B.alpha_kernel(t, 8.0))] == pytest.approx(8.0, abs=0.1)
    with pytest.raises(ValueError, match="norm"):
        B.alpha_kernel(t, 8.0, norm="max")


# ----------------------------------------------------------------------------- QIF transfer
@pytest.mark.parametrize("tau", [1.0, 7.5])
def test_qif_transfer_closed_values(tau):
    """Phi(I) = sqrt(I + sqrt(I^2 + Delta^2)) / (tau pi sqrt 2): with Delta = 4,
    I = 3 gives sqrt 8 -> 2 / (pi tau), I = -3 gives sqrt 2 -> 1 / (pi tau), and I = 0
    gives sqrt(Delta) / (pi tau sqrt 2)."""
    assert B.qif_transfer(3.0, 4.0, tau) == pytest.approx(2 / (math.pi * tau), rel=1e-15)
    assert B.qif_transfer(-3.0, 4.0, tau) == pytest.approx(1 / (math.pi * tau), rel=1e-15)
    assert B.qif_transfer(0.0, 4.0, tau) == pytest.approx(2 / (math.pi * tau * math.sqrt(2)),
                                                          rel=1e-15)
    for I in np.linspace(-20, 20, 41):
        for Delta in (0.1, 1.0, 3.0):
            g = I + math.sqrt(I * I + Delta * Delta)
            direct = math.sqrt(g) / (tau * math.pi * math.sqrt(2))
            assert B.qif_transfer(I, Delta, tau) == pytest.approx(direct, rel=1e-9)
            fd = central(lambda v: B.qif_transfer(v, Delta, tau), I)
            assert B.qif_transfer_derivative(I, Delta, tau) == pytest.approx(fd, rel=1e-6)


def test_qif_transfer_limits():
    """I >> Delta: a single QIF neuron's rate sqrt(I) / (pi tau) (its period is
    pi tau / sqrt I). I << -Delta: the tail Delta / (2 pi tau sqrt|I|), which the naive form
    loses to cancellation (I + sqrt(I^2 + Delta^2) is 0 in floating point at I = -1e8).
    Delta = 0: the sharp threshold."""
    tau, Delta = 2.0, 1.0
    for I in (1e4, 1e8, 1e12):
        assert B.qif_transfer(I, Delta, tau) == pytest.approx(math.sqrt(I) / (math.pi * tau),
                                                              rel=Delta**2 / I**2 + 1e-15)
        assert B.qif_transfer(-I, Delta, tau) == pytest.approx(
            Delta / (2 * math.pi * tau * math.sqrt(I)), rel=Delta**2 / I**2 + 1e-15)
        assert B.qif_transfer_derivative(-I, Delta, tau) == pytest.approx(
            Delta / (4 * math.pi * tau * I**1.5), rel=1e-6)
    assert -1e8 + math.sqrt(1e16 + 1.0) == 0.0                 # the naive form fails here
    assert B.qif_transfer(-5.0, 0.0, tau) == 0.0
    assert B.qif_transfer(4.0, 0.0, tau) == pytest.approx(2 / (math.pi * tau), rel=1e-15)
    assert B.qif_transfer(0.0, 0.0, tau) == 0.0
    assert B.qif_transfer_derivative(0.0, 0.0, tau) == math.inf


@pytest.mark.parametrize("eta, Delta, tau", [(-5.0, 1.0, 1.0), (2.0, 0.5, 7.5),
                                             (-0.3, 2.0, 10.0)])
def test_qif_transfer_is_the_mean_field_fixed_point(eta, Delta, tau):
    """Without recurrent coupling (J = 0) the Montbrio-Pazo-Roxin mean field rests at
    r = Phi(eta), v = -Delta / (2 pi tau r): the transfer function is its fixed point."""
    mpr = rs.models["montbrio_pazo_roxin"]
    params = {"eta": eta, "Delta": Delta, "tau": tau, "J": 0.0}
    r = B.qif_transfer(eta, Delta, tau)
    v = -Delta / (2 * math.pi * tau * r)
    np.testing.assert_allclose(mpr.f([r, v], params), 0.0, atol=1e-12)


# ----------------------------------------------------------------------------- metadata
def test_parameter_factories_and_jansen_rit_declares_them():
    names = [p.name for p in B.SIGMOID]
    assert names == ["e0", "r", "v0"]
    assert [p.default for p in B.SIGMOID] == [2.5, 0.56, 6.0]
    jr = rs.models["jansen_rit"]
    for p in B.SIGMOID:
        assert jr.parameter(p.name) == p
    A, a = B.psp_parameters()
    assert (A.name, A.default, A.unit, a.name, a.default, a.unit) == ("A", 3.25, "mV",
                                                                       "a", 100.0, "1/s")
    assert jr.parameter("A") == A and jr.parameter("a") == a
    Bp, b = B.psp_parameters((22.0, 10.0, 60.0), (50.0, 20.0, 100.0), names=("B", "b"),
                             kind="inhibitory")
    assert jr.parameter("B") == Bp and jr.parameter("b") == b
    assert "inhibitory" in Bp.meaning
    # a bare default keeps the template's slider range, widened to include it
    e0, r, v0 = B.sigmoid_parameters(e0=8.0, v0=-2.0, names=("e0", "r", "v0_P2"),
                                     population="of P2")
    assert (e0.default, e0.low, e0.high) == (8.0, 1.0, 8.0)
    assert (v0.name, v0.default, v0.low) == ("v0_P2", -2.0, -2.0)
    assert v0.meaning.endswith("of P2")
    tau, gamma = B.first_order_synapse_parameters()
    assert tau.unit == "ms" and tau.domain[0] > 0
    tr, td, g = B.second_order_synapse_parameters(kind="GABA_A", tau_r=0.5, tau_d=(8.0, 6.0,
                                                                                  20.0))
    assert (tr.default, td.default, td.low, td.high) == (0.5, 8.0, 6.0, 20.0)
    assert "GABA_A" in td.meaning
    Delta, tau_m = B.qif_parameters()
    assert Delta.domain[0] > 0 and tau_m.unit == "ms"
    with pytest.raises(ValueError):
        B.sigmoid_parameters(r=(-1.0, -2.0, 1.0))            # outside the domain r >= 0
