"""Template (see rosetta.kernels): the compiled finite-difference Jacobian.

The one finite-difference Jacobian of the package: central differences of ``rhs`` with the
step h_k = 1e-6 max(1, |x_k|) (error O(h^2) ~ 1e-12 relative, well below what Newton,
continuation and Floquet multipliers need). The generated module binds ``jacobian`` to the
model's declared Jacobian where it has one, else to this.
"""
import numpy as np
from numba import njit

FD_STEP = 1e-6


@njit(cache=CACHE)  # noqa: F821  (bound by the generated header)
def jacobian_fd(x, p, u, jac):
    """Central differences of rhs(x, p, u, .) in x, written into jac (n x n)."""
    n = x.shape[0]
    xw = x.copy()
    fp = np.empty(n)
    fm = np.empty(n)
    for k in range(n):
        hk = FD_STEP * max(1.0, abs(x[k]))
        xw[k] = x[k] + hk
        rhs(xw, p, u, fp)  # noqa: F821
        xw[k] = x[k] - hk
        rhs(xw, p, u, fm)  # noqa: F821
        xw[k] = x[k]
        for a in range(n):
            jac[a, k] = (fp[a] - fm[a]) / (2.0 * hk)


@njit(cache=CACHE)  # noqa: F821
def evaluate_rhs(x, p, u):
    """f(x) as a new array (for Python callers: one call, no per-call compilation)."""
    dx = np.empty(x.shape[0])
    rhs(x, p, u, dx)  # noqa: F821
    return dx


@njit(cache=CACHE)  # noqa: F821
def evaluate_jacobian(x, p, u):
    """The Jacobian the kernels use (declared, else central differences) as a new array."""
    n = x.shape[0]
    J = np.zeros((n, n))
    jacobian(x, p, u, J)  # noqa: F821  (bound by the footer)
    return J


@njit(cache=CACHE)  # noqa: F821
def evaluate_jacobian_fd(x, p, u):
    """The central-difference Jacobian, also for models that declare one (tests)."""
    n = x.shape[0]
    J = np.zeros((n, n))
    jacobian_fd(x, p, u, J)
    return J


@njit(cache=CACHE)  # noqa: F821
def evaluate_output(x, p):
    """What the node sends, o = output(x, p), as a new array."""
    o = np.empty(N_OUTPUTS)  # noqa: F821
    output(x, p, o)  # noqa: F821
    return o
