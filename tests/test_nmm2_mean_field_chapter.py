"""Checks of the numbers the chapter "NMM2: from spiking neurons to the exact mean field" rests
on, beyond tests/test_rung_f_models.py (the diagrams against the closed-form equilibrium curves)
and tests/test_spiking.py (the network at a fixed point and on the ING cycle).

Here: the static transfer function as the Lorentzian average of single-neuron rates (by
quadrature); the 1/sqrt(N) fall of the network's error after a step of input; the network's rate
deficit at rest as the truncated Lorentzian tail divided by 1 + the loop gain; the effect of the
spike rule (immediate reset against the 2 tau / V_p refractory time) and of the time step on the
mean voltage; ING's network at the chapter's three inputs; the PING network's frequency and the
order of its two populations (the interneurons peak first), with the continuations that show the
rhythm needs the inhibitory self-loop; PING with the printed couplings; ING's onset frequency
against the synaptic time constant."""
import math

import numpy as np
import pytest
from scipy import integrate
from scipy.signal import find_peaks

import rosetta as rs
from rosetta.blocks import qif_transfer
from rosetta.spiking import simulate_neurons

ING = rs.models["ing"]
PING = rs.models["ping"]
P = ING.defaults
DT = 0.01


def tail(N, Delta=1.0, tau=7.5):
    """Rate of the neurons beyond the largest of N Lorentzian quantiles (eta_max ~ 2 N Delta / pi),
    each firing at sqrt(eta) / (pi tau)."""
    return 2 * Delta / (math.pi ** 2 * tau * math.sqrt(2 * N * Delta / math.pi))


def loop_gain(I):
    """tau J Phi'(mu) at ING's equilibrium, Phi' = Phi / (2 sqrt(mu^2 + Delta^2)) written out."""
    (fp,) = rs.fixed_points(ING, {"I": I})
    r = fp.state[0]
    mu = P["eta"] + I - P["tau"] * P["J"] * r
    phi = math.sqrt(mu + math.hypot(mu, P["Delta"])) / (math.sqrt(2) * math.pi * P["tau"])
    assert phi == pytest.approx(r, rel=1e-9)                  # the equilibrium is r = Phi(mu)
    return P["tau"] * P["J"] * phi / (2 * math.hypot(mu, P["Delta"])), fp


def rest_rate(model, N, I, fp, duration=400.0, **kw):
    res = simulate_neurons(model, N, duration, kw.pop("dt", DT), params={"I": I}, x0=fp.state,
                           record_every=kw.pop("record_every", 20), **kw)
    keep = res.t > 100.0
    return res.r[keep, 0].mean(), res.v[keep, 0].mean()


def peak_times(t, x):
    k, _ = find_peaks(x, prominence=0.3 * np.ptp(x))
    return t[k]


def lead_of_i_over_e(t, re, ri):
    """Mean delay from each peak of r_i to the next peak of r_e, and the mean period of r_e."""
    te, ti = peak_times(t, re), peak_times(t, ri)
    lags = [te[te > x][0] - x for x in ti if (te > x).any()]
    return float(np.mean(lags)), float(np.mean(np.diff(te)))


# ------------------------------------------------------------------ the transfer function
@pytest.mark.parametrize("Delta, tau", [(1.0, 1.0), (0.5, 7.5)])
def test_transfer_function_is_the_lorentzian_average_of_single_neuron_rates(Delta, tau):
    """Phi(mu) = int_{eta > -mu} sqrt(mu + eta) / (pi tau) g(eta) d eta, g Lorentzian (centre 0)."""
    for mu in np.linspace(-10.0, 10.0, 9):
        f = lambda e: math.sqrt(mu + e) / (math.pi * tau) * Delta / (math.pi * (e * e + Delta ** 2))
        avg = integrate.quad(f, -mu, np.inf, limit=400, epsabs=0.0, epsrel=1e-11)[0]
        assert qif_transfer(mu, Delta, tau) == pytest.approx(avg, rel=1e-7)


