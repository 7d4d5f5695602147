"""The claims of the whole-brain chapter (book/whole_brain.ipynb), checked where possible without the
chapter's own code: the connectome and lead-field bookkeeping, the stability bound of the damped
rung from the eigenvalues of the row-normalised weights, the order parameter from scipy's Hilbert
transform, the lead-field prediction for uncorrelated sources, the azimuthal projection against the
10-20 layout, the BOLD noise floor of independent inputs, and the regimes of the sweep (synchrony,
FC against SC) by short simulations with the chapter's parameters.
"""
import numpy as np
import pytest
from scipy.signal import butter, hilbert, sosfiltfilt

import rosetta as rs
from rosetta import forcing as rf

VELOCITY = 5.0


@pytest.fixture(scope="module")
def conn():
    W, lengths, labels, _ = rs.load_connectome("tvb76", drop_isolated=True)
    C = W.copy()
    np.fill_diagonal(C, 0.0)
    iu = np.triu_indices(C.shape[0], 1)
    return C, lengths, labels, iu, 0.5 * (C + C.T)[iu]


@pytest.fixture(scope="module")
def lead(conn):
    lf = rs.load_eeg_lead_field("tvb76")
    full = rs.load_connectome("tvb76")
    keep = np.setdiff1d(np.arange(len(full.labels)), rs.connectome.isolated_regions(full.weights))
    return lf, keep


def sync(x, fs, band):
    """Time-averaged Kuramoto order parameter of band-passed Hilbert phases (scipy only)."""
    sos = butter(4, band, btype="band", fs=fs, output="sos")
    ph = np.angle(hilbert(sosfiltfilt(sos, x - x.mean(axis=0), axis=0), axis=0))
    edge = int(0.25 * fs)
    return np.abs(np.exp(1j * ph[edge:-edge]).mean(axis=1)).mean()


def fcsc(x, iu, sc):
    return np.corrcoef(np.corrcoef(x.T)[iu], sc)[0, 1]


# ----------------------------------------------------------------------------- bookkeeping
def test_connectome_and_lead_field_match(conn, lead):
    C, lengths, labels, _, _ = conn
    lf, keep = lead
    assert C.shape == (74, 74) and np.all(np.diag(C) == 0)
    assert lf.gain.shape == (63, 76) and len(lf.dropped) == 2
    full = rs.load_connectome("tvb76")
    assert [full.labels[k] for k in keep] == list(labels)          # columns match the regions kept
    assert lf.gain[:, keep].shape == (63, 74)
    tau = lengths[C > 0] / VELOCITY                                  # ms
    assert 5.0 < tau.mean() < 20.0 and tau.max() < 40.0             # "mean about 12 ms"


def test_damped_stability_bound_is_abs_alpha(conn):
    """With row-normalised weights the largest eigenvalue is 1, so the additive damped network's
    rest state (eigenvalues alpha + i omega + G lambda, no delays) loses stability at G = |alpha|."""
    C = conn[0]
    Crow = C / C.sum(axis=1, keepdims=True)
    lam = np.linalg.eigvals(Crow)
    assert np.isclose(lam.real.max(), 1.0, atol=1e-9)
    alpha = -5.0
    for G, stable in ((4.9, True), (5.1, False)):
        assert (alpha + G * lam.real.max() < 0) == stable
    # and the library agrees: at G slightly above |alpha| (no delays, no noise) the network grows
    omega = np.full(74, 2 * np.pi * 10.0)
    amp0 = np.hypot(0.01, 0.01)
    net = rs.network("damped_oscillator", C, G=6.0, normalize="row", coupling="additive",
                     params={"alpha": alpha, "omega": omega})
    r = rs.simulate(net, 2.0, 1e-3, method="heun", x0=np.full((74, 2), 0.01))
    assert np.hypot(r.x[-1], r.y[-1]).max() > 4 * amp0            # grows like exp((G - 5) t)
    net = net.with_(G=4.0)
    r = rs.simulate(net, 2.0, 1e-3, method="heun", x0=np.full((74, 2), 0.01))
    assert np.hypot(r.x[-1], r.y[-1]).max() < amp0 / 4            # decays like exp((G - 5) t)


