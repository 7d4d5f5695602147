"""Bifurcation diagrams: branches, special points, and one plotting style.

A :class:`Diagram` is what :func:`rosetta.bifurcation_diagram` returns. It holds

* :class:`Branch` objects: equilibrium branches (one observable value per point) and
  limit-cycle branches (the observable's max and min over the cycle, the period and the
  Floquet multipliers), each with a stability flag per point;
* :class:`SpecialPoint` objects: folds (``SN``), Hopf points (``HB+`` supercritical,
  ``HB-`` subcritical, with their frequency in Hz and first Lyapunov coefficient), folds of
  cycles (``SNLC``), saddle-node-on-invariant-circle and homoclinic ends (``SNIC``,
  ``HOM``), and, on two-parameter curves, cusps (``CP``) and Bogdanov-Takens points (``BT``).

Plot style: stable branches solid, unstable dashed, cycles drawn by their max and min,
special points labelled.
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["SpecialPoint", "Branch", "Diagram", "observable", "observable_weights",
           "observable_label"]

#: label -> (marker, colour)
_MARKERS = {
    "SN": ("s", "#c0392b"), "LP": ("s", "#c0392b"), "SNIC": ("D", "#8e44ad"),
    "HB+": ("o", "#27ae60"), "HB-": ("o", "#e67e22"), "H": ("o", "#27ae60"),
    "SNLC": ("^", "#2c6fbb"), "LPC": ("^", "#2c6fbb"), "HOM": ("v", "#8e44ad"),
    "CP": ("*", "#111111"), "BT": ("P", "#111111"), "PD": ("x", "#111111"),
}


def observable(model, spec=None) -> tuple[np.ndarray, str]:
    """The one parser of linear observables: ``(c, label)`` with ``c @ x`` the observable.

    ``spec`` is a state name (``"x"``), a dict of weights over state names
    (``{"y1": 1, "y2": -1}`` is y1 - y2, labelled ``"y1 - y2"``), a vector of one weight
    per state variable, or None (the first state variable). Weights must be finite and not
    all zero; an unknown name raises :class:`~rosetta.ParameterError` listing the valid
    ones. Used by the diagrams, the cycles and the brute-force sweeps alike."""
    from .model import ParameterError
    if spec is None:
        spec = model.state[0]
    if isinstance(spec, str):
        c = np.zeros(model.n_state)
        c[model.state_index(spec)] = 1.0
        return c, spec
    if isinstance(spec, Mapping):
        if not spec:
            raise ParameterError("observable: the dict of weights over state names is empty")
        items = list(spec.items())
        for name, _ in items:
            model.state_index(name)                 # unknown names: ParameterError
    elif isinstance(spec, (Sequence, np.ndarray)) and not isinstance(spec, bytes):
        try:
            ndim = np.ndim(spec)
        except (TypeError, ValueError):           # a ragged nesting
            ndim = -1
        w = list(np.asarray(spec, dtype=object).reshape(-1)) if ndim > 0 else []
        if ndim != 1 or len(w) != model.n_state:
            raise ParameterError(f"{model.name}: an observable given as weights needs one per "
                                 f"state variable ({', '.join(model.state)}), got "
                                 f"{'a ragged list' if ndim < 0 else f'shape {np.shape(spec)}'}")
        items = list(zip(model.state, w))
    else:
        raise ParameterError(f"observable must be a state name ({', '.join(model.state)}), a "
                             f"dict of weights over state names or a vector of weights, got "
                             f"{type(spec).__name__}")
    c = np.zeros(model.n_state)
    for name, w in items:
        if not (isinstance(w, numbers.Real) and not isinstance(w, bool) and math.isfinite(w)):
            raise ParameterError(f"observable: the weight of {name!r} must be a finite number, "
                                 f"got {w!r}")
        c[model.state_index(name)] += float(w)
    if not np.any(c != 0):
        shown = dict(spec) if isinstance(spec, Mapping) else list(c)
        raise ParameterError(f"observable: the weights {shown!r} are all zero")
    terms = []
    for name, w in items:
        w = float(w)
        if w == 0.0:
            continue
        mag = "" if abs(w) == 1 else f"{abs(w):g} "
        terms.append(("- " if w < 0 else "+ ") + mag + name)
    label = " ".join(terms)
    label = label[2:] if label.startswith("+ ") else "-" + label[2:]
    return c, label


def observable_weights(model, spec=None) -> np.ndarray:
    """The weights ``c`` of :func:`observable` (``c @ x`` is the observable)."""
    return observable(model, spec)[0]


def observable_label(model, spec=None) -> str:
    """The label of :func:`observable`, such as ``"y1 - y2"``."""
    return observable(model, spec)[1]


@dataclass
class SpecialPoint:
    """A labelled point of a diagram.

    ``label``: SN, SNIC, HB+, HB-, SNLC, HOM, PD, CP, BT. ``param``: the parameter value (a
    tuple for two-parameter points). ``state``: the equilibrium (or a point of the cycle).
    ``observable``: the observable there. ``frequency``: for a Hopf point, the frequency of
    the emerging oscillation in Hz (for models in s and in ms alike). ``lyapunov``: the
    first Lyapunov coefficient (negative: supercritical). ``period``: a cycle's period, in
    the model's time unit. ``omega``: for a Hopf point, the same frequency as an angular
    frequency in rad per model time unit (the imaginary part of the critical eigenvalues,
    what :func:`rosetta.cycles.continue_cycles` starts from); a point built by hand may
    give ``frequency`` alone."""

    label: str
    param: float
    state: np.ndarray
    observable: float
    frequency: float | None = None
    lyapunov: float | None = None
    period: float | None = None
    branch: int = -1
    note: str = ""
    omega: float | None = None

    def angular_frequency(self, model) -> float | None:
        """omega in rad per model time unit: ``omega`` if set, else from ``frequency`` (Hz)."""
        if self.omega is not None:
            return float(self.omega)
        if self.frequency is None:
            return None
        return 2 * np.pi * float(self.frequency) * model.seconds_per_unit

    def __repr__(self):
        where = (", ".join(f"{v:.6g}" for v in self.param) if isinstance(self.param, tuple)
                 else f"{self.param:.6g}")
        s = f"{self.label} at {where} (observable {self.observable:.4g}"
        if self.frequency is not None:
            s += f", {self.frequency:.4g} Hz"
        if self.lyapunov is not None:
            s += f", l1 {self.lyapunov:.3g}"
        if self.period is not None:
            s += f", period {self.period:.4g}"
        return s + ")"


@dataclass
class Branch:
    """A continued branch. For equilibria ``obs_max == obs_min`` is the observable; for
    cycles they are its extremes over the orbit. ``states``: equilibria (n, n_state) or,
    for cycles, one point on each orbit."""

    kind: str                      # "equilibrium" or "cycle"
    param: np.ndarray
    states: np.ndarray
    obs_max: np.ndarray
    obs_min: np.ndarray
    stable: np.ndarray
    period: np.ndarray | None = None
    multipliers: list | None = None
    eigenvalues: list | None = None
    extra: dict = field(default_factory=dict)

    @property
    def observable(self):
        return self.obs_max

    def __len__(self):
        return len(self.param)


@dataclass
class Diagram:
    """Branches and special points of a one-parameter bifurcation diagram."""

    model: object
    parameter: str
    observable: object
    params: dict
    branches: list = field(default_factory=list)
    points: list = field(default_factory=list)

    def special(self, label: str | None = None) -> list:
        """Special points sorted by parameter, optionally only those with ``label``."""
        pts = [p for p in self.points if label is None or p.label == label]
        return sorted(pts, key=lambda p: p.param)

    @property
    def equilibria(self):
        return [b for b in self.branches if b.kind == "equilibrium"]

    @property
    def cycles(self):
        return [b for b in self.branches if b.kind == "cycle"]

    def summary(self) -> str:
        return "\n".join(repr(p) for p in self.special())

    def plot(self, ax=None, labels: bool = True, xlim=None, ylim=None):
        """Stable solid, unstable dashed, cycles by max/min, special points labelled."""
        from .plotting import figure
        if ax is None:
            _, ax = figure(width=6.5, height=4.0)
        eq_color, cyc_color = "#111111", "#2c6fbb"
        for b in self.branches:
            color = eq_color if b.kind == "equilibrium" else cyc_color
            series = [b.obs_max] if b.kind == "equilibrium" else [b.obs_max, b.obs_min]
            for y in series:
                _plot_by_stability(ax, b.param, y, b.stable, color)
        if labels:
            seen = set()
            for p in self.special():
                mk, col = _MARKERS.get(p.label, ("o", "k"))
                ax.plot(p.param, p.observable, mk, color=col, ms=7, mec="white", mew=0.8,
                        zorder=5, label=p.label if p.label not in seen else None)
                seen.add(p.label)
                ax.annotate(p.label, (p.param, p.observable), textcoords="offset points",
                            xytext=(4, 6), fontsize=8, color=col)
        par = self.model.parameter(self.parameter)
        unit = f" ({par.unit})" if par.unit not in ("", "1") else ""
        ax.set_xlabel(f"{self.parameter}{unit}")
        ax.set_ylabel(observable_label(self.model, self.observable))
        if xlim is not None:
            ax.set_xlim(xlim)
        if ylim is not None:
            ax.set_ylim(ylim)
        from matplotlib.lines import Line2D
        handles = [Line2D([], [], color=eq_color, label="stable equilibria"),
                   Line2D([], [], color=eq_color, ls="--", label="unstable equilibria")]
        if self.cycles:
            handles += [Line2D([], [], color=cyc_color, label="stable cycle (max/min)"),
                        Line2D([], [], color=cyc_color, ls="--", label="unstable cycle")]
        ax.legend(handles=handles, loc="best", fontsize=8)
        return ax


def _plot_by_stability(ax, x, y, stable, color):
    """Draw a curve solid where ``stable`` and dashed elsewhere, joining the pieces."""
    x = np.asarray(x)
    y = np.asarray(y)
    stable = np.asarray(stable, dtype=bool)
    if len(x) == 0:
        return
    start = 0
    for k in range(1, len(x) + 1):
        if k == len(x) or stable[k] != stable[start]:
            end = min(k + 1, len(x))
            ax.plot(x[start:end], y[start:end], color=color, lw=1.6 if stable[start] else 1.2,
                    ls="-" if stable[start] else "--")
            start = k
