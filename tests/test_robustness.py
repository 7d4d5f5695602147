"""Issue 8: every bad input gets a clear error, and nothing runs away.

One test (or one row of a table) per reproducer of the issue, grouped as the issue groups
them, each asserting the error class and a meaningful part of its message; then
property-based tests (hypothesis) that throw junk at every argument of the public entry
points: each call returns finite results or raises a rosetta error, within a time limit.
"""
import math
import signal
import warnings
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import rosetta as rs
from rosetta.cycles import continue_cycles
from rosetta.integrate import MAX_BYTES, MAX_STEPS
from rosetta.models.normal_forms import cusp

F = rs.forcing
nan = float("nan")
PO, HO, SL, JR, MPR = ("phase_oscillator", "harmonic_oscillator", "stuart_landau",
                       "jansen_rit", "montbrio_pazo_roxin")
JR_OBS = {"y1": 1, "y2": -1}


def _diff_from_undriven(drive):
    base = rs.simulate(HO, 0.3, 1e-3)
    return np.abs(rs.simulate(HO, 0.3, 1e-3, drive=drive).data - base.data).max()


@contextmanager
def time_limit(seconds):
    """Fail a call that takes longer than ``seconds`` (a hang, or a runaway size)."""
    def fail(*_):
        raise AssertionError(f"took longer than {seconds} s")
    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# =============================================================================
# Silently wrong, or a hang
# =============================================================================
@pytest.mark.parametrize("make, fragment", [
    (lambda: F.Step(amplitude=50.0, t_on=0.1, t_off=nan), r"Step: t_off must be a number \(inf allowed\), not NaN"),
    (lambda: F.Step(amplitude=50.0, t_on=nan, t_off=1.0), r"Step: t_on must be finite"),
    (lambda: F.PulseTrain(amplitude=50.0, frequency=10.0, width=0.01, stop=nan), r"PulseTrain: stop must be a number \(inf allowed\), not NaN"),
    (lambda: F.PulseTrain(amplitude=50.0, frequency=10.0, width=0.01, start=nan), r"PulseTrain: start must be finite"),
    (lambda: F.PulseTrain(amplitude=50.0, frequency=10.0, width=0.01, start=0.3, stop=0.1), r"PulseTrain: stop \(0\.1 s\) must come after start \(0\.3 s\)"),
    (lambda: F.PulseTrain(amplitude=50.0, frequency=10.0, width=0.01, start=0.3, stop=0.3), r"must come after start"),
])
def test_nan_or_reversed_drive_times_are_refused(make, fragment):
    with pytest.raises(rs.ParameterError, match=fragment):
        make()


def test_valid_drive_times_still_drive():
    assert _diff_from_undriven(F.Step(amplitude=50.0, t_on=0.1, t_off=0.2)) > 0.1
    assert _diff_from_undriven(F.PulseTrain(amplitude=50.0, frequency=10.0, width=0.01,
                                            start=0.1, stop=0.25)) > 0.01
    assert _diff_from_undriven(F.Step(amplitude=50.0, t_on=0.1)) > 0.1     # t_off = inf


def test_complex_coupling_is_refused():
    with pytest.raises(rs.ParameterError, match=r"coupling matrix C must be real, got a complex"):
        rs.network(SL, np.ones((2, 2)) * (1 + 1j))


@pytest.mark.parametrize("u", [[nan], [np.inf], {"P": nan}])
def test_fixed_points_with_a_nan_input(u):
    with pytest.raises(rs.ParameterError, match=r"jansen_rit: input u must be finite"):
        rs.fixed_points(JR, u=u)


@pytest.mark.parametrize("kw, fragment", [
    (dict(ds=nan), r"ds must be a finite number > 0"),
    (dict(ds=0.0), r"ds must be a finite number > 0"),
    (dict(ds=-0.01), r"ds must be a finite number > 0"),
    (dict(ds="0.01"), r"ds must be a finite number > 0.*'0\.01'"),
    (dict(ds_max=-1.0), r"ds_max must be a finite number > 0"),
    (dict(ds_max=0.0), r"ds_max must be a finite number > 0"),
    (dict(ds_max=np.inf), r"ds_max must be a finite number > 0"),
    (dict(ds=0.1, ds_max=0.01), r"ds \(0\.1\) must not exceed ds_max \(0\.01\)"),
])
def test_bad_continuation_steps_raise_at_once(kw, fragment):
    with time_limit(120), pytest.raises(rs.ParameterError, match=fragment):
        rs.bifurcation_diagram(SL, "alpha", (-1, 1), **kw)


def test_ds_max_alone_still_finds_the_hopf_point():
    d = rs.bifurcation_diagram(SL, "alpha", (-1, 1), ds_max=0.01, cycles=False)
    assert [p.label for p in d.special()] == ["HB+"]


