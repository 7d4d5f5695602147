r"""The laminar neural mass model (LaNMM): rung e of the ladder (NMM1).

Two Jansen-Rit-like columns stacked in layers [sanchez2023physical]: a deep one (pyramidal
cells P1, excitatory interneurons SS, slow SST-like inhibition) that makes alpha, and a
superficial one (pyramidal cells P2 with fast PV inhibition) that makes gamma, coupled
pyramid to pyramid. With :math:`L_k[y] = \ddot y + 2k\dot y + k^2 y`
(:func:`rosetta.blocks.psp`) and the form of the paper [castaldo2026rosetta]

.. math::

    L_{a_A}[y_1] &= A_A a_A\, S_1\bigl(C_1 y_2 + C_2 y_3 + C_{11} y_4
                    + \tfrac{A_A}{a_A}(P + u_P)\bigr), \\
    L_{a_A}[y_2] &= A_A a_A\, S_2(C_4 y_1), \\
    L_{a_{Gs}}[y_3] &= A_{Gs} a_{Gs}\, S_3(C_5 y_1), \\
    L_{a_A}[y_4] &= A_A a_A\, S_4\bigl(C_6 y_4 + C_7 y_5 + C_{12} y_1
                    + \tfrac{A_A}{a_A}(P_2 + u_{P_2})\bigr), \\
    L_{a_{Gf}}[y_5] &= A_{Gf} a_{Gf}\, S_5(C_9 y_4 + C_{10} y_5 + C_{13} y_1),

with :math:`S_i(v) = 2e_0/(1 + e^{r(v_{0,i} - v)})` (:func:`rosetta.blocks.sigmoid`),
:math:`e_0 = 2.5` /s, :math:`r = 0.56` /mV, thresholds :math:`v_{0,i} = (6, 6, 6, 1, 6)`
mV, :math:`C_{1, 2, 4, 5, 6, 7, 9, 10, 11, 12, 13} = 108, 33.7, 135, 33.75, 70, 550, 200,
100, 80, 200, 30` (the paper's :math:`C_3` and :math:`C_8` are unused), gains
:math:`(A_A, A_{Gs}, A_{Gf}) = (3.25, -22, -30)` mV with rates :math:`(a_A, a_{Gs},
a_{Gf}) = (100, 50, 220)` /s. The negative gains make :math:`y_3` (slow, SST-like) and
:math:`y_5` (fast, PV-like) inhibitory PSPs, so every :math:`C` is positive. The input
:math:`P` (a rate) enters the P1 sigmoid as the PSP :math:`(A_A/a_A) P = 0.0325\,P`, and
the second input :math:`P_2` enters the P2 sigmoid the same way (0 in the paper's figure).
The membrane potential of P1 is :math:`v_{P1} = C_1 y_2 + C_2 y_3 + C_{11} y_4` (plus the
input's :math:`0.0325 P`, not a state). The state is :math:`(y_1, \dots, y_5, z_1, \dots,
z_5)` with :math:`z_i = \dot y_i`.

Regime (figure: v_P1 against P in [-100, 500]): the equilibrium curve folds twice, at a
saddle-node (SN, figure ~ -67) and at a saddle-node on an invariant circle (SNIC, figure
~ 104) where a large, slow deep cycle is born with infinite period; that cycle branch
folds twice close together (SNLC, figure ~ 153), turns into the alpha rhythm and ends at
the alpha Hopf point (HB+, figure ~ 363); the equilibrium is then stable until the gamma
Hopf point (HB+, figure ~ 455), where the superficial gamma cycle is born. The
continuation gives SN at :math:`P = -65.30`, SNIC at :math:`103.87`, SNLC at
:math:`153.75` and :math:`154.60`, alpha HB+ at :math:`363.31` (10.83 Hz) and gamma HB+
at :math:`454.64` (40.30 Hz) (``tests/test_nmm1_models.py``; the folds and Hopf points
are checked against the closed-form equilibrium curve, the cycles by simulation).

Time is in seconds, potentials in mV. Inputs ``P`` and ``P2`` are rates (1/s) added to
:math:`P` and :math:`P_2`; a node sends the firing rates of P1 and P2 (outputs ``P1`` and
``P2``); the default wiring is pyramid to pyramid, ``P1 -> P`` (additive).

References: Sanchez-Todo, Bastos, Lopez-Sola, Mercadal, Santarnecchi, Miller, Deco and
Ruffini, "A physical neural mass model framework for the analysis of oscillatory generators
from laminar electrophysiological recordings", NeuroImage 270 (2023) [sanchez2023physical];
Jansen and Rit (1995) [jansen1995electroencephalogram]; Castaldo et al., "Rosetta Stone of
Neural Mass Models", Physics Reports 1189 (2026), section on NMM1 [castaldo2026rosetta].
"""
import math

