r"""Periodic orbits: continuation of limit cycles from a Hopf point.

:func:`continue_cycles` follows the family of limit cycles born at a Hopf bifurcation
as one parameter varies, the way AUTO does it:

* **Boundary-value problem.** Time is rescaled to :math:`t \in [0, 1]`, so a cycle of
  period :math:`T` solves :math:`x' = T f(x, p)`, :math:`x(0) = x(1)`. The period is
  carried as :math:`\tau = \log T` (a period blowing up towards a homoclinic or SNIC end
  then costs a few steps, not hundreds).
* **Orthogonal collocation.** ``ntst`` mesh intervals; on each, a polynomial of degree
  ``ncol`` through equally spaced nodes satisfies the ODE at the ``ncol`` Gauss-Legendre
  points (superconvergent, error :math:`O(h^{2\,\mathrm{ncol}})` at the mesh points).
  The mesh is adapted every few steps to equidistribute the estimated error.
* **Phase and arclength.** AUTO's integral phase condition
  :math:`\int_0^1 \langle x, \hat x' \rangle dt = 0` against the previous orbit, and a
  pseudo-arclength condition in a scaled norm (each state over the width of its declared
  ``state_range``, the parameter over the width of ``p_range``, and :math:`\log T`).
* **Newton with condensation.** Per Newton iteration one numba kernel, compiled per model
  with its ``rhs`` and Jacobian inlined (:mod:`rosetta.kernels.collocation`), evaluates
  ``f``, the Jacobian (declared, else compiled central differences) and
  :math:`\partial_p f` at every collocation point; a model-independent kernel
  (:mod:`rosetta.condensation`) eliminates the interior unknowns of each interval
  (Gaussian elimination with partial pivoting, "condensation of parameters"), then the
  mesh points along the chain (pivoting over pairs of block rows), and solves the small
  final system for :math:`x(0)`, :math:`\tau`, :math:`p`. Cost is linear in ``ntst``;
  the same sweep solves for the new tangent (second right-hand side).
* **Floquet multipliers** come for free from the condensed blocks: interval *j* relates
  its end points by :math:`A_j x_j + B_j x_{j+1} = 0`, so the monodromy matrix is
  :math:`\prod_j (-B_j^{-1} A_j)` — the collocation discretisation of the variational
  equation along the orbit. The multiplier closest to 1 is the trivial one; its distance
  from 1 is kept as an accuracy check (``branch.extra["trivial_multiplier_error"]``). The
  cycle is stable when all others lie inside the unit circle. Close to a homoclinic orbit
  the monodromy matrix is so ill-conditioned that its eigenvalues are noise: where the
  trivial multiplier is off by more than :data:`FLOQUET_TOL` the point keeps the previous
  point's stability and ``branch.extra["floquet_reliable"]`` is False.
* **Ends and special points.** The branch starts with the Hopf point itself (zero
  amplitude, period :math:`2\pi/\omega`, :math:`\omega` in rad per model time unit;
  periods are in the model's time unit). A fold of cycles (``SNLC``) is where the
  parameter component of the tangent changes sign; it is located by regula falsi on that
  component and inserted in the branch. A period exceeding ``stop_period`` ends the branch
  with ``HOM`` (note "period blow-up"; the caller may relabel it ``SNIC`` when the orbit
  ends on a saddle-node). A family that shrinks back onto an equilibrium ends on that
  Hopf point, located exactly and appended (``extra["end"] == "hopf"``). Leaving
  ``p_range`` ends the branch with a cycle computed exactly on the boundary. A real
  multiplier crossing -1 is reported as ``PD`` (position interpolated, not located).

Layout: this module is the continuation driver (steps, ends, special points, the branch);
:mod:`rosetta.collocation` the discretised boundary-value problem (mesh, Newton, Floquet
multipliers, mesh adaptation); :mod:`rosetta.condensation` its linear algebra.
"""
from __future__ import annotations

import math
import warnings

import numpy as np

from .collocation import Orbit, PeriodicBVP, Scheme, extrema, lagrange_values, predict
from .diagram import Branch, SpecialPoint, observable_weights
from .fixedpoints import System, newton
from .model import ParameterError, is_real, shown

