"""Checks of the numbers the chapter "NMM1: Wendling and the laminar model" rests on.

Independent of rosetta's continuation where possible: the modulation index against the
small-coupling law and against a waveform with harmonics but no fast rhythm (synthetic
signals, in the chapter's bands), the AUTO-file shift against its closed form for other
gains than tests/test_nmm1_models.py checks, the silence of Wendling's fast population
by simulation, the Hopf point in B from the eigenvalues of equilibria, and the LaNMM's
rhythms under a drive to P2, its PAC artefact and its two-node network by simulation."""
import math

import numpy as np
import pytest
from scipy import signal

import rosetta as rs
from rosetta import forcing as rf, measures as rm

ALPHA, GAMMA = (8.0, 13.0), (30.0, 60.0)
FS = 1000.0
N_BINS = 18


def mi_by_hand(phase, amp, n_bins=N_BINS):
    """Tort's index from a phase and an amplitude series, as the chapter computes surrogates."""
    bins = np.minimum(((phase + np.pi) / (2 * np.pi) * n_bins).astype(int), n_bins - 1)
    p = np.bincount(bins, weights=amp, minlength=n_bins) / np.bincount(bins, minlength=n_bins)
    p /= p.sum()
    return float(np.sum(p * np.log(p * n_bins)) / np.log(n_bins))


def phase_and_envelope(x, fs=FS):
    cut = int(round(2.0 / ALPHA[0] * fs))
    phase = np.angle(signal.hilbert(rm.bandpass(x, fs, ALPHA)))[cut:-cut]
    amp = np.abs(signal.hilbert(rm.bandpass(x, fs, GAMMA)))[cut:-cut]
    return phase, amp


def shifted_surrogates(phase, amp, n=100, seed=0, fs=FS):
    rng = np.random.default_rng(seed)
    lags = rng.integers(int(fs), amp.size - int(fs), n)
    return np.array([mi_by_hand(phase, np.roll(amp, k)) for k in lags])


DIFFUSION = 0.05          # rad per sqrt(ms): the alpha phase decorrelates within a second


def alpha_gamma(m, seconds=40.0, phi0=0.0, seed=0):
    """10 Hz and 45 Hz; the 45 Hz amplitude is 1 + m cos(alpha phase - phi0) (sidebands at 35
    and 55 Hz, inside the gamma band); the alpha phase diffuses (a random walk) so that
    time-shifted surrogates decorrelate."""
    t = np.arange(0.0, seconds, 1.0 / FS)
    rng = np.random.default_rng(seed)
    theta = 2 * np.pi * 10.0 * t + np.cumsum(rng.standard_normal(t.size)) * DIFFUSION
    return np.cos(theta) + 0.3 * (1 + m * np.cos(theta - phi0)) * np.sin(2 * np.pi * 45.0 * t)


# ------------------------------------------------------------- modulation index, synthetic
def test_modulation_index_follows_the_small_coupling_law_in_the_chapters_bands():
    ms = (0.0, 0.1, 0.2, 0.4)
    mis = [rm.modulation_index(alpha_gamma(m), FS, ALPHA, GAMMA) for m in ms]
    assert mis[0] < 2e-4
    assert np.all(np.diff(mis) > 0)
    for m, mi in zip(ms[1:3], mis[1:3]):
        assert mi == pytest.approx(m ** 2 / (4 * math.log(N_BINS)), rel=0.15)


@pytest.mark.parametrize("phi0", [0.0, 2.0, -1.2])
def test_phase_amplitude_peaks_at_the_coupling_phase(phi0):
    centres, p = rm.phase_amplitude(alpha_gamma(0.5, phi0=phi0), FS, ALPHA, GAMMA)
    best = centres[np.argmax(p)]
    assert abs(np.angle(np.exp(1j * (best - phi0)))) <= 2 * np.pi / N_BINS


def test_surrogates_separate_coupling_from_bias_and_the_hand_index_matches():
    x = alpha_gamma(0.2)
    phase, amp = phase_and_envelope(x)
    mi = rm.modulation_index(x, FS, ALPHA, GAMMA)
    assert mi_by_hand(phase, amp) == pytest.approx(mi, rel=1e-12)
    assert mi > 5 * np.percentile(shifted_surrogates(phase, amp), 95)
    x0 = alpha_gamma(0.0)
    phase0, amp0 = phase_and_envelope(x0)
    assert mi_by_hand(phase0, amp0) < np.percentile(shifted_surrogates(phase0, amp0), 99.5) * 3


