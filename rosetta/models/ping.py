r"""Pyramidal-interneuron network gamma (PING): rung f of the ladder (NMM2), an E-I pair.

Two exact QIF mean fields [montbrio2015macroscopic], an excitatory population
:math:`(r_e, v_e)` and an inhibitory one :math:`(r_i, v_i)`, each with its own alpha
synapse [castaldo2026rosetta]:

.. math::

    \tau_e\dot r_e &= \frac{\Delta}{\pi\tau_e} + 2r_e v_e, &
    \tau_e\dot v_e &= v_e^2 - (\pi\tau_e r_e)^2 + \eta
                      + \tau_e(J_{ee}s_e - J_{ei}s_i) + I + u_e(t), \\
    \tau_i\dot r_i &= \frac{\Delta}{\pi\tau_i} + 2r_i v_i, &
    \tau_i\dot v_i &= v_i^2 - (\pi\tau_i r_i)^2 + \eta
                      + \tau_i(J_{ie}s_e - J_{ii}s_i) + I + u_i(t), \\
    \tau_a^2\ddot s_e + 2\tau_a\dot s_e + s_e &= r_e, &
    \tau_g^2\ddot s_i + 2\tau_g\dot s_i + s_i &= r_i,

(:func:`rosetta.blocks.qif_mean_field`, :func:`rosetta.blocks.synapse_second_order` with
equal rise and decay and unit area). :math:`J_{ab}` is the weight from population
:math:`b` onto :math:`a`, all positive: the signs carry the roles. The input :math:`I` is
added to both populations. The state is :math:`(r_e, v_e, r_i, v_i, s_e, s_i, \dot s_e,
\dot s_i)`.

Conventions (see ../shared/ladder.md): the :math:`\Delta/(\pi\tau)` form of the paper's code,
and couplings 15 times the printed ones: the printed :math:`J_{ee} = J_{ei} = J_{ie} = 1`,
:math:`J_{ii} = 2` give no bifurcation in :math:`I \in [-20, 75]`; :math:`(15, 15, 15, 30)`
reproduce the figure. Defaults: :math:`\tau_e = 15`, :math:`\tau_a = 10`, :math:`\tau_i =
7.5`, :math:`\tau_g = 2.5` ms, :math:`\Delta = 1`, :math:`\eta = 0`.

Regime (figure: I in [-20, 75]): a small pair of folds near I ~ -1.5..0, a supercritical
Hopf point near 1 where the gamma cycle is born and another near 68 where it dies (the
cycle's maximum of r_e about 0.5). ``tests/test_rung_f_models.py`` checks the continued
points against the closed-form equilibrium curve.

Time is in ms. Inputs ``e`` and ``i`` add to the voltage equation of each population (units
of eta); a node sends its synaptic activations and rates (``se``, ``si``, ``re``, ``ri``);
the default wiring is excitatory to excitatory, ``se -> e`` (additive), as in the paper's
network of E-I motifs.

References: Montbrio, Pazo and Roxin, Physical Review X 5 (2015)
[montbrio2015macroscopic]; Castaldo, de Palma Aristides, Clusella, Garcia-Ojalvo and
Ruffini, "Rosetta Stone of Neural Mass Models", Physics Reports 1189 (2026), section on
NMM2 [castaldo2026rosetta].
"""
import math

from numba import njit

from ..blocks import QIFPopulations, qif_mean_field, qif_mean_field_partials, \
    synapse_second_order
from ..model import Ladder, Model, Parameter


@njit(cache=True)
def rhs(x, p, u, dx):
    se, si = x[4], x[5]
    ce = p.eta + p.tau_e * (p.Jee * se - p.Jei * si) + p.I + u[0]
    ci = p.eta + p.tau_i * (p.Jie * se - p.Jii * si) + p.I + u[1]
    dx[0], dx[1] = qif_mean_field(x[0], x[1], p.tau_e, p.Delta, ce)
    dx[2], dx[3] = qif_mean_field(x[2], x[3], p.tau_i, p.Delta, ci)
    dx[4] = x[6]
    dx[5] = x[7]
    dx[6] = synapse_second_order(se, x[6], x[0], p.tau_a, p.tau_a, 1.0)
    dx[7] = synapse_second_order(si, x[7], x[2], p.tau_g, p.tau_g, 1.0)


@njit(cache=True)
def jacobian(x, p, u, jac):
    for i in range(8):
        for j in range(8):
            jac[i, j] = 0.0
    jac[0, 0], jac[0, 1], jac[1, 0], jac[1, 1] = qif_mean_field_partials(x[0], x[1], p.tau_e)
    jac[2, 2], jac[2, 3], jac[3, 2], jac[3, 3] = qif_mean_field_partials(x[2], x[3], p.tau_i)
    jac[1, 4] = p.Jee                 # (1/tau_e) tau_e J_ee
    jac[1, 5] = -p.Jei
    jac[3, 4] = p.Jie
    jac[3, 5] = -p.Jii
    jac[4, 6] = 1.0
    jac[5, 7] = 1.0
    ta2 = p.tau_a * p.tau_a
    tg2 = p.tau_g * p.tau_g
    jac[6, 0] = 1.0 / ta2
    jac[6, 4] = -1.0 / ta2
    jac[6, 6] = -2.0 / p.tau_a
    jac[7, 2] = 1.0 / tg2
    jac[7, 5] = -1.0 / tg2
    jac[7, 7] = -2.0 / p.tau_g


