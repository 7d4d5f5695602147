r"""Montbrio-Pazo-Roxin mean field: rung f of the ladder (NMM2), instantaneous synapses.

The exact firing-rate equations of an infinite population of quadratic
integrate-and-fire neurons :math:`\tau\dot V_j = V_j^2 + \eta_j + J\tau r + I(t)` with
Lorentzian excitabilities :math:`\eta_j` (centre :math:`\eta`, half-width :math:`\Delta`):

.. math::

    \tau\dot r = \frac{\Delta}{\pi\tau} + 2 r v, \qquad
    \tau\dot v = v^2 + \eta + J\tau r - (\pi\tau r)^2 + I(t),

where :math:`r` is the population firing rate and :math:`v` the mean membrane potential
(dimensionless). With :math:`\tau = 1` this is the model of Montbrio, Pazo and Roxin
(2015); the :math:`\Delta/(\pi\tau)` convention is the one of the paper's AUTO code.

Fixed points: with :math:`R = \pi\tau r`, :math:`v^* = -\Delta/(2R)` and
:math:`\eta = R^2 - (J/\pi) R - \Delta^2/(4R^2) - I`. The trace of the Jacobian,
:math:`4v^*/\tau < 0`, never vanishes, so there is no Hopf bifurcation; folds occur where
:math:`d\eta/dR = 0`, i.e. :math:`J = \pi(2R + \Delta^2/(2R^3))`, and the two fold curves
meet in a cusp (:math:`d^2\eta/dR^2 = 0`, :math:`R^4 = 3\Delta^2/4`) at

.. math::

    \eta_c = -\sqrt3\,\Delta, \qquad
    J_c = \frac{8\pi}{3}\Bigl(\frac34\Bigr)^{1/4}\sqrt\Delta \approx 7.796\,\sqrt\Delta,

for any :math:`\tau`; beyond it (larger J, eta between the folds) a low- and a
high-activity state coexist.

References: Montbrio, Pazo and Roxin, "Macroscopic description for networks of spiking
neurons", Physical Review X 5 (2015) [montbrio2015macroscopic]; Castaldo, de Palma
Aristides, Clusella, Garcia-Ojalvo and Ruffini, "Rosetta Stone of Neural Mass Models",
Physics Reports 1189 (2026), section on NMM2 [castaldo2026rosetta].

Time is in ms and r in 1/ms (kHz). The input channel ``I`` is a current in the units of
eta (dimensionless). A node sends its rate r, which arrives additively on the neighbour's
``I`` channel, so a coupling weight has units of ms (G C_ij plays the role of J tau).
"""
import math

from numba import njit

from ..model import Ladder, Model, Parameter


@njit(cache=True)
def rhs(x, p, u, dx):
    r = x[0]
    v = x[1]
    tau = p.tau
    pr = math.pi * tau * r
    dx[0] = (p.Delta / (math.pi * tau) + 2.0 * r * v) / tau
    dx[1] = (v * v + p.eta + p.J * tau * r - pr * pr + u[0]) / tau


@njit(cache=True)
def jacobian(x, p, u, jac):
    r = x[0]
    v = x[1]
    tau = p.tau
    jac[0, 0] = 2.0 * v / tau
    jac[0, 1] = 2.0 * r / tau
    jac[1, 0] = p.J - 2.0 * math.pi * math.pi * tau * r
    jac[1, 1] = 2.0 * v / tau


@njit(cache=True)
def output(x, p, o):
    o[0] = x[0]


def timescale(p):
    # the fast scale shrinks with the drive: about tau / (sqrt|eta| + J / pi)
    return p.tau / max(1.0, math.sqrt(abs(p.eta)) + p.J / math.pi)


model = Model(
    name="montbrio_pazo_roxin",
    title="Montbrio-Pazo-Roxin QIF mean field (NMM2, instantaneous synapses)",
    equations=(r"\tau\dot r = \frac{\Delta}{\pi\tau} + 2rv,\quad "
               r"\tau\dot v = v^2 + \eta + J\tau r - (\pi\tau r)^2 + I(t)"),
    citation="montbrio2015macroscopic",
    time_unit="ms",
    state=("r", "v"),
    state_range=((0.0, 2.0), (-3.0, 3.0)),
    state_domain=((0.0, None), (None, None)),      # a rate is never negative
    parameters=(
        Parameter("tau", 1.0, "ms", 0.5, 20.0,
                  "membrane time constant", r"\tau", (1e-12, None)),
        Parameter("Delta", 1.0, "1", 0.05, 5.0,
                  "half-width of the Lorentzian distribution of excitabilities", r"\Delta",
                  (1e-12, None)),
        Parameter("eta", -5.0, "1", -15.0, 5.0,
                  "centre of the distribution of excitabilities (mean drive)", r"\eta"),
        Parameter("J", 15.0, "1", 0.0, 30.0,
                  "recurrent synaptic weight (> 0 excitatory)", "J"),
    ),
    inputs=("I",),
    rhs=rhs,
    jacobian=jacobian,
    output=output,
    outputs=("r",),
    projections=(("r", "I"),),
    coupling="additive",
    drive_input="I",
    timescale=timescale,
    ladder=Ladder(rung="f", label="MPR", chapter="nmm2_mean_field", grounding=1.0,
                  variables="rate + voltage", coupling="instantaneous"),
    description="The exact mean field of spiking neurons: rate and voltage push and pull.",
)
