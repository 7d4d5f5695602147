"""Analytic results of the damped-oscillator chapter (rung b): the Lorentzian resonance, the
tACS response through the resolvent, the Lyapunov covariance, the cross-spectrum against
Welch, the covariance shift of a "drug", the sharpening of the spectral peak near the
network's Hopf point, and the stability condition on a graph."""
import numpy as np
import pytest
from scipy import signal

import rosetta as rs
from rosetta import forcing as rf
from rosetta import linear as rl

DO = rs.models["damped_oscillator"]
TWO_PI = 2 * np.pi
OMEGA = TWO_PI * 10


def small_network(G=8.0, coupling="additive", n=4, alpha=-20.0, seed=0):
    C, _ = rs.distance_graph(n, seed=seed)
    omegas = TWO_PI * np.linspace(8.0, 12.0, n)
    return rs.network(DO, C, G=G, coupling=coupling, params={"alpha": alpha, "omega": omegas})


NOISE = [rf.Noise(channel="ux", sigma=1.0), rf.Noise(channel="uy", sigma=1.0)]


@pytest.fixture(scope="module")
def noisy_run():
    """One long noisy run of a 4-node network (strong damping: fast to converge)."""
    net = small_network()
    res = rs.simulate(net, 100.0, 1e-3, method="heun", drive=NOISE, x0=np.zeros((4, 2)), seed=1)
    return net, rl.states(res)[1000:]          # drop the first second (transient)


# ----------------------------------------------------------------------------- the node
def test_eigenvalues_of_the_node():
    J = DO.jac([0.3, -0.2], {"alpha": -3.0, "omega": 7.0})
    ev = np.sort_complex(np.linalg.eigvals(J))
    assert np.allclose(ev, [-3.0 - 7.0j, -3.0 + 7.0j])


@pytest.mark.parametrize("coupling", ["additive", "diffusive"])
def test_network_jacobian_is_what_simulate_integrates(coupling):
    """One Euler step from a random state: (u1 - u0)/dt = J u0 exactly."""
    net = small_network(G=12.0, coupling=coupling, n=5)
    J = rl.jacobian_of_network(net)
    x0 = np.random.default_rng(2).standard_normal((5, 2))
    dt = 1e-4
    res = rs.simulate(net, dt, dt, method="euler", x0=x0)
    u = rl.states(res)
    assert np.allclose((u[1] - u[0]) / dt, J @ u[0], rtol=1e-9, atol=1e-9)


def test_to_real_matches_complex_multiplication():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((3, 3)) + 1j * rng.standard_normal((3, 3))
    z = rng.standard_normal(3) + 1j * rng.standard_normal(3)
    u = np.column_stack([z.real, z.imag]).reshape(-1)
    Az = A @ z
    assert np.allclose(rl.to_real(A) @ u, np.column_stack([Az.real, Az.imag]).reshape(-1))


# ----------------------------------------------------------------------------- forced
def test_lorentzian_resonance_of_a_rotating_drive():
    """Drive F0 exp(i Omega t): steady amplitude F0 / sqrt(alpha^2 + (Omega - omega)^2)."""
    alpha, F0 = -20.0, 3.0
    Omegas = OMEGA + np.linspace(-50.0, 50.0, 9)
    drives = []
    for i, W in enumerate(Omegas):
        drives += rf.rotating(F0, W / TWO_PI, nodes=[i])
    bank = rs.network(DO, np.zeros((len(Omegas),) * 2), G=0.0, params={"alpha": alpha})
    res = rs.simulate(bank, 2.0, 1e-3, drive=drives, x0=np.zeros((len(Omegas), 2)))
    late = res.t >= 1.0                         # transient decays as exp(-20 t)
    amp = np.hypot(res.x[late], res.y[late]).mean(axis=0)
    theory = F0 / np.sqrt(alpha ** 2 + (Omegas - OMEGA) ** 2)
    assert np.max(np.abs(amp - theory) / theory) < 1e-3


def test_tacs_mean_response_is_the_resolvent():
    """A drive a sin(w_s t) on u_x of node 0: u(t) -> Im[H(w_s) a e_0 exp(i w_s t)]."""
    net = small_network(G=10.0)
    J = rl.jacobian_of_network(net)
    a, fs = 2.0, 11.0
    res = rs.simulate(net, 2.0, 1e-3, drive=rf.Sine(channel="ux", amplitude=a, frequency=fs,
                                                     nodes=[0]), x0=np.zeros((4, 2)))
    f0 = np.zeros(8)
    f0[0] = a
    resp = rl.resolvent(J, TWO_PI * fs) @ f0
    late = res.t >= 1.0
    theory = np.imag(resp[None, :] * np.exp(1j * TWO_PI * fs * res.t[late])[:, None])
    sim = rl.states(res)[late]
    assert np.max(np.abs(sim - theory)) < 1e-3 * np.max(np.abs(resp))


