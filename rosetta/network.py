r"""Networks: N copies of a node model wired by projections.

A **projection** carries one named output of every node to one named input of every
node: ``source -> target``. Node i receives on input ``target``

* additive form: :math:`u_i = G g \sum_j \hat W_{ij}\, o_j(t - \tau_{ij})`;
* diffusive form: :math:`u_i = G g \sum_j \hat W_{ij}\,[o_j(t - \tau_{ij}) - o_i(t)]`,

where :math:`o_j` is the ``source`` output of node j (the model's ``output``),
:math:`\hat W` the projection's weights (default: the network's C) normalised by their
spectral radius (``"max_eig"``), their row sums (``"row"``) or not at all (``None``),
:math:`G` the network's global gain and :math:`g` the projection's own gain. Delays come
from a delay matrix (model time units) or from tract lengths (mm) and a conduction
velocity (m/s), per projection or for the whole network.

Without ``projections``, a network uses the model's declared defaults
(``model.projections``) with the network's C, G, normalisation, form and delays: a
Stuart-Landau network sends (x, y) onto (ux, uy), a Jansen-Rit network the pyramidal rate
onto P. Several projections wire populations: Wilson-Cowan with long-range E->E and E->I
is ``[Projection("x", "x"), Projection("x", "y", gain=0.5)]``.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field, replace
from typing import Mapping, Sequence

import numpy as np

from .model import Model, ParameterError, real_array, shown
from .models import resolve as _get_model

__all__ = ["Network", "Projection", "network", "normalize", "distance_graph"]

_NORMS = ("max_eig", "row", None)
_FORMS = ("additive", "diffusive")
_UNSET = "network"            # a projection field left to the network's value


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
class Projection:
    """One pathway ``source output -> target input`` between the nodes of a network.

    Fields left at their defaults take the network's value: ``weights`` (its C),
    ``normalize``, ``coupling`` (the form: "additive" or "diffusive"), and the delays
    (``delays``, or ``lengths`` in mm with ``velocity`` in m/s). ``gain`` multiplies the
    network's G for this projection only (0 switches it off).
    """

    source: str
    target: str
    weights: np.ndarray | None = None
    gain: float = 1.0
    normalize: str | None = _UNSET
    coupling: str | None = None
    delays: np.ndarray | None = None
    lengths: np.ndarray | None = None
    velocity: float | None = None

    @property
    def name(self) -> str:
        return f"{self.source} -> {self.target}"


def _is_real(v) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def _matrix(a, name, shape) -> np.ndarray:
    """A real (N, N) matrix, checked (booleans pass: an adjacency matrix)."""
    try:
        complex_ = np.iscomplexobj(a)
    except (TypeError, ValueError):
        complex_ = False
    if complex_:
        raise ParameterError(f"{name} must be real, got a complex matrix (a lag between "
                             f"populations goes into the model's parameters, not the weights)")
    a = real_array(a, name, allow_bool=True)
    if shape is None:
        if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] < 1:
            raise ParameterError(f"{name} must be square (N, N) with N >= 1, got shape {a.shape}")
    elif a.shape != shape:
        raise ParameterError(f"{name} must have the shape of C {shape}, got {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ParameterError(f"{name} must be finite")
    return a.copy()


def _delays(model, shape, delays, lengths, velocity, where) -> tuple:
    """(delays in model time units or None, lengths or None, velocity or None)."""
    if lengths is not None or velocity is not None:
        if delays is not None:
            raise ParameterError(f"{where}: give delays, or lengths and velocity, not both")
        if lengths is None or velocity is None:
            raise ParameterError(f"{where}: delays from tracts need both lengths (mm) and "
                                 f"velocity (m/s)")
        if not (_is_real(velocity) and math.isfinite(velocity) and velocity > 0):
            raise ParameterError(f"{where}: velocity must be a positive number of m/s, "
                                 f"got {shown(velocity)}")
        lengths = _matrix(lengths, f"{where}: lengths", shape)
        if np.any(lengths < 0):
            raise ParameterError(f"{where}: tract lengths must be >= 0 mm")
        with np.errstate(over="ignore"):
            delays = lengths * 1e-3 / velocity / model.seconds_per_unit
        if not np.all(np.isfinite(delays)):
            raise ParameterError(f"{where}: lengths (mm) / velocity ({velocity:g} m/s) give "
                                 f"delays too long to represent; check the units (lengths in "
                                 f"mm, velocity in m/s)")
        return delays, lengths, float(velocity)
    if delays is not None:
        delays = _matrix(delays, f"{where}: delays", shape)
        if np.any(delays < 0):
            raise ParameterError(f"{where}: delays must be >= 0")
        return delays, None, None
    return None, None, None


@dataclass(frozen=True, eq=False)
class Network:
    """A model, its structural matrix and the projections that wire the nodes. Build it
    with :func:`network`; ``projections`` holds every projection fully resolved."""

    model: Model
    C: np.ndarray                       # structural matrix as given
    G: float
    normalization: str | None
    coupling: str                       # the network's default form
    delays: np.ndarray | None           # (N, N) in the model's time unit, or None
    params: dict = field(default_factory=dict)   # per-node parameter overrides
    projections: tuple = ()             # resolved Projection objects
    lengths: np.ndarray | None = None   # tract lengths (mm) the delays came from
    velocity: float | None = None       # conduction velocity (m/s) the delays came from
    _given: tuple | None = None         # the projections as the caller gave them

    @property
    def n(self) -> int:
        return self.C.shape[0]

    @property
    def weights(self) -> np.ndarray:
        """The effective matrix G * normalised C of the network's own C (what the model's
        default projections multiply the node outputs by)."""
        return self.G * normalize(self.C, self.normalization)

    def projection_weights(self, index: int = 0) -> np.ndarray:
        """The effective matrix G * gain * normalised weights of one projection."""
        p = self.projections[index]
        return self.G * p.gain * normalize(p.weights, p.normalize)

    @property
    def uses_default_projections(self) -> bool:
        return self._given is None

    def with_(self, **changes) -> "Network":
        """A copy with some fields changed (G, velocity, coupling, params, ...), re-validated.
        A new ``velocity`` re-times every projection whose delays come from tract lengths."""
        kw = dict(C=self.C, G=self.G, normalize=self.normalization, coupling=self.coupling,
                  params=self.params, projections=self._given)
        if self.lengths is not None:
            kw.update(lengths=self.lengths, velocity=self.velocity)
        else:
            kw.update(delays=self.delays)
        if "normalization" in changes:
            changes["normalize"] = changes.pop("normalization")
        if "velocity" in changes and kw.get("projections"):
            v = changes["velocity"]
            kw["projections"] = [replace(p, velocity=v) if p.lengths is not None else p
                                 for p in kw["projections"]]
        if "delays" in changes:
            kw.pop("lengths", None)
            kw.pop("velocity", None)
        if "lengths" in changes and "delays" in kw:
            kw.pop("delays")
        kw.update(changes)
        return network(self.model, **kw)

    def __repr__(self):
        d = "no delays" if self.delays is None else f"delays up to {self.delays.max():.3g} {self.model.time_unit}"
        proj = ", ".join(p.name for p in self.projections)
        return (f"<Network of {self.n} {self.model.name} nodes, projections {proj}, "
                f"{self.coupling} coupling, G = {self.G:g}, normalised by {self.normalization}, {d}>")


def network(model, C, G: float = 1.0, normalize: str | None = "max_eig",
            coupling: str | None = None, delays=None, lengths=None, velocity=None,
            params: Mapping | None = None,
            projections: Sequence[Projection] | None = None) -> Network:
    """Build a network of ``model`` nodes joined by the coupling matrix ``C``.

    Parameters
    ----------
    model : Model or str
        The node model (or its registry name).
    C : (N, N) array
        Structural connectivity, C[i, j] the weight from node j onto node i.
    G : float
        Global coupling gain (multiplies every projection).
    normalize : "max_eig", "row" or None
        How C (and a projection's weights) is normalised before the gains multiply it.
    coupling : "additive" or "diffusive"
        Default form of the projections; default: the model's own.
    delays : (N, N) array, optional
        Transmission delays in the model's time unit.
    lengths, velocity : (N, N) array in mm, float in m/s, optional
        Tract lengths and conduction velocity; delays = lengths / velocity.
    params : mapping, optional
        Per-node parameters: each value a scalar or an array of length N.
    projections : list of Projection, optional
        The wiring; default the model's declared ``projections`` with the settings above.
    """
    model = _get_model(model)
    if params is not None and not isinstance(params, Mapping):
        model.records(params)              # raises: params must be a dict, naming it
    C = _matrix(C, "coupling matrix C", None)
    if not (_is_real(G) and math.isfinite(G)):
        raise ParameterError(f"G must be a finite number (the global coupling gain), got "
                             f"{shown(G)}")
    if not (normalize is None or isinstance(normalize, str)) or normalize not in _NORMS:
        raise ParameterError(f"normalize must be one of {_NORMS}, got {shown(normalize)}")
    if coupling is not None and not isinstance(coupling, str):
        raise ParameterError(f"coupling must be 'additive' or 'diffusive', got {shown(coupling)}")
    coupling = coupling or model.coupling
    if coupling not in _FORMS:
        raise ParameterError(f"coupling must be 'additive' or 'diffusive', got {coupling!r}")
    n = C.shape[0]
    net_delays, net_lengths, net_velocity = _delays(model, C.shape, delays, lengths, velocity,
                                                    "network")
    params = dict(params or {})
    model.records(params, n)           # validates names, values and lengths now

    given = None
    if projections is None:
        todo = [Projection(s, t) for s, t in model.projections]
    else:
        if isinstance(projections, Projection):
            projections = [projections]
        if not isinstance(projections, (list, tuple)):
            raise ParameterError(f"projections must be a list of rosetta.Projection objects, "
                                 f"got {type(projections).__name__}")
        given = tuple(projections)
        todo = list(given)
        for p in todo:
            if not isinstance(p, Projection):
                raise ParameterError(f"projections must be rosetta.Projection objects, "
                                     f"got {type(p).__name__}")
    resolved = []
    for p in todo:
        if not (isinstance(p.source, str) and isinstance(p.target, str)):
            raise ParameterError(f"a projection's source and target must be names (strings): "
                                 f"an output ({', '.join(model.outputs)}) and an input "
                                 f"({', '.join(model.inputs)}), got {shown(p.source)} -> "
                                 f"{shown(p.target)}")
        model.output_index(p.source)
        model.input_index(p.target)
        where = f"projection {p.name}"
        W = C if p.weights is None else _matrix(p.weights, f"{where}: weights", C.shape)
        if not (_is_real(p.gain) and math.isfinite(p.gain)):
            raise ParameterError(f"{where}: gain must be a finite number, got {p.gain!r}")
        unset = isinstance(p.normalize, str) and p.normalize == _UNSET
        norm = normalize if unset else p.normalize
        if not (norm is None or isinstance(norm, str)) or norm not in _NORMS:
            raise ParameterError(f"{where}: normalize must be one of {_NORMS}, got {norm!r}")
        form = coupling if p.coupling is None else p.coupling
        if not isinstance(form, str) or form not in _FORMS:
            raise ParameterError(f"{where}: coupling must be 'additive' or 'diffusive', got {form!r}")
        if p.delays is None and p.lengths is None and p.velocity is None:
            d, ln, v = net_delays, net_lengths, net_velocity
        else:
            d, ln, v = _delays(model, C.shape, p.delays, p.lengths, p.velocity, where)
        resolved.append(Projection(p.source, p.target, W, float(p.gain), norm, form, d, ln, v))
    return Network(model, C, float(G), normalize, coupling, net_delays, params,
                   tuple(resolved), net_lengths, net_velocity, given)


def distance_graph(n: int, seed: int = 0, scale: float = 40.0, size: float = 100.0):
    """A synthetic connectome: n nodes at random points in a cube of side ``size`` mm,
    weights exp(-d/scale) (no self-loops), symmetric. Returns (C, lengths in mm)."""
    rng = np.random.default_rng(seed)
    pos = rng.uniform(0, size, (n, 3))
    d = np.sqrt(((pos[:, None, :] - pos[None, :, :]) ** 2).sum(-1))
    C = np.exp(-d / scale)
    np.fill_diagonal(C, 0.0)
    return C, d
