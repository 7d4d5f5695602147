"""One figure style for the book: time series, phase portraits and their annotations.

Every helper draws into a matplotlib Axes it is given (or a new one) and returns it, so
chapters compose panels freely. The style uses only matplotlib's bundled fonts: nothing
is fetched while the book executes.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from . import kernels
from .model import Model

__all__ = ["use_style", "COLORS", "figure", "timeseries", "vector_field", "nullclines",
           "phase_portrait", "stamp", "field_grid"]

COLORS = {"x": "#c0392b", "y": "#2c6fbb", "drive": "#7f8c8d", "accent": "#e67e22",
          "theory": "#111111", "sim": "#2c6fbb", "stable": "#111111", "unstable": "#999999"}

STYLE = {
    "figure.figsize": (7.0, 3.4),
    "figure.dpi": 100,
    "savefig.dpi": 120,
    "font.size": 10,
    "axes.titlesize": 10,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "legend.frameon": False,
    "legend.fontsize": 9,
    "lines.linewidth": 1.4,
    "axes.prop_cycle": mpl.cycler(color=["#2c6fbb", "#c0392b", "#27ae60", "#8e44ad",
                                         "#e67e22", "#16a085", "#7f8c8d"]),
    "figure.constrained_layout.use": True,
}


def use_style() -> None:
    """Apply the book's style to matplotlib (idempotent)."""
    mpl.rcParams.update(STYLE)


def figure(ncols: int = 1, nrows: int = 1, width: float = 7.0, height: float = 3.4, **kw):
    """A new figure in the book's style: returns (fig, axes)."""
    use_style()
    return plt.subplots(nrows, ncols, figsize=(width, height), **kw)


def stamp(ax, result=None, text: str | None = None) -> None:
    """Write the integrator, dt and seed of a run (or ``text``) in the corner of ``ax``."""
    s = text if text is not None else result.describe()
    ax.text(0.995, 0.01, s, transform=ax.transAxes, ha="right", va="bottom",
            fontsize=7, color="#444444",
            bbox=dict(facecolor="white", alpha=0.75, edgecolor="none", pad=1.0))


def timeseries(result, names: Sequence[str] | None = None, ax=None, nodes=None,
               labels: Mapping | None = None, **kw):
    """Plot state variables of a run against time."""
    if ax is None:
        _, ax = figure()
    names = names or result.model.state
    for name in names:
        y = result[name]
        lab = (labels or {}).get(name, name)
        if y.ndim == 1:
            ax.plot(result.t, y, label=lab, color=COLORS.get(name), **kw)
        else:
            sel = range(y.shape[1]) if nodes is None else nodes
            for i in sel:
                ax.plot(result.t, y[:, i], lw=0.8, **kw)
    ax.set_xlabel(f"time ({result.model.time_unit})")
    if len(names) > 1 and result["x" if "x" in names else names[0]].ndim == 1:
        ax.legend(loc="upper right")
    return ax


def field_grid(model: Model, xlim, ylim, params: Mapping | None = None, u=None,
               n: int = 21, axes=(0, 1), fixed=None):
    """The vector field on an n x n grid of the plane spanned by two state variables.

    Other state variables are held at ``fixed`` (default: middle of their ranges).
    Returns (X, Y, DX, DY)."""
    xs = np.linspace(*xlim, n)
    ys = np.linspace(*ylim, n)
    X, Y = np.meshgrid(xs, ys)
    base = (np.array([(lo + hi) / 2 for lo, hi in model.state_range]) if fixed is None
            else np.asarray(fixed, dtype=float).copy())
    pts = np.tile(base, (X.size, 1))
    pts[:, axes[0]] = X.ravel()
    pts[:, axes[1]] = Y.ravel()
    P = model.records(params, 1)
    uu = model.input_vector(u)
    D = kernels.for_model(model).field_on_points(np.ascontiguousarray(pts), P[0], uu)
    return X, Y, D[:, axes[0]].reshape(X.shape), D[:, axes[1]].reshape(X.shape)


def vector_field(model: Model, xlim, ylim, params=None, u=None, ax=None, n: int = 17,
                 axes=(0, 1), fixed=None, color="#9aa5b1"):
    """Draw the (normalised) direction field of a 2-D model or a 2-D slice of a larger one."""
    if ax is None:
        _, ax = figure(width=4, height=4)
    X, Y, DX, DY = field_grid(model, xlim, ylim, params, u, n, axes, fixed)
    speed = np.hypot(DX, DY)
    with np.errstate(invalid="ignore", divide="ignore"):
        ax.quiver(X, Y, np.where(speed > 0, DX / speed, 0), np.where(speed > 0, DY / speed, 0),
                  color=color, angles="xy", pivot="mid", scale=n * 1.6, width=0.004)
    ax.set_xlabel(model.state[axes[0]])
    ax.set_ylabel(model.state[axes[1]])
    return ax


def nullclines(model: Model, xlim, ylim, params=None, u=None, ax=None, n: int = 201,
               axes=(0, 1), fixed=None):
    """Draw the nullclines (zero contours of each derivative) of a 2-D slice."""
    if ax is None:
        _, ax = figure(width=4, height=4)
    X, Y, DX, DY = field_grid(model, xlim, ylim, params, u, n, axes, fixed)
    a = model.state[axes[0]]
    b = model.state[axes[1]]
    cx = ax.contour(X, Y, DX, levels=[0.0], colors=[COLORS["x"]], linewidths=1.2)
    cy = ax.contour(X, Y, DY, levels=[0.0], colors=[COLORS["y"]], linewidths=1.2)
    handles = []
    from matplotlib.lines import Line2D
    handles.append(Line2D([], [], color=COLORS["x"], label=f"{a}-nullcline"))
    handles.append(Line2D([], [], color=COLORS["y"], label=f"{b}-nullcline"))
    return ax, handles, (cx, cy)


def phase_portrait(model: Model, xlim, ylim, params=None, u=None, trajectories=(),
                   ax=None, field: bool = True, show_nullclines: bool = True, axes=(0, 1),
                   fixed=None, legend: bool = True):
    """A phase portrait: direction field, nullclines and given trajectories.

    ``trajectories`` is a sequence of Result objects (or (x, y) array pairs)."""
    if ax is None:
        _, ax = figure(width=4.2, height=4.0)
    if field:
        vector_field(model, xlim, ylim, params, u, ax=ax, axes=axes, fixed=fixed)
    handles = []
    if show_nullclines:
        _, handles, _ = nullclines(model, xlim, ylim, params, u, ax=ax, axes=axes, fixed=fixed)
    for tr in trajectories:
        if hasattr(tr, "model"):
            xa, ya = tr[model.state[axes[0]]], tr[model.state[axes[1]]]
        else:
            xa, ya = tr
        (ln,) = ax.plot(xa, ya, lw=1.3)
        ax.plot(xa[0], ya[0], "o", ms=4, color=ln.get_color())
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    if model.n_state > 2:
        # a 2-D slice of a larger model: say where the other variables are held
        base = (np.array([(lo + hi) / 2 for lo, hi in model.state_range]) if fixed is None
                else np.asarray(fixed, dtype=float))
        held = [f"{model.state[k]} = {base[k]:.3g}" for k in range(model.n_state) if k not in axes]
        ax.set_title("slice with " + ", ".join(held) + " fixed", fontsize=8)
    else:
        ax.set_aspect("equal", adjustable="box")
    if legend and handles:
        ax.legend(handles=handles, loc="upper right", fontsize=8)
    return ax