# ----------------------------------------------------------------------------- noise
def test_noise_matrix_reads_the_noise_drives():
    D = rl.noise_matrix([rf.Noise(channel="ux", sigma=0.5), rf.Noise(channel="uy", sigma=2.0,
                                                                    nodes=[1])], 2)
    assert np.allclose(np.diag(D), [0.25, 0.0, 0.25, 4.0])


def test_lyapunov_covariance_against_simulation(noisy_run):
    net, u = noisy_run
    J = rl.jacobian_of_network(net)
    S = rl.stationary_covariance(J, rl.noise_matrix(NOISE, net.n))
    assert np.allclose(J @ S + S @ J.T, -rl.noise_matrix(NOISE, net.n), atol=1e-12)
    sample = np.cov(u.T)
    assert np.max(np.abs(sample - S)) < 0.06 * np.max(np.abs(S))
    # the functional connectivity (correlations between nodes' x) agrees too
    cs = np.corrcoef(u[:, 0::2].T)
    d = np.sqrt(np.diag(S)[0::2])
    ct = S[0::2, 0::2] / np.outer(d, d)
    assert np.max(np.abs(cs - ct)) < 0.05


def test_cross_spectrum_against_welch(noisy_run):
    """scipy.signal.csd(u_a, u_b) estimates welch_cross_spectrum(...)[a, b] = 2 conj S_ab(2 pi f)."""
    net, u = noisy_run
    J = rl.jacobian_of_network(net)
    D = rl.noise_matrix(NOISE, net.n)
    for a, b in [(0, 0), (0, 1), (2, 4), (3, 6)]:
        f, P = signal.csd(u[:, a], u[:, b], fs=1000.0, nperseg=1000)
        W = rl.welch_cross_spectrum(J, D, f)
        band = (f >= 4) & (f <= 16)
        scale = np.sqrt(W[band, a, a].real * W[band, b, b].real)
        err = np.abs(P[band] - W[band, a, b]) / scale
        assert err.mean() < 0.1 and err.max() < 0.3, (a, b, err.mean(), err.max())
        # integrated over the band, within a few percent of the power
        assert abs(np.sum(P[band] - W[band, a, b])) < 0.05 * np.sum(scale)


def test_cross_spectrum_integrates_to_the_covariance():
    """Sigma = (1/2 pi) int S(w) dw (two-sided, per rad/s)."""
    net = small_network()
    J = rl.jacobian_of_network(net)
    D = rl.noise_matrix(NOISE, net.n)
    w = np.linspace(-3000, 3000, 60001)
    S_w = rl.cross_spectrum(J, D, w)
    W = w[-1]
    # beyond |w| > W the spectrum is D / w^2: its two tails add D / (pi W)
    Sigma = np.trapezoid(S_w, w, axis=0) / TWO_PI + D / (np.pi * W)
    S = rl.stationary_covariance(J, D)
    assert np.max(np.abs(Sigma - S)) < 1e-3 * np.max(np.abs(S))


# ----------------------------------------------------------------------------- drug
def drug(net, nodes=(0, 1), d_alpha=1.0):
    """dJ of a change d_alpha of the growth rate at some nodes."""
    dJ = np.zeros((2 * net.n, 2 * net.n))
    for i in nodes:
        dJ[2 * i, 2 * i] = dJ[2 * i + 1, 2 * i + 1] = d_alpha
    return dJ


def test_covariance_shift_is_the_derivative_of_the_lyapunov_solution():
    net = small_network()
    J = rl.jacobian_of_network(net)
    D = rl.noise_matrix(NOISE, net.n)
    S = rl.stationary_covariance(J, D)
    dJ = drug(net)
    dS = rl.covariance_shift(J, S, dJ)
    h = 1e-4
    fd = (rl.stationary_covariance(J + h * dJ, D) - rl.stationary_covariance(J - h * dJ, D)) / (2 * h)
    assert np.max(np.abs(dS - fd)) < 1e-7 * np.max(np.abs(dS))
    # and with a change of the noise as well
    dD = np.diag(np.linspace(0.1, 0.8, 8))
    fd = (rl.stationary_covariance(J + h * dJ, D + h * dD)
          - rl.stationary_covariance(J - h * dJ, D - h * dD)) / (2 * h)
    assert np.max(np.abs(rl.covariance_shift(J, S, dJ, dD) - fd)) < 1e-7 * np.max(np.abs(fd))


