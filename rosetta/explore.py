"""Parameter explorations that outgrow one process: a function over a grid, on any executor.

:func:`explore` evaluates ``function(**point, **fixed)`` at every point of a grid (the
Cartesian product of named axes, e.g. G x velocity x seed) and returns a labelled table
(a :class:`pandas.DataFrame`: one row per point, the axes then the measures). It

* runs on any :class:`concurrent.futures.Executor`: local processes by default
  (``ProcessPoolExecutor`` with one worker per core), ``ThreadPoolExecutor``, or a Dask
  cluster: pass a ``distributed.Client`` (its ``get_executor()`` is used), and the same
  call runs on a laptop's ``LocalCluster`` or on a real cluster;
* streams its progress (tqdm);
* is resumable: with ``store="file.jsonl"`` every finished point is appended to the file
  as it arrives, and a rerun skips the points already there, so a killed exploration
  computes only what is missing;
* gives the serial loop's results exactly: a point's result depends only on the point
  (seed the noise from an axis, e.g. ``seed``), never on which worker ran it or when.

The function must be importable by the workers (a module-level function, not a lambda or
a function typed into a notebook, for processes and Dask), take the axes and ``fixed`` as
keyword arguments, and return a number or a flat dict of numbers (its measures). JSON
stores floats to their full precision, so a resumed table equals a fresh one.
"""
from __future__ import annotations

import concurrent.futures as cf
import itertools
import json
import os
from pathlib import Path
from typing import Callable, Mapping

import numpy as np

from .model import ParameterError, shown

__all__ = ["explore", "grid_points"]


def grid_points(grid: Mapping) -> list:
    """The points of a grid, as dicts, in the order of ``itertools.product`` (the last axis
    fastest)."""
    if not isinstance(grid, Mapping) or not grid:
        raise ParameterError(f"grid must be a non-empty dict of axis name -> values, got "
                             f"{shown(grid)}")
    axes = {}
    for name, values in grid.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise ParameterError(f"grid axis names must be identifiers, got {name!r}")
        vals = list(np.atleast_1d(np.asarray(values)).tolist())
        if not vals:
            raise ParameterError(f"grid axis {name!r} has no values")
        if len(set(map(repr, vals))) != len(vals):
            raise ParameterError(f"grid axis {name!r} repeats values: {shown(values)}")
        axes[name] = vals
    return [dict(zip(axes, combo)) for combo in itertools.product(*axes.values())]


def _key(point: Mapping) -> str:
    return json.dumps(point, sort_keys=True)


def _measures(result, point) -> dict:
    if isinstance(result, Mapping):
        out = dict(result)
    elif isinstance(result, (int, float, np.integer, np.floating)):
        out = {"value": result}
    else:
        raise ParameterError(f"the explored function must return a number or a dict of "
                             f"numbers; at {point} it returned {shown(result)}")
    for k, v in out.items():
        if not isinstance(v, (int, float, np.integer, np.floating, bool, np.bool_)):
            raise ParameterError(f"measure {k!r} at {point} is {shown(v)}, not a number")
        out[k] = float(v) if not isinstance(v, (bool, np.bool_)) else bool(v)
    return out


def _evaluate(function, point, fixed):
    return point, function(**point, **fixed)


def _load(store: Path) -> dict:
    done = {}
    if store.exists():
        with store.open() as fh:
            for line in fh:
                line = line.strip()
                if not line:
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    continue           # a line cut short when the run was killed
                done[_key(rec["point"])] = rec["measures"]
    return done


def explore(function: Callable, grid: Mapping, executor=None, store=None,
            progress: bool = True, **fixed):
    """Evaluate ``function(**point, **fixed)`` at every point of ``grid``; see the module.

    Parameters
    ----------
    function : callable
        Returns a number (column ``value``) or a dict of numbers.
    grid : dict
        Axis name -> values; the points are their Cartesian product.
    executor : concurrent.futures.Executor, distributed.Client, "serial" or None
        Where to run. None: a ``ProcessPoolExecutor`` with one worker per core, shut down
        at the end. "serial": in this process, one point after another. An executor you
        pass is left running.
    store : path, optional
        A JSON-lines file of finished points: appended to as they finish, read to skip
        them on a rerun.
    progress : bool
        Show a tqdm progress bar.
    **fixed
        Keyword arguments passed unchanged to every call.

    Returns
    -------
    pandas.DataFrame
        One row per grid point, in grid order: the axes, then the measures.
    """
    import pandas as pd
    from tqdm.auto import tqdm

    if not callable(function):
        raise ParameterError(f"function must be callable, got {shown(function)}")
    points = grid_points(grid)
    clash = set(fixed) & set(points[0])
    if clash:
        raise ParameterError(f"{sorted(clash)} are both grid axes and fixed arguments")
    path = Path(store) if store is not None else None
    done = _load(path) if path is not None else {}
    todo = [p for p in points if _key(p) not in done]

    own = None
    if executor is None:
        own = executor = cf.ProcessPoolExecutor(max_workers=os.cpu_count() or 1)
    elif executor != "serial" and not isinstance(executor, cf.Executor):
        get = getattr(executor, "get_executor", None)     # a dask distributed Client
        if get is None:
            raise ParameterError("executor must be a concurrent.futures.Executor, a "
                                 "distributed.Client, 'serial' or None, got "
                                 f"{shown(executor)}")
        executor = get()
    bar = tqdm(total=len(points), initial=len(points) - len(todo), disable=not progress,
               desc="explore", unit="point")
    sink = path.open("a") if path is not None else None
    try:
        if executor == "serial":
            finished = (_evaluate(function, p, fixed) for p in todo)
        else:
            futures = [executor.submit(_evaluate, function, p, fixed) for p in todo]
            finished = (f.result() for f in cf.as_completed(futures))
        for point, result in finished:
            measures = _measures(result, point)
            done[_key(point)] = measures
            if sink is not None:
                sink.write(json.dumps({"point": point, "measures": measures}) + "\n")
                sink.flush()
            bar.update(1)
    finally:
        bar.close()
        if sink is not None:
            sink.close()
        if own is not None:
            own.shutdown()
    rows = [{**p, **done[_key(p)]} for p in points]
    table = pd.DataFrame(rows)
    table.attrs["axes"] = list(points[0])
    return table