@pytest.mark.parametrize("p_range, fragment", [
    ((-1, 1, 5), r"p_range must be exactly two numbers \(low, high\).*got 3 value\(s\)"),
    ((1,), r"p_range must be exactly two numbers.*got 1 value\(s\)"),
    ((), r"p_range must be exactly two numbers.*got 0 value\(s\)"),
    ("ab", r"p_range must be two numbers \(low, high\).*got 'ab'"),
    (1.0, r"p_range must be two numbers \(low, high\)"),
    (None, r"p_range must be two numbers"),
    ((1, -1), r"p_range must be increasing \(low < high\), got \(1, -1\)"),
    ((0, 0), r"p_range must be increasing"),
    ((0, nan), r"p_range must be finite"),
    ((-np.inf, 1), r"p_range must be finite"),
    ((0, "1"), r"p_range .* must be a number or an array of numbers"),
    ((0, 1j), r"p_range .*real \(not complex\)"),
])
def test_a_range_is_exactly_two_increasing_finite_numbers(p_range, fragment):
    with pytest.raises(rs.ParameterError, match=fragment):
        rs.bifurcation_diagram(SL, "alpha", p_range)
    with pytest.raises(rs.ParameterError, match=fragment):
        rs.continue_equilibria(SL, "alpha", p_range)


def test_a_range_outside_the_domain_is_refused():
    with pytest.raises(rs.ParameterError, match=r"p_range \(-10, -1\) lies outside the domain of 'b'"):
        rs.bifurcation_diagram(JR, "b", (-10, -1))


@pytest.mark.parametrize("p_range", [(1e-12, 150.5), (-50.0, 150.5)])
def test_continuation_stays_in_the_parameter_domain(p_range):
    """Jansen-Rit's b has domain [1e-12, inf): no branch point, no special point outside
    it, a range reaching below is clipped to it, and no spurious fold near b = 0 (where
    the equilibrium runs off to infinity like 1/b)."""
    lo_domain = rs.models[JR].parameter("b").domain[0]
    with time_limit(600):                  # a hang guard only (it used to take 31 s)
        d = rs.bifurcation_diagram(JR, "b", p_range, observable=JR_OBS)
    for b in d.branches:
        assert np.all(b.param >= lo_domain) and np.all(b.param <= 150.5)
        assert np.all(np.isfinite(b.states))
    assert all(lo_domain <= p.param <= 150.5 for p in d.points)
    labels = [(p.label, round(p.param, 1)) for p in d.special()]
    assert labels == [("SN", 29.5), ("SNIC", 47.3), ("SNLC", 48.7), ("SNLC", 50.8),
                      ("HB+", 51.9)]


def test_continue_equilibria_refuses_a_start_outside_the_range():
    with pytest.raises(rs.ParameterError, match=r"p0 must be a number in p_range \[-1, 1\]"):
        rs.continue_equilibria(SL, "alpha", (-1, 1), x0=[0.0, 0.0], p0=2.0)


def test_a_diagram_lists_each_special_point_once():
    """Jansen-Rit in e0 over (0, 8.5): the cycle branch's end near e0 = 5.69 was listed as a
    fold of cycles four times."""
    d = rs.bifurcation_diagram(JR, "e0", (0, 8.5), observable=JR_OBS)
    pts = d.special()
    for i, p in enumerate(pts):
        for q in pts[i + 1:]:
            assert not (p.label == q.label and abs(p.param - q.param) < 1e-4 * (1 + abs(p.param))), (p, q)
    # the period blows up once (listed once, as SNIC or HOM); the fold of cycles that the
    # tangent's flicker used to report at that very point is gone
    ends = d.special("SNIC") + d.special("HOM")
    assert len(ends) == 1 and 5.6 < ends[0].param < 5.7
    assert not [p for p in d.special("SNLC") if abs(p.param - 5.69) < 0.01]
    assert all(0 <= p.param <= 8.5 for p in pts)


# =============================================================================
# Runaway sizes: refused before allocating, with the size and the fix
# =============================================================================
@pytest.mark.parametrize("duration, dt", [(1.0, 1e-300), (1.0, 1e-12), (1e9, 1e-3)])
def test_step_count_is_capped(duration, dt):
    with time_limit(60), pytest.raises(
            rs.ParameterError, match=r"steps, more than the cap of 1e\+09 \(rosetta\.integrate\."
                                     r"MAX_STEPS\); use a larger dt \(>= .*\) or a shorter duration"):
        rs.simulate(PO, duration, dt)


def test_step_count_is_capped_in_sweeps():
    with time_limit(60), pytest.raises(rs.ParameterError, match=r"each run would take .* steps, more than the cap"):
        rs.brute_force(PO, "omega", [1.0], "theta", duration=1e9, transient=0.0, dt=1e-3)
    with time_limit(60), pytest.raises(rs.ParameterError, match=r"steps, more than the cap"):
        rs.locking_map(PO, [0.1], [1.0], duration=1e9, transient=0.0, dt=1e-3)


