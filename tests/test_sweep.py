"""Brute-force sweeps and locking maps: closed forms, agreement with simulate, errors."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import rosetta as rs  # noqa: E402
from rosetta.sweep import LockingMap, SweepResult, brute_force, locking_map  # noqa: E402

HO = "harmonic_oscillator"
PO = "phase_oscillator"
TWO_PI = 2 * np.pi


def stuart_landau():
    if "stuart_landau" not in rs.models:
        pytest.skip("stuart_landau is not registered yet")
    return rs.models["stuart_landau"]


# ----------------------------------------------------------------------------- Stuart-Landau
def test_stuart_landau_amplitude_and_period():
    """z' = (alpha + i omega) z - (gamma + i beta)|z|^2 z: for alpha > 0 a cycle of radius
    sqrt(alpha/gamma) and angular frequency omega - beta alpha/gamma; for alpha < 0 a
    stable focus at 0 (max of x ~ 0)."""
    m = stuart_landau()
    spu = m.seconds_per_unit                     # rates below are per second
    alphas = np.array([-20.0, -5.0, 5.0, 20.0]) * spu
    omega, gamma, beta = TWO_PI * 10 * spu, 4.0 * spu, 2.0 * spu
    res = brute_force(m, "alpha", alphas, "x",
                      params={"omega": omega, "gamma": gamma, "beta": beta},
                      duration=4.0 / spu, transient=3.0 / spu, dt=1e-4 / spu,
                      x0=[0.1, 0.0], n_starts=3, seed=2)   # (0, 0) is the equilibrium
    assert isinstance(res, SweepResult)
    assert res.max.shape == res.period.shape == (4, 3)
    assert not res.diverged.any()
    on = alphas > 0
    r = np.sqrt(alphas[on] / gamma)
    assert np.all(np.abs(res.max[on] - r[:, None]) < 1e-3)
    assert np.all(np.abs(res.min[on] + r[:, None]) < 1e-3)
    assert np.all(np.abs(res.max[~on]) < 1e-3)
    period = TWO_PI / (omega - beta * alphas[on] / gamma)
    np.testing.assert_allclose(res.period[on], np.repeat(period[:, None], 3, axis=1), rtol=1e-5)


def test_stuart_landau_locking_near_resonance_by_angle():
    """Forced Stuart-Landau read by the angle of (x, y): the unforced cycle turns at
    omega (rho = omega / Omega); a drive at the cycle's frequency locks it (rho = 1)."""
    m = stuart_landau()
    spu = m.seconds_per_unit
    omega = TWO_PI * 10 * spu
    f_cycle = 10.0                                         # Hz (beta = 0)
    L = locking_map(m, [0.0, 2.0], [f_cycle + 0.02, 13.0],
                    params={"alpha": 10 * spu, "gamma": 10 * spu, "beta": 0.0, "omega": omega},
                    duration=8.0 / spu, transient=4.0 / spu, dt=1e-4 / spu, x0=[1.0, 0.0])
    assert L.phase == "angle(x, y)"
    np.testing.assert_allclose(L.rho[0], f_cycle / L.frequencies, rtol=1e-4)
    assert abs(L.rho[1, 0] - 1.0) < 1e-3


# ----------------------------------------------------------------------------- harmonic oscillator
def test_harmonic_oscillator_max_is_initial_radius():
    """A centre: every orbit is the circle of its initial radius, at period 2 pi / omega."""
    omegas = TWO_PI * np.array([5.0, 10.0, 20.0])
    res = brute_force(HO, "omega", omegas, "x", duration=2.5, transient=0.5, dt=1e-4,
                      x0=[0.5, 0.0], n_starts=4, seed=3)       # >= 2 periods per half window
    radius = np.hypot(res.starts[:, 0], res.starts[:, 1])
    assert radius[0] == pytest.approx(0.5)
    assert np.all(np.abs(res.max - radius[None, :]) < 1e-4 * radius[None, :])
    assert np.all(np.abs(res.min + radius[None, :]) < 1e-4 * radius[None, :])
    np.testing.assert_allclose(res.period, np.repeat((TWO_PI / omegas)[:, None], 4, axis=1),
                               rtol=1e-6)
    np.testing.assert_allclose(res.frequency, np.repeat([[5.0], [10.0], [20.0]], 4, axis=1),
                               rtol=1e-6)
    np.testing.assert_allclose(res.amplitude, np.tile(radius, (3, 1)), rtol=1e-4)


