r"""Periodic orbits: continuation of limit cycles from a Hopf point.

:func:`continue_cycles` follows the family of limit cycles born at a Hopf bifurcation
as one parameter varies, the way AUTO does it:

* **Boundary-value problem.** Time is rescaled to :math:`t \in [0, 1]`, so a cycle of
  period :math:`T` solves :math:`x' = T f(x, p)`, :math:`x(0) = x(1)`. The period is
  carried as :math:`\tau = \log T` (a period blowing up towards a homoclinic or SNIC end
  then costs a few steps, not hundreds).
* **Orthogonal collocation.** ``ntst`` mesh intervals; on each, a polynomial of degree
  ``ncol`` through equally spaced nodes satisfies the ODE at the ``ncol`` Gauss-Legendre
  points (superconvergent, error :math:`O(h^{2\,\mathrm{ncol}})` at the mesh points).
  The mesh is adapted every few steps to equidistribute the estimated error.
* **Phase and arclength.** AUTO's integral phase condition
  :math:`\int_0^1 \langle x, \hat x' \rangle dt = 0` against the previous orbit, and a
  pseudo-arclength condition in a scaled norm (each state over the width of its declared
  ``state_range``, the parameter over the width of ``p_range``, and :math:`\log T`).
* **Newton with condensation.** Per Newton iteration one numba kernel (compiled once per
  parameter-record type, the model's functions passed as first-class functions) evaluates
  ``f``, the Jacobian (analytic if declared, else central differences) and
  :math:`\partial_p f` at every collocation point; a second, model-independent kernel
  eliminates the interior unknowns of each interval (Gaussian elimination with partial
  pivoting, "condensation of parameters"), then the mesh points along the chain
  (pivoting over pairs of block rows), and solves the small final system for
  :math:`x(0)`, :math:`\tau`, :math:`p`. Cost is linear in ``ntst``; the same sweep
  solves for the new tangent (second right-hand side).
* **Floquet multipliers** come for free from the condensed blocks: interval *j* relates
  its end points by :math:`A_j x_j + B_j x_{j+1} = 0`, so the monodromy matrix is
  :math:`\prod_j (-B_j^{-1} A_j)` — the collocation discretisation of the variational
  equation along the orbit. The multiplier closest to 1 is the trivial one; its distance
  from 1 is kept as an accuracy check (``branch.extra["trivial_multiplier_error"]``). The
  cycle is stable when all others lie inside the unit circle. Close to a homoclinic orbit
  the monodromy matrix is so ill-conditioned that its eigenvalues are noise: where the
  trivial multiplier is off by more than :data:`FLOQUET_TOL` the point keeps the previous
  point's stability and ``branch.extra["floquet_reliable"]`` is False.
* **Ends and special points.** The branch starts with the Hopf point itself (zero
  amplitude, period :math:`2\pi/\omega`). A fold of cycles (``SNLC``) is where the
  parameter component of the tangent changes sign; it is located by regula falsi on that
  component and inserted in the branch. A period exceeding ``stop_period`` ends the branch
  with ``HOM`` (note "period blow-up"; the caller may relabel it ``SNIC`` when the orbit
  ends on a saddle-node). A family that shrinks back onto an equilibrium ends on that
  Hopf point, located exactly and appended (``extra["end"] == "hopf"``). Leaving
  ``p_range`` ends the branch with a cycle computed exactly on the boundary. A real
  multiplier crossing -1 is reported as ``PD`` (position interpolated, not located).
"""
from __future__ import annotations

import math
import threading
import warnings

import numpy as np
from numba import njit, typeof
from numba.core.types.function_type import WrapperAddressProtocol

try:
    from numba.experimental.function_type import _get_wrapper_address
except ImportError:                        # pragma: no cover
    _get_wrapper_address = None

from . import _jit
from .diagram import Branch, SpecialPoint, observable_weights
from .model import ParameterError

__all__ = ["continue_cycles", "cycle_profile", "FLOQUET_TOL"]

#: a cycle's multipliers are trusted when the trivial one is this close to 1
FLOQUET_TOL = 1e-3


# =========================================================================== numba kernels
@njit(cache=True)
def _no_jacobian(x, p, u, jac):          # stands in when a model declares no Jacobian
    pass


@njit(cache=True)
def _fd_jacobian(rhs, x, p, u, J, xw, fp, fm):
    n = x.shape[0]
    for k in range(n):
        hk = 1e-6 * max(1.0, abs(x[k]))
        for a in range(n):
            xw[a] = x[a]
        xw[k] = x[k] + hk
        rhs(xw, p, u, fp)
        xw[k] = x[k] - hk
        rhs(xw, p, u, fm)
        for a in range(n):
            J[a, k] = (fp[a] - fm[a]) / (2.0 * hk)