@pytest.mark.parametrize("every, fragment", [
    (10**30, r"record_every = 10{30} is more than the run's 100 steps.*use record_every <= 100"),
    (np.inf, r"record_every must be a positive integer \(keep every k-th step\), got inf"),
    (nan, r"record_every must be a positive integer .*got nan"),
    (None, r"record_every must be a positive integer .*got None"),
    (True, r"record_every must be a positive integer .*got True"),
    ("2", r"record_every must be a positive integer .*got '2'"),
])
def test_record_every_is_checked(every, fragment):
    with time_limit(60), pytest.raises(rs.ParameterError, match=fragment):
        rs.simulate(PO, 0.1, 1e-3, record_every=every)


def test_record_every_accepts_integral_values():
    assert rs.simulate(PO, 0.1, 1e-3, record_every=np.int64(5)).t.size == 21
    assert rs.simulate(PO, 0.1, 1e-3, record_every=5.0).t.size == 21


def test_record_size_is_capped_with_the_fix():
    """1e9 steps is allowed, but recording each one is 7.45 GiB: refused, with the
    record_every that fits."""
    with time_limit(60), pytest.raises(
            rs.ParameterError, match=r"the record of 1e\+09 samples x 1 node\(s\) x 1 states would "
                                     r"take 7\.45 GiB, more than the cap of 4 GiB.*record_every=2"):
        rs.simulate(PO, 1e6, 1e-3)


def test_sampled_drive_table_is_capped():
    with time_limit(60), pytest.raises(rs.ParameterError, match=r"the table of 1 sampled drive\(s\) .* would take 14\.9 GiB"):
        rs.simulate(PO, 1e6, 1e-3, record_every=1000, drive=F.Array(values=[0, 1], times=[0, 1]))


def test_long_delays_are_capped():
    net = rs.network(PO, np.ones((2, 2)), delays=np.full((2, 2), 1e7))
    fragment = r"the longest delay, 1e\+07 model time units, is 1e\+10 steps of dt = 0\.001, more than the cap"
    with time_limit(60), pytest.raises(rs.ParameterError, match=fragment):
        rs.simulate(net, 0.1, 1e-3)
    with time_limit(60), pytest.raises(rs.ParameterError, match=fragment):
        rs.brute_force(net, "G", [1.0], "theta", duration=0.1, transient=0.0, dt=1e-3)


def test_a_tiny_velocity_is_caught():
    net = rs.network(PO, np.ones((2, 2)), lengths=np.full((2, 2), 50.0), velocity=1e-300)
    with time_limit(60), pytest.raises(rs.ParameterError, match=r"the longest delay, .* more than the cap"):
        rs.simulate(net, 0.1, 1e-3)
    with pytest.raises(rs.ParameterError, match=r"delays too long to represent; check the units"):
        rs.network(PO, np.ones((2, 2)), lengths=np.full((2, 2), 50.0), velocity=5e-324)


def test_history_sized_by_a_time_scale_near_zero():
    """Montbrio-Pazo-Roxin with tau near zero forces a tiny dt (2e-11 ms); a delay of 1 ms
    is then 5e10 steps of history (over the step cap), and 0.01 ms is 5e8 steps x 2 nodes
    (over the memory cap)."""
    params = {"tau": 1e-9}
    net = rs.network(MPR, np.ones((2, 2)), delays=np.full((2, 2), 1.0), params=params)
    with time_limit(60), pytest.raises(rs.ParameterError, match=r"is 5e\+10 steps of dt = 2e-11, more than the cap"):
        rs.simulate(net, 1e-9, 2e-11)
    net = net.with_(delays=np.full((2, 2), 0.01))
    with time_limit(60), pytest.raises(rs.ParameterError, match=r"the delay history of 500000001 steps x 1 output\(s\) x 2 node\(s\) would take 7\.45 GiB.*shorten the delays"):
        rs.simulate(net, 1e-9, 2e-11)


def test_caps_are_module_constants():
    assert MAX_STEPS == 10**9 and MAX_BYTES == 4 * 2**30


# =============================================================================
# Wrong kinds of input: a ParameterError naming the argument
# =============================================================================
HOPF = rs.SpecialPoint("HB+", 0.0, np.zeros(2), 0.0, frequency=1.0)
CUSP = cusp
FOLD = rs.SpecialPoint("SN", 0.0, np.zeros(1), 0.0)


def _sim(**kw):
    args = dict(target=PO, duration=0.01, dt=1e-3)
    args.update(kw)
    return rs.simulate(**args)


