r"""Phase oscillator (Kuramoto-Sakaguchi node): the phase-only reduction of rung a.

.. math::

    \dot\theta = \omega + \operatorname{Im}\left[F(t)\, e^{-i(\theta + \alpha)}\right]
               = \omega + u_y\cos(\theta+\alpha) - u_x\sin(\theta+\alpha),

where :math:`F = u_x + i u_y` is the complex field acting on the node. This is the phase
equation of the harmonic oscillator :math:`\dot z = i\omega z + F` on the unit circle, with
an extra phase lag :math:`\alpha` (Sakaguchi). Each node sends
:math:`(\cos\theta, \sin\theta)`; with additive coupling
:math:`F_i = G\sum_j C_{ij} e^{i\theta_j(t-\tau_{ij})}` this gives the Kuramoto-Sakaguchi
network :math:`\dot\theta_i = \omega_i + G\sum_j C_{ij}\sin(\theta_j(t-\tau_{ij}) - \theta_i - \alpha)`
[kuramoto1984chemical, sakaguchi1986soluble]. A rotating drive
:math:`F = \varepsilon e^{i\Omega t}` gives the Adler equation for
:math:`\psi = \theta - \Omega t`: :math:`\dot\psi = \omega - \Omega - \varepsilon\sin(\psi + \alpha)`
[adler1946study].

This is the Kuramoto form of the input. The paper's phase model instead adds a drive to the
phase velocity, :math:`\dot\theta = \omega + I(t)`, where a drive that ignores the phase cannot lock
it. For a constant the two differ: a constant :math:`u_x = c` gives :math:`\dot\theta = \omega - c\sin\theta`,
which stops at a saddle-node on the invariant circle (SNIC) at :math:`c = \omega`, whereas a constant
:math:`I` only changes the rotation rate. Unlike the harmonic oscillator's neutral centre, the phase
model stands for an attracting limit cycle (its amplitude eliminated), so it can lock.

Time is in seconds; theta is kept unwrapped (radians), so its slope is the frequency.
"""
import math

import numpy as np
from numba import njit

from ..model import Ladder, Model, Parameter


@njit(cache=True)
def rhs(x, p, u, dx):
    phi = x[0] + p.alpha
    dx[0] = p.omega + u[1] * math.cos(phi) - u[0] * math.sin(phi)


@njit(cache=True)
def jacobian(x, p, u, jac):
    phi = x[0] + p.alpha
    jac[0, 0] = -u[1] * math.sin(phi) - u[0] * math.cos(phi)


@njit(cache=True)
def output(x, p, o):
    o[0] = math.cos(x[0])
    o[1] = math.sin(x[0])


def timescale(p):
    return 1.0 / abs(p.omega) if abs(p.omega) > 1e-12 else math.inf    # no overflow near 0


model = Model(
    name="phase_oscillator",
    title="Phase oscillator (Kuramoto-Sakaguchi node)",
    equations=r"\dot\theta = \omega + \mathrm{Im}\,[F(t)\,e^{-i(\theta+\alpha)}]",
    citation="kuramoto1984chemical",
    time_unit="s",
    state=("theta",),
    state_range=((-np.pi, np.pi),),
    parameters=(
        Parameter("omega", 2 * np.pi * 10, "rad/s", -2 * np.pi * 40, 2 * np.pi * 40,
                  "natural angular frequency", r"\omega"),
        Parameter("alpha", 0.0, "rad", -np.pi, np.pi,
                  "Sakaguchi phase lag of the input", r"\alpha", (-np.pi, np.pi)),
    ),
    inputs=("ux", "uy"),
    rhs=rhs,
    jacobian=jacobian,
    output=output,
    outputs=("cos_theta", "sin_theta"),
    projections=(("cos_theta", "ux"), ("sin_theta", "uy")),
    coupling="additive",
    drive_input="ux",
    timescale=timescale,
    ladder=Ladder(rung="a", label="Kuramoto", chapter="phase_oscillator", grounding=0.05,
                  variables="phase",
                  coupling="delayed", column="phase-only",
                  portrait=dict(params={}, x0=[[0.0]], duration=0.1, dt=1e-4,
                                axes=("cos_theta", "sin_theta"))),
    description="Only the phase of the push-pull cycle survives.",
)
