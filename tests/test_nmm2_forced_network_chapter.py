"""The numbers the chapter "NMM2 forced and networked" (book/nmm2_forced_network.ipynb) rests on,
each checked against a calculation that does not use the code path the chapter shows: the QIF
transfer function and the J = 0 eigenvalues in closed form, the transfer function of the
linearisation against driven simulations, the resonance trends the chapter states, the ING Arnold
tongue, and the locking of two PING nodes through s_e (nearly neutral) and through r_e (delay decides).

ING and PING at the paper's parameters (rosetta.models), times in ms, rates in kHz.
"""
import math

import numpy as np
import pytest
from scipy.signal import find_peaks

import rosetta as rs
from rosetta import blocks, forcing as rf, measures as rm

ING = rs.models["ing"]
PING = rs.models["ping"]
P = ING.defaults


def input_for_rate(r, J):
    """The input that makes rate r an ING equilibrium (s = r, v = -Delta / (2 pi tau r))."""
    v = -P["Delta"] / (2 * math.pi * P["tau"] * r)
    return (math.pi * P["tau"] * r) ** 2 - v * v + P["tau"] * J * r - P["eta"]


def gain(params, f):
    """|H(2 pi i f)| of the rate per unit input at the stable fixed point (f in Hz)."""
    (fp,) = rs.fixed_points(ING, params)
    A = ING.jac(fp.state, params)
    b = np.array([0.0, 1.0 / params.get("tau", P["tau"]), 0.0, 0.0])     # the input on tau v'
    w = 2 * np.pi * np.atleast_1d(f) / 1000.0
    return np.array([abs(np.linalg.solve(1j * wk * np.eye(4) - A, b)[0]) for wk in w])


F_AXIS = np.linspace(0.5, 150.0, 300)


def peak(params):
    return gain(params, F_AXIS).max()


# ---------------------------------------------------------------- the dynamic sigmoid
@pytest.mark.parametrize("I", [-20.0, -3.0, 0.0, 0.7, 10.0, 60.0])
def test_ing_without_self_coupling_rests_on_the_qif_transfer_function(I):
    (fp,) = rs.fixed_points(ING, {"J": 0.0, "I": I})
    phi = blocks.qif_transfer(P["eta"] + I, P["Delta"], P["tau"])
    assert fp.state[0] == pytest.approx(phi, rel=1e-10)
    # the closed form Phi = sqrt(I + sqrt(I^2 + Delta^2)) / (pi tau sqrt 2), written out here
    closed = math.sqrt(I + math.sqrt(I * I + 1.0)) / (math.pi * 7.5 * math.sqrt(2)) if I > -5 else \
        1.0 / (math.sqrt(math.sqrt(I * I + 1.0) - I) * math.pi * 7.5 * math.sqrt(2))
    assert phi == pytest.approx(closed, rel=1e-9)


@pytest.mark.parametrize("I", [-5.0, 2.0, 30.0])
def test_the_rate_rings_at_the_rate(I):
    """J = 0: eigenvalues -Delta / (pi tau^2 r) +- 2 pi i r (rate in kHz, time in ms)."""
    (fp,) = rs.fixed_points(ING, {"J": 0.0, "I": I})
    r = fp.state[0]
    ev = np.linalg.eigvals(ING.jac(fp.state, {"J": 0.0, "I": I})[:2, :2])
    assert np.sort_complex(ev) == pytest.approx(
        np.sort_complex(np.array([-1 / (math.pi * 56.25 * r) + 2j * math.pi * r,
                                  -1 / (math.pi * 56.25 * r) - 2j * math.pi * r])), rel=1e-9)


def test_step_response_overshoots_and_rings_at_the_final_rate():
    (rest,) = rs.fixed_points(ING, {"J": 0.0, "I": 0.0})
    run = rs.simulate(ING, 250.0, 0.005, params={"J": 0.0, "I": 0.0}, x0=rest.state,
                      drive=rf.Step(amplitude=20.0, t_on=0.0))
    r_inf = blocks.qif_transfer(20.0, 1.0, 7.5)
    assert run.r[-1] == pytest.approx(r_inf, rel=0.02)      # settles on Phi (e-folding ~ 33 ms)
    assert run.r.max() > 3 * r_inf                          # a volley first
    pk, _ = find_peaks(run.r)
    f_ring = 1.0 / np.diff(run.t[pk[1:4]]).mean()           # kHz, past the first volley
    assert f_ring == pytest.approx(r_inf, rel=0.02)


