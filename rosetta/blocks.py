r"""Building blocks shared by the neural mass models: transfer functions and synapses.

Rungs d-f of the ladder are made of the same few parts: a *transfer function* turns a
population's input (a potential or a current) into a firing rate, and a *synapse* filters a
firing rate into a post-synaptic potential or current. Each part is declared here once, with
its parameter metadata, and the models import it:

* the numba functions are plain functions of floats (``@njit(cache=True)``), called from a
  model's ``rhs``, ``output`` and ``jacobian``; each comes with its derivative, so a hand
  Jacobian reuses the same block instead of writing the equation a second time;
* the ``*_parameters`` factories return tuples of :class:`~rosetta.model.Parameter` that a
  model splices into its own ``parameters`` (choosing names and defaults per population);
* the impulse responses and peak times are plain numpy functions, for figures and tests.

Transfer functions
------------------
The sigmoid of the Jansen-Rit family [jansen1995electroencephalogram]

.. math::

    S(v) = \frac{2e_0}{1 + e^{r(v_0 - v)}}, \qquad
    S'(v) = 2 e_0 r\, \sigma(1 - \sigma),\quad \sigma = \frac{1}{1 + e^{r(v_0 - v)}},

(maximal rate :math:`2e_0`, half-maximal at :math:`v_0`, slope :math:`e_0 r/2` there), and
the plain logistic of Wilson and Cowan's rate equations [wilson1972excitatory] as used by
the paper [castaldo2026rosetta], :math:`\sigma(s) = 1/(1 + e^{-s})` with
:math:`\sigma' = \sigma(1 - \sigma)`. Both are evaluated without overflow for any argument.

The transfer function of quadratic integrate-and-fire neurons whose excitabilities are
Lorentzian (Cauchy) with half-width :math:`\Delta`: the stationary rate of the exact mean
field [montbrio2015macroscopic] at total input :math:`I` (no recurrent coupling),

.. math::

    \Phi(I) = \frac{1}{\tau_m \pi \sqrt 2}\sqrt{I + \sqrt{I^2 + \Delta^2}}, \qquad
    \Phi'(I) = \frac{\Phi(I)}{2\sqrt{I^2 + \Delta^2}} .

For :math:`I \gg \Delta` it tends to a single neuron's rate :math:`\sqrt I/(\pi\tau_m)`;
for :math:`I \ll -\Delta` to the tail :math:`\Delta / (2\pi\tau_m\sqrt{|I|})` of the
neurons pushed across threshold by the heterogeneity (computed as
:math:`\Delta^2 / (\sqrt{I^2 + \Delta^2} - I)`, without the cancellation of the first form).

Synapses
--------
A rate :math:`r(t)` is filtered into a synaptic variable :math:`s` by

.. math::

    \tau\dot s = -s + \gamma r \quad\text{(first order)}, \qquad
    \tau_r\tau_d\,\ddot s + (\tau_r + \tau_d)\,\dot s + s = \gamma r
    \quad\text{(second order)},

whose impulse responses, normalised to unit area, are

.. math::

    h_1(t) = \frac{e^{-t/\tau}}{\tau}, \qquad
    h_2(t) = \frac{e^{-t/\tau_d} - e^{-t/\tau_r}}{\tau_d - \tau_r}
    \;\xrightarrow{\tau_r = \tau_d = \tau}\; \frac{t}{\tau^2}\,e^{-t/\tau}\ \text{(alpha)},

with the bi-exponential peaking at :math:`t^* = \ln(\tau_d/\tau_r)\,\tau_r\tau_d/(\tau_d -
\tau_r)` and the alpha kernel at :math:`t^* = \tau`; :math:`\tau_r \to 0` gives back the
first-order synapse [castaldo2026rosetta].

The post-synaptic potential (PSP) operator of the Jansen-Rit family is the alpha synapse
written with a rate constant :math:`a = 1/\tau` and a gain :math:`A = a\gamma`:

.. math::

    \ddot y = A a\, S - 2a\dot y - a^2 y, \qquad
    \text{impulse response } A a\, t\, e^{-a t},

so :math:`A` is the height scale of the PSP (mV) and :math:`a` its rate (1/s).

References: Jansen and Rit (1995) [jansen1995electroencephalogram]; Wilson and Cowan (1972)
[wilson1972excitatory]; Montbrio, Pazo and Roxin (2015) [montbrio2015macroscopic];
Castaldo et al., "Rosetta Stone of Neural Mass Models" (2026), the interlude on synapses
and transfer functions [castaldo2026rosetta].
"""
from __future__ import annotations

