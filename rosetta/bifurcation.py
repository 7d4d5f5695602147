"""The one-parameter bifurcation diagram: equilibria, their bifurcations, and cycles.

:func:`bifurcation_diagram` drives the engines: equilibria by multistart Newton
(:func:`rosetta.fixed_points`) at both ends of the range, each continued across it
(:func:`rosetta.continuation.continue_equilibria`: folds SN, Hopf points HB+/HB-), then a
limit-cycle branch from every Hopf point (:func:`rosetta.cycles.continue_cycles`: folds of
cycles SNLC, period doubling PD, period blow-ups). A period blow-up next to a fold of
equilibria relabels that fold SNIC; elsewhere it is a homoclinic end (HOM). The result is
a :class:`rosetta.diagram.Diagram`.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .continuation import (_steps, check_count, check_range, continue_equilibria,
                           within_state_limit)
from .cycles import continue_cycles
from .diagram import Branch, Diagram, SpecialPoint
from .fixedpoints import fixed_points
from .model import ParameterError, shown
from .models import resolve as _get_model

__all__ = ["bifurcation_diagram", "MERGE_RTOL"]

#: a period blow-up is a SNIC when it ends this close to a fold (fraction of the branch's
#: parameter span) and its last orbit passes this close to the fold's equilibrium (states
#: scaled by their declared ranges)
SNIC_PARAM_TOL = 0.02
SNIC_STATE_TOL = 0.02

#: two special points with the same label are one point when their parameters differ by
#: at most MERGE_RTOL max(|p|, width of the range) and their observables by at most
#: 1000 MERGE_RTOL max(1, |observable|): a fold of cycles found again and again on a branch
#: that turns back and forth at it, a Hopf point reached from both ends, ...
MERGE_RTOL = 1e-6


def bifurcation_diagram(model, parameter: str, p_range, params=None, observable=None, u=None,
                        cycles: bool = True, n_starts: int = 32, seed: int = 0, ds=None,
                        ds_max=None, cycle_options: dict | None = None) -> Diagram:
    """The one-parameter bifurcation diagram of ``model`` in ``parameter`` over ``p_range``.

    Equilibrium branches are started from every equilibrium found (multistart Newton) at
    both ends of the range and continued across it; duplicates are dropped. If ``cycles``,
    a limit-cycle branch is continued from every Hopf point (see :mod:`rosetta.cycles`),
    folds of cycles are labelled SNLC, and a cycle branch whose period blows up at a fold
    of equilibria relabels that fold SNIC. Hopf points carry their ``frequency`` in Hz
    (``omega`` in rad per model time unit); periods are in the model's time unit.

    ``params`` is a dict of overrides of the other parameters; ``observable`` anything
    :func:`rosetta.diagram.observable` takes; ``cycle_options`` keyword arguments of
    :func:`rosetta.cycles.continue_cycles`.

    ``p_range`` is exactly two finite numbers, low < high; it is clipped to the
    parameter's declared domain, and no branch or point leaves it. Special points found
    several times (same label, same parameter within :data:`MERGE_RTOL`) are listed once."""
    model = _get_model(model)
    if not isinstance(parameter, str):
        raise ParameterError(f"parameter must be a parameter name (a string), one of "
                             f"{', '.join(model.parameter_names)}, got {shown(parameter)}")
    model.parameter(parameter)
    lo, hi = check_range(p_range, model, parameter)
    _steps(ds, ds_max, hi - lo)                  # checked now, before any work
    check_count(n_starts, "n_starts")
    if params is not None and not isinstance(params, Mapping):
        model.records(params)                   # raises: params must be a dict, naming it
    if cycle_options is not None and not isinstance(cycle_options, Mapping):
        raise ParameterError(f"cycle_options must be a dict of keyword arguments of "
                             f"rosetta.cycles.continue_cycles, got {shown(cycle_options)}")
    if not isinstance(cycles, (bool, np.bool_)):
        raise ParameterError(f"cycles must be True or False, got {shown(cycles)}")
    params = dict(params or {})
    model.records(params)
    diagram = Diagram(model, parameter, observable, params)
    for p_end in (lo, hi):
        for fp in fixed_points(model, {**params, parameter: p_end}, u, n_starts=n_starts,
                               seed=seed):
            if not within_state_limit(model, fp.state):
                continue          # an equilibrium run off to infinity (see STATE_LIMIT)
            y_known = [np.append(b.states, b.param[:, None], axis=1) for b in diagram.branches]
            probe = np.append(fp.state, p_end)
            if any(np.min(np.linalg.norm(Y - probe, axis=1)) < 1e-6 * (1 + np.linalg.norm(probe))
                   for Y in y_known):
                continue
            branch, pts = continue_equilibria(model, parameter, (lo, hi), params, fp.state, p_end,
                                              observable, u, ds, ds_max)
            # a branch already traced from the other end is the same curve
            if any(_same_branch(branch, b) for b in diagram.branches):
                continue
            diagram.branches.append(branch)
            for p in pts:
                p.branch = len(diagram.branches) - 1
                if not any(q.label == p.label and abs(q.param - p.param) < 1e-6 * (1 + abs(p.param))
                           and np.allclose(q.state, p.state, atol=1e-6) for q in diagram.points):
                    diagram.points.append(p)
    if cycles:
        opts = dict(cycle_options or {})
        done = []
        for hp in [p for p in diagram.points if p.label in ("HB+", "HB-")]:
            if any(hp is q for q in done):
                continue          # an earlier cycle branch already ended on this Hopf point
            branch, pts = continue_cycles(model, parameter, params, hp, (lo, hi),
                                                  observable, u=u, **opts)
            last = np.append(branch.states[-1], branch.param[-1])
            for q in diagram.points:
                if q.label in ("HB+", "HB-") and q is not hp and np.linalg.norm(
                        np.append(q.state, q.param) - last) < 1e-3 * (1 + np.linalg.norm(last)):
                    done.append(q)
            diagram.branches.append(branch)
            ends = [p.param for p in pts if p.label in ("HOM", "SNIC")]
            for p in pts:
                p.branch = len(diagram.branches) - 1
                if p.label == "SNLC" and any(abs(p.param - e) < 1e-3 * (hi - lo) for e in ends):
                    continue      # the tangent's sign flickers as the period blows up: no fold
                if p.label in ("HOM", "SNIC") and _merge_snic(diagram, p, branch, model):
                    continue
                diagram.points.append(p)
    diagram.points = _merge_duplicates(diagram.points, hi - lo)
    return diagram


def _merge_duplicates(points: list, width: float) -> list:
    """The special points with each duplicate dropped (the first found is kept): the same
    label, the parameter within MERGE_RTOL max(|p|, width) and the observable within
    1e3 MERGE_RTOL max(1, |observable|)."""
    kept = []
    for p in points:
        if isinstance(p.param, tuple):
            kept.append(p)
            continue
        dp = MERGE_RTOL * max(abs(p.param), width)
        dobs = 1e3 * MERGE_RTOL * max(1.0, abs(p.observable))
        if any(q.label == p.label and not isinstance(q.param, tuple)
               and abs(q.param - p.param) <= dp and abs(q.observable - p.observable) <= dobs
               for q in kept):
            continue
        kept.append(p)
    return kept


def _same_branch(a: Branch, b: Branch) -> bool:
    Yb = np.append(b.states, b.param[:, None], axis=1)
    for y in (np.append(a.states[len(a) // 2], a.param[len(a) // 2]),):
        d = np.min(np.linalg.norm(Yb - y, axis=1))
        typical_step = np.median(np.linalg.norm(np.diff(Yb, axis=0), axis=1))
        if d < 1e-3 * (1 + np.linalg.norm(y)) + 0.05 * typical_step:
            return True
    return False


def _merge_snic(diagram: Diagram, end: SpecialPoint, branch: Branch | None = None,
                model=None) -> bool:
    """A cycle whose period blows up on a fold of equilibria ends in a SNIC: relabel that
    fold SNIC and return True (the cycle's end point is then the same point). Otherwise
    label the end a homoclinic orbit (HOM) and return False.

    On a fold means both: the end's parameter lies within SNIC_PARAM_TOL of the branch's
    span from the fold, and the last orbit passes within SNIC_STATE_TOL of the fold's
    equilibrium (each state scaled by its declared range). A homoclinic loop through a
    saddle near a fold (Wilson-Cowan at Py = -8) fails the second test."""
    folds = [p for p in diagram.points if p.label in ("SN", "SNIC")]
    span = (max(abs(b.param[-1] - b.param[0]) for b in diagram.equilibria)
            if diagram.equilibria else 1.0)
    if folds:
        nearest = min(folds, key=lambda p: abs(p.param - end.param))
        close = abs(nearest.param - end.param) < SNIC_PARAM_TOL * span
        if close and branch is not None and model is not None and "profiles" in branch.extra:
            from .cycles import cycle_profile
            k = int(np.argmin(np.abs(np.asarray(branch.param) - end.param)))
            _, orbit = cycle_profile(branch, k)
            scale = np.array([max(hi - lo, 1e-12) for lo, hi in model.state_range])
            gap = np.min(np.linalg.norm((orbit - np.asarray(nearest.state)) / scale, axis=1))
            close = gap < SNIC_STATE_TOL
        if close:
            nearest.label = "SNIC"
            nearest.period = end.period
            return True
    end.label = "HOM"
    return False