def test_starts_are_given_then_uniform_in_the_state_range():
    m = rs.models[HO]
    drawn = brute_force(HO, "omega", [TWO_PI * 10], "x", duration=0.3, transient=0.1,
                        dt=1e-3, n_starts=3, seed=7)
    assert drawn.starts.shape == (3, 2) and np.all(np.abs(drawn.starts) <= 2.0)
    assert np.all(drawn.max > 0)
    res = brute_force(HO, "omega", [TWO_PI * 10], "x", duration=0.3, transient=0.1, dt=1e-3,
                      x0=[[0.3, 0.0], [0.0, 0.4]], n_starts=5, seed=7)
    assert res.starts.shape == (5, 2)
    np.testing.assert_array_equal(res.starts[:2], [[0.3, 0.0], [0.0, 0.4]])
    for k, (lo, hi) in enumerate(m.state_range):
        assert np.all((res.starts[2:, k] >= lo) & (res.starts[2:, k] <= hi))
    again = brute_force(HO, "omega", [TWO_PI * 10], "x", duration=0.3, transient=0.1, dt=1e-3,
                        x0=[[0.3, 0.0], [0.0, 0.4]], n_starts=5, seed=7)
    np.testing.assert_array_equal(res.starts, again.starts)
    np.testing.assert_array_equal(res.max, again.max)


def test_weighted_observable():
    """{"x": 1, "y": -1} is x - y = sqrt(2) r cos(theta + pi/4): max sqrt(2) r."""
    res = brute_force(HO, "omega", [TWO_PI * 10], {"x": 1, "y": -1}, duration=0.6,
                      transient=0.1, dt=1e-4, x0=[1.0, 0.0])
    assert res.observable == "x - y"
    assert res.max[0, 0] == pytest.approx(np.sqrt(2), rel=1e-5)
    assert res.min[0, 0] == pytest.approx(-np.sqrt(2), rel=1e-5)


def test_fixed_point_has_no_period():
    """Started at the centre nothing moves: max = min = 0, no period."""
    res = brute_force(HO, "omega", [TWO_PI * 10], "x", duration=0.5, transient=0.1, dt=1e-3,
                      x0=[0.0, 0.0])
    assert res.max[0, 0] == 0.0 and res.min[0, 0] == 0.0
    assert np.isnan(res.period[0, 0])


# ----------------------------------------------------------------------------- against simulate
@pytest.mark.parametrize("method", ["euler", "heun", "rk4"])
def test_sweep_entry_equals_a_simulate_run(method):
    """Same dt and scheme: the parallel sweep's statistics are those of rs.simulate's
    trajectory after the transient."""
    omegas = TWO_PI * np.array([4.0, 7.0, 11.0])
    dt, duration, transient = 1e-3, 2.0, 0.7
    x0 = [0.8, -0.3]
    res = brute_force(HO, "omega", omegas, "x", duration=duration, transient=transient,
                      dt=dt, method=method, x0=x0)
    ntrans = int(round(transient / dt))
    for i, om in enumerate(omegas):
        sim = rs.simulate(HO, duration, dt, method=method, x0=x0, params={"omega": om})
        x = sim.x[ntrans:]
        assert abs(res.max[i, 0] - x.max()) < 1e-9
        assert abs(res.min[i, 0] - x.min()) < 1e-9
        assert abs(res.mean[i, 0] - x.mean()) < 1e-9


