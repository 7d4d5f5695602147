"""rosetta.explore: a grid exploration equals the serial loop under local processes and a
Dask LocalCluster, and a killed exploration, rerun, computes only the missing points."""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import rosetta as rs
from rosetta.explore import explore, grid_points

HERE = Path(__file__).resolve().parent
GRID = {"G": [0.0, 0.5, 1.0], "seed": [1, 2]}


def synchrony(G, seed, duration=0.5):
    """A small noisy Stuart-Landau network: the time-averaged order parameter and the mean
    amplitude, seeded by the grid point."""
    C, _ = rs.distance_graph(6, seed=0)
    net = rs.network("stuart_landau", C, G=G, normalize="max_eig",
                     params={"alpha": 5.0, "gamma": 5.0})
    res = rs.simulate(net, duration, 1e-3, method="heun", seed=seed,
                      drive=rs.forcing.Noise(sigma=0.2))
    phase = np.arctan2(res["y"], res["x"])
    return {"R": float(np.abs(rs.measures.order_parameter(phase)).mean()),
            "amplitude": float(np.hypot(res["x"], res["y"]).mean())}


def slow_square(x, log=None, delay=0.0):
    time.sleep(delay)
    if log is not None:
        with open(log, "a") as fh:
            fh.write(f"{x}\n")
    return x * x


@pytest.fixture(scope="module")
def serial():
    return explore(synchrony, GRID, executor="serial", progress=False)


def test_table_is_labelled_and_in_grid_order(serial):
    assert list(serial.columns) == ["G", "seed", "R", "amplitude"]
    assert [tuple(r) for r in serial[["G", "seed"]].itertuples(index=False)] == \
        [(p["G"], p["seed"]) for p in grid_points(GRID)]
    assert serial.attrs["axes"] == ["G", "seed"]
    # the loop itself: each row is the function at its point
    row = serial.iloc[3]
    assert row["R"] == synchrony(row["G"], int(row["seed"]))["R"]


def test_processes_give_the_serial_results(serial):
    table = explore(synchrony, GRID, progress=False)            # default: local processes
    pd.testing.assert_frame_equal(table, serial)


def test_dask_local_cluster_gives_the_serial_results(serial):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        table = explore(synchrony, GRID, executor=client, progress=False)
    pd.testing.assert_frame_equal(table, serial)


def test_a_killed_exploration_resumes_with_the_missing_points_only(tmp_path):
    store = tmp_path / "points.jsonl"
    log = tmp_path / "computed.txt"
    grid = {"x": list(range(12))}
    code = ("import sys; sys.path.insert(0, %r)\n"
            "from test_explore import slow_square\n"
            "from rosetta.explore import explore\n"
            "explore(slow_square, {'x': list(range(12))}, executor='serial', store=%r, "
            "progress=False, delay=0.3)\n") % (str(HERE), str(store))
    proc = subprocess.Popen([sys.executable, "-c", code], env=dict(os.environ))
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            if store.exists() and len(store.read_text().splitlines()) >= 4:
                break
            time.sleep(0.05)
        proc.kill()
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
    stored = [json.loads(ln)["point"]["x"] for ln in store.read_text().splitlines() if ln]
    assert 4 <= len(stored) < 12
    table = explore(slow_square, grid, executor="serial", store=store, progress=False, log=log)
    computed = [int(v) for v in log.read_text().split()]
    assert sorted(computed) == sorted(set(range(12)) - set(stored))
    np.testing.assert_array_equal(table["value"], np.arange(12) ** 2)
    # and a third run computes nothing
    explore(slow_square, grid, executor="serial", store=store, progress=False, log=log)
    assert len(log.read_text().split()) == len(computed)


@pytest.mark.parametrize("kw, match", [
    (dict(grid={}), "non-empty dict"),
    (dict(grid={"x": []}), "no values"),
    (dict(grid={"x": [1, 1]}), "repeats"),
    (dict(grid={"1x": [1]}), "identifiers"),
    (dict(grid={"x": [1]}, log="a", x=2), "both grid axes and fixed"),
    (dict(executor=3), "executor must be"),
])
def test_bad_input_is_refused(kw, match):
    args = dict(function=slow_square, grid={"x": [1, 2]}, progress=False)
    args.update(kw)
    with pytest.raises(rs.ParameterError, match=match):
        explore(**args)


def _not_a_number(x):
    return "high"


def test_a_function_must_return_numbers():
    with pytest.raises(rs.ParameterError, match="must return a number"):
        explore(_not_a_number, {"x": [1]}, executor="serial", progress=False)