__all__ = ["continue_cycles", "cycle_profile", "FLOQUET_TOL"]

#: a cycle's multipliers are trusted when the trivial one is this close to 1
FLOQUET_TOL = 1e-3


def continue_cycles(model, parameter, params, hopf, p_range, observable=None, *, ntst=40, ncol=4,
                    ds=None, ds_max=None, max_points=400, amplitude=None, u=None,
                    stop_period=None):
    """Continue the branch of limit cycles born at a Hopf point.

    Parameters
    ----------
    model : Model or registry name
    parameter : str
        The continuation parameter.
    params : mapping
        The other parameters (the value of ``parameter`` in it is ignored).
    hopf : SpecialPoint
        The Hopf point: ``param`` (p0), ``state`` (the equilibrium x*) and its frequency:
        ``omega`` (rad per model time unit) where set, as on the Hopf points that
        continuation finds, else ``frequency`` (Hz).
    p_range : (low, high)
        The branch stops where the parameter leaves this interval; the last point is
        computed exactly on the boundary. Also clipped to the parameter's domain.
    observable : state name, dict of weights or weight vector (default: first state)
        Linear observable whose max and min over each orbit are returned.
    ntst, ncol : int
        Mesh intervals and collocation points per interval (Gauss-Legendre).
    ds, ds_max : float
        Initial and largest step, in the scaled arclength norm (each state over the width
        of its ``state_range``, the parameter over the width of ``p_range``, and log T);
        defaults 0.02 and 0.2.
    max_points : int
        Largest number of points on the branch (the Hopf point included).
    amplitude : float, optional
        Amplitude (in state units, largest component of x - x*) of the first cycle;
        default: a first step of ``min(ds, 0.01)`` in the scaled norm.
    u : input vector or mapping, optional
        Constant input applied to the model.
    stop_period : float, optional
        Stop when the period exceeds this (default 50 times the Hopf period); the end is
        reported as a ``HOM`` special point with note "period blow-up".

    Returns
    -------
    (Branch, list of SpecialPoint)
        The branch (kind "cycle": param, states = x(0) of each orbit, obs_max, obs_min,
        stable, period, multipliers sorted by modulus) and its special points (SNLC, HOM,
        PD). Point 0 is the Hopf point itself (zero amplitude); a branch that shrinks back
        onto an equilibrium ends with that Hopf point. ``branch.extra`` holds ``mesh`` and
        ``profiles`` (the collocation node values of every orbit, for
        :func:`cycle_profile`), ``trivial_multiplier_error`` and ``floquet_reliable`` (see
        the module docstring), ``end`` (why the branch stopped: "p_range", "hopf",
        "period blow-up", "max_points", "no convergence", "could not start"), ``ntst``,
        ``ncol``, ``newton_iterations``.

    Example
    -------
    >>> hopf = SpecialPoint("HB+", 0.0, np.zeros(2), 0.0, frequency=1.0)     # 1 Hz
    >>> br, pts = continue_cycles("stuart_landau", "alpha", {"omega": 2 * np.pi}, hopf,
    ...                           (-1.0, 2.0), observable="x")
    >>> float(br.obs_max[-1])              # sqrt(alpha / gamma) at alpha = 2   # doctest: +ELLIPSIS
    1.41421356...
    """
    from collections.abc import Mapping

    from .continuation import check_count, check_range, check_step
    from .models import resolve
    model = resolve(model)
    if not isinstance(parameter, str):
        raise ParameterError(f"parameter must be a parameter name (a string), one of "
                             f"{', '.join(model.parameter_names)}, got {shown(parameter)}")
    par = model.parameter(parameter)
    n = model.n_state
    if params is not None and not isinstance(params, Mapping):
        model.records(params)                   # raises: params must be a dict, naming it
    params = {k: v for k, v in dict(params or {}).items() if k != parameter}
    ntst, ncol = check_count(ntst, "ntst"), check_count(ncol, "ncol")
    if ntst < 2 or not (1 <= ncol <= 7):
        raise ParameterError(f"need ntst >= 2 and 1 <= ncol <= 7, got ntst={ntst}, ncol={ncol}")
    max_points = check_count(max_points, "max_points")
    lo, hi = check_range(p_range, model, parameter)      # clipped to the parameter's domain
    if not isinstance(hopf, SpecialPoint):
        raise ParameterError(f"hopf must be a SpecialPoint (a Hopf point of a diagram), got "
                             f"{type(hopf).__name__}")
    if not is_real(hopf.param):
        raise ParameterError(f"the Hopf point's param must be a number, got {shown(hopf.param)}")
    p0 = float(hopf.param)
    if not (lo <= p0 <= hi):
        raise ParameterError(f"the Hopf point {parameter} = {p0:g} lies outside p_range "
                             f"[{lo:g}, {hi:g}]")
    omega = hopf.angular_frequency(model)
    if omega is None or not (math.isfinite(omega) and omega > 0):
        raise ParameterError("the Hopf point needs a positive frequency (frequency in Hz, or "
                             "omega in rad per model time unit)")
    xstar = model.state_vector(hopf.state)
    cobs = observable_weights(model, observable)
    uin = model.input_vector(u)
    T0 = 2 * np.pi / omega
    if stop_period is not None and not (is_real(stop_period) and math.isfinite(stop_period)
                                        and stop_period > T0):
        raise ParameterError(f"stop_period must be a finite number larger than the Hopf period "
                             f"({T0:.4g} {model.time_unit}), or None (50 times it), got "
                             f"{shown(stop_period)}")
    stop_period = 50.0 * T0 if stop_period is None else float(stop_period)
    pscale = (hi - lo) if math.isfinite(hi - lo) and hi > lo else max(abs(par.high - par.low), 1.0)
    sscale = np.array([max(abs(b - a), 1e-12) for a, b in model.state_range])
    ds_max = check_step(ds_max, "ds_max", 0.2)
    ds = check_step(ds, "ds", min(0.02, ds_max))
    if ds > ds_max:
        raise ParameterError(f"ds ({ds:g}) must not exceed ds_max ({ds_max:g})")
    if amplitude is not None and not (is_real(amplitude) and math.isfinite(amplitude)
                                      and amplitude > 0):
        raise ParameterError(f"amplitude must be a finite number > 0 (of the first cycle, in "
                             f"state units), or None, got {shown(amplitude)}")
    ds_min = 1e-6 * ds_max
    sch = Scheme(ntst, ncol, n, 1.0 / sscale ** 2)
    cont = PeriodicBVP(model, parameter, params, uin, sch, pscale)

    # ---- the first cycle: x* + eps Re(q e^{2 pi i t}), tangent in the amplitude direction
    Jh = model.jac(xstar, {**params, parameter: p0}, uin)
    lam, vec = np.linalg.eig(Jh)
    kq = int(np.argmin(np.abs(lam - 1j * omega)))
    q = vec[:, kq]
    mesh = np.linspace(0.0, 1.0, ntst + 1)
    h = np.diff(mesh)
    tn = np.append((mesh[:-1, None] + h[:, None] * sch.nodes[None, :-1]).ravel(), 1.0)
    phi = np.real(q[None, :] * np.exp(2j * np.pi * tn)[:, None])
    phi /= math.sqrt(cont.inner_u(phi, phi, h))
    Ustar = np.tile(xstar, (tn.size, 1))
    ref = Orbit(Ustar, math.log(T0), p0, mesh)
    ref.tU, ref.ttau, ref.tp = phi, 0.0, 0.0
    if amplitude is not None:
        eps = float(amplitude) / float(np.max(np.abs(phi)))
    else:
        eps = min(ds, 0.01)
    first = None
    for _ in range(8):
        g = predict(ref, eps)
        first = cont.correct(g, ref, (phi, 0.0, 0.0), eps, phase_ref=g.U)
        if first is not None:
            break
        eps *= 0.5
    if first is not None and not (lo <= first.p <= hi):
        first = _OUT_OF_RANGE
    # ---- record keeping
    rec = {k: [] for k in ("p", "x0", "max", "min", "stable", "T", "mu", "mesh", "U", "triv", "amp",
                           "reliable")}
    specials = []

    def record_hopf(p, x, om, stable):
        """The zero-amplitude end of the family: the Hopf point itself."""
        T = 2 * np.pi / om
        lam_h = np.linalg.eigvals(model.jac(x, {**params, parameter: p}, uin))
        mu = np.exp(lam_h * T)
        mu = mu[np.argsort(-np.abs(mu))]
        ob = float(cobs @ x)
        for key, val in (("p", p), ("x0", x.copy()), ("max", ob), ("min", ob), ("stable", stable),
                         ("T", T), ("mu", mu), ("mesh", mesh0.copy()),
                         ("U", np.tile(x, (ntst * ncol + 1, 1))), ("triv", 0.0), ("amp", 0.0),
                         ("reliable", True)):
            rec[key].append(val)

    def record(sol):
        mu, stable, k, err = cont.floquet(sol)
        reliable = err < FLOQUET_TOL
        if not reliable and rec["stable"]:
            stable = rec["stable"][-1]        # multipliers are noise here: keep the last verdict
        rec["reliable"].append(reliable)
        omax, omin = extrema(sch, sol.U, cobs)
        rec["amp"].append(cont.amplitude(sol.U, np.diff(sol.mesh)))
        rec["p"].append(sol.p)
        rec["x0"].append(sol.U[0].copy())
        rec["max"].append(omax)
        rec["min"].append(omin)
        rec["stable"].append(stable)
        rec["T"].append(math.exp(sol.tau))
        rec["mu"].append(mu)
        rec["mesh"].append(sol.mesh.copy())
        rec["U"].append(sol.U.copy())
        rec["triv"].append(err)
        return mu, stable, omax, reliable

    def pd_count(mu):
        return int(np.sum((np.abs(mu.imag) < 1e-9) & (mu.real < -1.0)))

    mesh0 = mesh
    if first is None:
        warnings.warn(f"{model.name}: could not start a cycle branch from the Hopf point at "
                      f"{parameter} = {p0:g} (is it a Hopf point, with this frequency?); "
                      f"returning the Hopf point alone", RuntimeWarning, stacklevel=2)
        record_hopf(p0, xstar, omega, False)
        return _make_branch(rec, ntst, ncol, "could not start", parameter, hopf,
                            cont.n_newton), []
    if first is _OUT_OF_RANGE:                 # the family starts outside p_range
        record_hopf(p0, xstar, omega, False)
        return _make_branch(rec, ntst, ncol, "p_range", parameter, hopf, cont.n_newton), []
    _, first_stable, _, _ = cont.floquet(first)
    record_hopf(p0, xstar, omega, first_stable)
    mu_prev, _, _, _ = record(first)
    cur = first
    amp_first = cont.amplitude(first.U, np.diff(first.mesh))
    amp_max = amp_cur = amp_before = amp_first
    end = "max_points"
    step = ds if amplitude is None else max(ds, eps)
    step = min(step, ds_max)
    n_since_adapt = 0
    while len(rec["p"]) < max_points:
        tan = (cur.tU, cur.ttau, cur.tp)
        new = cont.correct(predict(cur, step), cur, tan, step)
        if new is not None:
            h = np.diff(cur.mesh)
            cosang = (cont.inner_u(new.tU, cur.tU, h) + new.ttau * cur.ttau
                      + new.tp * cur.tp / pscale ** 2)
            if cosang < 0.9 and step > ds_min * 10:
                new = None
        if new is None:
            step *= 0.5
            if step < ds_min:
                end = "no convergence"
                break
            continue
        amp = cont.amplitude(new.U, np.diff(new.mesh))
        # through a Hopf point: the amplitude went down to a minimum and grows again
        if (len(rec["p"]) > 2 and amp_cur < 0.1 * amp_max and amp_cur < amp_before
                and amp > amp_cur):
            end = "hopf"
            break
        # leaving the parameter range: last point exactly on the boundary
        if new.p > hi or new.p < lo:
            pb = hi if new.p > hi else lo
            th = (pb - cur.p) / (new.p - cur.p)
            g = Orbit(cur.U + th * (new.U - cur.U), cur.tau + th * (new.tau - cur.tau), pb,
                          cur.mesh)
            last = cont.correct(g, cur, tan, 0.0, pin=pb)
            if last is not None:
                record(last)
            end = "p_range"
            break
        # fold of cycles: the parameter component of the tangent changes sign
        if new.tp * cur.tp < 0:
            fold = _locate_fold(cont, cur, new, step)
            if fold is not None:
                amp_f = cont.amplitude(fold.U, np.diff(fold.mesh))
                if amp_f < max(2.0 * amp_first, 1e-3 * amp_max):
                    end = "hopf"                # the "fold" is the branch's end at a Hopf point
                    break
                _, _, omax_f, _ = record(fold)
                specials.append(SpecialPoint("SNLC", float(fold.p), fold.U[0].copy(), omax_f,
                                             period=math.exp(fold.tau), note="fold of cycles"))
            else:
                w = cur.tp / (cur.tp - new.tp)
                specials.append(SpecialPoint(
                    "SNLC", float(cur.p + w * (new.p - cur.p)), cur.U[0].copy(),
                    extrema(sch, cur.U, cobs)[0], period=math.exp(cur.tau),
                    note="fold of cycles (interpolated, not located)"))
        mu, stable, omax, reliable = record(new)
        if reliable and mu_prev is not None and pd_count(mu) != pd_count(mu_prev):
            r0 = _closest_real(mu_prev, -1.0)
            r1 = _closest_real(mu, -1.0)
            w = 0.5 if r0 is None or r1 is None or r0 == r1 else (-1.0 - r0) / (r1 - r0)
            w = min(max(w, 0.0), 1.0)
            pp = cur.p + w * (new.p - cur.p)
            specials.append(SpecialPoint("PD", float(pp), new.U[0].copy(), omax,
                                         period=math.exp(new.tau),
                                         note="period doubling (interpolated, not located)"))
        mu_prev = mu if reliable else None
        T = math.exp(new.tau)
        if T > stop_period:
            specials.append(SpecialPoint("HOM", float(new.p), new.U[0].copy(), omax, period=T,
                                         note="period blow-up"))
            end = "period blow-up"
            break
        amp_max = max(amp_max, amp)
        shrinking = amp < amp_cur
        amp_before, amp_cur = amp_cur, amp
        # step control
        if new.iters <= 3:
            step = min(step * 1.5, ds_max)
        elif new.iters >= 6:
            step = max(step * 0.6, ds_min)
        if shrinking and amp < 0.25 * amp_max and len(rec["p"]) > 2:
            if amp < max(amp_first, 1e-3 * amp_max):
                end = "hopf"                    # collapsed onto an equilibrium
                break
            step = min(step, 0.5 * amp)         # approach the Hopf end without jumping it
        cur = new
        n_since_adapt += 1
        if n_since_adapt >= 2:
            cur = cont.adapt(cur)
            n_since_adapt = 0

    if end == "hopf" and len(rec["p"]) >= 3:
        ends = _hopf_end(model, parameter, params, uin, rec["p"][-2], rec["amp"][-2],
                         rec["p"][-1], rec["amp"][-1], rec["U"][-1].mean(axis=0), lo, hi, pscale)
        if ends is not None:
            record_hopf(*ends, rec["stable"][-1])
        else:
            end = "hopf (end point not located)"
    return _make_branch(rec, ntst, ncol, end, parameter, hopf, cont.n_newton), specials