KINDS = [
    # params: strings, complex numbers, a bare string, a number, a list, booleans
    ("params str value", lambda: _sim(params={"omega": "1"}), r"parameter 'omega' .*must be a number.*got '1' \(str\)"),
    ("params complex", lambda: _sim(params={"omega": 1j}), r"parameter 'omega' .*real \(not complex\)"),
    ("params bool", lambda: _sim(params={"omega": True}), r"parameter 'omega' .*got booleans"),
    ("params bare str", lambda: _sim(params="omega"), r"params must be a dict of parameter overrides \{name: value\}.*got 'omega' \(str\)"),
    ("params number", lambda: _sim(params=3.0), r"params must be a dict.*got 3\.0 \(float\)"),
    ("params list", lambda: _sim(params=[1, 2]), r"params must be a dict.*got \[1, 2\] \(list\)"),
    ("params on a network", lambda: _sim(target=rs.network(PO, np.zeros((2, 2))), params="x"), r"params must be a dict"),
    ("network params str", lambda: rs.network(PO, np.zeros((2, 2)), params="omega"), r"params must be a dict"),
    ("fixed_points params", lambda: rs.fixed_points(SL, params=[1.0]), r"params must be a dict"),
    ("diagram params", lambda: rs.bifurcation_diagram(SL, "alpha", (-1, 1), params=1.0), r"params must be a dict"),
    # duration and dt
    ("duration str", lambda: _sim(duration="1"), r"duration must be a number of s, got '1' \(str\)"),
    ("duration None", lambda: _sim(duration=None), r"duration must be a number of s, got None"),
    ("duration bool", lambda: _sim(duration=True), r"duration must be a number of s, got True \(bool\)"),
    ("duration nan", lambda: _sim(duration=nan), r"duration must be a positive number of s, got nan"),
    ("dt bool", lambda: _sim(dt=True), r"dt must be a positive number of s, got True"),
    ("dt list", lambda: _sim(dt=[1e-3]), r"dt must be a positive number of s"),
    # x0: ragged, strings, complex
    ("x0 ragged", lambda: _sim(target=HO, x0=[[0.0, 1.0], [1.0]]), r"x0 \(the initial state\) must be a number or an array of numbers \(a rectangular array, not a ragged list\)"),
    ("x0 strings", lambda: _sim(target=HO, x0=["a", "b"]), r"x0 \(the initial state\) must be .*got strings"),
    ("x0 str", lambda: _sim(target=HO, x0="abc"), r"x0 \(the initial state\) must be .*got 'abc' \(str\)"),
    ("x0 complex", lambda: _sim(target=HO, x0=[1j, 0]), r"x0 \(the initial state\) .*real \(not complex\)"),
    ("x0 object", lambda: _sim(target=HO, x0=[1.0, None]), r"x0 \(the initial state\) .*None \(NoneType\) is not a number"),
    # method
    ("method list", lambda: _sim(method=["rk4"]), r"unknown method \['rk4'\]; valid methods: euler, heun, rk4"),
    ("method int", lambda: _sim(method=3), r"unknown method 3; valid methods"),
    ("method None", lambda: _sim(method=None), r"unknown method None; valid methods"),
    # drive amplitudes: strings, None, arrays; and other drive fields
    ("Sine amplitude str", lambda: F.Sine(amplitude="1"), r"Sine: amplitude must be a number, got '1' \(str\)"),
    ("Sine amplitude None", lambda: F.Sine(amplitude=None), r"Sine: amplitude must be a number, got None"),
    ("Sine amplitude array", lambda: F.Sine(amplitude=np.ones(3)), r"Sine: amplitude must be a number, got \[1\. 1\. 1\.\] \(ndarray\)"),
    ("Sine frequency bool", lambda: F.Sine(frequency=True), r"Sine: frequency must be a number of Hz, got True"),
    ("Constant value str", lambda: F.Constant(value="1"), r"Constant: value must be a number"),
    ("Constant value array", lambda: F.Constant(value=[1.0, 2.0]), r"Constant: value must be a number"),
    ("Step amplitude None", lambda: F.Step(amplitude=None), r"Step: amplitude must be a number"),
    ("Step t_on str", lambda: F.Step(t_on="0"), r"Step: t_on must be a number of s"),
    ("PulseTrain amplitude str", lambda: F.PulseTrain(amplitude="1"), r"PulseTrain: amplitude must be a number"),
    ("PulseTrain width None", lambda: F.PulseTrain(width=None), r"PulseTrain: width must be a number of s"),
    ("Noise sigma str", lambda: F.Noise(sigma="0.1"), r"Noise: sigma must be a number"),
    ("Array values str", lambda: F.Array(values=["a", "b"], times=[0, 1]), r"Array: values must be a number or an array of numbers, got strings"),
    ("Array times complex", lambda: F.Array(values=[0, 1], times=[0, 1j]), r"Array: times \(s\) .*real \(not complex\)"),
    ("channel int", lambda: F.Sine(channel=1), r"Sine: channel must be an input name \(a string\) or None"),
    ("rotating channels", lambda: F.rotating(1.0, 1.0, channels="ux"), r"rotating: channels must be two different input names.*got 'ux'"),
    ("rotating same channels", lambda: F.rotating(1.0, 1.0, channels=("ux", "ux")), r"rotating: channels must be two different"),
    ("drive int", lambda: _sim(drive=5), r"drive must be a rosetta.forcing Drive or a list of them, got int"),
    ("drive list of str", lambda: _sim(drive=["Sine"]), r"drive must be a rosetta.forcing Drive, got str"),
    # nodes
    ("nodes float index", lambda: _sim(target=rs.network(PO, np.zeros((2, 2))), drive=F.Sine(nodes=[1.5])), r"Sine: nodes must be indices or 2 finite weights, got shape \(1,\).*for node indices give integers"),
    ("nodes nan weight", lambda: F.Sine(nodes=[nan, 1.0]), r"Sine: per-node weights \(nodes\) must be finite, got \[nan, 1\.0\]: replace the NaN"),
    ("nodes duplicate", lambda: F.Sine(nodes=[1, 1]), r"Sine: node indices must be distinct, got \[1, 1\].*for per-node weights give floats, e\.g\. \[1\.0, 1\.0\]"),
    ("nodes str", lambda: F.Sine(nodes="01"), r"Sine: nodes must be a list of node indices"),
    ("nodes int", lambda: F.Sine(nodes=3), r"Sine: nodes must be a list of node indices"),
    ("nodes empty", lambda: F.Sine(nodes=[]), r"Sine: nodes must be .*not empty"),
    ("nodes out of range", lambda: _sim(target=rs.network(PO, np.zeros((2, 2))), drive=F.Sine(nodes=[2])), r"Sine: node indices must lie in \[0, 1\]"),
    # C: ragged, strings
    ("C ragged", lambda: rs.network(PO, [[0, 1], [1]]), r"coupling matrix C must be a number or an array of numbers \(a rectangular array, not a ragged list\)"),
    ("C strings", lambda: rs.network(PO, [["a", "b"], ["c", "d"]]), r"coupling matrix C must be .*got strings"),
    ("C None", lambda: rs.network(PO, None), r"coupling matrix C must be a number or an array of numbers, got None"),
    # G: string, None, list, bool
    ("G str", lambda: rs.network(PO, np.ones((2, 2)), G="1"), r"G must be a finite number \(the global coupling gain\), got '1'"),
    ("G None", lambda: rs.network(PO, np.ones((2, 2)), G=None), r"G must be a finite number.*got None"),
    ("G list", lambda: rs.network(PO, np.ones((2, 2)), G=[1, 2]), r"G must be a finite number.*got \[1, 2\]"),
    ("G bool", lambda: rs.network(PO, np.ones((2, 2)), G=True), r"G must be a finite number.*got True"),
    # velocity, delays, lengths: strings
    ("velocity str", lambda: rs.network(PO, np.ones((2, 2)), lengths=np.ones((2, 2)), velocity="5"), r"velocity must be a positive number of m/s, got '5'"),
    ("delays str", lambda: rs.network(PO, np.ones((2, 2)), delays="1"), r"network: delays must be a number or an array of numbers, got '1' \(str\)"),
    ("lengths strings", lambda: rs.network(PO, np.ones((2, 2)), lengths=[["1", "2"], ["3", "4"]], velocity=5.0), r"network: lengths must be .*got strings"),
    ("normalize array", lambda: rs.network(PO, np.ones((2, 2)), normalize=np.ones(2)), r"normalize must be one of"),
    ("coupling list", lambda: rs.network(PO, np.ones((2, 2)), coupling=["additive"]), r"coupling must be 'additive' or 'diffusive'"),
    ("projections int", lambda: rs.network(PO, np.ones((2, 2)), projections=5), r"projections must be a list of rosetta.Projection objects, got int"),
    ("projection source list", lambda: rs.network(PO, np.ones((2, 2)), projections=[rs.Projection(["x"], "ux")]), r"a projection's source and target must be names \(strings\)"),
    # seeds: negative, fractional, NaN, strings (with and without noise)
    *[(f"seed {s!r}{' noisy' if noisy else ''}",
       (lambda s=s, noisy=noisy: _sim(method="euler", seed=s, drive=F.Noise(sigma=0.1) if noisy else None)),
       r"seed must be an integer >= 0 \(or None without noise\), got " + pat)
      for s, pat in ((-1, r"-1 \(int\)"), (1.5, r"1\.5 \(float\)"), (nan, r"nan \(float\)"), ("1", r"'1' \(str\)"), (True, r"True \(bool\)"))
      for noisy in (False, True)],
    ("seed None noisy", lambda: _sim(method="euler", seed=None, drive=F.Noise(sigma=0.1)), r"a noisy run needs an integer seed"),
    ("brute_force seed", lambda: rs.brute_force(PO, "omega", [1.0], "theta", duration=0.1, transient=0.0, dt=1e-3, seed=-1), r"seed must be an integer >= 0"),
    ("fixed_points seed", lambda: rs.fixed_points(SL, seed=1.5), r"seed must be an integer >= 0"),
    # n_starts
    ("brute_force n_starts", lambda: rs.brute_force(PO, "omega", [1.0], "theta", duration=0.1, transient=0.0, dt=1e-3, n_starts=2.5), r"n_starts must be a positive integer, got 2\.5"),
    ("fixed_points n_starts", lambda: rs.fixed_points(SL, n_starts=2.5), r"n_starts must be an integer in \[1, 100000\] \(Newton starts\), got 2\.5"),
    ("fixed_points n_starts huge", lambda: rs.fixed_points(SL, n_starts=10**9), r"n_starts must be an integer in \[1, 100000\]"),
    ("diagram n_starts", lambda: rs.bifurcation_diagram(SL, "alpha", (-1, 1), n_starts=2.5), r"n_starts must be a positive integer, got 2\.5"),
    # other arguments of the analysis entry points
    ("diagram parameter list", lambda: rs.bifurcation_diagram(SL, ["alpha"], (-1, 1)), r"parameter must be a parameter name \(a string\)"),
    ("diagram cycles str", lambda: rs.bifurcation_diagram(SL, "alpha", (-1, 1), cycles="yes"), r"cycles must be True or False"),
    ("diagram cycle_options", lambda: rs.bifurcation_diagram(SL, "alpha", (-1, 1), cycle_options=3), r"cycle_options must be a dict"),
    ("continuation max_points", lambda: rs.continue_equilibria(SL, "alpha", (-1, 1), max_points=0), r"max_points must be a positive integer"),
    ("continuation direction", lambda: rs.continue_equilibria(SL, "alpha", (-1, 1), direction=2), r"direction must be 0 \(both ways\), \+1 or -1"),
    ("fixed_points tol", lambda: rs.fixed_points(SL, tol=-1.0), r"tol must be a finite number > 0"),
    ("fixed_points u str", lambda: rs.fixed_points(SL, u="ab"), r"input u must be a number or an array of numbers"),
    ("brute_force values str", lambda: rs.brute_force(PO, "omega", "123", "theta", duration=0.1, transient=0.0, dt=1e-3), r"values of 'omega' must be a number or an array of numbers, got '123'"),
    ("brute_force x0 ragged", lambda: rs.brute_force(SL, "alpha", [1.0], "x", duration=0.1, transient=0.0, dt=1e-3, x0=[[0, 1], [1]]), r"x0 \(initial states\) must be .*ragged"),
    ("brute_force parameter", lambda: rs.brute_force(PO, 3, [1.0], "theta", duration=0.1, transient=0.0, dt=1e-3), r"parameter must be a parameter name"),
    ("locking_map amplitudes", lambda: rs.locking_map(PO, ["a"], [1.0], duration=1.0, transient=0.0, dt=1e-3), r"amplitudes must be a number or an array of numbers, got strings"),
    ("model.f state", lambda: rs.models[HO].f([nan, 0.0]), r"state x must be finite"),
    # limit cycles and two-parameter curves take the same checks
    ("continue_cycles ds", lambda: continue_cycles(SL, "alpha", {}, HOPF, (-1, 1), ds=nan), r"ds must be a finite number > 0"),
    ("continue_cycles ds_max", lambda: continue_cycles(SL, "alpha", {}, HOPF, (-1, 1), ds_max=-1.0), r"ds_max must be a finite number > 0"),
    ("continue_cycles range", lambda: continue_cycles(SL, "alpha", {}, HOPF, (-1, 1, 5)), r"p_range must be exactly two numbers"),
    ("continue_cycles ntst", lambda: continue_cycles(SL, "alpha", {}, HOPF, (-1, 1), ntst="40"), r"ntst must be a positive integer, got '40'"),
    ("continue_cycles hopf", lambda: continue_cycles(SL, "alpha", {}, 0.0, (-1, 1)), r"hopf must be a SpecialPoint"),
    ("continue_cycles stop_period", lambda: continue_cycles(SL, "alpha", {}, HOPF, (-1, 1), stop_period=nan), r"stop_period must be a finite number larger than the Hopf period"),
    ("continue_fold box", lambda: rs.continue_fold(CUSP, FOLD, ("a", "b"), ((-1, 1), (0, 1, 2))), r"box\[1\] \(the range of 'b'\) must be exactly two numbers"),
    ("continue_fold box str", lambda: rs.continue_fold(CUSP, FOLD, ("a", "b"), "box"), r"box must be two ranges"),
    ("continue_fold parameters", lambda: rs.continue_fold(CUSP, FOLD, "ab", ((-1, 1), (0, 1))), r"parameters must be two different parameter names"),
    ("continue_hopf ds", lambda: rs.continue_hopf(CUSP, FOLD, ("a", "b"), ((-1, 1), (0, 1)), ds=nan), r"ds must be a finite number > 0"),
]