@njit(cache=True)
def output(x, p, o):
    o[0] = x[4]
    o[1] = x[5]
    o[2] = x[0]
    o[3] = x[2]


def neurons(p):
    """The network this mean field averages: tau_a V' = V^2 + eta_j + tau_a (J_ae s_e -
    J_ai s_i) + I for a = e, i."""
    return QIFPopulations(
        name=("E", "I"), tau=(p.tau_e, p.tau_i), Delta=(p.Delta, p.Delta), eta=(p.eta, p.eta),
        K=((p.tau_e * p.Jee, -p.tau_e * p.Jei), (p.tau_i * p.Jie, -p.tau_i * p.Jii)),
        tau_s=(p.tau_a, p.tau_g), I=(p.I, p.I), r=(0, 2), v=(1, 3), s=(4, 5), ds=(6, 7),
        channel=(0, 1))


def timescale(p):
    drive = math.sqrt(abs(p.eta) + abs(p.I)) + max(p.Jee, p.Jei, p.Jie, p.Jii) / math.pi
    return min(p.tau_e / max(1.0, drive), p.tau_i / max(1.0, drive), p.tau_a, p.tau_g)


_J = dict(unit="1", low=0.0, high=60.0, domain=(0.0, None))
_TAU = dict(unit="ms", domain=(1e-12, None))

model = Model(
    name="ping",
    title="PING: excitatory-inhibitory QIF mean fields with alpha synapses (NMM2)",
    equations=(r"\tau_a\dot r_a = \frac{\Delta}{\pi\tau_a} + 2r_a v_a,\quad "
               r"\tau_a\dot v_a = v_a^2 - (\pi\tau_a r_a)^2 + \eta + \tau_a(J_{ae}s_e"
               r" - J_{ai}s_i) + I,\quad \tau_{s}^2\ddot s_a + 2\tau_{s}\dot s_a + s_a = r_a"),
    citation="castaldo2026rosetta",
    time_unit="ms",
    state=("re", "ve", "ri", "vi", "se", "si", "dse", "dsi"),
    state_range=((0.0, 1.0), (-3.0, 3.0), (0.0, 1.0), (-3.0, 3.0), (0.0, 1.0), (0.0, 1.0),
                 (-0.1, 0.1), (-0.3, 0.3)),
    state_domain=((0.0, None), (None, None), (0.0, None), (None, None), (None, None),
                  (None, None), (None, None), (None, None)),
    parameters=(
        Parameter("tau_e", 15.0, meaning="membrane time constant of the E population",
                  symbol=r"\tau_e", low=1.0, high=40.0, **_TAU),
        Parameter("tau_i", 7.5, meaning="membrane time constant of the I population",
                  symbol=r"\tau_i", low=1.0, high=40.0, **_TAU),
        Parameter("tau_a", 10.0, meaning="time constant of the excitatory alpha synapse",
                  symbol=r"\tau_a", low=0.5, high=30.0, **_TAU),
        Parameter("tau_g", 2.5, meaning="time constant of the inhibitory alpha synapse",
                  symbol=r"\tau_g", low=0.2, high=20.0, **_TAU),
        Parameter("Delta", 1.0, "1", 0.05, 5.0,
                  "half-width of the Lorentzian distribution of excitabilities (both "
                  "populations)", r"\Delta", (1e-12, None)),
        Parameter("eta", 0.0, "1", -10.0, 10.0,
                  "centre of the distribution of excitabilities (both populations)", r"\eta"),
        Parameter("Jee", 15.0, meaning="E to E weight", symbol="J_{ee}", **_J),
        Parameter("Jei", 15.0, meaning="I to E weight", symbol="J_{ei}", **_J),
        Parameter("Jie", 15.0, meaning="E to I weight", symbol="J_{ie}", **_J),
        Parameter("Jii", 30.0, meaning="I to I weight", symbol="J_{ii}", **_J),
        Parameter("I", 20.0, "1", -20.0, 75.0,
                  "external current to both populations (bifurcation parameter)", "I"),
    ),
    inputs=("e", "i"),
    rhs=rhs,
    jacobian=jacobian,
    output=output,
    outputs=("se", "si", "re", "ri"),
    projections=(("se", "e"),),
    coupling="additive",
    drive_input="e",
    timescale=timescale,
    neurons=neurons,
    ladder=Ladder(rung="f", label="PING", chapter="nmm2_mean_field", grounding=0.95,
                  variables="rate + voltage", coupling="delayed"),
    description="Excitation recruits inhibition through synapses: the exact mean field of "
                "PING gamma.",
)
