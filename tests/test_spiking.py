"""The QIF spiking networks that the NMM2 mean fields average (rosetta.spiking): the
mean field's fixed point and cycle recovered by the neurons, the finite-size bias derived
from the truncated Lorentzian, reproducibility per seed, and clear errors."""
import math

import numpy as np
import pytest

import rosetta as rs
from rosetta.spiking import lorentzian_quantiles, simulate_neurons


def tail_deficit(N, Delta, tau):
    """The rate the N quantiles leave out: neurons with eta beyond the largest quantile,
    eta_max ~ 2 N Delta / pi, fire at sqrt(eta)/(pi tau) with density Delta/(pi eta^2):
    int sqrt(eta)/(pi tau) Delta/(pi eta^2) d eta = 2 Delta / (pi^2 tau sqrt(eta_max))."""
    eta_max = 2 * N * Delta / math.pi
    return 2 * Delta / (math.pi ** 2 * tau * math.sqrt(eta_max))


def test_quantiles_are_the_lorentzian_ones():
    q = lorentzian_quantiles(999, -1.0, 0.5)
    assert np.median(q) == pytest.approx(-1.0, abs=1e-12)
    assert np.all(np.diff(q) > 0)
    # a quarter of a Lorentzian lies beyond centre + half-width
    assert np.mean(q > -0.5) == pytest.approx(0.25, abs=2e-3)


@pytest.mark.parametrize("I", [-5.0, 0.0])
def test_rate_matches_the_stable_fixed_point_within_the_finite_size_bias(I):
    model = rs.models["ing"]
    (fp,) = rs.fixed_points(model, {"I": I})
    assert fp.stable
    p = model.defaults
    errors = []
    for N in (1000, 10000):
        res = simulate_neurons(model, N, 300.0, 0.01, params={"I": I}, x0=fp.state)
        rate = res.r[res.t > 100.0, 0].mean()
        bound = tail_deficit(N, p["Delta"], p["tau"])
        assert rate < fp.state[0]                              # the missing fast tail
        assert fp.state[0] - rate < 1.5 * bound
        errors.append(fp.state[0] - rate)
    assert errors[1] < 0.6 * errors[0]                         # 1/sqrt(10) = 0.32 expected


def test_ing_network_oscillates_at_the_mean_field_cycle_frequency():
    d = rs.bifurcation_diagram("ing", "I", (-20, 100), observable="r")
    (cyc,) = d.cycles
    order = np.argsort(cyc.param)
    for I in (10.0, 60.0):
        f_mf = 1000.0 / np.interp(I, cyc.param[order], cyc.period[order])       # Hz
        (fp,) = rs.fixed_points("ing", {"I": I})
        res = simulate_neurons("ing", 5000, 400.0, 0.01, params={"I": I},
                               x0=fp.state + [0.01, 0.0, 0.0, 0.0], record_every=5)
        f = rs.measures.dominant_frequency(res.r[res.t > 150.0, 0], res.sampling_rate,
                                           fmin=10.0)
        assert f == pytest.approx(f_mf, rel=0.05)
    # and it rests where the mean field rests, below the first Hopf point: the recorded
    # rate then only fluctuates as spike counts do, std = sqrt(r / (N bin)) (Poisson)
    (fp,) = rs.fixed_points("ing", {"I": 0.0})
    res = simulate_neurons("ing", 5000, 300.0, 0.01, params={"I": 0.0}, x0=fp.state)
    r = res.r[res.t > 100.0, 0]
    poisson = math.sqrt(r.mean() / (5000 * 0.01 * res.record_every))
    assert r.std() < 1.3 * poisson


def test_ping_populations_and_raster():
    (fp,) = [f for f in rs.fixed_points("ping", {"I": 20.0})]
    res = simulate_neurons("ping", [2000, 1000], 200.0, 0.01, params={"I": 20.0},
                           x0=fp.state, n_raster=20)
    assert res.populations == ("E", "I") and res.n == (2000, 1000)
    assert res.r.shape == res.v.shape == res.s.shape == (res.t.size, 2)
    for a in range(2):
        times, ids = res.spikes[a]
        assert times.size > 0 and ids.min() >= 0 and ids.max() < 20
        assert np.all((times > 0) & (times <= 200.0 + 1e-9))
    # the neuron with the largest eta (raster row 19) fires the most
    times, ids = res.spikes[0]
    assert np.bincount(ids, minlength=20)[19] == np.bincount(ids, minlength=20).max()
    assert res.population("I") == 1


def test_seeded_runs_are_reproducible():
    kw = dict(n=2000, duration=100.0, dt=0.01, params={"I": 30.0})
    a = simulate_neurons("ing", seed=3, **kw)
    b = simulate_neurons("ing", seed=3, **kw)
    c = simulate_neurons("ing", seed=4, **kw)
    np.testing.assert_array_equal(a.r, b.r)
    np.testing.assert_array_equal(a.v, b.v)
    np.testing.assert_array_equal(a.spikes[0][0], b.spikes[0][0])
    assert not np.array_equal(a.r, c.r)


def test_drives_reach_the_populations_of_their_channel():
    """A step on PING's input "i" reaches only the inhibitory neurons: their rate rises."""
    step = rs.forcing.Step(channel="i", amplitude=20.0, t_on=0.1)      # seconds
    (fp,) = rs.fixed_points("ping", {"I": -10.0})
    res = simulate_neurons("ping", 2000, 200.0, 0.01, params={"I": -10.0}, x0=fp.state,
                           drive=step)
    before, after = res.r[res.t < 100.0], res.r[res.t > 150.0]
    assert after[:, 1].mean() > 3 * before[:, 1].mean()


@pytest.mark.parametrize("kw, match", [
    (dict(model="montbrio_pazo_roxin"), "declares no spiking network.*ing"),
    (dict(n=[100, 100]), "one number of neurons per population"),
    (dict(n=0), "n \\(neurons per population\\)"),
    (dict(dt=0.2), "too large"),
    (dict(dt=-0.01), "dt must be"),
    (dict(v_peak=1.0), "v_peak must be > 1"),
    (dict(duration=0.05), "shorter than one recording interval"),
    (dict(drive=rs.forcing.Noise(sigma=1.0)), "Noise drives are refused"),
    (dict(params={"tau_x": 1.0}), "tau_x"),
    (dict(seed=-1), "seed"),
    (dict(n_raster=500), "n_raster"),
])
def test_bad_input_is_refused(kw, match):
    args = dict(model="ing", n=100, duration=10.0, dt=0.01)
    args.update(kw)
    with pytest.raises(rs.ParameterError, match=match):
        simulate_neurons(**args)