import math
from dataclasses import replace
from typing import NamedTuple

import numpy as np
from numba import njit

from .model import Parameter

__all__ = [
    # transfer functions
    "logistic", "logistic_derivative", "logistic_and_derivative",
    "sigmoid", "sigmoid_derivative", "qif_transfer", "qif_transfer_derivative",
    # synapses
    "psp", "psp_partials", "synapse_first_order", "synapse_second_order",
    "first_order_kernel", "alpha_kernel", "biexponential_kernel", "peak_time",
    # parameter metadata
    "sigmoid_parameters", "psp_parameters", "first_order_synapse_parameters",
    "second_order_synapse_parameters", "qif_parameters", "SIGMOID",
]


# ============================================================================ transfer functions
@njit(cache=True)
def logistic_and_derivative(z):
    """(s, s (1 - s)) for s = 1 / (1 + exp(-z)), without overflow for any z."""
    if z >= 0.0:
        e = math.exp(-z)
        s = 1.0 / (1.0 + e)
        return s, s * (e / (1.0 + e))
    e = math.exp(z)
    s = e / (1.0 + e)
    return s, s * (1.0 / (1.0 + e))


@njit(cache=True, error_model="numpy")
def logistic(z):
    """The logistic 1 / (1 + exp(-z)) (Wilson-Cowan's sigmoid, maximum 1).

    Branch-free, because it sits in every right-hand side that simulations call millions of
    times: in IEEE arithmetic exp(-z) overflows to inf for z < -709 and the result is then
    exactly 0, the correct limit, with no NaN (the derivative, used by Jacobians only,
    keeps the two-branch form that also avoids cancellation)."""
    return 1.0 / (1.0 + math.exp(-z))


@njit(cache=True)
def logistic_derivative(z):
    """d/dz of the logistic: s (1 - s), computed without cancellation."""
    _, d = logistic_and_derivative(z)
    return d


@njit(cache=True)
def sigmoid(v, e0, r, v0):
    """S(v) = 2 e0 / (1 + exp(r (v0 - v))): the Jansen-Rit firing rate at potential v."""
    return 2.0 * e0 * logistic(r * (v - v0))


@njit(cache=True)
def sigmoid_derivative(v, e0, r, v0):
    """S'(v) = 2 e0 r s (1 - s), s = 1 / (1 + exp(r (v0 - v)))."""
    return 2.0 * e0 * r * logistic_derivative(r * (v - v0))


@njit(cache=True)
def _qif_inner(I, Delta):
    """(I + sqrt(I^2 + Delta^2), sqrt(I^2 + Delta^2)), the first without cancellation."""
    h = math.hypot(I, Delta)
    if I >= 0.0:
        return I + h, h
    if h == 0.0:
        return 0.0, 0.0
    return Delta * (Delta / (h - I)), h        # = I + h for I < 0


@njit(cache=True)
def qif_transfer(I, Delta, tau_m):
    """Phi(I) = sqrt(I + sqrt(I^2 + Delta^2)) / (tau_m pi sqrt 2): the stationary rate of
    QIF neurons with Lorentzian excitabilities (half-width Delta) at total input I."""
    g, _ = _qif_inner(I, Delta)
    return math.sqrt(g) / (tau_m * math.pi * math.sqrt(2.0))


@njit(cache=True)
def qif_transfer_derivative(I, Delta, tau_m):
    """Phi'(I) = Phi(I) / (2 sqrt(I^2 + Delta^2)) (infinite at I = Delta = 0)."""
    g, h = _qif_inner(I, Delta)
    if h == 0.0:
        return math.inf
    return math.sqrt(g) / (tau_m * math.pi * math.sqrt(2.0)) / (2.0 * h)


