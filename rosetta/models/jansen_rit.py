r"""Jansen-Rit cortical column: rung e of the ladder (NMM1, second-order synapses).

Three populations (pyramidal cells, excitatory and inhibitory interneurons) talk through
post-synaptic potentials filtered by the second-order operator
:math:`L_k[y] = \ddot y + 2k\dot y + k^2 y` (:math:`k = a` excitatory, :math:`k = b`
inhibitory):

.. math::

    L_a[y_0] &= A a\, S(y_1 - y_2), \\
    L_a[y_1] &= A a\,\bigl(P + u_P(t) + C_2\, S(C_1 y_0)\bigr), \\
    L_b[y_2] &= B b\, C_4\, S(C_3 y_0),

with the sigmoid :math:`S(v) = 2e_0 / (1 + e^{r(v_0 - v)})` and the connectivity
constants :math:`C_1 = C`, :math:`C_2 = 0.8\,C`, :math:`C_3 = C_4 = 0.25\,C`. As a
first-order system the state is :math:`(y_0, y_1, y_2, y_3, y_4, y_5)` with
:math:`y_{3,4,5} = \dot y_{0,1,2}`, e.g.
:math:`\dot y_3 = A a\,S(y_1 - y_2) - 2a y_3 - a^2 y_0`. The observable is the pyramidal
membrane potential :math:`y_1 - y_2` (the EEG source).

Equilibria lie on a curve that can be written in closed form along
:math:`v = y_1 - y_2`: :math:`y_0 = (A/a) S(v)`, :math:`y_2 = (B/b) C_4 S(C_3 y_0)`,
:math:`y_1 = v + y_2` and :math:`P(v) = (a/A) y_1 - C_2 S(C_1 y_0)`. With the default
parameters it folds at :math:`P \approx -41.3` (saddle-node) and :math:`P \approx 113.6`
(the saddle-node on an invariant circle where the large, spike-like cycle is born with
infinite period; the alpha cycle lives between the Hopf points at 89.83 and 315.70), and changes
stability through Hopf points at :math:`P \approx -12.15`, :math:`89.83` and :math:`315.70`
(the paper's figure: SN ~ -42, HB- ~ -12, HB+ ~ 89, SNIC ~ 113, SNLC ~ 137, HB+ ~ 315).

References: Jansen and Rit, "Electroencephalogram and visual evoked potential generation
in a mathematical model of coupled cortical columns", Biological Cybernetics 73 (1995)
[jansen1995electroencephalogram]; Castaldo, de Palma Aristides, Clusella, Garcia-Ojalvo
and Ruffini, "Rosetta Stone of Neural Mass Models", Physics Reports 1189 (2026), section
on NMM1 [castaldo2026rosetta].

Time is in seconds, potentials in mV and their derivatives in mV/s. The single input
channel ``P`` is a firing rate (1/s) added to the external input P of the excitatory
interneuron's drive. A node sends its pyramidal firing rate :math:`S(y_1 - y_2)` (1/s),
which arrives additively on the neighbour's ``P`` channel.
"""
import math

from numba import njit

from ..model import Model, Parameter


@njit(cache=True)
def _logistic(z):
    """(s, s (1 - s)) for s = 1 / (1 + exp(-z)), without overflow for large |z|."""
    if z >= 0.0:
        e = math.exp(-z)
        s = 1.0 / (1.0 + e)
        return s, s * (e / (1.0 + e))
    e = math.exp(z)
    s = e / (1.0 + e)
    return s, s * (1.0 / (1.0 + e))


@njit(cache=True)
def rhs(x, p, u, dx):
    C1 = p.C
    C2 = 0.8 * p.C
    C3 = 0.25 * p.C
    C4 = 0.25 * p.C
    s_pyr, _ = _logistic(p.r * (x[1] - x[2] - p.v0))
    s_exc, _ = _logistic(p.r * (C1 * x[0] - p.v0))
    s_inh, _ = _logistic(p.r * (C3 * x[0] - p.v0))
    S_pyr = 2.0 * p.e0 * s_pyr
    S_exc = 2.0 * p.e0 * s_exc
    S_inh = 2.0 * p.e0 * s_inh
    dx[0] = x[3]
    dx[1] = x[4]
    dx[2] = x[5]
    dx[3] = p.A * p.a * S_pyr - 2.0 * p.a * x[3] - p.a * p.a * x[0]
    dx[4] = p.A * p.a * (p.P + u[0] + C2 * S_exc) - 2.0 * p.a * x[4] - p.a * p.a * x[1]
    dx[5] = p.B * p.b * C4 * S_inh - 2.0 * p.b * x[5] - p.b * p.b * x[2]


