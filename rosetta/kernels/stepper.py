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


@njit(cache=CACHE, inline="always")  # noqa: F821
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


# not inlined, so that it keeps its fastmath flags
@njit(cache=CACHE, fastmath=_SAFE_FASTMATH, _nrt=False)  # noqa: F821
def _project_dense(W, o, g, diffusive, rowsum, U, target):
    """U[:, target] += g (W o - [diffusive] rowsum * o): a dense matrix-vector product."""
    N = W.shape[0]
    for i in range(N):
        w = W[i]                  # a row view: the dot product below vectorises best
        s = 0.0
        for j in range(N):
            s += w[j] * o[j]
        if diffusive:
            s -= rowsum[i] * o[i]
        U[i, target] += g * s


# not inlined, so that it keeps its fastmath flags
@njit(cache=CACHE, fastmath=_SAFE_FASTMATH, _nrt=False)  # noqa: F821
def _project_delayed(W, D, hist, src, o, base, L, c, g, diffusive, rowsum, U, target):
    """The same with delays D[i, j] (steps) read from the ring buffer ``hist`` (L, n_out,
    N) of outputs at step starts, interpolated linearly at the stage fraction c."""
    N = W.shape[0]
    for i in range(N):
        wi = W[i]
        di = D[i]
        s = 0.0
        for j in range(N):
            w = wi[j]
            if w == 0.0:
                continue
            d = di[j]
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


@njit(cache=CACHE, inline="always")  # noqa: F821
def _outputs(X, P, O, ob):
    for i in range(X.shape[0]):
        output(X[i], P[i], ob)  # noqa: F821
        for m in range(ob.shape[0]):
            O[m, i] = ob[m]


@njit(cache=CACHE, inline="always")  # noqa: F821
def _field(X, P, k, c, dt, net, g, D, drv, fpar, ws, dX):
    """dX = f(X) at the stage t_k + c dt, filling the input port U first.

    ``net`` = (source, target, diffusive, W, rowsum, delayed, L) and ``drv`` = (kind,
    channel, weights, table, row, spu) are the fields of Wiring and Forcing that every run
    shares; ``g``, ``D`` and ``fpar`` are the run's rows of gains, delay steps and drive
    numbers; ``ws`` the workspace (see :func:`_workspace`). This function and :func:`step`
    are inlined into the loops, which are compiled without reference counting (see the
    drivers below), so unpacking the tuples here costs nothing per step."""
    source, target, diffusive, W, rowsum, delayed, L = net
    kind, channel, weights, table, row, spu = drv
    Xs, K, U, O, ob, hist, xi = ws
    N = X.shape[0]
    n_in = N_INPUTS  # noqa: F821  (compile-time constants of the generated module: loops unroll)
    for i in range(N):
        for q in range(n_in):
            U[i, q] = xi[i, q]
    nd = kind.shape[0]
    if nd > 0:
        t = (k + c) * dt * spu
        h = 2 * k + int(2.0 * c + 0.5)
        for d in range(nd):
            val = _drive_value(kind[d], fpar[d], table, row[d], t, h)
            if val != 0.0:
                ch = channel[d]
                for i in range(N):
                    U[i, ch] += weights[d, i] * val
    n_proj = source.shape[0]
    if n_proj > 0:
        _outputs(X, P, O, ob)
        base = k % L
        for p in range(n_proj):
            gp = g[p]
            if gp == 0.0:
                continue
            src = source[p]
            if delayed[p]:
                _project_delayed(W[p], D[p], hist, src, O[src], base, L, c, gp, diffusive[p],
                                 rowsum[p], U, target[p])
            else:
                _project_dense(W[p], O[src], gp, diffusive[p], rowsum[p], U, target[p])
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


@njit(cache=CACHE, inline="always")  # noqa: F821
def _draw_noise(sigma, sq, xi):
    """White noise for one step: sigma dW/dt with dW ~ N(0, dt), constant over the stages
    (Euler-Maruyama with Euler, the stochastic Heun scheme with Heun)."""
    for i in range(xi.shape[0]):
        for q in range(xi.shape[1]):
            s = sigma[i, q]
            xi[i, q] = s * sq * np.random.standard_normal() if s != 0.0 else 0.0


