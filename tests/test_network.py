"""Networks: normalisation, delays from tracts, effective weights, and the coupling terms
checked against the exact solution of linear networks of harmonic oscillators."""
import numpy as np
import pytest
from scipy.linalg import expm

import rosetta as rs

HO = "harmonic_oscillator"
PO = "phase_oscillator"
TWO_PI = 2 * np.pi


def spectral_radius(A):
    return np.max(np.abs(np.linalg.eigvals(A)))


def random_matrix(n, seed, density=0.6):
    rng = np.random.default_rng(seed)
    C = rng.uniform(0, 1, (n, n)) * (rng.uniform(size=(n, n)) < density)
    np.fill_diagonal(C, 0.0)
    return C


# ----------------------------------------------------------------------------- normalize
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_max_eig_normalisation_has_spectral_radius_one(seed):
    C = random_matrix(9, seed)                      # not symmetric
    Cn = rs.normalize(C, "max_eig")
    assert spectral_radius(Cn) == pytest.approx(1.0, rel=1e-12)
    np.testing.assert_allclose(Cn * spectral_radius(C), C, rtol=1e-12)


def test_max_eig_of_a_zero_matrix_is_left_alone():
    Cn = rs.normalize(np.zeros((3, 3)), "max_eig")
    np.testing.assert_array_equal(Cn, 0.0)


def test_row_normalisation():
    C = random_matrix(6, 3)
    C[2] = 0.0                                      # a node with no inputs
    Cn = rs.normalize(C, "row")
    sums = Cn.sum(axis=1)
    np.testing.assert_allclose(np.delete(sums, 2), 1.0, rtol=1e-12)
    np.testing.assert_array_equal(Cn[2], 0.0)
    np.testing.assert_allclose(Cn * C.sum(axis=1, keepdims=True), C, rtol=1e-12)


def test_no_normalisation_is_a_copy():
    C = random_matrix(4, 4)
    Cn = rs.normalize(C, None)
    np.testing.assert_array_equal(Cn, C)
    Cn[0, 1] += 1.0
    assert Cn[0, 1] != C[0, 1]


@pytest.mark.parametrize("how", ["max_eig", "row", None])
def test_weights_are_gain_times_normalised_matrix(how):
    C = random_matrix(5, 5)
    net = rs.network(PO, C, G=2.5, normalize=how)
    np.testing.assert_allclose(net.weights, 2.5 * rs.normalize(C, how), rtol=1e-15)
    assert net.n == 5
    assert net.coupling == rs.models[PO].coupling
    # the network keeps its own copy of C
    C[0, 1] = 99.0
    assert net.C[0, 1] != 99.0


def test_with_changes_and_revalidates():
    net = rs.network(PO, random_matrix(4, 6), G=1.0, params={"omega": np.arange(4.0)})
    other = net.with_(G=3.0, normalization="row")
    assert other.G == 3.0 and other.normalization == "row"
    np.testing.assert_allclose(other.weights, 3.0 * rs.normalize(net.C, "row"))
    assert net.G == 1.0                              # the original is untouched
    np.testing.assert_array_equal(other.params["omega"], np.arange(4.0))
    with pytest.raises(rs.ParameterError, match="one value per node"):
        net.with_(params={"omega": [1.0, 2.0]})


# ----------------------------------------------------------------------------- delays
def test_delays_from_lengths_and_velocity():
    """lengths in mm, velocity in m/s: delays = lengths * 1e-3 / velocity seconds."""
    C, lengths = rs.distance_graph(6, seed=2)
    velocity = 7.5
    net = rs.network(PO, C, lengths=lengths, velocity=velocity)
    model = rs.models[PO]
    assert model.time_unit == "s"
    np.testing.assert_allclose(net.delays, lengths * 1e-3 / velocity / model.seconds_per_unit, rtol=1e-15)
    # a 100 mm tract at 10 m/s is a 10 ms delay
    net = rs.network(PO, np.ones((2, 2)), lengths=[[0, 100.0], [100.0, 0]], velocity=10.0)
    assert net.delays[0, 1] == pytest.approx(0.01, rel=1e-15)