def test_a_sharp_waveform_without_a_fast_rhythm_scores_as_coupled():
    """Narrow pulses at 10 Hz (jittered phase): no 40 Hz rhythm, only harmonics, yet the
    index beats the time-shift surrogates by far - the waveform artefact the chapter warns of."""
    t = np.arange(0.0, 40.0, 1.0 / FS)
    rng = np.random.default_rng(1)
    theta = 2 * np.pi * 10.0 * t + np.cumsum(rng.standard_normal(t.size)) * DIFFUSION
    x = np.exp((np.cos(theta) - 1) / 0.05) + 0.01 * rng.standard_normal(t.size)
    phase, amp = phase_and_envelope(x)
    mi = mi_by_hand(phase, amp)
    assert mi > 0.01
    assert mi > 10 * np.percentile(shifted_surrogates(phase, amp), 95)


# ------------------------------------------------------------------------- Wendling
def wendling_hopf_k1(G):
    d = rs.bifurcation_diagram("wendling", "P", (0.0, 2300.0), params={"G": G, "kappa": 1.0},
                               observable="y0", cycles=False)
    sat = 2 * 2.5 * 0.8 * 135.0 * G / 500.0
    return [h.param for h in d.special("HB+") if abs(h.state[3] - sat) < 1e-3 * sat]


@pytest.mark.parametrize("G, n_points", [(15.0, 2), (5.0, 1)])
def test_auto_file_shift_is_a_over_A_times_the_saturated_fast_psp(G, n_points):
    """Shift = (a/A) 2 e0 C7 G / g while the fast population is saturated; at G = 5 it only
    stays saturated up to the first Hopf point (the chapter's exercise)."""
    printed = np.array([368.9480, 1398.8940])
    shift = 100.0 / 3.25 * 2 * 2.5 * 0.8 * 135.0 * G / 500.0
    got = wendling_hopf_k1(G)
    assert len(got) == n_points
    assert np.array(got) == pytest.approx(printed[:n_points] + shift, abs=2e-3)


def test_wendling_fast_population_is_silent_and_G_does_nothing():
    """Printed form: bound C5 * 2 e0 A / a on the fast cells' input; G = 0 and G = 30 give the
    same y0 at P = 300 and 800, for the default and a small B."""
    assert 0.3 * 135.0 * 2 * 2.5 * 3.25 / 100.0 == pytest.approx(6.58125)
    wd = rs.models["wendling"]
    x0 = np.array([0.03, 12.0, 14.0, 0.0, 0, 0, 0, 0])
    for P in (300.0, 800.0):
        for B in (5.0, 22.0):
            runs = [rs.simulate(wd, 2.0, 1e-4, x0=x0, params={"P": P, "B": B, "G": G}, record_every=10)
                    for G in (0.0, 30.0)]
            assert np.abs(runs[0].y0 - runs[1].y0).max() < 1e-3
            arg = 0.3 * 135.0 * runs[1].y0 - 0.1 * 135.0 * runs[1].y2
            rate = 5.0 / (1 + np.exp(0.56 * (6.0 - arg[runs[1].t > 0.5])))
            assert rate.max() < 0.01


def test_wendling_background_loses_stability_when_B_is_lowered():
    """At P = 300 the equilibrium's leading complex pair crosses between B = 7.0 and 7.2 (the
    chapter's 7.11), and a simulation below it oscillates at about 15.7 Hz."""
    wd = rs.models["wendling"]
    lead = {}
    for B in (7.0, 7.2):
        (fp,) = rs.fixed_points(wd, {"P": 300.0, "B": B})
        ev = np.linalg.eigvals(wd.jac(fp.state, {**wd.defaults, "P": 300.0, "B": B}))
        lead[B] = ev[np.abs(ev.imag) > 1e-6].real.max()
    assert lead[7.0] > 0 > lead[7.2]
    r = rs.simulate(wd, 6.0, 1e-4, x0=fp.state + 1e-3, params={"P": 300.0, "B": 5.0}, record_every=10)
    y = r.y0[r.t > 4.0]
    assert 0.5 * (y.max() - y.min()) > 1e-3
    assert rm.dominant_frequency(y, r.sampling_rate, fmin=1) == pytest.approx(15.7, abs=0.7)


# ---------------------------------------------------------------------------- LaNMM
LN = rs.models["lanmm"]
PL = LN.defaults
X0 = np.array([0.02, 0.02, -0.3, 0.02, -0.2, 0, 0, 0, 0, 0])


def v_p1(r):
    return PL["C1"] * r.y2 + PL["C2"] * r.y3 + PL["C11"] * r.y4


def v_p2(r):
    return PL["C6"] * r.y4 + PL["C7"] * r.y5 + PL["C12"] * r.y1


def band(x, fs, b):
    f, S = rm.power_spectrum(x, fs)
    keep = (f >= b[0]) & (f <= b[1])
    return S[keep].sum() * (f[1] - f[0])