# ----------------------------------------------------------------------------- the sweep
def phase_run(conn, G, duration=4.0):
    C, lengths, *_ = conn
    rng = np.random.default_rng(0)
    omega = 2 * np.pi * (10.0 + 0.5 * rng.standard_normal(74))
    theta0 = rng.uniform(-np.pi, np.pi, 74)
    net = rs.network("phase_oscillator", C, G=G, normalize="row", lengths=lengths, velocity=VELOCITY,
                     params={"omega": omega})
    r = rs.simulate(net, duration, 1e-3, method="heun", x0=theta0[:, None],
                    drive=rf.Noise(sigma=1.0, channel="ux"), seed=1, record_every=2)
    return np.cos(r.theta)[r.t >= 1.0], r.sampling_rate


def test_phase_rung_synchronises_and_follows_structure(conn):
    _, _, _, iu, sc = conn
    x0, fs = phase_run(conn, 0.0)
    x1, _ = phase_run(conn, 20.0)
    R0, R1 = sync(x0, fs, (6.0, 14.0)), sync(x1, fs, (5.0, 13.0))
    assert R0 < 0.25                                   # independent phases: ~ 1/sqrt(74) plus bias
    assert R1 > R0 + 0.3                               # coupling synchronises
    assert abs(fcsc(x0, iu, sc)) < 0.15                # uncoupled: FC unrelated to SC
    assert fcsc(x1, iu, sc) > 0.4                      # coupled: FC follows SC


def test_stuart_landau_below_hopf_fc_follows_sc_weakly(conn):
    C, lengths, _, iu, sc = conn
    rng = np.random.default_rng(0)
    omega = 2 * np.pi * (10.0 + 0.5 * rng.standard_normal(74))
    noise = [rf.Noise(sigma=0.3, channel="ux"), rf.Noise(sigma=0.3, channel="uy")]
    out = {}
    for G in (0.0, 60.0):
        net = rs.network("stuart_landau", C, G=G, normalize="max_eig", lengths=lengths,
                         velocity=VELOCITY, params={"omega": omega, "alpha": -1.0, "gamma": 20.0})
        r = rs.simulate(net, 4.0, 1e-3, method="heun", x0=np.full((74, 2), 0.01), drive=noise, seed=1,
                        record_every=2)
        x = r.x[r.t >= 1.0]
        out[G] = (fcsc(x, iu, sc), np.corrcoef(x.T)[iu].mean(), sync(x, r.sampling_rate, (6.0, 14.0)))
    assert abs(out[0.0][0]) < 0.15
    assert out[60.0][0] > 0.35                         # FC follows the wiring ...
    assert out[60.0][1] < 0.15                         # ... with weak correlations on average
    assert out[60.0][2] < 0.4                          # and little synchrony


def jr_on_cycle(n):
    r = rs.simulate("jansen_rit", 3.0, 2e-4, params={"P": 150.0})
    k = r.data.shape[0] // 2
    return r.data[k + np.random.default_rng(1).integers(0, r.data.shape[0] - k, n), 0, :]


@pytest.fixture(scope="module")
def jr_runs(conn):
    C, lengths, *_ = conn
    x0 = jr_on_cycle(74)
    out = {}
    for G in (0.0, 40.0, 80.0):
        net = rs.network("jansen_rit", C, G=G, normalize="row", lengths=lengths, velocity=VELOCITY,
                         params={"P": 150.0})
        r = rs.simulate(net, 4.0, 2e-4, method="heun", x0=x0, drive=rf.Noise(sigma=22.0 * np.sqrt(2e-4)),
                        seed=1, record_every=10)
        out[G] = ((r.y1 - r.y2)[r.t >= 1.0], r.sampling_rate)
    return out


def test_jansen_rit_locks_then_loses_structure(conn, jr_runs):
    _, _, _, iu, sc = conn
    (x0, fs), (x1, _), (x2, _) = jr_runs[0.0], jr_runs[40.0], jr_runs[80.0]
    assert sync(x0, fs, (6.0, 16.0)) < 0.25
    assert fcsc(x1, iu, sc) > 0.3                      # intermediate coupling: FC follows SC
    assert sync(x2, fs, (4.0, 14.0)) > 0.9             # stronger: one network-wide oscillator
    assert np.corrcoef(x2.T)[iu].mean() > 0.8
    assert fcsc(x2, iu, sc) < fcsc(x1, iu, sc)         # ... that no longer carries the wiring