@pytest.mark.parametrize("call, fragment", [k[1:] for k in KINDS], ids=[k[0] for k in KINDS])
def test_wrong_kinds_name_the_argument(call, fragment):
    with time_limit(120), pytest.raises(rs.ParameterError, match=fragment):
        call()


def test_a_valid_seed_is_accepted_without_noise():
    a = _sim(seed=12345)
    b = _sim(seed=None)
    c = _sim(seed=np.int64(3))
    np.testing.assert_array_equal(a.data, b.data)
    np.testing.assert_array_equal(a.data, c.data)
    assert a.seed is None


def test_node_indices_are_indices_and_floats_are_weights():
    """``nodes=[1, 0]`` are the indices 1 and 0 (both nodes driven), ``[1.0, 0.0]`` the
    weights of node 0 only; a boolean mask is a weight vector."""
    d = F.Constant(value=1.0, nodes=[1, 0])
    np.testing.assert_array_equal(d.weights(2), [1.0, 1.0])
    np.testing.assert_array_equal(F.Constant(value=1.0, nodes=[1.0, 0.0]).weights(2), [1.0, 0.0])
    np.testing.assert_array_equal(F.Constant(value=1.0, nodes=[True, False]).weights(2), [1.0, 0.0])


def test_a_boolean_adjacency_matrix_is_a_coupling_matrix():
    net = rs.network(PO, np.array([[False, True], [True, False]]))
    np.testing.assert_array_equal(net.C, [[0.0, 1.0], [1.0, 0.0]])


