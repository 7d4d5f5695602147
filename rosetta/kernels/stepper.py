"""Template (see rosetta.kernels): the one step shared by simulate and the sweeps.

A run is N nodes stepped together. At each stage of a step, node i's input port is

    u_i = noise_i(step) + sum_d w_di drive_d(t_stage)                       (forcing)
        + sum_p g_p sum_j W_p[i, j] o_j,src(p)(t_stage - tau_p,ij) on input target(p)
          (minus g_p rowsum_p[i] o_i,src(p)(t_stage) for a diffusive projection)

and ``rhs`` is called node by node. ``rhs`` and ``output`` are the model's own numba
functions, bound as globals by the generated header, so numba inlines them.

fastmath: only the coupling sums use it, and only the flags "reassoc" and "contract" (the
sum may be reordered into SIMD lanes and fused multiply-adds): the result changes in the
last bits with the summation order, and stays the same from run to run on one machine.
No flag that assumes finite values is used anywhere, so a state that stops being finite is
always detected.
"""
import math

import numpy as np
from numba import njit, prange

_SAFE_FASTMATH = {"reassoc", "contract"}


@njit(cache=CACHE)  # noqa: F821  (bound by the generated header)
def _drive_value(kind, par, table, row, t, h):
    """One drive at time t (seconds); h indexes the half-step table."""
    if kind == 0:
        return table[row, h]
    if kind == 1:
        return par[0]
    if kind == 2:
        return par[0] * math.sin(2.0 * math.pi * par[1] * t + par[2])
    if kind == 3:
        return par[0] if (t >= par[1] and t < par[2]) else 0.0
    if kind == 4:
        since = t - par[3]
        if since >= 0.0 and t < par[4]:
            if since % (1.0 / par[1]) < par[2]:
                return par[0]
        return 0.0
    return 0.0


@njit(cache=CACHE, fastmath=_SAFE_FASTMATH)  # noqa: F821
def _project_dense(W, o, g, diffusive, rowsum, U, target):
    """U[:, target] += g (W o - [diffusive] rowsum * o): a dense matrix-vector product."""
    N = W.shape[0]
    for i in range(N):
        s = 0.0
        for j in range(N):
            s += W[i, j] * o[j]
        if diffusive:
            s -= rowsum[i] * o[i]
        U[i, target] += g * s


@njit(cache=CACHE, fastmath=_SAFE_FASTMATH)  # noqa: F821
def _project_delayed(W, D, hist, src, o, base, L, c, g, diffusive, rowsum, U, target):
    """The same with delays D[i, j] (steps) read from the ring buffer ``hist`` (L, n_out,
    N) of outputs at step starts, interpolated linearly at the stage fraction c."""
    N = W.shape[0]
    for i in range(N):
        s = 0.0
        for j in range(N):
            w = W[i, j]
            if w == 0.0:
                continue
            d = D[i, j]
            if d == 0:
                s += w * o[j]
                continue
            ia = base - d
            if ia < 0:
                ia += L
            a = hist[ia, src, j]
            if c == 0.0:
                s += w * a
            else:
                ib = ia + 1
                if ib == L:
                    ib = 0
                s += w * (a + c * (hist[ib, src, j] - a))
        if diffusive:
            s -= rowsum[i] * o[i]
        U[i, target] += g * s


@njit(cache=CACHE)  # noqa: F821
def _outputs(X, P, O, ob):
    for i in range(X.shape[0]):
        output(X[i], P[i], ob)  # noqa: F821
        for m in range(ob.shape[0]):
            O[m, i] = ob[m]


@njit(cache=CACHE)  # noqa: F821
def _field(X, P, k, c, dt, wiring, g, D, hist, forcing, fpar, xi, U, O, ob, dX):
    """dX = f(X) at the stage t_k + c dt, filling the input port U first."""
    N = X.shape[0]
    n_in = U.shape[1]
    for i in range(N):
        for q in range(n_in):
            U[i, q] = xi[i, q]
    nd = forcing.kind.shape[0]
    if nd > 0:
        t = (k + c) * dt * forcing.spu
        h = 2 * k + int(2.0 * c + 0.5)
        for d in range(nd):
            val = _drive_value(forcing.kind[d], fpar[d], forcing.table, forcing.row[d], t, h)
            if val != 0.0:
                ch = forcing.channel[d]
                for i in range(N):
                    U[i, ch] += forcing.weights[d, i] * val
    n_proj = wiring.source.shape[0]
    if n_proj > 0:
        _outputs(X, P, O, ob)
        L = wiring.L
        base = k % L
        for p in range(n_proj):
            gp = g[p]
            if gp == 0.0:
                continue
            src = wiring.source[p]
            if wiring.delayed[p]:
                _project_delayed(wiring.W[p], D[p], hist, src, O[src], base, L, c, gp,
                                 wiring.diffusive[p], wiring.rowsum[p], U, wiring.target[p])
            else:
                _project_dense(wiring.W[p], O[src], gp, wiring.diffusive[p], wiring.rowsum[p],
                               U, wiring.target[p])
    for i in range(N):
        rhs(X[i], P[i], U[i], dX[i])  # noqa: F821


