"""Equilibria of a model: multistart Newton, eigenvalues and a classification.

Everything works on the model declaration: the right-hand side is the model's own numba
``rhs`` and the Jacobian is the declared one (or central differences where a model
declares none). No equation is typed a second time.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import Model, ParameterError
from .models import resolve as _get_model

__all__ = ["FixedPoint", "System", "newton", "fixed_points", "classify"]


class System:
    """A model at fixed parameters and input, with one parameter left free.

    ``f(x, p)`` and ``jac(x, p)`` evaluate the right-hand side and its state Jacobian
    with the free parameter set to ``p``; ``fp(x, p)`` is the derivative in ``p``."""

    def __init__(self, model: Model, params=None, u=None, parameter: str | None = None):
        self.model = model
        self.params = dict(params or {})
        self.P = model.records(self.params, 1)
        self.u = model.input_vector(u)
        self.parameter = parameter
        if parameter is not None:
            model.parameter(parameter)
        self.n = model.n_state
        self._dx = np.zeros(self.n)

    def set(self, p):
        if self.parameter is not None and p is not None:
            self.P[self.parameter][0] = p

    def f(self, x, p=None):
        self.set(p)
        dx = np.zeros(self.n)
        self.model.rhs(np.ascontiguousarray(x, dtype=float), self.P[0], self.u, dx)
        return dx

    def jac(self, x, p=None):
        self.set(p)
        x = np.ascontiguousarray(x, dtype=float)
        if self.model.jacobian is not None:
            J = np.zeros((self.n, self.n))
            self.model.jacobian(x, self.P[0], self.u, J)
            return J
        J = np.empty((self.n, self.n))
        for k in range(self.n):
            h = 1e-6 * max(1.0, abs(x[k]))
            xp, xm = x.copy(), x.copy()
            xp[k] += h
            xm[k] -= h
            J[:, k] = (self.f(xp) - self.f(xm)) / (2 * h)
        return J

    def fp(self, x, p):
        h = 1e-6 * max(1.0, abs(p))
        d = (self.f(x, p + h) - self.f(x, p - h)) / (2 * h)
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


def newton(system: System, x0, p=None, tol: float = 1e-10, maxiter: int = 50):
    """Damped Newton on f(x) = 0; returns the root or None if it does not converge."""
    x = np.array(x0, dtype=float)
    fx = system.f(x, p)
    nf = np.linalg.norm(fx)
    for _ in range(maxiter):
        if not np.all(np.isfinite(fx)):
            return None
        if nf < tol * max(1.0, np.linalg.norm(x)):
            return x
        try:
            step = np.linalg.solve(system.jac(x, p), -fx)
        except np.linalg.LinAlgError:
            return None
        lam = 1.0
        while lam > 1e-4:
            xn = x + lam * step
            fn = system.f(xn, p)
            nn = np.linalg.norm(fn)
            if np.isfinite(nn) and nn < (1 - 1e-4 * lam) * nf:
                break
            lam *= 0.5
        else:
            return None
        x, fx, nf = xn, fn, nn
    return x if nf < 1e3 * tol * max(1.0, np.linalg.norm(x)) else None


def fixed_points(model, params=None, u=None, n_starts: int = 64, seed: int = 0,
                 tol: float = 1e-10) -> list:
    """All equilibria found by Newton from ``n_starts`` points drawn in the state ranges
    (plus the centre of the ranges), deduplicated, with eigenvalues and classification."""
    model = _get_model(model)
    if n_starts < 1:
        raise ParameterError(f"n_starts must be >= 1, got {n_starts}")
    system = System(model, params, u)
    rng = np.random.default_rng(seed)
    lo = np.array([a for a, _ in model.state_range])
    hi = np.array([b for _, b in model.state_range])
    starts = np.vstack([(lo + hi) / 2, rng.uniform(lo, hi, (n_starts - 1, model.n_state))])
    found = []
    for x0 in starts:
        x = newton(system, x0, tol=tol)
        if x is None:
            continue
        width = np.maximum(hi - lo, 1e-12)
        if any(np.max(np.abs(x - y.state) / width) < 1e-6 for y in found):
            continue
        ev = np.linalg.eigvals(system.jac(x))
        kind, stable = classify(ev)
        found.append(FixedPoint(x, ev, kind, stable))
    return sorted(found, key=lambda fp: tuple(fp.state))
