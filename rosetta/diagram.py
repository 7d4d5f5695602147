"""Bifurcation diagrams: branches, special points, and one plotting style.

A :class:`Diagram` is what :func:`rosetta.bifurcation_diagram` returns. It holds

* :class:`Branch` objects: equilibrium branches (one observable value per point) and
  limit-cycle branches (the observable's max and min over the cycle, the period and the
  Floquet multipliers), each with a stability flag per point;
* :class:`SpecialPoint` objects: folds (``SN``), Hopf points (``HB+`` supercritical,
  ``HB-`` subcritical, with their frequency and first Lyapunov coefficient), folds of
  cycles (``SNLC``), saddle-node-on-invariant-circle and homoclinic ends (``SNIC``,
  ``HOM``), and, on two-parameter curves, cusps (``CP``) and Bogdanov-Takens points (``BT``).

Plot style: stable branches solid, unstable dashed, cycles drawn by their max and min,
special points labelled.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["SpecialPoint", "Branch", "Diagram", "observable_weights"]

#: label -> (marker, colour)
_MARKERS = {
    "SN": ("s", "#c0392b"), "LP": ("s", "#c0392b"), "SNIC": ("D", "#8e44ad"),
    "HB+": ("o", "#27ae60"), "HB-": ("o", "#e67e22"), "H": ("o", "#27ae60"),
    "SNLC": ("^", "#2c6fbb"), "LPC": ("^", "#2c6fbb"), "HOM": ("v", "#8e44ad"),
    "CP": ("*", "#111111"), "BT": ("P", "#111111"), "PD": ("x", "#111111"),
}


def observable_weights(model, observable) -> np.ndarray:
    """A linear observable as weights over the state: a state name, a dict of weights
    ({"y1": 1, "y2": -1} is y1 - y2) or a weight vector."""
    c = np.zeros(model.n_state)
    if observable is None:
        c[0] = 1.0
    elif isinstance(observable, str):
        c[model.state_index(observable)] = 1.0
    elif isinstance(observable, dict):
        for k, v in observable.items():
            c[model.state_index(k)] = float(v)
    else:
        c = np.asarray(observable, dtype=float)
        if c.shape != (model.n_state,):
            from .model import ParameterError
            raise ParameterError(f"{model.name}: observable weights need {model.n_state} values")
    return c


def observable_label(model, observable) -> str:
    if observable is None:
        return model.state[0]
    if isinstance(observable, str):
        return observable
    if isinstance(observable, dict):
        parts = []
        for k, v in observable.items():
            sign = "-" if v < 0 else "+"
            mag = "" if abs(v) == 1 else f"{abs(v):g} "
            parts.append(f"{sign} {mag}{k}")
        s = " ".join(parts)
        return s[2:] if s.startswith("+ ") else s
    return "observable"


@dataclass
class SpecialPoint:
    """A labelled point of a diagram.

    ``label``: SN, SNIC, HB+, HB-, SNLC, HOM, CP, BT. ``param``: the parameter value (a
    tuple for two-parameter points). ``state``: the equilibrium (or a point of the cycle).
    ``observable``: the observable there. ``frequency``: for a Hopf point, the angular
    frequency of the emerging oscillation (rad per model time unit). ``lyapunov``: the
    first Lyapunov coefficient (negative: supercritical). ``period``: cycles' period."""

    label: str
    param: float
    state: np.ndarray
    observable: float
    frequency: float | None = None
    lyapunov: float | None = None
    period: float | None = None
    branch: int = -1
    note: str = ""

    @property
    def frequency_hz(self):
        return None if self.frequency is None else self.frequency / (2 * np.pi)

    def __repr__(self):
        s = f"{self.label} at {self.param:.6g} (observable {self.observable:.4g}"
        if self.frequency is not None:
            s += f", omega {self.frequency:.4g}"
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