# ============================================================================ QIF mean field
@njit(cache=True)
def qif_mean_field(r, v, tau, Delta, current):
    """(r', v') of the exact mean field of QIF neurons [montbrio2015macroscopic] in the
    Delta/(pi tau) convention of the paper's code: tau r' = Delta/(pi tau) + 2 r v and
    tau v' = v^2 - (pi tau r)^2 + current, where ``current`` is everything else in the
    voltage equation (eta + synaptic currents + input)."""
    pr = math.pi * tau * r
    return (Delta / (math.pi * tau) + 2.0 * r * v) / tau, (v * v - pr * pr + current) / tau


@njit(cache=True)
def qif_mean_field_partials(r, v, tau):
    """The partial derivatives of :func:`qif_mean_field`: (dr'/dr, dr'/dv, dv'/dr, dv'/dv);
    dv'/dcurrent is 1/tau."""
    return 2.0 * v / tau, 2.0 * r / tau, -2.0 * math.pi * math.pi * tau * r, 2.0 * v / tau


class QIFPopulations(NamedTuple):
    """The spiking network that a QIF mean field averages, declared by the model next to
    its right-hand side (``Model.neurons``: parameter record -> this) and run by
    :func:`rosetta.spiking.simulate_neurons`. Population ``a`` has neurons
    ``tau[a] V' = V^2 + eta_j + sum_b K[a][b] s_b + I[a] + u_a(t)`` with ``eta_j``
    Lorentzian (centre ``eta[a]``, half-width ``Delta[a]``), and its rate drives an alpha
    synapse ``s_a`` of time constant ``tau_s[a]`` and unit area. The index fields name where
    each population's r, v, s and ds live in the mean field's state, and ``channel[a]`` the
    input channel whose drives reach it."""

    name: tuple           # population names, e.g. ("E", "I")
    tau: tuple            # membrane time constants
    Delta: tuple          # half-widths of the excitabilities
    eta: tuple            # centres of the excitabilities
    K: tuple              # K[a][b]: current per unit of s_b in population a's equation
    tau_s: tuple          # time constants of the outgoing alpha synapses
    I: tuple              # constant currents
    r: tuple              # state indices of the rates
    v: tuple              # ... of the mean voltages
    s: tuple              # ... of the synaptic activations
    ds: tuple             # ... of their derivatives
    channel: tuple        # input channel of each population


# ============================================================================ synapses
@njit(cache=True)
def psp(y, dy, A, a, rate):
    """The PSP operator: y'' = A a rate - 2 a y' - a^2 y (an alpha synapse with rate a =
    1 / tau and gain A = a gamma). ``rate`` is the presynaptic firing rate, already
    multiplied by any connectivity constant."""
    return A * a * rate - 2.0 * a * dy - a * a * y


@njit(cache=True)
def psp_partials(A, a):
    """The partial derivatives of :func:`psp` with respect to (y, y', rate):
    (-a^2, -2 a, A a). They do not depend on the state: the operator is linear."""
    return -a * a, -2.0 * a, A * a


@njit(cache=True)
def synapse_first_order(s, rate, tau, gamma):
    """s' of the first-order synapse tau s' = -s + gamma rate."""
    return (gamma * rate - s) / tau


@njit(cache=True)
def synapse_second_order(s, ds, rate, tau_r, tau_d, gamma):
    """s'' of the second-order synapse tau_r tau_d s'' + (tau_r + tau_d) s' + s = gamma rate
    (the alpha synapse when tau_r = tau_d); needs tau_r, tau_d > 0."""
    return (gamma * rate - s - (tau_r + tau_d) * ds) / (tau_r * tau_d)


def _normalise(h, peak_value, norm):
    if norm == "area":
        return h
    if norm == "peak":
        return h / peak_value
    raise ValueError(f"norm must be 'area' (unit integral) or 'peak' (maximum 1), got {norm!r}")


def first_order_kernel(t, tau, norm="area"):
    """Impulse response of tau s' = -s + r: exp(-t/tau) / tau for t >= 0, zero before.
    ``norm="area"`` integrates to 1, ``norm="peak"`` has maximum 1 (at t = 0)."""
    t = np.asarray(t, dtype=float)
    if not tau > 0:
        raise ValueError(f"tau must be > 0, got {tau!r}")
    pos = np.maximum(t, 0.0)
    h = np.where(t >= 0, np.exp(-pos / tau) / tau, 0.0)
    return _normalise(h, 1.0 / tau, norm)