@njit(cache=True)
def _assemble(rhs, jac, use_fd, U, tau, P, dp, uin, h, Lz, Dz, Mloc):
    """The collocation rows of every interval, with f, its Jacobian and df/dp evaluated
    at all collocation points: Mloc[j] (ncol*n rows) has the columns
    [interior nodes | left node | right node | tau | p | -residual | 0].
    U (Nn, n) node values, Nn = ntst*ncol + 1; tau = log T; P = records (p, p+dp, p-dp).
    Returns the largest collocation residual. (The only kernel that calls the model:
    compiled once per parameter-record type.)"""
    ntst = h.shape[0]
    ncol = Lz.shape[0]
    n = U.shape[1]
    NI = (ncol - 1) * n
    cz = NI + 2 * n
    T = math.exp(tau)
    x = np.empty(n)
    f = np.empty(n)
    fp = np.empty(n)
    fm = np.empty(n)
    xw = np.empty(n)
    w1 = np.empty(n)
    w2 = np.empty(n)
    J = np.zeros((n, n))
    rmax = 0.0
    for j in range(ntst):
        W = Mloc[j]
        hT = h[j] * T
        base = j * ncol
        for i in range(ncol):
            for a in range(n):
                s = 0.0
                for k in range(ncol + 1):
                    s += Lz[i, k] * U[base + k, a]
                x[a] = s
            rhs(x, P[0], uin, f)
            rhs(x, P[1], uin, fp)
            rhs(x, P[2], uin, fm)
            if use_fd:
                _fd_jacobian(rhs, x, P[0], uin, J, xw, w1, w2)
            else:
                jac(x, P[0], uin, J)
            for a in range(n):
                r = i * n + a
                du = 0.0
                for k in range(ncol + 1):
                    du += Dz[i, k] * U[base + k, a]
                res = du - hT * f[a]
                if abs(res) > rmax:
                    rmax = abs(res)
                W[r, cz] = -hT * f[a]
                W[r, cz + 1] = -hT * (fp[a] - fm[a]) / (2.0 * dp)
                W[r, cz + 2] = -res
                W[r, cz + 3] = 0.0
                for k in range(ncol + 1):
                    if k == 0:
                        c0 = NI
                    elif k == ncol:
                        c0 = NI + n
                    else:
                        c0 = (k - 1) * n
                    lz = hT * Lz[i, k]
                    for bb in range(n):
                        W[r, c0 + bb] = -lz * J[a, bb]
                    W[r, c0 + a] += Dz[i, k]
    return rmax


@njit(cache=True)
def _stage1(Mloc, brow, ncol, A, B, Cz, Rh, bx, bzz, brhs):
    """Condensation: eliminate each interval's interior nodes (partial pivoting), giving
    A_j x_j + B_j x_{j+1} + Cz_j z = Rh_j, and eliminate them from the border rows."""
    ntst = Mloc.shape[0]
    n = A.shape[1]
    NI = (ncol - 1) * n
    R = ncol * n
    cz = NI + 2 * n
    NC = cz + 4
    rowtmp = np.empty(NC)
    wv = np.empty(NC)
    for j in range(ntst):
        W = Mloc[j]
        base = j * ncol
        # eliminate the interior unknowns (partial pivoting)
        for c in range(NI):
            piv = c
            big = abs(W[c, c])
            for r in range(c + 1, R):
                if abs(W[r, c]) > big:
                    big = abs(W[r, c])
                    piv = r
            if piv != c:
                for q in range(NC):
                    rowtmp[q] = W[c, q]
                    W[c, q] = W[piv, q]
                    W[piv, q] = rowtmp[q]
            d = W[c, c]
            for r in range(c + 1, R):
                fct = W[r, c] / d
                if fct != 0.0:
                    for q in range(c, NC):
                        W[r, q] -= fct * W[c, q]
        for a in range(n):
            for bb in range(n):
                A[j, a, bb] = W[NI + a, NI + bb]
                B[j, a, bb] = W[NI + a, NI + n + bb]
            Cz[j, a, 0] = W[NI + a, cz]
            Cz[j, a, 1] = W[NI + a, cz + 1]
            Rh[j, a, 0] = W[NI + a, cz + 2]
            Rh[j, a, 1] = W[NI + a, cz + 3]
        # condense the border rows on this interval
        for b in range(2):
            for q in range(NC):
                wv[q] = 0.0
            for k in range(1, ncol):
                for a in range(n):
                    wv[(k - 1) * n + a] = brow[b, base + k, a]
            for c in range(NI):
                fct = wv[c] / W[c, c]
                if fct != 0.0:
                    for q in range(c, NC):
                        wv[q] -= fct * W[c, q]
            for a in range(n):
                bx[b, j, a] += wv[NI + a]
                bx[b, j + 1, a] += wv[NI + n + a]
            for q in range(2):
                bzz[b, q] += wv[cz + q]
                brhs[b, q] += wv[cz + 2 + q]



@njit(cache=True)
def _stage2(A, B, Cz, Rh, bx, bzz, brhs, PV):
    """Eliminate the mesh points x_1 .. x_{ntst-1} along the chain (pivoting over pairs of
    block rows); returns the relation E x_0 + F x_ntst + G z = H. PV keeps the pivot rows."""
    ntst, n, _ = A.shape
    # relation E x_0 + F x_k + G z = H, combined with block k to eliminate x_k
    n3 = 3 * n
    E = A[0].copy()
    F = B[0].copy()
    G = Cz[0].copy()
    H = Rh[0].copy()
    Wc = np.empty((2 * n, n3 + 4))
    rt2 = np.empty(n3 + 4)
    for k in range(1, ntst):
        for r in range(2 * n):
            for q in range(n3 + 4):
                Wc[r, q] = 0.0
        for r in range(n):
            for q in range(n):
                Wc[r, q] = E[r, q]
                Wc[r, n + q] = F[r, q]
                Wc[n + r, n + q] = A[k, r, q]
                Wc[n + r, 2 * n + q] = B[k, r, q]
            for q in range(2):
                Wc[r, n3 + q] = G[r, q]
                Wc[r, n3 + 2 + q] = H[r, q]
                Wc[n + r, n3 + q] = Cz[k, r, q]
                Wc[n + r, n3 + 2 + q] = Rh[k, r, q]
        for c in range(n):
            col = n + c
            piv = c
            big = abs(Wc[c, col])
            for r in range(c + 1, 2 * n):
                if abs(Wc[r, col]) > big:
                    big = abs(Wc[r, col])
                    piv = r
            if piv != c:
                for q in range(n3 + 4):
                    rt2[q] = Wc[c, q]
                    Wc[c, q] = Wc[piv, q]
                    Wc[piv, q] = rt2[q]
            d = Wc[c, col]
            for r in range(c + 1, 2 * n):
                fct = Wc[r, col] / d
                if fct != 0.0:
                    for q in range(n3 + 4):
                        Wc[r, q] -= fct * Wc[c, q]
        for r in range(n):
            for q in range(n3 + 4):
                PV[k, r, q] = Wc[r, q]
            for q in range(n):
                E[r, q] = Wc[n + r, q]
                F[r, q] = Wc[n + r, 2 * n + q]
            for q in range(2):
                G[r, q] = Wc[n + r, n3 + q]
                H[r, q] = Wc[n + r, n3 + 2 + q]
        for b in range(2):
            for c in range(n):
                fct = bx[b, k, c] / Wc[c, n + c]
                if fct != 0.0:
                    for q in range(n):
                        bx[b, 0, q] -= fct * Wc[c, q]
                        bx[b, k, q] -= fct * Wc[c, n + q]
                        bx[b, k + 1, q] -= fct * Wc[c, 2 * n + q]
                    for q in range(2):
                        bzz[b, q] -= fct * Wc[c, n3 + q]
                        brhs[b, q] -= fct * Wc[c, n3 + 2 + q]

    return E, F, G, H