# ------------------------------------------------------------------ finite size
def test_error_after_a_step_falls_like_inverse_sqrt_N():
    """I = -5 -> 3 at 100 ms: the rms difference of the network's and the mean field's rates
    (0.2 ms intervals) falls with a log-log slope near -1/2."""
    (fp,) = rs.fixed_points(ING, {"I": -5.0})
    step = rs.forcing.Step(amplitude=8.0, t_on=0.1)
    mf = rs.simulate(ING, 300.0, DT, x0=fp.state, params={"I": -5.0}, drive=step)
    every = 20
    n = (mf.t.size - 1) // every
    r_mf = mf["r"][1:n * every + 1].reshape(n, every).mean(axis=1)
    Ns = np.array([1000, 10000, 100000])
    rms = []
    for N in Ns:
        res = simulate_neurons(ING, int(N), 300.0, DT, params={"I": -5.0}, drive=step, x0=fp.state,
                               record_every=every)
        keep = res.t > 20.0
        rms.append(np.sqrt(np.mean((res.r[keep, 0] - r_mf[keep]) ** 2)))
    slope = np.polyfit(np.log(Ns), np.log(rms), 1)[0]
    assert -0.65 < slope < -0.42
    # and the step's ringing is there: the mean field overshoots its new level
    assert mf["r"].max() > 1.3 * mf["r"][-1]


@pytest.mark.parametrize("I", [3.0, -10.0])
def test_rate_deficit_is_the_tail_over_one_plus_loop_gain(I):
    """The network's rate at rest falls short of the mean field's by the truncated tail divided
    by 1 + G, G = tau J Phi': a large correction at I = 3 (G ~ 1.6), a small one at I = -10."""
    G, fp = loop_gain(I)
    assert (G > 1.0) if I > 0 else (G < 0.1)
    for N in (1000, 10000):
        rate, _ = rest_rate(ING, N, I, fp)
        deficit = fp.state[0] - rate
        assert deficit == pytest.approx(tail(N) / (1 + G), rel=0.15)
    if I > 0:
        assert deficit < 0.6 * tail(10000)                    # not the open-loop tail


def test_spike_rule_refractory_time_against_immediate_reset():
    """Resetting at once from V_p to -V_p shortens every period by 2 tau / V_p: the rate is too
    high, by an error that falls with V_p; holding the neuron for 2 tau / V_p removes most of it
    and leaves a small deficit."""
    I = 3.0
    _, fp = loop_gain(I)
    r0 = fp.state[0]
    err = {}
    for refractory in (True, False):
        for vp in (10.0, 20.0, 100.0):
            rate, _ = rest_rate(ING, 10000, I, fp, duration=300.0, v_peak=vp, refractory=refractory)
            err[refractory, vp] = rate / r0 - 1
    assert err[False, 10.0] > 0.10                            # ~ +19 %
    assert err[False, 10.0] > 2 * err[False, 20.0] > 4 * err[False, 100.0] > 0
    for vp in (10.0, 20.0, 100.0):
        assert -0.03 < err[True, vp] < 0                      # a deficit of a few per cent at most
    assert abs(err[True, 10.0]) < 0.2 * err[False, 10.0]


def test_mean_voltage_bias_comes_from_the_step_near_the_peak():
    """The mean voltage's bias grows with V_p and shrinks with dt (not with N beyond a floor)."""
    I = 3.0
    _, fp = loop_gain(I)
    v0 = fp.state[1]
    bias = {}
    for vp, dt in ((20.0, DT), (200.0, DT), (200.0, DT / 2)):
        _, v = rest_rate(ING, 20000, I, fp, duration=300.0, v_peak=vp, dt=dt,
                         record_every=int(round(0.2 / dt)))
        bias[vp, dt] = v - v0
    assert bias[200.0, DT] > 3 * bias[20.0, DT] > 0
    assert bias[200.0, DT] > 1.5 * bias[200.0, DT / 2] > 0


# ------------------------------------------------------------------ ING network
def test_ing_network_frequency_at_the_chapters_inputs():
    d = rs.bifurcation_diagram(ING, "I", (-20.0, 100.0), observable="r")
    (cyc,) = d.cycles
    o = np.argsort(cyc.param)
    for I in (15.0, 40.0, 70.0):
        f_cycle = 1000.0 / np.interp(I, cyc.param[o], cyc.period[o])
        (fp,) = rs.fixed_points(ING, {"I": I})
        res = simulate_neurons(ING, 5000, 350.0, DT, params={"I": I},
                               x0=fp.state + [0.01, 0.0, 0.0, 0.0], record_every=5)
        f = rs.measures.dominant_frequency(res.r[res.t > 150.0, 0], res.sampling_rate, fmin=10.0)
        assert f == pytest.approx(f_cycle, rel=0.05)


