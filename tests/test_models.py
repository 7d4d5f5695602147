"""The model contract, checked for every model in the registry, and the closed forms
of the first rungs (harmonic oscillator, phase oscillator)."""
import math

import numpy as np
import pytest

import rosetta as rs

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]

MODEL_NAMES = sorted(rs.models)


@pytest.fixture(params=MODEL_NAMES)
def model(request):
    return rs.models[request.param]


# ----------------------------------------------------------------------------- helpers
def random_state(model, rng):
    return np.array([rng.uniform(lo, hi) for lo, hi in model.state_range])


def random_params(model, rng):
    return {p.name: rng.uniform(p.low, p.high) for p in model.parameters}


def random_input(model, rng):
    return rng.uniform(-2.0, 2.0, model.n_inputs)


def safe_dt(model, records, steps_per_scale=20):
    """A dt comfortably below the model's own limit (timescale / 10)."""
    fast = math.inf
    if model.timescale is not None:
        fast = min(float(model.timescale(r)) for r in records)
    if not math.isfinite(fast):
        fast = 1.0 if model.time_unit == "s" else 1000.0
    return fast / steps_per_scale


def a_drive(model):
    """A non-trivial drive (3 Hz sine, times in seconds) on the model's drive input."""
    return rs.forcing.Sine(amplitude=1.5, frequency=3.0, phase=0.2)


def node_values(model, n):
    """Per-node parameter values spread over each slider range (low ... high)."""
    return {p.name: np.linspace(p.low, p.high, n)[::-1] for p in model.parameters}


# ----------------------------------------------------------------------------- declaration
def test_registry_is_a_mapping_of_models():
    assert len(rs.models) >= 2
    assert {"harmonic_oscillator", "phase_oscillator"} <= set(rs.models)
    for name, m in rs.models.items():
        assert isinstance(m, rs.Model)
        assert m.name == name
        assert rs.models[m] is m                      # a Model passes through get()


def test_declaration_is_complete(model):
    assert model.title.strip() and model.equations.strip() and model.citation.strip()
    assert model.time_unit in ("s", "ms")
    assert model.n_state >= 1 and len(set(model.state)) == model.n_state
    assert all(isinstance(s, str) and s for s in model.state)
    assert len(model.state_range) == model.n_state
    for lo, hi in model.state_range:
        assert np.isfinite(lo) and np.isfinite(hi) and lo < hi
    assert model.parameters, "a model needs parameters"
    assert len(set(model.parameter_names)) == len(model.parameters)
    for p in model.parameters:
        assert isinstance(p, rs.Parameter)
        assert p.low <= p.default <= p.high, p.name
        assert p.low < p.high, p.name
        assert p.unit.strip(), f"{p.name}: unit missing"
        assert p.meaning.strip(), f"{p.name}: meaning missing"
        lo, hi = p.domain
        assert lo is None or lo <= p.low
        assert hi is None or p.high <= hi
    assert model.inputs and len(set(model.inputs)) == model.n_inputs
    assert model.outputs and len(set(model.outputs)) == model.n_outputs
    # every node model declares its default wiring; an observation model (the BOLD balloon)
    # has none: its nodes are never coupled
    assert model.projections or model.name == "balloon_windkessel", \
        "a model declares its default wiring"
    for source, target in model.projections:
        assert source in model.outputs and target in model.inputs
    assert model.drive_input is None or model.drive_input in model.inputs
    assert model.coupling in ("additive", "diffusive")
    assert model.defaults == {p.name: p.default for p in model.parameters}


def test_defaults_give_finite_derivatives(model):
    rng = np.random.default_rng(0)
    for _ in range(5):
        dx = model.f(random_state(model, rng), u=random_input(model, rng))
        assert dx.shape == (model.n_state,) and np.all(np.isfinite(dx))


def test_table_lists_every_parameter(model):
    table = model.table()
    for p in model.parameters:
        assert f"`{p.name}`" in table
        assert p.unit in table
    assert table.count("\n") == len(model.parameters) + 1


def test_unknown_parameter_lists_valid_names(model):
    with pytest.raises(rs.ParameterError, match="valid names") as err:
        model.records({"no_such_parameter": 1.0})
    msg = str(err.value)
    assert "no_such_parameter" in msg
    for name in model.parameter_names:
        assert name in msg