@njit(cache=CACHE)  # noqa: F821
def _workspace(N, ns, S, wiring):
    """Per-run buffers: stage state, stage derivatives, input port, outputs, history."""
    Xs = np.empty((N, ns))
    K = np.empty((S, N, ns))
    U = np.zeros((N, N_INPUTS))  # noqa: F821
    O = np.zeros((N_OUTPUTS, N))  # noqa: F821
    ob = np.zeros(N_OUTPUTS)  # noqa: F821
    hist = np.zeros((wiring.L, N_OUTPUTS, N))  # noqa: F821
    xi = np.zeros((N, N_INPUTS))  # noqa: F821
    return Xs, K, U, O, ob, hist, xi


@njit(cache=CACHE)  # noqa: F821
def _start_history(X, P, hist, O, ob):
    """History before t = 0: the initial state's outputs."""
    _outputs(X, P, O, ob)
    for r in range(hist.shape[0]):
        for m in range(O.shape[0]):
            for i in range(O.shape[1]):
                hist[r, m, i] = O[m, i]


@njit(cache=CACHE)  # noqa: F821
def _draw_noise(sigma, sq, xi):
    """White noise for one step: sigma dW/dt with dW ~ N(0, dt), constant over the stages
    (Euler-Maruyama with Euler, the stochastic Heun scheme with Heun)."""
    for i in range(xi.shape[0]):
        for q in range(xi.shape[1]):
            s = sigma[i, q]
            xi[i, q] = s * sq * np.random.standard_normal() if s != 0.0 else 0.0


@njit(cache=CACHE)  # noqa: F821
def step(X, P, k, dt, scheme, wiring, g, D, forcing, fpar, ws):
    """Advance X (N, n_state) in place from t_k = k dt by one step of the explicit
    Runge-Kutta ``scheme``. Returns False if the new state is not finite."""
    Xs, K, U, O, ob, hist, xi = ws
    N, ns = X.shape
    if wiring.L > 1:
        _outputs(X, P, O, ob)
        slot = k % wiring.L
        for m in range(O.shape[0]):
            for i in range(N):
                hist[slot, m, i] = O[m, i]
    a = scheme.a
    S = scheme.b.shape[0]
    for s in range(S):
        if s == 0:
            _field(X, P, k, scheme.c[0], dt, wiring, g, D, hist, forcing, fpar, xi, U, O, ob, K[0])
        else:
            for i in range(N):
                for v in range(ns):
                    acc = X[i, v]
                    for r in range(s):
                        if a[s, r] != 0.0:
                            acc += dt * a[s, r] * K[r, i, v]
                    Xs[i, v] = acc
            _field(Xs, P, k, scheme.c[s], dt, wiring, g, D, hist, forcing, fpar, xi, U, O, ob, K[s])
    b = scheme.b
    total = 0.0
    for i in range(N):
        for v in range(ns):
            inc = 0.0
            for s in range(S):
                inc += b[s] * K[s, i, v]
            X[i, v] += dt * inc
            total += X[i, v]
    return math.isfinite(total)


@njit(cache=CACHE)  # noqa: F821
def _row(k, a):
    """Run k's row of a per-run array (shared when its first axis has length 1)."""
    return a[k] if a.shape[0] > 1 else a[0]