def test_record_every_samples_the_simulate_record():
    dt, every = 1e-3, 7
    res = brute_force(HO, "omega", [TWO_PI * 3.3], {"x": 2.0, "y": 0.5}, duration=1.4,
                      transient=0.35, dt=dt, method="rk4", x0=[0.8, -0.3], record_every=every)
    sim = rs.simulate(HO, 1.4, dt, x0=[0.8, -0.3], params={"omega": TWO_PI * 3.3})
    o = (2.0 * sim.x + 0.5 * sim.y)[350::every]
    assert abs(res.max[0, 0] - o.max()) < 1e-9
    assert abs(res.min[0, 0] - o.min()) < 1e-9
    assert abs(res.mean[0, 0] - o.mean()) < 1e-9


def test_locking_map_phase_advance_equals_simulate():
    """The drive is sampled at the same stage times as rs.forcing.Sine in simulate."""
    eps, f, dt = 5.0, 10.0, 1e-3
    L = locking_map(PO, [eps], [f], params={"omega": TWO_PI * 9.8}, duration=3.0,
                    transient=1.0, dt=dt)
    sim = rs.simulate(PO, 3.0, dt, params={"omega": TWO_PI * 9.8},
                      drive=rs.forcing.Sine(amplitude=eps, frequency=f))
    th = sim.theta
    nmeas = 2000                                   # 2 s = 20 whole drive periods
    f_sim = (th[1000 + nmeas] - th[1000]) / (nmeas * dt) / TWO_PI
    assert L.frequency[0, 0] == pytest.approx(f_sim, rel=1e-10)
    assert L.rho[0, 0] == pytest.approx(f_sim / f, rel=1e-10)


# ----------------------------------------------------------------------------- divergence
def test_diverging_runs_are_nan_and_reported():
    """Euler on a centre grows by sqrt(1 + (omega dt)^2) per step: at omega dt = 0.2 it
    overflows after ~36000 steps; at omega dt = 0.002 it stays bounded."""
    dt = 2e-4
    res = brute_force(HO, "omega", [10.0, 1000.0], "x", duration=10.0, transient=1.0, dt=dt,
                      method="euler", x0=[1.0, 0.0])
    np.testing.assert_array_equal(res.diverged[:, 0], [False, True])
    assert np.isfinite(res.max[0, 0]) and np.isfinite(res.period[0, 0])
    for a in (res.max, res.min, res.mean, res.period):
        assert np.isnan(a[1, 0])
    assert 5.0 < res.t_diverged[1, 0] < 10.0 and np.isnan(res.t_diverged[0, 0])
    np.testing.assert_array_equal(res.diverged_values, [1000.0])
    assert "1 run(s) diverged" in res.describe()


# ----------------------------------------------------------------------------- locking
def test_adler_tongue_of_the_phase_oscillator():
    """theta' = omega - eps sin(Omega t) sin(theta): averaging gives the Adler equation
    psi' = omega - Omega - (eps/2) cos(psi), locked 1:1 iff |Omega - omega| <= eps/2."""
    omega = TWO_PI * 10
    eps = TWO_PI * 1.0
    inside = np.array([-0.3, 0.0, 0.3]) * eps
    outside = np.array([-0.8, 0.8]) * eps
    detunings = np.concatenate([outside[:1], inside, outside[1:]])
    freqs = (omega + detunings) / TWO_PI
    L = locking_map(PO, [eps], freqs, params={"omega": omega}, channel="ux", duration=20.0,
                    transient=8.0, dt=1e-3)
    assert isinstance(L, LockingMap) and L.rho.shape == (1, 5)
    assert L.phase == "theta"
    rho = L.rho[0]
    assert np.all(np.abs(rho[1:4] - 1.0) < 1e-3)
    assert np.all(np.abs(rho[[0, 4]] - 1.0) > 1e-2)
    np.testing.assert_array_equal(L.locked(1, 1)[0], [False, True, True, True, False])
    # outside the tongue the phase slips at the beat sqrt(D^2 - (eps/2)^2), to first order
    beat = np.sqrt(0.8 ** 2 - 0.25) * eps
    assert abs(rho[4] * TWO_PI * freqs[4] - (TWO_PI * freqs[4] - beat)) < 0.1 * beat