# =============================================================================
# Worth a warning
# =============================================================================
def test_an_unstable_euler_run_warns():
    """Euler on the undamped oscillator grows every step; at the model's own dt limit the
    state reaches ~1e50 in 20 s with no error (it stays finite): a RuntimeWarning says so."""
    omega = 2 * np.pi * 10
    dt = 0.99 / omega / 5
    with pytest.warns(RuntimeWarning, match=r"harmonic_oscillator: x reached .*declared range "
                      r"\[-2, 2\], \d+ orders of magnitude beyond.*euler.*try a smaller dt or method='rk4'"):
        rs.simulate(HO, 20.0, dt, method="euler", x0=[1.0, 0.0], params={"omega": omega})


def test_stable_runs_and_unwrapped_phases_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rs.simulate(HO, 20.0, 1e-3, method="rk4", x0=[1.0, 0.0], params={"omega": 2 * np.pi})
        res = rs.simulate(PO, 200.0, 1e-3, params={"omega": 2 * np.pi * 10})   # theta ~ 12566
        assert res.theta[-1] > 1e4


@pytest.mark.parametrize("drive, fragment", [
    (F.Step(amplitude=5.0, t_on=100, t_off=200), r"Step drive starts at 100 s, after the run ends \(0\.3 s\).*Drive times are in seconds.*montbrio_pazo_roxin runs in ms, so 100 ms is 0\.1 s"),
    (F.PulseTrain(amplitude=5.0, frequency=10.0, width=0.01, start=1.0), r"PulseTrain drive starts at 1 s, after the run ends"),
    (F.Array(values=[0.0, 1.0], times=[5.0, 6.0]), r"Array drive starts at 5 s.*held at an end value"),
])
def test_drive_times_outside_the_run_warn(drive, fragment):
    """Drive times are in seconds: Step(t_on=100, t_off=200) on a model in ms never
    switches on in a 300 ms run."""
    with pytest.warns(UserWarning, match=fragment):
        rs.simulate(MPR, 300.0, 1e-2, drive=drive)


