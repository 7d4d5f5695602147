r"""Wilson-Cowan excitatory-inhibitory pair: rung d of the ladder (WILCO).

Two populations, excitatory (rate :math:`x`) and inhibitory (rate :math:`y`), each relaxing
with a first-order time constant towards a sigmoid of its input
(:func:`rosetta.blocks.synapse_first_order` with unit gain, :func:`rosetta.blocks.logistic`):

.. math::

    \tau_x \dot x &= -x + S(w_{xx} x - w_{xy} y + P_x + u_x(t)), \\
    \tau_y \dot y &= -y + S(w_{yx} x - w_{yy} y + P_y + u_y(t)),
    \qquad S(s) = \frac{1}{1 + e^{-s}},

so both rates lie in :math:`(0, 1)` (the sigmoid's maximum is 1). The excitatory population
excites itself and the inhibitory one; the inhibitory population inhibits both. An
equilibrium loses stability in a Hopf bifurcation where the Jacobian's trace vanishes with
a positive determinant, which needs the reciprocal E-I loop and an operating point on the
steep part of the sigmoid (whose curvature supplies the cubic saturation of the
Stuart-Landau normal form of rung c).

Parameters and regimes follow the paper's figure [castaldo2026rosetta]:
:math:`w_{xx} = w_{xy} = w_{yx} = 12`, :math:`w_{yy} = 2`, :math:`\tau_x = \tau_y = 1`.
(a) Sweeping :math:`P_x \in [-5, 5]` at :math:`P_y = -6`: a saddle-node, a saddle-node on an
invariant circle (SNIC) where the oscillation is born with infinite period, then a
supercritical Hopf point where it dies (figure: SN ~ -3.6, SNIC ~ -3.3, HB+ ~ 1.5), which
the paper places near a Bogdanov-Takens point. (b) Sweeping :math:`P_y \in [-10, 0]` at
:math:`P_x = 0`: a "Hopf bubble" of oscillations between two Hopf points (figure: ~ -6.7
and ~ -3.3), no folds.
The equilibria lie on a curve known in closed form (along :math:`y`:
:math:`x = (\operatorname{logit} y + w_{yy} y - P_y)/w_{yx}`,
:math:`P_x = \operatorname{logit} x - w_{xx} x + w_{xy} y`), on which folds (det J = 0) and
Hopf points (tr J = 0, det J > 0) are found to any precision: SN at :math:`P_x = -3.5901`,
SNIC at :math:`-3.3005`, HB+ at :math:`1.5315` in panel (a), and HB+ at :math:`P_y = -6.7068`
and :math:`-3.2932` in panel (b) (``tests/test_wilson_cowan.py`` checks these against the
closed form and against :func:`rosetta.bifurcation_diagram`). Because :math:`S(-s) = 1 -
S(s)`, the map :math:`(x, y, P_x, P_y) \mapsto (1 - x, 1 - y, -P_x - (w_{xx} - w_{xy}),
-P_y - (w_{yx} - w_{yy}))` reverses the vector field; with the paper's weights it sends
:math:`P_y` to :math:`-10 - P_y` at :math:`P_x = 0`, so the bubble is symmetric about
:math:`P_y = -5`. The defaults :math:`P_x = 0`, :math:`P_y = -6` lie inside both oscillating
ranges: the default node's only equilibrium is an unstable focus, surrounded by a limit
cycle of period about 3.14 time units.

Time: :math:`\tau_x = \tau_y = 1` is the paper's normalised time, not a measured membrane
or synaptic constant. The declaration reads that unit as 1 ms (``time_unit = "ms"``), so
drives given in Hz and delays in seconds are converted with 1 unit = 1 ms, and a cycle of
period :math:`T` units has the frequency :math:`1000/T` Hz (the default cycle: about
320 Hz). That number only means something once :math:`\tau` is chosen: the dynamics depend
on time only through :math:`t/\tau`, so setting :math:`\tau_x = \tau_y = 10` (ms, a
membrane-like value) gives the same orbits ten times slower, and all frequencies ten times
lower (the default cycle at about 32 Hz, in the gamma band).

Network: node i receives :math:`G \sum_{j \ne i} C_{ij} x_j` inside its excitatory sigmoid
(input ``x``; the default projection ``x -> x``, additive, as in the paper, which
row-normalises C: ``rs.network("wilson_cowan", C, G, normalize="row")`` with a zero
diagonal); a projection onto input ``y`` adds long-range E -> I coupling. Drives act on
``x`` by default.

References: Wilson and Cowan, "Excitatory and inhibitory interactions in localized
populations of model neurons", Biophysical Journal 12 (1972) [wilson1972excitatory];
Castaldo, de Palma Aristides, Clusella, Garcia-Ojalvo and Ruffini, "Rosetta Stone of Neural
Mass Models", Physics Reports 1189 (2026), section on Wilson-Cowan [castaldo2026rosetta].
"""
import math

