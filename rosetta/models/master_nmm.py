r"""The "master" neural mass model: membrane kinetics and synaptic kinetics in one E-I pair.

The interlude of the ladder writes every rate model of rungs d-e as one equation with two
time scales [castaldo2026rosetta]: a population's rate relaxes with its membrane time
constant towards a transfer function of its input, and that input is the rates of the
presynaptic populations filtered by synapses,

.. math::

    \tau_m\,\dot r = -r + \phi(\kappa\, s + I_{\rm ext}), \qquad s = K_s[r].

Here it is an excitatory-inhibitory pair. Each population :math:`a \in \{E, I\}` has a rate
:math:`r_a` (a fraction of its maximal rate, between 0 and 1) with membrane time constant
:math:`\tau_{m,a}`, and its outgoing synapse turns :math:`r_a` into a synaptic variable
:math:`s_a` by the second-order (bi-exponential) filter
:func:`rosetta.blocks.synapse_second_order` with rise and decay times
:math:`\tau_{r,a}, \tau_{d,a}` and unit area (so :math:`s_a = r_a` at rest):

.. math::

    \tau_{m,E}\,\dot r_E &= -r_E + S(w_{EE}\, s_E - w_{EI}\, s_I + P_E + u_E(t)), \\
    \tau_{m,I}\,\dot r_I &= -r_I + S(w_{IE}\, s_E - w_{II}\, s_I + P_I + u_I(t)), \\
    \tau_{r,a}\tau_{d,a}\,\ddot s_a + (\tau_{r,a} + \tau_{d,a})\,\dot s_a + s_a &= r_a,
    \qquad a = E, I,

with the logistic :math:`S(z) = 1/(1 + e^{-z})` of Wilson-Cowan
(:func:`rosetta.blocks.logistic`). :math:`w_{ab}` is the weight from population :math:`b`
onto :math:`a`. As a first-order system the state is
:math:`(r_E, r_I, s_E, s_I, \dot s_E, \dot s_I)`. Equal rise and decay times give the alpha
synapse; :math:`\tau_r \to 0` a first-order synapse.

The two limits
--------------
*Fast synapses* (:math:`\tau_{r,a}, \tau_{d,a} \ll \tau_{m,a}`): the filter follows its
input, :math:`s_a = r_a - (\tau_{r,a} + \tau_{d,a})\,\dot r_a + O(\tau^2)`, and the model
becomes Wilson-Cowan [wilson1972excitatory] (``rs.models["wilson_cowan"]`` with
:math:`w_{xx} = w_{EE}`, :math:`w_{xy} = w_{EI}`, :math:`w_{yx} = w_{IE}`,
:math:`w_{yy} = w_{II}`, :math:`P_x = P_E`, :math:`P_y = P_I`,
:math:`\tau_x = \tau_{m,E}`, :math:`\tau_y = \tau_{m,I}`: :func:`as_wilson_cowan`).
The error is first order in the synaptic time constants.

*Fast membrane* (:math:`\tau_{m,a} \ll \tau_{r,a}, \tau_{d,a}`): the rate follows its
input, :math:`r_a = S(\cdot) + O(\tau_m)`, and the model becomes a pair of second-order
synapses driven by instantaneous sigmoids, the NMM1 (Jansen-Rit type) push-pull of rung e,

.. math::

    \tau_{r,a}\tau_{d,a}\,\ddot s_a + (\tau_{r,a} + \tau_{d,a})\,\dot s_a + s_a
    = S(w_{aE}\, s_E - w_{aI}\, s_I + P_a + u_a),

declared here as :data:`fast_membrane_limit` (state :math:`(s_E, s_I, \dot s_E, \dot s_I)`;
not registered: a limit, not a rung). The error is first order in :math:`\tau_m`.
In between, both time scales shape the dynamics: the equilibria are the same for every
choice of time constants (:math:`s_a = r_a`), only their stability and the oscillations
change.

Regime of the defaults: Wilson-Cowan's weights and inputs from the paper's figure
(:math:`w_{EE} = w_{EI} = w_{IE} = 12`, :math:`w_{II} = 2`, :math:`P_E = 0`,
:math:`P_I = -6`), membranes of 10 ms, an AMPA-like excitatory synapse (rise 1 ms,
decay 5 ms) and a GABA_A-like inhibitory one (rise 1 ms, decay 10 ms). The only
equilibrium is unstable and the node oscillates at about 10 Hz; the synaptic delays slow
the 32 Hz cycle that Wilson-Cowan alone has with 10 ms membranes.

Time is in ms. Input channels ``E`` and ``I`` add to the argument of each population's
sigmoid (drives act on ``E``). A node sends its synaptic variables ``sE`` and ``sI``: the
default projection carries ``sE`` additively onto the neighbour's ``E`` input, so a
long-range connection passes through the source's excitatory synapse (in the fast-synapse
limit, Wilson-Cowan's network of rung d).

References: Castaldo, de Palma Aristides, Clusella, Garcia-Ojalvo and Ruffini, "Rosetta
Stone of Neural Mass Models", Physics Reports 1189 (2026), the interlude on synapses and
transfer functions [castaldo2026rosetta]; Wilson and Cowan (1972) [wilson1972excitatory];
on which time constant a rate model keeps: Ermentrout (1994) [ermentrout1994reduction] and
Dayan and Abbott (2001), chapter 7 [dayan2001theoretical].
"""
import math
from dataclasses import replace