def test_drive_times_inside_the_run_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rs.simulate(MPR, 300.0, 1e-2, drive=F.Step(amplitude=1.0, t_on=0.1, t_off=0.2))


# =============================================================================
# Property-based: junk at every argument of the public entry points
# =============================================================================
MODELS = sorted(rs.models)

# junk of every kind; the numbers are either invalid or small, so that a valid draw stays
# a small run (a duration of 1e5 s is valid, and would take minutes)
_special = st.sampled_from([0, -1, 0.0, -0.0, -1e-3, 1e-300, 1e300, 10**30, -10**30, nan,
                            np.inf, -np.inf, 5e-324, np.float32(0.5), np.int64(2)])
_small = st.one_of(st.floats(1e-3, 5.0), st.integers(-5, 5))
_scalar = st.one_of(st.none(), st.booleans(), _special, _small, st.text(max_size=4),
                    st.complex_numbers(max_magnitude=10), st.just(complex(nan, 1.0)))
JUNK = st.one_of(
    _scalar,
    st.lists(_scalar, max_size=4),
    st.lists(st.lists(st.floats(-5, 5), max_size=3), max_size=3),     # ragged or not
    st.dictionaries(st.text(max_size=5), _scalar, max_size=2),
    st.tuples(_scalar, _scalar),
    st.just(np.array(["a", "b"])), st.just(np.ones((2, 2))), st.just(np.array([nan, 1.0])),
    st.just(object()), st.just(lambda t: t),
)
PROPERTY = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def _call_or_parameter_error(call, seconds=300):
    """The result of ``call()``, or None if it raised a rosetta error; any other exception
    fails the test, as does a call that takes longer than ``seconds`` (a hang: generous,
    because the first call for a model may compile its kernels, 20-60 s with a cold cache)."""
    with time_limit(seconds), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = call()
        except rs.ParameterError as e:
            assert str(e), "an error needs a message"
            event("ParameterError")
            return None
        except rs.SimulationError as e:            # a valid draw whose run blows up
            assert "t =" in str(e)
            event("SimulationError")
            return None
    event("returned")
    return result


def _time_args(model):
    return (1e-3, 1e-5) if model.time_unit == "s" else (1.0, 1e-2)


SIMULATE_ARGS = ("target", "duration", "dt", "method", "x0", "params", "drive", "seed",
                 "record_every")