@njit(cache=True)
def jacobian(x, p, u, jac):
    C1 = p.C
    C2 = 0.8 * p.C
    C3 = 0.25 * p.C
    C4 = 0.25 * p.C
    _, d_pyr = _logistic(p.r * (x[1] - x[2] - p.v0))
    _, d_exc = _logistic(p.r * (C1 * x[0] - p.v0))
    _, d_inh = _logistic(p.r * (C3 * x[0] - p.v0))
    k = 2.0 * p.e0 * p.r          # S'(v) = 2 e0 r s (1 - s)
    for i in range(6):
        for j in range(6):
            jac[i, j] = 0.0
    jac[0, 3] = 1.0
    jac[1, 4] = 1.0
    jac[2, 5] = 1.0
    g = p.A * p.a * k * d_pyr
    jac[3, 0] = -p.a * p.a
    jac[3, 1] = g
    jac[3, 2] = -g
    jac[3, 3] = -2.0 * p.a
    jac[4, 0] = p.A * p.a * C2 * C1 * k * d_exc
    jac[4, 1] = -p.a * p.a
    jac[4, 4] = -2.0 * p.a
    jac[5, 0] = p.B * p.b * C4 * C3 * k * d_inh
    jac[5, 2] = -p.b * p.b
    jac[5, 5] = -2.0 * p.b


@njit(cache=True)
def output(x, p, o):
    s, _ = _logistic(p.r * (x[1] - x[2] - p.v0))
    o[0] = 2.0 * p.e0 * s


def timescale(p):
    rate = max(p.a, p.b)
    return 1.0 / rate if rate > 0 else math.inf


model = Model(
    name="jansen_rit",
    title="Jansen-Rit cortical column (NMM1)",
    equations=(r"L_a[y_0] = A a\,S(y_1 - y_2),\quad "
               r"L_a[y_1] = A a\,(P + u_P + C_2 S(C_1 y_0)),\quad "
               r"L_b[y_2] = B b\,C_4 S(C_3 y_0),\quad "
               r"L_k[y] = \ddot y + 2k\dot y + k^2 y,\quad "
               r"S(v) = \frac{2e_0}{1 + e^{r(v_0 - v)}}"),
    citation="jansen1995electroencephalogram",
    time_unit="s",
    state=("y0", "y1", "y2", "y3", "y4", "y5"),
    state_range=((0.0, 0.2), (-5.0, 30.0), (0.0, 25.0),
                 (-5.0, 5.0), (-300.0, 300.0), (-300.0, 300.0)),
    parameters=(
        Parameter("A", 3.25, "mV", 2.0, 10.0,
                  "maximal excitatory post-synaptic potential", "A", (0.0, None)),
        Parameter("a", 100.0, "1/s", 50.0, 200.0,
                  "excitatory synaptic rate (1 / time constant)", "a", (1e-12, None)),
        Parameter("B", 22.0, "mV", 10.0, 60.0,
                  "maximal inhibitory post-synaptic potential", "B", (0.0, None)),
        Parameter("b", 50.0, "1/s", 20.0, 100.0,
                  "inhibitory synaptic rate (1 / time constant)", "b", (1e-12, None)),
        Parameter("C", 135.0, "1", 50.0, 300.0,
                  "connectivity scale (C1 = C, C2 = 0.8 C, C3 = C4 = 0.25 C)", "C",
                  (0.0, None)),
        Parameter("e0", 2.5, "1/s", 1.0, 5.0,
                  "half the maximal firing rate of the sigmoid", "e_0", (0.0, None)),
        Parameter("r", 0.56, "1/mV", 0.2, 1.5,
                  "steepness of the sigmoid", "r", (0.0, None)),
        Parameter("v0", 6.0, "mV", 3.0, 9.0,
                  "potential at half-maximal firing", "v_0"),
        Parameter("P", 120.0, "1/s", -80.0, 350.0,
                  "external input to the excitatory interneurons (bifurcation parameter)",
                  "P"),
    ),
    inputs=("P",),
    rhs=rhs,
    jacobian=jacobian,
    output=output,
    outputs=("rate",),
    projections=(("rate", "P"),),
    coupling="additive",
    drive_input="P",
    timescale=timescale,
    description="Second-order synapses give the push-pull loop its phase lag: the alpha rhythm.",
)
