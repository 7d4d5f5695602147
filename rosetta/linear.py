r"""Linear response of a network of damped oscillators (rung b): the paper's analytic observables.

Near a stable fixed point, and exactly for the damped oscillator of rung b, a network driven by
a deterministic input :math:`f(t)` and white noise :math:`\xi` obeys

.. math::

    \dot u = J u + f(t) + \xi(t), \qquad
    \langle \xi(t)\, \xi(t')^{\top} \rangle = D\, \delta(t - t'),

with :math:`u` the stacked node states. Everything measurable about it follows from :math:`J`
and :math:`D` [castaldo2026rosetta]:

* **stability**: all eigenvalues of :math:`J` in the left half plane;
* **functional connectivity**, the stationary covariance :math:`\Sigma`, from the Lyapunov
  equation :math:`J\Sigma + \Sigma J^{\top} = -D`;
* the **transfer function** (resolvent) :math:`H(\omega) = (i\omega I - J)^{-1}`: a drive
  :math:`f_0 e^{i\omega_s t}` gives the mean response :math:`H(\omega_s) f_0 e^{i\omega_s t}`;
* the **cross-spectrum** :math:`S(\omega) = H(\omega)\, D\, H(\omega)^{*}`, two-sided and per
  unit angular frequency, so that :math:`\Sigma = \frac{1}{2\pi}\int S(\omega)\, d\omega`;
* the **covariance shift** of a small change :math:`\delta J` (a "drug"):
  :math:`J\,\delta\Sigma + \delta\Sigma\, J^{\top} = -(\delta J\,\Sigma + \Sigma\,\delta J^{\top}
  + \delta D)`.

Everything here works in the real :math:`2N`-dimensional form whose coordinates are ordered as
``rs.simulate`` stores them, ``u = res.data.reshape(T, 2N)`` = :math:`(x_1, y_1, x_2, y_2, \dots)`,
so analytic matrices and sample covariances compare entry by entry.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from scipy import linalg

from .forcing import Noise
from .model import ParameterError
from .network import Network

__all__ = ["complex_jacobian", "to_real", "jacobian_of_network", "noise_matrix", "states",
           "stationary_covariance", "resolvent", "cross_spectrum", "welch_cross_spectrum",
           "covariance_shift", "spectral_abscissa", "is_stable", "half_width"]


def _coupling_matrix(net: Network) -> np.ndarray:
    if not net.uses_default_projections:
        raise ParameterError("the linear analysis here reads the model's default wiring "
                             "(x -> ux, y -> uy with the network's C); this network has its own "
                             "projections")
    if net.delays is not None and np.any(net.delays[net.weights != 0] > 0):
        raise ParameterError("the linear analysis here has no delays; build the network without them")
    W = net.weights
    if net.coupling == "diffusive":
        return W - np.diag(W.sum(axis=1))
    return W.copy()


def complex_jacobian(net: Network) -> np.ndarray:
    r"""The complex :math:`N\times N` matrix of :math:`\dot z = A z`:
    :math:`A = \mathrm{diag}(\alpha_j + i\omega_j) + G(\hat C - \mathrm{diag}(\sum_j \hat C_{ij}))`
    for diffusive coupling, :math:`+\,G\hat C` for additive coupling."""
    if net.model.name != "damped_oscillator":
        raise ParameterError(f"linear analysis needs damped_oscillator nodes, got {net.model.name}")
    P = net.model.records(net.params, net.n)
    return np.diag(P.alpha + 1j * P.omega) + _coupling_matrix(net)


def to_real(A) -> np.ndarray:
    r"""The real :math:`2N\times 2N` matrix acting on :math:`(x_1, y_1, \dots)` that equals the
    complex :math:`A` acting on :math:`z = x + iy`: each entry :math:`a` becomes the block
    :math:`\begin{pmatrix}\mathrm{Re}\,a & -\mathrm{Im}\,a\\ \mathrm{Im}\,a & \mathrm{Re}\,a\end{pmatrix}`."""
    A = np.asarray(A, dtype=complex)
    n = A.shape[0]
    R = np.zeros((2 * n, 2 * n))
    R[0::2, 0::2] = A.real
    R[0::2, 1::2] = -A.imag
    R[1::2, 0::2] = A.imag
    R[1::2, 1::2] = A.real
    return R


def jacobian_of_network(net: Network) -> np.ndarray:
    """Real 2N x 2N Jacobian J of a network of damped oscillators (``u' = J u``), in the
    coordinate order of ``rs.simulate``."""
    return to_real(complex_jacobian(net))


def noise_matrix(noise: Noise | Sequence[Noise], n: int, model=None) -> np.ndarray:
    r"""The diffusion matrix :math:`D` (2N x 2N, diagonal) of ``rs.forcing.Noise`` drives, read
    exactly as ``rs.simulate`` reads them: noise of intensity ``sigma`` (per sqrt of the time unit)
    on channel ``ux`` (``uy``) of node i adds ``sigma**2`` to :math:`D_{2i,2i}` (:math:`D_{2i+1,2i+1}`).
    Several drives on one channel add their sigmas, as in the integrator."""
    if isinstance(noise, Noise):
        noise = [noise]
    sig = np.zeros((n, 2))
    for d in noise:
        ch = d.channel or (model.drive_input if model is not None else "ux")
        if ch not in ("ux", "uy"):
            raise ParameterError(f"noise channel must be 'ux' or 'uy', got {ch!r}")
        sig[:, ("ux", "uy").index(ch)] += d.sigma * d.weights(n)
    return np.diag((sig ** 2).reshape(-1))


def states(result) -> np.ndarray:
    """A run's states as a (T, 2N) array in the order of :func:`jacobian_of_network`."""
    return result.data.reshape(result.data.shape[0], -1)


def stationary_covariance(J, D) -> np.ndarray:
    r"""Stationary covariance :math:`\Sigma` of :math:`\dot u = Ju + \xi`: the solution of the
    Lyapunov equation :math:`J\Sigma + \Sigma J^{*} = -D` (J must be stable)."""
    J = np.asarray(J)
    if not is_stable(J):
        raise ParameterError(f"J is not stable (max Re eigenvalue {spectral_abscissa(J):.3g}); "
                             "an unstable linear system has no stationary covariance")
    S = linalg.solve_continuous_lyapunov(J, -np.asarray(D))
    return 0.5 * (S + S.conj().T)


def resolvent(J, w) -> np.ndarray:
    r"""Transfer function :math:`H(\omega) = (i\omega I - J)^{-1}`; ``w`` in rad per time unit,
    scalar (returns n x n) or array (returns len(w) x n x n)."""
    J = np.asarray(J)
    I = np.eye(J.shape[0])
    w = np.asarray(w, dtype=float)
    if w.ndim == 0:
        return np.linalg.inv(1j * w * I - J)
    return np.linalg.inv(1j * w[:, None, None] * I[None] - J[None])


def cross_spectrum(J, D, w) -> np.ndarray:
    r"""Two-sided cross-spectral density :math:`S(\omega) = H(\omega) D H(\omega)^{*}` per unit
    angular frequency: :math:`S_{ab}(\omega) = \int \langle u_a(t+\tau) u_b(t)\rangle
    e^{-i\omega\tau} d\tau`, and :math:`\Sigma = \frac{1}{2\pi}\int_{-\infty}^{\infty} S\,d\omega`."""
    H = resolvent(J, w)
    return H @ np.asarray(D) @ np.conj(np.swapaxes(H, -1, -2))


def welch_cross_spectrum(J, D, f, seconds_per_unit: float = 1.0) -> np.ndarray:
    r"""The cross-spectrum in the convention of ``scipy.signal.csd`` (one-sided, per Hz):
    entry ``[a, b]`` at frequency ``f`` (Hz) is what ``csd(u[:, a], u[:, b], fs)`` estimates.

    scipy's one-sided density per Hz is :math:`2 S(2\pi f)` for :math:`f > 0` (the negative
    frequencies folded onto the positive ones; S per rad/s over :math:`2\pi`, times
    :math:`2\pi` from :math:`d\omega = 2\pi\,df`), and ``csd(x, y)`` averages
    :math:`\bar X Y`, which is :math:`S_{yx} = \overline{S_{xy}}`: hence the conjugate."""
    f = np.asarray(f, dtype=float)
    w = 2 * np.pi * f * seconds_per_unit
    S = cross_spectrum(J, D, w) * seconds_per_unit
    fold = np.where(f > 0, 2.0, 1.0)
    return np.conj(S) * (fold[:, None, None] if f.ndim else fold)


def covariance_shift(J, S, dJ, dD=None) -> np.ndarray:
    r"""First-order change :math:`\delta\Sigma` of the stationary covariance when
    :math:`J \to J + \delta J` (and :math:`D \to D + \delta D`): the solution of
    :math:`J\,\delta\Sigma + \delta\Sigma\,J^{*} = -(\delta J\,\Sigma + \Sigma\,\delta J^{*} + \delta D)`."""
    dJ = np.asarray(dJ)
    rhs = dJ @ S + S @ dJ.conj().T
    if dD is not None:
        rhs = rhs + np.asarray(dD)
    dS = linalg.solve_continuous_lyapunov(np.asarray(J), -rhs)
    return 0.5 * (dS + dS.conj().T)


def spectral_abscissa(J) -> float:
    """The largest real part of the eigenvalues of J (< 0: stable)."""
    return float(np.max(np.linalg.eigvals(np.asarray(J)).real))


def is_stable(J) -> bool:
    """True if every eigenvalue of J has a negative real part."""
    return spectral_abscissa(J) < 0.0


def half_width(w, P) -> float:
    """Half width at half maximum of the highest peak of a sampled spectrum ``P(w)``
    (linear interpolation between samples; ``nan`` if the half maximum is not crossed on both
    sides)."""
    w = np.asarray(w, dtype=float)
    P = np.asarray(P, dtype=float)
    k = int(np.argmax(P))
    h = 0.5 * P[k]
    left = np.nonzero(P[:k] < h)[0]
    right = np.nonzero(P[k:] < h)[0]
    if left.size == 0 or right.size == 0:
        return float("nan")
    i = left[-1]
    wl = np.interp(h, [P[i], P[i + 1]], [w[i], w[i + 1]])
    j = k + right[0]
    wr = np.interp(h, [P[j], P[j - 1]], [w[j], w[j - 1]])
    return float(0.5 * (wr - wl))