def test_identical_uncoupled_columns_stay_correlated(jr_runs, conn):
    """The EEG section's caveat: independent is not uncorrelated over seconds."""
    iu = conn[3]
    x0, _ = jr_runs[0.0]
    fc = np.corrcoef(x0.T)[iu]
    assert np.abs(fc).mean() > 0.3
    assert abs(fc.mean()) < 0.1


def test_ing_does_not_synchronise(conn):
    C, lengths, *_ = conn
    r0 = rs.simulate("ing", 300.0, 0.02)
    k = r0.data.shape[0] // 2
    x0 = r0.data[k + np.random.default_rng(1).integers(0, r0.data.shape[0] - k, 74), 0, :]
    net = rs.network("ing", C, G=100.0, normalize="row", lengths=lengths, velocity=VELOCITY)
    r = rs.simulate(net, 1000.0, 0.05, method="heun", x0=x0, drive=rf.Noise(sigma=0.5), seed=1,
                    record_every=40)
    x = r.r[r.t >= 250.0]
    fs = r.sampling_rate
    f = np.fft.rfftfreq(x.shape[0], 1 / fs)
    spec = (np.abs(np.fft.rfft(x - x.mean(axis=0), axis=0)) ** 2).mean(axis=1)
    fpk = f[f > 2][np.argmax(spec[f > 2])]
    assert fpk > 100.0                                 # a fast rhythm, sped up by the coupling
    assert sync(x, fs, (0.6 * fpk, min(1.4 * fpk, 0.45 * fs))) < 0.4


# ----------------------------------------------------------------------------- EEG
def test_uncorrelated_sources_give_the_lead_field_topography(lead):
    lf, keep = lead
    K = lf.gain[:, keep]
    x = np.random.default_rng(0).standard_normal((20000, 74))       # uncorrelated, equal power
    power = (x @ K.T).var(axis=0)
    assert np.corrcoef(power, (K ** 2).sum(axis=1))[0, 1] > 0.99


def test_azimuthal_projection_layout(lead):
    lf, _ = lead
    P = lf.positions
    A = np.c_[2 * P, np.ones(len(P))]
    centre = np.linalg.lstsq(A, (P ** 2).sum(axis=1), rcond=None)[0][:3]
    d = P - centre
    polar = np.arccos(d[:, 2] / np.linalg.norm(d, axis=1))
    azim = np.arctan2(d[:, 1], d[:, 0])
    xy = np.c_[-polar * np.sin(azim), polar * np.cos(azim)]
    at = {n: xy[lf.sensors.index(n)] for n in ("Cz", "Fz", "Oz", "C3", "C4", "Fp1")}
    assert np.hypot(*at["Cz"]) < 0.15                 # the vertex at the centre
    assert at["Fz"][1] > 0.3 and at["Oz"][1] < -0.3    # nose up
    assert at["C3"][0] < -0.3 and at["C4"][0] > 0.3    # left on the left
    assert at["Fp1"][0] < 0 < at["Fp1"][1]


# ----------------------------------------------------------------------------- BOLD
def test_bold_of_independent_inputs_has_a_high_noise_floor():
    """The haemodynamic filter leaves few effective samples: independent inputs give BOLD
    correlations that spread far more than 1/sqrt(number of samples)."""
    fs, T = 50.0, 30.0
    x = np.random.default_rng(2).standard_normal((int(T * fs), 40))
    hb = rs.bold.simulate_bold(x, fs, scale=0.2)
    y = hb.output("bold")[hb.t >= 6.0][::5]
    iu = np.triu_indices(40, 1)
    spread = np.corrcoef(y.T)[iu].std()
    assert spread > 2.0 / np.sqrt(y.shape[0])
    assert abs(np.corrcoef(y.T)[iu].mean()) < 0.1


def test_bold_of_correlated_inputs_is_correlated():
    fs, T = 50.0, 60.0
    rng = np.random.default_rng(3)
    common = np.repeat(rng.standard_normal((int(T), 1)), int(fs), axis=0)   # slow shared input
    x = common + 0.5 * rng.standard_normal((int(T * fs), 10))
    hb = rs.bold.simulate_bold(x, fs, scale=0.2)
    y = hb.output("bold")[hb.t >= 6.0]
    assert np.corrcoef(y.T)[np.triu_indices(10, 1)].mean() > 0.8