@njit(cache=CACHE, inline="always")  # noqa: F821
def step(X, P, k, dt, tableau, net, g, D, drv, fpar, ws):
    """Advance X (N, n_state) in place from t_k = k dt by one step of the explicit
    Runge-Kutta method with ``tableau`` = (a, b, c). Returns False if the new state is not
    finite. The other arguments are those of :func:`_field`."""
    a, b, c = tableau
    L = net[6]
    Xs, K, U, O, ob, hist, xi = ws
    N = X.shape[0]
    ns = N_STATE  # noqa: F821
    if L > 1:
        _outputs(X, P, O, ob)
        slot = k % L
        for m in range(O.shape[0]):
            for i in range(N):
                hist[slot, m, i] = O[m, i]
    S = b.shape[0]
    for s in range(S):
        if s == 0:
            _field(X, P, k, c[0], dt, net, g, D, drv, fpar, ws, K[0])
        else:
            for i in range(N):
                for v in range(ns):
                    acc = X[i, v]
                    for r in range(s):
                        if a[s, r] != 0.0:
                            acc += dt * a[s, r] * K[r, i, v]
                    Xs[i, v] = acc
            _field(Xs, P, k, c[s], dt, net, g, D, drv, fpar, ws, K[s])
    total = 0.0
    if S == 1:                    # Euler: b = (1,), one pass
        for i in range(N):
            for v in range(ns):
                X[i, v] += dt * K[0, i, v]
                total += X[i, v]
    else:
        for i in range(N):
            for v in range(ns):
                inc = 0.0
                for s in range(S):
                    inc += b[s] * K[s, i, v]
                X[i, v] += dt * inc
                total += X[i, v]
    return math.isfinite(total)


@njit(cache=CACHE, inline="always")  # noqa: F821
def _row(k, a):
    """Run k's row of a per-run array (shared when its first axis has length 1)."""
    return a[k] if a.shape[0] > 1 else a[0]


# The drivers. Each is a wrapper that allocates (workspace, results) and seeds the noise,
# and a loop compiled without reference counting (``_nrt=False``: it allocates nothing),
# into which step() and _field() are inlined. With reference counting on, every array
# taken from a tuple or handed to an inlined function inside the loop costs an atomic
# increment and decrement per step: measured 700 ns per step on a one-node run, against
# 30 ns without.
@njit(cache=CACHE)  # noqa: F821
def _structs(scheme, wiring, forcing):
    """The tableau and the fields of Wiring and Forcing shared by every run, as tuples."""
    tableau = (scheme.a, scheme.b, scheme.c)
    net = (wiring.source, wiring.target, wiring.diffusive, wiring.W, wiring.rowsum,
           wiring.delayed, wiring.L)
    drv = (forcing.kind, forcing.channel, forcing.weights, forcing.table, forcing.row,
           forcing.spu)
    return tableau, net, drv


@njit(cache=CACHE)  # noqa: F821
def _prepare(X, P, scheme, wiring, forcing, sigma, seed):
    """Workspace, noise switch and history before t = 0 of one run."""
    N, ns = X.shape
    ws = _workspace(N, ns, scheme.b.shape[0], wiring)
    noisy = False
    for i in range(N):
        for q in range(sigma.shape[1]):
            if sigma[i, q] != 0.0:
                noisy = True
    if noisy:
        np.random.seed(seed)
    if wiring.L > 1:
        _start_history(X, P, ws[5], ws[3], ws[4])
    return ws, noisy


@njit(cache=CACHE, _nrt=False)  # noqa: F821
def _record_loop(X, P, dt, nsteps, every, noisy, sigma, rec, tableau, net, g, D, drv, fpar, ws):
    xi = ws[6]
    sq = 1.0 / math.sqrt(dt)
    N, ns = X.shape
    r = 1
    due = every                   # steps until the next record (no integer division per step)
    for k in range(nsteps):
        if noisy:
            _draw_noise(sigma, sq, xi)
        if not step(X, P, k, dt, tableau, net, g, D, drv, fpar, ws):
            return k + 1
        due -= 1
        if due == 0:
            due = every
            for i in range(N):
                for v in range(ns):
                    rec[r, i, v] = X[i, v]
            r += 1
    return -1


