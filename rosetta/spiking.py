r"""Networks of quadratic integrate-and-fire neurons: what the NMM2 mean fields average.

The exact mean fields of rung f (:mod:`rosetta.models.ing`, :mod:`rosetta.models.ping`)
describe populations of QIF neurons in the limit of infinitely many. This module simulates
the neurons themselves, so the book can check the limit. Population :math:`a` has
:math:`N_a` neurons

.. math::

    \tau_a \dot V_j = V_j^2 + \eta_j + \sum_b K_{ab}\, s_b(t) + I_a + u_a(t),

coupled all-to-all *through the population rates*: every spike of population :math:`b`
adds :math:`1/(N_b\,dt)` to its rate :math:`r_b` during one step, and :math:`r_b` drives the
same alpha synapse as in the mean field, :math:`\tau_{s,b}^2\ddot s_b + 2\tau_{s,b}\dot s_b
+ s_b = r_b`. The work per step is :math:`O(N)`; no :math:`N\times N` matrix exists. What a
model needs is declared next to its right-hand side, as ``model.neurons``
(:class:`rosetta.blocks.QIFPopulations`).

Choices, as in Montbrio, Pazo and Roxin's simulations [montbrio2015macroscopic]:

* **Excitabilities** :math:`\eta_j = \eta + \Delta\tan\bigl(\tfrac{\pi}{2}\,\tfrac{2j - N - 1}
  {N + 1}\bigr)`, :math:`j = 1, \dots, N`: the quantiles of the Lorentzian, placed
  deterministically (no sampling noise in the distribution itself).
* **Spikes.** The theory resets from :math:`+\infty` to :math:`-\infty`; here a neuron whose
  :math:`V` reaches :math:`V_p` (default 100) is held for the time the quadratic term takes
  to carry it from :math:`V_p` to infinity and back from :math:`-\infty` to :math:`-V_p`,
  :math:`2\tau/V_p`, its spike is counted at the middle of that refractory time, and it
  restarts at :math:`V_r = -V_p`. With ``refractory=False`` it restarts one step later (a
  different, cruder neuron: the finite-reset error then stays of order
  :math:`1/V_p` in the rate).
* **Integration**: Euler for the membranes and the synapses, step ``dt`` (ms). Near the peak
  :math:`\dot V \approx V_p^2/\tau`, so a step of 0.01 ms moves V by about
  :math:`V_p^2 dt / \tau`, a tenth of :math:`V_p` at :math:`\tau = 10` ms: coarse near the
  peak, where the neuron is about to be reset anyway, fine below.
* **Initial state**: the voltages are drawn from the Lorentzian the mean field assumes,
  centred at :math:`v` with half-width :math:`\pi\tau r`, at the quantiles of a seeded
  random permutation (so that :math:`V_j` is not correlated with :math:`\eta_j`); the
  synapses start at the mean field's :math:`s, \dot s`. ``x0`` is a mean-field state, so
  ``rs.simulate(model, x0=x0)`` is the comparison.

Recorded, every ``record_every`` steps: each population's rate (spikes in the interval over
:math:`N_a` times its length, kHz), its mean voltage (over the neurons not in their
refractory time: the mean of a Lorentzian is defined only as this principal value) and its
synaptic activation; and, for a raster, the spikes of ``n_raster`` neurons per population
(evenly spaced in :math:`\eta`). Memory grows with the recorded time and the raster's
size, never with :math:`N \times T`.

The finite network differs from the mean field in three ways. (i) Fluctuations: the rate
is a count of about :math:`N_a r\,dt` spikes per step, Poisson-like at rest. (ii) A bias of
order :math:`1/\sqrt N` from the quantiles: the largest excitability is about
:math:`2N\Delta/\pi`, and the neurons beyond it, which fire at
:math:`\sqrt{\eta}/(\pi\tau)`, are missing, a rate deficit of about
:math:`2\Delta/(\pi^2\tau\sqrt{\eta_{\max}})` before the network's feedback
(``tests/test_spiking.py`` checks it). (iii) The finite :math:`V_p` and the time step,
smaller effects at the defaults (measured: under 1 % of the rate).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

import numba
import numpy as np

from .forcing import Noise
from .integrate import as_drives, check_bytes, drive_channel
from .model import Model, ParameterError, SimulationError, default_state, is_real, shown
from .models import resolve as _get_model

__all__ = ["simulate_neurons", "SpikingResult", "lorentzian_quantiles"]

#: The most neurons a run may have (memory: about 20 bytes each).
MAX_NEURONS = 10_000_000


def lorentzian_quantiles(n: int, centre: float, half_width: float) -> np.ndarray:
    """The n quantiles centre + half_width tan(pi/2 (2j - n - 1)/(n + 1)), j = 1..n."""
    j = np.arange(1, n + 1)
    return centre + half_width * np.tan(0.5 * np.pi * (2 * j - n - 1) / (n + 1))


@dataclass
class SpikingResult:
    """A run of :func:`simulate_neurons`. Arrays of shape (T, n_populations): ``r``
    (kHz), ``v`` and ``s``; ``t`` (ms) is the end of each recording interval (the rate is
    the interval's mean). ``spikes[a]`` is a pair (times in ms, neuron index in the raster,
    0..n_raster-1, ordered by eta) for population ``a``."""

    t: np.ndarray
    r: np.ndarray
    v: np.ndarray
    s: np.ndarray
    spikes: list
    populations: tuple
    n: tuple
    model: Model
    dt: float
    record_every: int
    v_peak: float
    refractory: bool
    seed: int

    def population(self, name: str) -> int:
        try:
            return self.populations.index(name)
        except ValueError:
            raise ParameterError(f"no population {name!r}; the populations are "
                                 f"{', '.join(self.populations)}") from None

    @property
    def sampling_rate(self) -> float:
        """Samples per second of the recorded series (Hz)."""
        return 1.0 / (self.dt * self.record_every * self.model.seconds_per_unit)


@numba.njit(cache=True, fastmath=True, inline="never")
def _membranes(V, eta, ref, h, c, nr, v_peak):
    """One Euler step of one population's membranes; returns its spike count. A neuron
    reaching v_peak is held for ``nr`` steps, its spike counted halfway and its voltage
    set to -v_peak at the end. (Over views starting at 0, so that LLVM vectorises the
    loop: with the population's offset in the loop bounds it did not, 4x slower.)"""
    half = nr // 2
    spikes = 0.0
    for j in range(V.size):
        if ref[j] > 0:
            ref[j] -= 1
            if ref[j] == half:
                spikes += 1.0
            if ref[j] == 0:
                V[j] = -v_peak
            continue
        x = V[j]
        x += h * (x * x + eta[j] + c)
        if x >= v_peak:
            ref[j] = nr
        V[j] = x
    return spikes


@numba.njit(cache=True, fastmath=True, inline="never")
def _free_sum(V, ref):
    """The sum of the voltages of the neurons not in their refractory time, and their
    number (branch-free, over a view, so that it vectorises)."""
    total = 0.0
    num = 0.0
    for j in range(V.size):
        free = ref[j] == 0
        total += V[j] if free else 0.0
        num += 1.0 if free else 0.0
    return total, num


@numba.njit(cache=True, fastmath=True, nogil=True)
def _run(V, eta, start, inv_tau, K, tau_s, I, u, S, dS, dt, nsteps, every, v_peak, n_ref,
         raster, r_out, v_out, s_out, raster_out):
    """Euler steps of the neurons and the synapses; returns the step of a non-finite
    state or -1. ``ref`` counts down each neuron's refractory steps."""
    n_pop = start.size - 1
    N = V.size
    ref = np.zeros(N, dtype=np.int32)
    count = np.zeros(n_pop)
    acc = np.zeros(n_pop)
    cur = np.zeros(n_pop)
    k_rec = 0
    for step in range(nsteps):
        for a in range(n_pop):
            c = I[a] + u[step, a]
            for b in range(n_pop):
                c += K[a, b] * S[b]
            cur[a] = c
        for a in range(n_pop):
            lo, hi = start[a], start[a + 1]
            spikes = _membranes(V[lo:hi], eta[lo:hi], ref[lo:hi], dt * inv_tau[a], cur[a],
                                n_ref[a], v_peak)
            count[a] = spikes
            acc[a] += spikes
        # raster: the chosen neurons that spiked this step
        for a in range(n_pop):
            half = n_ref[a] // 2
            for q in range(raster.shape[0]):
                j = raster[q, a]
                if ref[j] == half and (half > 0 or V[j] == -v_peak):
                    raster_out[k_rec, q, a] += 1
        for a in range(n_pop):
            rate = count[a] / ((start[a + 1] - start[a]) * dt)
            ts = tau_s[a]
            ddS = (rate - S[a] - 2.0 * ts * dS[a]) / (ts * ts)
            S[a] += dt * dS[a]
            dS[a] += dt * ddS
        if (step + 1) % every == 0:
            for a in range(n_pop):
                total, num = _free_sum(V[start[a]:start[a + 1]], ref[start[a]:start[a + 1]])
                r_out[k_rec, a] = acc[a] / ((start[a + 1] - start[a]) * dt * every)
                v_out[k_rec, a] = total / num if num > 0 else np.nan
                s_out[k_rec, a] = S[a]
                acc[a] = 0.0
                if not (math.isfinite(S[a]) and math.isfinite(dS[a])):
                    return step
            k_rec += 1
    return -1


def _count(value, name, low, high):
    if not (isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
            and low <= value <= high):
        raise ParameterError(f"{name} must be an integer in [{low}, {high}], got {shown(value)}")
    return int(value)


def _positive(value, name, unit=""):
    if not (is_real(value) and math.isfinite(value) and value > 0):
        raise ParameterError(f"{name} must be a finite number > 0{' ' + unit if unit else ''}, "
                             f"got {shown(value)}")
    return float(value)


def simulate_neurons(model, n, duration: float, dt: float, params: Mapping | None = None,
                     drive=None, x0=None, seed: int = 0, v_peak: float = 100.0,
                     refractory: bool = True, record_every: int = 10,
                     n_raster: int = 50) -> SpikingResult:
    """Simulate the QIF network that the mean field ``model`` averages (see the module).

    Parameters
    ----------
    model : Model or name with a ``neurons`` declaration ("ing", "ping")
    n : int, or one int per population
        Neurons per population.
    duration, dt : float
        In ms. ``dt`` at most 0.05 ms and small enough that ``dt V_p^2 / tau < V_p``.
    params : mapping, optional
        Overrides of the model's parameters (scalars).
    drive : Drive or list of Drives, optional
        Deterministic drives (times in s, as everywhere in rosetta) on the model's input
        channels; each reaches the populations that listen to its channel. Noise is refused:
        the network's own finite size is its noise.
    x0 : array, optional
        A mean-field state (``model.n_state``) to start from; default the middle of the
        state ranges.
    seed : int >= 0
        Seeds the permutation of the initial voltages; the same seed gives the same run.
    v_peak : float
        Peak (and minus the reset) potential, > 1.
    refractory : bool
        Hold a neuron for 2 tau / v_peak after its peak and count its spike halfway
        (default), or reset it at once.
    record_every : int
        Steps per recording interval.
    n_raster : int
        Neurons per population whose spikes are kept.
    """
    model = _get_model(model)
    if model.neurons is None:
        have = ", ".join(m for m in _spiking_models())
        raise ParameterError(f"{model.name} declares no spiking network (model.neurons); "
                             f"models that do: {have}")
    p = model.record(params)
    pops = model.neurons(p)
    n_pop = len(pops.name)
    ns = [n] * n_pop if not isinstance(n, (list, tuple, np.ndarray)) else list(n)
    if len(ns) != n_pop:
        raise ParameterError(f"n: one number of neurons per population ({n_pop}: "
                             f"{', '.join(pops.name)}), got {shown(n)}")
    ns = [_count(k, "n (neurons per population)", 1, MAX_NEURONS) for k in ns]
    duration = _positive(duration, "duration", "ms")
    dt = _positive(dt, "dt", "ms")
    v_peak = _positive(v_peak, "v_peak")
    if v_peak <= 1.0:
        raise ParameterError(f"v_peak must be > 1 (the theory has v_peak -> infinity; the "
                             f"literature uses 100), got {v_peak:g}")
    if dt > 0.05 or dt * v_peak / min(pops.tau) >= 1.0:
        raise ParameterError(
            f"dt = {dt:g} ms is too large for QIF neurons with v_peak = {v_peak:g} and "
            f"tau = {min(pops.tau):g} ms: Euler jumps past the peak (dt v_peak^2 / tau >= "
            f"v_peak) or misses the synapses; use dt <= "
            f"{min(0.05, 0.5 * min(pops.tau) / v_peak):.3g} ms")
    if not isinstance(refractory, (bool, np.bool_)):
        raise ParameterError(f"refractory must be True or False, got {shown(refractory)}")
    every = _count(record_every, "record_every", 1, 10**9)
    n_raster = _count(n_raster, "n_raster", 0, min(ns))
    if not (isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0):
        raise ParameterError(f"seed must be an integer >= 0, got {shown(seed)}")
    nsteps = int(round(duration / dt))
    if nsteps < every:
        raise ParameterError(f"duration {duration:g} ms is shorter than one recording interval "
                             f"({every} steps of {dt:g} ms)")
    n_rec = nsteps // every
    N = sum(ns)
    check_bytes(20.0 * N + 8.0 * nsteps * n_pop + 24.0 * n_rec * n_pop
                + 2.0 * n_rec * max(n_raster, 1) * n_pop,
                f"{model.name}: {N} neurons, {nsteps} steps", "use fewer neurons, a shorter "
                "run or a larger record_every")

    # drives: a table of the input to each population at the step times
    drives = as_drives(drive)
    u = np.zeros((nsteps, n_pop))
    t_steps = np.arange(nsteps) * dt * model.seconds_per_unit
    for d in drives:
        if isinstance(d, Noise):
            raise ParameterError("simulate_neurons: Noise drives are refused; a finite network "
                                 "is noisy by itself (fluctuations ~ 1/sqrt(N))")
        if d.nodes is not None:
            raise ParameterError("simulate_neurons runs one node: leave the drive's nodes unset")
        ch = drive_channel(model, d)
        for a in range(n_pop):
            if pops.channel[a] == ch:
                u[:, a] += np.asarray(d(t_steps), dtype=float)
    if not np.all(np.isfinite(u)):
        raise ParameterError("a drive produced non-finite values")

    # the neurons: excitabilities at the Lorentzian's quantiles, voltages from the
    # mean field's Lorentzian at a seeded permutation of its quantiles
    x = default_state(model, 1, x0)[0]
    rng = np.random.default_rng(seed)
    start = np.zeros(n_pop + 1, dtype=np.int64)
    start[1:] = np.cumsum(ns)
    eta = np.empty(N)
    V = np.empty(N)
    for a in range(n_pop):
        sl = slice(start[a], start[a + 1])
        eta[sl] = lorentzian_quantiles(ns[a], pops.eta[a], pops.Delta[a])
        r0, v0 = x[pops.r[a]], x[pops.v[a]]
        width = math.pi * pops.tau[a] * max(r0, 0.0)
        V[sl] = np.clip(lorentzian_quantiles(ns[a], v0, width)[rng.permutation(ns[a])]
                        if width > 0 else v0, -v_peak, v_peak * (1 - 1e-9))
    S = np.array([x[i] for i in pops.s], dtype=float)
    dS = np.array([x[i] for i in pops.ds], dtype=float)
    # refractory steps per population: 2 tau / v_peak, at least 2 (spike counted halfway);
    # without, one step (the spike is counted and the neuron reset on the next step)
    n_ref = np.array([max(2, int(round(2.0 * tau / v_peak / dt))) if refractory else 1
                      for tau in pops.tau], dtype=np.int64)
    raster = np.zeros((n_raster, n_pop), dtype=np.int64)
    for a in range(n_pop):
        raster[:, a] = start[a] + np.linspace(0, ns[a] - 1, n_raster).round().astype(np.int64)
    r_out = np.zeros((n_rec, n_pop))
    v_out = np.zeros((n_rec, n_pop))
    s_out = np.zeros((n_rec, n_pop))
    raster_out = np.zeros((n_rec + 1, max(n_raster, 1), n_pop), dtype=np.uint16)
    fail = _run(V, eta, start, 1.0 / np.asarray(pops.tau, float), np.asarray(pops.K, float),
                np.asarray(pops.tau_s, float), np.asarray(pops.I, float), u, S, dS, dt, nsteps,
                every, v_peak, n_ref, raster, r_out, v_out, s_out, raster_out)
    if fail >= 0:
        raise SimulationError(f"{model.name} spiking network: the synapses stopped being finite "
                              f"at t = {fail * dt:g} ms; reduce dt (now {dt:g} ms)")
    t = (np.arange(n_rec) + 1) * every * dt
    spikes = []
    for a in range(n_pop):
        k, q = np.nonzero(raster_out[:n_rec, :n_raster, a])
        spikes.append(((k + 1) * every * dt, q))
    return SpikingResult(t, r_out, v_out, s_out, spikes, tuple(pops.name), tuple(ns), model,
                         dt, every, v_peak, bool(refractory), int(seed))


def _spiking_models():
    from . import models
    return [name for name in models if models[name].neurons is not None]