def alpha_kernel(t, tau, norm="area"):
    """Impulse response of the alpha synapse (tau s'' + ... with tau_r = tau_d = tau):
    t exp(-t/tau) / tau^2 for t >= 0; its peak is at t = tau."""
    t = np.asarray(t, dtype=float)
    if not tau > 0:
        raise ValueError(f"tau must be > 0, got {tau!r}")
    pos = np.maximum(t, 0.0)
    h = np.where(t >= 0, pos / tau**2 * np.exp(-pos / tau), 0.0)
    return _normalise(h, 1.0 / (tau * math.e), norm)


def biexponential_kernel(t, tau_r, tau_d, norm="area"):
    """Impulse response of tau_r tau_d s'' + (tau_r + tau_d) s' + s = r:
    (exp(-t/tau_d) - exp(-t/tau_r)) / (tau_d - tau_r) for t >= 0.

    Symmetric in (tau_r, tau_d); computed with expm1, so it tends smoothly to the alpha
    kernel as tau_r -> tau_d (and equals it there), and to the first-order kernel as
    tau_r -> 0 (and equals it at tau_r = 0).
    """
    t = np.asarray(t, dtype=float)
    short, long_ = sorted((float(tau_r), float(tau_d)))
    if short < 0 or not long_ > 0:
        raise ValueError(f"time constants must be >= 0 with one > 0, got {tau_r!r}, {tau_d!r}")
    if short == 0.0:
        return first_order_kernel(t, long_, norm)
    if short == long_:
        return alpha_kernel(t, long_, norm)
    pos = np.maximum(t, 0.0)
    rate_gap = (long_ - short) / (long_ * short)          # 1/short - 1/long
    h = np.exp(-pos / long_) * (-np.expm1(-pos * rate_gap)) / (long_ - short)
    h = np.where(t >= 0, h, 0.0)
    if norm == "peak":
        tp = peak_time(short, long_)
        peak = math.exp(-tp / long_) * (-math.expm1(-tp * rate_gap)) / (long_ - short)
        return _normalise(h, peak, norm)
    return _normalise(h, 1.0, norm)


def peak_time(tau_r, tau_d):
    """Time of the maximum of the second-order kernel:
    ln(tau_d/tau_r) tau_r tau_d / (tau_d - tau_r), tau in the alpha limit tau_r = tau_d, 0
    for a first-order synapse (tau_r = 0). Evaluated as tau_long log1p(x)/x with
    x = (tau_long - tau_short)/tau_short, which stays accurate as tau_r -> tau_d."""
    short, long_ = sorted((float(tau_r), float(tau_d)))
    if short < 0 or not long_ > 0:
        raise ValueError(f"time constants must be >= 0 with one > 0, got {tau_r!r}, {tau_d!r}")
    if short == 0.0:
        return 0.0
    x = (long_ - short) / short
    if x == 0.0:
        return long_
    return long_ * math.log1p(x) / x


# ============================================================================ parameter metadata
def _pick(template: Parameter, value, name=None, symbol=None, meaning=None) -> Parameter:
    """``template`` with a new name and default. ``value`` is a default (the slider range
    widens to include it) or a (default, low, high) triple."""
    if isinstance(value, (tuple, list)):
        default, low, high = (float(v) for v in value)
    else:
        default = float(value)
        low, high = min(template.low, default), max(template.high, default)
    return replace(template, name=name or template.name, default=default, low=low, high=high,
                   symbol=symbol if symbol is not None else
                   (template.symbol if name is None else name),
                   meaning=meaning or template.meaning)


_E0 = Parameter("e0", 2.5, "1/s", 1.0, 5.0,
                "half the maximal firing rate of the sigmoid", "e_0", (0.0, None))
_R = Parameter("r", 0.56, "1/mV", 0.2, 1.5, "steepness of the sigmoid", "r", (0.0, None))
_V0 = Parameter("v0", 6.0, "mV", 3.0, 9.0, "potential at half-maximal firing", "v_0")


