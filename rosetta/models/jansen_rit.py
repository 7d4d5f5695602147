r"""Jansen-Rit cortical column: rung e of the ladder (NMM1, second-order synapses).

Three populations (pyramidal cells, excitatory and inhibitory interneurons) talk through
post-synaptic potentials (PSPs) filtered by the second-order operator
:math:`L_k[y] = \ddot y + 2k\dot y + k^2 y` (:math:`k = a` excitatory, :math:`k = b`
inhibitory; :func:`rosetta.blocks.psp`):

.. math::

    L_a[y_0] &= A a\, S(y_1 - y_2), \\
    L_a[y_1] &= A a\,\bigl(P + u_P(t) + C_2\, S(C_1 y_0)\bigr), \\
    L_b[y_2] &= B b\, C_4\, S(C_3 y_0),

with the sigmoid :math:`S(v) = 2e_0 / (1 + e^{r(v_0 - v)})` (:func:`rosetta.blocks.sigmoid`)
and the connectivity constants :math:`C_1 = C`, :math:`C_2 = 0.8\,C`,
:math:`C_3 = C_4 = 0.25\,C`. Here :math:`y_0` is the PSP that the pyramidal cells' firing
:math:`S(y_1 - y_2)` evokes in both interneuron populations; :math:`y_1` is the excitatory
PSP on the pyramidal cells, driven by the excitatory interneurons' firing
:math:`C_2 S(C_1 y_0)` and by the external input :math:`P`; :math:`y_2` is the
inhibitory PSP on the pyramidal cells, driven by the inhibitory interneurons' firing
:math:`C_4 S(C_3 y_0)`. So :math:`P` (a rate from other columns or the thalamus) excites
the pyramidal cells, summed with the excitatory interneurons' firing into the same
excitatory PSP :math:`y_1`; it does not act on the interneurons.
As a first-order system the state is :math:`(y_0, y_1, y_2, y_3, y_4, y_5)` with
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
channel ``P`` is a firing rate (1/s) added to the external input :math:`P` of the
pyramidal cells' excitatory PSP :math:`y_1`. A node sends its pyramidal firing rate
:math:`S(y_1 - y_2)` (1/s), which arrives additively on the neighbour's ``P`` channel.
"""
import math

from numba import njit

from ..blocks import SIGMOID, psp, psp_parameters, psp_partials, sigmoid, sigmoid_derivative
from ..model import Ladder, Model, Parameter


@njit(cache=True)
def _connectivity(C):
    """(C1, C2, C3, C4) = (C, 0.8 C, 0.25 C, 0.25 C)."""
    return C, 0.8 * C, 0.25 * C, 0.25 * C


@njit(cache=True)
def rhs(x, p, u, dx):
    C1, C2, C3, C4 = _connectivity(p.C)
    S_pyr = sigmoid(x[1] - x[2], p.e0, p.r, p.v0)        # pyramidal cells
    S_exc = sigmoid(C1 * x[0], p.e0, p.r, p.v0)          # excitatory interneurons
    S_inh = sigmoid(C3 * x[0], p.e0, p.r, p.v0)          # inhibitory interneurons
    dx[0] = x[3]
    dx[1] = x[4]
    dx[2] = x[5]
    dx[3] = psp(x[0], x[3], p.A, p.a, S_pyr)
    dx[4] = psp(x[1], x[4], p.A, p.a, p.P + u[0] + C2 * S_exc)
    dx[5] = psp(x[2], x[5], p.B, p.b, C4 * S_inh)


@njit(cache=True)
def jacobian(x, p, u, jac):
    C1, C2, C3, C4 = _connectivity(p.C)
    dS_pyr = sigmoid_derivative(x[1] - x[2], p.e0, p.r, p.v0)
    dS_exc = sigmoid_derivative(C1 * x[0], p.e0, p.r, p.v0)
    dS_inh = sigmoid_derivative(C3 * x[0], p.e0, p.r, p.v0)
    a_y, a_dy, a_rate = psp_partials(p.A, p.a)
    b_y, b_dy, b_rate = psp_partials(p.B, p.b)
    for i in range(6):
        for j in range(6):
            jac[i, j] = 0.0
    jac[0, 3] = 1.0
    jac[1, 4] = 1.0
    jac[2, 5] = 1.0
    jac[3, 0] = a_y
    jac[3, 1] = a_rate * dS_pyr
    jac[3, 2] = -a_rate * dS_pyr
    jac[3, 3] = a_dy
    jac[4, 0] = a_rate * C2 * C1 * dS_exc
    jac[4, 1] = a_y
    jac[4, 4] = a_dy
    jac[5, 0] = b_rate * C4 * C3 * dS_inh
    jac[5, 2] = b_y
    jac[5, 5] = b_dy


@njit(cache=True)
def output(x, p, o):
    o[0] = sigmoid(x[1] - x[2], p.e0, p.r, p.v0)


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
        *psp_parameters((3.25, 2.0, 10.0), (100.0, 50.0, 200.0), names=("A", "a"),
                        kind="excitatory"),
        *psp_parameters((22.0, 10.0, 60.0), (50.0, 20.0, 100.0), names=("B", "b"),
                        kind="inhibitory"),
        Parameter("C", 135.0, "1", 50.0, 300.0,
                  "connectivity scale (C1 = C, C2 = 0.8 C, C3 = C4 = 0.25 C)", "C",
                  (0.0, None)),
        *SIGMOID,
        Parameter("P", 120.0, "1/s", -80.0, 350.0,
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
    ladder=Ladder(rung="e", label="Jansen-Rit", chapter="nmm1_jansen_rit", grounding=0.48,
                  variables="PSP voltage",
                  coupling="delayed", column="NMM1 (Jansen-Rit)",
                  portrait=dict(params={"P": 200.0}, x0=[[0.09, 18.0, 12.0, 0.0, 0.0, 0.0]],
                                duration=1.5, dt=1e-4, transient=0.5, axes=("y0", "y3")),
                  diagram=dict(parameter="P", p_range=(-80.0, 350.0),
                               observable={"y1": 1, "y2": -1})),
    description="Second-order synapses give the push-pull loop its phase lag: the alpha rhythm.",
)