from numba import njit

from ..blocks import psp, psp_parameters, psp_partials, sigmoid, sigmoid_derivative, \
    sigmoid_parameters
from ..model import Ladder, Model, Parameter


@njit(cache=True)
def _potentials(x, p, u0, u1):
    """The arguments of the five sigmoids (membrane potentials of P1, SS, SST, P2, PV)."""
    k = p.A_A / p.a_A
    v1 = p.C1 * x[1] + p.C2 * x[2] + p.C11 * x[3] + k * (p.P + u0)
    v2 = p.C4 * x[0]
    v3 = p.C5 * x[0]
    v4 = p.C6 * x[3] + p.C7 * x[4] + p.C12 * x[0] + k * (p.P2 + u1)
    v5 = p.C9 * x[3] + p.C10 * x[4] + p.C13 * x[0]
    return v1, v2, v3, v4, v5


@njit(cache=True)
def rhs(x, p, u, dx):
    v1, v2, v3, v4, v5 = _potentials(x, p, u[0], u[1])
    for i in range(5):
        dx[i] = x[i + 5]
    dx[5] = psp(x[0], x[5], p.A_A, p.a_A, sigmoid(v1, p.e0, p.r, p.v0_P1))
    dx[6] = psp(x[1], x[6], p.A_A, p.a_A, sigmoid(v2, p.e0, p.r, p.v0_SS))
    dx[7] = psp(x[2], x[7], p.A_Gs, p.a_Gs, sigmoid(v3, p.e0, p.r, p.v0_SST))
    dx[8] = psp(x[3], x[8], p.A_A, p.a_A, sigmoid(v4, p.e0, p.r, p.v0_P2))
    dx[9] = psp(x[4], x[9], p.A_Gf, p.a_Gf, sigmoid(v5, p.e0, p.r, p.v0_PV))


@njit(cache=True)
def jacobian(x, p, u, jac):
    v1, v2, v3, v4, v5 = _potentials(x, p, u[0], u[1])
    d1 = sigmoid_derivative(v1, p.e0, p.r, p.v0_P1)
    d2 = sigmoid_derivative(v2, p.e0, p.r, p.v0_SS)
    d3 = sigmoid_derivative(v3, p.e0, p.r, p.v0_SST)
    d4 = sigmoid_derivative(v4, p.e0, p.r, p.v0_P2)
    d5 = sigmoid_derivative(v5, p.e0, p.r, p.v0_PV)
    a_y, a_dy, a_rate = psp_partials(p.A_A, p.a_A)
    s_y, s_dy, s_rate = psp_partials(p.A_Gs, p.a_Gs)
    f_y, f_dy, f_rate = psp_partials(p.A_Gf, p.a_Gf)
    for i in range(10):
        for j in range(10):
            jac[i, j] = 0.0
    for i in range(5):
        jac[i, i + 5] = 1.0
    # y1: P1's output PSP
    jac[5, 0] = a_y
    jac[5, 1] = a_rate * d1 * p.C1
    jac[5, 2] = a_rate * d1 * p.C2
    jac[5, 3] = a_rate * d1 * p.C11
    jac[5, 5] = a_dy
    # y2, y3: the deep interneurons
    jac[6, 0] = a_rate * d2 * p.C4
    jac[6, 1] = a_y
    jac[6, 6] = a_dy
    jac[7, 0] = s_rate * d3 * p.C5
    jac[7, 2] = s_y
    jac[7, 7] = s_dy
    # y4: P2's output PSP
    jac[8, 0] = a_rate * d4 * p.C12
    jac[8, 3] = a_y + a_rate * d4 * p.C6
    jac[8, 4] = a_rate * d4 * p.C7
    jac[8, 8] = a_dy
    # y5: PV's output PSP
    jac[9, 0] = f_rate * d5 * p.C13
    jac[9, 3] = f_rate * d5 * p.C9
    jac[9, 4] = f_y + f_rate * d5 * p.C10
    jac[9, 9] = f_dy


@njit(cache=True)
def output(x, p, o):
    v1, v2, v3, v4, v5 = _potentials(x, p, 0.0, 0.0)
    o[0] = sigmoid(v1, p.e0, p.r, p.v0_P1)
    o[1] = sigmoid(v4, p.e0, p.r, p.v0_P2)


def timescale(p):
    rate = max(p.a_A, p.a_Gs, p.a_Gf)
    return 1.0 / rate if rate > 0 else math.inf


def _c(name, value, meaning):
    return Parameter(name, value, "1", 0.0, 2.0 * value if value > 0 else 1.0,
                     meaning, name.replace("C", "C_{") + "}", (0.0, None))