def test_slow_ramp_follows_the_static_curve_and_fast_one_does_not():
    dev = {}
    for T in (5.0, 250.0):
        x0 = rs.fixed_points(ING, {"J": 0.0, "I": -5.0})[0].state
        run = rs.simulate(ING, T, 0.005, params={"J": 0.0, "I": -5.0}, x0=x0,
                          drive=rf.Array(values=[0.0, 30.0], times=[0.0, T * 1e-3]))
        I_t = -5.0 + 30.0 * run.t / T
        static = np.array([blocks.qif_transfer(x, 1.0, 7.5) for x in I_t])
        dev[T] = np.max(np.abs(run.r - static)) / static[-1]
    assert dev[250.0] < 0.1 < 0.5 < dev[5.0]


# ---------------------------------------------------------------- resonance
@pytest.mark.parametrize("params", [{"J": 20.0, "I": input_for_rate(0.02, 20.0)},
                                    {"tau_g": 8.0, "I": 2.0}])
def test_linear_response_matches_the_transfer_function(params):
    (fp,) = rs.fixed_points(ING, params)
    assert fp.stable
    amp = 0.05
    for f in (10.0, 45.0, 120.0):
        T = 1000.0 / f
        run = rs.simulate(ING, 200.0 + 10 * T, 0.01, params=params, x0=fp.state,
                          drive=rf.Sine(amplitude=amp, frequency=f))
        keep = run.t >= run.t[-1] - 10 * T
        y, t = run.r[keep], run.t[keep]
        sim = abs(2 * np.mean((y - y.mean()) * np.exp(-2j * np.pi * f * t / 1000.0))) / amp
        assert sim == pytest.approx(gain(params, f)[0], rel=0.01)


def test_resonance_grows_with_self_inhibition_at_a_fixed_rate():
    Js = np.linspace(10.0, 40.0, 7)
    peaks = [peak({"J": J, "I": input_for_rate(0.02, J)}) for J in Js]
    dcs = [gain({"J": J, "I": input_for_rate(0.02, J)}, 0.0)[0] for J in Js]
    assert np.all(np.diff(peaks) > 0) and np.all(np.diff(dcs) < 0)
    # below J ~ 8 it falls: at J = 0 the response is low-pass, its maximum at zero frequency
    g0 = gain({"J": 0.0, "I": input_for_rate(0.02, 0.0)}, F_AXIS)
    assert np.argmax(g0) == 0 and g0[0] > peaks[0]
    # at a fixed input, the inhibition silences the node and the peak falls throughout
    fixed_I = [peak({"J": J, "I": 0.0}) for J in np.linspace(0.0, 40.0, 9)]
    assert np.all(np.diff(fixed_I) < 0)


def test_resonance_grows_with_slower_synapses_except_near_the_hopf_point():
    tg = np.geomspace(0.5, 16.0, 16)
    for I in (0.0, 2.0):
        p = [peak({"tau_g": x, "I": I}) for x in tg]
        k = int(np.argmax(p))
        assert k >= 13 and np.all(np.diff(p[:k + 1]) > 0)       # grows up to ~10-16 ms
    p4 = [peak({"tau_g": x, "I": 4.0}) for x in tg]
    k4 = int(np.argmax(p4))
    assert 2.0 < tg[k4] < 6.0 and p4[-1] < 0.8 * p4[k4]        # an interior maximum


# ---------------------------------------------------------------- Arnold tongue
@pytest.fixture(scope="module")
def ing_f0():
    sw = rs.brute_force(ING, "I", [30.0], "r", duration=400.0, transient=200.0, dt=0.01)
    return float(sw.frequency[0, 0])


def edges(f0, A, iterations=10):
    lo_out, lo_in, hi_in, hi_out = 0.75 * f0, f0, f0, 1.25 * f0
    for _ in range(iterations):
        mid = [0.5 * (lo_out + lo_in), 0.5 * (hi_in + hi_out)]
        lk = rs.locking_map(ING, [A], mid, {"I": 30.0}, duration=1500.0, transient=300.0, dt=0.02,
                            phase_variable=("s", "ds")).locked(tol=1e-3)[0]
        lo_in, lo_out = (mid[0], lo_out) if lk[0] else (lo_in, mid[0])
        hi_in, hi_out = (mid[1], hi_out) if lk[1] else (hi_in, mid[1])
    return 0.5 * (lo_out + lo_in), 0.5 * (hi_in + hi_out)