def sigmoid_parameters(e0=(2.5, 1.0, 5.0), r=(0.56, 0.2, 1.5), v0=(6.0, 3.0, 9.0), *,
                       names=("e0", "r", "v0"), symbols=("e_0", "r", "v_0"),
                       population="") -> tuple:
    """The parameters (e0, r, v0) of :func:`sigmoid`, Jansen and Rit's values by default.

    Each value is a default or a (default, low, high) triple; ``names``/``symbols`` rename
    them (e.g. one threshold per population) and ``population`` is appended to each meaning
    ("of the pyramidal cells").
    """
    suffix = f" {population}" if population else ""
    return tuple(_pick(t, v, n, s, t.meaning + suffix)
                 for t, v, n, s in zip((_E0, _R, _V0), (e0, r, v0), names, symbols))


#: Jansen and Rit's sigmoid: e0 = 2.5 /s, r = 0.56 /mV, v0 = 6 mV.
SIGMOID = sigmoid_parameters()


def psp_parameters(A=(3.25, 2.0, 10.0), a=(100.0, 50.0, 200.0), *, names=("A", "a"),
                   kind="excitatory") -> tuple:
    """The gain (mV) and rate (1/s) of a :func:`psp` operator, Jansen and Rit's excitatory
    values by default (their inhibitory ones: ``psp_parameters((22, 10, 60), (50, 20,
    100), names=("B", "b"), kind="inhibitory")``)."""
    gain = Parameter(names[0], 1.0, "mV", 0.0, 1.0,
                     f"maximal {kind} post-synaptic potential", names[0], (0.0, None))
    rate = Parameter(names[1], 1.0, "1/s", 1e-12, 1.0,
                     f"{kind} synaptic rate (1 / time constant)", names[1], (1e-12, None))
    return _pick(gain, A, names[0]), _pick(rate, a, names[1])


def first_order_synapse_parameters(tau=(10.0, 1.0, 100.0), gamma=(1.0, 0.0, 10.0), *,
                                   names=("tau_s", "gamma"), unit="ms", kind="") -> tuple:
    """Time constant and gain of :func:`synapse_first_order`."""
    k = f"{kind} " if kind else ""
    t = Parameter(names[0], 1.0, unit, 1e-12, 1.0, f"{k}synaptic time constant",
                  names[0], (1e-12, None))
    g = Parameter(names[1], 1.0, "1", 0.0, 1.0, f"{k}synaptic gain (area of the response)",
                  names[1], (0.0, None))
    return _pick(t, tau, names[0]), _pick(g, gamma, names[1])


def second_order_synapse_parameters(tau_r=(1.0, 0.1, 50.0), tau_d=(5.0, 0.5, 300.0),
                                    gamma=(1.0, 0.0, 10.0), *,
                                    names=("tau_r", "tau_d", "gamma"), unit="ms",
                                    kind="") -> tuple:
    """Rise and decay time constants and gain of :func:`synapse_second_order` (AMPA-like
    by default: rise 1 ms, decay 5 ms)."""
    k = f"{kind} " if kind else ""
    r = Parameter(names[0], 1.0, unit, 1e-12, 1.0, f"{k}synaptic rise time constant",
                  names[0], (1e-12, None))
    d = Parameter(names[1], 1.0, unit, 1e-12, 1.0, f"{k}synaptic decay time constant",
                  names[1], (1e-12, None))
    g = Parameter(names[2], 1.0, "1", 0.0, 1.0, f"{k}synaptic gain (area of the response)",
                  names[2], (0.0, None))
    return _pick(r, tau_r, names[0]), _pick(d, tau_d, names[1]), _pick(g, gamma, names[2])


def qif_parameters(Delta=(1.0, 0.05, 5.0), tau_m=(10.0, 0.5, 30.0), *,
                   names=("Delta", "tau_m"), symbols=(r"\Delta", r"\tau_m")) -> tuple:
    """Heterogeneity and membrane time constant of :func:`qif_transfer`."""
    d = Parameter(names[0], 1.0, "1", 1e-12, 1.0,
                  "half-width of the Lorentzian distribution of excitabilities", symbols[0],
                  (1e-12, None))
    t = Parameter(names[1], 1.0, "ms", 1e-12, 1.0, "membrane time constant", symbols[1],
                  (1e-12, None))
    return _pick(d, Delta, names[0], symbols[0]), _pick(t, tau_m, names[1], symbols[1])
