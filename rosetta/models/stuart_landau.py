r"""Stuart-Landau oscillator (Hopf normal form): rung c of the ladder.

.. math::

    \dot z = (\alpha + i\omega)\, z - (\gamma + i\beta)\,|z|^2 z + F(t),
    \qquad z = x + i y,\quad F = u_x + i u_y,

that is, in real form,

.. math::

    \dot x = \alpha x - \omega y - (\gamma x - \beta y)(x^2 + y^2) + u_x, \qquad
    \dot y = \omega x + \alpha y - (\beta x + \gamma y)(x^2 + y^2) + u_y .

In polar form (:math:`F = 0`) :math:`\dot r = \alpha r - \gamma r^3`,
:math:`\dot\theta = \omega - \beta r^2`: the damped oscillator of rung b plus the
cubic saturation. For :math:`\gamma > 0` a supercritical Hopf bifurcation at
:math:`\alpha = 0` turns the stable focus (eigenvalues :math:`\alpha \pm i\omega`) into
a stable limit cycle, a circle of radius :math:`\sqrt{\alpha/\gamma}` travelled at the
angular frequency :math:`\omega - \beta\alpha/\gamma` (the shear :math:`\beta` bends the
frequency with the amplitude but the orbit stays a circle) [kuznetsov2004elements].
A constant bias :math:`F` gives the "imperfect Hopf"; a periodic one, Arnold tongues.

Reference: Castaldo, de Palma Aristides, Clusella, Garcia-Ojalvo and Ruffini,
"Rosetta Stone of Neural Mass Models", Physics Reports 1189 (2026), section on the
Stuart-Landau oscillator [castaldo2026rosetta].

Time is in seconds; the node sends its state (x, y), which arrives on the neighbour's
(u_x, u_y) channels with diffusive coupling by default, giving the "Hopf whole-brain
model" z_i' = ... + G sum_j C_ij (z_j - z_i).
"""
import math

import numpy as np
from numba import njit

from ..model import Ladder, Model, Parameter


@njit(cache=True)
def rhs(x, p, u, dx):
    r2 = x[0] * x[0] + x[1] * x[1]
    dx[0] = p.alpha * x[0] - p.omega * x[1] - (p.gamma * x[0] - p.beta * x[1]) * r2 + u[0]
    dx[1] = p.omega * x[0] + p.alpha * x[1] - (p.beta * x[0] + p.gamma * x[1]) * r2 + u[1]


@njit(cache=True)
def jacobian(x, p, u, jac):
    r2 = x[0] * x[0] + x[1] * x[1]
    re = p.gamma * x[0] - p.beta * x[1]          # Re[(gamma + i beta) z]
    im = p.beta * x[0] + p.gamma * x[1]          # Im[(gamma + i beta) z]
    jac[0, 0] = p.alpha - p.gamma * r2 - 2.0 * x[0] * re
    jac[0, 1] = -p.omega + p.beta * r2 - 2.0 * x[1] * re
    jac[1, 0] = p.omega - p.beta * r2 - 2.0 * x[0] * im
    jac[1, 1] = p.alpha - p.gamma * r2 - 2.0 * x[1] * im


@njit(cache=True)
def output(x, p, o):
    o[0] = x[0]
    o[1] = x[1]


def timescale(p):
    rate = max(abs(p.omega), abs(p.alpha))
    return 1.0 / rate if rate > 0 else math.inf


model = Model(
    name="stuart_landau",
    title="Stuart-Landau oscillator (Hopf normal form)",
    equations=r"\dot z = (\alpha + i\omega) z - (\gamma + i\beta)|z|^2 z + F(t),\quad z = x + i y",
    citation="castaldo2026rosetta",
    time_unit="s",
    state=("x", "y"),
    state_range=((-2.0, 2.0), (-2.0, 2.0)),
    parameters=(
        Parameter("alpha", 1.0, "1/s", -10.0, 10.0,
                  "bifurcation parameter (growth rate; Hopf at 0)", r"\alpha"),
        Parameter("omega", 2 * np.pi * 10, "rad/s", 0.0, 2 * np.pi * 40,
                  "angular frequency at the Hopf point (10 Hz alpha by default)", r"\omega",
                  (0.0, None)),
        Parameter("gamma", 1.0, "1/s per unit amplitude^2", 0.1, 10.0,
                  "cubic saturation (> 0: supercritical Hopf)", r"\gamma", (1e-12, None)),
        Parameter("beta", 0.0, "rad/s per unit amplitude^2", -5.0, 5.0,
                  "shear: amplitude dependence of the frequency", r"\beta"),
    ),
    inputs=("ux", "uy"),
    rhs=rhs,
    jacobian=jacobian,
    output=output,
    outputs=("x", "y"),
    projections=(("x", "ux"), ("y", "uy")),
    coupling="diffusive",
    drive_input="ux",
    timescale=timescale,
    ladder=Ladder(rung="c", label="Stuart-Landau", chapter="stuart_landau", grounding=0.25,
                  variables="phase + amplitude", coupling="delayed", column="Stuart-Landau",
                  portrait=dict(params={"alpha": 20.0, "gamma": 20.0},
                                x0=[[0.05, 0.0], [1.8, 0.0]], duration=0.4, dt=1e-4,
                                axes=("x", "y")),
                  diagram=dict(parameter="alpha", p_range=(-10.0, 10.0), observable="x")),
    description="The damped push-pull pair with a cubic brake: a self-sustained cycle.",
)