import numpy as np
from numba import njit

from ..blocks import logistic, logistic_derivative, second_order_synapse_parameters, \
    synapse_first_order, synapse_second_order
from ..model import Ladder, Model, Parameter

__all__ = ["model", "fast_membrane_limit", "as_wilson_cowan", "fast_membrane_params",
           "from_wilson_cowan", "from_fast_membrane"]


# ============================================================================ the equations
@njit(cache=True)
def _inputs(sE, sI, p, u):
    """The arguments of the excitatory and the inhibitory sigmoid."""
    a_E = p.wEE * sE - p.wEI * sI + p.PE + u[0]
    a_I = p.wIE * sE - p.wII * sI + p.PI + u[1]
    return a_E, a_I


@njit(cache=True)
def _synapse_partials(tau_r, tau_d):
    """Partial derivatives of s'' (:func:`rosetta.blocks.synapse_second_order`, unit gain)
    with respect to (rate, s, s')."""
    k = 1.0 / (tau_r * tau_d)
    return k, -k, -(tau_r + tau_d) * k


@njit(cache=True)
def rhs(x, p, u, dx):
    a_E, a_I = _inputs(x[2], x[3], p, u)
    dx[0] = synapse_first_order(x[0], logistic(a_E), p.tau_mE, 1.0)     # membranes: the
    dx[1] = synapse_first_order(x[1], logistic(a_I), p.tau_mI, 1.0)     # first-order block
    dx[2] = x[4]
    dx[3] = x[5]
    dx[4] = synapse_second_order(x[2], x[4], x[0], p.tau_rE, p.tau_dE, 1.0)
    dx[5] = synapse_second_order(x[3], x[5], x[1], p.tau_rI, p.tau_dI, 1.0)


@njit(cache=True)
def jacobian(x, p, u, jac):
    a_E, a_I = _inputs(x[2], x[3], p, u)
    d_E = logistic_derivative(a_E) / p.tau_mE
    d_I = logistic_derivative(a_I) / p.tau_mI
    for i in range(6):
        for j in range(6):
            jac[i, j] = 0.0
    jac[0, 0] = -1.0 / p.tau_mE
    jac[0, 2] = p.wEE * d_E
    jac[0, 3] = -p.wEI * d_E
    jac[1, 1] = -1.0 / p.tau_mI
    jac[1, 2] = p.wIE * d_I
    jac[1, 3] = -p.wII * d_I
    jac[2, 4] = 1.0
    jac[3, 5] = 1.0
    jac[4, 0], jac[4, 2], jac[4, 4] = _synapse_partials(p.tau_rE, p.tau_dE)
    jac[5, 1], jac[5, 3], jac[5, 5] = _synapse_partials(p.tau_rI, p.tau_dI)


@njit(cache=True)
def output(x, p, o):
    o[0] = x[2]
    o[1] = x[3]


@njit(cache=True)
def rhs_fast_membrane(x, p, u, dx):
    a_E, a_I = _inputs(x[0], x[1], p, u)
    dx[0] = x[2]
    dx[1] = x[3]
    dx[2] = synapse_second_order(x[0], x[2], logistic(a_E), p.tau_rE, p.tau_dE, 1.0)
    dx[3] = synapse_second_order(x[1], x[3], logistic(a_I), p.tau_rI, p.tau_dI, 1.0)


@njit(cache=True)
def jacobian_fast_membrane(x, p, u, jac):
    a_E, a_I = _inputs(x[0], x[1], p, u)
    d_E = logistic_derivative(a_E)
    d_I = logistic_derivative(a_I)
    for i in range(4):
        for j in range(4):
            jac[i, j] = 0.0
    jac[0, 2] = 1.0
    jac[1, 3] = 1.0
    k_E, m_E, c_E = _synapse_partials(p.tau_rE, p.tau_dE)
    k_I, m_I, c_I = _synapse_partials(p.tau_rI, p.tau_dI)
    jac[2, 0] = m_E + k_E * p.wEE * d_E
    jac[2, 1] = -k_E * p.wEI * d_E
    jac[2, 2] = c_E
    jac[3, 0] = k_I * p.wIE * d_I
    jac[3, 1] = m_I - k_I * p.wII * d_I
    jac[3, 3] = c_I


