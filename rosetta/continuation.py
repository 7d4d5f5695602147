r"""Numerical continuation: equilibrium branches, folds, Hopf points, two-parameter curves.

The method is pseudo-arclength continuation of a curve :math:`H(y) = 0`,
:math:`y \in \mathbb{R}^{m+1}`, :math:`H: \mathbb{R}^{m+1}\to\mathbb{R}^m`: from a point and
its unit tangent, predict a step along the tangent, then correct with Newton on
:math:`H = 0` restricted to the hyperplane orthogonal to the tangent through the prediction.
Steps grow when Newton converges fast and shrink when it struggles (Keller's method; see
Kuznetsov, *Elements of Applied Bifurcation Theory*, ch. 10).

* **Equilibria** in one parameter: :math:`H(x, p) = f(x; p)`. Stability from the
  eigenvalues of the declared Jacobian. A **fold** (LP, labelled SN) is where the
  tangent's parameter component changes sign; a **Hopf point** is where a complex pair of
  eigenvalues crosses the imaginary axis. Both are located by bisection in arclength.
* **First Lyapunov coefficient** :math:`l_1` at a Hopf point, from Kuznetsov's invariant
  formula with the second and third derivatives of :math:`f` taken as differences of the
  Jacobian: :math:`l_1 < 0` supercritical (HB+), :math:`l_1 > 0` subcritical (HB-).
* **Two-parameter curves**: folds (with the bordered test function of Govaerts) and Hopf
  points (the real part of the critical pair), continued in two parameters; cusps (CP)
  where the fold's quadratic coefficient vanishes, Bogdanov-Takens points (BT) where a
  second eigenvalue reaches zero.
* Newton is the package's one damped Newton (:func:`rosetta.fixedpoints.solve`), here on
  the bordered system; state Jacobians are the model's compiled ones.

:func:`rosetta.bifurcation.bifurcation_diagram` puts it together, and starts the
limit-cycle branches of :mod:`rosetta.cycles` from every Hopf point.
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .diagram import Branch, SpecialPoint, observable_weights
from .fixedpoints import System, fd_jacobian, fixed_points, newton, solve
from .model import ParameterError, is_real, real_array, shown
from .models import resolve as _get_model

__all__ = ["continue_equilibria", "lyapunov_coefficient", "continue_fold", "continue_hopf",
           "Curve2D", "check_range", "check_step", "check_count"]


#: a branch of equilibria stops where its state leaves the model's declared state ranges
#: by this factor of their scale: the equilibrium runs off to infinity (Jansen-Rit's as its
#: rate constant b -> 0, where y2 grows like 1/b), and the points beyond are numerical noise
STATE_LIMIT = 1e6


def within_state_limit(model, x) -> bool:
    """Whether the state ``x`` lies within STATE_LIMIT times the declared state ranges."""
    x = np.asarray(x, dtype=float)
    lo = np.array([a for a, _ in model.state_range], dtype=float)
    hi = np.array([b for _, b in model.state_range], dtype=float)
    scale = np.maximum(np.maximum(hi - lo, np.abs(lo)), np.abs(hi))
    return bool(np.all(np.abs(x - 0.5 * (lo + hi)) <= STATE_LIMIT * scale))


# --------------------------------------------------------------------- argument checks
def check_range(p_range, model=None, parameter: str | None = None,
                name: str = "p_range") -> tuple:
    """``(lo, hi)``: exactly two finite numbers with lo < hi, clipped to the declared domain
    of ``parameter`` (continuation never leaves it). Anything else raises
    :class:`ParameterError` naming ``name``."""
    example = f"{name}=(-1.0, 1.0)"
    if isinstance(p_range, (str, bytes)) or not hasattr(p_range, "__len__"):
        raise ParameterError(f"{name} must be two numbers (low, high), e.g. {example}, got "
                             f"{shown(p_range)} ({type(p_range).__name__})")
    a = real_array(p_range, f"{name} (two numbers (low, high), e.g. {example})")
    if a.shape != (2,):
        raise ParameterError(f"{name} must be exactly two numbers (low, high), e.g. {example}, "
                             f"got {a.size} value(s): {shown(p_range)}")
    lo, hi = float(a[0]), float(a[1])
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ParameterError(f"{name} must be finite, got ({lo!r}, {hi!r})")
    if not lo < hi:
        raise ParameterError(f"{name} must be increasing (low < high), got ({lo:g}, {hi:g})")
    if model is not None and parameter is not None:
        par = model.parameter(parameter)
        dlo, dhi = par.domain
        lo_c = lo if dlo is None else max(lo, float(dlo))
        hi_c = hi if dhi is None else min(hi, float(dhi))
        if not lo_c < hi_c:
            raise ParameterError(
                f"{model.name}: {name} ({lo:g}, {hi:g}) lies outside the domain of "
                f"'{parameter}' [{'-inf' if dlo is None else f'{dlo:g}'}, "
                f"{'inf' if dhi is None else f'{dhi:g}'}] ({par.meaning}); choose a range "
                f"inside it")
        lo, hi = lo_c, hi_c
    return lo, hi


def check_step(value, name: str, default: float) -> float:
    """A continuation step (ds, ds_max): None gives ``default``; otherwise a finite number
    > 0, or :class:`ParameterError`."""
    if value is None:
        return float(default)
    if not (is_real(value) and math.isfinite(value) and value > 0):
        raise ParameterError(f"{name} must be a finite number > 0 (a step in arclength), or "
                             f"None for the default ({default:.3g}), got {shown(value)}")
    return float(value)


def check_count(value, name: str) -> int:
    """A positive integer (a bool or a float such as 2.5 is refused)."""
    if not (isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))
            and value >= 1):
        raise ParameterError(f"{name} must be a positive integer, got {shown(value)}")
    return int(value)


def _steps(ds, ds_max, width):
    """(ds, ds_max) checked, with defaults width/300 and width/60; a default ds larger than
    a given ds_max is lowered to it."""
    ds_max = check_step(ds_max, "ds_max", width / 60)
    if ds is None:
        return min(width / 300, ds_max), ds_max
    ds = check_step(ds, "ds", width / 300)
    if ds > ds_max:
        raise ParameterError(f"ds ({ds:g}) must not exceed ds_max ({ds_max:g})")
    return ds, ds_max


# --------------------------------------------------------------------- the engine
def _tangent(DH, t_prev=None):
    """Unit null vector of the m x (m+1) matrix DH, oriented along t_prev."""
    m = DH.shape[0]
    if t_prev is None:
        _, _, vt = np.linalg.svd(DH)
        t = vt[-1]
    else:
        A = np.vstack([DH, t_prev])
        rhs = np.zeros(m + 1)
        rhs[-1] = 1.0
        try:
            t = np.linalg.solve(A, rhs)
        except np.linalg.LinAlgError:
            _, _, vt = np.linalg.svd(DH)
            t = vt[-1]
    t = t / np.linalg.norm(t)
    if t_prev is not None and np.dot(t, t_prev) < 0:
        t = -t
    return t


def _correct(H, DH, y_pred, t, maxiter=12):
    """Newton (:func:`~rosetta.fixedpoints.solve`) on {H(y) = 0, t.(y - y_pred) = 0}: the
    point of the curve on the hyperplane through the prediction orthogonal to the tangent.
    Returns (y, iterations), y None if it does not converge."""
    return solve(lambda y: np.append(H(y), np.dot(t, y - y_pred)),
                 lambda y: np.vstack([DH(y), t]), y_pred, maxiter=maxiter)


@dataclass
class _Step:
    y: np.ndarray
    t: np.ndarray


def _march(H, DH, y0, t0, ds, ds_min, ds_max, max_points, inside, on_point=None):
    """Pseudo-arclength continuation from (y0, t0). ``inside(y)`` stops the march;
    ``on_point(prev, new)`` is called for each accepted step (event detection)."""
    steps = [_Step(y0, t0)]
    h = ds
    while len(steps) < max_points:
        cur = steps[-1]
        y, its = _correct(H, DH, cur.y + h * cur.t, cur.t)
        if y is None:
            h *= 0.5
            if abs(h) < ds_min:
                break
            continue
        D = DH(y)
        if not np.all(np.isfinite(D)):
            h *= 0.5
            if abs(h) < ds_min:
                break
            continue
        t = _tangent(D, cur.t)
        if np.dot(t, cur.t) < 0.97 and abs(h) > 4 * ds_min:
            h *= 0.5             # the curve turns sharply: a smaller step keeps to the branch
            continue
        new = _Step(y, t)
        if on_point is not None:
            on_point(cur, new, h)
        steps.append(new)
        if not inside(y):
            break
        if its <= 3:
            h = min(h * 1.4, ds_max)
    return steps


def _bisect(H, DH, a: _Step, h, g, ga, gb, iters=40):
    """Locate g = 0 between step a and the point reached with arclength h from it."""
    lo, hi = 0.0, h
    best = None
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        y, _ = _correct(H, DH, a.y + mid * a.t, a.t)
        if y is None:
            break
        D = DH(y)
        if not np.all(np.isfinite(D)):
            break
        t = _tangent(D, a.t)
        gm = g(y, t)
        best = (y, t)
        if np.sign(gm) == np.sign(ga):
            lo, ga = mid, gm
        else:
            hi = mid
        if abs(hi - lo) < 1e-12 * (1 + abs(h)):
            break
    return best


# --------------------------------------------------------------------- derivatives
def _dJ(system, x, v, h=None):
    """Directional derivative of the Jacobian along a real vector v: sum_k d J / dx_k v_k."""
    nv = np.linalg.norm(v)
    if nv == 0:
        return np.zeros((system.n, system.n))
    h = h or 1e-4 * max(1.0, np.linalg.norm(x)) / nv
    return (system.jac(x + h * v) - system.jac(x - h * v)) / (2 * h)


def _d2J(system, x, v, w):
    """Second directional derivative of the Jacobian along real v and w."""
    scale = max(np.linalg.norm(v), np.linalg.norm(w))
    if scale == 0:
        return np.zeros((system.n, system.n))
    h = 2e-3 * max(1.0, np.linalg.norm(x)) / scale
    return (system.jac(x + h * (v + w)) - system.jac(x + h * (v - w))
            - system.jac(x - h * (v - w)) + system.jac(x - h * (v + w))) / (4 * h * h)


def _B(system, x, u, v):
    """The bilinear form B(u, v) = D^2 f(x)[u, v] for complex u, v."""
    return _dJ(system, x, v.real) @ u + 1j * (_dJ(system, x, v.imag) @ u)


def lyapunov_coefficient(system: System, x, omega: float) -> float:
    """First Lyapunov coefficient l1 of the Hopf point at equilibrium ``x`` with angular
    frequency ``omega`` in rad per model time unit (Kuznetsov 2004, eq. 3.20): negative
    means supercritical."""
    A = system.jac(x)
    n = system.n
    ev, V = np.linalg.eig(A)
    q = V[:, np.argmin(np.abs(ev - 1j * omega))]
    q = q / np.linalg.norm(q)
    evl, W = np.linalg.eig(A.T)
    p = W[:, np.argmin(np.abs(evl + 1j * omega))]
    p = p / np.conj(np.vdot(p, q))                 # <p, q> = conj(p).q = 1
    a, b = q.real, q.imag
    Cqqq = (_d2J(system, x, a, a) + _d2J(system, x, b, b)) @ q      # C(q, q, conj q)
    Bqq = _B(system, x, q, q)
    Bqqb = _B(system, x, q, np.conj(q))
    s1 = np.linalg.solve(A, Bqqb)
    s2 = np.linalg.solve(2j * omega * np.eye(n) - A, Bqq)
    val = (np.vdot(p, Cqqq) - 2 * np.vdot(p, _B(system, x, q, s1))
           + np.vdot(p, _B(system, x, np.conj(q), s2)))
    return float(val.real / (2 * omega))


def _complex_pairs(ev, scale):
    return ev[np.abs(ev.imag) > 1e-7 * scale]


def _hopf_count(ev):
    scale = max(1.0, np.max(np.abs(ev)))
    c = _complex_pairs(ev, scale)
    return int(np.sum(c.real > 0))


def _hopf_g(ev):
    scale = max(1.0, np.max(np.abs(ev)))
    c = _complex_pairs(ev, scale)
    if c.size == 0:
        return np.nan
    return float(c[np.argmin(np.abs(c.real))].real)


# --------------------------------------------------------------------- equilibria
def continue_equilibria(model, parameter: str, p_range, params=None, x0=None, p0=None,
                        observable=None, u=None, ds=None, ds_max=None, max_points: int = 3000,
                        direction: int = 0):
    """Continue a branch of equilibria in ``parameter`` over ``p_range``.

    Starts from the equilibrium nearest ``x0`` at ``p0`` (default: the lower end of the
    range, equilibrium from a multistart search) and marches in both directions (or only
    ``direction`` = +1/-1). Returns (Branch, [SpecialPoint]) with the folds (SN) and Hopf
    points (HB+/HB-, with frequency in Hz, ``omega`` in rad per model time unit and the
    first Lyapunov coefficient) located on it."""
    model = _get_model(model)
    if not isinstance(parameter, str):
        raise ParameterError(f"parameter must be a parameter name (a string), one of "
                             f"{', '.join(model.parameter_names)}, got {shown(parameter)}")
    model.parameter(parameter)          # validates the name
    lo, hi = check_range(p_range, model, parameter)
    width = hi - lo
    ds, ds_max = _steps(ds, ds_max, width)
    max_points = check_count(max_points, "max_points")
    if direction not in (0, 1, -1) or isinstance(direction, bool):
        raise ParameterError(f"direction must be 0 (both ways), +1 or -1, got {shown(direction)}")
    system = System(model, params, u, parameter)
    c = observable_weights(model, observable)
    if p0 is None:
        p0 = lo
    elif not (is_real(p0) and lo <= p0 <= hi):
        raise ParameterError(f"p0 must be a number in p_range [{lo:g}, {hi:g}] (clipped to the "
                             f"domain of '{parameter}'), got {shown(p0)}")
    p0 = float(p0)
    if x0 is not None:
        x0 = model.state_vector(x0)
    if x0 is None:
        fps = [fp for fp in fixed_points(model, {**system.params, parameter: p0}, u, n_starts=32)
               if within_state_limit(model, fp.state)]
        if not fps:
            raise ParameterError(f"{model.name}: no equilibrium found at {parameter} = {p0}")
        x0 = fps[0].state
    x = newton(system, x0, p0)
    if x is None:
        raise ParameterError(f"{model.name}: Newton did not converge to an equilibrium at "
                             f"{parameter} = {p0} from x0 = {x0!r}")
    if not within_state_limit(model, x):
        raise ParameterError(f"{model.name}: the equilibrium at {parameter} = {p0:g} lies beyond "
                             f"the declared state ranges by more than {STATE_LIMIT:g} times "
                             f"(it runs off to infinity); start the branch elsewhere")
    n = model.n_state
    seconds = model.seconds_per_unit

    def H(y):
        return system.f(y[:n], y[n])

    def DH(y):
        return np.hstack([system.jac(y[:n], y[n]), system.fp(y[:n], y[n])[:, None]])

    def inside(y):
        # the march stops at the first point past an end of the range (the range is
        # already clipped to the parameter's domain), where the branch is then cut exactly
        # by _clip_to_range, or past STATE_LIMIT (that point is dropped)
        return lo <= y[n] <= hi and within_state_limit(model, y[:n])

    points = []

    def on_point(a, b, h):
        eva = np.linalg.eigvals(system.jac(a.y[:n], a.y[n]))
        evb = np.linalg.eigvals(system.jac(b.y[:n], b.y[n]))
        if np.sign(a.t[n]) != np.sign(b.t[n]) and a.t[n] != 0:
            loc = _bisect(H, DH, a, h, lambda y, t: t[n], a.t[n], b.t[n])
            if loc is not None:
                y = loc[0]
                points.append(SpecialPoint("SN", float(y[n]), y[:n].copy(), float(c @ y[:n])))
        if _hopf_count(eva) != _hopf_count(evb):
            ga, gb = _hopf_g(eva), _hopf_g(evb)
            if np.isfinite(ga) and np.isfinite(gb) and np.sign(ga) != np.sign(gb):
                loc = _bisect(H, DH, a, h,
                              lambda y, t: _hopf_g(np.linalg.eigvals(system.jac(y[:n], y[n]))),
                              ga, gb)
                if loc is not None:
                    y = loc[0]
                    ev = np.linalg.eigvals(system.jac(y[:n], y[n]))
                    scale = max(1.0, np.max(np.abs(ev)))
                    cp = _complex_pairs(ev, scale)
                    crit = cp[np.argmin(np.abs(cp.real))]
                    omega = float(abs(crit.imag))
                    if omega < 1e-3 * scale or abs(crit.real) > 1e-6 * scale:
                        return        # two real eigenvalues meeting off the axis: no Hopf
                    system.set(y[n])
                    l1 = lyapunov_coefficient(system, y[:n], omega)
                    points.append(SpecialPoint("HB+" if l1 < 0 else "HB-", float(y[n]),
                                               y[:n].copy(), float(c @ y[:n]),
                                               frequency=omega / (2 * np.pi * seconds),
                                               lyapunov=l1, omega=omega))

    y0 = np.append(x, p0)
    t0 = _tangent(DH(y0))
    if t0[n] < 0:
        t0 = -t0
    halves = []
    for sgn in ((+1, -1) if direction == 0 else (direction,)):
        steps = _march(H, DH, y0, sgn * t0, ds, ds * 1e-6, ds_max, max_points, inside, on_point)
        halves.append(steps if sgn > 0 else steps[::-1])
    if direction == 0:
        steps = halves[1][:-1] + halves[0]
    else:
        steps = halves[0]
    Y = np.array([s.y for s in steps if within_state_limit(model, s.y[:n])])
    Y = _clip_to_range(Y, n, lo, hi, lambda x, p: newton(system, x, p))
    # an event located between the last point inside and the first one outside may lie
    # outside the range: it is not a point of this diagram
    points = [p for p in points if lo <= p.param <= hi and within_state_limit(model, p.state)]
    eigs = [np.linalg.eigvals(system.jac(y[:n], y[n])) for y in Y]
    stable = np.array([np.all(e.real < 0) for e in eigs])
    obs = Y[:, :n] @ c
    branch = Branch("equilibrium", Y[:, n], Y[:, :n], obs, obs.copy(), stable, eigenvalues=eigs)
    system.set(None)
    return branch, sorted(points, key=lambda p: p.param)


def _clip_to_range(Y, n, lo, hi, solve):
    """Drop points outside [lo, hi] in the last coordinate; where the curve leaves the range,
    end it exactly on the boundary (solved with ``solve(x_guess, p)``)."""
    p = Y[:, n]
    inside = (p >= lo) & (p <= hi)
    out = []
    for k in range(len(Y)):
        if inside[k]:
            out.append(Y[k])
            continue
        for j in (k - 1, k + 1):           # a neighbour inside: cut the segment at the edge
            if 0 <= j < len(Y) and inside[j]:
                edge = lo if p[k] < lo else hi
                w = (edge - p[j]) / (p[k] - p[j])
                x = solve(Y[j, :n] + w * (Y[k, :n] - Y[j, :n]), edge)
                if x is not None:
                    out.append(np.append(x, edge))
    return np.array(out)


# --------------------------------------------------------------------- two parameters
@dataclass
class Curve2D:
    """A fold or Hopf curve in the plane of two parameters."""

    kind: str                 # "fold" or "hopf"
    parameters: tuple
    p1: np.ndarray
    p2: np.ndarray
    states: np.ndarray
    points: list              # SpecialPoint with param = (p1, p2)

    def plot(self, ax=None, **kw):
        from .plotting import figure
        if ax is None:
            _, ax = figure(width=5, height=4)
        ax.plot(self.p1, self.p2, **kw)
        for p in self.points:
            ax.plot(*p.param, "*" if p.label == "CP" else "P", color="k", ms=9)
            ax.annotate(p.label, p.param, textcoords="offset points", xytext=(5, 5))
        ax.set_xlabel(self.parameters[0])
        ax.set_ylabel(self.parameters[1])
        return ax


class _System2:
    def __init__(self, model, params, u, p1, p2):
        self.s = System(model, params, u, p1)
        self.p2 = p2
        model.parameter(p2)
        self.n = model.n_state

    def set(self, a, b):
        self.s.P[self.s.parameter][0] = a
        self.s.P[self.p2][0] = b

    def f(self, y):
        self.set(y[-2], y[-1])
        return self.s.f(y[:self.n])

    def jac(self, y):
        self.set(y[-2], y[-1])
        return self.s.jac(y[:self.n])


def _two_param(kind, model, point, parameters, box, params, u, ds, max_points):
    model = _get_model(model)
    if (isinstance(parameters, (str, bytes)) or not isinstance(parameters, (tuple, list))
            or len(parameters) != 2 or not all(isinstance(q, str) for q in parameters)
            or parameters[0] == parameters[1]):
        raise ParameterError(f"parameters must be two different parameter names, e.g. "
                             f"('a', 'b'), got {shown(parameters)}")
    p1, p2 = parameters
    if params is not None and not isinstance(params, Mapping):
        model.records(params)              # raises: params must be a dict, naming it
    base = dict(params or {})
    if isinstance(box, (str, bytes)) or not isinstance(box, (tuple, list)) or len(box) != 2:
        raise ParameterError(f"box must be two ranges ((low1, high1), (low2, high2)), one per "
                             f"parameter, got {shown(box)}")
    (lo1, hi1) = check_range(box[0], model, p1, f"box[0] (the range of '{p1}')")
    (lo2, hi2) = check_range(box[1], model, p2, f"box[1] (the range of '{p2}')")
    max_points = check_count(max_points, "max_points")
    ds = check_step(ds, "ds", 0.01 * max(hi1 - lo1, hi2 - lo2))
    if not isinstance(point, SpecialPoint):
        raise ParameterError(f"the starting point must be a SpecialPoint (from "
                             f"continue_equilibria or bifurcation_diagram), got "
                             f"{type(point).__name__}")
    sys2 = _System2(model, base, u, p1, p2)
    n = model.n_state
    x0 = model.state_vector(point.state)
    a0 = float(point.param)
    b0 = float(base.get(p2, model.parameter(p2).default))
    if not (lo1 <= a0 <= hi1 and lo2 <= b0 <= hi2):
        raise ParameterError(f"the starting point ({p1} = {a0:g}, {p2} = {b0:g}) lies outside "
                             f"the box [{lo1:g}, {hi1:g}] x [{lo2:g}, {hi2:g}] (clipped to the "
                             f"parameters' domains)")
    sys2.set(a0, b0)
    J0 = sys2.s.jac(x0)
    # border vectors of the fold test function, fixed at the start
    U, S, Vt = np.linalg.svd(J0)
    bvec, cvec = U[:, -1], Vt[-1]

    def g_fold(y):
        J = sys2.jac(y)
        M = np.block([[J, bvec[:, None]], [cvec[None, :], np.zeros((1, 1))]])
        sol = np.linalg.solve(M, np.append(np.zeros(n), 1.0))
        return sol[-1]

    def g_hopf(y):
        return _hopf_g(np.linalg.eigvals(sys2.jac(y)))

    g = g_fold if kind == "fold" else g_hopf

    def H(y):
        return np.append(sys2.f(y), g(y))

    def DH(y):
        # the model's compiled state Jacobian, differences in the two parameters, and
        # differences of the test function g (a Python function of the whole of y)
        x = y[:n]
        top = np.hstack([sys2.jac(y), fd_jacobian(lambda q: sys2.f(np.append(x, q)), y[n:])])
        return np.vstack([top, fd_jacobian(lambda z: [g(z)], y)])

    def inside(y):
        return lo1 <= y[-2] <= hi1 and lo2 <= y[-1] <= hi2

    def eig_info(y):
        return np.linalg.eigvals(sys2.jac(y))

    points = []

    def bt_test(y):
        # on a fold curve one eigenvalue is zero; a BT point is where a second one is
        ev = eig_info(y)
        return float(ev[np.argsort(np.abs(ev))[1]].real)

    def cusp_test(y, ref):
        """The fold's quadratic coefficient p . D2f[q, q] (p . q = 1): its sign depends on
        the sign of the null vector q, so q is kept pointing the way of ``ref`` (the
        previous point's), else a flip of the eigensolver's sign looks like a cusp."""
        J = sys2.jac(y)
        ev, V = np.linalg.eig(J)
        k = np.argmin(np.abs(ev))
        q = V[:, k].real
        q = q / np.linalg.norm(q)
        if ref is not None and q @ ref < 0:
            q = -q
        evl, W = np.linalg.eig(J.T)
        pv = W[:, np.argmin(np.abs(evl))].real
        pv = pv / np.dot(pv, q)
        return float(pv @ (_dJ(sys2.s, y[:n], q) @ q)), q

    track = {"q": None}                     # the null vector's orientation along the march

    def on_point(a, b, h):
        if kind != "fold":
            return
        ga, qa = cusp_test(a.y, track["q"])
        gb, qb = cusp_test(b.y, qa)
        track["q"] = qb
        tests = [("CP", lambda y: cusp_test(y, qa)[0], ga, gb)]
        if n >= 2:
            tests.append(("BT", bt_test, bt_test(a.y), bt_test(b.y)))
        for label, test, ta, tb in tests:
            if np.sign(ta) != np.sign(tb):
                loc = _bisect(H, DH, a, h, lambda y, t: test(y), ta, tb, iters=30)
                if loc is not None:
                    y = loc[0]
                    points.append(SpecialPoint(label, (float(y[-2]), float(y[-1])),
                                               y[:n].copy(), float(y[0])))

    y0 = np.append(x0, [a0, b0])
    y0, _ = _correct(H, DH, y0, _tangent(DH(y0)))
    if y0 is None:
        raise ParameterError(f"{model.name}: could not start the {kind} curve from {point!r}")
    t0 = _tangent(DH(y0))
    q0 = cusp_test(y0, cvec)[1] if kind == "fold" else None
    track["q"] = q0
    fw = _march(H, DH, y0, t0, ds, ds * 1e-6, 3 * ds, max_points, inside, on_point)
    track["q"] = q0
    bw = _march(H, DH, y0, -t0, ds, ds * 1e-6, 3 * ds, max_points, inside, on_point)
    Y = np.array([s.y for s in bw[::-1][:-1] + fw])
    # each end of the curve is the first point past the box: dropped if it left the
    # parameters' domains, as is any point located there
    (d1, e1), (d2, e2) = model.parameter(p1).domain, model.parameter(p2).domain

    def in_domains(a, b):
        return ((d1 is None or a >= d1) and (e1 is None or a <= e1)
                and (d2 is None or b >= d2) and (e2 is None or b <= e2))

    Y = Y[[in_domains(y[-2], y[-1]) for y in Y]]
    points = [p for p in points if in_domains(*p.param)]
    # at a BT point the fold's quadratic coefficient is ill-defined: a "cusp" found there
    # is the BT point seen by the wrong test
    bts = [p for p in points if p.label == "BT"]
    width = max(hi1 - lo1, hi2 - lo2)
    points = [p for p in points if not (p.label == "CP" and any(
        np.hypot(p.param[0] - b.param[0], p.param[1] - b.param[1]) < 1e-3 * width for b in bts))]
    sys2.s.set(None)
    return Curve2D(kind, (p1, p2), Y[:, -2], Y[:, -1], Y[:, :n], points)


def continue_fold(model, fold: SpecialPoint, parameters, box, params=None, u=None, ds=None,
                  max_points: int = 2000) -> Curve2D:
    """Continue a fold (SN) point in two parameters; detects cusps (CP) and BT points.

    ``fold.param`` is the value of ``parameters[0]``; ``params`` holds the value of
    ``parameters[1]`` (or its default)."""
    return _two_param("fold", model, fold, parameters, box, params, u, ds, max_points)


def continue_hopf(model, hopf: SpecialPoint, parameters, box, params=None, u=None, ds=None,
                  max_points: int = 2000) -> Curve2D:
    """Continue a Hopf point in two parameters (until the frequency vanishes at a BT point
    or the curve leaves ``box``)."""
    return _two_param("hopf", model, hopf, parameters, box, params, u, ds, max_points)
