r"""The periodic boundary-value problem of a limit cycle, discretised by collocation.

A cycle of period :math:`T` is rescaled to :math:`t \in [0, 1]`: :math:`x' = T f(x, p)`,
:math:`x(0) = x(1)`, with the period carried as :math:`\tau = \log T`. This module holds
the discretisation and the Newton corrector that :mod:`rosetta.cycles` continues:

* :class:`Scheme`: ``ntst`` mesh intervals, on each a polynomial of degree ``ncol``
  through equally spaced nodes that satisfies the ODE at the ``ncol`` Gauss-Legendre
  points (superconvergent, error :math:`O(h^{2\,\mathrm{ncol}})` at the mesh points); the
  Lagrange bases, quadrature and the operations on node arrays.
* :class:`Orbit`: one discretised cycle (node values, :math:`\tau`, :math:`p`, mesh), with
  its unit tangent along the family and the condensed blocks of its last Newton system.
* :class:`PeriodicBVP`: the problem of one model at fixed parameters (but the continued
  one) and input. :meth:`PeriodicBVP.correct` is Newton on collocation + periodicity +
  AUTO's integral phase condition + pseudo-arclength (or a pinned parameter): per
  iteration the model's kernel ``_assemble`` (:mod:`rosetta.kernels.collocation`, compiled
  per model with ``rhs`` and the Jacobian inlined) fills the interval rows, and
  :func:`rosetta.condensation.condense_solve` eliminates them (linear in ``ntst``).
  :meth:`PeriodicBVP.floquet` gives the Floquet multipliers from the condensed blocks, and
  :meth:`PeriodicBVP.adapt` equidistributes the estimated error over the mesh.
* :func:`extrema`: the max and min of a linear observable over a discretised orbit.
"""
from __future__ import annotations

import math

import numpy as np

from . import kernels
from .condensation import condense_solve, monodromy

__all__ = ["Scheme", "Orbit", "PeriodicBVP", "lagrange", "lagrange_values", "predict",
           "extrema", "classify_multipliers"]


# =========================================================================== polynomials
def lagrange(s, nodes):
    """Values and derivatives of the Lagrange basis on ``nodes`` at points ``s``."""
    s = np.atleast_1d(np.asarray(s, dtype=float))
    K = len(nodes)
    L = np.ones((s.size, K))
    D = np.zeros((s.size, K))
    for k in range(K):
        for m in range(K):
            if m != k:
                L[:, k] *= (s - nodes[m]) / (nodes[k] - nodes[m])
        for l in range(K):
            if l == k:
                continue
            term = np.full(s.size, 1.0 / (nodes[k] - nodes[l]))
            for m in range(K):
                if m != k and m != l:
                    term *= (s - nodes[m]) / (nodes[k] - nodes[m])
            D[:, k] += term
    return L, D


def lagrange_values(s, nodes):
    """Values of the Lagrange basis on ``nodes`` at points ``s`` (vectorised)."""
    K = len(nodes)
    diff = np.asarray(s, dtype=float).reshape(-1)[:, None, None] - nodes[None, None, :]
    diff = np.broadcast_to(diff, (diff.shape[0], K, K)).copy()
    diff[:, np.arange(K), np.arange(K)] = 1.0
    den = nodes[:, None] - nodes[None, :]
    den[np.arange(K), np.arange(K)] = 1.0
    return np.prod(diff, axis=2) / np.prod(den, axis=1)