def test_covariance_shift_against_simulation(noisy_run):
    """A drug that lowers the damping of nodes 0 and 1 by 2/s: the sample covariances of two
    runs with the same noise differ by the predicted shift (first order) to within 25 %."""
    net, u = noisy_run
    J = rl.jacobian_of_network(net)
    D = rl.noise_matrix(NOISE, net.n)
    S = rl.stationary_covariance(J, D)
    d_alpha = 2.0
    dS = d_alpha * rl.covariance_shift(J, S, drug(net))
    drugged = net.with_(params={**net.params, "alpha": np.array([-18.0, -18.0, -20.0, -20.0])})
    assert np.allclose(rl.jacobian_of_network(drugged), J + d_alpha * drug(net))
    res = rs.simulate(drugged, 100.0, 1e-3, method="heun", drive=NOISE, x0=np.zeros((4, 2)), seed=1)
    shift = np.cov(rl.states(res)[1000:].T) - np.cov(u.T)
    assert np.max(np.abs(shift - dS)) < 0.25 * np.max(np.abs(dS))


# ----------------------------------------------------------------------------- criticality
def test_spectral_peak_sharpens_toward_the_hopf_point():
    """Identical nodes, additive coupling, C normalised by its largest eigenvalue: the leading
    mode has Re lambda = alpha + G; the half-width of the peak of the total power tends to
    |Re lambda| as G -> -alpha."""
    alpha = -20.0
    C, _ = rs.distance_graph(6, seed=1)
    w = OMEGA + np.linspace(-40.0, 40.0, 8001)
    widths, rates = [], []
    for G in (10.0, 16.0, 18.0, 19.0, 19.5):
        net = rs.network(DO, C, G=G, coupling="additive", params={"alpha": alpha})
        J = rl.jacobian_of_network(net)
        S = rl.cross_spectrum(J, np.eye(12), w)
        widths.append(rl.half_width(w, np.trace(S, axis1=1, axis2=2).real))
        rates.append(-rl.spectral_abscissa(J))
    widths, rates = np.array(widths), np.array(rates)
    assert np.allclose(rates, -(alpha + np.array([10.0, 16.0, 18.0, 19.0, 19.5])))
    assert np.all(np.diff(widths) < 0)
    assert np.all(np.abs(widths[2:] / rates[2:] - 1) < 0.05)


# ----------------------------------------------------------------------------- stability
@pytest.mark.parametrize("coupling", ["additive", "diffusive"])
def test_network_eigenvalues_are_alpha_plus_coupling_eigenvalues(coupling):
    """Identical nodes: eig(J) = {alpha + i omega + lambda_k} and conjugates, lambda_k the
    eigenvalues of G C_hat (additive) or G (C_hat - diag(rowsum)) (diffusive)."""
    alpha = -4.0
    C, _ = rs.distance_graph(7, seed=2)
    net = rs.network(DO, C, G=3.0, coupling=coupling, params={"alpha": alpha})
    W = net.weights
    K = W - np.diag(W.sum(1)) if coupling == "diffusive" else W
    lam = np.linalg.eigvals(K)
    pred = alpha + 1j * OMEGA + lam
    pred = np.sort_complex(np.concatenate([pred, pred.conj()]))
    ev = np.sort_complex(np.linalg.eigvals(rl.jacobian_of_network(net)))
    assert np.allclose(ev, pred, atol=1e-8)
    assert rl.spectral_abscissa(rl.jacobian_of_network(net)) == pytest.approx(alpha + lam.real.max())


@pytest.mark.parametrize("G,grows", [(18.0, False), (22.0, True)])
def test_stability_condition_predicts_growth_or_decay(G, grows):
    """Additive coupling, max_eig normalisation: stable iff alpha + G < 0 (here alpha = -20)."""
    C, _ = rs.distance_graph(5, seed=0)
    net = rs.network(DO, C, G=G, coupling="additive", params={"alpha": -20.0})
    J = rl.jacobian_of_network(net)
    assert rl.is_stable(J) is (not grows)
    x0 = np.random.default_rng(0).standard_normal((5, 2))
    res = rs.simulate(net, 3.0, 1e-3, x0=x0)
    ratio = np.linalg.norm(res.data[-1]) / np.linalg.norm(res.data[0])
    assert bool(ratio > 1) is grows
    # once the faster modes have died out, |u| grows or decays at max Re lambda
    late = res.t >= 1.0
    rate = np.polyfit(res.t[late], np.log(np.linalg.norm(res.data[late], axis=(1, 2))), 1)[0]
    assert rate == pytest.approx(rl.spectral_abscissa(J), abs=0.05)


def test_unstable_network_has_no_covariance():
    net = small_network(G=30.0)
    with pytest.raises(rs.ParameterError):
        rl.stationary_covariance(rl.jacobian_of_network(net), np.eye(8))
