"""Equilibria of a model: multistart Newton, eigenvalues and a classification.

Everything works on the model declaration: the right-hand side is the model's own numba
``rhs`` and the Jacobian is the one its compiled kernels use (:mod:`rosetta.kernels`: the
declared one, or compiled central differences where a model declares none). No equation
is typed a second time.

This module also holds the two numerical tools that all the analysis modules share:

* :func:`solve`, the one damped Newton solver of the package: equilibria here, the
  corrector of pseudo-arclength continuation (:mod:`rosetta.continuation`), the Hopf end
  of a cycle family (:mod:`rosetta.cycles`);
* :func:`fd_jacobian`, central differences of a Python function of a vector, for the
  derivatives that are *not* a state Jacobian of the model: in a parameter (df/dp) and of
  the extended systems of two-parameter curves. State Jacobians always come from the
  compiled kernels.
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from . import kernels
from .model import Model, ParameterError, is_real, shown
from .models import resolve as _get_model

__all__ = ["FixedPoint", "System", "solve", "newton", "fd_jacobian", "fixed_points", "classify",
           "NEWTON_TOL"]

#: the convergence test of :func:`solve`: a Newton step below NEWTON_TOL (1 + |y|)
NEWTON_TOL = 1e-9
#: relative step of :func:`fd_jacobian` (central differences: error O(h^2))
FD_STEP = 1e-6
#: the most Newton starts :func:`fixed_points` takes (each is a Python-level Newton solve)
MAX_STARTS = 10**5


def fd_jacobian(F, y, h: float = FD_STEP) -> np.ndarray:
    """Central differences of a Python function ``F: R^k -> R^m`` at ``y``: an (m, k)
    matrix, column j from the step h_j = h max(1, |y_j|)."""
    y = np.asarray(y, dtype=float)
    cols = []
    for j in range(y.size):
        hj = h * max(1.0, abs(y[j]))
        yp, ym = y.copy(), y.copy()
        yp[j] += hj
        ym[j] -= hj
        cols.append((np.asarray(F(yp), dtype=float) - np.asarray(F(ym), dtype=float)) / (2 * hj))
    return np.column_stack(cols)


def solve(F, DF, y0, tol: float = NEWTON_TOL, maxiter: int = 50):
    """Damped Newton on ``F(y) = 0`` (F: R^m -> R^m, DF its Jacobian): the one Newton
    solver of the package.

    Each iteration solves DF(y) dy = -F(y). A step already below the tolerance,
    |dy| <= tol (1 + |y|), is taken in full and ends the iteration (converged); otherwise
    the step is damped, y + lam dy with lam = 1, 1/2, 1/4, ... >= 1e-4, until |F| drops by
    at least the fraction 1e-4 lam (Armijo). Returns ``(y, iterations)``, with y None when
    F or DF stop being finite, DF is singular, no damped step lowers |F|, or ``maxiter``
    iterations do not converge."""
    y = np.array(y0, dtype=float)
    fy = np.asarray(F(y), dtype=float)
    nf = np.linalg.norm(fy)
    for k in range(1, maxiter + 1):
        if not np.isfinite(nf):
            return None, k
        if nf == 0.0:
            return y, k - 1
        A = np.asarray(DF(y), dtype=float)
        if not np.all(np.isfinite(A)):
            return None, k
        try:
            dy = np.linalg.solve(A, -fy)
        except np.linalg.LinAlgError:
            return None, k
        if not np.all(np.isfinite(dy)):
            return None, k
        if np.linalg.norm(dy) <= tol * (1.0 + np.linalg.norm(y)):
            y = y + dy
            return (y, k) if np.all(np.isfinite(F(y))) else (None, k)
        lam = 1.0
        while True:
            yn = y + lam * dy
            fn = np.asarray(F(yn), dtype=float)
            nn = np.linalg.norm(fn)
            if np.isfinite(nn) and nn < (1.0 - 1e-4 * lam) * nf:
                break
            lam *= 0.5
            if lam < 1e-4:
                return None, k
        y, fy, nf = yn, fn, nn
    return None, maxiter


class System:
    """A model at fixed parameters and input, with one parameter left free.

    ``params`` is the dict of overrides, ``P`` the one parameter record built from it (the
    free parameter is written into it by :meth:`set`), ``u`` the input vector.
    ``f(x, p)`` and ``jac(x, p)`` evaluate the right-hand side and its state Jacobian (the
    model's compiled kernels) with the free parameter set to ``p``; ``fp(x, p)`` is the
    derivative in ``p``."""

    def __init__(self, model: Model, params=None, u=None, parameter: str | None = None):
        self.model = model
        if params is not None and not isinstance(params, Mapping):
            model.records(params)          # raises: params must be a dict, naming it
        self.params = dict(params or {})
        self.P = model.records(self.params, 1)
        self.u = model.input_vector(u)
        self.parameter = parameter
        if parameter is not None:
            model.parameter(parameter)
        self.n = model.n_state
        self._kernels = kernels.for_model(model)

    def set(self, p):
        if self.parameter is not None and p is not None:
            self.P[self.parameter][0] = p

    def f(self, x, p=None):
        self.set(p)
        return self._kernels.evaluate_rhs(np.ascontiguousarray(x, dtype=float), self.P[0], self.u)

    def jac(self, x, p=None):
        self.set(p)
        return self._kernels.evaluate_jacobian(np.ascontiguousarray(x, dtype=float), self.P[0],
                                               self.u)

    def fp(self, x, p):
        """df/dp by central differences, one-sided (second order) where the central step
        would cross an edge of the parameter's domain: f is never evaluated outside it."""
        h = FD_STEP * max(1.0, abs(p))
        lo, hi = self.model.parameter(self.parameter).domain
        if lo is not None and p - h < lo:
            d = (-3 * self.f(x, p) + 4 * self.f(x, p + h) - self.f(x, p + 2 * h)) / (2 * h)
        elif hi is not None and p + h > hi:
            d = (3 * self.f(x, p) - 4 * self.f(x, p - h) + self.f(x, p - 2 * h)) / (2 * h)
        else:
            d = fd_jacobian(lambda q: self.f(x, q[0]), [p])[:, 0]
        self.set(p)
        return d


@dataclass
class FixedPoint:
    """An equilibrium with its eigenvalues and type."""

    state: np.ndarray
    eigenvalues: np.ndarray
    kind: str
    stable: bool

    def __repr__(self):
        return f"<FixedPoint {self.kind} at {np.array2string(self.state, precision=4)}>"


def classify(eigenvalues, tol: float = 1e-9) -> tuple[str, bool]:
    """Name an equilibrium from its eigenvalues: (kind, stable).

    Kinds: 'stable node', 'unstable node', 'saddle', 'stable focus', 'unstable focus',
    'centre', 'non-hyperbolic'. In more than two dimensions, 'focus' means the leading
    (largest real part) eigenvalues are complex."""
    ev = np.asarray(eigenvalues)
    re = ev.real
    scale = max(1.0, np.max(np.abs(ev)))
    if np.any(np.abs(re) <= tol * scale):
        if np.all(np.abs(re) <= tol * scale) and np.all(np.abs(ev.imag) > tol * scale):
            return "centre", False
        return "non-hyperbolic", False
    npos = int(np.sum(re > 0))
    if 0 < npos < len(ev):
        return "saddle", False
    stable = npos == 0
    lead = ev[np.argmax(re)]
    shape = "focus" if abs(lead.imag) > tol * scale else "node"
    return f"{'stable' if stable else 'unstable'} {shape}", stable


def newton(system: System, x0, p=None, tol: float = NEWTON_TOL, maxiter: int = 50):
    """The equilibrium of ``system`` (free parameter at ``p``) that :func:`solve` reaches
    from ``x0``, or None."""
    x, _ = solve(lambda x: system.f(x, p), lambda x: system.jac(x, p), x0, tol, maxiter)
    return x


def fixed_points(model, params=None, u=None, n_starts: int = 64, seed: int = 0,
                 tol: float = NEWTON_TOL) -> list:
    """All equilibria found by Newton from ``n_starts`` points drawn in the state ranges
    (plus the centre of the ranges), deduplicated, with eigenvalues and classification.
    Roots outside the model's declared ``state_domain`` (a negative rate) are not
    equilibria of the system it describes and are dropped."""
    from .integrate import check_seed
    model = _get_model(model)
    if not (isinstance(n_starts, numbers.Integral) and not isinstance(n_starts, (bool, np.bool_))
            and 1 <= n_starts <= MAX_STARTS):
        raise ParameterError(f"n_starts must be an integer in [1, {MAX_STARTS}] (Newton starts), "
                             f"got {shown(n_starts)}")
    if check_seed(seed) is None:
        raise ParameterError("seed must be an integer >= 0 (it draws the Newton starts), "
                             "got None")
    if not (is_real(tol) and math.isfinite(tol) and tol > 0):
        raise ParameterError(f"tol must be a finite number > 0, got {shown(tol)}")
    system = System(model, params, u)
    rng = np.random.default_rng(seed)
    lo = np.array([a for a, _ in model.state_range])
    hi = np.array([b for _, b in model.state_range])
    starts = np.vstack([(lo + hi) / 2, rng.uniform(lo, hi, (n_starts - 1, model.n_state))])
    found = []
    for x0 in starts:
        x = newton(system, x0, tol=tol)
        if x is None or not model.physical(x):
            continue
        width = np.maximum(hi - lo, 1e-12)
        if any(np.max(np.abs(x - y.state) / width) < 1e-6 for y in found):
            continue
        ev = np.linalg.eigvals(system.jac(x))
        kind, stable = classify(ev)
        found.append(FixedPoint(x, ev, kind, stable))
    return sorted(found, key=lambda fp: tuple(fp.state))