def test_ing_tongue_opens_from_the_free_frequency_and_widens_linearly(ing_f0):
    # the free cycle, measured independently of the sweep: the spectrum of a plain run
    run = rs.simulate(ING, 1200.0, 0.01, params={"I": 30.0})
    f_spec = rm.dominant_frequency(run.r[run.t > 200.0], run.sampling_rate, fmin=20.0)
    assert ing_f0 == pytest.approx(f_spec, rel=5e-3)
    lm = rs.locking_map(ING, [0.0, 0.5], [ing_f0, 0.9 * ing_f0, 1.1 * ing_f0], {"I": 30.0},
                        duration=1500.0, transient=300.0, dt=0.02, phase_variable=("s", "ds"))
    assert lm.rho[0, 0] == pytest.approx(1.0, abs=2e-3)      # no drive: rho = f_osc / f
    assert lm.rho[0, 1:] == pytest.approx([1 / 0.9, 1 / 1.1], rel=5e-3)
    assert lm.locked(tol=1e-3)[1].tolist() == [True, False, False]
    w1 = np.diff(edges(ing_f0, 1.0))[0]
    w2 = np.diff(edges(ing_f0, 2.0))[0]
    lo, hi = edges(ing_f0, 2.0)
    assert lo < ing_f0 < hi
    assert w2 / w1 == pytest.approx(2.0, rel=0.1)            # linear at small amplitude
    assert 2.0 < w1 < 8.0                                   # about 4 Hz per unit of I


# ---------------------------------------------------------------- two PING nodes
@pytest.fixture(scope="module")
def ping_cycle():
    ref = rs.simulate(PING, 400.0, 0.02, params={"I": 10.0})
    late = ref.t >= 200.0
    f0 = rm.dominant_frequency(ref.re[late], ref.sampling_rate)
    return ref, int(np.argmax(late)), int(round(1000.0 / f0 / 0.02)), f0


def final_lag(ping_cycle, source, G, delay, offset, duration=2000.0):
    ref, k0, kT, f0 = ping_cycle
    C = np.array([[0.0, 1.0], [1.0, 0.0]])
    net = rs.network(PING, C, G=G, normalize="row", delays=delay * C, params={"I": 10.0},
                     projections=[rs.Projection(source, "e")])
    run = rs.simulate(net, duration, 0.02, method="heun",
                      x0=ref.data[[k0, k0 + int(offset * kT)], 0, :], record_every=5)
    xb = rm.bandpass(run.re, run.sampling_rate, (0.6 * f0, 1.4 * f0))
    ph = rm.analytic_phase(xb)
    keep = (run.t >= duration - 300.0) & (run.t <= duration - 100.0)
    return np.angle(np.mean(np.exp(1j * (ph[keep, 1] - ph[keep, 0])))) / (2 * np.pi)


def test_coupling_through_the_slow_excitatory_synapse_is_nearly_neutral(ping_cycle):
    for delay in (0.0, 6.0):
        assert final_lag(ping_cycle, "se", 200.0, delay, 0.3) == pytest.approx(0.3, abs=0.05)


def test_coupling_through_the_rate_locks_in_phase_or_anti_phase_by_delay(ping_cycle):
    assert abs(final_lag(ping_cycle, "re", 30.0, 0.0, 0.3)) < 0.03
    assert abs(final_lag(ping_cycle, "re", 30.0, 9.0, 0.1)) > 0.47


# ---------------------------------------------------------------- the connectome
@pytest.fixture(scope="module")
def connectome():
    W, lengths, *_ = rs.load_connectome("tvb76", drop_isolated=True)
    C = W.copy()
    np.fill_diagonal(C, 0.0)
    return C, lengths


def network_synchrony(ping_cycle, connectome, source, G, velocity, spread, duration, window):
    ref, k0, kT, f0 = ping_cycle
    C, lengths = connectome
    rng = np.random.default_rng(1)
    x0 = ref.data[k0 + rng.integers(0, max(1, int(spread * kT)), C.shape[0]), 0, :]
    delays = dict(lengths=lengths, velocity=velocity) if velocity else {}
    net = rs.network(PING, C, G=G, normalize="row", params={"I": 10.0},
                     projections=[rs.Projection(source, "e")], **delays)
    run = rs.simulate(net, duration, 0.02, method="heun", x0=x0, record_every=5)
    th = rm.analytic_phase(rm.bandpass(run.re, run.sampling_rate, (0.6 * f0, 1.4 * f0)))
    keep = (run.t >= window[0]) & (run.t < window[1])
    return np.abs(rm.order_parameter(th[keep])).mean()


def test_connectome_through_s_e_stays_at_chance_synchrony(ping_cycle, connectome):
    R = network_synchrony(ping_cycle, connectome, "se", 200.0, None, 1.0, 400.0, (200.0, 300.0))
    assert R < 2 / math.sqrt(74)


def test_connectome_through_r_e_keeps_synchrony_only_with_short_delays(ping_cycle, connectome):
    fast = network_synchrony(ping_cycle, connectome, "re", 30.0, 20.0, 0.1, 1700.0, (1400.0, 1600.0))
    slow = network_synchrony(ping_cycle, connectome, "re", 30.0, 10.0, 0.1, 1700.0, (1400.0, 1600.0))
    assert fast > 0.95 and slow < 0.9
