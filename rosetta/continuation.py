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

from dataclasses import dataclass

import numpy as np

from .diagram import Branch, SpecialPoint, observable_weights
from .fixedpoints import System, fd_jacobian, fixed_points, newton, solve
from .model import ParameterError
from .models import resolve as _get_model

__all__ = ["continue_equilibria", "lyapunov_coefficient", "continue_fold", "continue_hopf",
           "Curve2D"]


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
    model.parameter(parameter)          # validates the name
    lo, hi = float(p_range[0]), float(p_range[1])
    if not hi > lo:
        raise ParameterError(f"p_range must be increasing, got {p_range!r}")
    system = System(model, params, u, parameter)
    c = observable_weights(model, observable)
    p0 = lo if p0 is None else float(p0)
    if x0 is None:
        fps = fixed_points(model, {**system.params, parameter: p0}, u, n_starts=32)
        if not fps:
            raise ParameterError(f"{model.name}: no equilibrium found at {parameter} = {p0}")
        x0 = fps[0].state
    x = newton(system, x0, p0)
    if x is None:
        raise ParameterError(f"{model.name}: Newton did not converge to an equilibrium at "
                             f"{parameter} = {p0} from x0 = {x0!r}")
    n = model.n_state
    seconds = model.seconds_per_unit
    width = hi - lo
    ds = ds or width / 300
    ds_max = ds_max or width / 60

    def H(y):
        return system.f(y[:n], y[n])

    def DH(y):
        return np.hstack([system.jac(y[:n], y[n]), system.fp(y[:n], y[n])[:, None]])

    def inside(y):
        return lo - 1e-9 * width <= y[n] <= hi + 1e-9 * width

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
    Y = _clip_to_range(np.array([s.y for s in steps]), n, lo, hi,
                       lambda x, p: newton(system, x, p))
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
    p1, p2 = parameters
    base = dict(params or {})
    sys2 = _System2(model, base, u, p1, p2)
    n = model.n_state
    x0 = np.asarray(point.state, float)
    a0 = float(point.param)
    b0 = float(base.get(p2, model.parameter(p2).default))
    (lo1, hi1), (lo2, hi2) = box
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

    def cusp_test(y):
        J = sys2.jac(y)
        ev, V = np.linalg.eig(J)
        k = np.argmin(np.abs(ev))
        q = V[:, k].real
        evl, W = np.linalg.eig(J.T)
        pv = W[:, np.argmin(np.abs(evl))].real
        pv = pv / np.dot(pv, q)
        return float(pv @ (_dJ(sys2.s, y[:n], q) @ q))

    def on_point(a, b, h):
        if kind == "fold":
            tests = (("CP", cusp_test), ("BT", bt_test)) if n >= 2 else (("CP", cusp_test),)
            for label, test in tests:
                ga, gb = test(a.y), test(b.y)
                if np.sign(ga) != np.sign(gb):
                    loc = _bisect(H, DH, a, h, lambda y, t: test(y), ga, gb, iters=30)
                    if loc is not None:
                        y = loc[0]
                        points.append(SpecialPoint(label, (float(y[-2]), float(y[-1])),
                                                   y[:n].copy(), float(y[0])))

    y0 = np.append(x0, [a0, b0])
    y0, _ = _correct(H, DH, y0, _tangent(DH(y0)))
    if y0 is None:
        raise ParameterError(f"{model.name}: could not start the {kind} curve from {point!r}")
    t0 = _tangent(DH(y0))
    ds = ds or 0.01 * max(hi1 - lo1, hi2 - lo2)
    fw = _march(H, DH, y0, t0, ds, ds * 1e-6, 3 * ds, max_points, inside, on_point)
    bw = _march(H, DH, y0, -t0, ds, ds * 1e-6, 3 * ds, max_points, inside, on_point)
    Y = np.array([s.y for s in bw[::-1][:-1] + fw])
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