def test_lengths_give_the_same_run_as_the_delay_matrix():
    tau, velocity = 0.02, 2.0
    lengths = np.array([[0, tau * velocity * 1e3], [tau * velocity * 1e3, 0]])
    kw = dict(G=5.0, normalize=None, params={"omega": [TWO_PI * 8, TWO_PI * 9]})
    a = rs.network(PO, [[0, 1], [1, 0]], lengths=lengths, velocity=velocity, **kw)
    b = rs.network(PO, [[0, 1], [1, 0]], delays=[[0, tau], [tau, 0]], **kw)
    ra = rs.simulate(a, 0.3, 1e-3, x0=[[0.0], [1.0]])
    rb = rs.simulate(b, 0.3, 1e-3, x0=[[0.0], [1.0]])
    np.testing.assert_allclose(ra.data, rb.data, rtol=0, atol=1e-12)
    # and the delay matters
    rc = rs.simulate(b.with_(delays=None), 0.3, 1e-3, x0=[[0.0], [1.0]])
    assert np.max(np.abs(rc.data - rb.data)) > 1e-2


def test_zero_delays_are_no_delays():
    kw = dict(G=5.0, normalize=None, params={"omega": [TWO_PI * 8, TWO_PI * 9, TWO_PI * 10]})
    C = np.ones((3, 3)) - np.eye(3)
    a = rs.simulate(rs.network(PO, C, delays=np.zeros((3, 3)), **kw), 0.3, 1e-3, x0=[[0.0], [1.0], [2.0]])
    b = rs.simulate(rs.network(PO, C, **kw), 0.3, 1e-3, x0=[[0.0], [1.0], [2.0]])
    np.testing.assert_array_equal(a.data, b.data)


def test_delays_are_rounded_to_whole_steps():
    """Delays are rounded to whole steps: one under dt/2 acts at once (no error), one of
    0.7 dt is one step."""
    dt = 1e-3
    kw = dict(G=5.0, normalize=None, params={"omega": [TWO_PI * 8, TWO_PI * 9]})
    C = [[0, 1], [1, 0]]
    x0 = [[0.0], [1.0]]

    def run(tau):
        delays = None if tau is None else [[0, tau], [tau, 0]]
        return rs.simulate(rs.network(PO, C, delays=delays, **kw), 0.2, dt, x0=x0).data

    np.testing.assert_array_equal(run(0.4 * dt), run(None))
    np.testing.assert_array_equal(run(0.7 * dt), run(1.0 * dt))
    np.testing.assert_array_equal(run(3.3 * dt), run(3.0 * dt))
    assert np.max(np.abs(run(1.0 * dt) - run(None))) > 1e-6


@pytest.mark.parametrize("method,atol", [("rk4", 1e-4), ("heun", 1e-3)])
def test_one_way_delayed_link_matches_closed_form(method, atol):
    """Node 0 is a free oscillator z0 = e^{i w t} (history before t = 0: z0(0) = 1).
    Node 1 (z1(0) = 0) hears G z0(t - tau) additively, so with w1 = z1 e^{-i w t}:
      t <= tau: w1' = G e^{-i w t}       ->  w1 = G (1 - e^{-i w t}) / (i w)
      t >= tau: w1' = G e^{-i w tau}     ->  w1 = w1(tau) + G e^{-i w tau} (t - tau)   (resonance)."""
    omega, G, tau, dt, T = TWO_PI * 5, 10.0, 0.05, 1e-4, 0.5
    net = rs.network(HO, [[0, 0], [1, 0]], G=G, normalize=None, coupling="additive",
                     delays=[[0, 0], [tau, 0]], params={"omega": omega})
    res = rs.simulate(net, T, dt, method=method, x0=[[1.0, 0.0], [0.0, 0.0]])
    t = res.t
    z = res.data[:, :, 0] + 1j * res.data[:, :, 1]
    np.testing.assert_allclose(z[:, 0], np.exp(1j * omega * t), rtol=0, atol=atol / 10)
    w_tau = G * (1 - np.exp(-1j * omega * tau)) / (1j * omega)
    w1 = np.where(t <= tau, G * (1 - np.exp(-1j * omega * t)) / (1j * omega),
                  w_tau + G * np.exp(-1j * omega * tau) * (t - tau))
    np.testing.assert_allclose(z[:, 1], w1 * np.exp(1j * omega * t), rtol=0, atol=atol)
    assert np.abs(z[-1, 1]) > 1.0               # the resonant growth is there