from numba import njit

from ..blocks import logistic, logistic_derivative, synapse_first_order
from ..model import Ladder, Model, Parameter


@njit(cache=True)
def _inputs(x, p, u):
    """The arguments of the excitatory and the inhibitory sigmoid."""
    s_x = p.wxx * x[0] - p.wxy * x[1] + p.Px + u[0]
    s_y = p.wyx * x[0] - p.wyy * x[1] + p.Py + u[1]
    return s_x, s_y


@njit(cache=True)
def rhs(x, p, u, dx):
    s_x, s_y = _inputs(x, p, u)
    dx[0] = synapse_first_order(x[0], logistic(s_x), p.tau_x, 1.0)
    dx[1] = synapse_first_order(x[1], logistic(s_y), p.tau_y, 1.0)


@njit(cache=True)
def jacobian(x, p, u, jac):
    s_x, s_y = _inputs(x, p, u)
    d_x = logistic_derivative(s_x)
    d_y = logistic_derivative(s_y)
    jac[0, 0] = (-1.0 + p.wxx * d_x) / p.tau_x
    jac[0, 1] = -p.wxy * d_x / p.tau_x
    jac[1, 0] = p.wyx * d_y / p.tau_y
    jac[1, 1] = (-1.0 - p.wyy * d_y) / p.tau_y


@njit(cache=True)
def output(x, p, o):
    o[0] = x[0]
    o[1] = x[1]


def timescale(p):
    """The fastest relaxation rate is at most the Gershgorin bound of the Jacobian, with the
    sigmoid's largest slope 1/4: (1 + (w_xx + w_xy)/4) / tau_x for E, likewise for I."""
    rate = max((1.0 + (p.wxx + p.wxy) / 4.0) / p.tau_x,
               (1.0 + (p.wyx + p.wyy) / 4.0) / p.tau_y)
    return 1.0 / rate if rate > 0 else math.inf


_W = dict(unit="1", low=0.0, high=30.0, domain=(0.0, None))

model = Model(
    name="wilson_cowan",
    title="Wilson-Cowan excitatory-inhibitory pair (WILCO)",
    equations=(r"\tau_x\dot x = -x + S(w_{xx}x - w_{xy}y + P_x + u_x),\quad "
               r"\tau_y\dot y = -y + S(w_{yx}x - w_{yy}y + P_y + u_y),\quad "
               r"S(s) = \frac{1}{1 + e^{-s}}"),
    citation="wilson1972excitatory",
    time_unit="ms",
    state=("x", "y"),
    state_range=((0.0, 1.0), (0.0, 1.0)),
    parameters=(
        Parameter("wxx", 12.0, meaning="excitatory to excitatory weight (self-excitation)",
                  symbol="w_{xx}", **_W),
        Parameter("wxy", 12.0, meaning="inhibitory to excitatory weight", symbol="w_{xy}",
                  **_W),
        Parameter("wyx", 12.0, meaning="excitatory to inhibitory weight", symbol="w_{yx}",
                  **_W),
        Parameter("wyy", 2.0, meaning="inhibitory to inhibitory weight (self-inhibition)",
                  symbol="w_{yy}", **_W),
        Parameter("tau_x", 1.0, "ms", 0.5, 20.0,
                  "time constant of the excitatory population (1 = the paper's time unit)",
                  r"\tau_x", (1e-12, None)),
        Parameter("tau_y", 1.0, "ms", 0.5, 20.0,
                  "time constant of the inhibitory population (1 = the paper's time unit)",
                  r"\tau_y", (1e-12, None)),
        Parameter("Px", 0.0, "1", -5.0, 5.0,
                  "external input to the excitatory population (bifurcation parameter, "
                  "panel a)", "P_x"),
        Parameter("Py", -6.0, "1", -10.0, 0.0,
                  "external input to the inhibitory population (bifurcation parameter, "
                  "panel b)", "P_y"),
    ),
    inputs=("x", "y"),
    rhs=rhs,
    jacobian=jacobian,
    output=output,
    outputs=("x", "y"),
    projections=(("x", "x"),),
    coupling="additive",
    drive_input="x",
    timescale=timescale,
    ladder=Ladder(rung="d", label="Wilson-Cowan", chapter="wilson_cowan", grounding=0.36,
                  variables="rate",
                  coupling="delayed", column="Wilson-Cowan",
                  portrait=dict(params={"Px": 0.0, "Py": -6.0},
                                x0=[[0.63, 0.59], [0.95, 0.2]], duration=40.0, dt=0.02,
                                axes=("x", "y")),
                  diagram=dict(parameter="Px", p_range=(-5.0, 5.0), params={"Py": -6.0},
                               observable="x")),
    description="Two sigmoidal populations, excitatory and inhibitory, push and pull: "
                "a rate oscillation between a SNIC and a Hopf point.",
)
