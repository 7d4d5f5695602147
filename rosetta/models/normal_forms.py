r"""Normal forms of the codimension-one and -two bifurcations, for the Tools chapter and tests.

* ``fold_normal_form``: :math:`\dot x = a - x^2` (saddle-node at :math:`a = 0`);
* ``cusp_normal_form``: :math:`\dot x = a + b x - x^3` (fold curves :math:`27a^2 = 4b^3`
  meeting at a cusp at the origin);
* ``bautin_normal_form``: :math:`\dot z = (\alpha + i\omega) z + \ell |z|^2 z - |z|^4 z`
  (Hopf at :math:`\alpha = 0`, supercritical for :math:`\ell < 0`, subcritical with a fold
  of cycles at :math:`\alpha = -\ell^2/4` for :math:`\ell > 0`). The cubic coefficient is the
  parameter ``ell``, deliberately not ``l1``: Kuznetsov's first Lyapunov coefficient of this
  Hopf point is :math:`\ell_1 = 2\ell/\omega` (eigenvector normalised by
  :math:`\langle q, q\rangle = 1`, so :math:`z = \sqrt2\,w` and :math:`c_1 = 2\ell`);
* ``bogdanov_takens_normal_form``: :math:`\dot x = y,\ \dot y = \beta_1 + \beta_2 x + x^2 - x y`
  (fold curve :math:`\beta_1 = \beta_2^2/4` and Hopf curve :math:`\beta_1 = 0,\ \beta_2 < 0`
  meeting at a Bogdanov-Takens point at the origin).

Reference: Kuznetsov, *Elements of Applied Bifurcation Theory* (3rd ed., 2004), chapters 3
and 8 [kuznetsov2004elements]. Time is dimensionless (stated as seconds).
"""
import math

from numba import njit

from ..model import Model, Parameter


@njit(cache=True)
def _fold_rhs(x, p, u, dx):
    dx[0] = p.a - x[0] * x[0] + u[0]


@njit(cache=True)
def _fold_jac(x, p, u, jac):
    jac[0, 0] = -2.0 * x[0]


@njit(cache=True)
def _one(x, p, o):
    o[0] = x[0]


fold = Model(
    name="fold_normal_form", title="x' = a - x^2", equations=r"\dot x = a - x^2",
    citation="kuznetsov2004elements", time_unit="s", state=("x",), state_range=((-3.0, 3.0),),
    parameters=(Parameter("a", 1.0, "1", -2.0, 2.0, "unfolding parameter"),),
    inputs=("u",), rhs=_fold_rhs, jacobian=_fold_jac, output=_one, outputs=("x",),
    projections=(("x", "u"),), drive_input="u")


@njit(cache=True)
def _bautin_rhs(x, p, u, dx):
    r2 = x[0] * x[0] + x[1] * x[1]
    g = p.alpha + p.ell * r2 - r2 * r2
    dx[0] = g * x[0] - p.omega * x[1] + u[0]
    dx[1] = p.omega * x[0] + g * x[1] + u[1]


@njit(cache=True)
def _two(x, p, o):
    o[0] = x[0]
    o[1] = x[1]


bautin = Model(
    name="bautin_normal_form", title="z' = (alpha + i omega) z + ell |z|^2 z - |z|^4 z",
    equations=r"\dot z = (\alpha + i\omega) z + \ell |z|^2 z - |z|^4 z",
    citation="kuznetsov2004elements", time_unit="s", state=("x", "y"),
    state_range=((-2.0, 2.0), (-2.0, 2.0)),
    parameters=(Parameter("alpha", 0.1, "1/s", -1.0, 1.0, "distance to the Hopf point"),
                Parameter("ell", 1.0, "1", -2.0, 2.0,
                          "cubic coefficient (first Lyapunov coefficient l1 = 2 ell / omega)", r"\ell"),
                Parameter("omega", 2 * math.pi, "rad/s", 0.1, 20.0, "frequency")),
    inputs=("ux", "uy"), rhs=_bautin_rhs, output=_two, outputs=("x", "y"),
    projections=(("x", "ux"), ("y", "uy")), drive_input="ux")



@njit(cache=True)
def _cusp_rhs(x, p, u, dx):
    dx[0] = p.a + p.b * x[0] - x[0] ** 3 + u[0]


@njit(cache=True)
def _cusp_jac(x, p, u, jac):
    jac[0, 0] = p.b - 3.0 * x[0] ** 2


cusp = Model(
    name="cusp_normal_form", title="x' = a + b x - x^3", equations=r"\dot x = a + b x - x^3",
    citation="kuznetsov2004elements", time_unit="s", state=("x",), state_range=((-3.0, 3.0),),
    parameters=(Parameter("a", 0.0, "1", -2.0, 2.0, "asymmetry"),
                Parameter("b", 1.0, "1", -2.0, 2.0, "bistability")),
    inputs=("u",), rhs=_cusp_rhs, jacobian=_cusp_jac, output=_one, outputs=("x",),
    projections=(("x", "u"),), drive_input="u")



@njit(cache=True)
def _bt_rhs(x, p, u, dx):
    dx[0] = x[1] + u[0]
    dx[1] = p.beta1 + p.beta2 * x[0] + x[0] * x[0] - x[0] * x[1] + u[1]


@njit(cache=True)
def _bt_jac(x, p, u, jac):
    jac[0, 0] = 0.0
    jac[0, 1] = 1.0
    jac[1, 0] = p.beta2 + 2.0 * x[0] - x[1]
    jac[1, 1] = -x[0]


bogdanov_takens = Model(
    name="bogdanov_takens_normal_form", title="x' = y, y' = b1 + b2 x + x^2 - x y",
    equations=r"\dot x = y,\ \dot y = \beta_1 + \beta_2 x + x^2 - x y",
    citation="kuznetsov2004elements", time_unit="s", state=("x", "y"),
    state_range=((-2.0, 2.0), (-2.0, 2.0)),
    parameters=(Parameter("beta1", 0.0, "1", -1.0, 1.0, "first unfolding parameter"),
                Parameter("beta2", -1.0, "1", -2.0, 2.0, "second unfolding parameter")),
    inputs=("ux", "uy"), rhs=_bt_rhs, jacobian=_bt_jac, output=_two, outputs=("x", "y"),
    projections=(("x", "ux"), ("y", "uy")), drive_input="ux")

MODELS = (fold, cusp, bautin, bogdanov_takens)
