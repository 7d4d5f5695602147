r"""The push-pull motif with second-order synapses: rung e of the ladder (NMM1).

An excitatory population :math:`x` and an inhibitory population :math:`y`, each the output
of a second-order (alpha) synapse fed by a sigmoid of its input, and no self-coupling
[castaldo2026rosetta]:

.. math::

    L_x[x] &= S\bigl(-w_{xy}\, y + P + u_x(t)\bigr), \\
    L_y[y] &= S\bigl(w_{yx}\, x + P_y + u_y(t)\bigr), \qquad
    L_a = \frac{1}{\gamma_a}\Bigl(\tau_a^2 \frac{d^2}{dt^2} + 2\tau_a \frac{d}{dt} + 1\Bigr),

with the logistic :math:`S(s) = 1/(1 + e^{-s})` of Wilson-Cowan
(:func:`rosetta.blocks.logistic`) and the synapse
:func:`rosetta.blocks.synapse_second_order` with equal rise and decay
:math:`\tau_r = \tau_d = \tau_a`. :math:`P` is the paper's :math:`F_e`, the external input
to the excitatory population, and :math:`P_y` (:math:`F_i`) a constant input to the
inhibitory one (the paper's motif has none; a bias of :math:`-w_{yx}/2` centres the
inhibitory sigmoid on :math:`x = 1/2`, without which :math:`S_y' \le 1/4` is used only
where :math:`x \approx 0`). The state is :math:`(x, y, \dot x, \dot y)`.

Why it oscillates without self-coupling: linearised at an equilibrium, each filter is
:math:`H_a(i\omega) = \gamma_a/(1 + i\omega\tau_a)^2`, which lags by up to :math:`\pi`
(a first-order filter only by :math:`\pi/2`, which is why Wilson-Cowan needs
self-excitation). The loop closes (Barkhausen) when the gain around it is one,
:math:`-w_{xy}w_{yx} S_x' S_y' H_x(i\omega) H_y(i\omega) = 1`, i.e.
:math:`K = -(1 + i\omega\tau_x)^2(1 + i\omega\tau_y)^2` with the loop gain
:math:`K = w_{xy} w_{yx}\gamma_x\gamma_y S_x' S_y'` (slopes at the equilibrium). The phase
condition :math:`\arctan\omega\tau_x + \arctan\omega\tau_y = \pi/2` and the modulus give

.. math::

    \omega_0 = \frac{1}{\sqrt{\tau_x\tau_y}}, \qquad
    K_c = (1 + \omega_0^2\tau_x^2)(1 + \omega_0^2\tau_y^2)
        = 2 + \frac{\tau_x}{\tau_y} + \frac{\tau_y}{\tau_x},

and the equilibrium loses stability in a Hopf bifurcation where :math:`K` crosses
:math:`K_c` (``tests/test_nmm1_models.py`` checks both against continuation).

Regime: with the defaults (:math:`\tau_x = 5`, :math:`\tau_y = 10` ms,
:math:`w_{xy} = w_{yx} = 20`, :math:`P_y = -10`, :math:`\gamma = 1`)
:math:`K_c = 4.5` is reached twice as :math:`P` grows, so the motif oscillates at about
:math:`\omega_0/2\pi = 1000/(2\pi\sqrt{50}) \approx 22.5` Hz between two Hopf points
at :math:`P = 0.4383` and :math:`P = 19.5617` (the default :math:`P = 10` lies inside;
the paper gives no diagram of the motif to compare with).

Time is in ms. Inputs ``x`` and ``y`` add to the arguments of the two sigmoids; a node
sends :math:`x` (output ``x``), which arrives additively on the neighbour's ``x`` input.

References: Castaldo, de Palma Aristides, Clusella, Garcia-Ojalvo and Ruffini, "Rosetta
Stone of Neural Mass Models", Physics Reports 1189 (2026), section on NMM1
[castaldo2026rosetta]; the sigmoid of Wilson and Cowan (1972) [wilson1972excitatory].
"""
import math

from numba import njit

from ..blocks import logistic, logistic_derivative, synapse_second_order
from ..model import Ladder, Model, Parameter


@njit(cache=True)
def _inputs(x, p, u):
    """The arguments of the excitatory and the inhibitory sigmoid."""
    return -p.wxy * x[1] + p.P + u[0], p.wyx * x[0] + p.Py + u[1]


