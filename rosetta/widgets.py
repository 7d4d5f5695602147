"""Interactive figures whose sliders come from the parameter metadata.

``interact(draw, controls)`` builds one slider per :class:`~rosetta.model.Parameter`
(range, default, unit and meaning come from the declaration; a model parameter is
named as ``(model, "omega")``) and redraws ``draw(**values) -> Figure`` when a slider
moves.

Headless - in the book build and under nbval, where ``ROSETTA_HEADLESS=1`` is set, or
outside a Jupyter kernel - there is nobody to move a slider, so it draws the figure at
the default values instead, and the published page stays complete. With
``ROSETTA_WIDGET_TIMING=1`` it also times ``draw`` over a sweep of slider positions and
prints one line per widget (used by ``benchmarks/bench_widgets.py``).
"""
from __future__ import annotations

import os
import time
from typing import Callable, Sequence

import numpy as np

from .model import Model, Parameter

__all__ = ["interact", "headless", "controls_for"]


def headless() -> bool:
    """True in the book build, under nbval, or outside an IPython kernel."""
    if os.environ.get("ROSETTA_HEADLESS", "") not in ("", "0"):
        return True
    try:
        from IPython import get_ipython
    except ImportError:
        return True
    ip = get_ipython()
    return ip is None or not hasattr(ip, "kernel")


def controls_for(items: Sequence) -> list:
    """Normalise controls: Parameters pass through, (model, name) pairs are looked up."""
    out = []
    for it in items:
        if isinstance(it, Parameter):
            out.append(it)
        elif isinstance(it, tuple) and len(it) == 2 and isinstance(it[0], Model):
            out.append(it[0].parameter(it[1]))
        else:
            raise TypeError(f"a control is a Parameter or a (model, name) pair, got {it!r}")
    return out


def _time_draw(name: str, draw: Callable, params: list, fixed: dict) -> None:
    import matplotlib.pyplot as plt
    rng = np.random.default_rng(0)
    compute, total = [], []
    for k in range(7):
        vals = {p.name: (p.default if k == 0 else float(rng.uniform(p.low, p.high))) for p in params}
        t0 = time.perf_counter()
        fig = draw(**vals, **fixed)
        t1 = time.perf_counter()
        fig.canvas.draw()
        t2 = time.perf_counter()
        plt.close(fig)
        if k:                         # the first call may load compiled code
            compute.append(t1 - t0)
            total.append(t2 - t0)
    print(f"WIDGET-TIMING {name}: draw {1e3 * np.median(compute):.1f} ms, "
          f"draw+render {1e3 * np.median(total):.1f} ms (median of {len(compute)})")


def interact(draw: Callable, controls: Sequence, name: str = "widget", fixed: dict | None = None,
             continuous_update: bool = False):
    """Sliders for ``controls`` driving ``draw(**values) -> matplotlib Figure``.

    Displays the sliders and figure (headless: the default figure) and returns None, so
    a cell ending in this call shows the widget once."""
    import matplotlib.pyplot as plt
    from IPython.display import display

    params = controls_for(controls)
    fixed = dict(fixed or {})
    defaults = {p.name: p.default for p in params}
    if headless():
        if os.environ.get("ROSETTA_WIDGET_TIMING"):
            _time_draw(name, draw, params, fixed)
        fig = draw(**defaults, **fixed)
        display(fig)
        plt.close(fig)
        return None

    import ipywidgets as W
    sliders = {}
    for p in params:
        sym = p.symbol or p.name
        desc = f"{p.name} ({p.unit})" if p.unit not in ("", "1") else p.name
        sliders[p.name] = W.FloatSlider(
            value=p.default, min=p.low, max=p.high, step=(p.high - p.low) / 200,
            description=desc, tooltip=f"{sym}: {p.meaning}", readout_format=".3g",
            continuous_update=continuous_update, style={"description_width": "initial"},
            layout=W.Layout(width="420px"))
    out = W.Output()

    def redraw(**vals):
        with out:
            out.clear_output(wait=True)
            fig = draw(**vals, **fixed)
            display(fig)
            plt.close(fig)

    W.interactive_output(redraw, sliders)
    display(W.VBox([W.VBox(list(sliders.values())), out]))