@PROPERTY
@given(name=st.sampled_from(MODELS), arg=st.sampled_from(SIMULATE_ARGS), junk=JUNK)
def test_simulate_takes_any_junk(name, arg, junk):
    model = rs.models[name]
    duration, dt = _time_args(model)
    kw = dict(target=model, duration=duration, dt=dt)
    kw[arg] = junk
    if arg == "dt" and isinstance(junk, (float, int)) and 0 < junk < 1e-7:
        return          # valid and long (duration / dt steps): not junk
    res = _call_or_parameter_error(lambda: rs.simulate(**kw))
    if res is not None:
        assert np.all(np.isfinite(res.data)) and np.all(np.isfinite(res.t))


NETWORK_ARGS = ("C", "G", "normalize", "coupling", "delays", "lengths", "velocity", "params",
                "projections")


@PROPERTY
@given(name=st.sampled_from(MODELS), arg=st.sampled_from(NETWORK_ARGS), junk=JUNK)
def test_network_takes_any_junk(name, arg, junk):
    model = rs.models[name]
    kw = dict(C=np.ones((2, 2)))
    if arg == "velocity":
        kw["lengths"] = np.ones((2, 2))
    if arg == "lengths":
        kw["velocity"] = 5.0
    kw[arg] = junk
    net = _call_or_parameter_error(lambda: rs.network(model, **kw))
    if net is not None:
        duration, dt = _time_args(model)
        res = _call_or_parameter_error(lambda: rs.simulate(net, duration, dt))
        if res is not None:
            assert np.all(np.isfinite(res.data))


DRIVES = {"Constant": ("value",), "Sine": ("amplitude", "frequency", "phase"),
          "PulseTrain": ("amplitude", "frequency", "width", "start", "stop"),
          "Step": ("amplitude", "t_on", "t_off"), "Array": ("values", "times"),
          "Noise": ("sigma",)}
DRIVE_FIELDS = [(d, f) for d, fields in DRIVES.items() for f in (*fields, "channel", "nodes")]


@PROPERTY
@given(name=st.sampled_from(MODELS), field=st.sampled_from(DRIVE_FIELDS), junk=JUNK)
def test_drives_take_any_junk(name, field, junk):
    cls, attr = field
    base = {"Array": dict(values=[0.0, 1.0], times=[0.0, 1.0])}.get(cls, {})
    kw = {**base, attr: junk}
    drive = _call_or_parameter_error(lambda: getattr(F, cls)(**kw))
    if drive is not None:
        model = rs.models[name]
        duration, dt = _time_args(model)
        method = "heun" if cls == "Noise" else "rk4"
        res = _call_or_parameter_error(
            lambda: rs.simulate(rs.network(model, np.zeros((2, 2))), duration, dt,
                                method=method, drive=drive))
        if res is not None:
            assert np.all(np.isfinite(res.data))


@PROPERTY
@given(name=st.sampled_from(MODELS), arg=st.sampled_from(("params", "u", "n_starts", "seed", "tol")),
       junk=JUNK)
def test_fixed_points_take_any_junk(name, arg, junk):
    kw = {"n_starts": 4, arg: junk}
    fps = _call_or_parameter_error(lambda: rs.fixed_points(name, **kw))
    if fps is not None:
        assert all(np.all(np.isfinite(fp.state)) for fp in fps)


@settings(PROPERTY, max_examples=30)
@given(name=st.sampled_from(MODELS),
       arg=st.sampled_from(("parameter", "p_range", "params", "observable", "n_starts", "ds",
                            "ds_max", "cycles", "seed")),
       junk=JUNK)
def test_bifurcation_diagram_takes_any_junk(name, arg, junk):
    model = rs.models[name]
    par = model.parameters[0]
    kw = dict(parameter=par.name, p_range=(par.low, par.high), n_starts=2, cycles=False)
    if arg == "n_starts" and isinstance(junk, int) and junk > 8:
        return          # valid, and many Newton starts: not junk
    kw[arg] = junk
    d = _call_or_parameter_error(lambda: rs.bifurcation_diagram(model, **kw), seconds=40)
    if d is not None:
        for b in d.branches:
            assert np.all(np.isfinite(b.states)) and np.all(np.isfinite(b.param))


@settings(PROPERTY, max_examples=40)
@given(name=st.sampled_from(MODELS),
       arg=st.sampled_from(("parameter", "values", "observable", "params", "duration",
                            "transient", "dt", "method", "x0", "n_starts", "seed",
                            "record_every", "drive")),
       junk=JUNK)
def test_brute_force_takes_any_junk(name, arg, junk):
    model = rs.models[name]
    duration, dt = _time_args(model)
    par = model.parameters[0]
    kw = dict(parameter=par.name, values=[par.default], observable=model.state[0],
              duration=duration, transient=0.0, dt=dt)
    if arg == "dt" and isinstance(junk, (float, int)) and 0 < junk < 1e-7:
        return          # valid and long: not junk
    if arg == "n_starts" and isinstance(junk, int) and junk > 8:
        return
    kw[arg] = junk
    sw = _call_or_parameter_error(lambda: rs.brute_force(model, **kw))
    if sw is not None:
        ok = ~sw.diverged
        assert np.all(np.isfinite(sw.max[ok])) and np.all(np.isfinite(sw.min[ok]))
