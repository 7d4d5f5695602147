r"""Condensation of parameters: the linear algebra of periodic collocation (numba).

The Newton system of a periodic orbit discretised by orthogonal collocation (see
:mod:`rosetta.collocation`) is almost block bidiagonal: each mesh interval couples its
``ncol - 1`` interior nodes to its two end points, the end points chain the intervals,
and two border rows (phase and arclength, or a pinned parameter) plus periodicity close
the system. The rows of each interval are filled by the model-dependent kernel
``_assemble`` (template :mod:`rosetta.kernels.collocation`, compiled per model); what is
here does not depend on the model and is compiled once:

* :func:`condense_solve` eliminates the interior unknowns of each interval (Gaussian
  elimination with partial pivoting, AUTO's "condensation of parameters"), then the mesh
  points along the chain (pivoting over pairs of block rows), solves the small final
  system for :math:`x(0)`, :math:`\tau`, :math:`p`, and back-substitutes. Cost is linear
  in ``ntst``; a second right-hand side gives the new tangent in the same sweep.
* :func:`monodromy` multiplies the condensed interval transfers
  :math:`\prod_j (-B_j^{-1} A_j)`: the monodromy matrix of the discretised variational
  equation, whose eigenvalues are the Floquet multipliers.
* :func:`gesv`: a small dense solve with partial pivoting, usable inside numba.
"""
import numpy as np
from numba import njit

__all__ = ["condense_solve", "monodromy", "gesv"]


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
def condense_solve(Mloc, U, ncol, brow, bz, bres, btan):
    """Solve the bordered collocation system whose interval rows are in Mloc.

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
    sol = gesv(S, rs)
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
def gesv(A, B):
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
def monodromy(A, B):
    """prod_j (-B_j^{-1} A_j), the monodromy matrix of the discretised variational equation."""
    ntst, n, _ = A.shape
    M = np.eye(n)
    for j in range(ntst):
        Pj = gesv(B[j].copy(), A[j].copy())
        Mn = np.zeros((n, n))
        for a in range(n):
            for b in range(n):
                s = 0.0
                for k in range(n):
                    s -= Pj[a, k] * M[k, b]
                Mn[a, b] = s
        M = Mn
    return M