class Scheme:
    """Collocation constants for (ntst, ncol) and the operations on node arrays."""

    def __init__(self, ntst, ncol, n, wstate):
        self.ntst, self.ncol, self.n = ntst, ncol, n
        self.nodes = np.linspace(0.0, 1.0, ncol + 1)
        g, w = np.polynomial.legendre.leggauss(ncol)
        self.zeta = (g + 1) / 2
        self.wg = w / 2
        self.Lz, self.Dz = lagrange(self.zeta, self.nodes)
        self.wstate = wstate                       # 1 / scale^2 per state
        lead = np.array([1.0 / np.prod([self.nodes[k] - self.nodes[m]
                                        for m in range(ncol + 1) if m != k])
                         for k in range(ncol + 1)])
        self.dmax = math.factorial(ncol) * lead   # ncol-th derivative (in s) of the interpolant
        self.idx = np.arange(ntst)[:, None] * ncol + np.arange(ncol + 1)[None, :]
        # node values -> monomial coefficients (highest power first) of the interpolant
        self.vinv = np.linalg.inv(np.vander(self.nodes, ncol + 1))
        self.Lfine, _ = lagrange(np.linspace(0.0, 1.0, 9)[:-1], self.nodes)
        self.Lfine2, _ = lagrange(np.linspace(0.0, 1.0, 65), self.nodes)

    # node array (Nn, n) -> interval blocks (ntst, ncol+1, n)
    def blocks(self, U):
        return U[self.idx]

    def scatter(self, Rb):
        """Sum block coefficients (ntst, ncol+1, n) back onto the nodes (Nn, n)."""
        ntst, ncol, n = self.ntst, self.ncol, self.n
        out = np.zeros((ntst * ncol + 1, n))
        out[:-1].reshape(ntst, ncol, n)[...] += Rb[:, :ncol]
        out[ncol::ncol] += Rb[:, ncol]
        return out

    def quad_row(self, h, V):
        """Coefficients c on the nodes with  c . U = sum_j h_j sum_i wg_i <u(z_ji), V_ji>_w."""
        Rb = np.einsum("j,i,ik,jin->jkn", h, self.wg, self.Lz, V * self.wstate)
        return self.scatter(Rb)

    def at_coll(self, U):
        return np.einsum("ik,jkn->jin", self.Lz, self.blocks(U))

    def deriv_at_coll(self, U, h):
        return np.einsum("ik,jkn->jin", self.Dz, self.blocks(U)) / h[:, None, None]


# =========================================================================== the problem
class Orbit:
    """One discretised cycle: node values ``U`` (ntst*ncol + 1, n) on ``mesh``, ``tau`` =
    log T, the parameter ``p``; its unit tangent (``tU``, ``ttau``, ``tp``) along the family,
    the condensed blocks ``A``, ``B`` of its last Newton system and the iterations taken."""

    __slots__ = ("U", "tau", "p", "mesh", "tU", "ttau", "tp", "A", "B", "iters")

    def __init__(self, U, tau, p, mesh):
        self.U, self.tau, self.p, self.mesh = U, tau, p, mesh
        self.tU = None
        self.ttau = self.tp = 0.0
        self.A = self.B = None
        self.iters = 0