@njit(cache=CACHE)  # noqa: F821
def run_record(X0, P, dt, nsteps, every, scheme, wiring, forcing, seed):
    """One run from X0 (N, n_state): the state every ``every`` steps, and the step at which
    the state stopped being finite (-1 if it never did)."""
    N, ns = X0.shape
    X = X0.copy()
    ws = _workspace(N, ns, scheme.b.shape[0], wiring)
    xi = ws[6]
    g = wiring.gain[0]
    D = wiring.steps[0]
    fpar = forcing.par[0]
    sigma = forcing.sigma[0]
    noisy = False
    for i in range(N):
        for q in range(sigma.shape[1]):
            if sigma[i, q] != 0.0:
                noisy = True
    if noisy:
        np.random.seed(seed)
    sq = 1.0 / math.sqrt(dt)
    if wiring.L > 1:
        _start_history(X, P, ws[5], ws[3], ws[4])
    rec = np.empty((nsteps // every + 1, N, ns))
    rec[0] = X
    r = 1
    for k in range(nsteps):
        if noisy:
            _draw_noise(sigma, sq, xi)
        if not step(X, P, k, dt, scheme, wiring, g, D, forcing, fpar, ws):
            return rec[:r], k + 1
        if (k + 1) % every == 0:
            rec[r] = X
            r += 1
    return rec, -1


@njit(cache=CACHE)  # noqa: F821
def _run_stats(X, P, dt, nsteps, ntrans, every, scheme, wiring, g, D, forcing, fpar, sigma,
               seed, c, hyst, out):
    """One run; out[i] = (max, min, mean, period) of o_i = c . x_i over the samples after
    the transient, node by node. Returns the failed step or -1.

    The period is the mean interval between upward crossings of a level (the mean of the
    first half of the samples), detected in the second half with hysteresis, located by
    linear interpolation; fewer than 3 crossings give NaN."""
    N, ns = X.shape
    ws = _workspace(N, ns, scheme.b.shape[0], wiring)
    xi = ws[6]
    noisy = False
    for i in range(N):
        for q in range(sigma.shape[1]):
            if sigma[i, q] != 0.0:
                noisy = True
    if noisy:
        np.random.seed(seed)
    sq = 1.0 / math.sqrt(dt)
    if wiring.L > 1:
        _start_history(X, P, ws[5], ws[3], ws[4])
    nrec = (nsteps - ntrans) // every + 1
    ncal = nrec // 2
    dts = dt * every
    mx = np.full(N, -np.inf)
    mn = np.full(N, np.inf)
    tot = np.zeros(N)
    cal_min = np.full(N, np.inf)
    level = np.zeros(N)
    thresh = np.zeros(N)
    armed = np.zeros(N, dtype=np.bool_)
    prev = np.zeros(N)
    n_cross = np.zeros(N, dtype=np.int64)
    t_first = np.zeros(N)
    t_last = np.zeros(N)
    smp = 0
    for j in range(nsteps + 1):
        if j > 0:
            if noisy:
                _draw_noise(sigma, sq, xi)
            if not step(X, P, j - 1, dt, scheme, wiring, g, D, forcing, fpar, ws):
                for i in range(N):
                    for m in range(4):
                        out[i, m] = np.nan
                return j
        if j < ntrans or (j - ntrans) % every != 0:
            continue
        for i in range(N):
            o = 0.0
            for v in range(ns):
                o += c[v] * X[i, v]
            if o > mx[i]:
                mx[i] = o
            if o < mn[i]:
                mn[i] = o
            tot[i] += o
            if smp < ncal:
                if o < cal_min[i]:
                    cal_min[i] = o
                if smp == ncal - 1:
                    level[i] = tot[i] / ncal
                    thresh[i] = level[i] - max(hyst * (level[i] - cal_min[i]),
                                               1e-9 * (1.0 + abs(level[i])))
            else:
                if armed[i] and o >= level[i]:
                    ts = smp - 1 + (level[i] - prev[i]) / (o - prev[i])
                    if n_cross[i] == 0:
                        t_first[i] = ts
                    t_last[i] = ts
                    n_cross[i] += 1
                    armed[i] = False
                elif o < thresh[i]:
                    armed[i] = True
            prev[i] = o
        smp += 1
    for i in range(N):
        out[i, 0] = mx[i]
        out[i, 1] = mn[i]
        out[i, 2] = tot[i] / smp
        out[i, 3] = (t_last[i] - t_first[i]) / (n_cross[i] - 1) * dts if n_cross[i] >= 3 else np.nan
    return -1


@njit(cache=CACHE, parallel=True)  # noqa: F821
def sweep_stats(X0, P, dt, nsteps, ntrans, every, scheme, wiring, forcing, seed, c, hyst):
    """_run_stats for every run k (X0[k], and row k of each per-run array), in parallel."""
    K, N, ns = X0.shape
    out = np.empty((K, N, 4))
    fail = np.empty(K, dtype=np.int64)
    for k in prange(K):
        X = X0[k].copy()
        fail[k] = _run_stats(X, _row(k, P), dt, nsteps, ntrans, every, scheme, wiring,
                             _row(k, wiring.gain), _row(k, wiring.steps), forcing,
                             _row(k, forcing.par), _row(k, forcing.sigma), seed, c, hyst, out[k])
    return out, fail


@njit(cache=CACHE)  # noqa: F821
def _wrap(a):
    """Angle difference wrapped to [-pi, pi)."""
    return a - 2.0 * math.pi * math.floor((a + math.pi) / (2.0 * math.pi))


@njit(cache=CACHE)  # noqa: F821
def _run_rotation(X, P, dt, ntrans, ncal, nmeas, scheme, wiring, g, D, forcing, fpar, sigma,
                  seed, ia, ib):
    """One forced run of a single node. Returns (unwrapped phase advance over the nmeas
    measuring steps, failed step or -1). ib < 0: the phase is state ia itself; else the
    angle of (x_ia, x_ib) around the centre of their range over the ncal calibration steps
    after the transient."""
    N, ns = X.shape
    ws = _workspace(N, ns, scheme.b.shape[0], wiring)
    xi = ws[6]
    noisy = False
    for q in range(sigma.shape[1]):
        if sigma[0, q] != 0.0:
            noisy = True
    if noisy:
        np.random.seed(seed)
    sq = 1.0 / math.sqrt(dt)
    if wiring.L > 1:
        _start_history(X, P, ws[5], ws[3], ws[4])
    k = 0
    for _ in range(ntrans):
        if noisy:
            _draw_noise(sigma, sq, xi)
        if not step(X, P, k, dt, scheme, wiring, g, D, forcing, fpar, ws):
            return np.nan, k + 1
        k += 1
    ca = 0.0
    cb = 0.0
    if ib >= 0:
        lo_a = np.inf
        hi_a = -np.inf
        lo_b = np.inf
        hi_b = -np.inf
        for _ in range(ncal):
            if noisy:
                _draw_noise(sigma, sq, xi)
            if not step(X, P, k, dt, scheme, wiring, g, D, forcing, fpar, ws):
                return np.nan, k + 1
            k += 1
            lo_a = min(lo_a, X[0, ia])
            hi_a = max(hi_a, X[0, ia])
            lo_b = min(lo_b, X[0, ib])
            hi_b = max(hi_b, X[0, ib])
        ca = 0.5 * (lo_a + hi_a)
        cb = 0.5 * (lo_b + hi_b)
        prev = math.atan2(X[0, ib] - cb, X[0, ia] - ca)
    else:
        prev = X[0, ia]
    acc = 0.0
    for _ in range(nmeas):
        if noisy:
            _draw_noise(sigma, sq, xi)
        if not step(X, P, k, dt, scheme, wiring, g, D, forcing, fpar, ws):
            return np.nan, k + 1
        k += 1
        now = math.atan2(X[0, ib] - cb, X[0, ia] - ca) if ib >= 0 else X[0, ia]
        acc += _wrap(now - prev)
        prev = now
    return acc, -1


@njit(cache=CACHE, parallel=True)  # noqa: F821
def sweep_rotation(X0, P, dt, ntrans, ncal, nmeas, scheme, wiring, forcing, seed, ia, ib):
    """_run_rotation for every run k, in parallel."""
    K = X0.shape[0]
    adv = np.empty(K)
    fail = np.empty(K, dtype=np.int64)
    for k in prange(K):
        X = X0[k].copy()
        a, f = _run_rotation(X, _row(k, P), dt, ntrans, ncal, nmeas[k], scheme, wiring,
                             _row(k, wiring.gain), _row(k, wiring.steps), forcing,
                             _row(k, forcing.par), _row(k, forcing.sigma), seed, ia, ib)
        adv[k] = a
        fail[k] = f
    return adv, fail


@njit(cache=CACHE)  # noqa: F821
def field_on_points(X, P, u):
    """f at each row of X (n_points, n_state) with one record and a fixed input u (for
    vector fields and nullclines)."""
    out = np.empty_like(X)
    for i in range(X.shape[0]):
        rhs(X[i], P, u, out[i])  # noqa: F821
    return out