@njit(cache=CACHE)  # noqa: F821
def run_record(X0, P, dt, nsteps, every, scheme, wiring, forcing, seed):
    """One run from X0 (N, n_state): the state every ``every`` steps, and the step at which
    the state stopped being finite (-1 if it never did)."""
    X = X0.copy()
    sigma = forcing.sigma[0]
    ws, noisy = _prepare(X, P, scheme, wiring, forcing, sigma, seed)
    rec = np.empty((nsteps // every + 1, X.shape[0], X.shape[1]))
    rec[0] = X
    tableau, net, drv = _structs(scheme, wiring, forcing)
    fail = _record_loop(X, P, dt, nsteps, every, noisy, sigma, rec, tableau, net, wiring.gain[0],
                        wiring.steps[0], drv, forcing.par[0], ws)
    if fail >= 0:
        return rec[:(fail - 1) // every + 1], fail
    return rec, -1


@njit(cache=CACHE, _nrt=False)  # noqa: F821
def _stats_loop(X, P, dt, nsteps, ntrans, every, noisy, sigma, c_obs, hyst, st, cnt, out, tableau,
                net, g, D, drv, fpar, ws):
    """The loop of one sweep run; st (N, 9) and cnt (N, 2) are its running statistics."""
    xi = ws[6]
    sq = 1.0 / math.sqrt(dt)
    N, ns = X.shape
    nrec = (nsteps - ntrans) // every + 1
    ncal = nrec // 2
    # st columns: max, min, total, cal_min, level, thresh, prev, t_first, t_last
    # cnt columns: armed, n_cross
    for i in range(N):
        st[i, 0] = -np.inf
        st[i, 1] = np.inf
        st[i, 2] = 0.0
        st[i, 3] = np.inf
        cnt[i, 0] = 0
        cnt[i, 1] = 0
    smp = 0
    for j in range(nsteps + 1):
        if j > 0:
            if noisy:
                _draw_noise(sigma, sq, xi)
            if not step(X, P, j - 1, dt, tableau, net, g, D, drv, fpar, ws):
                return j
        if j < ntrans or (j - ntrans) % every != 0:
            continue
        for i in range(N):
            o = 0.0
            for v in range(ns):
                o += c_obs[v] * X[i, v]
            if o > st[i, 0]:
                st[i, 0] = o
            if o < st[i, 1]:
                st[i, 1] = o
            st[i, 2] += o
            if smp < ncal:
                if o < st[i, 3]:
                    st[i, 3] = o
                if smp == ncal - 1:
                    st[i, 4] = st[i, 2] / ncal
                    st[i, 5] = st[i, 4] - max(hyst * (st[i, 4] - st[i, 3]),
                                              1e-9 * (1.0 + abs(st[i, 4])))
            else:
                if cnt[i, 0] == 1 and o >= st[i, 4]:
                    ts = smp - 1 + (st[i, 4] - st[i, 6]) / (o - st[i, 6])
                    if cnt[i, 1] == 0:
                        st[i, 7] = ts
                    st[i, 8] = ts
                    cnt[i, 1] += 1
                    cnt[i, 0] = 0
                elif o < st[i, 5]:
                    cnt[i, 0] = 1
            st[i, 6] = o
        smp += 1
    dts = dt * every
    for i in range(N):
        out[i, 0] = st[i, 0]
        out[i, 1] = st[i, 1]
        out[i, 2] = st[i, 2] / smp
        n_cross = cnt[i, 1]
        out[i, 3] = (st[i, 8] - st[i, 7]) / (n_cross - 1) * dts if n_cross >= 3 else np.nan
    return -1


@njit(cache=CACHE)  # noqa: F821
def _run_stats(X, P, dt, nsteps, ntrans, every, scheme, wiring, g, D, forcing, fpar, sigma,
               seed, c_obs, hyst, out):
    """One run; out[i] = (max, min, mean, period) of o_i = c . x_i over the samples after
    the transient, node by node. Returns the failed step or -1 (out is then NaN).

    The period is the mean interval between upward crossings of a level (the mean of the
    first half of the samples), detected in the second half with hysteresis, located by
    linear interpolation; fewer than 3 crossings give NaN."""
    N = X.shape[0]
    ws, noisy = _prepare(X, P, scheme, wiring, forcing, sigma, seed)
    st = np.zeros((N, 9))
    cnt = np.zeros((N, 2), dtype=np.int64)
    tableau, net, drv = _structs(scheme, wiring, forcing)
    fail = _stats_loop(X, P, dt, nsteps, ntrans, every, noisy, sigma, c_obs, hyst, st, cnt, out,
                       tableau, net, g, D, drv, fpar, ws)
    if fail >= 0:
        out[:, :] = np.nan
    return fail


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


@njit(cache=CACHE, inline="always")  # noqa: F821
def _wrap(a):
    """Angle difference wrapped to [-pi, pi)."""
    return a - 2.0 * math.pi * math.floor((a + math.pi) / (2.0 * math.pi))


@njit(cache=CACHE, inline="always")  # noqa: F821
def _phase(X, ia, ib, ca, cb):
    return math.atan2(X[0, ib] - cb, X[0, ia] - ca) if ib >= 0 else X[0, ia]


@njit(cache=CACHE, _nrt=False)  # noqa: F821
def _rotation_loop(X, P, dt, ntrans, ncal, nmeas, noisy, sigma, ia, ib, res, tableau, net, g, D, drv,
                   fpar, ws):
    """res = (phase advance,); returns the failed step or -1. One loop over the three
    stretches: the transient (ntrans steps), the calibration of the centre (ncal steps,
    angle phases only), the measurement (nmeas steps)."""
    xi = ws[6]
    sq = 1.0 / math.sqrt(dt)
    start = ntrans + ncal                  # steps before the measurement
    lo_a = np.inf
    hi_a = -np.inf
    lo_b = np.inf
    hi_b = -np.inf
    ca = 0.0
    cb = 0.0
    prev = _phase(X, ia, ib, ca, cb)       # used as is when there is nothing before
    acc = 0.0
    for k in range(start + nmeas):
        if noisy:
            _draw_noise(sigma, sq, xi)
        if not step(X, P, k, dt, tableau, net, g, D, drv, fpar, ws):
            return k + 1
        done = k + 1
        if done <= start:
            if done > ntrans:              # calibration: the range of the two states
                lo_a = min(lo_a, X[0, ia])
                hi_a = max(hi_a, X[0, ia])
                lo_b = min(lo_b, X[0, ib])
                hi_b = max(hi_b, X[0, ib])
            if done == start:              # the measurement starts from here
                if ncal > 0:
                    ca = 0.5 * (lo_a + hi_a)
                    cb = 0.5 * (lo_b + hi_b)
                prev = _phase(X, ia, ib, ca, cb)
            continue
        now = _phase(X, ia, ib, ca, cb)
        acc += _wrap(now - prev)
        prev = now
    res[0] = acc
    return -1


@njit(cache=CACHE)  # noqa: F821
def _run_rotation(X, P, dt, ntrans, ncal, nmeas, scheme, wiring, g, D, forcing, fpar, sigma,
                  seed, ia, ib):
    """One forced run of a single node. Returns (unwrapped phase advance over the nmeas
    measuring steps, failed step or -1). ib < 0: the phase is state ia itself; else the
    angle of (x_ia, x_ib) around the centre of their range over the ncal calibration steps
    after the transient."""
    ws, noisy = _prepare(X, P, scheme, wiring, forcing, sigma, seed)
    res = np.zeros(1)
    tableau, net, drv = _structs(scheme, wiring, forcing)
    fail = _rotation_loop(X, P, dt, ntrans, ncal, nmeas, noisy, sigma, ia, ib, res, tableau, net, g, D,
                          drv, fpar, ws)
    return (np.nan if fail >= 0 else res[0]), fail


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


@njit(cache=CACHE)  # noqa: F821
def outputs_on_records(rec, P):
    """The outputs of every recorded state: rec (T, N, n_state) with the nodes' records
    P (N,) gives (T, N, n_outputs)."""
    T, N, _ = rec.shape
    out = np.empty((T, N, N_OUTPUTS))  # noqa: F821
    ob = np.zeros(N_OUTPUTS)  # noqa: F821
    for k in range(T):
        for i in range(N):
            output(rec[k, i], P[i], ob)  # noqa: F821
            for m in range(ob.shape[0]):
                out[k, i, m] = ob[m]
    return out
