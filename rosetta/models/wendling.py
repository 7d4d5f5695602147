r"""Wendling's column with fast somatic inhibition: rung e of the ladder (NMM1).

Jansen-Rit [jansen1995electroencephalogram] with a fourth population, fast (PV-like)
inhibitory interneurons that project onto the pyramidal cells' soma
[wendling2002epileptic]. Each PSP obeys :math:`L_k[y] = \ddot y + 2k\dot y + k^2 y`
(:func:`rosetta.blocks.psp`, :math:`k = a, b, g`), and in the form printed in the paper
[castaldo2026rosetta]

.. math::

    L_a[y_0] &= A a\, S(y_1 - y_2 - y_3), \\
    L_a[y_1] &= A a\,\bigl(P + u_P(t) - C_2\, S(C_1 y_0)\bigr), \\
    L_b[y_2] &= B b\, C_4\, S(C_3 y_0), \\
    L_g[y_3] &= G g\, C_7\, S\bigl(C_5 [(1 - \kappa) y_0 + \kappa y_3] - C_6 y_2\bigr),

with the Jansen-Rit sigmoid :math:`S(v) = 2e_0/(1 + e^{r(v_0 - v)})`
(:func:`rosetta.blocks.sigmoid`), :math:`C_{1..7} = C\,(1, 0.8, 0.25, 0.25, 0.3, 0.1,
0.8) = 135, 108, 33.75, 33.75, 40.5, 13.5, 108`, gains :math:`A, B, G = 3.25, 22, 10`
mV and rates :math:`a, b, g = 100, 50, 500` /s. :math:`y_0` is the pyramidal output PSP,
:math:`y_1` the excitatory PSP on the pyramidal cells, :math:`y_2` the slow (dendritic)
and :math:`y_3` the fast (somatic) inhibitory PSP. The state is :math:`(y_0, \dots, y_3,
\dot y_0, \dots, \dot y_3)`.

Two forms, one switch. :math:`\kappa = 0` (the default) is the equation printed in the
paper: the fast interneurons are driven by the pyramidal PSP, :math:`S(C_5 y_0 - C_6
y_2)`; it reproduces the paper's figure. :math:`\kappa = 1` is the form of the authors'
AUTO file, :math:`S(C_5 y_3 - C_6 y_2)`, in which the fast population is fed by its own
PSP; it shifts the whole diagram by about 332 in :math:`P` and matches the text's "600 to
1750" (values in between blend the two, for a continuation from one to the other).
Two errata, kept as the figure needs them: the paper and its code write :math:`-C_2` in
the :math:`y_1` equation (the classic model has :math:`+C_2`, excitatory interneurons),
and the figure follows that minus sign.

Regime (figure: y0 against P in [0, 1700]): a single equilibrium branch that oscillates
between two supercritical Hopf points (figure: ~ 370 and ~ 1400); the continuation gives
HB+ at :math:`P = 368.95` (15.4 Hz) and :math:`P = 1398.89` (11.3 Hz) for
:math:`\kappa = 0`. At both points the fast population is silent (:math:`y_3 \approx 0`:
the slow inhibition :math:`C_6 y_2` keeps its sigmoid near zero), so the figure's range
is set by the Jansen-Rit part. With :math:`\kappa = 1` the fast population's own loop
:math:`y_3 = (G/g) C_7 S(C_5 y_3 - C_6 y_2)` is bistable: on the branch where it
saturates, :math:`y_3 = 2e_0 C_7 G/g = 10.8` mV, which subtracts :math:`(a/A)\,10.8
\approx 332.3` from the effective input, the Hopf points move to :math:`P = 701.26` and
:math:`1731.20` (the text's "600 to 1750"); the silent branch keeps the printed-form
points. (``tests/test_nmm1_models.py`` checks these against the closed-form equilibrium
curve.)

Time is in seconds, potentials in mV. The single input channel ``P`` is a rate (1/s) added
to :math:`P`; a node sends its pyramidal firing rate :math:`S(y_1 - y_2 - y_3)` (output
``rate``), which arrives additively on the neighbour's ``P``.

References: Wendling, Bartolomei, Bellanger and Chauvel, "Epileptic fast activity can be
explained by a model of impaired GABAergic dendritic inhibition", European Journal of
Neuroscience 15 (2002) [wendling2002epileptic]; Jansen and Rit (1995)
[jansen1995electroencephalogram]; Castaldo et al., "Rosetta Stone of Neural Mass Models",
Physics Reports 1189 (2026), section on NMM1 [castaldo2026rosetta].
"""
import math

from numba import njit

from ..blocks import SIGMOID, psp, psp_parameters, psp_partials, sigmoid, sigmoid_derivative
from ..model import Ladder, Model, Parameter


@njit(cache=True)
def _connectivity(C):
    """(C1, ..., C7) = C (1, 0.8, 0.25, 0.25, 0.3, 0.1, 0.8)."""
    return C, 0.8 * C, 0.25 * C, 0.25 * C, 0.3 * C, 0.1 * C, 0.8 * C


@njit(cache=True)
def _fast_input(x, p, C5, C6):
    """The argument of the fast interneurons' sigmoid: C5 y0 - C6 y2 (kappa = 0, printed)
    or C5 y3 - C6 y2 (kappa = 1, AUTO file)."""
    return C5 * ((1.0 - p.kappa) * x[0] + p.kappa * x[3]) - C6 * x[2]