def test_unforced_rotation_number_is_the_frequency_ratio():
    """With zero amplitude rho = omega / (2 pi f): as a phase (phase oscillator) and as
    the angle of (x, y) (harmonic oscillator, the default for two states)."""
    freqs = np.array([6.0, 10.0, 15.0])
    Lp = locking_map(PO, [0.0], freqs, params={"omega": TWO_PI * 10}, duration=2.0,
                     transient=0.5, dt=1e-3)
    np.testing.assert_allclose(Lp.rho[0], 10.0 / freqs, rtol=1e-9)
    Lh = locking_map(HO, [0.0], freqs, params={"omega": TWO_PI * 10}, duration=2.0,
                     transient=0.5, dt=1e-3, x0=[1.0, 0.0])
    assert Lh.phase == "angle(x, y)"
    np.testing.assert_allclose(Lh.rho[0], 10.0 / freqs, rtol=1e-6)
    # rho counts turns in either sense; the signed frequency keeps the sense
    Ln = locking_map(PO, [0.0], freqs, params={"omega": -TWO_PI * 10}, duration=2.0,
                     transient=0.5, dt=1e-3)
    np.testing.assert_allclose(Ln.rho[0], 10.0 / freqs, rtol=1e-9)
    np.testing.assert_allclose(Ln.frequency[0], -10.0, rtol=1e-9)


# ----------------------------------------------------------------------------- plots
def test_plots_label_axes_from_metadata():
    res = brute_force(HO, "omega", TWO_PI * np.array([5.0, 10.0]), "x", duration=0.5,
                      transient=0.1, dt=1e-3, x0=[1.0, 0.0], n_starts=2)
    ax = res.plot()
    assert ax.get_xlabel() == r"$\omega$ (rad/s)"
    assert ax.get_ylabel() == "x"
    L = locking_map(PO, [0.0, 3.0, 6.0], [9.0, 10.0, 11.0], duration=2.0, transient=0.5, dt=1e-3)
    ax = L.plot()
    assert ax.get_xlabel() == "drive frequency (Hz)"
    import matplotlib.pyplot as plt
    plt.close("all")


# ----------------------------------------------------------------------------- errors
E = rs.ParameterError
KW = dict(duration=1.0, transient=0.5, dt=1e-3)


@pytest.mark.parametrize("call, pattern", [
    (lambda: brute_force(HO, "omga", [1.0], "x", **KW), r"no parameter 'omga'.*valid names: omega"),
    (lambda: brute_force(HO, "omega", [1.0], "z", **KW), r"no state variable 'z'.*valid names: x, y"),
    (lambda: brute_force(HO, "omega", [1.0], {"x": 1, "q": 2}, **KW), r"no state variable 'q'"),
    (lambda: brute_force(HO, "omega", [1.0], {"x": 0}, **KW), r"all zero"),
    (lambda: brute_force(HO, "omega", [1.0], 3, **KW), r"observable must be a state name"),
    (lambda: brute_force(HO, "omega", [-1.0], "x", **KW), r"'omega'.*not physical"),
    (lambda: brute_force(HO, "omega", [1.0, np.nan], "x", **KW), r"must be finite"),
    (lambda: brute_force(HO, "omega", [], "x", **KW), r"non-empty"),
    (lambda: brute_force(HO, "omega", [1000.0], "x", duration=1.0, transient=0.5, dt=1e-3),
     r"dt = 0\.001 s is too large"),
    (lambda: brute_force(HO, "omega", [1.0], "x", duration=1.0, transient=1.0, dt=1e-3),
     r"transient .* must be shorter than the duration"),
    (lambda: brute_force(HO, "omega", [1.0], "x", duration=1.0, transient=-0.1, dt=1e-3),
     r"transient must be a number"),
    (lambda: brute_force(HO, "omega", [1.0], "x", duration=-1.0, transient=0.0, dt=1e-3),
     r"duration must be a positive"),
    (lambda: brute_force(HO, "omega", [1.0], "x", duration=1.0, transient=0.5, dt=0.0),
     r"dt must be a positive"),
    (lambda: brute_force(HO, "omega", [1.0], "x"), r"needs duration, transient and dt"),
    (lambda: brute_force(HO, "omega", [1.0], "x", method="rk5", **KW), r"unknown method 'rk5'"),
    (lambda: brute_force(HO, "omega", [1.0], "x", n_starts=0, **KW), r"n_starts must be a positive"),
    (lambda: brute_force(HO, "omega", [1.0], "x", record_every=1.5, **KW), r"record_every"),
    (lambda: brute_force(HO, "omega", [1.0], "x", params={"omega": 2.0}, **KW), r"swept parameter"),
    (lambda: brute_force(HO, "omega", [1.0], "x", x0=[1.0, 2.0, 3.0], **KW), r"x0 must have shape"),
    (lambda: brute_force(HO, "omega", [1.0], "x", x0=np.zeros((3, 2)), n_starts=2, **KW),
     r"m <= n_starts"),
    (lambda: brute_force("nope", "omega", [1.0], "x", **KW), r"no model named 'nope'"),
    (lambda: locking_map(PO, [1.0], [0.0], **KW), r"frequencies must be > 0 Hz"),
    (lambda: locking_map(PO, [1.0], [10.0], channel="uz", **KW), r"has no input 'uz'"),
    (lambda: locking_map(PO, [1.0], [10.0], phase_variable="phi", **KW), r"no state variable 'phi'"),
    (lambda: locking_map(HO, [1.0], [10.0], phase_variable=("x", "x"), **KW), r"two different"),
    (lambda: locking_map(PO, [1.0], [1.0], duration=1.0, transient=0.5, dt=1e-3),
     r"shorter than one period of the slowest drive \(1 Hz"),
    (lambda: locking_map(PO, [np.inf], [10.0], **KW), r"amplitudes must be finite"),
    (lambda: locking_map(PO, [1.0], [10.0], params={"alpha": 9.0}, **KW), r"'alpha'.*not physical"),
])
def test_bad_inputs_raise_parameter_error(call, pattern):
    with pytest.raises(E, match=pattern):
        call()


