"""Networks: N copies of a node model joined through their input ports.

Node i receives, on the channels its model names in ``coupling_inputs``,

* additive coupling: :math:`u_i = G\\sum_j \\hat C_{ij}\\, o_j(t - \\tau_{ij})`;
* diffusive coupling: :math:`u_i = G\\sum_j \\hat C_{ij}\\,[o_j(t - \\tau_{ij}) - o_i(t)]`,

where :math:`o_j` is what node j sends (the model's ``output``) and :math:`\\hat C` is the
structural matrix normalised by its spectral radius (``"max_eig"``), by its row sums
(``"row"``) or not at all (``None``). Delays come from a delay matrix (model time units)
or from tract lengths (mm) and a conduction velocity (m/s).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import numpy as np

from .model import Model, ParameterError
from .models import resolve as _get_model

__all__ = ["Network", "network", "normalize", "distance_graph"]

_NORMS = ("max_eig", "row", None)


def normalize(C, how="max_eig") -> np.ndarray:
    """Normalise a coupling matrix by its spectral radius ("max_eig") or row sums ("row")."""
    C = np.asarray(C, dtype=float)
    if how is None:
        return C.copy()
    if how == "max_eig":
        rho = np.max(np.abs(np.linalg.eigvals(C))) if C.size else 0.0
        return C / rho if rho > 0 else C.copy()
    if how == "row":
        s = C.sum(axis=1, keepdims=True)
        return np.divide(C, s, out=C.copy(), where=s != 0)
    raise ParameterError(f"normalize must be one of {_NORMS}, got {how!r}")


@dataclass(frozen=True, eq=False)
class Network:
    """A model, a coupling matrix and how the nodes talk. Build it with :func:`network`."""

    model: Model
    C: np.ndarray                       # structural matrix as given
    G: float
    normalization: str | None
    coupling: str                       # "additive" or "diffusive"
    delays: np.ndarray | None           # (N, N) in the model's time unit, or None
    params: dict = field(default_factory=dict)   # per-node parameter overrides

    @property
    def n(self) -> int:
        return self.C.shape[0]

    @property
    def weights(self) -> np.ndarray:
        """The effective matrix G * normalised C that multiplies the node outputs."""
        return self.G * normalize(self.C, self.normalization)

    def with_(self, **changes) -> "Network":
        """A copy with some fields changed (G, coupling, params, ...), re-validated."""
        kw = dict(C=self.C, G=self.G, normalize=self.normalization, coupling=self.coupling,
                  delays=self.delays, params=self.params)
        if "normalization" in changes:
            changes["normalize"] = changes.pop("normalization")
        kw.update(changes)
        return network(self.model, **kw)

    def __repr__(self):
        d = "no delays" if self.delays is None else f"delays up to {self.delays.max():.3g} {self.model.time_unit}"
        return (f"<Network of {self.n} {self.model.name} nodes, {self.coupling} coupling, "
                f"G = {self.G:g}, normalised by {self.normalization}, {d}>")


def network(model, C, G: float = 1.0, normalize: str | None = "max_eig",
            coupling: str | None = None, delays=None, lengths=None, velocity=None,
            params: Mapping | None = None) -> Network:
    """Build a network of ``model`` nodes joined by the coupling matrix ``C``.

    Parameters
    ----------
    model : Model or str
        The node model (or its registry name).
    C : (N, N) array
        Structural connectivity, C[i, j] the weight from node j onto node i.
    G : float
        Global coupling gain.
    normalize : "max_eig", "row" or None
        How C is normalised before G multiplies it.
    coupling : "additive" or "diffusive"
        Default: the model's own.
    delays : (N, N) array, optional
        Transmission delays in the model's time unit.
    lengths, velocity : (N, N) array in mm, float in m/s, optional
        Tract lengths and conduction velocity; delays = lengths / velocity.
    params : mapping, optional
        Per-node parameters: each value a scalar or an array of length N.
    """
    model = _get_model(model)
    C = np.asarray(C, dtype=float)
    if C.ndim != 2 or C.shape[0] != C.shape[1] or C.shape[0] < 1:
        raise ParameterError(f"coupling matrix C must be square (N, N) with N >= 1, got shape {C.shape}")
    if not np.all(np.isfinite(C)):
        raise ParameterError("coupling matrix C must be finite")
    if not np.isfinite(G):
        raise ParameterError(f"G must be finite, got {G!r}")
    if normalize not in _NORMS:
        raise ParameterError(f"normalize must be one of {_NORMS}, got {normalize!r}")
    coupling = coupling or model.coupling
    if coupling not in ("additive", "diffusive"):
        raise ParameterError(f"coupling must be 'additive' or 'diffusive', got {coupling!r}")
    n = C.shape[0]
    if lengths is not None or velocity is not None:
        if delays is not None:
            raise ParameterError("give delays, or lengths and velocity, not both")
        if lengths is None or velocity is None:
            raise ParameterError("delays from tracts need both lengths (mm) and velocity (m/s)")
        if not (np.isfinite(velocity) and velocity > 0):
            raise ParameterError(f"velocity must be a positive number of m/s, got {velocity!r}")
        lengths = np.asarray(lengths, dtype=float)
        if lengths.shape != C.shape:
            raise ParameterError(f"lengths must have the shape of C {C.shape}, got {lengths.shape}")
        delays = lengths * 1e-3 / velocity / model.seconds_per_unit
    if delays is not None:
        delays = np.asarray(delays, dtype=float)
        if delays.shape != C.shape:
            raise ParameterError(f"delays must have the shape of C {C.shape}, got {delays.shape}")
        if not np.all(np.isfinite(delays)) or np.any(delays < 0):
            raise ParameterError("delays (and tract lengths) must be finite and >= 0")
        delays = delays.copy()
    params = dict(params or {})
    model.params(params, n)            # validates names, values and lengths now
    return Network(model, C.copy(), float(G), normalize, coupling, delays, params)


def distance_graph(n: int, seed: int = 0, scale: float = 40.0, size: float = 100.0):
    """A synthetic connectome: n nodes at random points in a cube of side ``size`` mm,
    weights exp(-d/scale) (no self-loops), symmetric. Returns (C, lengths in mm)."""
    rng = np.random.default_rng(seed)
    pos = rng.uniform(0, size, (n, 3))
    d = np.sqrt(((pos[:, None, :] - pos[None, :, :]) ** 2).sum(-1))
    C = np.exp(-d / scale)
    np.fill_diagonal(C, 0.0)
    return C, d