def test_ing_onset_frequency_against_the_synaptic_time_constant():
    """Slower synapse, lower onset frequency, but far from 1 / tau_g; the range closes by
    tau_g = 8 ms, and for tau_g = 1 ms the second Hopf point lies beyond I = 300."""
    onset = []
    for tau_g in (0.5, 1.0, 2.0, 4.0):
        d = rs.bifurcation_diagram(ING, "I", (-20.0, 300.0), params={"tau_g": tau_g},
                                   observable="r", cycles=False)
        hb = d.special("HB+")
        assert hb and not d.special("HB-")
        onset.append(hb[0].frequency)
        if tau_g == 1.0:
            assert len(hb) == 1
    assert np.all(np.diff(onset) < 0)
    exponent = np.polyfit(np.log([0.5, 1.0, 2.0, 4.0]), np.log(onset), 1)[0]
    assert -0.5 < exponent < -0.25
    d = rs.bifurcation_diagram(ING, "I", (-20.0, 300.0), params={"tau_g": 8.0}, observable="r",
                               cycles=False)
    assert not d.special("HB+") and not d.special("HB-")


# ------------------------------------------------------------------ PING
def test_ping_network_frequency_and_which_population_leads():
    """At I = 10 the network oscillates at the mean field's cycle frequency (5 %), and in both
    the interneurons' rate peaks a fraction of a cycle before the excitatory one."""
    I = 10.0
    d = rs.bifurcation_diagram(PING, "I", (-20.0, 75.0), observable="re")
    (cyc,) = d.cycles
    o = np.argsort(cyc.param)
    f_cycle = 1000.0 / np.interp(I, cyc.param[o], cyc.period[o])
    (fp,) = rs.fixed_points(PING, {"I": I})
    x0 = fp.state + 0.01 * np.eye(8)[0]
    mf = rs.simulate(PING, 400.0, DT, x0=x0, params={"I": I}, record_every=5)
    net = simulate_neurons(PING, [5000, 5000], 400.0, DT, params={"I": I}, x0=x0, record_every=5)
    keep = net.t > 150.0
    for a in (0, 1):
        f = rs.measures.dominant_frequency(net.r[keep, a], net.sampling_rate, fmin=10.0)
        assert f == pytest.approx(f_cycle, rel=0.05)
    k = mf.t > 150.0
    lead_mf, per_mf = lead_of_i_over_e(mf.t[k], mf["re"][k], mf["ri"][k])
    assert 1000.0 / per_mf == pytest.approx(f_cycle, rel=0.01)
    assert 0.05 < lead_mf / per_mf < 0.3                      # r_i peaks ~ 1.8 ms before r_e
    se = mf["se"][k]
    assert np.ptp(se) < 0.25 * se.mean()                      # the slow E synapse: nearly tonic
    box = np.ones(20) / 20                                    # 1 ms smoothing of the counts
    re, ri = (np.convolve(net.r[:, a], box, mode="same")[keep] for a in (0, 1))
    lead_net, per_net = lead_of_i_over_e(net.t[keep], re, ri)
    assert 0.05 < lead_net / per_net < 0.3
    assert lead_net == pytest.approx(lead_mf, abs=0.5)        # ms


def test_ping_rhythm_needs_the_inhibitory_self_loop():
    """J_ii = 0: no Hopf point in [-20, 75]. J_ei = 0 (E deaf to I): the I population still
    oscillates between two Hopf points, while E sits at rest."""
    d = rs.bifurcation_diagram(PING, "I", (-20.0, 75.0), params={"Jii": 0.0}, observable="re",
                               cycles=False)
    assert not d.special("HB+") and not d.special("HB-")
    d = rs.bifurcation_diagram(PING, "I", (-20.0, 75.0), params={"Jei": 0.0}, observable="re",
                               cycles=False)
    hb = d.special("HB+")
    assert len(hb) == 2 and hb[0].param < 10.0 < hb[1].param
    (fp,) = rs.fixed_points(PING, {"I": 10.0, "Jei": 0.0})
    r = rs.simulate(PING, 400.0, DT, x0=fp.state + 0.01 * np.eye(8)[2],
                    params={"I": 10.0, "Jei": 0.0}, record_every=5)
    k = r.t > 150.0
    assert np.ptp(r["ri"][k]) > 0.3 and np.ptp(r["re"][k]) < 1e-9


def test_ping_with_the_printed_couplings_has_no_bifurcation():
    printed = {"Jee": 1.0, "Jei": 1.0, "Jie": 1.0, "Jii": 2.0}
    d = rs.bifurcation_diagram(PING, "I", (-20.0, 75.0), params=printed, observable="re")
    assert not d.points and not d.cycles
    x4 = rs.bifurcation_diagram(PING, "I", (-20.0, 75.0), observable="re", cycles=False,
                                params={k: 4 * v for k, v in printed.items()})
    x5 = rs.bifurcation_diagram(PING, "I", (-20.0, 75.0), observable="re", cycles=False,
                                params={k: 5 * v for k, v in printed.items()})
    assert not x4.points
    assert [p.label for p in x5.special()] == ["HB+", "HB+"]