def test_params_records_defaults_and_overrides(model):
    rng = np.random.default_rng(1)
    over = random_params(model, rng)
    rec = model.records(over, 3)
    assert rec.shape == (3,)
    for name, v in over.items():
        np.testing.assert_array_equal(rec[name], v)
    rec0 = model.record()
    for p in model.parameters:
        assert rec0[p.name] == p.default


# ----------------------------------------------------------------------------- Jacobian
def test_analytic_jacobian_matches_central_differences(model):
    if model.jacobian is None:
        pytest.skip(f"{model.name} declares no Jacobian")
    rng = np.random.default_rng(2)
    for _ in range(10):
        x = random_state(model, rng)
        params = random_params(model, rng)
        u = random_input(model, rng)
        J = model.jac(x, params, u)
        Jn = model.jac(x, params, u, method="fd")       # the compiled central differences
        scale = max(1.0, np.max(np.abs(Jn)))
        np.testing.assert_allclose(J, Jn, rtol=1e-6, atol=1e-6 * scale)


# ----------------------------------------------------------------------------- networks
def test_one_node_network_is_the_node(model):
    rng = np.random.default_rng(3)
    params = random_params(model, rng)
    x0 = random_state(model, rng)
    dt = safe_dt(model, model.records(params, 1))
    kw = dict(method="rk4", x0=x0, params=params, drive=a_drive(model))
    alone = rs.simulate(model, 200 * dt, dt, **kw)
    net = rs.simulate(rs.network(model, [[0.0]]), 200 * dt, dt, **kw)
    np.testing.assert_array_equal(net.data, alone.data)
    np.testing.assert_array_equal(net.t, alone.t)
    name = model.state[0]
    assert alone[name].shape == (alone.t.size,)
    assert net[name].shape == (alone.t.size, 1)


@pytest.mark.parametrize("how", ["G=0", "zero matrix"])
def test_uncoupled_network_is_independent_nodes(model, how):
    n = 4
    rng = np.random.default_rng(4)
    per_node = node_values(model, n)
    x0 = np.array([random_state(model, rng) for _ in range(n)])
    if how == "G=0":
        net = rs.network(model, rng.uniform(0, 1, (n, n)), G=0.0, params=per_node)
    else:
        net = rs.network(model, np.zeros((n, n)), G=3.0, params=per_node)
    dt = safe_dt(model, model.records(per_node, n))
    res = rs.simulate(net, 150 * dt, dt, method="heun", x0=x0, drive=a_drive(model))
    for i in range(n):
        alone = rs.simulate(model, 150 * dt, dt, method="heun", x0=x0[i],
                            params={k: v[i] for k, v in per_node.items()}, drive=a_drive(model))
        np.testing.assert_array_equal(res.data[:, i], alone.data[:, 0])


def test_coupling_changes_the_run(model):
    """The converse: a coupled network is not a set of independent nodes."""
    n = 3
    rng = np.random.default_rng(5)
    x0 = np.array([random_state(model, rng) for _ in range(n)])
    net = rs.network(model, np.ones((n, n)) - np.eye(n), G=5.0)
    dt = safe_dt(model, model.records(None, n))
    coupled = rs.simulate(net, 150 * dt, dt, x0=x0)
    free = rs.simulate(net.with_(G=0.0), 150 * dt, dt, x0=x0)
    if not model.projections:          # an observation model: no wiring, nothing couples
        np.testing.assert_array_equal(coupled.data, free.data)
        return
    assert np.max(np.abs(coupled.data[-1] - free.data[-1])) > 1e-6


# ----------------------------------------------------------------------------- harmonic oscillator
HO = rs.models["harmonic_oscillator"]
PO = rs.models["phase_oscillator"]


def test_harmonic_oscillator_centre_moves_with_constant_input():
    """z' = i w z + F: the fixed point is -F/(i w) = i F / w, i.e. (-cy/w, cx/w)."""
    omega = HO.defaults["omega"]
    cx, cy = 0.7, -1.3
    centre = np.array([-cy / omega, cx / omega])
    np.testing.assert_allclose(HO.f(centre, u=(cx, cy)), 0.0, atol=1e-12)
    assert np.max(np.abs(HO.f([0.0, 0.0], u=(cx, cy)))) > 0.5
    # a centre: Jacobian eigenvalues +- i omega
    ev = np.linalg.eigvals(HO.jac(centre, u=(cx, cy)))
    np.testing.assert_allclose(sorted(ev.imag), [-omega, omega], rtol=1e-12)
    np.testing.assert_allclose(ev.real, 0.0, atol=1e-12)


