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
           "ladder_figure", "ladder_models", "rosetta_map",
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


# ----------------------------------------------------------------------------- the ladder
def ladder_models() -> list:
    """The registered models that stand for a rung in the ladder figure (those that
    declare a ``ladder.column``), in rung order."""
    from . import models
    cols = [models[n] for n in models if models[n].ladder is not None
            and models[n].ladder.column is not None]
    return sorted(cols, key=lambda m: m.ladder.rung)


def _portrait_series(model, spec):
    """The (a, b) series of each run of a ladder portrait: state or output names."""
    from .integrate import simulate
    runs = []
    for x0 in spec["x0"]:
        res = simulate(model, spec["duration"], spec["dt"], params=spec.get("params"), x0=x0)
        keep = res.t >= spec.get("transient", 0.0)
        pair = []
        for name in spec["axes"]:
            v = res[name] if name in model.state else res.output(name)
            pair.append(v[keep])
        runs.append(pair)
    return runs


def ladder_figure(width: float = 13.5, height: float = 4.6):
    """The paper's ladder overview, computed: one column per rung (the registered models
    that declare a ``ladder.column``), a phase portrait integrated from the model's own
    equations on top and its bifurcation diagram below (none where ``ladder.diagram`` is
    None). Returns (fig, axes (2, n_columns), diagrams {model name: Diagram})."""
    from .bifurcation import bifurcation_diagram
    cols = ladder_models()
    fig, axes = figure(len(cols), 2, width=width, height=height, squeeze=False)
    diagrams = {}
    for j, m in enumerate(cols):
        lad = m.ladder
        top, bottom = axes[0, j], axes[1, j]
        spec = lad.portrait
        for k, (a, b) in enumerate(_portrait_series(m, spec)):
            top.plot(a, b, lw=1.0, color=("#2c6fbb", "#c0392b")[k % 2])
            top.plot(a[0], b[0], "o", ms=3, color=("#2c6fbb", "#c0392b")[k % 2])
        top.set_title(f"({lad.rung}) {lad.column}", fontsize=9)
        top.set_xlabel(spec["axes"][0], fontsize=8, labelpad=1)
        top.set_ylabel(spec["axes"][1], fontsize=8, labelpad=1)
        top.tick_params(labelsize=7)
        if lad.diagram is None:
            bottom.axis("off")
            bottom.text(0.5, 0.5, "no bifurcation:\nthe phase only rotates", ha="center",
                        va="center", fontsize=8, color="#555555", transform=bottom.transAxes)
            continue
        kw = dict(lad.diagram)
        par = kw.pop("parameter")
        rng = kw.pop("p_range")
        d = bifurcation_diagram(m, par, rng, **kw)
        diagrams[m.name] = d
        linear = kw.get("cycles", True) is False
        d.plot(ax=bottom, labels=not linear)
        bottom.get_legend().remove()
        if linear:           # a linear model: a centre at the crossing, no cycle selected
            for q in d.special():
                at = 0.0 if abs(q.param) < 1e-9 * (rng[1] - rng[0]) else q.param
                bottom.plot(q.param, q.observable, "o", color="#e67e22", ms=6)
                bottom.annotate(f"{par} = {at:.3g}: a centre,\nno cycle is selected",
                                (q.param, q.observable), textcoords="offset points",
                                xytext=(-6, -24), ha="right", fontsize=6.5, color="#e67e22")
        for t in bottom.texts:
            t.set_fontsize(6.5)
        bottom.tick_params(labelsize=7)
        bottom.xaxis.label.set_fontsize(8)
        bottom.yaxis.label.set_fontsize(8)
    return fig, axes, diagrams


def rosetta_map(ax=None):
    """The paper's "Rosetta map": every model that declares a ``ladder`` placed by its
    biological grounding (phenomenological to exact mean field) against what its state is
    made of, with a marker per coupling type; the models the paper places that rosetta
    does not implement (``rosetta.models.OTHER_MODELS``) drawn hollow. Returns the Axes."""
    from . import models
    from .model import COUPLINGS, VARIABLES
    if ax is None:
        _, ax = figure(width=8.5, height=4.8)
    marker = dict(zip(COUPLINGS, ("o", "s", "D")))
    placed = [(m.ladder.label or m.name, m.ladder.grounding, m.ladder.variables,
               m.ladder.coupling, True)
              for m in (models[n] for n in models) if m.ladder is not None]
    placed += [(name, g, v, c, False) for name, _, g, v, c in models.OTHER_MODELS]
    count: dict = {}
    for name, g, v, c, ours in sorted(placed, key=lambda t: t[1]):
        y = VARIABLES.index(v)
        # neighbours in a row are staggered on five levels, so that their labels clear
        k = count.get(y, 0)
        count[y] = k + 1
        yy = y + 0.16 * (0, 2, -2, 1, -1)[k % 5]
        ax.plot(g, yy, marker[c], ms=7, color="#2c6fbb" if ours else "#7f8c8d",
                mfc="#2c6fbb" if ours else "white", mew=1.3, zorder=3)
        ax.annotate(name, (g, yy), textcoords="offset points", xytext=(6, -3), fontsize=7.5)
    ax.set_yticks(range(len(VARIABLES)), VARIABLES)
    ax.set_ylim(-0.5, len(VARIABLES) - 0.3)
    ax.set_xlim(-0.05, 1.22)
    ax.set_xticks([0.0, 0.5, 1.0], ["phenomenological", "population (PSP) models",
                                    "exact mean field"])
    ax.set_xlabel("biological grounding")
    from matplotlib.lines import Line2D
    handles = [Line2D([], [], ls="", marker=marker[c], color="#2c6fbb", label=c)
               for c in COUPLINGS]
    handles.append(Line2D([], [], ls="", marker="o", color="#7f8c8d", mfc="white",
                          label="not implemented here"))
    ax.legend(handles=handles, loc="lower right", fontsize=7.5, title="coupling",
              title_fontsize=8)
    return ax