def _inhibitory(A, a, names, kind):
    """A PSP with a negative gain (an inhibitory PSP written with its sign)."""
    gain = Parameter(names[0], A[0], "mV", A[1], A[2],
                     f"maximal {kind} post-synaptic potential (negative: inhibitory)",
                     names[0], (None, 0.0))
    _, rate = psp_parameters((1.0, 0.0, 2.0), a, names=("_", names[1]), kind=kind)
    return gain, rate


model = Model(
    name="lanmm",
    title="Laminar neural mass model, alpha and gamma (LaNMM, NMM1)",
    equations=(r"L_{a_A}[y_1] = A_A a_A S_1(C_1 y_2 + C_2 y_3 + C_{11} y_4 "
               r"+ \tfrac{A_A}{a_A}(P + u_P)),\ "
               r"L_{a_A}[y_2] = A_A a_A S_2(C_4 y_1),\ "
               r"L_{a_{Gs}}[y_3] = A_{Gs} a_{Gs} S_3(C_5 y_1),\ "
               r"L_{a_A}[y_4] = A_A a_A S_4(C_6 y_4 + C_7 y_5 + C_{12} y_1 "
               r"+ \tfrac{A_A}{a_A}(P_2 + u_{P_2})),\ "
               r"L_{a_{Gf}}[y_5] = A_{Gf} a_{Gf} S_5(C_9 y_4 + C_{10} y_5 + C_{13} y_1)"),
    citation="sanchez2023physical",
    time_unit="s",
    state=("y1", "y2", "y3", "y4", "y5", "z1", "z2", "z3", "z4", "z5"),
    state_range=((0.0, 0.2), (0.0, 0.2), (-2.0, 0.0), (0.0, 0.2), (-1.0, 0.0),
                 (-5.0, 5.0), (-5.0, 5.0), (-50.0, 50.0), (-5.0, 5.0), (-50.0, 50.0)),
    parameters=(
        *psp_parameters((3.25, 1.0, 10.0), (100.0, 50.0, 200.0), names=("A_A", "a_A"),
                        kind="excitatory (AMPA)"),
        *_inhibitory((-22.0, -60.0, -5.0), (50.0, 20.0, 100.0), ("A_Gs", "a_Gs"),
                     "slow inhibitory (GABA_A slow, SST)"),
        *_inhibitory((-30.0, -60.0, -5.0), (220.0, 100.0, 400.0), ("A_Gf", "a_Gf"),
                     "fast inhibitory (GABA_A fast, PV)"),
        _c("C1", 108.0, "SS -> P1"),
        _c("C2", 33.7, "SST -> P1"),
        _c("C4", 135.0, "P1 -> SS"),
        _c("C5", 33.75, "P1 -> SST"),
        _c("C6", 70.0, "P2 -> P2"),
        _c("C7", 550.0, "PV -> P2"),
        _c("C9", 200.0, "P2 -> PV"),
        _c("C10", 100.0, "PV -> PV"),
        _c("C11", 80.0, "P2 -> P1"),
        _c("C12", 200.0, "P1 -> P2"),
        _c("C13", 30.0, "P1 -> PV"),
        *sigmoid_parameters(names=("e0", "r", "v0_P1"), symbols=("e_0", "r", "v_{0,1}"),
                            population="(all populations; v0 of P1)"),
        *(sigmoid_parameters(v0=(v, v - 3.0, v + 3.0), names=("e0", "r", f"v0_{pop}"),
                             symbols=("e_0", "r", f"v_{{0,{i}}}"),
                             population=f"of {pop}")[2]
          for i, (pop, v) in enumerate((("SS", 6.0), ("SST", 6.0), ("P2", 1.0),
                                        ("PV", 6.0)), start=2)),
        Parameter("P", 200.0, "1/s", -100.0, 500.0,
                  "external input rate to P1, entering its sigmoid as (A_A/a_A) P "
                  "(bifurcation parameter)", "P"),
        Parameter("P2", 0.0, "1/s", -100.0, 500.0,
                  "external input rate to P2, entering its sigmoid as (A_A/a_A) P2", "P_2"),
    ),
    inputs=("P", "P2"),
    rhs=rhs,
    jacobian=jacobian,
    output=output,
    outputs=("P1", "P2"),
    projections=(("P1", "P"),),
    coupling="additive",
    drive_input="P",
    timescale=timescale,
    ladder=Ladder(rung="e", label="LaNMM", chapter="nmm1_wendling_lanmm", grounding=0.64,
                  variables="PSP voltage", coupling="delayed"),
    description="Deep alpha and superficial gamma columns, coupled pyramid to pyramid.",
)