class PeriodicBVP:
    """The periodic problem of ``model`` with ``parameter`` free, the other parameters
    ``params`` (a dict of overrides) and the constant input vector ``uin``.

    ``P`` holds three parameter records (p, p + dp, p - dp): the kernel takes df/dp as
    their central difference. Norms are scaled: states by ``sch.wstate``, the parameter
    by ``pscale``. Newton stops when the scaled step is below ``tol``, and gives up (None)
    after ``maxit`` iterations or when the steps grow."""

    def __init__(self, model, parameter, params, uin, sch, pscale, tol=1e-9, maxit=10):
        self.model, self.parameter = model, parameter
        self.sch = sch
        self.uin = uin
        self.P = model.records(params, 3)
        self.pscale = pscale
        self.tol, self.maxit = tol, maxit
        self.sscale = 1.0 / np.sqrt(sch.wstate)
        self.n_newton = 0
        self.assemble = kernels.for_model(model)._assemble
        n = sch.n
        self.Mloc = np.zeros((sch.ntst, sch.ncol * n, (sch.ncol + 1) * n + 4))

    def _set_p(self, p):
        dp = 1e-6 * max(1.0, abs(p))
        self.P[self.parameter] = (p, p + dp, p - dp)
        return dp

    # --------------------------------------------------------------- norms
    def inner_u(self, a, b, h):
        return float(np.sum(self.sch.quad_row(h, self.sch.at_coll(b)) * a))

    def norm(self, tU, ttau, tp, h):
        return math.sqrt(max(self.inner_u(tU, tU, h), 0.0) + ttau ** 2 + (tp / self.pscale) ** 2)

    def amplitude(self, U, h):
        """Scaled L2 norm of x(t) - mean."""
        V = self.sch.at_coll(U)
        mean = np.einsum("j,i,jin->n", h, self.sch.wg, V)
        d = V - mean
        return math.sqrt(float(np.einsum("j,i,jin->", h, self.sch.wg, d * d * self.sch.wstate)))

    # --------------------------------------------------------------- Newton
    def correct(self, guess, ref, tan, ds, phase_ref=None, pin=None):
        """Newton on collocation + periodicity + phase + (arclength | p = pin).

        guess, ref: Orbit (same mesh); tan = (tU, ttau, tp) the tangent at ref;
        ds: arclength from ref. Returns a new Orbit with its tangent, or None."""
        sch = self.sch
        mesh = guess.mesh
        h = np.diff(mesh)
        U = guess.U.copy()
        tau, p = guess.tau, guess.p
        pr = ref.U if phase_ref is None else phase_ref
        phase_row = sch.quad_row(h, sch.deriv_at_coll(pr, h))
        nrm = np.max(np.abs(phase_row))
        phase_row /= nrm if nrm > 0 else 1.0
        brow = np.empty((2,) + U.shape)
        brow[0] = phase_row
        bz = np.zeros((2, 2))
        btan = np.array([0.0, 1.0])
        if pin is None:
            tU, ttau, tp = tan
            arc_row = sch.quad_row(h, sch.at_coll(tU))
            brow[1] = arc_row
            bz[1] = (ttau, tp / self.pscale ** 2)
        else:
            brow[1] = 0.0
            bz[1] = (0.0, 1.0 / self.pscale)
        bres = np.empty(2)
        prev = np.inf
        for it in range(self.maxit):
            dp = self._set_p(p)
            bres[0] = np.sum(phase_row * U)
            if pin is None:
                bres[1] = (np.sum(arc_row * (U - ref.U)) + ttau * (tau - ref.tau)
                           + tp * (p - ref.p) / self.pscale ** 2 - ds)
            else:
                bres[1] = (p - pin) / self.pscale
            self.assemble(U, float(tau), self.P, float(dp), self.uin, h, sch.Lz, sch.Dz, self.Mloc)
            D, Z, A, B, _ = condense_solve(self.Mloc, U, sch.ncol, brow, bz, bres, btan)
            self.n_newton += 1
            dU, dtau, dpp = D[:, :, 0], Z[0, 0], Z[1, 0]
            step = max(float(np.max(np.abs(dU) / self.sscale)), abs(dtau), abs(dpp) / self.pscale)
            if not math.isfinite(step) or (it >= 2 and step > 2.0 * prev) or abs(dtau) > 2.0:
                return None
            U += dU
            tau += dtau
            p += dpp
            prev = step
            if step < self.tol:
                sol = Orbit(U, tau, p, mesh)
                tv = D[:, :, 1]
                tt, tpp = Z[0, 1], Z[1, 1]
                nn = self.norm(tv, tt, tpp, h)
                sol.tU, sol.ttau, sol.tp = tv / nn, tt / nn, tpp / nn
                sol.A, sol.B = A, B
                sol.iters = it + 1
                self._set_p(p)
                return sol
        return None

    # --------------------------------------------------------------- Floquet
    def floquet(self, sol):
        """Floquet multipliers of the cycle ``sol``: eigenvalues of the product of the
        condensed interval transfers (sorted by modulus), stability, the index of the
        trivial multiplier and its distance from 1 (the accuracy check)."""
        mu, stable, k = classify_multipliers(monodromy(sol.A, sol.B))
        return mu, stable, k, abs(mu[k] - 1.0)

    # --------------------------------------------------------------- mesh
    def interpolate(self, U, mesh, new_mesh):
        """Evaluate the piecewise polynomial (U on mesh) at the nodes of new_mesh."""
        sch = self.sch
        hn = np.diff(new_mesh)
        tq = (new_mesh[:-1, None] + hn[:, None] * sch.nodes[None, :-1]).ravel()
        tq = np.append(tq, 1.0)
        j = np.clip(np.searchsorted(mesh, tq, side="right") - 1, 0, sch.ntst - 1)
        s = (tq - mesh[j]) / (mesh[j + 1] - mesh[j])
        L = lagrange_values(s, sch.nodes)
        Ub = sch.blocks(U)
        return np.einsum("qk,qkn->qn", L, Ub[j])

    def adapt(self, sol):
        """Equidistribute |x^(ncol+1)|^(1/(ncol+1)) over the mesh (AUTO-style)."""
        sch = self.sch
        m = sch.ncol
        mesh = sol.mesh
        h = np.diff(mesh)
        Ub = sch.blocks(sol.U) / self.sscale
        dm = np.einsum("k,jkn->jn", sch.dmax, Ub) / h[:, None] ** m     # m-th derivative
        dn = np.roll(dm, -1, axis=0) - dm
        hm = 0.5 * (h + np.roll(h, -1))
        e = np.sqrt(np.sum(dn * dn, axis=1)) / hm                       # at mesh point j+1
        w = 0.5 * (e + np.roll(e, 1))
        w = w ** (1.0 / (m + 1))
        if not np.all(np.isfinite(w)) or w.max() <= 0:
            return sol
        w = w + 0.01 * np.mean(w)
        cum = np.concatenate(([0.0], np.cumsum(w * h)))
        new = np.interp(np.linspace(0.0, cum[-1], sch.ntst + 1), cum, mesh)
        new[0], new[-1] = 0.0, 1.0
        if np.max(np.abs(new - mesh)) < 0.05 * h.min():
            return sol
        out = Orbit(self.interpolate(sol.U, mesh, new), sol.tau, sol.p, new)
        out.tU = self.interpolate(sol.tU, mesh, new)
        out.ttau, out.tp = sol.ttau, sol.tp
        out.A, out.B, out.iters = sol.A, sol.B, sol.iters
        nn = self.norm(out.tU, out.ttau, out.tp, np.diff(new))
        out.tU, out.ttau, out.tp = out.tU / nn, out.ttau / nn, out.tp / nn
        return out


