r"""Interneuron network gamma (ING): rung f of the ladder (NMM2), one inhibitory population.

The exact mean field of quadratic integrate-and-fire (QIF) neurons with Lorentzian
excitabilities [montbrio2015macroscopic], inhibiting themselves through an alpha synapse
[castaldo2026rosetta]:

.. math::

    \tau\dot r &= \frac{\Delta}{\pi\tau} + 2rv, \\
    \tau\dot v &= v^2 - (\pi\tau r)^2 + \eta - \tau J s + I + u_I(t), \\
    \tau_g^2\ddot s + 2\tau_g\dot s + s &= r,

with :math:`r` the population rate (kHz), :math:`v` the mean membrane potential
(dimensionless), :math:`s` the synaptic activation (an alpha synapse of unit area,
:func:`rosetta.blocks.synapse_second_order` with equal rise and decay :math:`\tau_g`; the
paper writes it as :math:`\tau_g\dot s = z`, :math:`\tau_g\dot z = r - 2z - s`, so
:math:`z = \tau_g\dot s`) and the QIF part :func:`rosetta.blocks.qif_mean_field`. The
state is :math:`(r, v, s, \dot s)`.

Convention (see ../shared/ladder.md): the paper's printed rate equation has :math:`\Delta`
where its AUTO code has :math:`\Delta/(\pi\tau)`; only the code's convention reproduces the
figure, and it is the one used here. Defaults: :math:`\eta = 0`, :math:`J = 20`,
:math:`\tau = 7.5` ms, :math:`\tau_g = 2` ms, :math:`\Delta = 1`.

Regime (figure: I in [-20, 100]): a stable fixed point, a supercritical Hopf point
(figure ~ 5) where a gamma-band cycle is born, and a second supercritical Hopf point
(figure ~ 77) where it dies; the cycle's maximum of r is about 1.1 near I = 30.
``tests/test_rung_f_models.py`` checks the continued points.

Time is in ms. The input ``I`` adds to the voltage equation (units of eta); a node sends
its synaptic activation ``s`` and its rate ``r``; the default wiring sends ``s`` to the
neighbour's ``I`` (additive).

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
    current = p.eta - p.tau * p.J * x[2] + p.I + u[0]
    dx[0], dx[1] = qif_mean_field(x[0], x[1], p.tau, p.Delta, current)
    dx[2] = x[3]
    dx[3] = synapse_second_order(x[2], x[3], x[0], p.tau_g, p.tau_g, 1.0)


@njit(cache=True)
def jacobian(x, p, u, jac):
    for i in range(4):
        for j in range(4):
            jac[i, j] = 0.0
    jac[0, 0], jac[0, 1], jac[1, 0], jac[1, 1] = qif_mean_field_partials(x[0], x[1], p.tau)
    jac[1, 2] = -p.J
    jac[2, 3] = 1.0
    tg2 = p.tau_g * p.tau_g
    jac[3, 0] = 1.0 / tg2
    jac[3, 2] = -1.0 / tg2
    jac[3, 3] = -2.0 / p.tau_g


@njit(cache=True)
def output(x, p, o):
    o[0] = x[2]
    o[1] = x[0]


def neurons(p):
    """The network this mean field averages: tau V' = V^2 + eta_j - tau J s + I."""
    return QIFPopulations(name=("I",), tau=(p.tau,), Delta=(p.Delta,), eta=(p.eta,),
                          K=((-p.tau * p.J,),), tau_s=(p.tau_g,), I=(p.I,), r=(0,), v=(1,),
                          s=(2,), ds=(3,), channel=(0,))


def timescale(p):
    # the membrane's fast scale shrinks with the drive (as in montbrio_pazo_roxin)
    drive = math.sqrt(abs(p.eta) + abs(p.I)) + p.J / math.pi
    return min(p.tau / max(1.0, drive), p.tau_g)


model = Model(
    name="ing",
    title="ING: inhibitory QIF mean field with an alpha synapse (NMM2)",
    equations=(r"\tau\dot r = \frac{\Delta}{\pi\tau} + 2rv,\quad "
               r"\tau\dot v = v^2 - (\pi\tau r)^2 + \eta - \tau J s + I + u_I,\quad "
               r"\tau_g^2\ddot s + 2\tau_g\dot s + s = r"),
    citation="castaldo2026rosetta",
    time_unit="ms",
    state=("r", "v", "s", "ds"),
    state_range=((0.0, 1.5), (-3.0, 3.0), (0.0, 1.0), (-0.3, 0.3)),
    state_domain=((0.0, None), (None, None), (None, None), (None, None)),
    parameters=(
        Parameter("tau", 7.5, "ms", 1.0, 30.0, "membrane time constant", r"\tau",
                  (1e-12, None)),
        Parameter("tau_g", 2.0, "ms", 0.2, 20.0,
                  "time constant of the alpha synapse (rise = decay)", r"\tau_g", (1e-12, None)),
        Parameter("Delta", 1.0, "1", 0.05, 5.0,
                  "half-width of the Lorentzian distribution of excitabilities", r"\Delta",
                  (1e-12, None)),
        Parameter("eta", 0.0, "1", -10.0, 10.0,
                  "centre of the distribution of excitabilities", r"\eta"),
        Parameter("J", 20.0, "1", 0.0, 60.0, "strength of the self-inhibition (> 0)", "J",
                  (0.0, None)),
        Parameter("I", 30.0, "1", -20.0, 100.0,
                  "external current (bifurcation parameter)", "I"),
    ),
    inputs=("I",),
    rhs=rhs,
    jacobian=jacobian,
    output=output,
    outputs=("s", "r"),
    projections=(("s", "I"),),
    coupling="additive",
    drive_input="I",
    timescale=timescale,
    neurons=neurons,
    ladder=Ladder(rung="f", label="ING", chapter="nmm2_mean_field", grounding=0.95,
                  variables="rate + voltage", coupling="delayed", column="NMM2 (ING)",
                  portrait=dict(params={"I": 30.0}, x0=[[0.05, -1.5, 0.05, 0.0]],
                                duration=60.0, dt=0.01, transient=20.0, axes=("r", "v")),
                  diagram=dict(parameter="I", p_range=(-20.0, 100.0), observable="r")),
    description="Self-inhibition through a synapse: the exact mean field makes gamma.",
)