@njit(cache=True)
def rhs(x, p, u, dx):
    s_x, s_y = _inputs(x, p, u)
    dx[0] = x[2]
    dx[1] = x[3]
    dx[2] = synapse_second_order(x[0], x[2], logistic(s_x), p.tau_x, p.tau_x, p.gamma_x)
    dx[3] = synapse_second_order(x[1], x[3], logistic(s_y), p.tau_y, p.tau_y, p.gamma_y)


@njit(cache=True)
def jacobian(x, p, u, jac):
    s_x, s_y = _inputs(x, p, u)
    d_x = logistic_derivative(s_x)
    d_y = logistic_derivative(s_y)
    for i in range(4):
        for j in range(4):
            jac[i, j] = 0.0
    jac[0, 2] = 1.0
    jac[1, 3] = 1.0
    tx2 = p.tau_x * p.tau_x
    ty2 = p.tau_y * p.tau_y
    jac[2, 0] = -1.0 / tx2
    jac[2, 1] = -p.gamma_x * p.wxy * d_x / tx2
    jac[2, 2] = -2.0 / p.tau_x
    jac[3, 0] = p.gamma_y * p.wyx * d_y / ty2
    jac[3, 1] = -1.0 / ty2
    jac[3, 3] = -2.0 / p.tau_y


@njit(cache=True)
def output(x, p, o):
    o[0] = x[0]


def timescale(p):
    """The synaptic time constants bound the fast scale (a slope 1/4 at most adds
    gamma w / 4 to the restoring rate: use the Gershgorin bound of the Jacobian)."""
    rate = max(math.sqrt((1.0 + p.gamma_x * p.wxy / 4.0)) / p.tau_x + 2.0 / p.tau_x,
               math.sqrt((1.0 + p.gamma_y * p.wyx / 4.0)) / p.tau_y + 2.0 / p.tau_y)
    return 1.0 / rate if rate > 0 else math.inf


_W = dict(unit="1", low=0.0, high=40.0, domain=(0.0, None))
_T = dict(unit="ms", low=1.0, high=30.0, domain=(1e-12, None))
_G = dict(unit="1", low=0.1, high=3.0, domain=(0.0, None))

model = Model(
    name="nmm1_motif",
    title="Push-pull E-I motif with second-order synapses (NMM1)",
    equations=(r"L_x[x] = S(-w_{xy} y + P + u_x),\quad L_y[y] = S(w_{yx} x + P_y + u_y),\quad "
               r"L_a = \frac{1}{\gamma_a}\left(\tau_a^2 \frac{d^2}{dt^2} + 2\tau_a"
               r"\frac{d}{dt} + 1\right),\quad S(s) = \frac{1}{1 + e^{-s}}"),
    citation="castaldo2026rosetta",
    time_unit="ms",
    state=("x", "y", "dx", "dy"),
    state_range=((0.0, 1.0), (0.0, 1.0), (-0.2, 0.2), (-0.2, 0.2)),
    parameters=(
        Parameter("wxy", 20.0, meaning="inhibitory to excitatory weight", symbol="w_{xy}",
                  **_W),
        Parameter("wyx", 20.0, meaning="excitatory to inhibitory weight", symbol="w_{yx}",
                  **_W),
        Parameter("tau_x", 5.0, meaning="time constant of the excitatory synapse "
                  "(rise = decay)", symbol=r"\tau_x", **_T),
        Parameter("tau_y", 10.0, meaning="time constant of the inhibitory synapse "
                  "(rise = decay)", symbol=r"\tau_y", **_T),
        Parameter("gamma_x", 1.0, meaning="gain (area) of the excitatory synapse",
                  symbol=r"\gamma_x", **_G),
        Parameter("gamma_y", 1.0, meaning="gain (area) of the inhibitory synapse",
                  symbol=r"\gamma_y", **_G),
        Parameter("P", 10.0, "1", -5.0, 25.0,
                  "external input to the excitatory population (F_e; bifurcation "
                  "parameter)", "F_e"),
        Parameter("Py", -10.0, "1", -20.0, 5.0,
                  "external input to the inhibitory population (F_i)", "F_i"),
    ),
    inputs=("x", "y"),
    rhs=rhs,
    jacobian=jacobian,
    output=output,
    outputs=("x",),
    projections=(("x", "x"),),
    coupling="additive",
    drive_input="x",
    timescale=timescale,
    ladder=Ladder(rung="e", label="E-I motif", chapter="nmm1_jansen_rit", grounding=0.42,
                  variables="PSP voltage",
                  coupling="instantaneous"),
    description="Two second-order synapses each lag by up to pi: an E-I loop oscillates "
                "without self-coupling (Barkhausen).",
)
