r"""Damped harmonic oscillator: rung b of the ladder, the linear node.

.. math::

    \dot z = (\alpha + i\omega)\, z + F(t), \qquad z = x + i y,\quad F = u_x + i u_y,

that is, in real form,

.. math::

    \dot x = \alpha x - \omega y + u_x, \qquad \dot y = \omega x + \alpha y + u_y .

The eigenvalues are :math:`\alpha \pm i\omega`. For :math:`\alpha < 0` the origin is a
globally attracting stable focus that rings at :math:`\omega` and forgets its past at
rate :math:`|\alpha|` (the damping rate is :math:`-\alpha`); for :math:`\alpha > 0` every
orbit spirals out without bound. The sign change at :math:`\alpha = 0` is the only
"bifurcation": the linear part of a Hopf bifurcation, with no saturation to stop the
growth (that is rung c, Stuart-Landau). A drive :math:`F_0 e^{i\Omega t}` gives the
steady response :math:`F_0 e^{i\Omega t} / (i\Omega - \alpha - i\omega)`, of amplitude
:math:`F_0/\sqrt{\alpha^2 + (\Omega-\omega)^2}`: a Lorentzian of half-width :math:`|\alpha|`.

Reference: Castaldo, de Palma Aristides, Clusella, Garcia-Ojalvo and Ruffini,
"Rosetta Stone of Neural Mass Models", Physics Reports 1189 (2026), section on the
damped harmonic oscillator and linear response [castaldo2026rosetta].

Time is in seconds; the node sends its state (x, y), which arrives on the neighbour's
(u_x, u_y) channels with diffusive coupling by default, so a network is the linear system
z' = diag(alpha + i omega) z + G (C_hat - diag(rowsum)) z + F, analysed in
:mod:`rosetta.linear`.
"""
import math

import numpy as np
from numba import njit

from ..model import Ladder, Model, Parameter


@njit(cache=True)
def rhs(x, p, u, dx):
    dx[0] = p.alpha * x[0] - p.omega * x[1] + u[0]
    dx[1] = p.omega * x[0] + p.alpha * x[1] + u[1]


@njit(cache=True)
def jacobian(x, p, u, jac):
    jac[0, 0] = p.alpha
    jac[0, 1] = -p.omega
    jac[1, 0] = p.omega
    jac[1, 1] = p.alpha


@njit(cache=True)
def output(x, p, o):
    o[0] = x[0]
    o[1] = x[1]


def timescale(p):
    rate = max(abs(p.omega), abs(p.alpha))
    return 1.0 / rate if rate > 0 else math.inf


model = Model(
    name="damped_oscillator",
    title="Damped harmonic oscillator (linear node)",
    equations=r"\dot z = (\alpha + i\omega) z + F(t),\quad z = x + i y",
    citation="castaldo2026rosetta",
    time_unit="s",
    state=("x", "y"),
    state_range=((-2.0, 2.0), (-2.0, 2.0)),
    parameters=(
        Parameter("alpha", -5.0, "1/s", -50.0, 10.0,
                  "growth rate (< 0: damped, the damping rate is -alpha; linear Hopf at 0)",
                  r"\alpha"),
        Parameter("omega", 2 * np.pi * 10, "rad/s", 0.0, 2 * np.pi * 40,
                  "angular frequency of the ringing (10 Hz alpha by default)", r"\omega",
                  (0.0, None)),
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
    ladder=Ladder(rung="b", label="damped", chapter="damped_oscillator", grounding=0.15,
                  variables="phase + amplitude", coupling="instantaneous", column="damped",
                  portrait=dict(params={"alpha": -5.0}, x0=[[1.0, 0.0]], duration=0.5,
                                dt=1e-4, axes=("x", "y")),
                  diagram=dict(parameter="alpha", p_range=(-20.0, 5.0), observable="x",
                               cycles=False)),
    description="The push-pull pair with loss: a resonator that rings at omega and decays at -alpha.",
)