@njit(cache=True)
def output_fast_membrane(x, p, o):
    o[0] = x[0]
    o[1] = x[1]


# ============================================================================ time scales
def _synapse_rate(tau_r, tau_d, loop):
    """A bound on the eigenvalues of a second-order synapse whose input feeds back with
    gain ``loop``: roots of tau_r tau_d l^2 + (tau_r + tau_d) l + 1 - loop are at most
    1/min(tau) + sqrt(loop / (tau_r tau_d)) in modulus."""
    return 1.0 / min(tau_r, tau_d) + math.sqrt(loop / (tau_r * tau_d))


def timescale(p):
    """The fastest of the membranes (a Gershgorin bound with the sigmoid's largest slope
    1/4) and of the synapses (their own rates, at most 1 / min(tau_r, tau_d))."""
    rate = max((1.0 + (p.wEE + p.wEI) / 4.0) / p.tau_mE,
               (1.0 + (p.wIE + p.wII) / 4.0) / p.tau_mI,
               _synapse_rate(p.tau_rE, p.tau_dE, 0.0),
               _synapse_rate(p.tau_rI, p.tau_dI, 0.0))
    return 1.0 / rate if rate > 0 else math.inf


def timescale_fast_membrane(p):
    """Each synapse with the loop gain of its sigmoid, (|w_aE| + |w_aI|) / 4."""
    rate = max(_synapse_rate(p.tau_rE, p.tau_dE, (p.wEE + p.wEI) / 4.0),
               _synapse_rate(p.tau_rI, p.tau_dI, (p.wIE + p.wII) / 4.0))
    return 1.0 / rate if rate > 0 else math.inf


# ============================================================================ the declaration
_W = dict(unit="1", low=0.0, high=30.0, domain=(0.0, None))
_MEMBRANE = (
    Parameter("tau_mE", 10.0, "ms", 0.1, 30.0,
              "membrane time constant of the excitatory population (-> 0: fast-membrane "
              "limit)", r"\tau_{m,E}", (1e-12, None)),
    Parameter("tau_mI", 10.0, "ms", 0.1, 30.0,
              "membrane time constant of the inhibitory population (-> 0: fast-membrane "
              "limit)", r"\tau_{m,I}", (1e-12, None)),
)


def _synapse(pop, kind, tau_r, tau_d):
    """Rise and decay times of population ``pop``'s outgoing synapse (unit gain)."""
    rise, decay, _ = second_order_synapse_parameters(
        tau_r, tau_d, names=(f"tau_r{pop}", f"tau_d{pop}", "gamma"), kind=kind)
    limit = " (rise and decay -> 0: fast-synapse limit)"
    return (replace(rise, symbol=rf"\tau_{{r,{pop}}}", meaning=rise.meaning + limit),
            replace(decay, symbol=rf"\tau_{{d,{pop}}}", meaning=decay.meaning + limit))


_SYNAPSES = (*_synapse("E", "excitatory", (1.0, 0.05, 20.0), (5.0, 0.1, 100.0)),
             *_synapse("I", "inhibitory", (1.0, 0.05, 50.0), (10.0, 0.1, 300.0)))
_NETWORK = (
    Parameter("wEE", 12.0, meaning="excitatory to excitatory weight", symbol="w_{EE}", **_W),
    Parameter("wEI", 12.0, meaning="inhibitory to excitatory weight", symbol="w_{EI}", **_W),
    Parameter("wIE", 12.0, meaning="excitatory to inhibitory weight", symbol="w_{IE}", **_W),
    Parameter("wII", 2.0, meaning="inhibitory to inhibitory weight", symbol="w_{II}", **_W),
    Parameter("PE", 0.0, "1", -5.0, 5.0, "external input to the excitatory population",
              "P_E"),
    Parameter("PI", -6.0, "1", -10.0, 0.0, "external input to the inhibitory population",
              "P_I"),
)