def test_harmonic_oscillator_forced_orbit_is_a_circle_around_the_centre():
    omega = HO.defaults["omega"]
    cx, cy = 15.0, -40.0                           # centre (0.64, 0.24): off the origin
    centre = np.array([-cy / omega, cx / omega])
    x0 = np.array([0.5, -0.2])
    drive = [rs.forcing.Constant(channel="ux", value=cx), rs.forcing.Constant(channel="uy", value=cy)]
    res = rs.simulate(HO, 0.25, 2e-4, method="rk4", x0=x0, drive=drive)
    xy = res.data[:, 0, :]
    d = np.hypot(*(xy - centre).T)
    np.testing.assert_allclose(d, np.hypot(*(x0 - centre)), rtol=0, atol=1e-6)
    # it really goes round (more than two turns: 0.25 s at 10 Hz), not around the origin
    ang = np.unwrap(np.arctan2(*(xy - centre).T[::-1]))
    assert ang[-1] - ang[0] == pytest.approx(omega * res.t[-1], rel=1e-6)
    assert np.ptp(np.hypot(*xy.T)) > 0.1


def test_phase_oscillator_equation():
    """theta' = omega + Im[F e^{-i(theta + alpha)}], F = ux + i uy."""
    rng = np.random.default_rng(6)
    for _ in range(10):
        th, om, al = rng.uniform(-np.pi, np.pi, 3)
        ux, uy = rng.uniform(-3, 3, 2)
        expected = om + np.imag((ux + 1j * uy) * np.exp(-1j * (th + al)))
        assert PO.f([th], {"omega": om, "alpha": al}, (ux, uy))[0] == pytest.approx(expected, abs=1e-12)


def test_phase_oscillator_is_the_phase_of_the_harmonic_oscillator():
    """On the unit circle z = e^{i theta}, d(arg z)/dt of z' = i w z + F is the phase
    oscillator's theta' (alpha = 0)."""
    rng = np.random.default_rng(7)
    for _ in range(10):
        th = rng.uniform(-np.pi, np.pi)
        om = rng.uniform(0, 100)
        u = rng.uniform(-5, 5, 2)
        x, y = np.cos(th), np.sin(th)
        dx, dy = HO.f([x, y], {"omega": om}, u)
        dtheta = x * dy - y * dx
        assert PO.f([th], {"omega": om, "alpha": 0.0}, u)[0] == pytest.approx(dtheta, abs=1e-10)


def test_outputs_are_what_the_docstrings_say():
    """The harmonic oscillator sends (x, y), the phase oscillator (cos theta, sin theta)."""
    o = np.zeros(2)
    rec = PO.record()
    PO.output(np.array([0.3]), rec, o)
    np.testing.assert_allclose(o, [np.cos(0.3), np.sin(0.3)], rtol=1e-15)
    rec = HO.record()
    HO.output(np.array([0.3, -0.4]), rec, o)
    np.testing.assert_array_equal(o, [0.3, -0.4])


# ----------------------------------------------------------------------------- the ladder
def test_every_rung_has_one_column_and_every_model_a_place():
    from rosetta.model import COUPLINGS, VARIABLES
    from rosetta.plotting import ladder_models
    cols = ladder_models()
    assert [m.ladder.rung for m in cols] == list("abcdef")
    for m in cols:
        assert m.ladder.portrait is not None
        assert set(m.ladder.portrait["axes"]) <= set(m.state) | set(m.outputs)
        if m.ladder.diagram is not None:
            assert m.ladder.diagram["parameter"] in m.parameter_names
    for name in rs.models:
        m = rs.models[name]
        if name == "balloon_windkessel":          # an observation model, not a rung
            assert m.ladder is None
            continue
        assert m.ladder is not None, name
        assert m.ladder.variables in VARIABLES and m.ladder.coupling in COUPLINGS
        assert (ROOT / "book" / f"{m.ladder.chapter}.ipynb").exists(), \
            f"{name}: no chapter {m.ladder.chapter}"


def test_rosetta_map_places_every_model_once():
    import matplotlib
    matplotlib.use("Agg")
    from rosetta.plotting import rosetta_map
    ax = rosetta_map()
    names = [t.get_text() for t in ax.texts]
    ours = [rs.models[n].ladder.label for n in rs.models if rs.models[n].ladder is not None]
    others = [o[0] for o in rs.models.OTHER_MODELS]
    assert sorted(names) == sorted(ours + others)
    import matplotlib.pyplot as plt
    plt.close(ax.figure)
