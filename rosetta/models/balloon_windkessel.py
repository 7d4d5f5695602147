r"""The Balloon-Windkessel haemodynamic model: from neural activity to the BOLD signal.

Not a rung of the ladder but what an fMRI scanner sees of any of them: a slow, nonlinear
filter of neural activity [friston2000nonlinear]. A flow-inducing signal :math:`s` responds
to the neural input :math:`z(t)` and drives the blood inflow :math:`f`; the venous
compartment (the "balloon") swells with volume :math:`v` and changes its deoxyhaemoglobin
content :math:`q`:

.. math::

    \dot s &= z - \kappa s - \gamma (f - 1), \\
    \dot f &= s, \\
    \tau \dot v &= f - v^{1/\alpha}, \\
    \tau \dot q &= \frac{f}{\rho}\bigl(1 - (1 - \rho)^{1/f}\bigr) - v^{1/\alpha - 1} q,

and the BOLD signal (fractional change) is

.. math::

    y = V_0\bigl(k_1 (1 - q) + k_2 (1 - q/v) + k_3 (1 - v)\bigr), \qquad
    k_1 = 7\rho,\; k_2 = 2,\; k_3 = 2\rho - 0.2,

the coefficients of Friston et al. (2000) for 1.5 T [friston2000nonlinear] (Stephan et al.
(2007) give field-dependent ones [stephan2007comparing]). Defaults: the haemodynamic rates
and transit time of Stephan et al.'s priors, :math:`\kappa = 0.64` /s, :math:`\gamma =
0.32` /s, :math:`\tau = 2` s, and Friston et al.'s :math:`\alpha = 0.32`,
:math:`\rho = 0.34`, :math:`V_0 = 0.02`. Friston et al.'s own rates (:math:`\kappa =
0.65`, :math:`\gamma = 0.41` /s, :math:`\tau = 0.98` s, the values of several simulators)
give a faster response, peaking about 3 s after a brief input instead of about 4.2 s. At
rest (:math:`z = 0`) the state is :math:`(0, 1, 1, 1)` and :math:`y = 0`.

Regime: :math:`z` is dimensionless; brief inputs of order one give the textbook response
(for a 0.1 s pulse of height 1, a peak of 0.3 per cent 4.2 s after it, back through zero
at about 10 s and an undershoot deepest at about 12 s; ``tests/test_bold.py``); much
larger inputs take the model into its nonlinear,
saturating range, and a neural model's output has to be scaled into it (see
:func:`rosetta.bold.simulate_bold`). Flow, volume and content must stay positive
(``state_domain``).

Time is in seconds. The input ``z`` adds to the flow-inducing signal; a node sends its
BOLD signal (output ``bold``), which nothing is wired to by default.

References: Friston, Mechelli, Turner and Price, "Nonlinear responses in fMRI: the
Balloon model, Volterra kernels, and other hemodynamics", NeuroImage 12 (2000)
[friston2000nonlinear]; Buxton, Wong and Frank, Magnetic Resonance in Medicine 39 (1998)
[buxton1998dynamics]; Stephan, Weiskopf, Drysdale, Robinson and Friston, NeuroImage 38
(2007) [stephan2007comparing].
"""
import math

from numba import njit

from ..model import Model, Parameter


@njit(cache=True)
def _extraction(f, rho):
    """E(f) = 1 - (1 - rho)^(1/f), the oxygen extraction fraction at flow f."""
    return 1.0 - math.exp(math.log(1.0 - rho) / f)


@njit(cache=True)
def rhs(x, p, u, dx):
    s, f, v, q = x[0], x[1], x[2], x[3]
    out = math.exp(math.log(v) / p.alpha)            # v^(1/alpha): outflow
    dx[0] = u[0] - p.kappa * s - p.gamma * (f - 1.0)
    dx[1] = s
    dx[2] = (f - out) / p.tau
    dx[3] = (f * _extraction(f, p.rho) / p.rho - out * q / v) / p.tau


@njit(cache=True)
def jacobian(x, p, u, jac):
    f, v, q = x[1], x[2], x[3]
    for i in range(4):
        for j in range(4):
            jac[i, j] = 0.0
    a = 1.0 / p.alpha
    out_v = a * math.exp((a - 1.0) * math.log(v))               # d v^a / dv
    ratio = math.exp((a - 1.0) * math.log(v))                    # v^(a - 1)
    keep = math.exp(math.log(1.0 - p.rho) / f)                   # (1 - rho)^(1/f)
    jac[0, 0] = -p.kappa
    jac[0, 1] = -p.gamma
    jac[1, 0] = 1.0
    jac[2, 1] = 1.0 / p.tau
    jac[2, 2] = -out_v / p.tau
    jac[3, 1] = (1.0 - keep + keep * math.log(1.0 - p.rho) / f) / (p.rho * p.tau)
    jac[3, 2] = -(a - 1.0) * math.exp((a - 2.0) * math.log(v)) * q / p.tau
    jac[3, 3] = -ratio / p.tau


@njit(cache=True)
def output(x, p, o):
    q, v = x[3], x[2]
    o[0] = p.V0 * (7.0 * p.rho * (1.0 - q) + 2.0 * (1.0 - q / v)
                   + (2.0 * p.rho - 0.2) * (1.0 - v))


def timescale(p):
    return min(1.0 / p.kappa, p.tau * p.alpha, 1.0 / math.sqrt(p.gamma))


model = Model(
    name="balloon_windkessel",
    title="Balloon-Windkessel haemodynamics: neural activity to BOLD",
    equations=(r"\dot s = z - \kappa s - \gamma(f - 1),\quad \dot f = s,\quad "
               r"\tau\dot v = f - v^{1/\alpha},\quad "
               r"\tau\dot q = \frac{f}{\rho}\left(1 - (1-\rho)^{1/f}\right) - v^{1/\alpha - 1}q"),
    citation="friston2000nonlinear",
    time_unit="s",
    state=("s", "f", "v", "q"),
    state_range=((-0.5, 0.5), (0.5, 2.0), (0.5, 2.0), (0.5, 2.0)),
    state_domain=((None, None), (1e-12, None), (1e-12, None), (1e-12, None)),
    parameters=(
        Parameter("kappa", 0.64, "1/s", 0.3, 1.5, "rate of decay of the flow-inducing signal",
                  r"\kappa", (0.0, None)),
        Parameter("gamma", 0.32, "1/s", 0.1, 1.0, "rate of flow-dependent elimination",
                  r"\gamma", (0.0, None)),
        Parameter("tau", 2.0, "s", 0.3, 3.0, "haemodynamic transit time", r"\tau",
                  (1e-12, None)),
        Parameter("alpha", 0.32, "1", 0.2, 0.5, "Grubb's exponent (vessel stiffness)",
                  r"\alpha", (1e-12, 1.0)),
        Parameter("rho", 0.34, "1", 0.2, 0.6, "resting oxygen extraction fraction", r"\rho",
                  (1e-12, 1.0 - 1e-12)),
        Parameter("V0", 0.02, "1", 0.01, 0.08, "resting venous blood volume fraction", "V_0",
                  (0.0, None)),
    ),
    inputs=("z",),
    rhs=rhs,
    jacobian=jacobian,
    output=output,
    outputs=("bold",),
    projections=(),
    coupling="additive",
    drive_input="z",
    timescale=timescale,
    description="The slow haemodynamic filter between neural activity and fMRI.",
)