@njit(cache=True)
def rhs(x, p, u, dx):
    C1, C2, C3, C4, C5, C6, C7 = _connectivity(p.C)
    S_pyr = sigmoid(x[1] - x[2] - x[3], p.e0, p.r, p.v0)
    S_exc = sigmoid(C1 * x[0], p.e0, p.r, p.v0)
    S_slow = sigmoid(C3 * x[0], p.e0, p.r, p.v0)
    S_fast = sigmoid(_fast_input(x, p, C5, C6), p.e0, p.r, p.v0)
    dx[0] = x[4]
    dx[1] = x[5]
    dx[2] = x[6]
    dx[3] = x[7]
    dx[4] = psp(x[0], x[4], p.A, p.a, S_pyr)
    dx[5] = psp(x[1], x[5], p.A, p.a, p.P + u[0] - C2 * S_exc)
    dx[6] = psp(x[2], x[6], p.B, p.b, C4 * S_slow)
    dx[7] = psp(x[3], x[7], p.G, p.g, C7 * S_fast)


@njit(cache=True)
def jacobian(x, p, u, jac):
    C1, C2, C3, C4, C5, C6, C7 = _connectivity(p.C)
    dS_pyr = sigmoid_derivative(x[1] - x[2] - x[3], p.e0, p.r, p.v0)
    dS_exc = sigmoid_derivative(C1 * x[0], p.e0, p.r, p.v0)
    dS_slow = sigmoid_derivative(C3 * x[0], p.e0, p.r, p.v0)
    dS_fast = sigmoid_derivative(_fast_input(x, p, C5, C6), p.e0, p.r, p.v0)
    a_y, a_dy, a_rate = psp_partials(p.A, p.a)
    b_y, b_dy, b_rate = psp_partials(p.B, p.b)
    g_y, g_dy, g_rate = psp_partials(p.G, p.g)
    for i in range(8):
        for j in range(8):
            jac[i, j] = 0.0
    for i in range(4):
        jac[i, i + 4] = 1.0
    jac[4, 0] = a_y
    jac[4, 1] = a_rate * dS_pyr
    jac[4, 2] = -a_rate * dS_pyr
    jac[4, 3] = -a_rate * dS_pyr
    jac[4, 4] = a_dy
    jac[5, 0] = -a_rate * C2 * C1 * dS_exc
    jac[5, 1] = a_y
    jac[5, 5] = a_dy
    jac[6, 0] = b_rate * C4 * C3 * dS_slow
    jac[6, 2] = b_y
    jac[6, 6] = b_dy
    fast = g_rate * C7 * dS_fast
    jac[7, 0] = fast * C5 * (1.0 - p.kappa)
    jac[7, 2] = -fast * C6
    jac[7, 3] = g_y + fast * C5 * p.kappa
    jac[7, 7] = g_dy


@njit(cache=True)
def output(x, p, o):
    o[0] = sigmoid(x[1] - x[2] - x[3], p.e0, p.r, p.v0)


def timescale(p):
    rate = max(p.a, p.b, p.g)
    return 1.0 / rate if rate > 0 else math.inf


model = Model(
    name="wendling",
    title="Wendling column with fast somatic inhibition (NMM1)",
    equations=(r"L_a[y_0] = A a\,S(y_1 - y_2 - y_3),\quad "
               r"L_a[y_1] = A a\,(P + u_P - C_2 S(C_1 y_0)),\quad "
               r"L_b[y_2] = B b\,C_4 S(C_3 y_0),\quad "
               r"L_g[y_3] = G g\,C_7 S(C_5[(1-\kappa) y_0 + \kappa y_3] - C_6 y_2),\quad "
               r"L_k[y] = \ddot y + 2k\dot y + k^2 y"),
    citation="wendling2002epileptic",
    time_unit="s",
    state=("y0", "y1", "y2", "y3", "y4", "y5", "y6", "y7"),
    state_range=((0.0, 0.2), (-5.0, 30.0), (0.0, 25.0), (0.0, 20.0),
                 (-5.0, 5.0), (-300.0, 300.0), (-300.0, 300.0), (-300.0, 300.0)),
    parameters=(
        *psp_parameters((3.25, 2.0, 10.0), (100.0, 50.0, 200.0), names=("A", "a"),
                        kind="excitatory"),
        *psp_parameters((22.0, 10.0, 60.0), (50.0, 20.0, 100.0), names=("B", "b"),
                        kind="slow (dendritic) inhibitory"),
        *psp_parameters((10.0, 2.0, 40.0), (500.0, 200.0, 1000.0), names=("G", "g"),
                        kind="fast (somatic) inhibitory"),
        Parameter("C", 135.0, "1", 50.0, 300.0,
                  "connectivity scale (C1..C7 = C (1, 0.8, 0.25, 0.25, 0.3, 0.1, 0.8))", "C",
                  (0.0, None)),
        *SIGMOID,
        Parameter("kappa", 0.0, "1", 0.0, 1.0,
                  "form of the fast interneurons' input: 0 printed (C5 y0, the figure), "
                  "1 the authors' AUTO file (C5 y3)", r"\kappa", (0.0, 1.0)),
        Parameter("P", 800.0, "1/s", 0.0, 1700.0,
                  "external input rate to the pyramidal cells' excitatory PSP y1 "
                  "(bifurcation parameter)", "P"),
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
    ladder=Ladder(rung="e", label="Wendling", chapter="nmm1_wendling_lanmm", grounding=0.56,
                  variables="PSP voltage", coupling="delayed"),
    description="Jansen-Rit plus fast somatic inhibition: oscillations between two "
                "supercritical Hopf points.",
)
