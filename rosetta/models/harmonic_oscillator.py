r"""Undamped harmonic oscillator: rung a of the ladder, the phase-only node.

.. math::

    \dot x = -\omega y + u_x, \qquad \dot y = \omega x + u_y,

or, with :math:`z = x + i y` and :math:`F = u_x + i u_y`, :math:`\dot z = i\omega z + F(t)`.
In polar form :math:`\dot\theta = \omega`, :math:`\dot r = 0`: a centre, every orbit a
neutral circle, no attractor and no bifurcation. A constant input :math:`F` moves the
centre to :math:`-F/(i\omega) = iF/\omega`.

Reference: Castaldo, de Palma Aristides, Clusella, Garcia-Ojalvo and Ruffini,
"Rosetta Stone of Neural Mass Models", Physics Reports 1189 (2026), section on the
phase-only oscillator [castaldo2026rosetta].

Time is in seconds; the node sends its state (x, y), which arrives on the neighbour's
(u_x, u_y) channels, so a network is the linear system z' = i omega z + G C z.
"""
import math

import numpy as np
from numba import njit

from ..model import Ladder, Model, Parameter


@njit(cache=True)
def rhs(x, p, u, dx):
    dx[0] = -p.omega * x[1] + u[0]
    dx[1] = p.omega * x[0] + u[1]


@njit(cache=True)
def jacobian(x, p, u, jac):
    jac[0, 0] = 0.0
    jac[0, 1] = -p.omega
    jac[1, 0] = p.omega
    jac[1, 1] = 0.0


@njit(cache=True)
def output(x, p, o):
    o[0] = x[0]
    o[1] = x[1]


def timescale(p):
    return 1.0 / p.omega if p.omega > 0 else math.inf


model = Model(
    name="harmonic_oscillator",
    title="Undamped harmonic oscillator (phase-only node)",
    equations=r"\dot z = i\omega z + F(t),\quad z = x + i y",
    citation="castaldo2026rosetta",
    time_unit="s",
    state=("x", "y"),
    state_range=((-2.0, 2.0), (-2.0, 2.0)),
    parameters=(
        Parameter("omega", 2 * np.pi * 10, "rad/s", 0.0, 2 * np.pi * 40,
                  "angular frequency (10 Hz alpha by default)", r"\omega", (0.0, None)),
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
    ladder=Ladder(rung="a", label="harmonic", chapter="intro", grounding=0.0,
                  variables="phase + amplitude",
                  coupling="instantaneous"),
    description="The push-pull pair without loss: x drives y, y pulls x back.",
)