@njit(cache=True)
def _backsub(Mloc, PV, X, Z, ncol):
    """Recover x_k along the chain, then the interior nodes of every interval."""
    ntst = Mloc.shape[0]
    n = X.shape[1]
    n3 = 3 * n
    NI = (ncol - 1) * n
    cz = NI + 2 * n
    Nn = ntst * ncol + 1
    wv = np.empty(NI + 1)
    # back-substitution along the chain
    for k in range(ntst - 1, 0, -1):
        for m in range(2):
            for c in range(n - 1, -1, -1):
                s = PV[k, c, n3 + 2 + m]
                for q in range(n):
                    s -= PV[k, c, q] * X[0, q, m] + PV[k, c, 2 * n + q] * X[k + 1, q, m]
                s -= PV[k, c, n3] * Z[0, m] + PV[k, c, n3 + 1] * Z[1, m]
                for q in range(c + 1, n):
                    s -= PV[k, c, n + q] * X[k, q, m]
                X[k, c, m] = s / PV[k, c, n + c]
    # back-substitution inside the intervals
    D = np.empty((Nn, n, 2))
    for j in range(ntst):
        W = Mloc[j]
        base = j * ncol
        for m in range(2):
            for a in range(n):
                D[base, a, m] = X[j, a, m]
            for c in range(NI - 1, -1, -1):
                s = W[c, cz + 2 + m]
                for q in range(n):
                    s -= W[c, NI + q] * X[j, q, m] + W[c, NI + n + q] * X[j + 1, q, m]
                s -= W[c, cz] * Z[0, m] + W[c, cz + 1] * Z[1, m]
                for q in range(c + 1, NI):
                    s -= W[c, q] * wv[q]
                wv[c] = s / W[c, c]
            for c in range(NI):
                D[base + 1 + c // n, c % n, m] = wv[c]
    for m in range(2):
        for a in range(n):
            D[Nn - 1, a, m] = X[ntst, a, m]
    return D




@njit(cache=True)
def _condense_solve(Mloc, U, ncol, brow, bz, bres, btan):
    """Solve the bordered collocation system whose interval rows _assemble put in Mloc.

    brow (2, Nn, n), bz (2, 2), bres (2,), btan (2,): the two border rows (phase,
    arclength or parameter pin): coefficients on U, on (tau, p), residuals and the
    right-hand side of the tangent system.
    Returns (D (Nn, n, 2), Z (2, 2), A, B, pmax): column 0 the Newton correction,
    column 1 the (unnormalised) tangent; A_j, B_j the condensed blocks; pmax the
    largest periodicity residual. Mloc is overwritten by the elimination."""
    ntst = Mloc.shape[0]
    n = U.shape[1]
    Nn = U.shape[0]
    A = np.empty((ntst, n, n))
    B = np.empty((ntst, n, n))
    Cz = np.empty((ntst, n, 2))
    Rh = np.empty((ntst, n, 2))
    rmax = 0.0
    # border rows: node coefficients on the mesh points, then the condensed interiors
    bx = np.zeros((2, ntst + 1, n))
    bzz = np.empty((2, 2))
    brhs = np.empty((2, 2))
    for b in range(2):
        for j in range(ntst + 1):
            for a in range(n):
                bx[b, j, a] = brow[b, j * ncol, a]
        bzz[b, 0] = bz[b, 0]
        bzz[b, 1] = bz[b, 1]
        brhs[b, 0] = -bres[b]
        brhs[b, 1] = btan[b]
    _stage1(Mloc, brow, ncol, A, B, Cz, Rh, bx, bzz, brhs)
    PV = np.zeros((ntst, n, 3 * n + 4))
    E, F, G, H = _stage2(A, B, Cz, Rh, bx, bzz, brhs, PV)
    # ---------------------------------------------------------------- final system
    # periodicity x_ntst = x_0 + qv (qv: minus the residual for Newton, 0 for the tangent)
    qv = np.zeros((n, 2))
    for a in range(n):
        qv[a, 0] = -(U[Nn - 1, a] - U[0, a])
        if abs(qv[a, 0]) > rmax:
            rmax = abs(qv[a, 0])
    S = np.zeros((n + 2, n + 2))
    rs = np.zeros((n + 2, 2))
    for r in range(n):
        for q in range(n):
            S[r, q] = E[r, q] + F[r, q]
        S[r, n] = G[r, 0]
        S[r, n + 1] = G[r, 1]
        for m in range(2):
            s = H[r, m]
            for q in range(n):
                s -= F[r, q] * qv[q, m]
            rs[r, m] = s
    for b in range(2):
        for q in range(n):
            S[n + b, q] = bx[b, 0, q] + bx[b, ntst, q]
        S[n + b, n] = bzz[b, 0]
        S[n + b, n + 1] = bzz[b, 1]
        for m in range(2):
            s = brhs[b, m]
            for q in range(n):
                s -= bx[b, ntst, q] * qv[q, m]
            rs[n + b, m] = s
    sol = _gesv(S, rs)
    X = np.empty((ntst + 1, n, 2))
    Z = np.empty((2, 2))
    for m in range(2):
        for a in range(n):
            X[0, a, m] = sol[a, m]
            X[ntst, a, m] = sol[a, m] + qv[a, m]
        Z[0, m] = sol[n, m]
        Z[1, m] = sol[n + 1, m]
    D = _backsub(Mloc, PV, X, Z, ncol)
    return D, Z, A, B, rmax


@njit(cache=True)
def _gesv(A, B):
    """Solve A X = B (small, dense) by Gaussian elimination with partial pivoting;
    A and B are overwritten, X is returned (B's storage)."""
    n = A.shape[0]
    m = B.shape[1]
    for c in range(n):
        piv = c
        big = abs(A[c, c])
        for r in range(c + 1, n):
            if abs(A[r, c]) > big:
                big = abs(A[r, c])
                piv = r
        if piv != c:
            for q in range(n):
                t = A[c, q]
                A[c, q] = A[piv, q]
                A[piv, q] = t
            for q in range(m):
                t = B[c, q]
                B[c, q] = B[piv, q]
                B[piv, q] = t
        d = A[c, c]
        if d == 0.0:
            d = 1e-300
            A[c, c] = d
        for r in range(c + 1, n):
            fct = A[r, c] / d
            if fct != 0.0:
                for q in range(c, n):
                    A[r, q] -= fct * A[c, q]
                for q in range(m):
                    B[r, q] -= fct * B[c, q]
    for c in range(n - 1, -1, -1):
        for q in range(m):
            s = B[c, q]
            for k in range(c + 1, n):
                s -= A[c, k] * B[k, q]
            B[c, q] = s / A[c, c]
    return B


@njit(cache=True)
def _monodromy(A, B):
    """prod_j (-B_j^{-1} A_j), the monodromy matrix of the discretised variational equation."""
    ntst, n, _ = A.shape
    M = np.eye(n)
    for j in range(ntst):
        Pj = _gesv(B[j].copy(), A[j].copy())
        Mn = np.zeros((n, n))
        for a in range(n):
            for b in range(n):
                s = 0.0
                for k in range(n):
                    s -= Pj[a, k] * M[k, b]
                Mn[a, b] = s
        M = Mn
    return M


_lock = threading.Lock()


class _Address(WrapperAddressProtocol):
    """A model function as a first-class function given by its compiled address: numba
    then unboxes it without looking the dispatcher's overload up on every call."""

    def __init__(self, dispatcher, ftype):
        self._sig = ftype.signature
        self._addr = _get_wrapper_address(dispatcher, self._sig)

    def __wrapper_address__(self):
        return self._addr

    def signature(self):
        return self._sig


def _kernel_for(model, *args):
    """:func:`_assemble` compiled for this model's rhs and Jacobian (as first-class
    function types: the _jit pattern, a stable cache key and one overload per record
    type) and these argument types; returns ``call(*args)``, to be reused for every
    Newton iteration of a continuation (the argument types do not change)."""
    ftypes = _jit.function_types(model)
    jac = model.jacobian if model.jacobian is not None else _no_jacobian
    use_fd = model.jacobian is None
    args = (use_fd,) + args
    sig = (ftypes["rhs"], ftypes["jacobian"]) + tuple(typeof(a) for a in args)
    with _lock:
        entry = _assemble.overloads.get(sig)
        if entry is None:
            _assemble.compile(sig)
            entry = _assemble.overloads[sig]
    fn = entry.entry_point
    rhs = model.rhs
    try:
        rhs_a, jac_a = _Address(rhs, ftypes["rhs"]), _Address(jac, ftypes["jacobian"])
        fn(rhs_a, jac_a, *args)            # check that this numba accepts them
        rhs, jac = rhs_a, jac_a
    except Exception:                      # pragma: no cover - older/newer numba internals
        pass

    def call(*a):
        return fn(rhs, jac, use_fd, *a)
    return call


# =========================================================================== polynomials
def _lagrange(s, nodes):
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


def _lagrange_values(s, nodes):
    """Values of the Lagrange basis on ``nodes`` at points ``s`` (vectorised)."""
    K = len(nodes)
    diff = np.asarray(s, dtype=float).reshape(-1)[:, None, None] - nodes[None, None, :]
    diff = np.broadcast_to(diff, (diff.shape[0], K, K)).copy()
    diff[:, np.arange(K), np.arange(K)] = 1.0
    den = nodes[:, None] - nodes[None, :]
    den[np.arange(K), np.arange(K)] = 1.0
    return np.prod(diff, axis=2) / np.prod(den, axis=1)


class _Scheme:
    """Collocation constants for (ntst, ncol) and the operations on node arrays."""

    def __init__(self, ntst, ncol, n, wstate):
        self.ntst, self.ncol, self.n = ntst, ncol, n
        self.nodes = np.linspace(0.0, 1.0, ncol + 1)
        g, w = np.polynomial.legendre.leggauss(ncol)
        self.zeta = (g + 1) / 2
        self.wg = w / 2
        self.Lz, self.Dz = _lagrange(self.zeta, self.nodes)
        self.wstate = wstate                       # 1 / scale^2 per state
        lead = np.array([1.0 / np.prod([self.nodes[k] - self.nodes[m]
                                        for m in range(ncol + 1) if m != k])
                         for k in range(ncol + 1)])
        self.dmax = math.factorial(ncol) * lead   # ncol-th derivative (in s) of the interpolant
        self.idx = np.arange(ntst)[:, None] * ncol + np.arange(ncol + 1)[None, :]
        # node values -> monomial coefficients (highest power first) of the interpolant
        self.vinv = np.linalg.inv(np.vander(self.nodes, ncol + 1))
        self.Lfine, _ = _lagrange(np.linspace(0.0, 1.0, 9)[:-1], self.nodes)
        self.Lfine2, _ = _lagrange(np.linspace(0.0, 1.0, 65), self.nodes)

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


# =========================================================================== continuation
class _Solution:
    __slots__ = ("U", "tau", "p", "mesh", "tU", "ttau", "tp", "A", "B", "iters")

    def __init__(self, U, tau, p, mesh):
        self.U, self.tau, self.p, self.mesh = U, tau, p, mesh
        self.tU = None
        self.ttau = self.tp = 0.0
        self.A = self.B = None
        self.iters = 0


class _Continuer:
    def __init__(self, model, parameter, params, uin, sch, pscale, tol=1e-9, maxit=10):
        self.model, self.parameter = model, parameter
        self.sch = sch
        self.uin = uin
        self.P = model.records(params, 3)
        self.pscale = pscale
        self.tol, self.maxit = tol, maxit
        self.sscale = 1.0 / np.sqrt(sch.wstate)
        self.n_newton = 0
        self.kernel = None
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

        guess, ref: _Solution (same mesh); tan = (tU, ttau, tp) the tangent at ref;
        ds: arclength from ref. Returns a new _Solution with its tangent, or None."""
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
            if self.kernel is None:
                self.kernel = _kernel_for(self.model, U, float(tau), self.P, float(dp), self.uin,
                                          h, sch.Lz, sch.Dz, self.Mloc)
            self.kernel(U, float(tau), self.P, float(dp), self.uin, h, sch.Lz, sch.Dz, self.Mloc)
            D, Z, A, B, _ = _condense_solve(self.Mloc, U, sch.ncol, brow, bz, bres, btan)
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
                sol = _Solution(U, tau, p, mesh)
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
        mu, stable, k = _classify(_monodromy(sol.A, sol.B))
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
        L = _lagrange_values(s, sch.nodes)
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
        out = _Solution(self.interpolate(sol.U, mesh, new), sol.tau, sol.p, new)
        out.tU = self.interpolate(sol.tU, mesh, new)
        out.ttau, out.tp = sol.ttau, sol.tp
        out.A, out.B, out.iters = sol.A, sol.B, sol.iters
        nn = self.norm(out.tU, out.ttau, out.tp, np.diff(new))
        out.tU, out.ttau, out.tp = out.tU / nn, out.ttau / nn, out.tp / nn
        return out


def _predict(sol, ds):
    g = _Solution(sol.U + ds * sol.tU, sol.tau + ds * sol.ttau, sol.p + ds * sol.tp, sol.mesh)
    return g


def _extrema(sch, U, c):
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


def _classify(M):
    """Multipliers sorted by modulus, stability, and the index of the trivial one."""
    mu = np.linalg.eigvals(M)
    mu = mu[np.argsort(-np.abs(mu))]
    k = int(np.argmin(np.abs(mu - 1.0)))
    others = np.delete(mu, k)
    return mu, bool(np.all(np.abs(others) < 1.0)), k


def continue_cycles(model, parameter, params, hopf, p_range, observable=None, *, ntst=40, ncol=4,
                    ds=None, ds_max=None, max_points=400, amplitude=None, u=None,
                    stop_period=None):
    """Continue the branch of limit cycles born at a Hopf point.

    Parameters
    ----------
    model : Model or registry name
    parameter : str
        The continuation parameter.
    params : mapping
        The other parameters (the value of ``parameter`` in it is ignored).
    hopf : SpecialPoint
        The Hopf point: ``param`` (p0), ``state`` (the equilibrium x*) and ``frequency``
        (omega, rad per model time unit).
    p_range : (low, high)
        The branch stops where the parameter leaves this interval; the last point is
        computed exactly on the boundary. Also clipped to the parameter's domain.
    observable : state name, dict of weights or weight vector (default: first state)
        Linear observable whose max and min over each orbit are returned.
    ntst, ncol : int
        Mesh intervals and collocation points per interval (Gauss-Legendre).
    ds, ds_max : float
        Initial and largest step, in the scaled arclength norm (each state over the width
        of its ``state_range``, the parameter over the width of ``p_range``, and log T);
        defaults 0.02 and 0.2.
    max_points : int
        Largest number of points on the branch (the Hopf point included).
    amplitude : float, optional
        Amplitude (in state units, largest component of x - x*) of the first cycle;
        default: a first step of ``min(ds, 0.01)`` in the scaled norm.
    u : input vector or mapping, optional
        Constant input applied to the model.
    stop_period : float, optional
        Stop when the period exceeds this (default 50 times the Hopf period); the end is
        reported as a ``HOM`` special point with note "period blow-up".

    Returns
    -------
    (Branch, list of SpecialPoint)
        The branch (kind "cycle": param, states = x(0) of each orbit, obs_max, obs_min,
        stable, period, multipliers sorted by modulus) and its special points (SNLC, HOM,
        PD). Point 0 is the Hopf point itself (zero amplitude); a branch that shrinks back
        onto an equilibrium ends with that Hopf point. ``branch.extra`` holds ``mesh`` and
        ``profiles`` (the collocation node values of every orbit, for
        :func:`cycle_profile`), ``trivial_multiplier_error`` and ``floquet_reliable`` (see
        the module docstring), ``end`` (why the branch stopped: "p_range", "hopf",
        "period blow-up", "max_points", "no convergence", "could not start"), ``ntst``,
        ``ncol``, ``newton_iterations``.

    Example
    -------
    >>> hopf = SpecialPoint("HB+", 0.0, np.zeros(2), 0.0, frequency=2 * np.pi)
    >>> br, pts = continue_cycles("stuart_landau", "alpha", {"omega": 2 * np.pi}, hopf,
    ...                           (-1.0, 2.0), observable="x")
    >>> float(br.obs_max[-1])              # sqrt(alpha / gamma) at alpha = 2   # doctest: +ELLIPSIS
    1.41421356...
    """
    from .models import resolve
    model = resolve(model)
    par = model.parameter(parameter)
    n = model.n_state
    params = {k: v for k, v in dict(params or {}).items() if k != parameter}
    ntst, ncol = int(ntst), int(ncol)
    if ntst < 2 or not (1 <= ncol <= 7):
        raise ParameterError(f"need ntst >= 2 and 1 <= ncol <= 7, got ntst={ntst}, ncol={ncol}")
    lo, hi = sorted(float(v) for v in p_range)
    dlo, dhi = par.domain
    if dlo is not None:
        lo = max(lo, dlo)
    if dhi is not None:
        hi = min(hi, dhi)
    p0 = float(hopf.param)
    if not (lo <= p0 <= hi):
        raise ParameterError(f"the Hopf point {parameter} = {p0:g} lies outside p_range "
                             f"[{lo:g}, {hi:g}]")
    omega = float(hopf.frequency) if hopf.frequency is not None else float("nan")
    if not (math.isfinite(omega) and omega > 0):
        raise ParameterError("the Hopf point needs a positive frequency (rad per model time unit)")
    xstar = np.asarray(hopf.state, dtype=float).reshape(n)
    cobs = observable_weights(model, observable)
    uin = model.input_vector(u)
    T0 = 2 * np.pi / omega
    stop_period = 50.0 * T0 if stop_period is None else float(stop_period)
    pscale = (hi - lo) if math.isfinite(hi - lo) and hi > lo else max(abs(par.high - par.low), 1.0)
    sscale = np.array([max(abs(b - a), 1e-12) for a, b in model.state_range])
    ds = 0.02 if ds is None else float(ds)
    ds_max = 0.2 if ds_max is None else float(ds_max)
    ds_min = 1e-6 * ds_max
    sch = _Scheme(ntst, ncol, n, 1.0 / sscale ** 2)
    cont = _Continuer(model, parameter, params, uin, sch, pscale)

    # ---- the first cycle: x* + eps Re(q e^{2 pi i t}), tangent in the amplitude direction
    Jh = model.jac(xstar, {**params, parameter: p0}, uin)
    lam, vec = np.linalg.eig(Jh)
    kq = int(np.argmin(np.abs(lam - 1j * omega)))
    q = vec[:, kq]
    mesh = np.linspace(0.0, 1.0, ntst + 1)
    h = np.diff(mesh)
    tn = np.append((mesh[:-1, None] + h[:, None] * sch.nodes[None, :-1]).ravel(), 1.0)
    phi = np.real(q[None, :] * np.exp(2j * np.pi * tn)[:, None])
    phi /= math.sqrt(cont.inner_u(phi, phi, h))
    Ustar = np.tile(xstar, (tn.size, 1))
    ref = _Solution(Ustar, math.log(T0), p0, mesh)
    ref.tU, ref.ttau, ref.tp = phi, 0.0, 0.0
    if amplitude is not None:
        eps = float(amplitude) / float(np.max(np.abs(phi)))
    else:
        eps = min(ds, 0.01)
    first = None
    for _ in range(8):
        g = _predict(ref, eps)
        first = cont.correct(g, ref, (phi, 0.0, 0.0), eps, phase_ref=g.U)
        if first is not None:
            break
        eps *= 0.5
    if first is not None and not (lo <= first.p <= hi):
        first = _OUT_OF_RANGE
    # ---- record keeping
    rec = {k: [] for k in ("p", "x0", "max", "min", "stable", "T", "mu", "mesh", "U", "triv", "amp",
                           "reliable")}
    specials = []

    def record_hopf(p, x, om, stable):
        """The zero-amplitude end of the family: the Hopf point itself."""
        T = 2 * np.pi / om
        lam_h = np.linalg.eigvals(model.jac(x, {**params, parameter: p}, uin))
        mu = np.exp(lam_h * T)
        mu = mu[np.argsort(-np.abs(mu))]
        ob = float(cobs @ x)
        for key, val in (("p", p), ("x0", x.copy()), ("max", ob), ("min", ob), ("stable", stable),
                         ("T", T), ("mu", mu), ("mesh", mesh0.copy()),
                         ("U", np.tile(x, (ntst * ncol + 1, 1))), ("triv", 0.0), ("amp", 0.0),
                         ("reliable", True)):
            rec[key].append(val)

    def record(sol):
        mu, stable, k, err = cont.floquet(sol)
        reliable = err < FLOQUET_TOL
        if not reliable and rec["stable"]:
            stable = rec["stable"][-1]        # multipliers are noise here: keep the last verdict
        rec["reliable"].append(reliable)
        omax, omin = _extrema(sch, sol.U, cobs)
        rec["amp"].append(cont.amplitude(sol.U, np.diff(sol.mesh)))
        rec["p"].append(sol.p)
        rec["x0"].append(sol.U[0].copy())
        rec["max"].append(omax)
        rec["min"].append(omin)
        rec["stable"].append(stable)
        rec["T"].append(math.exp(sol.tau))
        rec["mu"].append(mu)
        rec["mesh"].append(sol.mesh.copy())
        rec["U"].append(sol.U.copy())
        rec["triv"].append(err)
        return mu, stable, omax, reliable

    def pd_count(mu):
        return int(np.sum((np.abs(mu.imag) < 1e-9) & (mu.real < -1.0)))

    mesh0 = mesh
    if first is None:
        warnings.warn(f"{model.name}: could not start a cycle branch from the Hopf point at "
                      f"{parameter} = {p0:g} (is it a Hopf point, with this frequency?); "
                      f"returning the Hopf point alone", RuntimeWarning, stacklevel=2)
        record_hopf(p0, xstar, omega, False)
        return _make_branch(rec, ntst, ncol, "could not start", parameter, hopf,
                            cont.n_newton), []
    if first is _OUT_OF_RANGE:                 # the family starts outside p_range
        record_hopf(p0, xstar, omega, False)
        return _make_branch(rec, ntst, ncol, "p_range", parameter, hopf, cont.n_newton), []
    _, first_stable, _, _ = cont.floquet(first)
    record_hopf(p0, xstar, omega, first_stable)
    mu_prev, _, _, _ = record(first)
    cur = first
    amp_first = cont.amplitude(first.U, np.diff(first.mesh))
    amp_max = amp_cur = amp_before = amp_first
    end = "max_points"
    step = ds if amplitude is None else max(ds, eps)
    step = min(step, ds_max)
    n_since_adapt = 0
    while len(rec["p"]) < max_points:
        tan = (cur.tU, cur.ttau, cur.tp)
        new = cont.correct(_predict(cur, step), cur, tan, step)
        if new is not None:
            h = np.diff(cur.mesh)
            cosang = (cont.inner_u(new.tU, cur.tU, h) + new.ttau * cur.ttau
                      + new.tp * cur.tp / pscale ** 2)
            if cosang < 0.9 and step > ds_min * 10:
                new = None
        if new is None:
            step *= 0.5
            if step < ds_min:
                end = "no convergence"
                break
            continue
        amp = cont.amplitude(new.U, np.diff(new.mesh))
        # through a Hopf point: the amplitude went down to a minimum and grows again
        if (len(rec["p"]) > 2 and amp_cur < 0.1 * amp_max and amp_cur < amp_before
                and amp > amp_cur):
            end = "hopf"
            break
        # leaving the parameter range: last point exactly on the boundary
        if new.p > hi or new.p < lo:
            pb = hi if new.p > hi else lo
            th = (pb - cur.p) / (new.p - cur.p)
            g = _Solution(cur.U + th * (new.U - cur.U), cur.tau + th * (new.tau - cur.tau), pb,
                          cur.mesh)
            last = cont.correct(g, cur, tan, 0.0, pin=pb)
            if last is not None:
                record(last)
            end = "p_range"
            break
        # fold of cycles: the parameter component of the tangent changes sign
        if new.tp * cur.tp < 0:
            fold = _locate_fold(cont, cur, new, step)
            if fold is not None:
                amp_f = cont.amplitude(fold.U, np.diff(fold.mesh))
                if amp_f < max(2.0 * amp_first, 1e-3 * amp_max):
                    end = "hopf"                # the "fold" is the branch's end at a Hopf point
                    break
                _, _, omax_f, _ = record(fold)
                specials.append(SpecialPoint("SNLC", float(fold.p), fold.U[0].copy(), omax_f,
                                             period=math.exp(fold.tau), note="fold of cycles"))
            else:
                w = cur.tp / (cur.tp - new.tp)
                specials.append(SpecialPoint(
                    "SNLC", float(cur.p + w * (new.p - cur.p)), cur.U[0].copy(),
                    _extrema(sch, cur.U, cobs)[0], period=math.exp(cur.tau),
                    note="fold of cycles (interpolated, not located)"))
        mu, stable, omax, reliable = record(new)
        if reliable and mu_prev is not None and pd_count(mu) != pd_count(mu_prev):
            r0 = _closest_real(mu_prev, -1.0)
            r1 = _closest_real(mu, -1.0)
            w = 0.5 if r0 is None or r1 is None or r0 == r1 else (-1.0 - r0) / (r1 - r0)
            w = min(max(w, 0.0), 1.0)
            pp = cur.p + w * (new.p - cur.p)
            specials.append(SpecialPoint("PD", float(pp), new.U[0].copy(), omax,
                                         period=math.exp(new.tau),
                                         note="period doubling (interpolated, not located)"))
        mu_prev = mu if reliable else None
        T = math.exp(new.tau)
        if T > stop_period:
            specials.append(SpecialPoint("HOM", float(new.p), new.U[0].copy(), omax, period=T,
                                         note="period blow-up"))
            end = "period blow-up"
            break
        amp_max = max(amp_max, amp)
        shrinking = amp < amp_cur
        amp_before, amp_cur = amp_cur, amp
        # step control
        if new.iters <= 3:
            step = min(step * 1.5, ds_max)
        elif new.iters >= 6:
            step = max(step * 0.6, ds_min)
        if shrinking and amp < 0.25 * amp_max and len(rec["p"]) > 2:
            if amp < max(amp_first, 1e-3 * amp_max):
                end = "hopf"                    # collapsed onto an equilibrium
                break
            step = min(step, 0.5 * amp)         # approach the Hopf end without jumping it
        cur = new
        n_since_adapt += 1
        if n_since_adapt >= 2:
            cur = cont.adapt(cur)
            n_since_adapt = 0

    if end == "hopf" and len(rec["p"]) >= 3:
        ends = _hopf_end(model, parameter, params, uin, rec["p"][-2], rec["amp"][-2],
                         rec["p"][-1], rec["amp"][-1], rec["U"][-1].mean(axis=0), lo, hi, pscale)
        if ends is not None:
            record_hopf(*ends, rec["stable"][-1])
        else:
            end = "hopf (end point not located)"
    return _make_branch(rec, ntst, ncol, end, parameter, hopf, cont.n_newton), specials


_OUT_OF_RANGE = object()


def _make_branch(rec, ntst, ncol, end, parameter, hopf, n_newton):
    return Branch(kind="cycle", param=np.array(rec["p"]), states=np.array(rec["x0"]),
                  obs_max=np.array(rec["max"]), obs_min=np.array(rec["min"]),
                  stable=np.array(rec["stable"], dtype=bool), period=np.array(rec["T"]),
                  multipliers=rec["mu"],
                  extra={"mesh": rec["mesh"], "profiles": rec["U"], "ntst": ntst, "ncol": ncol,
                         "trivial_multiplier_error": np.array(rec["triv"]),
                         "floquet_reliable": np.array(rec["reliable"], dtype=bool), "end": end,
                         "parameter": parameter, "hopf": hopf, "newton_iterations": n_newton})


def _hopf_end(model, parameter, params, uin, p1, a1, p2, a2, x, lo, hi, pscale):
    """The Hopf point where a cycle family collapses: extrapolate amplitude^2 -> 0 from
    the last two cycles, then solve f(x, p) = 0 with the critical pair on the imaginary
    axis (Newton on x, secant on p). Returns (p, x, omega) or None."""
    def equilibrium(p, x):
        pr = {**params, parameter: p}
        for _ in range(30):
            dx = np.linalg.solve(model.jac(x, pr, uin), -model.f(x, pr, uin))
            x = x + dx
            if np.max(np.abs(dx)) <= 1e-13 * (1 + np.max(np.abs(x))):
                break
        return x

    def crit(p, x):
        x = equilibrium(p, x)
        lam = np.linalg.eigvals(model.jac(x, {**params, parameter: p}, uin))
        cand = lam[lam.imag > 1e-12]
        if cand.size == 0:
            raise ValueError
        k = int(np.argmin(np.abs(cand.real)))
        return float(cand[k].real), x, float(cand[k].imag)

    try:
        d = a1 ** 2 - a2 ** 2
        pa = p2
        pb = p2 - (p1 - p2) * a2 ** 2 / d if d > 0 else p2
        ga, x, om = crit(pa, x)
        gb, x, om = crit(pb, x)
        for _ in range(30):
            if gb == ga or abs(gb) < 1e-12 * (1 + om):
                break
            pa, pb, ga = pb, pb - gb * (pb - pa) / (gb - ga), gb
            gb, x, om = crit(pb, x)
        if not (abs(gb) < 1e-8 * (1 + om) and lo - 1e-9 <= pb <= hi + 1e-9
                and abs(pb - p2) < 0.05 * pscale and np.all(np.isfinite(x))):
            return None
        return float(pb), x, om
    except (np.linalg.LinAlgError, ValueError, ParameterError):
        return None


def _closest_real(mu, target):
    real = mu[np.abs(mu.imag) < 1e-9].real
    if real.size == 0:
        return None
    return float(real[np.argmin(np.abs(real - target))])


def _locate_fold(cont, a, b, ds, tol=1e-7, maxit=12):
    """Regula falsi (Illinois) on the parameter component of the tangent between the
    cycles a (arclength 0) and b (arclength ds) along a's tangent."""
    sa, fa = 0.0, a.tp
    sb, fb = ds, b.tp
    tan = (a.tU, a.ttau, a.tp)
    best = None
    side = 0
    for _ in range(maxit):
        s = sa - fa * (sb - sa) / (fb - fa)
        sol = cont.correct(_predict(a, s), a, tan, s)
        if sol is None:
            return best
        best = sol
        fs = sol.tp
        if abs(fs) < tol * cont.pscale or abs(sb - sa) < 1e-12:
            break
        if fs * fa > 0:
            sa, fa = s, fs
            if side == -1:
                fb *= 0.5
            side = -1
        else:
            sb, fb = s, fs
            if side == 1:
                fa *= 0.5
            side = 1
    return best


def cycle_profile(branch, index, n=400):
    """One period of the orbit ``index`` of a cycle branch: (t, x) with t in model time
    units (n samples over [0, T)) and x of shape (n, n_state), from the collocation
    polynomials."""
    mesh = branch.extra["mesh"][index]
    U = branch.extra["profiles"][index]
    ncol = branch.extra["ncol"]
    ntst = len(mesh) - 1
    nodes = np.linspace(0.0, 1.0, ncol + 1)
    s01 = np.linspace(0.0, 1.0, n, endpoint=False)
    j = np.clip(np.searchsorted(mesh, s01, side="right") - 1, 0, ntst - 1)
    s = (s01 - mesh[j]) / (mesh[j + 1] - mesh[j])
    L = _lagrange_values(s, nodes)
    idx = j[:, None] * ncol + np.arange(ncol + 1)[None, :]
    x = np.einsum("qk,qkn->qn", L, U[idx])
    return s01 * branch.period[index], x