def predict(sol, ds):
    g = Orbit(sol.U + ds * sol.tU, sol.tau + ds * sol.ttau, sol.p + ds * sol.tp, sol.mesh)
    return g


def extrema(sch, U, c):
    """Max and min of the linear observable c.x over the orbit: the best of 8 samples per
    mesh interval locates the extremum; 64 samples on that interval and its neighbours,
    then Newton on the derivative of the polynomial, refine it."""
    ob = sch.blocks(U) @ c                                  # (ntst, ncol+1)
    fine = ob @ sch.Lfine.T                                 # (ntst, 8)
    out = []
    nf = sch.Lfine2.shape[0]
    for sign in (1.0, -1.0):
        j = int(np.argmax(np.max(sign * fine, axis=1)))
        js = np.array([j - 1, j, j + 1]) % sch.ntst
        g = (sign * ob[js]) @ sch.Lfine2.T                  # (3, nf)
        flat = int(np.argmax(g))
        r, k = divmod(flat, nf)
        best = float(g[r, k])
        coef = sch.vinv @ (sign * ob[js[r]])
        d1 = np.polyder(coef)
        d2 = np.polyder(d1)
        s = k / (nf - 1)
        for _ in range(4):
            c2 = np.polyval(d2, s)
            if c2 >= 0:
                break
            s = min(max(s - np.polyval(d1, s) / c2, 0.0), 1.0)
        best = max(best, float(np.polyval(coef, s)))
        out.append(sign * best)
    return out[0], out[1]


def classify_multipliers(M):
    """Multipliers sorted by modulus, stability, and the index of the trivial one."""
    mu = np.linalg.eigvals(M)
    mu = mu[np.argsort(-np.abs(mu))]
    k = int(np.argmin(np.abs(mu - 1.0)))
    others = np.delete(mu, k)
    return mu, bool(np.all(np.abs(others) < 1.0)), k