def lanmm_run(P, drive_P2, seconds=10.0):
    drive = rf.Constant(value=drive_P2, channel="P2") if drive_P2 else None
    r = rs.simulate(LN, seconds, 2e-4, x0=X0, params={"P": P}, drive=drive, record_every=5)
    keep = r.t >= 2.0
    return v_p1(r)[keep], v_p2(r)[keep], r.sampling_rate


def test_a_drive_to_P2_adds_gamma_to_alpha_and_wakes_gamma_from_rest():
    a1, a2, fs = lanmm_run(250.0, 0.0)
    b1, b2, _ = lanmm_run(250.0, 150.0)
    f_alpha = rm.dominant_frequency(a1, fs, fmin=1)
    assert ALPHA[0] < f_alpha < ALPHA[1]
    assert ALPHA[0] < rm.dominant_frequency(b1, fs, fmin=1) < ALPHA[1]       # alpha stays
    assert band(b2, fs, GAMMA) > 10 * band(a2, fs, GAMMA)                     # gamma arrives
    # without the drive the gamma band of v_P2 holds only harmonics of the alpha cycle
    f, S = rm.power_spectrum(a2, fs, nperseg=int(8 * fs))
    inside = (f >= GAMMA[0]) & (f <= GAMMA[1])
    peak = f[inside][np.argmax(S[inside])]
    assert abs(peak / f_alpha - round(peak / f_alpha)) * f_alpha < 0.3
    # at P = 400 (rest on the paper's line) the drive starts gamma alone
    c1, c2, _ = lanmm_run(400.0, 0.0)
    d1, d2, _ = lanmm_run(400.0, 150.0)
    assert 0.5 * (c2.max() - c2.min()) < 0.1 < 0.5 * (d2.max() - d2.min())
    assert GAMMA[0] < rm.dominant_frequency(d2, fs, fmin=1) < GAMMA[1]
    assert band(d1, fs, ALPHA) < 1e-3 * band(b1, fs, ALPHA)


def ou(seconds, sd, tau=0.01, dt=5e-4, seed=2):
    rng = np.random.default_rng(seed)
    a = math.exp(-dt / tau)
    n = int(round(seconds / dt)) + 1
    return np.arange(n) * dt, signal.lfilter([1.0], [1.0, -a], sd * math.sqrt(1 - a * a)
                                             * rng.standard_normal(n))


def test_lanmm_pac_with_and_without_gamma_both_beat_their_surrogates():
    """The chapter's caveat, in the model: at P = 250 with OU noise on P, the alpha-only
    regime's index beats its surrogates as the coupled regime's does, from a weaker envelope."""
    t_n, noise = ou(32.0, 30.0)
    out = {}
    for P2 in (0.0, 150.0):
        r = rs.simulate(LN, 32.0, 2e-4, x0=X0, params={"P": 250.0, "P2": P2}, record_every=5,
                        drive=rf.Array(values=noise, times=t_n, channel="P"))
        x = v_p2(r)[r.t >= 2.0]
        phase, amp = phase_and_envelope(x, r.sampling_rate)
        surr = shifted_surrogates(phase, amp, n=60, fs=r.sampling_rate)
        out[P2] = (mi_by_hand(phase, amp), np.percentile(surr, 95), amp.mean())
    for mi, s95, _ in out.values():
        assert mi > 5 * s95
    assert out[150.0][2] > 2 * out[0.0][2]


def test_two_nodes_deep_coupling_carries_alpha_superficial_carries_gamma():
    pair = np.array([[0.0, 1.0], [1.0, 0.0]])
    stats = {}
    for name, (gd, gs) in {"deep": (20.0, 0.0), "sup": (0.0, 20.0)}.items():
        net = rs.network(LN, pair, G=1.0, normalize=None,
                         params={"P": np.array([250.0, 400.0]), "P2": np.array([0.0, 150.0])},
                         projections=[rs.Projection("P1", "P", gain=gd), rs.Projection("P2", "P2", gain=gs)])
        r = rs.simulate(net, 6.0, 2e-4, x0=np.tile(X0, (2, 1)), record_every=5)
        keep = r.t >= 2.0
        fs = r.sampling_rate
        v1, v2 = v_p1(r)[keep], v_p2(r)[keep]
        stats[name] = {"alpha": [band(v1[:, i], fs, ALPHA) for i in (0, 1)],
                       "gamma": [band(v2[:, i], fs, GAMMA) for i in (0, 1)]}
    deep, sup = stats["deep"], stats["sup"]
    assert deep["alpha"][1] > 0.3 * deep["alpha"][0]          # B's deep layer takes A's alpha
    assert sup["alpha"][1] < 0.01 * sup["alpha"][0]           # not through the superficial route
    assert sup["gamma"][0] > 2 * deep["gamma"][0]             # A takes B's gamma superficially
    assert sup["gamma"][0] > 0.1 * sup["gamma"][1]
