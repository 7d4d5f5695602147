"""Template (see rosetta.kernels): the collocation rows of a periodic orbit.

The one kernel of limit-cycle continuation (:mod:`rosetta.collocation`) that calls the
model. ``rhs`` and ``jacobian`` (the declared Jacobian, else the compiled central
differences of ``jacobian.py``) are the globals bound by the generated module, so numba
inlines them. The elimination that follows (:mod:`rosetta.condensation`) does not depend
on the model and is compiled once for all models.
"""
import math

import numpy as np
from numba import njit


@njit(cache=CACHE)  # noqa: F821  (bound by the generated header)
def _assemble(U, tau, P, dp, uin, h, Lz, Dz, Mloc):
    """The collocation rows of every interval, with f, its Jacobian and df/dp evaluated
    at all collocation points: Mloc[j] (ncol*n rows) has the columns
    [interior nodes | left node | right node | tau | p | -residual | 0].
    U (Nn, n) node values, Nn = ntst*ncol + 1; tau = log T; P = records (p, p+dp, p-dp)
    (df/dp is their central difference); uin the constant input.
    Returns the largest collocation residual."""
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
            rhs(x, P[0], uin, f)  # noqa: F821
            rhs(x, P[1], uin, fp)  # noqa: F821
            rhs(x, P[2], uin, fm)  # noqa: F821
            jacobian(x, P[0], uin, J)  # noqa: F821  (bound by the footer)
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