_OUT_OF_RANGE = object()


def _make_branch(rec, ntst, ncol, end, parameter, hopf, n_newton):
    return Branch(kind="cycle", param=np.array(rec["p"]), states=np.array(rec["x0"]),
                  obs_max=np.array(rec["max"]), obs_min=np.array(rec["min"]),
                  stable=np.array(rec["stable"], dtype=bool), period=np.array(rec["T"]),
                  multipliers=rec["mu"],
                  extra={"mesh": rec["mesh"], "profiles": rec["U"], "ntst": ntst, "ncol": ncol,
                         "trivial_multiplier_error": np.array(rec["triv"]),
                         "floquet_reliable": np.array(rec["reliable"], dtype=bool), "end": end,
                         "parameter": parameter, "hopf": hopf, "newton_iterations": n_newton})


def _hopf_end(model, parameter, params, uin, p1, a1, p2, a2, x, lo, hi, pscale):
    """The Hopf point where a cycle family collapses: extrapolate amplitude^2 -> 0 from
    the last two cycles, then solve f(x, p) = 0 with the critical pair on the imaginary
    axis (Newton on x, secant on p). Returns (p, x, omega) or None."""
    system = System(model, params, uin, parameter)

    def crit(p, x):
        x = newton(system, x, p)
        if x is None:
            raise ValueError
        lam = np.linalg.eigvals(system.jac(x, p))
        cand = lam[lam.imag > 1e-12]
        if cand.size == 0:
            raise ValueError
        k = int(np.argmin(np.abs(cand.real)))
        return float(cand[k].real), x, float(cand[k].imag)

    try:
        d = a1 ** 2 - a2 ** 2
        pa = p2
        pb = p2 - (p1 - p2) * a2 ** 2 / d if d > 0 else p2
        ga, x, om = crit(pa, x)
        gb, x, om = crit(pb, x)
        for _ in range(30):
            if gb == ga or abs(gb) < 1e-12 * (1 + om):
                break
            pa, pb, ga = pb, pb - gb * (pb - pa) / (gb - ga), gb
            gb, x, om = crit(pb, x)
        if not (abs(gb) < 1e-8 * (1 + om) and lo - 1e-9 <= pb <= hi + 1e-9
                and abs(pb - p2) < 0.05 * pscale and np.all(np.isfinite(x))):
            return None
        return float(pb), x, om
    except (np.linalg.LinAlgError, ValueError, ParameterError):
        return None