model = Model(
    name="master_nmm",
    title="Master neural mass model: E-I pair with membrane and second-order synaptic kinetics",
    equations=(r"\tau_{m,a}\dot r_a = -r_a + S(w_{aE}s_E - w_{aI}s_I + P_a + u_a),\quad "
               r"\tau_{r,a}\tau_{d,a}\ddot s_a + (\tau_{r,a} + \tau_{d,a})\dot s_a + s_a = r_a,"
               r"\quad a = E, I,\quad S(z) = \frac{1}{1 + e^{-z}}"),
    citation="castaldo2026rosetta",
    time_unit="ms",
    state=("rE", "rI", "sE", "sI", "dsE", "dsI"),
    state_range=((0.0, 1.0), (0.0, 1.0), (0.0, 1.0), (0.0, 1.0), (-0.2, 0.2), (-0.2, 0.2)),
    parameters=_NETWORK + _MEMBRANE + _SYNAPSES,
    inputs=("E", "I"),
    rhs=rhs,
    jacobian=jacobian,
    output=output,
    outputs=("sE", "sI"),
    projections=(("sE", "E"),),
    coupling="additive",
    drive_input="E",
    timescale=timescale,
    ladder=Ladder(rung="", label="master NMM", chapter="synapses", grounding=0.4,
                  variables="rate",
                  coupling="instantaneous"),
    description="One rate model with two clocks: fast synapses give Wilson-Cowan, a fast "
                "membrane gives a second-order (NMM1) push-pull.",
)

#: The fast-membrane limit (tau_m -> 0): second-order synapses driven by instantaneous
#: sigmoids, an NMM1-type E-I push-pull. Not registered (a limit, not a rung).
fast_membrane_limit = Model(
    name="master_nmm_fast_membrane",
    title="Master NMM, fast-membrane limit: second-order synapses, instantaneous sigmoids "
          "(NMM1 type)",
    equations=(r"\tau_{r,a}\tau_{d,a}\ddot s_a + (\tau_{r,a} + \tau_{d,a})\dot s_a + s_a"
               r" = S(w_{aE}s_E - w_{aI}s_I + P_a + u_a),\quad a = E, I"),
    citation="castaldo2026rosetta",
    time_unit="ms",
    state=("sE", "sI", "dsE", "dsI"),
    state_range=((0.0, 1.0), (0.0, 1.0), (-0.2, 0.2), (-0.2, 0.2)),
    parameters=_NETWORK + _SYNAPSES,
    inputs=("E", "I"),
    rhs=rhs_fast_membrane,
    jacobian=jacobian_fast_membrane,
    output=output_fast_membrane,
    outputs=("sE", "sI"),
    projections=(("sE", "E"),),
    coupling="additive",
    drive_input="E",
    timescale=timescale_fast_membrane,
    description="The master NMM with instantaneous membranes.",
)


# ============================================================================ the limits' maps
_TO_WC = {"wEE": "wxx", "wEI": "wxy", "wIE": "wyx", "wII": "wyy", "PE": "Px", "PI": "Py",
          "tau_mE": "tau_x", "tau_mI": "tau_y"}


def as_wilson_cowan(params=None) -> dict:
    """The Wilson-Cowan parameters of the fast-synapse limit of ``params`` (overrides of
    the master NMM; defaults filled in): weights, inputs and membrane time constants
    renamed, synaptic time constants dropped."""
    full = {**model.defaults, **dict(params or {})}
    model.records(full)                                     # unknown names raise here
    return {wc: full[m] for m, wc in _TO_WC.items()}


def fast_membrane_params(params=None) -> dict:
    """The parameters of :data:`fast_membrane_limit` for ``params`` (membranes dropped)."""
    full = {**model.defaults, **dict(params or {})}
    model.records(full)
    return {k: v for k, v in full.items() if k not in ("tau_mE", "tau_mI")}


def from_wilson_cowan(x, params=None) -> np.ndarray:
    """A master-NMM state on the fast-synapse slow manifold to first order, from a
    Wilson-Cowan state (r_E, r_I): s_a = r_a and s'_a = r'_a (Wilson-Cowan's own rates
    of change, from its declaration)."""
    from . import wilson_cowan
    x = np.asarray(x, dtype=float).reshape(2)
    dr = wilson_cowan.model.f(x, as_wilson_cowan(params))
    return np.array([x[0], x[1], x[0], x[1], dr[0], dr[1]])


def from_fast_membrane(x, params=None) -> np.ndarray:
    """A master-NMM state on the fast-membrane slow manifold, from a state
    (s_E, s_I, s'_E, s'_I) of :data:`fast_membrane_limit`: each rate at its sigmoid."""
    x = np.asarray(x, dtype=float).reshape(4)
    a_E, a_I = _inputs(x[0], x[1], model.record(params), np.zeros(2))
    return np.array([logistic(a_E), logistic(a_I), x[0], x[1], x[2], x[3]])
