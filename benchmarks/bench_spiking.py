"""Throughput of rosetta.spiking.simulate_neurons against a hand-written loop.

Run by hand:  .venv/bin/python benchmarks/bench_spiking.py
Prints, measured in one run, after compilation, best of 3:
  * ING (one inhibitory QIF population, alpha synapse), N = 10^4 neurons for 1 s of model
    time at dt = 0.01 ms (10^9 neuron-steps; the issue's target: "a few seconds"), and
    N = 10^3 and 10^5 for 0.2 s;
  * the same ING network as a plain numba loop a careful user would write (fastmath,
    arrays allocated once, Euler, the same refractory rule, the rate recorded every 10
    steps but no raster and no mean voltage): neuron-steps per second of both and their
    ratio. Both runs start from the same voltages and must give the same mean rate.
"""
import math

import numba
import numpy as np

import rosetta as rs
from timing import best_of  # benchmarks/timing.py, beside this script
from rosetta.spiking import lorentzian_quantiles, simulate_neurons


@numba.njit(fastmath=True, cache=True)
def hand_loop(V, eta, tau, J, tau_g, I, dt, nsteps, every, v_peak, n_ref, out):
    N = V.size
    ref = np.zeros(N, dtype=np.int32)
    half = n_ref // 2
    s = 0.0
    ds = 0.0
    acc = 0.0
    h = dt / tau
    for step in range(nsteps):
        c = I - tau * J * s
        spikes = 0.0
        for j in range(N):
            if ref[j] > 0:
                ref[j] -= 1
                if ref[j] == half:
                    spikes += 1.0
                if ref[j] == 0:
                    V[j] = -v_peak
                continue
            x = V[j] + h * (V[j] * V[j] + eta[j] + c)
            if x >= v_peak:
                ref[j] = n_ref
            V[j] = x
        acc += spikes
        rate = spikes / (N * dt)
        dds = (rate - s - 2.0 * tau_g * ds) / (tau_g * tau_g)
        s += dt * ds
        ds += dt * dds
        if (step + 1) % every == 0:
            out[step // every] = acc / (N * dt * every)
            acc = 0.0



def main():
    model = rs.models["ing"]
    p = model.defaults
    I, dt, vp = 30.0, 0.01, 100.0
    (fp,) = rs.fixed_points(model, {"I": I})
    simulate_neurons(model, 100, 1.0, dt, params={"I": I}, x0=fp.state)       # compile
    print(f"ING spiking network, I = {I:g}, dt = {dt:g} ms, v_peak = {vp:g}:")
    for N, T in ((1000, 200.0), (10_000, 1000.0), (100_000, 200.0)):
        t, res = best_of(lambda: simulate_neurons(model, N, T, dt, params={"I": I},
                                                  x0=fp.state))
        steps = N * T / dt
        print(f"  rosetta   N = {N:>6d}, {T:6.0f} ms: {t:6.2f} s, "
              f"{steps / t / 1e9:5.2f} x 10^9 neuron-steps/s, mean rate "
              f"{1000 * res.r[res.t > 100, 0].mean():.1f} Hz")
    # the hand loop on the same network (N = 10^4, 1 s)
    N, T = 10_000, 1000.0
    nsteps, every = int(round(T / dt)), 10
    eta = lorentzian_quantiles(N, p["eta"], p["Delta"])
    V0 = simulate_neurons(model, N, dt * every, dt, params={"I": I}, x0=fp.state)  # warm
    rng = np.random.default_rng(0)
    width = math.pi * p["tau"] * fp.state[0]
    Vinit = np.clip(lorentzian_quantiles(N, fp.state[1], width)[rng.permutation(N)], -vp,
                    vp * (1 - 1e-9))
    n_ref = max(2, int(round(2 * p["tau"] / vp / dt)))
    out = np.zeros(nsteps // every)
    hand_loop(Vinit.copy(), eta, p["tau"], p["J"], p["tau_g"], I, dt, 100, every, vp, n_ref,
              out)
    t_hand, _ = best_of(lambda: hand_loop(Vinit.copy(), eta, p["tau"], p["J"], p["tau_g"], I,
                                          dt, nsteps, every, vp, n_ref, out))
    t_ros, res = best_of(lambda: simulate_neurons(model, N, T, dt, params={"I": I},
                                                  x0=fp.state))
    steps = N * nsteps
    print(f"\nN = {N}, {T:g} ms ({steps:.1e} neuron-steps), same run:")
    print(f"  hand loop: {t_hand:.2f} s ({steps / t_hand / 1e9:.2f} x 10^9 neuron-steps/s), "
          f"mean rate {1000 * out[len(out) // 10:].mean():.1f} Hz")
    print(f"  rosetta:   {t_ros:.2f} s ({steps / t_ros / 1e9:.2f} x 10^9 neuron-steps/s), "
          f"mean rate {1000 * res.r[res.t > 100, 0].mean():.1f} Hz")
    print(f"  ratio rosetta / hand loop: {t_ros / t_hand:.2f}")
    del V0


if __name__ == "__main__":
    main()