def _closest_real(mu, target):
    real = mu[np.abs(mu.imag) < 1e-9].real
    if real.size == 0:
        return None
    return float(real[np.argmin(np.abs(real - target))])


def _locate_fold(cont, a, b, ds, tol=1e-7, maxit=12):
    """Regula falsi (Illinois) on the parameter component of the tangent between the
    cycles a (arclength 0) and b (arclength ds) along a's tangent."""
    sa, fa = 0.0, a.tp
    sb, fb = ds, b.tp
    tan = (a.tU, a.ttau, a.tp)
    best = None
    side = 0
    for _ in range(maxit):
        s = sa - fa * (sb - sa) / (fb - fa)
        sol = cont.correct(predict(a, s), a, tan, s)
        if sol is None:
            return best
        best = sol
        fs = sol.tp
        if abs(fs) < tol * cont.pscale or abs(sb - sa) < 1e-12:
            break
        if fs * fa > 0:
            sa, fa = s, fs
            if side == -1:
                fb *= 0.5
            side = -1
        else:
            sb, fb = s, fs
            if side == 1:
                fa *= 0.5
            side = 1
    return best


def cycle_profile(branch, index, n=400):
    """One period of the orbit ``index`` of a cycle branch: (t, x) with t in model time
    units (n samples over [0, T)) and x of shape (n, n_state), from the collocation
    polynomials."""
    mesh = branch.extra["mesh"][index]
    U = branch.extra["profiles"][index]
    ncol = branch.extra["ncol"]
    ntst = len(mesh) - 1
    nodes = np.linspace(0.0, 1.0, ncol + 1)
    s01 = np.linspace(0.0, 1.0, n, endpoint=False)
    j = np.clip(np.searchsorted(mesh, s01, side="right") - 1, 0, ntst - 1)
    s = (s01 - mesh[j]) / (mesh[j + 1] - mesh[j])
    L = lagrange_values(s, nodes)
    idx = j[:, None] * ncol + np.arange(ncol + 1)[None, :]
    x = np.einsum("qk,qkn->qn", L, U[idx])
    return s01 * branch.period[index], x