# ----------------------------------------------------------------------------- linear networks
@pytest.mark.parametrize("coupling", ["additive", "diffusive"])
@pytest.mark.parametrize("n", [1, 4, 7])
def test_linear_network_matches_matrix_exponential(coupling, n):
    """Harmonic oscillators send (x, y) to (ux, uy): with z = x + i y the network is
    z' = (i diag(w) + W) z (additive) or (i diag(w) + W - diag(rowsum W)) z (diffusive),
    with W = G * normalised C; z(t) = expm(A t) z0."""
    rng = np.random.default_rng(10 + n)
    C = random_matrix(n, n) if n > 1 else np.array([[0.7]])
    omega = rng.uniform(TWO_PI * 2, TWO_PI * 8, n)
    net = rs.network(HO, C, G=5.0, normalize="max_eig", coupling=coupling, params={"omega": omega})
    W = net.weights
    A = 1j * np.diag(omega) + W
    if coupling == "diffusive":
        A -= np.diag(W.sum(axis=1))
    z0 = rng.normal(size=n) + 1j * rng.normal(size=n)
    x0 = np.column_stack([z0.real, z0.imag])
    res = rs.simulate(net, 0.5, 5e-4, method="rk4", x0=x0, record_every=100)
    z = res.data[:, :, 0] + 1j * res.data[:, :, 1]
    expected = np.array([expm(A * t) @ z0 for t in res.t])
    np.testing.assert_allclose(z, expected, rtol=0, atol=1e-7 * np.max(np.abs(expected)))


def test_diffusive_symmetric_network_conserves_the_mean_field():
    """Identical oscillators, symmetric C, diffusive coupling: the coupling terms cancel in
    the sum, so Z = mean z rotates freely, Z(t) = Z(0) e^{i w t}, while each node does not."""
    n, omega = 8, TWO_PI * 4
    C = random_matrix(n, 11)
    C = C + C.T
    rng = np.random.default_rng(12)
    x0 = rng.normal(size=(n, 2))
    net = rs.network(HO, C, G=20.0, coupling="diffusive", params={"omega": omega})
    res = rs.simulate(net, 0.5, 5e-4, method="rk4", x0=x0)
    z = res.data[:, :, 0] + 1j * res.data[:, :, 1]
    Z0 = (x0[:, 0] + 1j * x0[:, 1]).mean()
    np.testing.assert_allclose(z.mean(axis=1), Z0 * np.exp(1j * omega * res.t), rtol=0, atol=1e-9)
    free = (x0[:, 0] + 1j * x0[:, 1])[None, :] * np.exp(1j * omega * res.t)[:, None]
    assert np.max(np.abs(z - free)) > 0.1


# ----------------------------------------------------------------------------- drives on nodes
def test_drive_on_chosen_nodes_and_weights():
    """With omega = 0 and no coupling, x_i(t) = weight_i * c * t under Constant(c)."""
    net = rs.network(HO, np.zeros((4, 4)), params={"omega": 0.0})
    c = 2.0
    res = rs.simulate(net, 0.5, 1e-2, method="euler", x0=[0.0, 0.0],
                      drive=[rs.forcing.Constant(value=c, nodes=[1, 3]),
                             rs.forcing.Constant(channel="uy", value=c, nodes=[0.5, 0.0, -1.0, 2.0])])
    t = res.t[:, None]
    np.testing.assert_allclose(res["x"], c * t * np.array([0, 1, 0, 1.0]), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(res["y"], c * t * np.array([0.5, 0.0, -1.0, 2.0]), rtol=1e-12, atol=1e-14)


# ----------------------------------------------------------------------------- distance graph
def test_distance_graph():
    n, scale, size = 12, 30.0, 80.0
    C, d = rs.distance_graph(n, seed=5, scale=scale, size=size)
    assert C.shape == d.shape == (n, n)
    np.testing.assert_array_equal(C, C.T)
    np.testing.assert_array_equal(d, d.T)
    np.testing.assert_array_equal(np.diag(C), 0.0)
    np.testing.assert_array_equal(np.diag(d), 0.0)
    off = ~np.eye(n, dtype=bool)
    assert np.all(d[off] > 0) and np.all(d[off] <= np.sqrt(3) * size)
    np.testing.assert_allclose(C[off], np.exp(-d[off] / scale), rtol=1e-15)
    # triangle inequality: d are Euclidean distances
    assert np.all(d[:, :, None] <= d[:, None, :] + d[None, :, :].transpose(0, 2, 1) + 1e-9)
    C2, d2 = rs.distance_graph(n, seed=5, scale=scale, size=size)
    np.testing.assert_array_equal(C2, C)
    C3, _ = rs.distance_graph(n, seed=6, scale=scale, size=size)
    assert not np.array_equal(C3, C)