def test_pulse_train_locking_map_equals_simulate():
    """A PulseTrain template: each grid point runs the train of its (A, f), sampled as
    rs.forcing.PulseTrain is in simulate; start and width are kept from the template."""
    A, f, dt = 40.0, 9.0, 1e-3
    template = rs.forcing.PulseTrain(width=0.02, start=0.1)
    L = locking_map(PO, [0.0, A], [f, 12.0], params={"omega": TWO_PI * 9.8}, channel="ux",
                    duration=3.0, transient=1.0, dt=dt, drive=template)
    assert L.drive == "PulseTrain" and L.channel == "ux"
    np.testing.assert_allclose(L.rho[0], 9.8 / np.array([f, 12.0]), rtol=1e-9)
    sim = rs.simulate(PO, 3.0, dt, params={"omega": TWO_PI * 9.8},
                      drive=rs.forcing.PulseTrain(channel="ux", amplitude=A, frequency=f,
                                                  width=0.02, start=0.1))
    nmeas = int(round(np.floor(2.0 * f) / f / dt))        # whole drive periods in 2 s
    f_sim = (sim.theta[1000 + nmeas] - sim.theta[1000]) / (nmeas * dt) / TWO_PI
    assert L.frequency[1, 0] == pytest.approx(f_sim, rel=1e-10)
    # the kicks change the phase's speed: this grid point is not the free rotation
    assert abs(L.frequency[1, 0] - 9.8) > 1e-3


@pytest.mark.parametrize("kw, match", [
    (dict(drive=rs.forcing.Step(amplitude=1.0)), "must be a Sine or a PulseTrain"),
    (dict(drive=rs.forcing.PulseTrain(width=0.2)), "do not fit in the period"),
    (dict(drive=rs.forcing.Sine(nodes=[0])), "leave its nodes unset"),
    (dict(drive=rs.forcing.Sine(channel="ux"), channel="uy"), "disagree"),
])
def test_locking_map_drive_template_errors(kw, match):
    with pytest.raises(rs.ParameterError, match=match):
        locking_map(PO, [1.0], [8.0], duration=2.0, transient=0.5, dt=1e-3, **kw)
